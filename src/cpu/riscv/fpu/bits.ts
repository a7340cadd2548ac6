// Bit-level facts about IEEE 754-2008 binary16/binary32/binary64 used by the RISC-V F, D and Zfh
// extensions (unprivileged ISA, "F" chapter §Single-Precision Floating-Point Computational
// Instructions and §Floating-Point Control and Status Register, "Zfh" chapter; IEEE 754-2008 §3.4
// binary interchange formats).

/** Accrued exception flags, fflags bit positions (unprivileged ISA, F chapter, fflags table). */
export const NV = 16;
export const DZ = 8;
export const OF = 4;
export const UF = 2;
export const NX = 1;

/** Rounding modes, the values of the rm field and of frm (unprivileged ISA, F chapter, rm table). */
export const RNE = 0;
export const RTZ = 1;
export const RDN = 2;
export const RUP = 3;
export const RMM = 4;
/** rm encoding meaning "use frm". */
export const DYN = 7;

/** Canonical quiet NaNs (F chapter §NaN Generation and Propagation). */
export const CANON_NAN_S = 0x7fc00000;
/** High word of the canonical binary64 NaN 0x7ff8000000000000 (its low word is 0). */
export const CANON_NAN_D_HI = 0x7ff80000;
/** Canonical binary16 NaN (Zfh chapter: defined analogously to the single-precision one). */
export const CANON_NAN_H = 0x7e00;

/** Largest finite binary32 value, (2 - 2^-23) * 2^127. */
export const MAX_S = 3.4028234663852886e38;

/** Something that accrues exception flags: the Fpu, or a test double. */
export interface FlagSink {
  fflags: number;
}

/** Parameters of a binary interchange format (IEEE 754-2008 Table 3.5). */
export interface Fmt {
  /** Precision in bits, including the implicit bit. */
  readonly p: number;
  /** Exponent of the smallest normal number. */
  readonly emin: number;
  /** Exponent of the largest finite number. */
  readonly emax: number;
  /** Largest finite value. */
  readonly max: number;
  /** Width of the encoding in bits. */
  readonly width: number;
}

export const BINARY16: Fmt = { p: 11, emin: -14, emax: 15, max: 65504, width: 16 };
export const BINARY32: Fmt = { p: 24, emin: -126, emax: 127, max: MAX_S, width: 32 };
export const BINARY64: Fmt = { p: 53, emin: -1022, emax: 1023, max: Number.MAX_VALUE, width: 64 };

// Encodings of a format at most 32 bits wide, as int32 (the sign bit of binary32 is negative).
/** +infinity: all-ones exponent, zero fraction. */
export function infOf(f: Fmt): number {
  return ((1 << (f.width - f.p)) - 1) << (f.p - 1);
}
/** The sign bit alone (-0). */
export function signOf(f: Fmt): number {
  return 1 << (f.width - 1);
}
/** The canonical NaN: positive, quiet bit set, the rest of the fraction zero. */
export function canonNaNOf(f: Fmt): number {
  return infOf(f) | (1 << (f.p - 2));
}

// Scratch views used to move a double in and out of its bit pattern. They hold no state between
// calls (every user writes before it reads), so sharing them between harts is safe.
const SCRATCH = new Float64Array(1);
const SCRATCH_W = new Int32Array(SCRATCH.buffer);
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('tsvirt fpu: register file views need a little-endian host');
}

const P2_BIAS = 1100;
/** 2^n for n in [-1100, 1100], built by exact doubling/halving (0 below 2^-1074, Infinity above 2^1023). */
const P2 = new Float64Array(2 * P2_BIAS + 1);
{
  P2[P2_BIAS] = 1;
  for (let n = 1; n <= P2_BIAS; n++) {
    P2[P2_BIAS + n] = P2[P2_BIAS + n - 1] * 2;
    P2[P2_BIAS - n] = P2[P2_BIAS - n + 1] / 2;
  }
}

/** Exact 2^n for -1074 <= n <= 1023. */
export function pow2(n: number): number {
  return P2[n + P2_BIAS];
}

/** Biased exponent field of a double (0 for zero/subnormal, 2047 for Inf/NaN). */
export function biasedExp64(x: number): number {
  SCRATCH[0] = x;
  return (SCRATCH_W[1] >>> 20) & 0x7ff;
}

/** Half an ulp of a normal double x (the distance to the neighbour of larger magnitude, halved). */
export function halfUlp64(x: number): number {
  return pow2(biasedExp64(x) - 1076);
}

/** The double next to the finite, nonzero x, one ulp further from zero (may be +-Infinity). */
export function stepAway64(x: number): number {
  SCRATCH[0] = x;
  if (SCRATCH_W[0] === -1) {
    SCRATCH_W[0] = 0;
    SCRATCH_W[1]++;
  } else SCRATCH_W[0]++;
  return SCRATCH[0];
}

/** The double next to the finite, nonzero x, one ulp closer to zero. */
export function stepToZero64(x: number): number {
  SCRATCH[0] = x;
  if (SCRATCH_W[0] === 0) {
    SCRATCH_W[0] = -1;
    SCRATCH_W[1]--;
  } else SCRATCH_W[0]--;
  return SCRATCH[0];
}

const TWO_M24 = 2 ** -24;

/** The value of the binary16 bits w (low 16 bits) as a double: exact, NaN for every NaN. */
export function decode16(w: number): number {
  const e = (w >>> 10) & 0x1f;
  const f = w & 0x3ff;
  const mag = e === 0 ? f * TWO_M24 : e === 0x1f ? (f === 0 ? Infinity : NaN) : (f + 0x400) * pow2(e - 25);
  return (w & 0x8000) !== 0 ? -mag : mag;
}

/** Raw words of a double: stores x and returns its low word; read the high word with `hiWord()`. */
export function loWord(x: number): number {
  SCRATCH[0] = x;
  return SCRATCH_W[0];
}
/** High word of the double last passed to `loWord`. */
export function hiWord(): number {
  return SCRATCH_W[1];
}

/** binary32 NaN test on raw bits. */
export function isNaN32(w: number): boolean {
  return (w & 0x7fffffff) > 0x7f800000;
}
/** binary32 signaling NaN test on raw bits: a NaN whose quiet bit (bit 22) is clear. */
export function isSNaN32(w: number): boolean {
  return (w & 0x7fffffff) > 0x7f800000 && (w & 0x00400000) === 0;
}
/** binary16 NaN test on raw bits (the low 16 bits of w). */
export function isNaN16(w: number): boolean {
  return (w & 0x7fff) > 0x7c00;
}
/** binary16 signaling NaN test on raw bits: a NaN whose quiet bit (bit 9) is clear. */
export function isSNaN16(w: number): boolean {
  return (w & 0x7fff) > 0x7c00 && (w & 0x0200) === 0;
}
/** binary64 NaN test on raw words. */
export function isNaN64(lo: number, hi: number): boolean {
  const h = hi & 0x7fffffff;
  return h > 0x7ff00000 || (h === 0x7ff00000 && lo !== 0);
}
/** binary64 signaling NaN test on raw words: a NaN whose quiet bit (bit 51) is clear. */
export function isSNaN64(lo: number, hi: number): boolean {
  return isNaN64(lo, hi) && (hi & 0x00080000) === 0;
}

/**
 * FCLASS result mask (F chapter, "Format of result of FCLASS instruction"): bit 0 -inf, 1 negative
 * normal, 2 negative subnormal, 3 -0, 4 +0, 5 positive subnormal, 6 positive normal, 7 +inf,
 * 8 signaling NaN, 9 quiet NaN. Inputs are the sign, the exponent field being all ones or all zeros,
 * the fraction being zero, and the fraction's top (quiet) bit.
 */
function classify(
  neg: boolean,
  expAllOnes: boolean,
  expZero: boolean,
  fracZero: boolean,
  quiet: boolean,
): number {
  if (expAllOnes) {
    if (fracZero) return neg ? 1 << 0 : 1 << 7;
    return quiet ? 1 << 9 : 1 << 8;
  }
  if (expZero) {
    if (fracZero) return neg ? 1 << 3 : 1 << 4;
    return neg ? 1 << 2 : 1 << 5;
  }
  return neg ? 1 << 1 : 1 << 6;
}

/** FCLASS.H of raw binary16 bits. */
export function fclass16(w: number): number {
  const e = (w >>> 10) & 0x1f;
  return classify((w & 0x8000) !== 0, e === 0x1f, e === 0, (w & 0x3ff) === 0, (w & 0x0200) !== 0);
}

/** FCLASS.S of raw binary32 bits. */
export function fclass32(w: number): number {
  const e = (w >>> 23) & 0xff;
  return classify(w < 0, e === 0xff, e === 0, (w & 0x7fffff) === 0, (w & 0x00400000) !== 0);
}

/** FCLASS.D of raw binary64 words. */
export function fclass64(lo: number, hi: number): number {
  const e = (hi >>> 20) & 0x7ff;
  return classify(hi < 0, e === 0x7ff, e === 0, (hi & 0xfffff) === 0 && lo === 0, (hi & 0x00080000) !== 0);
}
