// Floating-point to integer conversions FCVT.{W,WU,L,LU}.{S,D} (unprivileged ISA, F chapter
// §Single-Precision Floating-Point Conversion and Move Instructions, table "Domains of float-to-integer
// conversions and behavior for invalid inputs"): round in the given mode, then saturate with NV.

import { type FlagSink, NV, NX, RNE, RDN, RUP, RMM } from './bits.js';

/** Integer destination kinds, numbered as the rs2 field of FCVT.int.fmt. */
export const CVT_W = 0;
export const CVT_WU = 1;
export const CVT_L = 2;
export const CVT_LU = 3;

/** A flag sink that also receives a 64-bit integer result as an int32 pair. */
export interface IntSink extends FlagSink {
  xlo: number;
  xhi: number;
}

const TWO_32 = 4294967296;
const TWO_52 = 4503599627370496;
/** Smallest representable result of each kind (as an exact double). */
const MIN = [-2147483648, 0, -9223372036854775808, 0];
/** One past the largest representable result of each kind (as an exact double). */
const END = [2147483648, TWO_32, 9223372036854775808, 18446744073709551616];
/** Saturated results of each kind as (lo, hi), RV64 sign-extending the 32-bit kinds. */
const MAX_LO = [0x7fffffff, -1, -1, -1];
const MAX_HI = [0, -1, 0x7fffffff, -1];
const MIN_LO = [0x80000000 | 0, 0, 0, 0];
const MIN_HI = [-1, 0, 0x80000000 | 0, 0];

/** v (finite or infinite) rounded to an integral value in mode rm (IEEE 754-2008 §5.9 roundToIntegral). */
export function roundIntegral(v: number, rm: number): number {
  if (!(Math.abs(v) < TWO_52)) return v;
  const t = Math.trunc(v);
  const f = v - t;
  if (f === 0) return t;
  const away = v < 0 ? t - 1 : t + 1;
  switch (rm) {
    case RNE: {
      const af = Math.abs(f);
      return af > 0.5 || (af === 0.5 && t % 2 !== 0) ? away : t;
    }
    case RMM:
      return Math.abs(f) >= 0.5 ? away : t;
    case RDN:
      return f < 0 ? t - 1 : t;
    case RUP:
      return f > 0 ? t + 1 : t;
    default:
      return t;
  }
}

/**
 * Convert v (NaN allowed: it saturates to the maximum, as RISC-V specifies) to integer kind `kind`
 * in mode rm. The result goes to s.xlo/s.xhi as the sign-extended 64-bit register value. Out-of-range
 * inputs set NV only; in-range inexact ones set NX.
 */
export function toInt(s: IntSink, v: number, kind: number, rm: number): void {
  const r = roundIntegral(v, rm);
  if (r !== r || r >= END[kind]) {
    s.fflags |= NV;
    s.xlo = MAX_LO[kind];
    s.xhi = MAX_HI[kind];
    return;
  }
  if (r < MIN[kind]) {
    s.fflags |= NV;
    s.xlo = MIN_LO[kind];
    s.xhi = MIN_HI[kind];
    return;
  }
  if (r !== v) s.fflags |= NX;
  if (kind < CVT_L) {
    s.xlo = r | 0;
    s.xhi = s.xlo >> 31;
  } else {
    const hi = Math.floor(r / TWO_32);
    s.xlo = (r - hi * TWO_32) | 0;
    s.xhi = hi | 0;
  }
}
