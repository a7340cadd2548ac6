// binary32 arithmetic of the F extension (unprivileged ISA, "F" chapter §Single-Precision
// Computational Instructions) on non-NaN operands held as doubles. Results are binary32 bits; NaN
// results are the canonical NaN. Each operation computes in binary64 a value v = RN64(exact) plus the
// sign of the residual (exact for +, *, fused multiply-add; via TwoProduct for / and sqrt), and
// `roundF32` rounds once from that, so every rounding mode is correct without double rounding.

import { type FlagSink, CANON_NAN_S, NV, DZ, RDN } from './bits.js';
import { twoSumErr, twoProdErr } from './exact.js';
import { roundF32 } from './round.js';
import { signBit } from './ops64.js';

const INF_S = 0x7f800000;
const NEG_INF_S = 0xff800000 | 0;
const NEG_ZERO_S = 0x80000000 | 0;

function zeroBits(x: number): number {
  return signBit(x) ? NEG_ZERO_S : 0;
}
function infBits(x: number): number {
  return x > 0 ? INF_S : NEG_INF_S;
}

/** Exact zero result of a sum, IEEE 754-2008 §6.3: +0 except -0 in RDN, or the common sign of two zeros. */
function zeroSum(a: number, b: number, rm: number): number {
  if (a === 0 && b === 0 && signBit(a) === signBit(b)) return zeroBits(a);
  return rm === RDN ? NEG_ZERO_S : 0;
}

/** a + b (FADD.S; FSUB.S is a + -b). Sums of binary32 values are finite or exact in binary64. */
export function add32(s: FlagSink, a: number, b: number, rm: number): number {
  const v = a + b;
  if (v - v === 0) return v === 0 ? zeroSum(a, b, rm) : roundF32(s, v, twoSumErr(a, b, v), rm);
  if (v !== v) {
    s.fflags |= NV;
    return CANON_NAN_S;
  }
  return infBits(v);
}

/** a * b (FMUL.S). The binary64 product of two binary32 values is exact. */
export function mul32(s: FlagSink, a: number, b: number, rm: number): number {
  const v = a * b;
  if (v - v === 0) return v === 0 ? zeroBits(v) : roundF32(s, v, 0, rm);
  if (v !== v) {
    s.fflags |= NV;
    return CANON_NAN_S;
  }
  return infBits(v);
}

/** a / b (FDIV.S). */
export function div32(s: FlagSink, a: number, b: number, rm: number): number {
  const v = a / b;
  if (v !== v) {
    s.fflags |= NV;
    return CANON_NAN_S;
  }
  if (v - v !== 0) {
    if (a - a === 0) s.fflags |= DZ;
    return infBits(v);
  }
  if (v === 0) return zeroBits(v);
  const p = v * b;
  const rem = a - p - twoProdErr(v, b, p);
  return roundF32(s, v, rem === 0 ? 0 : rem > 0 === b > 0 ? 1 : -1, rm);
}

/** sqrt(a) (FSQRT.S). */
export function sqrt32(s: FlagSink, a: number, rm: number): number {
  if (a === 0) return zeroBits(a);
  if (a < 0) {
    s.fflags |= NV;
    return CANON_NAN_S;
  }
  if (a === Infinity) return INF_S;
  const v = Math.sqrt(a);
  const p = v * v;
  return roundF32(s, v, a - p - twoProdErr(v, v, p), rm);
}

/** a * b + c with a single rounding (FMADD.S; the others negate a and/or c). a*b is exact in binary64. */
export function fma32(s: FlagSink, a: number, b: number, c: number, rm: number): number {
  const p = a * b;
  const v = p + c;
  if (v - v === 0) return v === 0 ? zeroSum(p, c, rm) : roundF32(s, v, twoSumErr(p, c, v), rm);
  if (v !== v) {
    s.fflags |= NV;
    return CANON_NAN_S;
  }
  return infBits(v);
}

/** Round a non-NaN double to binary32 (FCVT.S.D; also the integer-to-single conversions). */
export function fromDouble32(s: FlagSink, v: number, sigma: number, rm: number): number {
  if (v === 0) return zeroBits(v);
  if (v - v !== 0) return infBits(v);
  return roundF32(s, v, sigma, rm);
}

/** The binary32 nearest to the 64-bit integer (hi:lo) (signed if `signed`), in mode rm (FCVT.S.L/LU). */
export function fromInt32x2(s: FlagSink, lo: number, hi: number, signed: boolean, rm: number): number {
  const h = (signed ? hi : hi >>> 0) * 4294967296;
  const l = lo >>> 0;
  const v = h + l;
  return fromDouble32(s, v, twoSumErr(h, l, v), rm);
}
