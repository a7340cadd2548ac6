// The primitive operations integer instructions compute, each with its two implementations side
// by side: on int32 pairs for the interpreter (core/u64.ts) and on i64 for the WebAssembly
// translator and cold interpreter. An instruction names its primitive in its table entry
// (isa/sem.ts); a new primitive is one object here or beside the table of its extension, never a
// case in a backend's switch, so that an instruction is added in one place (as TCG ops are).

import {
  carry,
  div,
  divu,
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
import { type Code, I32, I64, Op } from '../../../core/wasm/encode.js';

/** Where WebAssembly code finds scratch i64 locals (n < 4): a block's builder, or the cold interpreter. */
export interface Temps {
  tmp(n: number): number;
}

/** Code that pops its operands (a below b) and pushes the result. */
export type WasmOp = (c: Code, t: Temps) => void;

/**
 * A 64-bit operation (a, b) -> result. `js` takes the operands as int32 halves and returns the
 * low half, leaving the high half in `out.hi`; `wasm` works on two i64. Shift amounts are the
 * low 6 bits of b; unary operations ignore b; comparisons give 0 or 1.
 */
export interface Prim {
  readonly name: string;
  readonly js: (al: number, ah: number, bl: number, bh: number) => number;
  readonly wasm: WasmOp;
}

/** A 32-bit operation of the *W instructions on the low words: `js` on int32, `wasm` on two i32. */
export interface Prim32 {
  readonly name: string;
  readonly js: (a: number, b: number) => number;
  readonly wasm: WasmOp;
}

/** A comparison of two 64-bit values (branches): `wasm` pops two i64 and pushes an i32. */
export interface Cmp {
  readonly name: string;
  readonly js: (al: number, ah: number, bl: number, bh: number) => boolean;
  readonly wasm: WasmOp;
}

/** WebAssembly code that is a fixed sequence of instructions. */
export const ops =
  (...list: Op[]): WasmOp =>
  (c) => {
    for (const o of list) c.op(o);
  };

/** Pop b then a into scratch locals; returns their indices. */
export function operands(c: Code, t: Temps): [number, number] {
  const A = t.tmp(0),
    B = t.tmp(1);
  c.set(B).set(A);
  return [A, B];
}

/**
 * The high 64 bits of the 128-bit product, from four 32x32-bit products: the unsigned high word,
 * then minus b when a is negative and minus a when b is (for signed operands).
 */
const mulHigh =
  (signedA: boolean, signedB: boolean): WasmOp =>
  (c, t) => {
    const [A, B] = operands(c, t);
    const M1 = t.tmp(2),
      M2 = t.tmp(3);
    const lo32 = 0xffffffff;
    // m1 = hi(a) * lo(b) + hi(lo(a) * lo(b)): no overflow, (2^32-1)^2 + 2^32-1 < 2^64.
    c.get(A).i64(32).op(Op.i64_shr_u).get(B).i64(lo32).op(Op.i64_and).op(Op.i64_mul);
    c.get(A).i64(lo32).op(Op.i64_and).get(B).i64(lo32).op(Op.i64_and).op(Op.i64_mul);
    c.i64(32).op(Op.i64_shr_u).op(Op.i64_add).set(M1);
    // m2 = lo(a) * hi(b) + lo(m1)
    c.get(A).i64(lo32).op(Op.i64_and).get(B).i64(32).op(Op.i64_shr_u).op(Op.i64_mul);
    c.get(M1).i64(lo32).op(Op.i64_and).op(Op.i64_add).set(M2);
    // hi(a) * hi(b) + hi(m1) + hi(m2)
    c.get(A).i64(32).op(Op.i64_shr_u).get(B).i64(32).op(Op.i64_shr_u).op(Op.i64_mul);
    c.get(M1).i64(32).op(Op.i64_shr_u).op(Op.i64_add).get(M2).i64(32).op(Op.i64_shr_u).op(Op.i64_add);
    if (signedA) c.get(A).i64(63).op(Op.i64_shr_s).get(B).op(Op.i64_and).op(Op.i64_sub);
    if (signedB) c.get(B).i64(63).op(Op.i64_shr_s).get(A).op(Op.i64_and).op(Op.i64_sub);
  };

/**
 * Division and remainder with the M chapter's results for a zero divisor (quotient all ones,
 * remainder the dividend) and signed overflow (quotient the dividend, remainder 0), where
 * WebAssembly's div traps. `w`: the 32-bit forms, on i32 operands.
 */
const divide =
  (kind: 'div' | 'divu' | 'rem' | 'remu', w: boolean): WasmOp =>
  (c, t) => {
    // The scratch locals are i64: 32-bit operands are kept sign-extended and wrapped on use.
    if (w) {
      const T = t.tmp(1);
      c.op(Op.i64_extend_i32_s).set(T).op(Op.i64_extend_i32_s).get(T);
    }
    const [A, B] = operands(c, t);
    const type = w ? I32 : I64;
    const lhs = (): void => {
      c.get(A);
      if (w) c.op(Op.i32_wrap_i64);
    };
    const rhs = (): void => {
      c.get(B);
      if (w) c.op(Op.i32_wrap_i64);
    };
    c.get(B).op(Op.i64_eqz).begin(Op.if, type);
    if (kind === 'div' || kind === 'divu') {
      if (w) c.i32(-1);
      else c.i64(-1);
    } else lhs();
    c.op(Op.else);
    if (kind === 'div') {
      // Overflow (most negative / -1): the dividend, as a 0 - a would give.
      c.get(B).i64(-1).op(Op.i64_eq).begin(Op.if, type);
      if (w) c.i32(0);
      else c.i64(0);
      lhs();
      c.op(w ? Op.i32_sub : Op.i64_sub).op(Op.else);
      lhs();
      rhs();
      c.op(w ? Op.i32_div_s : Op.i64_div_s).op(Op.end);
    } else {
      // rem of the overflow case is 0, which WebAssembly's rem_s gives without trapping.
      lhs();
      rhs();
      const codes = {
        divu: [Op.i32_div_u, Op.i64_div_u],
        rem: [Op.i32_rem_s, Op.i64_rem_s],
        remu: [Op.i32_rem_u, Op.i64_rem_u],
      };
      c.op(codes[kind][w ? 0 : 1]);
    }
    c.op(Op.end);
  };

/** A primitive from its two implementations (the tables of the extensions make theirs with it). */
export const prim = (name: string, js: Prim['js'], wasm: WasmOp): Prim => ({ name, js, wasm });
export const prim32 = (name: string, js: Prim32['js'], wasm: WasmOp): Prim32 => ({ name, js, wasm });

/** The primitives of RV64I and RV64M. */
export const P = {
  add: prim(
    'add',
    (al, ah, bl, bh) => {
      const lo = (al + bl) | 0;
      out.hi = (ah + bh + carry(lo, al)) | 0;
      return lo;
    },
    ops(Op.i64_add),
  ),
  sub: prim('sub', sub, ops(Op.i64_sub)),
  sll: prim('sll', (al, ah, bl) => sll(al, ah, bl), ops(Op.i64_shl)),
  srl: prim('srl', (al, ah, bl) => srl(al, ah, bl), ops(Op.i64_shr_u)),
  sra: prim('sra', (al, ah, bl) => sra(al, ah, bl), ops(Op.i64_shr_s)),
  slt: prim(
    'slt',
    (al, ah, bl, bh) => {
      out.hi = 0;
      return lt(al, ah, bl, bh) ? 1 : 0;
    },
    ops(Op.i64_lt_s, Op.i64_extend_i32_u),
  ),
  sltu: prim(
    'sltu',
    (al, ah, bl, bh) => {
      out.hi = 0;
      return ltu(al, ah, bl, bh) ? 1 : 0;
    },
    ops(Op.i64_lt_u, Op.i64_extend_i32_u),
  ),
  xor: prim(
    'xor',
    (al, ah, bl, bh) => {
      out.hi = ah ^ bh;
      return al ^ bl;
    },
    ops(Op.i64_xor),
  ),
  or: prim(
    'or',
    (al, ah, bl, bh) => {
      out.hi = ah | bh;
      return al | bl;
    },
    ops(Op.i64_or),
  ),
  and: prim(
    'and',
    (al, ah, bl, bh) => {
      out.hi = ah & bh;
      return al & bl;
    },
    ops(Op.i64_and),
  ),
  mul: prim('mul', mul, ops(Op.i64_mul)),
  mulh: prim('mulh', mulh, mulHigh(true, true)),
  mulhsu: prim('mulhsu', mulhsu, mulHigh(true, false)),
  mulhu: prim('mulhu', mulhu, mulHigh(false, false)),
  div: prim('div', div, divide('div', false)),
  divu: prim('divu', divu, divide('divu', false)),
  rem: prim('rem', rem, divide('rem', false)),
  remu: prim('remu', remu, divide('remu', false)),
} as const;

/** The 32-bit primitives of RV64I and RV64M (division as in the M chapter's table). */
export const P32 = {
  add: prim32('add', (a, b) => (a + b) | 0, ops(Op.i32_add)),
  sub: prim32('sub', (a, b) => (a - b) | 0, ops(Op.i32_sub)),
  sll: prim32('sll', (a, b) => a << b, ops(Op.i32_shl)),
  srl: prim32('srl', (a, b) => (a >>> b) | 0, ops(Op.i32_shr_u)),
  sra: prim32('sra', (a, b) => a >> b, ops(Op.i32_shr_s)),
  mul: prim32('mul', Math.imul, ops(Op.i32_mul)),
  div: prim32('div', (a, b) => (b === 0 ? -1 : b === -1 ? -a | 0 : (a / b) | 0), divide('div', true)),
  divu: prim32(
    'divu',
    (a, b) => (b === 0 ? -1 : Math.floor((a >>> 0) / (b >>> 0)) | 0),
    divide('divu', true),
  ),
  rem: prim32('rem', (a, b) => (b === 0 ? a : b === -1 ? 0 : (a % b) | 0), divide('rem', true)),
  remu: prim32('remu', (a, b) => (b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0), divide('remu', true)),
} as const;

const cmp = (name: string, js: Cmp['js'], op: Op): Cmp => ({ name, js, wasm: ops(op) });

/** The branch comparisons. */
export const CMP = {
  eq: cmp('eq', (al, ah, bl, bh) => al === bl && ah === bh, Op.i64_eq),
  ne: cmp('ne', (al, ah, bl, bh) => al !== bl || ah !== bh, Op.i64_ne),
  lt: cmp('lt', lt, Op.i64_lt_s),
  ge: cmp('ge', (al, ah, bl, bh) => !lt(al, ah, bl, bh), Op.i64_ge_s),
  ltu: cmp('ltu', ltu, Op.i64_lt_u),
  geu: cmp('geu', (al, ah, bl, bh) => !ltu(al, ah, bl, bh), Op.i64_ge_u),
} as const;
