// The WebAssembly backend of isa/sem.ts: code for each kind of integer semantics and each
// primitive, on i64 values. Instructions without `sem` (and every slow path) run the
// interpreter's `exec` through the helper.

import { immB, immI, immJ, immS, immU, rd, rs1, rs2 } from '../../isa/fields.js';
import type { AmoOp, Cmp, Prim, Prim32, Rhs, Sem } from '../../isa/sem.js';
import { type Code, I32, I64, Op } from './encode.js';
import type { BlockBuilder } from './translate.js';

export type Emit = (b: BlockBuilder) => void;

/** Where a primitive finds its scratch i64 locals (n < 4): a block's builder, or the cold interpreter. */
export interface Temps {
  tmp(n: number): number;
}

/** A primitive pops its two operands (a below b) and pushes the result. */
type PrimEmit = (c: Code, b: Temps) => void;

const op =
  (...ops: Op[]): PrimEmit =>
  (c) => {
    for (const o of ops) c.op(o);
  };

/** Pop b then a into scratch locals; returns their indices. */
function operands(c: Code, b: Temps): [number, number] {
  const A = b.tmp(0),
    B = b.tmp(1);
  c.set(B).set(A);
  return [A, B];
}

/**
 * The high 64 bits of the 128-bit product, from four 32x32-bit products: the unsigned high word,
 * then minus b when a is negative and minus a when b is (for signed operands).
 */
const mulHigh =
  (signedA: boolean, signedB: boolean): PrimEmit =>
  (c, b) => {
    const [A, B] = operands(c, b);
    const M1 = b.tmp(2),
      M2 = b.tmp(3);
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
  (kind: 'div' | 'divu' | 'rem' | 'remu', w: boolean): PrimEmit =>
  (c, b) => {
    // The scratch locals are i64: 32-bit operands are kept sign-extended and wrapped on use.
    if (w) {
      const T = b.tmp(1);
      c.op(Op.i64_extend_i32_s).set(T).op(Op.i64_extend_i32_s).get(T);
    }
    const [A, B] = operands(c, b);
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
      const ops = {
        divu: [Op.i32_div_u, Op.i64_div_u],
        rem: [Op.i32_rem_s, Op.i64_rem_s],
        remu: [Op.i32_rem_u, Op.i64_rem_u],
      };
      c.op(ops[kind][w ? 0 : 1]);
    }
    c.op(Op.end);
  };

export const PRIM: Record<Prim, PrimEmit> = {
  add: op(Op.i64_add),
  sub: op(Op.i64_sub),
  sll: op(Op.i64_shl),
  srl: op(Op.i64_shr_u),
  sra: op(Op.i64_shr_s),
  slt: op(Op.i64_lt_s, Op.i64_extend_i32_u),
  sltu: op(Op.i64_lt_u, Op.i64_extend_i32_u),
  xor: op(Op.i64_xor),
  or: op(Op.i64_or),
  and: op(Op.i64_and),
  mul: op(Op.i64_mul),
  mulh: mulHigh(true, true),
  mulhsu: mulHigh(true, false),
  mulhu: mulHigh(false, false),
  div: divide('div', false),
  divu: divide('divu', false),
  rem: divide('rem', false),
  remu: divide('remu', false),
};

export const PRIM32: Record<Prim32, PrimEmit> = {
  add: op(Op.i32_add),
  sub: op(Op.i32_sub),
  sll: op(Op.i32_shl),
  srl: op(Op.i32_shr_u),
  sra: op(Op.i32_shr_s),
  mul: op(Op.i32_mul),
  div: divide('div', true),
  divu: divide('divu', true),
  rem: divide('rem', true),
  remu: divide('remu', true),
};

export const CMP: Record<Cmp, Op> = {
  eq: Op.i64_eq,
  ne: Op.i64_ne,
  lt: Op.i64_lt_s,
  ge: Op.i64_ge_s,
  ltu: Op.i64_lt_u,
  geu: Op.i64_ge_u,
};

/** Push the second operand as an i64 (w: as an i32). */
function pushRhs(b: BlockBuilder, rhs: Rhs, w: boolean): void {
  const i = b.word;
  if (rhs === 'rs2') {
    b.x(rs2(i));
    if (w) b.c.op(Op.i32_wrap_i64);
    return;
  }
  const v = rhs === 'immI' ? immI(i) : rhs === 'shamt6' ? (i >>> 20) & 63 : (i >>> 20) & 31;
  if (w) b.c.i32(v);
  else b.c.i64(v);
}

/** The code for an instruction with semantics `sem`. */
export function emitterFor(sem: Sem): Emit {
  switch (sem.kind) {
    case 'op': {
      const prim = PRIM[sem.prim];
      return (b) =>
        b.setX(rd(b.word), () => {
          b.x(rs1(b.word));
          pushRhs(b, sem.rhs, false);
          prim(b.c, b);
        });
    }
    case 'op32': {
      const prim = PRIM32[sem.prim];
      return (b) =>
        b.setX(rd(b.word), () => {
          b.x(rs1(b.word));
          b.c.op(Op.i32_wrap_i64);
          pushRhs(b, sem.rhs, true);
          prim(b.c, b);
          b.c.op(Op.i64_extend_i32_s);
        });
    }
    case 'lui':
      return (b) => b.setX(rd(b.word), () => b.c.i64(immU(b.word)));
    case 'auipc':
      return (b) => b.setX(rd(b.word), () => b.c.i64(b.pc + immU(b.word)));
    case 'jal':
      return (b) => b.jump(rd(b.word), b.pc + immJ(b.word));
    case 'jalr':
      return (b) => {
        b.x(rs1(b.word));
        b.c.i64(immI(b.word)).op(Op.i64_add).i64(-2).op(Op.i64_and);
        b.setT0();
        b.jump(rd(b.word), undefined);
      };
    case 'branch': {
      const cmp = CMP[sem.cmp];
      return (b) => {
        const i = b.word;
        b.branch(() => {
          b.x(rs1(i));
          b.x(rs2(i));
          b.c.op(cmp);
        }, immB(i));
      };
    }
    case 'load':
      return (b) => b.load(rd(b.word), rs1(b.word), immI(b.word), sem.bytes, sem.signed);
    case 'store':
      return (b) => b.store(rs1(b.word), rs2(b.word), immS(b.word), sem.bytes);
    case 'nop':
      return () => {};
    case 'amo': {
      const combine = AMO[sem.op];
      const w = sem.bytes === 4;
      return (b) =>
        b.amo(rd(b.word), rs1(b.word), rs2(b.word), sem.bytes, (old, src) => combine(b.c, old, src, w));
    }
    case 'lr':
      return (b) => b.lr(rd(b.word), rs1(b.word), sem.bytes);
    case 'sc':
      return (b) => b.sc(rd(b.word), rs1(b.word), rs2(b.word), sem.bytes);
  }
}

/**
 * The value an AMO stores, pushed from locals `a` (the old value, sign-extended for words) and
 * `b` (x[rs2]); `w`: the word forms, which compare the low 32 bits.
 */
type AmoEmit = (c: Code, a: number, b: number, w: boolean) => void;

/** Push a if `cmp`(a, b) holds, else b: on i64, or on the low words (w). */
const pick =
  (cmp64: Op, cmp32: Op): AmoEmit =>
  (c, a, b, w) => {
    c.get(a).get(b).get(a);
    if (w) c.op(Op.i32_wrap_i64);
    c.get(b);
    if (w) c.op(Op.i32_wrap_i64);
    c.op(w ? cmp32 : cmp64).op(Op.select);
  };

const AMO: Record<AmoOp, AmoEmit> = {
  swap: (c, _a, b) => c.get(b),
  add: (c, a, b) => c.get(a).get(b).op(Op.i64_add),
  xor: (c, a, b) => c.get(a).get(b).op(Op.i64_xor),
  and: (c, a, b) => c.get(a).get(b).op(Op.i64_and),
  or: (c, a, b) => c.get(a).get(b).op(Op.i64_or),
  min: pick(Op.i64_lt_s, Op.i32_lt_s),
  max: pick(Op.i64_gt_s, Op.i32_gt_s),
  minu: pick(Op.i64_lt_u, Op.i32_lt_u),
  maxu: pick(Op.i64_gt_u, Op.i32_gt_u),
};
