// Exact arithmetic for the FPU: error-free transformations on doubles (Knuth's TwoSum, Dekker's
// TwoProduct with Veltkamp splitting) for the fast paths, and BigInt significand arithmetic for the
// slow paths (IEEE 754-2008 §5.4.1: every operation is computed "as if with unbounded precision").

import { loWord, hiWord } from './bits.js';

/** Error of s = fl(a + b): a + b === s + twoSumErr(a, b, s) exactly, provided s did not overflow. */
export function twoSumErr(a: number, b: number, s: number): number {
  const bv = s - a;
  return a - (s - bv) + (b - bv);
}

/** Veltkamp's splitting constant 2^27 + 1 for binary64. */
const SPLIT = 134217729;

/**
 * Error of p = fl(a * b): a * b === p + twoProdErr(a, b, p) exactly, provided |a|, |b| < 2^995 (the
 * splitting does not overflow) and |p| >= 2^-960 (the partial products do not underflow).
 */
export function twoProdErr(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** A finite value (-1)^neg * m * 2^e, plus a sticky "and a little more" bit below 2^e when sticky. */
export interface Exact {
  neg: boolean;
  m: bigint;
  e: number;
  sticky: boolean;
}

/** Exact decomposition of a finite double: |x| = m * 2^e with m < 2^53 (m = 0n for zeros). */
export function split64(x: number): Exact {
  const lo = loWord(x);
  const hi = hiWord();
  const be = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo >>> 0);
  if (be !== 0) m |= 1n << 52n;
  return { neg: hi < 0, m, e: Math.max(be, 1) - 1075, sticky: false };
}

function signed(x: Exact): bigint {
  return x.neg ? -x.m : x.m;
}

function fromSigned(v: bigint, e: number, sticky: boolean): Exact {
  return v < 0n ? { neg: true, m: -v, e, sticky } : { neg: false, m: v, e, sticky };
}

/** Exact a + b of two exact values without sticky bits; m = 0n when they cancel. */
export function exactAdd(a: Exact, b: Exact): Exact {
  const e = Math.min(a.e, b.e);
  return fromSigned((signed(a) << BigInt(a.e - e)) + (signed(b) << BigInt(b.e - e)), e, false);
}

/** Exact a * b. */
export function exactMul(a: Exact, b: Exact): Exact {
  return { neg: a.neg !== b.neg, m: a.m * b.m, e: a.e + b.e, sticky: false };
}

/** Quotient bits added below the operands so a quotient always carries more than 53 + 2 bits. */
const DIV_EXTRA = 128;

/** a / b (b.m nonzero) truncated to at least 75 bits plus sticky. */
export function exactDiv(a: Exact, b: Exact): Exact {
  const n = a.m << BigInt(DIV_EXTRA);
  const q = n / b.m;
  return { neg: a.neg !== b.neg, m: q, e: a.e - b.e - DIV_EXTRA, sticky: q * b.m !== n };
}

/** Integer square root: the largest r with r * r <= n. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** sqrt(a) of a positive value, truncated to at least 64 bits plus sticky. */
export function exactSqrt(a: Exact): Exact {
  let m = a.m;
  let e = a.e;
  if ((e & 1) !== 0) {
    m <<= 1n;
    e -= 1;
  }
  m <<= BigInt(DIV_EXTRA);
  e -= DIV_EXTRA;
  const r = isqrt(m);
  return { neg: false, m: r, e: e / 2, sticky: r * r !== m };
}
