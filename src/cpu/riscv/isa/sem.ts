// Declarative semantics for the integer instructions of RV64I and RV64M: what each one computes,
// said once, as a primitive operation on operands named by the instruction's fields. Two
// backends make code from it: the interpreter's `exec` (here, on int32 pairs) and the
// WebAssembly translator's emitter (jit/wasm/ops.ts, on i64). A backend implements each primitive
// (a 64-bit add, a high multiply) for its host, as QEMU's TCG backends implement TCG ops; which
// primitive an instruction uses, on which operands, with which extension, is written only here.

import {
  carry,
  div,
  divu,
  fromNum,
  lt,
  ltu,
  mul,
  mulh,
  mulhsu,
  mulhu,
  out,
  rem,
  remu,
  sll,
  sra,
  srl,
  sub,
} from '../../../core/u64.js';
import { immB, immI, immJ, immS, immU, rd, rs1, rs2 } from './fields.js';
import type { Exec, Format, InsnSpec } from './types.js';

/** 64-bit operations: (a, b) -> result; shifts use the low 6 bits of b, comparisons give 0/1. */
export type Prim =
  | 'add'
  | 'sub'
  | 'sll'
  | 'slt'
  | 'sltu'
  | 'xor'
  | 'srl'
  | 'sra'
  | 'or'
  | 'and'
  | 'mul'
  | 'mulh'
  | 'mulhsu'
  | 'mulhu'
  | 'div'
  | 'divu'
  | 'rem'
  | 'remu';
/** 32-bit operations of the *W instructions, on the low words; the result is sign-extended. */
export type Prim32 = 'add' | 'sub' | 'sll' | 'srl' | 'sra' | 'mul' | 'div' | 'divu' | 'rem' | 'remu';
export type Cmp = 'eq' | 'ne' | 'lt' | 'ge' | 'ltu' | 'geu';

/**
 * What an AMO stores, from the old memory value a and x[rs2] b: b, a + b, ..., the signed or
 * unsigned minimum or maximum. The word forms work on the low 32 bits, sign-extended.
 */
export type AmoOp = 'swap' | 'add' | 'xor' | 'and' | 'or' | 'min' | 'max' | 'minu' | 'maxu';

/** The second operand: x[rs2], the I-immediate, or a shift amount field. */
export type Rhs = 'rs2' | 'immI' | 'shamt6' | 'shamt5';

export type Sem =
  /** x[rd] = prim(x[rs1], rhs) */
  | { readonly kind: 'op'; readonly prim: Prim; readonly rhs: Rhs }
  /** x[rd] = sext32(prim32(x[rs1][31:0], rhs[31:0])) */
  | { readonly kind: 'op32'; readonly prim: Prim32; readonly rhs: Rhs }
  | { readonly kind: 'lui' }
  | { readonly kind: 'auipc' }
  | { readonly kind: 'jal' }
  | { readonly kind: 'jalr' }
  /** pc = pc + immB when cmp(x[rs1], x[rs2]) */
  | { readonly kind: 'branch'; readonly cmp: Cmp }
  /** x[rd] = extend(mem[x[rs1] + immI], bytes) */
  | { readonly kind: 'load'; readonly bytes: 1 | 2 | 4 | 8; readonly signed: boolean }
  /** mem[x[rs1] + immS] = x[rs2][bytes*8-1:0] */
  | { readonly kind: 'store'; readonly bytes: 1 | 2 | 4 | 8 }
  /** No architectural effect in this implementation (FENCE: every access is in program order). */
  | { readonly kind: 'nop' }
  /** Atomically: t = sext(mem[x[rs1]], bytes); mem[x[rs1]] = op(t, x[rs2]); x[rd] = t (naturally aligned) */
  | { readonly kind: 'amo'; readonly op: AmoOp; readonly bytes: 4 | 8 }
  /** x[rd] = sext(mem[x[rs1]], bytes); reserve that address (naturally aligned) */
  | { readonly kind: 'lr'; readonly bytes: 4 | 8 }
  /** If the address x[rs1] is reserved: mem[x[rs1]] = x[rs2], x[rd] = 0; else x[rd] = 1. No reservation after. */
  | { readonly kind: 'sc'; readonly bytes: 4 | 8 };

/** A table entry whose `exec` is made from its semantics. */
export function semInsn(
  name: string,
  match: number,
  mask: number,
  ext: 'I' | 'M' | 'A',
  format: Format,
  sem: Sem,
): InsnSpec {
  return { name, match, mask, ext, format, sem, exec: interpExec(name, sem) };
}

// ---- The interpreter's backend: int32 pairs (core/u64.ts) -------------------------------------

type P64 = (al: number, ah: number, bl: number, bh: number) => number;
const JS_PRIM: Record<Prim, P64> = {
  add: (al, ah, bl, bh) => {
    const lo = (al + bl) | 0;
    out.hi = (ah + bh + carry(lo, al)) | 0;
    return lo;
  },
  sub,
  sll: (al, ah, bl) => sll(al, ah, bl),
  srl: (al, ah, bl) => srl(al, ah, bl),
  sra: (al, ah, bl) => sra(al, ah, bl),
  slt: (al, ah, bl, bh) => {
    out.hi = 0;
    return lt(al, ah, bl, bh) ? 1 : 0;
  },
  sltu: (al, ah, bl, bh) => {
    out.hi = 0;
    return ltu(al, ah, bl, bh) ? 1 : 0;
  },
  xor: (al, ah, bl, bh) => {
    out.hi = ah ^ bh;
    return al ^ bl;
  },
  or: (al, ah, bl, bh) => {
    out.hi = ah | bh;
    return al | bl;
  },
  and: (al, ah, bl, bh) => {
    out.hi = ah & bh;
    return al & bl;
  },
  mul,
  mulh,
  mulhsu,
  mulhu,
  div,
  divu,
  rem,
  remu,
};

/** Division by zero and overflow as in the M chapter's table. */
const JS_PRIM32: Record<Prim32, (a: number, b: number) => number> = {
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  sll: (a, b) => a << b,
  srl: (a, b) => (a >>> b) | 0,
  sra: (a, b) => a >> b,
  mul: Math.imul,
  div: (a, b) => (b === 0 ? -1 : b === -1 ? -a | 0 : (a / b) | 0),
  divu: (a, b) => (b === 0 ? -1 : Math.floor((a >>> 0) / (b >>> 0)) | 0),
  rem: (a, b) => (b === 0 ? a : b === -1 ? 0 : (a % b) | 0),
  remu: (a, b) => (b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0),
};

const JS_CMP: Record<Cmp, (al: number, ah: number, bl: number, bh: number) => boolean> = {
  eq: (al, ah, bl, bh) => al === bl && ah === bh,
  ne: (al, ah, bl, bh) => al !== bl || ah !== bh,
  lt,
  ge: (al, ah, bl, bh) => !lt(al, ah, bl, bh),
  ltu,
  geu: (al, ah, bl, bh) => !ltu(al, ah, bl, bh),
};

/** Source of the second operand (lo, hi) in an exec body, for `rhs`. */
const RHS_SRC: Record<Rhs, string> = {
  rs2: 'x[b], x[b + 1]',
  immI: 'i >> 20, i >> 31',
  shamt6: '(i >>> 20) & 63, 0',
  shamt5: '(i >>> 20) & 31, 0',
};

/**
 * The interpreter's `exec` for `sem`. Each one is compiled from its own source text, so that V8
 * keeps separate type feedback per instruction and inlines the primitive: a shared closure
 * would make every primitive call site megamorphic (and the translator inlines `exec` too).
 */
function interpExec(name: string, sem: Sem): Exec {
  const id = name.replace(/\W/g, '_');
  const make = (params: string[], body: string, ...args: unknown[]): Exec =>
    new Function(...params, `return function ${id}(h, i) {\n${body}\n};`)(...args) as Exec;
  const fields = 'const x = h.x, a = ((i >>> 15) & 31) << 1, b = ((i >>> 20) & 31) << 1, d = (i >>> 7) & 31;';
  switch (sem.kind) {
    case 'op':
      return make(
        ['P', 'out'],
        `${fields}\nh.setX(d, P(x[a], x[a + 1], ${RHS_SRC[sem.rhs]}), out.hi);`,
        JS_PRIM[sem.prim],
        out,
      );
    case 'op32': {
      const rhs = sem.rhs === 'rs2' ? 'x[b]' : RHS_SRC[sem.rhs].split(',')[0];
      return make(['P'], `${fields}\nh.setX32(d, P(x[a], ${rhs}));`, JS_PRIM32[sem.prim]);
    }
    case 'branch':
      return make(
        ['C', 'immB'],
        `${fields}\nif (C(x[a], x[a + 1], x[b], x[b + 1])) h.npc = h.pc + immB(i);`,
        JS_CMP[sem.cmp],
        immB,
      );
    case 'load':
      return make(
        ['rd', 'rs1', 'immI'],
        `h.load(rd(i), h.addr(rs1(i), immI(i)), ${sem.bytes}, ${sem.signed});`,
        rd,
        rs1,
        immI,
      );
    case 'store':
      return make(
        ['rs1', 'rs2', 'immS'],
        `const b = rs2(i) << 1;\nh.store(h.addr(rs1(i), immS(i)), ${sem.bytes}, h.x[b], ${sem.bytes === 8 ? 'h.x[b + 1]' : '0'});`,
        rs1,
        rs2,
        immS,
      );
    case 'lui':
      return (h, i) => h.setX32(rd(i), immU(i));
    case 'auipc':
      return (h, i) => h.setX(rd(i), fromNum(h.pc + immU(i)), out.hi);
    case 'jal':
      return (h, i) => {
        const link = h.npc;
        h.npc = h.pc + immJ(i);
        h.setX(rd(i), fromNum(link), out.hi);
      };
    case 'jalr':
      return (h, i) => {
        const t = h.addr(rs1(i), immI(i));
        const link = h.npc;
        h.npc = t - (t & 1);
        h.setX(rd(i), fromNum(link), out.hi);
      };
    case 'nop':
      return () => {};
    case 'amo':
    case 'lr':
    case 'sc':
      // The hart carries it out (amo.ts): it needs the MMU and the reservation.
      return (h, i) => h.amo(i, sem);
  }
}
