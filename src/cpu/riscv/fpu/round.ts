// Rounding of exact (or exact-with-sticky) values to binary32/binary64 in the five RISC-V rounding
// modes, with the IEEE 754-2008 §7 exception flags. Tininess is detected after rounding, as the
// RISC-V unprivileged ISA specifies (F chapter, §Floating-Point Control and Status Register).

import { type FlagSink, type Fmt, NX, OF, UF, RNE, RTZ, RDN, RUP, RMM, biasedExp64, pow2 } from './bits.js';

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

const TWO_M160 = pow2(-160);
const TWO_52 = pow2(52);
const TWO_24 = pow2(24);

/**
 * Round x to binary32, where x is known through v = RN64(x) (x rounded to nearest binary64) and
 * sigma, whose sign is the sign of x - v (0 iff x === v). v must be finite and nonzero. Returns the
 * binary32 bits; accrues NX/UF/OF into `s`.
 *
 * Method: with v = M * 2^(E-52) (M the 53-bit significand), x lies within half a binary64 ulp of v.
 * If x < |v| in magnitude, x lies strictly between (M-1) and M units, else between M and M+1 units
 * (or on M). So x = (Mi + t) units with Mi an exact integer and 0 <= t < 1 (t > 0 iff sigma != 0).
 * binary32 grid points and midpoints are multiples of at least 2^28 units, so rounding Mi with a
 * sticky bit t is exact: no double rounding in any mode.
 */
export function roundF32(s: FlagSink, v: number, sigma: number, rm: number): number {
  const neg = v < 0;
  let m = neg ? -v : v;
  let sm = neg ? -sigma : sigma;
  // Every magnitude below 2^-150 rounds the same way in every mode; stand in a normal double for it.
  if (m < TWO_M160) {
    m = TWO_M160;
    sm = 1;
  }
  const e = biasedExp64(m) - 1023;
  const mi = m * pow2(52 - e) - (sm < 0 ? 1 : 0);
  const sticky = sm !== 0;
  const ex = mi < TWO_52 ? e - 1 : e;
  const q = (ex > -126 ? ex : -126) - 23;
  const unit = pow2(q - (e - 52));
  let kept = Math.floor(mi / unit);
  const rem = mi - kept * unit;
  const inexact = sticky || rem !== 0;
  if (inexact) kept += roundInc(kept, rem, unit / 2, sticky, neg, rm);
  const sign = neg ? 0x80000000 : 0;
  // kept includes the implicit bit, so a carry out of the fraction bumps the exponent field.
  const mag = q > 104 ? 0x7f800000 : ((q + 149) << 23) + kept;
  if (mag >= 0x7f800000) {
    s.fflags |= OF | NX;
    return sign | (overflowsToInf(neg, rm) ? 0x7f800000 : 0x7f7fffff) | 0;
  }
  if (inexact) {
    s.fflags |= NX;
    // Tiny after rounding: below 2^-126 even when rounded to 24 bits with an unbounded exponent.
    if (mag < 0x00800000) s.fflags |= UF;
    else if (ex === -127) {
      const unitU = pow2(-150 - (e - 52));
      const k = Math.floor(mi / unitU);
      const remU = mi - k * unitU;
      // Exact at 24 bits means tiny (k < 2^24 here); otherwise see whether rounding carries to 2^-126.
      if (remU === 0 && !sticky) s.fflags |= UF;
      else if (k + roundInc(k, remU, unitU / 2, sticky, neg, rm) < TWO_24) s.fflags |= UF;
    }
  }
  return sign | mag | 0;
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
