// The 32 constants of Zfa's load-immediate instructions FLI.H/S/D (unprivileged ISA, "Zfa"
// chapter, table "Immediate values loaded by the FLI.S instruction"), indexed by the rs1 field.

import { type Fmt, BINARY16, CANON_NAN_H, RNE, pow2 } from './bits.js';
import { fromDoubleN } from './narrow.js';

/** The table as values; entry 1 (the smallest positive normal number) depends on the format. */
const VALUES = [
  -1,
  NaN, // the format's minimum positive normal: see fliValue
  pow2(-16),
  pow2(-15),
  pow2(-8),
  pow2(-7),
  0.0625,
  0.125,
  0.25,
  0.3125,
  0.375,
  0.4375,
  0.5,
  0.625,
  0.75,
  0.875,
  1,
  1.25,
  1.5,
  1.75,
  2,
  2.5,
  3,
  4,
  8,
  16,
  128,
  256,
  pow2(15),
  pow2(16),
  Infinity,
  NaN, // the canonical NaN
];

/** Entry i (0..31) of the table for format f, as a double; NaN for entry 31 (the canonical NaN). */
export function fliValue(i: number, f: Fmt): number {
  return i === 1 ? pow2(f.emin) : VALUES[i];
}

/**
 * The table as binary16 bits. 2^-16 and 2^-15 are subnormal there, and 2^16 is beyond the largest
 * finite value, so entry 29 is +infinity like entry 30 (as the chapter says for FLI.H). Every other
 * entry is exact; the flags of rounding 2^16 go to a sink nobody reads (FLI never sets flags).
 */
export const FLI_H: readonly number[] = VALUES.map((_, i) =>
  i === 31 ? CANON_NAN_H : fromDoubleN({ fflags: 0 }, fliValue(i, BINARY16), 0, RNE, BINARY16),
);
