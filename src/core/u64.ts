// 64-bit integer arithmetic on int32 pairs (lo, hi): the representation of RV64 registers in the
// interpreter (see docs/u64-representation.md for the measurement behind the choice).
// Functions return the low word and leave the high word in `out.hi`; callers read it immediately.

/** High word of the last result. A plain object so V8 keeps one hidden class and no allocation. */
export const out = { hi: 0 };

const TWO32 = 4294967296;

/** Carry out of a 32-bit add whose sum's low word is `lo` and one addend's low word is `a`. */
export const carry = (lo: number, a: number): number => (lo >>> 0 < a >>> 0 ? 1 : 0);

/** Signed number value of (hi:lo); exact only when |value| < 2^53. */
export const toNum = (lo: number, hi: number): number => hi * TWO32 + (lo >>> 0);
/** Unsigned number value of (hi:lo); exact only when value < 2^53. */
export const toNumU = (lo: number, hi: number): number => (hi >>> 0) * TWO32 + (lo >>> 0);
/** True when (hi:lo) is exactly representable as a signed JS number (|v| <= 2^53). */
export const fitsNum = (hi: number): boolean => hi >= -0x200000 && hi <= 0x1fffff;

/** Split a signed integral number (|v| < 2^63) into words; returns lo, sets out.hi. */
export function fromNum(v: number): number {
  const hi = Math.floor(v / TWO32);
  out.hi = hi | 0;
  return (v - hi * TWO32) | 0;
}

export function toBig(lo: number, hi: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}
/** Low word of a BigInt taken modulo 2^64; sets out.hi. */
export function fromBig(v: bigint): number {
  out.hi = Number(BigInt.asIntN(32, v >> 32n));
  return Number(BigInt.asIntN(32, v));
}

export function sll(lo: number, hi: number, s: number): number {
  s &= 63;
  if (s === 0) {
    out.hi = hi;
    return lo;
  }
  if (s >= 32) {
    out.hi = lo << (s - 32);
    return 0;
  }
  out.hi = (hi << s) | (lo >>> (32 - s));
  return lo << s;
}

export function srl(lo: number, hi: number, s: number): number {
  s &= 63;
  if (s === 0) {
    out.hi = hi;
    return lo;
  }
  if (s >= 32) {
    out.hi = 0;
    return hi >>> (s - 32);
  }
  out.hi = hi >>> s;
  return (lo >>> s) | (hi << (32 - s));
}

export function sra(lo: number, hi: number, s: number): number {
  s &= 63;
  if (s === 0) {
    out.hi = hi;
    return lo;
  }
  if (s >= 32) {
    out.hi = hi >> 31;
    return hi >> (s - 32);
  }
  out.hi = hi >> s;
  return (lo >>> s) | (hi << (32 - s));
}

export const lt = (al: number, ah: number, bl: number, bh: number): boolean =>
  ah < bh || (ah === bh && al >>> 0 < bl >>> 0);
export const ltu = (al: number, ah: number, bl: number, bh: number): boolean =>
  ah >>> 0 < bh >>> 0 || (ah === bh && al >>> 0 < bl >>> 0);

export function sub(al: number, ah: number, bl: number, bh: number): number {
  const lo = (al - bl) | 0;
  out.hi = (ah - bh - (al >>> 0 < bl >>> 0 ? 1 : 0)) | 0;
  return lo;
}

/** Low 64 bits of the product. */
export function mul(al: number, ah: number, bl: number, bh: number): number {
  mulhu32(al, bl);
  const h = mulHiScratch;
  out.hi = (h + Math.imul(al, bh) + Math.imul(ah, bl)) | 0;
  return Math.imul(al, bl);
}

let mulHiScratch = 0;
/** High 32 bits of the unsigned 32x32 product, left in mulHiScratch. */
function mulhu32(a: number, b: number): void {
  const a0 = a & 0xffff,
    a1 = a >>> 16,
    b0 = b & 0xffff,
    b1 = b >>> 16;
  const mid = a1 * b0 + ((a0 * b0) >>> 16);
  const mid2 = a0 * b1 + (mid & 0xffff);
  mulHiScratch = (a1 * b1 + Math.floor(mid / 65536) + Math.floor(mid2 / 65536)) | 0;
}

const limbsA = new Float64Array(4);
const limbsB = new Float64Array(4);
/**
 * High 64 bits of the unsigned 128-bit product, by 16-bit limbs: every partial sum stays below
 * 2^53, so doubles hold it exactly.
 */
export function mulhu(al: number, ah: number, bl: number, bh: number): number {
  limbsA[0] = al & 0xffff;
  limbsA[1] = al >>> 16;
  limbsA[2] = ah & 0xffff;
  limbsA[3] = ah >>> 16;
  limbsB[0] = bl & 0xffff;
  limbsB[1] = bl >>> 16;
  limbsB[2] = bh & 0xffff;
  limbsB[3] = bh >>> 16;
  let c = 0;
  let w4 = 0,
    w5 = 0,
    w6 = 0;
  for (let k = 0; k < 7; k++) {
    let s = c;
    const lo = k < 4 ? 0 : k - 3;
    const hiIdx = k < 4 ? k : 3;
    for (let i = lo; i <= hiIdx; i++) s += limbsA[i] * limbsB[k - i];
    const limb = s % 65536;
    c = (s - limb) / 65536;
    if (k === 4) w4 = limb;
    else if (k === 5) w5 = limb;
    else if (k === 6) w6 = limb;
  }
  out.hi = w6 | (c << 16) | 0;
  return w4 | (w5 << 16);
}

/** High 64 bits of the signed x signed product. */
export function mulh(al: number, ah: number, bl: number, bh: number): number {
  let lo = mulhu(al, ah, bl, bh);
  let hi = out.hi;
  if (ah < 0) {
    lo = sub(lo, hi, bl, bh);
    hi = out.hi;
  }
  if (bh < 0) {
    lo = sub(lo, hi, al, ah);
    hi = out.hi;
  }
  out.hi = hi;
  return lo;
}

/** High 64 bits of the signed (a) x unsigned (b) product. */
export function mulhsu(al: number, ah: number, bl: number, bh: number): number {
  let lo = mulhu(al, ah, bl, bh);
  let hi = out.hi;
  if (ah < 0) {
    lo = sub(lo, hi, bl, bh);
    hi = out.hi;
  }
  out.hi = hi;
  return lo;
}

/**
 * Signed division with RISC-V's results for the special cases (M extension, "Division
 * Operations"): x/0 = -1, overflow (-2^63 / -1) = -2^63. Doubles give the fast path when both
 * operands fit in 52 bits; the quotient is then corrected for rounding.
 */
export function div(al: number, ah: number, bl: number, bh: number): number {
  if ((bl | bh) === 0) {
    out.hi = -1;
    return -1;
  }
  if (fits52(ah) && fits52(bh)) {
    return fromNum(truncDiv(toNum(al, ah), toNum(bl, bh)));
  }
  return fromBig(BigInt.asIntN(64, toBig(al, ah) / toBig(bl, bh)));
}

export function divu(al: number, ah: number, bl: number, bh: number): number {
  if ((bl | bh) === 0) {
    out.hi = -1;
    return -1;
  }
  if (ah >>> 0 <= 0xfffff && bh >>> 0 <= 0xfffff) {
    return fromNum(truncDiv(toNumU(al, ah), toNumU(bl, bh)));
  }
  return fromBig(BigInt.asUintN(64, toBig(al, ah)) / BigInt.asUintN(64, toBig(bl, bh)));
}

export function rem(al: number, ah: number, bl: number, bh: number): number {
  if ((bl | bh) === 0) {
    out.hi = ah;
    return al;
  }
  if (fits52(ah) && fits52(bh)) {
    const a = toNum(al, ah),
      b = toNum(bl, bh);
    return fromNum(a - truncDiv(a, b) * b);
  }
  return fromBig(toBig(al, ah) % toBig(bl, bh));
}

export function remu(al: number, ah: number, bl: number, bh: number): number {
  if ((bl | bh) === 0) {
    out.hi = ah;
    return al;
  }
  if (ah >>> 0 <= 0xfffff && bh >>> 0 <= 0xfffff) {
    const a = toNumU(al, ah),
      b = toNumU(bl, bh);
    return fromNum(a - truncDiv(a, b) * b);
  }
  return fromBig(BigInt.asUintN(64, toBig(al, ah)) % BigInt.asUintN(64, toBig(bl, bh)));
}

/** |v| < 2^52: products of quotient and divisor stay exact in a double. */
const fits52 = (hi: number): boolean => hi >= -0x100000 && hi <= 0xfffff;

/** Quotient rounded toward zero of integers |a|, |b| < 2^53. */
function truncDiv(a: number, b: number): number {
  let q = Math.trunc(a / b);
  // a/b was rounded to nearest; when it rounded up across an integer, step back.
  const r = a - q * b;
  if (r !== 0 && r < 0 !== a < 0) q += a < 0 !== b < 0 ? 1 : -1;
  return q;
}
