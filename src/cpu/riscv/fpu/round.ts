// Rounding of exact (or exact-with-sticky) values to binary16/32/64 in the five RISC-V rounding
// modes, with the IEEE 754-2008 §7 exception flags. Tininess is detected after rounding, as the
// RISC-V unprivileged ISA specifies (F chapter, §Floating-Point Control and Status Register).

import { type FlagSink, type Fmt, NX, OF, UF, RNE, RTZ, RDN, RUP, RMM, BINARY32 } from './bits.js';
import { biasedExp64, infOf, pow2, signOf } from './bits.js';

/** Whether an overflowing result is delivered as infinity (else as the largest finite value), §7.4. */
export function overflowsToInf(neg: boolean, rm: number): boolean {
  return rm === RNE || rm === RMM || (rm === RUP && !neg) || (rm === RDN && neg);
}

/**
 * Increment decision for a value (kept + f) * unit, where f = rem / unit (plus a sticky amount when
 * `sticky`), 0 <= f < 1, in mode rm: 1 to round the magnitude up, else 0. `half` is unit / 2.
 */
function roundInc(
  kept: number,
  rem: number,
  half: number,
  sticky: boolean,
  neg: boolean,
  rm: number,
): number {
  switch (rm) {
    case RNE:
      return rem > half || (rem === half && (sticky || (kept & 1) === 1)) ? 1 : 0;
    case RMM:
      return rem >= half ? 1 : 0;
    case RDN:
      return neg ? 1 : 0;
    case RUP:
      return neg ? 0 : 1;
    default:
      return 0;
  }
}

const TWO_52 = pow2(52);

/**
 * Round x to format f (binary16 or binary32: any format with p <= 26 and emin >= -1000), where x is
 * known through v = RN64(x) (x rounded to nearest binary64) and sigma, whose sign is the sign of
 * x - v (0 iff x === v). v must be finite and nonzero. Returns the bits of the result (int32, the
 * binary32 sign bit negative); accrues NX/UF/OF into `s`.
 *
 * Method: with v = M * 2^(E-52) (M the 53-bit significand), x lies within half a binary64 ulp of v.
 * If x < |v| in magnitude, x lies strictly between (M-1) and M units, else between M and M+1 units
 * (or on M). So x = (Mi + t) units with Mi an exact integer and 0 <= t < 1 (t > 0 iff sigma != 0).
 * The grid points and midpoints of f are multiples of at least 2^(52-p) >= 2^26 units, so rounding
 * Mi with a sticky bit t is exact: no double rounding in any mode, whatever the operation was.
 */
export function roundNarrow(s: FlagSink, v: number, sigma: number, rm: number, f: Fmt): number {
  const neg = v < 0;
  let m = neg ? -v : v;
  let sm = neg ? -sigma : sigma;
  // Every magnitude far below half the smallest subnormal rounds the same way in every mode (to 0
  // or to the smallest subnormal, inexact and tiny); stand in a normal double for it.
  const tiny = pow2(f.emin - f.p - 10);
  if (m < tiny) {
    m = tiny;
    sm = 1;
  }
  const e = biasedExp64(m) - 1023;
  const mi = m * pow2(52 - e) - (sm < 0 ? 1 : 0);
  const sticky = sm !== 0;
  const ex = mi < TWO_52 ? e - 1 : e;
  const q = (ex > f.emin ? ex : f.emin) - (f.p - 1);
  const unit = pow2(q - (e - 52));
  let kept = Math.floor(mi / unit);
  const rem = mi - kept * unit;
  const inexact = sticky || rem !== 0;
  if (inexact) kept += roundInc(kept, rem, unit / 2, sticky, neg, rm);
  const sign = neg ? signOf(f) : 0;
  const inf = infOf(f);
  // kept includes the implicit bit, so a carry out of the fraction bumps the exponent field; the
  // subnormal unit (q = emin - p + 1) is exponent field 0.
  const mag = q > f.emax - (f.p - 1) ? inf : (q - (f.emin - f.p + 1)) * pow2(f.p - 1) + kept;
  if (mag >= inf) {
    s.fflags |= OF | NX;
    return sign | (overflowsToInf(neg, rm) ? inf : inf - 1);
  }
  if (inexact) {
    s.fflags |= NX;
    // Tiny after rounding: below 2^emin even when rounded to p bits with an unbounded exponent.
    if (mag < pow2(f.p - 1)) s.fflags |= UF;
    else if (ex === f.emin - 1) {
      const unitU = pow2(f.emin - f.p - (e - 52));
      const k = Math.floor(mi / unitU);
      const remU = mi - k * unitU;
      // Exact at p bits means tiny (k < 2^p here); otherwise see whether rounding carries to 2^emin.
      if (remU === 0 && !sticky) s.fflags |= UF;
      else if (k + roundInc(k, remU, unitU / 2, sticky, neg, rm) < pow2(f.p)) s.fflags |= UF;
    }
  }
  return sign | mag;
}

/** roundNarrow to binary32. */
export function roundF32(s: FlagSink, v: number, sigma: number, rm: number): number {
  return roundNarrow(s, v, sigma, rm, BINARY32);
}

function bitLength(m: bigint): number {
  return m.toString(2).length;
}

/** Round m (>= 0n) to a multiple of 2^shift in mode rm; returns the quotient. */
function roundBigSig(m: bigint, shift: number, neg: boolean, rm: number): bigint {
  if (shift <= 0) return m << BigInt(-shift);
  const sh = BigInt(shift);
  const kept = m >> sh;
  const rem = m - (kept << sh);
  if (rem === 0n) return kept;
  const half = 1n << (sh - 1n);
  switch (rm) {
    case RNE:
      return rem > half || (rem === half && (kept & 1n) === 1n) ? kept + 1n : kept;
    case RMM:
      return rem >= half ? kept + 1n : kept;
    case RDN:
      return neg ? kept + 1n : kept;
    case RUP:
      return neg ? kept : kept + 1n;
    case RTZ:
    default:
      return kept;
  }
}

/**
 * General (slow) rounding of (-1)^neg * (m * 2^e + t) to format f, where t = 0 if !sticky and
 * 0 < t < 2^e if sticky. With sticky set, m must carry at least f.p + 2 significant bits, so that the
 * stand-in (2m + 1) * 2^(e-1) is neither a grid point nor a midpoint of the result format.
 * m must be nonzero. Returns the rounded value as a double (±Infinity or ±max on overflow).
 */
export function roundBig(
  s: FlagSink,
  neg: boolean,
  m: bigint,
  e: number,
  sticky: boolean,
  f: Fmt,
  rm: number,
): number {
  if (sticky) {
    m = (m << 1n) | 1n;
    e -= 1;
  }
  const ex = e + bitLength(m) - 1;
  const q = Math.max(ex, f.emin) - (f.p - 1);
  const shift = q - e;
  const inexact = shift > 0 && (m & ((1n << BigInt(shift)) - 1n)) !== 0n;
  const kept = roundBigSig(m, shift, neg, rm);
  if (kept !== 0n && q + bitLength(kept) - 1 > f.emax) {
    s.fflags |= OF | NX;
    const big = overflowsToInf(neg, rm) ? Infinity : f.max;
    return neg ? -big : big;
  }
  if (inexact) {
    s.fflags |= NX;
    const tiny =
      ex < f.emin - 1 ||
      (ex === f.emin - 1 && roundBigSig(m, ex - (f.p - 1) - e, neg, rm) < 1n << BigInt(f.p));
    if (tiny) s.fflags |= UF;
  }
  const mag = Number(kept) * pow2(q);
  return neg ? -mag : mag;
}
