// The compressed instructions: RV64C (unprivileged ISA, chapter "C" Standard Extension for Compressed
// Instructions, and the RVC opcode map and listings of chapter "RVC Instruction Set Listings"), Zcb
// and Zcmop (chapter "Zc* Extensions"), each defined by the 32-bit instruction it expands to.

import type { CExt, CInsnSpec, Format } from './types.js';

// ---- 16-bit operand fields ("Compressed Instruction Formats") ----

/** rd/rs1 at bits 11:7 (CR, CI). */
const cRd = (c: number): number => (c >>> 7) & 31;
/** rs2 at bits 6:2 (CR, CSS). */
const cRs2 = (c: number): number => (c >>> 2) & 31;
/** rd' (CIW, CL) or rs2' (CS, CA) at bits 4:2, naming x8-x15 / f8-f15. */
const cRdP = (c: number): number => 8 + ((c >>> 2) & 7);
/** rs1' (CL, CS) or rd'/rs1' (CA, CB) at bits 9:7, naming x8-x15. */
const cRs1P = (c: number): number => 8 + ((c >>> 7) & 7);

/** Marks a halfword bit that is not part of an immediate in a {@link Layout}. */
const _ = -1;

/**
 * Where an immediate's bits sit in bits 12..2 of the halfword: `layout[k]` is the immediate bit held
 * in halfword bit 12-k, or `_`. This is the manual's `imm[5:4|9:6|2|3]` notation written out bit by
 * bit, one entry per halfword bit, so each layout reads like a row of the RVC format tables.
 */
type Layout = readonly number[];

/** Compiles a layout into a field reader; `signed` sign-extends from the highest immediate bit. */
function immediate(layout: Layout, signed: boolean): (c: number) => number {
  if (layout.length !== 11)
    throw new Error(`RVC immediate layout must cover bits 12..2, got ${layout.length}`);
  // Runs of adjacent halfword bits that hold adjacent immediate bits are moved with one shift: the
  // lowest halfword bit of the run, the lowest immediate bit and the run's width mask.
  const from: number[] = [];
  const to: number[] = [];
  const width: number[] = [];
  layout.forEach((bit, k) => {
    if (bit === _) return;
    const last = to.length - 1;
    if (last >= 0 && from[last] === 13 - k && to[last] === bit + 1) {
      from[last]--;
      to[last]--;
      width[last] = (width[last] << 1) | 1;
    } else {
      from.push(12 - k);
      to.push(bit);
      width.push(1);
    }
  });
  const unused = 31 - Math.max(...layout);
  return (c) => {
    let v = 0;
    for (let j = 0; j < from.length; j++) v |= ((c >>> from[j]) & width[j]) << to[j];
    return signed ? (v << unused) >> unused : v;
  };
}

// Each layout lists what halfword bits 12, 11, ..., 2 hold, in that order.
const immAddi4spn = immediate([5, 4, 9, 8, 7, 6, 2, 3, _, _, _], false); // nzuimm[5:4|9:6|2|3]
const immClW = immediate([5, 4, 3, _, _, _, 2, 6, _, _, _], false); // uimm[5:3], uimm[2|6]
const immClD = immediate([5, 4, 3, _, _, _, 7, 6, _, _, _], false); // uimm[5:3], uimm[7:6]
const immCi = immediate([5, _, _, _, _, _, 4, 3, 2, 1, 0], true); // imm[5], imm[4:0]
const shamtCi = immediate([5, _, _, _, _, _, 4, 3, 2, 1, 0], false); // shamt[5], shamt[4:0]
const immAddi16sp = immediate([9, _, _, _, _, _, 4, 6, 8, 7, 5], true); // nzimm[9], nzimm[4|6|8:7|5]
const immLui = immediate([17, _, _, _, _, _, 16, 15, 14, 13, 12], true); // nzimm[17], nzimm[16:12]
const immCj = immediate([11, 4, 9, 8, 10, 6, 7, 3, 2, 1, 5], true); // imm[11|4|9:8|10|6|7|3:1|5]
const immCb = immediate([8, 4, 3, _, _, _, 7, 6, 2, 1, 5], true); // imm[8|4:3], imm[7:6|2:1|5]
const immLwsp = immediate([5, _, _, _, _, _, 4, 3, 2, 7, 6], false); // uimm[5], uimm[4:2|7:6]
const immLdsp = immediate([5, _, _, _, _, _, 4, 3, 8, 7, 6], false); // uimm[5], uimm[4:3|8:6]
const immSwsp = immediate([5, 4, 3, 2, 7, 6, _, _, _, _, _], false); // uimm[5:2|7:6]
const immSdsp = immediate([5, 4, 3, 8, 7, 6, _, _, _, _, _], false); // uimm[5:3|8:6]
const immCbByte = immediate([_, _, _, _, _, _, 0, 1, _, _, _], false); // Zcb uimm[0|1] at bits 6:5
const immCbHalf = immediate([_, _, _, _, _, _, _, 1, _, _, _], false); // Zcb uimm[1] at bit 5

// ---- 32-bit encoders ("Base Instruction Formats"; major opcodes from the RV32/64G opcode map) ----

const LOAD = 0b0000011;
const LOAD_FP = 0b0000111;
const OP_IMM = 0b0010011;
const OP_IMM_32 = 0b0011011;
const STORE = 0b0100011;
const STORE_FP = 0b0100111;
const OP = 0b0110011;
const LUI = 0b0110111;
const OP_32 = 0b0111011;
const BRANCH = 0b1100011;
const JALR = 0b1100111;
const JAL = 0b1101111;
/** `ebreak`: SYSTEM with funct12 = 1. */
const EBREAK = 0x00100073;
/** `addi x0, x0, 0`: what C.MOP.n expands to (it writes no register). */
const NOP = 0x00000013;
/** funct7 of SUB and SUBW. */
const FUNCT7_SUB = 0b0100000;
/** funct7 of MUL (M). */
const FUNCT7_MULDIV = 0b0000001;
/** funct7 of ADD.UW and of RV64 ZEXT.H in OP-32 (Zba, Zbb). */
const FUNCT7_UW = 0b0000100;
/** imm[11:0] of SEXT.B and SEXT.H (Zbb, OP-IMM funct3 001). */
const SEXT_B_IMM = 0x604;
const SEXT_H_IMM = 0x605;
/** imm[11:6] of RV64 SRAI (010000), placed above the 6-bit shamt. */
const SRAI_IMM = 0b010000 << 6;

const encR = (op: number, funct7: number, funct3: number, rd: number, rs1: number, rs2: number): number =>
  (funct7 << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | op;
const encI = (op: number, funct3: number, rd: number, rs1: number, imm: number): number =>
  (imm << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | op;
const encS = (op: number, funct3: number, rs1: number, rs2: number, imm: number): number =>
  ((imm >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) | ((imm & 31) << 7) | op;
const encB = (funct3: number, rs1: number, rs2: number, imm: number): number =>
  (((imm >> 12) & 1) << 31) |
  (((imm >> 5) & 63) << 25) |
  (rs2 << 20) |
  (rs1 << 15) |
  (funct3 << 12) |
  (((imm >> 1) & 15) << 8) |
  (((imm >> 11) & 1) << 7) |
  BRANCH;
const encU = (op: number, rd: number, imm: number): number => (imm & 0xfffff000) | (rd << 7) | op;
const encJ = (rd: number, imm: number): number =>
  (((imm >> 20) & 1) << 31) |
  (((imm >> 1) & 1023) << 21) |
  (((imm >> 11) & 1) << 20) |
  (((imm >> 12) & 255) << 12) |
  (rd << 7) |
  JAL;

/** Stack pointer (x2), the implicit base of the *SP forms and the destination of c.addi16sp. */
const SP = 2;
/** Link register (x1), written by c.jalr. */
const RA = 1;

/**
 * Builds one entry. `pattern` is the 16-bit encoding, bit 15 first, with `0`/`1` for fixed bits and
 * `.` for operand bits; spaces are ignored and may separate fields as in the RVC listings.
 */
function insn(
  name: string,
  format: Format,
  pattern: string,
  expand: (c: number) => number,
  ext: CExt = 'C',
): CInsnSpec {
  const bits = pattern.replace(/ /g, '');
  if (!/^[01.]{16}$/.test(bits)) throw new Error(`${name}: pattern "${pattern}" is not 16 bits of 0, 1, .`);
  let match = 0;
  let mask = 0;
  for (const ch of bits) {
    match = (match << 1) | (ch === '1' ? 1 : 0);
    mask = (mask << 1) | (ch === '.' ? 0 : 1);
  }
  return { name, match, mask, ext, format, expand };
}

/**
 * C.MOP.n (Zcmop) for odd n in 1..15: c.lui xn, 0 (a reserved code point of RV64C). They write no
 * register ("Unlike the MOPs defined in Zimop, the C.MOP.n instructions are defined to not write
 * any register"), so each expands to a no-op.
 */
const cMop = (n: number): CInsnSpec =>
  insn(`c.mop.${n}`, 'CI', `011 0 0${(n >> 1).toString(2).padStart(3, '0')}1 00000 01`, () => NOP, 'Zcmop');

/**
 * The compressed instructions: RV64C (with the RV64GC double-precision loads and stores), Zcb and
 * Zcmop, in the order of the RVC opcode map: quadrant 0, 1, 2 and funct3 within each. A profile
 * decodes the entries of its extensions (isa/profile.ts `cinsns`, {@link RvcTable}). The Zcb
 * entries that expand to Zbb, Zba or M instructions need those extensions too: without them the
 * expansion does not decode, and the halfword is an illegal instruction (Zcb's "Prerequisites").
 *
 * `expand(c)` returns the 32-bit RV64G instruction word as an **int32** (bit 31 set gives a negative
 * number; no `>>> 0`), or 0 (an illegal instruction) for the encodings the manual reserves. HINT code
 * points expand to the base instruction the manual names, which writes x0 or leaves its register
 * unchanged, so they execute as no-ops.
 *
 * Some entries are carve-outs of others, because "rs2 != 0" or "rd != 0" is no single match/mask:
 * c.nop (rd=0) of c.addi, c.addi16sp (rd=2) and c.mop.n (rd=n, nzimm=0) of c.lui, c.jr (rs2=0) of
 * c.mv, c.ebreak of c.jalr, and c.jalr (rs2=0) of c.add. A carve-out's mask has every bit of its container's mask and more. A
 * halfword belongs to the matching entry with the most mask bits; carve-outs come before their
 * containers here, so a first-match scan in this order gives the same answer. An `expand` is only
 * meaningful for halfwords its entry owns; use {@link RvcTable.expand} to expand arbitrary halfwords.
 */
export const C_INSNS: readonly CInsnSpec[] = [
  // Quadrant 0
  insn('c.addi4spn', 'CIW', '000 ........ ... 00', (c) => {
    const nzuimm = immAddi4spn(c);
    return nzuimm === 0 ? 0 : encI(OP_IMM, 0b000, cRdP(c), SP, nzuimm);
  }),
  insn('c.fld', 'CL', '001 ... ... .. ... 00', (c) => encI(LOAD_FP, 0b011, cRdP(c), cRs1P(c), immClD(c))),
  insn('c.lw', 'CL', '010 ... ... .. ... 00', (c) => encI(LOAD, 0b010, cRdP(c), cRs1P(c), immClW(c))),
  insn('c.ld', 'CL', '011 ... ... .. ... 00', (c) => encI(LOAD, 0b011, cRdP(c), cRs1P(c), immClD(c))),
  // Zcb in the reserved funct3 = 100 of RV64C; funct3 = 100 with bits 12:10 = 1xx stays reserved,
  // and so do c.lh/c.lhu/c.sh's unused bit 6 (c.sh with bit 6 set).
  insn(
    'c.lbu',
    'CL',
    '100 000 ... .. ... 00',
    (c) => encI(LOAD, 0b100, cRdP(c), cRs1P(c), immCbByte(c)),
    'Zcb',
  ),
  insn(
    'c.lhu',
    'CL',
    '100 001 ... 0. ... 00',
    (c) => encI(LOAD, 0b101, cRdP(c), cRs1P(c), immCbHalf(c)),
    'Zcb',
  ),
  insn(
    'c.lh',
    'CL',
    '100 001 ... 1. ... 00',
    (c) => encI(LOAD, 0b001, cRdP(c), cRs1P(c), immCbHalf(c)),
    'Zcb',
  ),
  insn(
    'c.sb',
    'CS',
    '100 010 ... .. ... 00',
    (c) => encS(STORE, 0b000, cRs1P(c), cRdP(c), immCbByte(c)),
    'Zcb',
  ),
  insn(
    'c.sh',
    'CS',
    '100 011 ... 0. ... 00',
    (c) => encS(STORE, 0b001, cRs1P(c), cRdP(c), immCbHalf(c)),
    'Zcb',
  ),
  insn('c.fsd', 'CS', '101 ... ... .. ... 00', (c) => encS(STORE_FP, 0b011, cRs1P(c), cRdP(c), immClD(c))),
  insn('c.sw', 'CS', '110 ... ... .. ... 00', (c) => encS(STORE, 0b010, cRs1P(c), cRdP(c), immClW(c))),
  insn('c.sd', 'CS', '111 ... ... .. ... 00', (c) => encS(STORE, 0b011, cRs1P(c), cRdP(c), immClD(c))),

  // Quadrant 1. c.nop owns rd=0 of c.addi: imm=0 is `nop`, imm!=0 are HINTs (addi x0, x0, imm).
  insn('c.nop', 'CI', '000 . 00000 ..... 01', (c) => encI(OP_IMM, 0b000, 0, 0, immCi(c))),
  // imm=0 (rd!=0) is a HINT: addi rd, rd, 0.
  insn('c.addi', 'CI', '000 . ..... ..... 01', (c) => encI(OP_IMM, 0b000, cRd(c), cRd(c), immCi(c))),
  // rd=0 is reserved; imm=0 is legal (sext.w).
  insn('c.addiw', 'CI', '001 . ..... ..... 01', (c) =>
    cRd(c) === 0 ? 0 : encI(OP_IMM_32, 0b000, cRd(c), cRd(c), immCi(c)),
  ),
  // rd=0 is a HINT.
  insn('c.li', 'CI', '010 . ..... ..... 01', (c) => encI(OP_IMM, 0b000, cRd(c), 0, immCi(c))),
  insn('c.addi16sp', 'CI', '011 . 00010 ..... 01', (c) => {
    const nzimm = immAddi16sp(c);
    return nzimm === 0 ? 0 : encI(OP_IMM, 0b000, SP, SP, nzimm);
  }),
  ...[1, 3, 5, 7, 9, 11, 13, 15].map(cMop),
  // nzimm=0 is reserved (C.MOP.n with Zcmop, for odd rd < 16); rd=0 (nzimm!=0) is a HINT; rd=2 is
  // c.addi16sp.
  insn('c.lui', 'CI', '011 . ..... ..... 01', (c) => {
    const nzimm = immLui(c);
    return nzimm === 0 ? 0 : encU(LUI, cRd(c), nzimm);
  }),
  // RV64C: shamt[5]=1 is legal; shamt=0 is a HINT (a shift by 0).
  insn('c.srli', 'CB', '100 . 00 ... ..... 01', (c) => encI(OP_IMM, 0b101, cRs1P(c), cRs1P(c), shamtCi(c))),
  insn('c.srai', 'CB', '100 . 01 ... ..... 01', (c) =>
    encI(OP_IMM, 0b101, cRs1P(c), cRs1P(c), SRAI_IMM | shamtCi(c)),
  ),
  insn('c.andi', 'CB', '100 . 10 ... ..... 01', (c) => encI(OP_IMM, 0b111, cRs1P(c), cRs1P(c), immCi(c))),
  insn('c.sub', 'CA', '100 0 11 ... 00 ... 01', (c) =>
    encR(OP, FUNCT7_SUB, 0b000, cRs1P(c), cRs1P(c), cRdP(c)),
  ),
  insn('c.xor', 'CA', '100 0 11 ... 01 ... 01', (c) => encR(OP, 0, 0b100, cRs1P(c), cRs1P(c), cRdP(c))),
  insn('c.or', 'CA', '100 0 11 ... 10 ... 01', (c) => encR(OP, 0, 0b110, cRs1P(c), cRs1P(c), cRdP(c))),
  insn('c.and', 'CA', '100 0 11 ... 11 ... 01', (c) => encR(OP, 0, 0b111, cRs1P(c), cRs1P(c), cRdP(c))),
  insn('c.subw', 'CA', '100 1 11 ... 00 ... 01', (c) =>
    encR(OP_32, FUNCT7_SUB, 0b000, cRs1P(c), cRs1P(c), cRdP(c)),
  ),
  insn('c.addw', 'CA', '100 1 11 ... 01 ... 01', (c) => encR(OP_32, 0, 0b000, cRs1P(c), cRs1P(c), cRdP(c))),
  // Zcb in the reserved funct2 = 10/11 after c.subw/c.addw; 11 with bits 4:2 = 110/111 stays
  // reserved. Each is the 32-bit instruction the Zcb chapter names as its equivalent.
  insn(
    'c.mul',
    'CA',
    '100 1 11 ... 10 ... 01',
    (c) => encR(OP, FUNCT7_MULDIV, 0b000, cRs1P(c), cRs1P(c), cRdP(c)),
    'Zcb',
  ),
  insn(
    'c.zext.b',
    'CU',
    '100 1 11 ... 11 000 01',
    (c) => encI(OP_IMM, 0b111, cRs1P(c), cRs1P(c), 0xff),
    'Zcb',
  ),
  insn(
    'c.sext.b',
    'CU',
    '100 1 11 ... 11 001 01',
    (c) => encI(OP_IMM, 0b001, cRs1P(c), cRs1P(c), SEXT_B_IMM),
    'Zcb',
  ),
  insn(
    'c.zext.h',
    'CU',
    '100 1 11 ... 11 010 01',
    (c) => encR(OP_32, FUNCT7_UW, 0b100, cRs1P(c), cRs1P(c), 0),
    'Zcb',
  ),
  insn(
    'c.sext.h',
    'CU',
    '100 1 11 ... 11 011 01',
    (c) => encI(OP_IMM, 0b001, cRs1P(c), cRs1P(c), SEXT_H_IMM),
    'Zcb',
  ),
  insn(
    'c.zext.w',
    'CU',
    '100 1 11 ... 11 100 01',
    (c) => encR(OP_32, FUNCT7_UW, 0b000, cRs1P(c), cRs1P(c), 0),
    'Zcb',
  ),
  insn('c.not', 'CU', '100 1 11 ... 11 101 01', (c) => encI(OP_IMM, 0b100, cRs1P(c), cRs1P(c), -1), 'Zcb'),
  insn('c.j', 'CJ', '101 ........... 01', (c) => encJ(0, immCj(c))),
  insn('c.beqz', 'CB', '110 ... ... ..... 01', (c) => encB(0b000, cRs1P(c), 0, immCb(c))),
  insn('c.bnez', 'CB', '111 ... ... ..... 01', (c) => encB(0b001, cRs1P(c), 0, immCb(c))),

  // Quadrant 2. c.slli: rd=0 and shamt=0 are HINTs.
  insn('c.slli', 'CI', '000 . ..... ..... 10', (c) => encI(OP_IMM, 0b001, cRd(c), cRd(c), shamtCi(c))),
  insn('c.fldsp', 'CI', '001 . ..... ..... 10', (c) => encI(LOAD_FP, 0b011, cRd(c), SP, immLdsp(c))),
  insn('c.lwsp', 'CI', '010 . ..... ..... 10', (c) =>
    cRd(c) === 0 ? 0 : encI(LOAD, 0b010, cRd(c), SP, immLwsp(c)),
  ),
  insn('c.ldsp', 'CI', '011 . ..... ..... 10', (c) =>
    cRd(c) === 0 ? 0 : encI(LOAD, 0b011, cRd(c), SP, immLdsp(c)),
  ),
  // rs1=0 is reserved.
  insn('c.jr', 'CR', '1000 ..... 00000 10', (c) => (cRd(c) === 0 ? 0 : encI(JALR, 0b000, 0, cRd(c), 0))),
  // rd=0 is a HINT.
  insn('c.mv', 'CR', '1000 ..... ..... 10', (c) => encR(OP, 0, 0b000, cRd(c), 0, cRs2(c))),
  insn('c.ebreak', 'CR', '1001 00000 00000 10', () => EBREAK),
  insn('c.jalr', 'CR', '1001 ..... 00000 10', (c) => encI(JALR, 0b000, RA, cRd(c), 0)),
  // rd=0 is a HINT.
  insn('c.add', 'CR', '1001 ..... ..... 10', (c) => encR(OP, 0, 0b000, cRd(c), cRd(c), cRs2(c))),
  insn('c.fsdsp', 'CSS', '101 ...... ..... 10', (c) => encS(STORE_FP, 0b011, SP, cRs2(c), immSdsp(c))),
  insn('c.swsp', 'CSS', '110 ...... ..... 10', (c) => encS(STORE, 0b010, SP, cRs2(c), immSwsp(c))),
  insn('c.sdsp', 'CSS', '111 ...... ..... 10', (c) => encS(STORE, 0b011, SP, cRs2(c), immSdsp(c))),
];

// ---- Dispatch tables, one per profile ----
// A profile's table is built from its entries (isa/profile.ts `cinsns`): the owner table at once
// (about 2^16 cheap steps), expansions lazily: expanding all 49152 compressed halfwords eagerly
// took 20-50 ms at start-up on a 2-core host, most of it V8 optimising the expand closures, which a
// running guest only pays for the halfwords it uses.

/** Entry index per halfword; NONE where no entry matches (reserved, or bits 1:0 = 11). */
const NONE = 0xff;
/**
 * Marks "not expanded yet": it cannot be a result, since every result is 0 or a 32-bit encoding
 * with bits 1:0 = 11.
 */
const UNFILLED = 1;

function popcount16(v: number): number {
  let n = 0;
  for (let b = v & 0xffff; b !== 0; b &= b - 1) n++;
  return n;
}

/**
 * The compressed instructions of one ISA profile: which entry owns each halfword (the matching entry
 * with the most mask bits, see {@link C_INSNS}) and the 32-bit word it expands to. A halfword of an
 * extension the profile lacks belongs to no entry (a Zcb slot is a reserved slot of RV64C) or to the
 * RV64C entry whose reserved code point it is (C.MOP.n is c.lui with nzimm = 0), and expands to 0:
 * illegal, as on a hart without that extension.
 */
export class RvcTable {
  private readonly owners = new Uint8Array(1 << 16).fill(NONE);
  private readonly expansions = new Int32Array(1 << 16).fill(UNFILLED);

  /** `entries`: a subset of C_INSNS (at most 255). */
  constructor(readonly entries: readonly CInsnSpec[]) {
    if (entries.length >= NONE) throw new Error(`RvcTable: ${entries.length} entries, at most ${NONE - 1}`);
    const specificity = entries.map((e) => popcount16(e.mask));
    entries.forEach((e, index) => {
      // Visit every halfword of the entry's cube by counting through the don't-care bits.
      const free = ~e.mask & 0xffff;
      for (let sub = free; ; sub = (sub - 1) & free) {
        const c = e.match | sub;
        const owner = this.owners[c];
        if (owner === NONE || specificity[owner] < specificity[index]) this.owners[c] = index;
        if (sub === 0) break;
      }
    });
  }

  /**
   * The 32-bit word (int32) that the compressed halfword `c` stands for, or 0 when `c` is reserved
   * in this profile or is not a compressed encoding (bits 1:0 = 11). Bits of `c` above 15 are
   * ignored. A table lookup after the first call for a given halfword; no allocation.
   */
  expand(c: number): number {
    const w = this.expansions[c & 0xffff];
    return w !== UNFILLED ? w : this.fill(c & 0xffff);
  }

  private fill(c: number): number {
    const owner = this.owners[c];
    const w = owner === NONE ? 0 : this.entries[owner].expand(c) | 0;
    this.expansions[c] = w;
    return w;
  }

  /**
   * The entry that owns halfword `c` (the most specific match), for disassembly and tracing;
   * undefined when no entry matches. Reserved code points inside an entry (c.lwsp with rd=0, ...)
   * still return that entry: check {@link expand} for legality. Bits of `c` above 15 are ignored.
   */
  insn(c: number): CInsnSpec | undefined {
    const owner = this.owners[c & 0xffff];
    return owner === NONE ? undefined : this.entries[owner];
  }
}
