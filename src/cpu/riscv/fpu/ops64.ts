// binary64 arithmetic of the D extension (unprivileged ISA, "D" chapter §Double-Precision
// Computational Instructions) on non-NaN operands, correctly rounded in every rounding mode with
// IEEE 754-2008 §7 flags. A NaN return value stands for the canonical NaN (the caller writes its bits).
//
// Fast paths use native (round-to-nearest-even) arithmetic plus an exact error term (TwoSum /
// TwoProduct) to decide NX and to step one ulp for directed modes; they only run where the error
// term is exact and the result is normal. Everything else goes through exact BigInt arithmetic.

import { type FlagSink, BINARY64, NV, DZ, NX, OF, RNE, RTZ, RDN, RUP, RMM } from './bits.js';
import { halfUlp64, loWord, pow2, stepAway64, stepToZero64 } from './bits.js';
import { LO, HI, mulFast, divFast, sqrtFast, fmaFast } from './fast.js';
import {
  type Exact,
  twoSumErr,
  twoProdErr,
  split64,
  exactAdd,
  exactMul,
  exactDiv,
  exactSqrt,
} from './exact.js';
import { roundBig } from './round.js';

/** True for -0 and negative numbers (the sign bit of a non-NaN double). */
export function signBit(x: number): boolean {
  return x < 0 || (x === 0 && 1 / x < 0);
}

/**
 * Given r = RN(x) finite and nonzero, and err with the sign of x - r (err !== 0), return x rounded in
 * mode rm (not RNE). For RMM, err must be exactly x - r (a tie is |err| == half an ulp of r away
 * from zero). Raises OF when stepping away from the largest finite value.
 */
export function directed64(s: FlagSink, r: number, err: number, rm: number): number {
  const above = err > 0 === r > 0;
  let out = r;
  switch (rm) {
    case RTZ:
      if (!above) out = stepToZero64(r);
      break;
    case RDN:
      if (err < 0) out = r > 0 ? stepToZero64(r) : stepAway64(r);
      break;
    case RUP:
      if (err > 0) out = r > 0 ? stepAway64(r) : stepToZero64(r);
      break;
    case RMM:
      if (above && Math.abs(err) === halfUlp64(r)) out = stepAway64(r);
      break;
  }
  if (out - out !== 0) s.fflags |= OF;
  return out;
}

/** Round an exact nonzero value to binary64. */
function round64(s: FlagSink, x: Exact, rm: number): number {
  return roundBig(s, x.neg, x.m, x.e, x.sticky, BINARY64, rm);
}

/** Exact zero result of a sum, IEEE 754-2008 §6.3: +0 except -0 in RDN, or the common sign of two zeros. */
function zeroSum(a: number, b: number, rm: number): number {
  if (a === 0 && b === 0 && signBit(a) === signBit(b)) return a;
  return rm === RDN ? -0 : 0;
}

function addSlow(s: FlagSink, a: number, b: number, rm: number): number {
  const ia = a - a !== 0;
  const ib = b - b !== 0;
  if (ia || ib) {
    if (ia && ib && a !== b) {
      s.fflags |= NV;
      return NaN;
    }
    return ia ? a : b;
  }
  if (a === 0 || b === 0) return a === 0 ? (b === 0 ? zeroSum(a, b, rm) : b) : a;
  const x = exactAdd(split64(a), split64(b));
  return x.m === 0n ? zeroSum(a, b, rm) : round64(s, x, rm);
}

/** a + b (FADD.D; FSUB.D is a + -b). */
export function add64(s: FlagSink, a: number, b: number, rm: number): number {
  const r = a + b;
  if (r - r === 0 && r !== 0) {
    // err is NaN when an intermediate of TwoSum overflows (operands near +-MAX); that only happens
    // when r is inexact, but the direction is then unknown: take the exact path.
    const err = twoSumErr(a, b, r);
    if (err === 0) return r;
    if (rm === RNE) {
      s.fflags |= NX;
      return r;
    }
    if (err === err) {
      s.fflags |= NX;
      return directed64(s, r, err, rm);
    }
  }
  return addSlow(s, a, b, rm);
}

function mulSlow(s: FlagSink, a: number, b: number, rm: number): number {
  const neg = signBit(a) !== signBit(b);
  if (a - a !== 0 || b - b !== 0) {
    if (a === 0 || b === 0) {
      s.fflags |= NV;
      return NaN;
    }
    return neg ? -Infinity : Infinity;
  }
  if (a === 0 || b === 0) return neg ? -0 : 0;
  return round64(s, exactMul(split64(a), split64(b)), rm);
}

/** a * b (FMUL.D). */
export function mul64(s: FlagSink, a: number, b: number, rm: number): number {
  const p = a * b;
  if (mulFast(a, b, p)) {
    const err = twoProdErr(a, b, p);
    if (err === 0) return p;
    s.fflags |= NX;
    return rm === RNE ? p : directed64(s, p, err, rm);
  }
  return mulSlow(s, a, b, rm);
}

function divSlow(s: FlagSink, a: number, b: number, rm: number): number {
  const neg = signBit(a) !== signBit(b);
  const ia = a - a !== 0;
  const ib = b - b !== 0;
  if ((ia && ib) || (a === 0 && b === 0)) {
    s.fflags |= NV;
    return NaN;
  }
  if (ia) return neg ? -Infinity : Infinity;
  if (ib || a === 0) return neg ? -0 : 0;
  if (b === 0) {
    s.fflags |= DZ;
    return neg ? -Infinity : Infinity;
  }
  return round64(s, exactDiv(split64(a), split64(b)), rm);
}

/** a / b (FDIV.D). A normal quotient of binary64 values is never exactly halfway, so RMM = RNE. */
export function div64(s: FlagSink, a: number, b: number, rm: number): number {
  const q = a / b;
  if (divFast(a, b, q)) {
    const p = q * b;
    const rem = a - p - twoProdErr(q, b, p);
    if (rem === 0) return q;
    s.fflags |= NX;
    if (rm === RNE || rm === RMM) return q;
    return directed64(s, q, rem > 0 === b > 0 ? 1 : -1, rm);
  }
  return divSlow(s, a, b, rm);
}

/** sqrt(a) (FSQRT.D). A normal square root is never exactly halfway, so RMM = RNE. */
export function sqrt64(s: FlagSink, a: number, rm: number): number {
  if (sqrtFast(a)) {
    const r = Math.sqrt(a);
    const p = r * r;
    const rem = a - p - twoProdErr(r, r, p);
    if (rem === 0) return r;
    s.fflags |= NX;
    if (rm === RNE || rm === RMM) return r;
    return directed64(s, r, rem, rm);
  }
  if (a === 0 || a === Infinity) return a;
  if (a < 0) {
    s.fflags |= NV;
    return NaN;
  }
  return round64(s, exactSqrt(split64(a)), rm);
}

/** Special operands of a fused multiply-add: infinities and zero products. Undefined if none apply. */
function fmaSpecial(s: FlagSink, a: number, b: number, c: number, rm: number): number | undefined {
  if (a - a !== 0 || b - b !== 0) {
    // An infinite factor: native arithmetic is exact here; a NaN is inf * 0 or inf - inf.
    const r = a * b + c;
    if (r !== r) s.fflags |= NV;
    return r;
  }
  if (c - c !== 0) return c;
  if (a === 0 || b === 0) {
    const p = signBit(a) !== signBit(b) ? -0 : 0;
    return c === 0 ? zeroSum(p, c, rm) : c;
  }
  return undefined;
}

const TWO_53 = pow2(53);

/**
 * a * b + c with a single rounding in mode rm, decided with doubles alone (accruing NX), or NaN when
 * that is not possible: NaN or infinite operands, a product or result that may overflow or be tiny.
 * Covers zero products and exact zero sums too, so ordinary operands never reach the BigInt path.
 */
export function fmaFast64(s: FlagSink, a: number, b: number, c: number, rm: number): number {
  const p = a * b;
  if (!fmaFast(a, b, c, p)) {
    // A zero product (a or b zero, the other finite) leaves c exact: the result is c or a signed zero.
    if (p === 0 && (a === 0 || b === 0) && c === c) return c !== 0 ? c : zeroSum(p, c, rm);
    return NaN;
  }
  // a*b + c = th + tl + pe = r + e1 + e2 exactly (TwoProduct, then TwoSum three times).
  const pe = twoProdErr(a, b, p);
  const th = p + c;
  const tl = twoSumErr(p, c, th);
  const w = tl + pe;
  const r = th + w;
  const e1 = twoSumErr(th, w, r);
  const e2 = twoSumErr(tl, pe, w);
  // d = fl(e1 + e2) has the sign of x - r (x the exact value) and is 0 iff x === r.
  const d = e1 + e2;
  const ar = Math.abs(r);
  if (!(ar >= LO && ar < HI)) return r === 0 && d === 0 ? zeroSum(p, c, rm) : NaN;
  if (d === 0) return r;
  // x lies between r and its neighbour n on x's side; `half` is half the gap between them, which
  // is half an ulp of r except towards zero from a power of two, where the gap halves.
  const toward = d < 0 !== r < 0;
  const h = halfUlp64(r);
  const half = toward && ar === h * TWO_53 ? h / 2 : h;
  const ad = Math.abs(d);
  // |e1| is at most half the gap and e2 is far smaller, so x never reaches n; the steps below rely
  // on that, hence the check.
  if (!(ad < 2 * half)) return NaN;
  s.fflags |= NX;
  if (rm !== RNE && rm !== RMM) return directed64(s, r, d, rm);
  if (ad < half) return r;
  const n = toward ? stepToZero64(r) : stepAway64(r);
  if (ad > half) return n;
  // |d| is exactly half the gap (a power of two): x - r = d + dd says whether x is past the midpoint.
  const dd = twoSumErr(e1, e2, d);
  if (dd !== 0) return dd > 0 === d > 0 ? n : r;
  // A tie: RMM rounds away from zero, RNE to the even significand.
  if (rm === RMM) return toward ? r : n;
  return (loWord(r) & 1) === 0 ? r : n;
}

/** a * b + c with a single rounding (FMADD.D; the other three negate a and/or c). */
export function fma64(s: FlagSink, a: number, b: number, c: number, rm: number): number {
  const r = fmaFast64(s, a, b, c, rm);
  return r === r ? r : fmaSlow(s, a, b, c, rm);
}

/** a * b + c on exact BigInt values (non-NaN operands): the reference for `fmaFast64`. */
export function fmaSlow(s: FlagSink, a: number, b: number, c: number, rm: number): number {
  const sp = fmaSpecial(s, a, b, c, rm);
  if (sp !== undefined) return sp;
  const prod = exactMul(split64(a), split64(b));
  const x = c === 0 ? prod : exactAdd(prod, split64(c));
  return x.m === 0n ? (rm === RDN ? -0 : 0) : round64(s, x, rm);
}

/** The binary64 nearest to the 64-bit integer (hi:lo) (signed if `signed`), in mode rm (FCVT.D.L/LU). */
export function fromInt64(s: FlagSink, lo: number, hi: number, signed: boolean, rm: number): number {
  const h = (signed ? hi : hi >>> 0) * 4294967296;
  const l = lo >>> 0;
  const r = h + l;
  const err = twoSumErr(h, l, r);
  if (err === 0) return r;
  s.fflags |= NX;
  return rm === RNE ? r : directed64(s, r, err, rm);
}
