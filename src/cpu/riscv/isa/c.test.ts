// Tests of the compressed tables (unprivileged ISA, chapters "C" Standard Extension and "Zc*
// Extensions"): overlap of encodings, RV64C expansions against GNU assembler ground truth, Zcb and
// Zcmop expansions against the Zcb/Zcmop encoding tables, reserved code points and HINTs, and the
// per-profile tables (a halfword of an extension the profile lacks is illegal).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { C_INSNS, RvcTable } from './c.js';
import { funct3, immI, rd, rs1 } from './fields.js';
import { isaProfile } from './profile.js';

/** RV64C alone (the rv64gc profile's table), and everything (the max profile's). */
const RV64C = new RvcTable(C_INSNS.filter((e) => e.ext === 'C'));
const ALL = new RvcTable(C_INSNS);
const compressedInsn = (c: number) => RV64C.insn(c);
const expandCompressed = (c: number) => RV64C.expand(c);

const hex = (v: number, digits: number): string => '0x' + (v >>> 0).toString(16).padStart(digits, '0');

/** Every halfword matching `pattern` (bit 15 first; `0`/`1` fixed, `.` free, spaces ignored). */
function words(pattern: string): number[] {
  const bits = pattern.replace(/ /g, '');
  assert.match(bits, /^[01.]{16}$/, `bad pattern ${pattern}`);
  const out: number[] = [];
  for (let c = 0; c < 1 << 16; c++) {
    let ok = true;
    for (let k = 0; k < 16 && ok; k++) {
      const want = bits[15 - k];
      ok = want === '.' || Number(want) === ((c >>> k) & 1);
    }
    if (ok) out.push(c);
  }
  return out;
}

const ALL_HALFWORDS = Array.from({ length: 1 << 16 }, (_, c) => c);
const COMPRESSED = ALL_HALFWORDS.filter((c) => (c & 3) !== 3);
const matches = (c: number) => C_INSNS.filter((e) => (c & e.mask) === e.match);
const matchesC = (c: number) => matches(c).filter((e) => e.ext === 'C');
const popcount = (v: number): number => v.toString(2).replace(/0/g, '').length;

const ZCB = [
  'c.lbu',
  'c.lhu',
  'c.lh',
  'c.sb',
  'c.sh',
  'c.mul',
  'c.zext.b',
  'c.sext.b',
  'c.zext.h',
  'c.sext.h',
  'c.zext.w',
  'c.not',
];
const ZCMOP = [1, 3, 5, 7, 9, 11, 13, 15].map((n) => `c.mop.${n}`);

test('C_INSNS holds each RV64C, Zcb and Zcmop instruction once, with its extension', () => {
  // prettier-ignore
  const expected = [
    'c.addi4spn', 'c.fld', 'c.lw', 'c.ld', 'c.lbu', 'c.lhu', 'c.lh', 'c.sb', 'c.sh', 'c.fsd', 'c.sw', 'c.sd',
    'c.nop', 'c.addi', 'c.addiw', 'c.li', 'c.addi16sp', ...ZCMOP, 'c.lui', 'c.srli', 'c.srai', 'c.andi',
    'c.sub', 'c.xor', 'c.or', 'c.and', 'c.subw', 'c.addw',
    'c.mul', 'c.zext.b', 'c.sext.b', 'c.zext.h', 'c.sext.h', 'c.zext.w', 'c.not',
    'c.j', 'c.beqz', 'c.bnez',
    'c.slli', 'c.fldsp', 'c.lwsp', 'c.ldsp', 'c.jr', 'c.mv', 'c.ebreak', 'c.jalr', 'c.add',
    'c.fsdsp', 'c.swsp', 'c.sdsp',
  ];
  assert.deepEqual(
    C_INSNS.map((e) => e.name),
    expected,
  );
  for (const e of C_INSNS) {
    assert.equal(e.ext, ZCB.includes(e.name) ? 'Zcb' : ZCMOP.includes(e.name) ? 'Zcmop' : 'C', e.name);
    assert.equal(e.match & ~e.mask, 0, `${e.name}: match has bits outside mask`);
    assert.equal(e.mask & 3, 3, `${e.name}: mask must cover the quadrant bits 1:0`);
    assert.notEqual(e.match & 3, 3, `${e.name}: bits 1:0 = 11 is a 32-bit encoding`);
  }
});

test('no halfword matches two entries, except the carve-outs the manual defines', () => {
  // "rd != 0" / "rs2 != 0" is no single match/mask, so these entries sit inside a wider one and win
  // by having more mask bits (c.nop: rd=0; c.addi16sp: rd=2; c.mop.n: rd=n and nzimm=0; c.jr,
  // c.jalr: rs2=0; c.ebreak: all).
  const expected = [
    'c.addi16sp in c.lui',
    ...ZCMOP.map((n) => `${n} in c.lui`).sort(),
    'c.ebreak in c.add',
    'c.ebreak in c.jalr',
    'c.jalr in c.add',
    'c.jr in c.mv',
    'c.nop in c.addi',
  ];
  const seen = new Set<string>();
  for (const c of ALL_HALFWORDS) {
    const m = matches(c);
    if ((c & 3) === 3) {
      assert.equal(m.length, 0, `${hex(c, 4)} is a 32-bit encoding but matches ${m[0]?.name}`);
      continue;
    }
    // Table order must list carve-outs first, so a first-match scan agrees with the decoder.
    for (let k = 1; k < m.length; k++) {
      const inner = m[k - 1];
      const outer = m[k];
      assert.ok(
        (inner.mask & outer.mask) === outer.mask && inner.mask !== outer.mask,
        `${hex(c, 4)} matches ${inner.name} and ${outer.name}, which are not nested`,
      );
    }
    for (let i = 0; i < m.length; i++)
      for (let j = i + 1; j < m.length; j++) seen.add(`${m[i].name} in ${m[j].name}`);
    assert.equal(ALL.insn(c), m[0], `${hex(c, 4)}: the max table disagrees with the most specific match`);
    assert.equal(RV64C.insn(c), matchesC(c)[0], `${hex(c, 4)}: the RV64C table disagrees`);
    if (m.length > 0) assert.equal(popcount(m[0].mask), Math.max(...m.map((e) => popcount(e.mask))));
  }
  assert.deepEqual([...seen].sort(), expected.sort());
});

test('the only unmatched compressed halfwords are the reserved slots of the opcode map', () => {
  // RV64C: two slots; Zcb fills part of them, and what is left stays reserved.
  const rv64cSlots = new Set([
    ...words('100 ........... 00'), // quadrant 0, funct3 = 100
    ...words('100 1 11 ... 1. ... 01'), // quadrant 1, after c.subw/c.addw
  ]);
  const zcbLeft = new Set([
    ...words('100 1.. ........ 00'), // quadrant 0, funct3 = 100, bits 12:10 = 1xx
    ...words('100 011 ... 1. ... 00'), // c.sh with bit 6 set
    ...words('100 1 11 ... 11 11. 01'), // after c.not
  ]);
  for (const c of COMPRESSED) {
    assert.equal(RV64C.insn(c) === undefined, rv64cSlots.has(c), `${hex(c, 4)}`);
    if (rv64cSlots.has(c)) assert.equal(RV64C.expand(c), 0);
    assert.equal(ALL.insn(c) === undefined, zcbLeft.has(c), `${hex(c, 4)} with Zcb`);
    if (zcbLeft.has(c)) assert.equal(ALL.expand(c), 0);
  }
});

interface Pair {
  readonly insn: string;
  readonly c: number;
  readonly w: number;
  readonly text: string;
}

/** The repository root: the nearest ancestor with a package.json (works from src/ and dist/). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    assert.notEqual(up, dir, 'no package.json above the test file');
    dir = up;
  }
  return dir;
}

test('expansions match the GNU assembler (test/fixtures/rvc-pairs.json)', async (t) => {
  const fixture = JSON.parse(readFileSync(join(repoRoot(), 'test/fixtures/rvc-pairs.json'), 'utf8')) as {
    generator: string;
    pairs: Pair[];
  };
  assert.match(fixture.generator, /c-expansion-fixture\.mjs/);
  for (const e of C_INSNS.filter((x) => x.ext === 'C')) {
    await t.test(e.name, () => {
      const pairs = fixture.pairs.filter((p) => p.insn === e.name);
      assert.ok(pairs.length > 0, `no ground truth for ${e.name}`);
      for (const p of pairs) {
        const why = `${p.text}: ${hex(p.c, 4)}`;
        assert.equal(compressedInsn(p.c)?.name, e.name, `${why} decodes as another entry`);
        // Expansions are int32: compare with the unsigned fixture word converted by `| 0`.
        assert.equal(hex(e.expand(p.c), 8), hex(p.w, 8), `${why}: expand`);
        assert.equal(e.expand(p.c), p.w | 0, `${why}: expand must return int32`);
        assert.equal(expandCompressed(p.c), p.w | 0, `${why}: expandCompressed`);
      }
    });
  }
  const unknown = fixture.pairs.filter((p) => !C_INSNS.some((e) => e.name === p.insn));
  assert.deepEqual(unknown, []);
});

test('reserved encodings expand to 0 (illegal instruction)', () => {
  const reserved: [string, string][] = [
    ['c.addi4spn nzuimm=0 (includes 0x0000)', '000 00000000 ... 00'],
    ['quadrant 0 funct3=100 (without Zcb)', '100 ........... 00'],
    ['c.addiw rd=0', '001 . 00000 ..... 01'],
    ['c.addi16sp nzimm=0', '011 0 00010 00000 01'],
    ['c.lui nzimm=0', '011 0 ..... 00000 01'],
    ['quadrant 1 CA funct2=10/11 with bit 12 set (without Zcb)', '100 1 11 ... 1. ... 01'],
    ['c.lui nzimm=0 with odd rd < 16 (without Zcmop)', '011 0 0...1 00000 01'],
    ['c.lwsp rd=0', '010 . 00000 ..... 10'],
    ['c.ldsp rd=0', '011 . 00000 ..... 10'],
    ['c.jr rs1=0', '100 0 00000 00000 10'],
    ['32-bit encodings (bits 1:0 = 11)', '.............. 11'],
  ];
  for (const [what, pattern] of reserved) {
    for (const c of words(pattern)) assert.equal(expandCompressed(c), 0, `${what}: ${hex(c, 4)}`);
  }
});

test('HINT encodings expand to legal base instructions with no architectural effect', () => {
  const OP_IMM = 0b0010011;
  const OP = 0b0110011;
  const LUI = 0b0110111;
  const writesX0 = (opcode: number) => (w: number) => (w & 127) === opcode && rd(w) === 0;
  const nzimmCi = (c: number) => (c & 0x107c) !== 0; // imm[5] (bit 12) or imm[4:0] (bits 6:2)
  const rs2NonZero = (c: number) => (c & 0x7c) !== 0;
  // [HINT, its code points, which of them are HINTs, the no-effect check on the expansion]
  const hints: [string, string, (c: number) => boolean, (w: number) => boolean][] = [
    // Writes x0.
    ['c.nop nzimm!=0', '000 . 00000 ..... 01', nzimmCi, writesX0(OP_IMM)],
    ['c.li rd=0', '010 . 00000 ..... 01', () => true, writesX0(OP_IMM)],
    ['c.lui rd=0', '011 . 00000 ..... 01', nzimmCi, writesX0(LUI)],
    ['c.slli rd=0', '000 . 00000 ..... 10', () => true, writesX0(OP_IMM)],
    ['c.mv rd=0', '100 0 00000 ..... 10', rs2NonZero, writesX0(OP)],
    ['c.add rd=0', '100 1 00000 ..... 10', rs2NonZero, writesX0(OP)],
    // rd = rd + 0, or rd shifted by 0.
    [
      'c.addi nzimm=0',
      '000 0 ..... 00000 01',
      () => true,
      (w) => (w & 127) === OP_IMM && funct3(w) === 0 && immI(w) === 0,
    ],
    [
      'c.slli shamt=0',
      '000 0 ..... 00000 10',
      () => true,
      (w) => (w & 127) === OP_IMM && funct3(w) === 1 && immI(w) === 0,
    ],
    [
      'c.srli shamt=0',
      '100 0 00 ... 00000 01',
      () => true,
      (w) => (w & 127) === OP_IMM && funct3(w) === 5 && immI(w) === 0,
    ],
    [
      'c.srai shamt=0',
      '100 0 01 ... 00000 01',
      () => true,
      (w) => (w & 127) === OP_IMM && funct3(w) === 5 && immI(w) === 0x400,
    ],
  ];
  for (const [what, pattern, isHint, noEffect] of hints) {
    const codePoints = words(pattern).filter(isHint);
    assert.ok(codePoints.length > 0, what);
    for (const c of codePoints) {
      const w = expandCompressed(c);
      assert.notEqual(w, 0, `${what}: ${hex(c, 4)} must not be illegal`);
      assert.ok(noEffect(w), `${what}: ${hex(c, 4)} -> ${hex(w, 8)}`);
      if (rd(w) !== 0) assert.equal(rs1(w), rd(w), `${what}: ${hex(c, 4)} must read the register it writes`);
    }
  }
});

test('a table expands each halfword as its owning entry does, as int32, ignoring bits 31:16', () => {
  for (const table of [RV64C, ALL]) {
    for (const c of COMPRESSED) {
      const e = table.insn(c);
      const w = table.expand(c);
      assert.equal(w, w | 0, `${hex(c, 4)}: not an int32`);
      if (e !== undefined) assert.equal(w, e.expand(c), `${hex(c, 4)} (${e.name})`);
      else assert.equal(w, 0, `${hex(c, 4)}: no entry, yet not illegal`);
      if (w !== 0) assert.equal(w & 3, 3, `${hex(c, 4)}: expansion is not a 32-bit encoding`);
      assert.equal(table.expand(c), w, `${hex(c, 4)}: cached value differs`);
      assert.equal(table.expand(0xabcd0000 | c), w, `${hex(c, 4)}: upper bits must be ignored`);
    }
    for (let c = 3; c < 1 << 16; c += 4) assert.equal(table.expand(c), 0, `${hex(c, 4)} is 32-bit`);
  }
});

// ---- Zcb and Zcmop, from their encoding tables ---------------------------------------------------

/** 32-bit encodings ("Base Instruction Formats"), written here independently of c.ts. */
const iType = (imm: number, rs: number, f3: number, rdx: number, op: number): number =>
  ((imm & 0xfff) << 20) | (rs << 15) | (f3 << 12) | (rdx << 7) | op;
const sType = (imm: number, rs1x: number, rs2x: number, f3: number): number =>
  ((imm >> 5) << 25) | (rs2x << 20) | (rs1x << 15) | (f3 << 12) | ((imm & 31) << 7) | 0x23;
const rType = (f7: number, rs2x: number, rs1x: number, f3: number, rdx: number, op: number): number =>
  (f7 << 25) | (rs2x << 20) | (rs1x << 15) | (f3 << 12) | (rdx << 7) | op;

/**
 * Every Zcb halfword with its 32-bit equivalent, from the Zcb chapter's encoding diagrams (funct3
 * 100 in quadrants 0 and 1, bits 12:10 and funct2 as drawn) and "32-bit equivalent" lines; the
 * Zbb/Zba words from the Bit-Manipulation specification's encodings (sext.b: OP-IMM imm 0x604,
 * sext.h 0x605; RV64 zext.h: OP-32 funct7 0000100 funct3 100 rs2 0; add.uw: OP-32 funct7 0000100).
 */
function zcbPairs(): [string, number, number][] {
  const list: [string, number, number][] = [];
  for (let r1 = 0; r1 < 8; r1++)
    for (let r2 = 0; r2 < 8; r2++) {
      const [x1, x2] = [8 + r1, 8 + r2];
      for (let u = 0; u < 4; u++) {
        const byteImm = ((u & 1) << 6) | ((u >> 1) << 5);
        list.push(['c.lbu', 0x8000 | (r1 << 7) | byteImm | (r2 << 2), iType(u, x1, 4, x2, 0x03)]);
        list.push(['c.sb', 0x8000 | (2 << 10) | (r1 << 7) | byteImm | (r2 << 2), sType(u, x1, x2, 0)]);
      }
      for (const u of [0, 2]) {
        const halfImm = (u >> 1) << 5;
        list.push(['c.lhu', 0x8000 | (1 << 10) | (r1 << 7) | halfImm | (r2 << 2), iType(u, x1, 5, x2, 0x03)]);
        list.push([
          'c.lh',
          0x8000 | (1 << 10) | (r1 << 7) | (1 << 6) | halfImm | (r2 << 2),
          iType(u, x1, 1, x2, 0x03),
        ]);
        list.push(['c.sh', 0x8000 | (3 << 10) | (r1 << 7) | halfImm | (r2 << 2), sType(u, x1, x2, 1)]);
      }
      list.push(['c.mul', 0x9c41 | (r1 << 7) | (r2 << 2), rType(1, x2, x1, 0, x1, 0x33)]);
    }
  for (let r = 0; r < 8; r++) {
    const x = 8 + r;
    const unary = (op: number): number => 0x9c61 | (r << 7) | (op << 2);
    list.push(['c.zext.b', unary(0), iType(0xff, x, 7, x, 0x13)]);
    list.push(['c.sext.b', unary(1), iType(0x604, x, 1, x, 0x13)]);
    list.push(['c.zext.h', unary(2), rType(4, 0, x, 4, x, 0x3b)]);
    list.push(['c.sext.h', unary(3), iType(0x605, x, 1, x, 0x13)]);
    list.push(['c.zext.w', unary(4), rType(4, 0, x, 0, x, 0x3b)]);
    list.push(['c.not', unary(5), iType(-1, x, 4, x, 0x13)]);
  }
  return list;
}

/** The Zcmop chapter's table of C.MOP.n encodings. */
const C_MOPS: [string, string][] = [
  ['c.mop.1', '0110000010000001'],
  ['c.mop.3', '0110000110000001'],
  ['c.mop.5', '0110001010000001'],
  ['c.mop.7', '0110001110000001'],
  ['c.mop.9', '0110010010000001'],
  ['c.mop.11', '0110010110000001'],
  ['c.mop.13', '0110011010000001'],
  ['c.mop.15', '0110011110000001'],
];
/** `addi x0, x0, 0`: a C.MOP.n writes no register (Zcmop), so it expands to a no-op. */
const NOP = 0x00000013;

test('Zcb halfwords expand to the 32-bit equivalents of the Zcb chapter', () => {
  const pairs = zcbPairs();
  assert.equal(new Set(pairs.map(([n]) => n)).size, ZCB.length);
  for (const [name, c, w] of pairs) {
    assert.equal(ALL.insn(c)?.name, name, hex(c, 4));
    assert.equal(hex(ALL.expand(c), 8), hex(w, 8), `${name} ${hex(c, 4)}`);
    assert.equal(RV64C.expand(c), 0, `${name} ${hex(c, 4)} without Zcb`);
  }
});

test('C.MOP.n expands to a no-op with Zcmop, and is the reserved c.lui xn, 0 without', () => {
  for (const [name, bits] of C_MOPS) {
    const c = parseInt(bits, 2);
    assert.equal(ALL.insn(c)?.name, name);
    assert.equal(ALL.expand(c), NOP, name);
    assert.equal(RV64C.insn(c)?.name, 'c.lui');
    assert.equal(RV64C.expand(c), 0, `${name} without Zcmop`);
  }
  // c.lui x2, 0 is c.addi16sp with nzimm = 0 (reserved); even rd and rd >= 16 stay reserved.
  for (const c of words('011 0 ..... 00000 01')) {
    const n = (c >>> 7) & 31;
    if (n % 2 === 1 && n < 16) continue;
    assert.equal(ALL.expand(c), 0, `c.lui x${n}, 0`);
  }
});

test("a profile's decoder expands only its own compressed instructions", () => {
  const sextB = 0x9c61 | (1 << 2); // c.sext.b x8
  const zextW = 0x9c61 | (4 << 2); // c.zext.w x8
  const mul = 0x9c41 | (1 << 2); // c.mul x8, x9
  const lbu = 0x8000 | (1 << 7) | (2 << 2); // c.lbu x10, 0(x9)
  const mop = parseInt(C_MOPS[0][1], 2);
  const max = isaProfile('max').decoder;
  // With Zcb: the expansion decodes (Zbb, Zba and M are on).
  for (const [c, name] of [
    [sextB, 'sext.b'],
    [zextW, 'add.uw'],
    [mul, 'mul'],
    [lbu, 'lbu'],
    [mop, 'addi'],
  ] as const)
    assert.equal(max.find(max.expand(c))?.name, name, hex(c, 4));
  // Without Zcb (or Zcmop) the halfword is illegal: it expands to 0.
  const noZcb = isaProfile('max,zcb=off').decoder;
  for (const c of [sextB, zextW, mul, lbu]) assert.equal(noZcb.expand(c), 0, `${hex(c, 4)} with zcb=off`);
  assert.equal(noZcb.expand(mop), NOP);
  assert.equal(isaProfile('max,zcmop=off').decoder.expand(mop), 0);
  for (const c of [sextB, lbu, mop]) assert.equal(isaProfile('rv64gc').decoder.expand(c), 0);
  // Zcb on, but the extension of the equivalent off: the 32-bit word does not decode, so the
  // halfword is illegal still ("C.SEXT.B: Zbb is also required").
  const noZbb = isaProfile('max,zbb=off').decoder;
  assert.equal(noZbb.find(noZbb.expand(sextB)), undefined);
  assert.equal(noZbb.find(noZbb.expand(0x9c61))?.name, 'andi', 'c.zext.b needs no Zbb');
  const noZba = isaProfile('max,zba=off').decoder;
  assert.equal(noZba.find(noZba.expand(zextW)), undefined);
  const noM = isaProfile('max,m=off').decoder;
  assert.equal(noM.find(noM.expand(mul)), undefined);
});
