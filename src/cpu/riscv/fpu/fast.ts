// Guards and helpers for the FPU's fast paths: where native binary64 arithmetic plus an error-free
// transformation (exact.ts) decides the correctly rounded result and NX without BigInt (IEEE 754-2008
// §4.3 rounding, §7.6 inexact). All are small so that V8 inlines them and no double is boxed.

import { MAX_S, pow2 } from './bits.js';

/** Below LO the error term of a product may underflow (TwoProduct is no longer exact). */
export const LO = pow2(-960);
/** At or above HI Veltkamp's split (x * (2^27 + 1)) may overflow. */
export const HI = pow2(995);
/** At or above BIG a partial product inside TwoProduct may overflow. */
export const BIG = pow2(1020);

/** p = fl(a * b) is finite, normal, and TwoProduct(a, b) is exact. */
export function mulFast(a: number, b: number, p: number): boolean {
  const ap = Math.abs(p);
  return ap >= LO && ap < BIG && Math.abs(a) < HI && Math.abs(b) < HI;
}

/** q = fl(a / b) is finite, normal, and the remainder a - q * b is computable exactly. */
export function divFast(a: number, b: number, q: number): boolean {
  const aq = Math.abs(q);
  const aa = Math.abs(a);
  return aq >= LO && aq < HI && Math.abs(b) < HI && aa >= LO && aa < BIG;
}

/** sqrt(a) is normal and the remainder a - r * r is computable exactly. */
export function sqrtFast(a: number): boolean {
  return a >= LO && a < HI;
}

/** a * b + c can be summed exactly as a double-double triple (p = fl(a * b)). */
export function fmaFast(a: number, b: number, c: number, p: number): boolean {
  const ap = Math.abs(p);
  return ap >= LO && ap < HI && Math.abs(a) < HI && Math.abs(b) < HI && Math.abs(c) < HI;
}

/** The smallest normal binary32, 2^-126. */
export const MIN_NORMAL_S = pow2(-126);

/**
 * Round-to-nearest-even of x to binary32 given v = RN64(x) and err with the sign of x - v. Returns
 * the binary32 value, or NaN when the caller must take the exact path: the result is not a normal
 * binary32 above 2^-126 (so it may overflow or be tiny), or v is exactly a binary32 midpoint while
 * x !== v (then the tie is broken by err, which double rounding would miss).
 */
export function rneF32(v: number, err: number): number {
  const r = Math.fround(v);
  const ar = Math.abs(r);
  if (!(ar > MIN_NORMAL_S && ar <= MAX_S)) return NaN;
  if (err !== 0 && r !== v) {
    // v is a midpoint iff the point symmetric to r about v, r + 2(v - r), is a binary32 value.
    const w = r + 2 * (v - r);
    if (Math.fround(w) === w) return NaN;
  }
  return r;
}
