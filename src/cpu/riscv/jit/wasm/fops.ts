// The WebAssembly backend of isa/fsem.ts: F and D instructions computed in place for the cases
// that decide themselves with native binary64 arithmetic, the rest (and every Zfh and Zfa
// instruction) through the helper (the interpreter's `exec`, fpu/fpu.ts), exactly as the FPU's
// own fast paths split them.
//
// WebAssembly floating point is IEEE 754 round-to-nearest-even without flags, so a fast path
// runs only in RNE (or where the result is exact in every mode) and decides NX with an
// error-free transformation (TwoSum, Dekker's TwoProduct): the same algorithms and the same
// guards as fpu/fpu.ts, ops64.ts and fast.ts, in the same order of operations. Results that may
// be NaN, infinite, subnormal or tiny leave for the helper, which raises the other flags.
// Single precision is computed in binary64 and rounded once more (exact by the 2p + 2 rule where
// rneF32 allows it). FS must already be Dirty and frm valid: the AREA_FPMODE word says so.

import { immI, immS, rd, rmField, rs1, rs2, rs3 } from '../../isa/fields.js';
import type { Fmt, FSem, InsnFacts } from '../../isa/types.js';
import { MAX_S, RDN, RMM, RNE, RTZ, RUP } from '../../fpu/bits.js';
import { BIG, HI, LO, MIN_NORMAL_S } from '../../fpu/fast.js';
import { Op } from '../../../../core/wasm/encode.js';
import { AREA_F, AREA_FFLAGS, AREA_FPMODE } from '../../area.js';
import type { BlockBuilder, Emit } from './builder.js';

/** The dynamic rounding-mode field value. */
const DYN = 7;
/** Veltkamp's splitting constant 2^27 + 1 (fpu/exact.ts). */
const SPLIT = 134217729;
/** The upper word of a NaN-boxed binary32. */
const BOX = -(2n ** 32n);

/**
 * What the fast path needs of the rounding mode: none (the instruction has no rm field), RNE (the
 * result is rounded natively), or any valid mode (the result is exact, or the code rounds itself).
 */
type Rounding = 'none' | 'rne' | 'any';

/** Whether an instruction word can take the fast path at all (rm 5 and 6 are illegal). */
function rmSupported(word: number, r: Rounding): boolean {
  const rm = rmField(word);
  if (r === 'none') return true;
  if (r === 'rne') return rm === RNE || rm === DYN;
  return rm <= 4 || rm === DYN;
}

/** Leave for the helper (br_if 0) unless FS is Dirty and the rounding mode suits `r`. */
function guard(b: BlockBuilder, r: Rounding): void {
  const c = b.c;
  b.area();
  c.mem(Op.i32_load, AREA_FPMODE);
  if (r !== 'none' && rmField(b.word) === DYN) {
    // frm itself must be RNE, or any valid mode (-1 and 5..7 fail the unsigned test).
    if (r === 'rne') c.i32(0).op(Op.i32_ne);
    else c.i32(4).op(Op.i32_gt_u);
  } else c.i32(0).op(Op.i32_lt_s);
  c.br(Op.br_if, 0);
}

/** Leave for the helper unless the i32 that `cond` pushes is nonzero. */
function need(b: BlockBuilder, cond: () => void): void {
  cond();
  b.c.op(Op.i32_eqz).br(Op.br_if, 0);
}

/** Push f[r] as binary64. */
function getD(b: BlockBuilder, r: number): void {
  b.area();
  b.c.mem(Op.f64_load, AREA_F + 8 * r);
}

/** f[r] as binary32 widened into local `l`, or leave when f[r] is not NaN-boxed. */
function loadS(b: BlockBuilder, r: number, l: number): void {
  b.area();
  b.c
    .mem(Op.i32_load, AREA_F + 8 * r + 4)
    .i32(-1)
    .op(Op.i32_ne)
    .br(Op.br_if, 0);
  b.area();
  b.c
    .mem(Op.f32_load, AREA_F + 8 * r)
    .op(Op.f64_promote_f32)
    .set(l);
}

function loadF(b: BlockBuilder, fmt: Fmt, r: number, l: number): void {
  if (fmt === 'S') loadS(b, r, l);
  else {
    getD(b, r);
    b.c.set(l);
  }
}

/** f[rd] = local `l` (binary64, or binary32 held exactly in it, NaN-boxed). */
function putF(b: BlockBuilder, fmt: Fmt, l: number): void {
  const c = b.c;
  const at = AREA_F + 8 * rd(b.word);
  b.area();
  c.get(l);
  if (fmt === 'D') {
    c.mem(Op.f64_store, at);
    return;
  }
  c.op(Op.f32_demote_f64).mem(Op.f32_store, at);
  b.area();
  c.i32(-1).mem(Op.i32_store, at + 4);
}

/** fflags |= NX when the i32 that `inexact` pushes is 1 (NX is bit 0, the comparison's result). */
function accrueNX(b: BlockBuilder, inexact: () => void): void {
  b.area();
  b.area();
  b.c.mem(Op.i32_load, AREA_FFLAGS);
  inexact();
  b.c.op(Op.i32_or).mem(Op.i32_store, AREA_FFLAGS);
}

/** Push |local l| < k (false for NaN). */
function absBelow(b: BlockBuilder, l: number, k: number): void {
  b.c.get(l).op(Op.f64_abs).f64(k).op(Op.f64_lt);
}
function absAtLeast(b: BlockBuilder, l: number, k: number): void {
  b.c.get(l).op(Op.f64_abs).f64(k).op(Op.f64_ge);
}

/** Push the error of s = fl(a + b) (fpu/exact.ts twoSumErr). */
function twoSumErr(b: BlockBuilder, a: number, bb: number, s: number, tmp: number): void {
  const c = b.c;
  c.get(s).get(a).op(Op.f64_sub).set(tmp);
  c.get(a).get(s).get(tmp).op(Op.f64_sub).op(Op.f64_sub);
  c.get(bb).get(tmp).op(Op.f64_sub).op(Op.f64_add);
}

/** Push the error of p = fl(a * b) (fpu/exact.ts twoProdErr; same order of operations). */
function twoProdErr(b: BlockBuilder, a: number, bb: number, p: number): void {
  const c = b.c;
  const [AH, AL, BH, BL, T] = [b.ftmp(10), b.ftmp(11), b.ftmp(12), b.ftmp(13), b.ftmp(14)];
  const split = (x: number, hi: number, lo: number): void => {
    c.f64(SPLIT).get(x).op(Op.f64_mul).set(T);
    c.get(T).get(T).get(x).op(Op.f64_sub).op(Op.f64_sub).set(hi);
    c.get(x).get(hi).op(Op.f64_sub).set(lo);
  };
  split(a, AH, AL);
  split(bb, BH, BL);
  c.get(AH).get(BH).op(Op.f64_mul).get(p).op(Op.f64_sub);
  c.get(AH).get(BL).op(Op.f64_mul).op(Op.f64_add);
  c.get(AL).get(BH).op(Op.f64_mul).op(Op.f64_add);
  c.get(AL).get(BL).op(Op.f64_mul).op(Op.f64_add);
}

/**
 * fpu/fast.ts rneF32: round v (with err the sign of the exact value minus v) to binary32 into
 * local `r`, leaving for the helper when the result is not a normal binary32 or v is a
 * binary32 midpoint that err would have to break.
 */
function rneF32(b: BlockBuilder, v: number, err: number, r: number): void {
  const c = b.c;
  const w = b.ftmp(9);
  c.get(v).op(Op.f32_demote_f64).op(Op.f64_promote_f32).set(r);
  need(b, () => {
    c.get(r).op(Op.f64_abs).f64(MIN_NORMAL_S).op(Op.f64_gt);
    c.get(r).op(Op.f64_abs).f64(MAX_S).op(Op.f64_le).op(Op.i32_and);
    // An exact zero (Mandelbrot's first iterations) is its own rounding.
    c.get(v).f64(0).op(Op.f64_eq);
    c.get(err).f64(0).op(Op.f64_eq).op(Op.i32_and).op(Op.i32_or);
  });
  // w = r + 2 (v - r): the point symmetric to r about v.
  c.get(r).f64(2).get(v).get(r).op(Op.f64_sub).op(Op.f64_mul).op(Op.f64_add).set(w);
  c.get(err).f64(0).op(Op.f64_ne);
  c.get(r).get(v).op(Op.f64_ne).op(Op.i32_and);
  c.get(w).op(Op.f32_demote_f64).op(Op.f64_promote_f32).get(w).op(Op.f64_eq).op(Op.i32_and);
  c.br(Op.br_if, 0);
}

const ARITH: Record<'add' | 'sub' | 'mul' | 'div', Op> = {
  add: Op.f64_add,
  sub: Op.f64_sub,
  mul: Op.f64_mul,
  div: Op.f64_div,
};

/** f[rd] = f[rs1] op f[rs2] in RNE (fpu.ts addD ... divS). */
function arith(b: BlockBuilder, fmt: Fmt, op: 'add' | 'sub' | 'mul' | 'div'): void {
  const c = b.c;
  const [A, B, V, E, R, T] = [b.ftmp(0), b.ftmp(1), b.ftmp(2), b.ftmp(3), b.ftmp(4), b.ftmp(5)];
  loadF(b, fmt, rs1(b.word), A);
  loadF(b, fmt, rs2(b.word), B);
  if (op === 'sub') {
    // a - b is a + -b, as in the FPU (same TwoSum operands).
    c.get(B).op(Op.f64_neg).set(B);
  }
  c.get(A)
    .get(B)
    .op(ARITH[op === 'sub' ? 'add' : op])
    .set(V);
  if (op === 'add' || op === 'sub') {
    twoSumErr(b, A, B, V, T);
    c.set(E);
    if (fmt === 'D') need(b, () => c.get(V).get(V).op(Op.f64_sub).f64(0).op(Op.f64_eq));
  } else if (op === 'mul') {
    if (fmt === 'D') {
      // TwoProduct's range, or a zero factor (the other finite), which makes the product exact.
      const zero = (): void => {
        c.get(V).f64(0).op(Op.f64_eq);
        c.get(A).f64(0).op(Op.f64_eq).get(B).f64(0).op(Op.f64_eq).op(Op.i32_or).op(Op.i32_and);
      };
      need(b, () => {
        absAtLeast(b, V, LO);
        absBelow(b, V, BIG);
        absBelow(b, A, HI);
        absBelow(b, B, HI);
        c.op(Op.i32_and).op(Op.i32_and).op(Op.i32_and);
        zero();
        c.op(Op.i32_or);
      });
      c.f64(0);
      twoProdErr(b, A, B, V);
      zero();
      c.op(Op.select);
    } else c.f64(0); // a product of two binary32 values is exact in binary64
    c.set(E);
  } else {
    if (fmt === 'D') {
      need(b, () => absAtLeast(b, V, LO));
      need(b, () => absBelow(b, V, HI));
      need(b, () => absBelow(b, B, HI));
      need(b, () => absAtLeast(b, A, LO));
      need(b, () => absBelow(b, A, BIG));
    }
    // rem = a - p - TwoProduct error of p = q * b.
    c.get(V).get(B).op(Op.f64_mul).set(T);
    c.get(A).get(T).op(Op.f64_sub);
    twoProdErr(b, V, B, T);
    c.op(Op.f64_sub).set(E);
  }
  finish(b, fmt, V, E, R);
}

/** Store v (fmt D) or its binary32 rounding (fmt S) with NX as the error term e says. */
function finish(b: BlockBuilder, fmt: Fmt, v: number, e: number, r: number): void {
  const c = b.c;
  if (fmt === 'D') {
    accrueNX(b, () => c.get(e).f64(0).op(Op.f64_ne));
    putF(b, fmt, v);
    return;
  }
  rneF32(b, v, e, r);
  accrueNX(b, () => {
    c.get(r).get(v).op(Op.f64_ne);
    c.get(e).f64(0).op(Op.f64_ne).op(Op.i32_or);
  });
  putF(b, fmt, r);
}

/** f[rd] = sqrt(f[rs1]) in RNE (fpu.ts sqrtD, sqrtS). */
function sqrt(b: BlockBuilder, fmt: Fmt): void {
  const c = b.c;
  const [A, V, E, R, P] = [b.ftmp(0), b.ftmp(2), b.ftmp(3), b.ftmp(4), b.ftmp(5)];
  loadF(b, fmt, rs1(b.word), A);
  if (fmt === 'D') {
    need(b, () => c.get(A).f64(LO).op(Op.f64_ge));
    need(b, () => c.get(A).f64(HI).op(Op.f64_lt));
  }
  c.get(A).op(Op.f64_sqrt).set(V);
  c.get(V).get(V).op(Op.f64_mul).set(P);
  c.get(A).get(P).op(Op.f64_sub);
  twoProdErr(b, V, V, P);
  c.op(Op.f64_sub).set(E);
  finish(b, fmt, V, E, R);
}

/**
 * The fused multiply-adds in RNE. binary64: ops64.ts fmaFast64 (TwoProduct, then TwoSum three
 * times), keeping the results it proves are r (see below; the helper takes the rest) and zero
 * factors. binary32: fpu.ts fmaS.
 */
function fma(b: BlockBuilder, fmt: Fmt, negProd: boolean, negAdd: boolean): void {
  const c = b.c;
  const w = b.word;
  const [A, B, C, P, V, E, R, T] = [0, 1, 6, 7, 2, 3, 4, 5].map((n) => b.ftmp(n));
  loadF(b, fmt, rs1(w), A);
  loadF(b, fmt, rs2(w), B);
  loadF(b, fmt, rs3(w), C);
  if (negProd) c.get(A).op(Op.f64_neg).set(A);
  if (negAdd) c.get(C).op(Op.f64_neg).set(C);
  c.get(A).get(B).op(Op.f64_mul).set(P);
  if (fmt === 'S') {
    c.get(P).get(C).op(Op.f64_add).set(V);
    twoSumErr(b, P, C, V, T);
    c.set(E);
    finish(b, fmt, V, E, R);
    return;
  }
  // A zero factor, the other finite, leaves c exact (or a zero sum, which native addition signs
  // as IEEE 754 says for RNE): no flags unless c is a NaN, the helper's case.
  c.begin(Op.block);
  c.get(P).f64(0).op(Op.f64_ne);
  c.get(A).f64(0).op(Op.f64_ne).get(B).f64(0).op(Op.f64_ne).op(Op.i32_and).op(Op.i32_or);
  c.get(C).get(C).op(Op.f64_ne).op(Op.i32_or).br(Op.br_if, 0);
  c.get(P).get(C).op(Op.f64_add).set(R);
  putF(b, fmt, R);
  c.br(Op.br, 2); // out of the fast path's block, past the helper
  c.op(Op.end);
  need(b, () => absAtLeast(b, P, LO));
  need(b, () => absBelow(b, P, HI));
  need(b, () => absBelow(b, A, HI));
  need(b, () => absBelow(b, B, HI));
  need(b, () => absBelow(b, C, HI));
  const [PE, TH, TL, W, E1, E2] = [15, 16, 17, 18, 19, 20].map((n) => b.ftmp(n));
  twoProdErr(b, A, B, P);
  c.set(PE);
  c.get(P).get(C).op(Op.f64_add).set(TH);
  twoSumErr(b, P, C, TH, T);
  c.set(TL);
  c.get(TL).get(PE).op(Op.f64_add).set(W);
  c.get(TH).get(W).op(Op.f64_add).set(R);
  twoSumErr(b, TH, W, R, T);
  c.set(E1);
  twoSumErr(b, TL, PE, W, T);
  c.set(E2);
  // d = e1 + e2 has the sign of x - r and is 0 iff r is exact.
  c.get(E1).get(E2).op(Op.f64_add).set(E);
  need(b, () => absAtLeast(b, R, LO));
  need(b, () => absBelow(b, R, HI));
  const bits = b.tmp(0);
  c.get(R).op(Op.i64_reinterpret_f64).set(bits);
  // r is the rounding of x when exact (d = 0), when e2 = 0 (then x = th + w, of which r is the
  // native rounding, ties included), or when x is clearly nearest r: a significand other than
  // 1.0 (so the gap to either neighbour is an ulp) and |d| below half an ulp, 2^(E - 1076) for
  // biased exponent E.
  c.get(E).f64(0).op(Op.f64_eq);
  c.get(E2).f64(0).op(Op.f64_eq).op(Op.i32_or);
  c.get(bits).i64(0xfffffffffffffn).op(Op.i64_and).i64(0).op(Op.i64_ne);
  c.get(E).op(Op.f64_abs);
  c.get(bits)
    .i64(0x7ff0000000000000n)
    .op(Op.i64_and)
    .i64(53n << 52n)
    .op(Op.i64_sub);
  c.op(Op.f64_reinterpret_i64).op(Op.f64_lt).op(Op.i32_and).op(Op.i32_or);
  c.op(Op.i32_eqz).br(Op.br_if, 0);
  finish(b, fmt, R, E, V);
}

/** Sign injection on raw bits (fpu.ts sgnjD, sgnjS): never a flag. */
function sgnj(b: BlockBuilder, fmt: Fmt, mode: 0 | 1 | 2): void {
  const c = b.c;
  const w = b.word;
  const sign = fmt === 'D' ? -(2n ** 63n) : 0x80000000n;
  const [X, Y] = [b.tmp(0), b.tmp(1)];
  if (fmt === 'S') {
    // An operand that is not NaN-boxed reads as the canonical NaN: the helper's case.
    for (const r of [rs1(w), rs2(w)]) {
      b.area();
      c.mem(Op.i32_load, AREA_F + 8 * r + 4)
        .i32(-1)
        .op(Op.i32_ne)
        .br(Op.br_if, 0);
    }
  }
  b.area();
  c.mem(Op.i64_load, AREA_F + 8 * rs1(w)).set(X);
  b.area();
  c.mem(Op.i64_load, AREA_F + 8 * rs2(w)).set(Y);
  b.area();
  if (mode === 2) c.get(X).get(Y).i64(sign).op(Op.i64_and).op(Op.i64_xor);
  else {
    c.get(X).i64(~sign).op(Op.i64_and);
    c.get(Y);
    if (mode === 1) c.i64(-1).op(Op.i64_xor);
    c.i64(sign).op(Op.i64_and).op(Op.i64_or);
  }
  c.mem(Op.i64_store, AREA_F + 8 * rd(w));
}

const CMP: Record<'eq' | 'lt' | 'le', Op> = { eq: Op.f64_eq, lt: Op.f64_lt, le: Op.f64_le };

/** x[rd] = f[rs1] cmp f[rs2] for non-NaN operands (a NaN raises flags: the helper). */
function cmp(b: BlockBuilder, fmt: Fmt, op: 'eq' | 'lt' | 'le'): void {
  const c = b.c;
  const [A, B] = [b.ftmp(0), b.ftmp(1)];
  loadF(b, fmt, rs1(b.word), A);
  loadF(b, fmt, rs2(b.word), B);
  need(b, () => c.get(A).get(A).op(Op.f64_eq).get(B).get(B).op(Op.f64_eq).op(Op.i32_and));
  c.get(A).get(B).op(CMP[op]).op(Op.i64_extend_i32_u);
  b.popX(rd(b.word));
}

/** Round to an integral value in a static mode (RMM has no WebAssembly instruction). */
const ROUND: Partial<Record<number, Op>> = {
  [RNE]: Op.f64_nearest,
  [RTZ]: Op.f64_trunc,
  [RDN]: Op.f64_floor,
  [RUP]: Op.f64_ceil,
};

/** FCVT.{W,WU,L,LU}.{S,D}: in range, the rounded value and NX when it differs (else the helper). */
function toInt(b: BlockBuilder, fmt: Fmt, kind: 0 | 1 | 2 | 3): void {
  const c = b.c;
  const rm = rmField(b.word);
  const [A, T] = [b.ftmp(0), b.ftmp(1)];
  loadF(b, fmt, rs1(b.word), A);
  c.get(A)
    .op(ROUND[rm === DYN ? RNE : rm] as Op)
    .set(T);
  // The integer range, as bounds on the rounded value (NaN fails both).
  const [lo, hi] = [
    [-(2 ** 31), 2 ** 31],
    [-1, 2 ** 32],
    [-(2 ** 63), 2 ** 63],
    [-1, 2 ** 64],
  ][kind];
  need(b, () => {
    c.get(T)
      .f64(lo)
      .op(kind === 1 || kind === 3 ? Op.f64_gt : Op.f64_ge);
    c.get(T).f64(hi).op(Op.f64_lt).op(Op.i32_and);
  });
  accrueNX(b, () => c.get(T).get(A).op(Op.f64_ne));
  c.get(T);
  if (kind === 0) c.op(Op.i32_trunc_f64_s).op(Op.i64_extend_i32_s);
  else if (kind === 1) c.op(Op.i32_trunc_f64_u).op(Op.i64_extend_i32_s);
  else c.op(kind === 2 ? Op.i64_trunc_f64_s : Op.i64_trunc_f64_u);
  b.popX(rd(b.word));
}

/**
 * FCVT.{S,D}.{W,WU,L,LU}: exact conversions only (every 32-bit integer; 64-bit ones within
 * 2^53; for binary32 results, when the value is a binary32), which need no rounding mode.
 */
function fromInt(b: BlockBuilder, fmt: Fmt, kind: 0 | 1 | 2 | 3): void {
  const c = b.c;
  const X = b.tmp(0);
  const [V, R] = [b.ftmp(0), b.ftmp(1)];
  b.x(rs1(b.word));
  c.set(X);
  if (kind >= 2) {
    // |x| <= 2^53 (signed) or x <= 2^53 (unsigned).
    need(b, () => {
      c.get(X);
      if (kind === 2) c.i64(2n ** 53n).op(Op.i64_add);
      c.i64(kind === 2 ? 2n ** 54n : 2n ** 53n).op(Op.i64_le_u);
    });
    c.get(X)
      .op(kind === 2 ? Op.f64_convert_i64_s : Op.f64_convert_i64_u)
      .set(V);
  } else {
    c.get(X)
      .op(Op.i32_wrap_i64)
      .op(kind === 0 ? Op.f64_convert_i32_s : Op.f64_convert_i32_u)
      .set(V);
  }
  if (fmt === 'S') {
    c.get(V).op(Op.f32_demote_f64).op(Op.f64_promote_f32).set(R);
    need(b, () => c.get(R).get(V).op(Op.f64_eq));
  }
  putF(b, fmt, V);
}

/** FCVT.S.D in RNE for normal binary32 results (fpu.ts cvtSD). */
function narrow(b: BlockBuilder): void {
  const c = b.c;
  const [A, R, E] = [b.ftmp(0), b.ftmp(1), b.ftmp(2)];
  getD(b, rs1(b.word));
  c.set(A).f64(0).set(E);
  rneF32(b, A, E, R);
  accrueNX(b, () => c.get(R).get(A).op(Op.f64_ne));
  putF(b, 'S', R);
}

/** FCVT.D.S of a non-NaN binary32: exact. */
function widen(b: BlockBuilder): void {
  const c = b.c;
  const A = b.ftmp(0);
  loadS(b, rs1(b.word), A);
  need(b, () => c.get(A).get(A).op(Op.f64_eq));
  putF(b, 'D', A);
}

/** The rounding an instruction's fast path needs, or undefined when it has none (the helper's). */
function roundingOf(sem: FSem, word: number): Rounding | undefined {
  // Half precision (Zfh) has no fast path: every H instruction runs as the helper.
  if ('fmt' in sem && sem.fmt === 'H') return undefined;
  switch (sem.kind) {
    case 'load':
    case 'store':
    case 'sgnj':
    case 'cmp':
    case 'mvToX':
    case 'mvFromX':
      return 'none';
    case 'arith':
    case 'sqrt':
    case 'fma':
    case 'narrow':
      return 'rne';
    case 'toInt':
      return rmField(word) === RMM ? undefined : rmField(word) === DYN ? 'rne' : 'any';
    case 'fromInt':
    case 'widen':
      return 'any';
    // FMIN/FMAX and FCLASS; Zfa; the conversions to and from H.
    case 'minmax':
    case 'class':
    case 'minmaxm':
    case 'cmpq':
    case 'cvtmod':
    case 'cvtFmt':
    case 'roundInt':
    case 'fli':
      return undefined;
  }
}

/** True when `word` (an instruction of `sem`) has WebAssembly code rather than the helper alone. */
export function fpNative(sem: FSem, word: number): boolean {
  const r = roundingOf(sem, word);
  return r !== undefined && rmSupported(word, r);
}

/** The emitter for F/D semantics: the fast path where `fpNative`, else the helper. */
export function fpEmitterFor(sem: FSem, facts: InsnFacts): Emit {
  return (b) => {
    const w = b.word;
    const r = roundingOf(sem, w);
    if (r === undefined || !rmSupported(w, r)) {
      b.helper();
      return;
    }
    const c = b.c;
    if (sem.kind === 'load') {
      b.fpLoad(rd(w), rs1(w), immI(w), sem.fmt === 'S' ? 4 : 8, () => guard(b, 'none'));
      return;
    }
    if (sem.kind === 'store') {
      b.fpStore(rs1(w), rs2(w), immS(w), sem.fmt === 'S' ? 4 : 8, () => guard(b, 'none'));
      return;
    }
    b.fastOrHelper(facts.readsRs1 ? [rs1(w)] : [], facts.writesRd ? rd(w) : 0, () => {
      guard(b, r);
      switch (sem.kind) {
        case 'arith':
          return arith(b, sem.fmt, sem.op);
        case 'sqrt':
          return sqrt(b, sem.fmt);
        case 'fma':
          return fma(b, sem.fmt, sem.negProd, sem.negAdd);
        case 'sgnj':
          return sgnj(b, sem.fmt, sem.mode);
        case 'cmp':
          return cmp(b, sem.fmt, sem.op);
        case 'toInt':
          return toInt(b, sem.fmt, sem.int);
        case 'fromInt':
          return fromInt(b, sem.fmt, sem.int);
        case 'narrow':
          return narrow(b);
        case 'widen':
          return widen(b);
        case 'mvToX':
          b.area();
          if (sem.fmt === 'D') c.mem(Op.i64_load, AREA_F + 8 * rs1(w));
          else c.mem(Op.i64_load32_s, AREA_F + 8 * rs1(w));
          return b.popX(rd(w));
        case 'mvFromX':
          b.area();
          b.x(rs1(w));
          if (sem.fmt === 'S') c.i64(0xffffffffn).op(Op.i64_and).i64(BOX).op(Op.i64_or);
          c.mem(Op.i64_store, AREA_F + 8 * rd(w));
          return;
      }
    });
  };
}
