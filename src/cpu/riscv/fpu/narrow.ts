// Arithmetic of the formats narrower than binary64: binary32 of the F extension ("F" chapter
// §Single-Precision Computational Instructions) and binary16 of Zfh (defined analogously, "Zfh"
// chapter), on non-NaN operands held exactly as doubles. Results are the format's bits; NaN results
// are its canonical NaN. Each operation computes in binary64 a value v = RN64(exact) plus the sign
// of the residual (exact for +, *, fused multiply-add; via TwoProduct for / and sqrt), and
// `roundNarrow` rounds once from that, so every rounding mode is correct without double rounding.
//
// For / and sqrt the residual is in fact never needed: a quotient or square root of p-bit operands
// that is not exact lies at a relative distance of at least about 2^-(2p+1) from every p-bit value
// and midpoint (a - g*b, a - g*g are nonzero multiples of a unit that coarse), so with 53 >= 2p + 2
// its RN64 rounding falls strictly between the same neighbours as the exact value, and rounding it
// again is innocuous in every mode (Figueroa, "When is double rounding innocuous?", 1995, for RN:
// p' >= 2p + 2 suffices for +, -, *, / and sqrt). It is kept so that one path, which does not lean on
// that argument, serves every format.

import { type FlagSink, type Fmt, NV, DZ, RDN, canonNaNOf, infOf, signOf } from './bits.js';
import { twoSumErr, twoProdErr } from './exact.js';
import { roundNarrow } from './round.js';
import { signBit } from './ops64.js';

function zeroBits(x: number, f: Fmt): number {
  return signBit(x) ? signOf(f) : 0;
}
function infBits(x: number, f: Fmt): number {
  return x > 0 ? infOf(f) : signOf(f) | infOf(f);
}
function invalid(s: FlagSink, f: Fmt): number {
  s.fflags |= NV;
  return canonNaNOf(f);
}

/** Exact zero result of a sum, IEEE 754-2008 §6.3: +0 except -0 in RDN, or the common sign of two zeros. */
function zeroSum(a: number, b: number, rm: number, f: Fmt): number {
  if (a === 0 && b === 0 && signBit(a) === signBit(b)) return zeroBits(a, f);
  return rm === RDN ? signOf(f) : 0;
}

/**
 * a + b (FADD; FSUB is a + -b). The binary64 sum of two binary32 values is finite (or infinite
 * because an operand is) and its error term exact; the sum of two binary16 values is exact.
 */
export function addN(s: FlagSink, a: number, b: number, rm: number, f: Fmt): number {
  const v = a + b;
  if (v - v === 0) return v === 0 ? zeroSum(a, b, rm, f) : roundNarrow(s, v, twoSumErr(a, b, v), rm, f);
  return v !== v ? invalid(s, f) : infBits(v, f);
}

/** a * b (FMUL). The binary64 product of two values of at most 26 significant bits is exact. */
export function mulN(s: FlagSink, a: number, b: number, rm: number, f: Fmt): number {
  const v = a * b;
  if (v - v === 0) return v === 0 ? zeroBits(v, f) : roundNarrow(s, v, 0, rm, f);
  return v !== v ? invalid(s, f) : infBits(v, f);
}

/** a / b (FDIV). The remainder a - v*b is exact (TwoProduct), and gives the residual's sign. */
export function divN(s: FlagSink, a: number, b: number, rm: number, f: Fmt): number {
  const v = a / b;
  if (v !== v) return invalid(s, f);
  if (v - v !== 0) {
    if (a - a === 0) s.fflags |= DZ;
    return infBits(v, f);
  }
  if (v === 0) return zeroBits(v, f);
  const p = v * b;
  const rem = a - p - twoProdErr(v, b, p);
  return roundNarrow(s, v, rem === 0 ? 0 : rem > 0 === b > 0 ? 1 : -1, rm, f);
}

/** sqrt(a) (FSQRT). The remainder a - v*v is exact (TwoProduct). */
export function sqrtN(s: FlagSink, a: number, rm: number, f: Fmt): number {
  if (a === 0) return zeroBits(a, f);
  if (a < 0) return invalid(s, f);
  if (a === Infinity) return infOf(f);
  const v = Math.sqrt(a);
  const p = v * v;
  return roundNarrow(s, v, a - p - twoProdErr(v, v, p), rm, f);
}

/**
 * a * b + c with a single rounding (FMADD; the others negate a and/or c). a*b is exact in binary64;
 * the sum may not be, but TwoSum gives its exact error, so v + err is the exact result.
 */
export function fmaN(s: FlagSink, a: number, b: number, c: number, rm: number, f: Fmt): number {
  const p = a * b;
  const v = p + c;
  if (v - v === 0) return v === 0 ? zeroSum(p, c, rm, f) : roundNarrow(s, v, twoSumErr(p, c, v), rm, f);
  return v !== v ? invalid(s, f) : infBits(v, f);
}

/**
 * Round a non-NaN double v (plus a residual with the sign of sigma) to format f (FCVT.S.D,
 * FCVT.H.S, FCVT.H.D; also the integer conversions). Zeros keep their sign.
 */
export function fromDoubleN(s: FlagSink, v: number, sigma: number, rm: number, f: Fmt): number {
  if (v === 0) return zeroBits(v, f);
  if (v - v !== 0) return infBits(v, f);
  return roundNarrow(s, v, sigma, rm, f);
}

/** The value of format f nearest to the 64-bit integer (hi:lo) (signed if `signed`), in mode rm (FCVT.fmt.L/LU). */
export function fromInt64N(s: FlagSink, lo: number, hi: number, signed: boolean, rm: number, f: Fmt): number {
  const h = (signed ? hi : hi >>> 0) * 4294967296;
  const l = lo >>> 0;
  const v = h + l;
  return fromDoubleN(s, v, twoSumErr(h, l, v), rm, f);
}
