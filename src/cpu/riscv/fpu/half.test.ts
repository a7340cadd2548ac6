// Zfh's binary16 arithmetic, conversions, comparisons and classification through the Fpu register
// interface, against a reference written here from IEEE 754-2008 (§4.3 rounding, §6.2 NaNs, §6.3
// signs of zeros, §7 exceptions with tininess after rounding, as the RISC-V F chapter says) on exact
// BigInt rationals, and the Zfh chapter (NaN-boxing in the upper 48 bits, canonical NaN 0x7e00).
// The reference knows nothing of the implementation's binary64 tricks.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fpu } from './fpu.js';
import { NV, DZ, OF, UF, NX, RNE, RTZ, RDN, RUP, RMM } from './bits.js';
import { mulberry32 } from '../../../core/prng.js';

const MODES = [RNE, RTZ, RDN, RUP, RMM];
const MODE_NAME = ['rne', 'rtz', 'rdn', 'rup', 'rmm'];
const CANON = 0x7e00;
const INF = 0x7c00;

// ---- The reference ----------------------------------------------------------------------------

/** A decoded operand: NaN (signaling or quiet), an infinity, or a finite value (-1)^neg * m * 2^e. */
interface Val {
  readonly nan: boolean;
  readonly snan: boolean;
  readonly inf: boolean;
  readonly neg: boolean;
  readonly m: bigint;
  readonly e: number;
}

/** Decode an IEEE binary format of `w` exponent bits and `t` trailing significand bits. */
function decode(bits: bigint, w: number, t: number): Val {
  const bias = 2 ** (w - 1) - 1;
  const neg = (bits >> BigInt(w + t)) & 1n ? true : false;
  const be = Number((bits >> BigInt(t)) & ((1n << BigInt(w)) - 1n));
  const f = bits & ((1n << BigInt(t)) - 1n);
  if (be === 2 ** w - 1) {
    const nan = f !== 0n;
    return { nan, snan: nan && ((f >> BigInt(t - 1)) & 1n) === 0n, inf: !nan, neg, m: 0n, e: 0 };
  }
  const m = be === 0 ? f : f | (1n << BigInt(t));
  return { nan: false, snan: false, inf: false, neg, m, e: Math.max(be, 1) - bias - t };
}
const h = (bits: number): Val => decode(BigInt(bits), 5, 10);
const s = (bits: number): Val => decode(BigInt(bits >>> 0), 8, 23);
const d = (bits: bigint): Val => decode(bits, 11, 52);

/** What the value x / 2^q is next to: its integer part k, where the fraction is against 1/2, whether it is 0. */
type Oracle = (q: number) => { k: bigint; half: number; exact: boolean };
const sgn = (v: bigint): number => (v > 0n ? 1 : v < 0n ? -1 : 0);

/** The exact rational n / den (n, den > 0). */
function ratio(n: bigint, den: bigint): Oracle {
  return (q) => {
    const N = q <= 0 ? n << BigInt(-q) : n;
    const D = q <= 0 ? den : den << BigInt(q);
    const k = N / D;
    const r = N - k * D;
    return { k, half: sgn(2n * r - D), exact: r === 0n };
  };
}
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}
/** The exact square root of n / den (n, den > 0). */
function sqrtRatio(n: bigint, den: bigint): Oracle {
  return (q) => {
    // sqrt(n / den) / 2^q = sqrt(N / D) with N / D = n / (den * 4^q).
    const N = q <= 0 ? n << BigInt(-2 * q) : n;
    const D = q <= 0 ? den : den << BigInt(2 * q);
    const k = isqrt(N / D);
    return { k, half: sgn(4n * N - (2n * k + 1n) ** 2n * D), exact: k * k * D === N };
  };
}
/** A finite nonzero value's magnitude as an oracle. */
function valueOf(v: Val): Oracle {
  return v.e >= 0 ? ratio(v.m << BigInt(v.e), 1n) : ratio(v.m, 1n << BigInt(-v.e));
}

interface Out {
  bits: number;
  flags: number;
}
const nanOut = (flags: number): Out => ({ bits: CANON, flags });
const infOut = (neg: boolean): Out => ({ bits: neg ? 0xfc00 : INF, flags: 0 });
const zeroOut = (neg: boolean): Out => ({ bits: neg ? 0x8000 : 0, flags: 0 });

const EMIN = -14;
const P = 11;
const MAX = 65504n;

/** IEEE 754 rounding of the nonzero value (-1)^neg * x (x known by `at`) to binary16 in mode rm, with flags. */
function round16(neg: boolean, at: Oracle, rm: number): Out {
  // E = floor(log2 x): the largest E with x / 2^E >= 1.
  let lo = -1200;
  let hi = 1200;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (at(mid).k >= 1n) lo = mid;
    else hi = mid - 1;
  }
  const E = lo;
  const roundAt = (q: number): { k: bigint; exact: boolean } => {
    const { k, half, exact } = at(q);
    let up: boolean;
    if (rm === RNE) up = half > 0 || (half === 0 && (k & 1n) === 1n);
    else if (rm === RMM) up = half >= 0;
    else if (rm === RTZ) up = false;
    else if (rm === RDN) up = neg && !exact;
    else up = !neg && !exact;
    return { k: up ? k + 1n : k, exact };
  };
  const q = Math.max(E, EMIN) - (P - 1);
  const r = roundAt(q);
  const above = (k: bigint, e: number, limit: bigint): boolean =>
    e >= 0 ? k << BigInt(e) > limit : k > limit << BigInt(-e);
  if (above(r.k, q, MAX)) {
    const toInf = rm === RNE || rm === RMM || (rm === RUP && !neg) || (rm === RDN && neg);
    return { bits: (neg ? 0x8000 : 0) | (toInf ? INF : 0x7bff), flags: OF | NX };
  }
  let flags = r.exact ? 0 : NX;
  // Tiny: the result rounded to 11 bits with an unbounded exponent, u.k * 2^(E-10), is below
  // 2^emin, that is u.k * 2^t < 1 with t = E - 10 - emin.
  const u = roundAt(E - (P - 1));
  const t = E - (P - 1) - EMIN;
  if (!r.exact && t < 0 && u.k < 1n << BigInt(-t)) flags |= UF;
  // Encode k * 2^q: M = k * 2^(q + 24) is the magnitude in units of the smallest subnormal.
  const M = Number(r.k << BigInt(q + 24));
  let bits: number;
  if (M < 1024) bits = M;
  else {
    const e = M.toString(2).length - 10;
    bits = (e << 10) | ((M / 2 ** (e - 1)) & 1023);
  }
  return { bits: (neg ? 0x8000 : 0) | bits, flags };
}

/** Round a value of another format (or an integer) to binary16: FCVT.H.S, FCVT.H.D, FCVT.H.[L|W][U]. */
function refFrom(v: Val, rm: number): Out {
  if (v.nan) return nanOut(v.snan ? NV : 0);
  if (v.inf) return infOut(v.neg);
  if (v.m === 0n) return zeroOut(v.neg);
  return round16(v.neg, valueOf(v), rm);
}

/** An exact zero sum (IEEE 754-2008 §6.3): the common sign of two zero operands, else +0 (-0 in RDN). */
function zeroSum(bothZeroSameSign: boolean, neg: boolean, rm: number): Out {
  return zeroOut(bothZeroSameSign ? neg : rm === RDN);
}

function refAdd(a: Val, b: Val, rm: number): Out {
  if (a.nan || b.nan) return nanOut(a.snan || b.snan ? NV : 0);
  if (a.inf && b.inf && a.neg !== b.neg) return nanOut(NV);
  if (a.inf || b.inf) return infOut(a.inf ? a.neg : b.neg);
  // Both are multiples of 2^-24.
  const sa = (a.neg ? -a.m : a.m) << BigInt(a.e + 24);
  const sb = (b.neg ? -b.m : b.m) << BigInt(b.e + 24);
  const sum = sa + sb;
  if (sum === 0n) return zeroSum(a.m === 0n && b.m === 0n && a.neg === b.neg, a.neg, rm);
  return round16(sum < 0n, ratio(sum < 0n ? -sum : sum, 1n << 24n), rm);
}
const neg = (v: Val): Val => (v.nan ? v : { ...v, neg: !v.neg });

function refMul(a: Val, b: Val, rm: number): Out {
  if (a.nan || b.nan) return nanOut(a.snan || b.snan ? NV : 0);
  const n = a.neg !== b.neg;
  if ((a.inf && b.m === 0n && !b.inf) || (b.inf && a.m === 0n && !a.inf)) return nanOut(NV);
  if (a.inf || b.inf) return infOut(n);
  if (a.m === 0n || b.m === 0n) return zeroOut(n);
  const e = a.e + b.e;
  return round16(n, e >= 0 ? ratio((a.m * b.m) << BigInt(e), 1n) : ratio(a.m * b.m, 1n << BigInt(-e)), rm);
}

function refDiv(a: Val, b: Val, rm: number): Out {
  if (a.nan || b.nan) return nanOut(a.snan || b.snan ? NV : 0);
  const n = a.neg !== b.neg;
  if ((a.inf && b.inf) || (!a.inf && !b.inf && a.m === 0n && b.m === 0n)) return nanOut(NV);
  if (a.inf) return infOut(n);
  if (b.inf || a.m === 0n) return zeroOut(n);
  if (b.m === 0n) return { bits: infOut(n).bits, flags: DZ };
  const e = a.e - b.e;
  return round16(n, e >= 0 ? ratio(a.m << BigInt(e), b.m) : ratio(a.m, b.m << BigInt(-e)), rm);
}

function refSqrt(a: Val, rm: number): Out {
  if (a.nan) return nanOut(a.snan ? NV : 0);
  if (a.m === 0n && !a.inf) return zeroOut(a.neg);
  if (a.neg) return nanOut(NV);
  if (a.inf) return infOut(false);
  return round16(
    false,
    a.e >= 0 ? sqrtRatio(a.m << BigInt(a.e), 1n) : sqrtRatio(a.m, 1n << BigInt(-a.e)),
    rm,
  );
}

/** (negProd ? -1 : 1) * a * b + (negAdd ? -1 : 1) * c, rounded once. */
function refFma(a: Val, b: Val, c: Val, negProd: boolean, negAdd: boolean, rm: number): Out {
  const infZero = (a.inf && !b.nan && !b.inf && b.m === 0n) || (b.inf && !a.nan && !a.inf && a.m === 0n);
  // RISC-V: inf * 0 is invalid even when the addend is a quiet NaN.
  if (a.nan || b.nan || c.nan) return nanOut(a.snan || b.snan || c.snan || infZero ? NV : 0);
  if (infZero) return nanOut(NV);
  const pn = (a.neg !== b.neg) !== negProd;
  const cn = c.neg !== negAdd;
  if (a.inf || b.inf) return c.inf && cn !== pn ? nanOut(NV) : infOut(pn);
  if (c.inf) return infOut(cn);
  // In units of 2^-48: the product exactly, and c.
  const p = (a.m * b.m) << BigInt(a.e + b.e + 48);
  const cc = c.m << BigInt(c.e + 48);
  const sum = (pn ? -p : p) + (cn ? -cc : cc);
  if (sum === 0n) return zeroSum(p === 0n && cc === 0n && pn === cn, pn, rm);
  return round16(sum < 0n, ratio(sum < 0n ? -sum : sum, 1n << 48n), rm);
}

// ---- The unit under test ----------------------------------------------------------------------

const f = new Fpu();
/** f[r] = the NaN-boxed binary16 w. */
const put = (r: number, w: number): void => f.setH(r, w);
/** f[r] as binary16 bits, checking that it is properly NaN-boxed. */
function got(r: number): number {
  assert.equal(f.bits[2 * r + 1], -1, 'upper word of a binary16 result is all ones');
  assert.equal(f.bits[2 * r] >>> 16, 0xffff, 'bits 31:16 of a binary16 result are all ones');
  return f.bits[2 * r] & 0xffff;
}
const hex = (w: number): string => '0x' + (w >>> 0).toString(16).padStart(4, '0');

type Op2 = 'add' | 'sub' | 'mul' | 'div';
function run2(op: Op2, a: number, b: number, rm: number): Out {
  put(1, a);
  put(2, b);
  f.fflags = 0;
  f[`${op}H`](3, 1, 2, rm);
  return { bits: got(3), flags: f.fflags };
}
function ref2(op: Op2, a: number, b: number, rm: number): Out {
  if (op === 'add') return refAdd(h(a), h(b), rm);
  if (op === 'sub') return refAdd(h(a), neg(h(b)), rm);
  if (op === 'mul') return refMul(h(a), h(b), rm);
  return refDiv(h(a), h(b), rm);
}
function check(what: string, out: Out, want: Out): void {
  if (out.bits !== want.bits || out.flags !== want.flags)
    assert.fail(
      `${what}: got ${hex(out.bits)} flags ${out.flags}, want ${hex(want.bits)} flags ${want.flags}`,
    );
}

/** Operands that hit the edges: zeros, subnormals, the normal boundary, 1, the largest values, infinities, NaNs. */
const EDGES = [
  0x0000, 0x8000, 0x0001, 0x8001, 0x0002, 0x01ff, 0x0200, 0x03ff, 0x83ff, 0x0400, 0x8400, 0x0401, 0x07ff,
  0x3555, 0x3bff, 0x3c00, 0xbc00, 0x3c01, 0x3e00, 0x4000, 0x4200, 0x5bff, 0x7800, 0x7bfe, 0x7bff, 0xfbff,
  0x7c00, 0xfc00, 0x7e00, 0xfe00, 0x7c01, 0x7dff, 0x7fff,
];

/** Random binary16 operands: any bits, edges, or values near a given exponent (to force cancellation and ties). */
function operands(seed: number): () => number {
  const r = mulberry32(seed);
  return () => {
    const k = r() % 8;
    if (k === 0) return EDGES[r() % EDGES.length];
    if (k <= 2) return r() & 0xffff;
    // Finite values with exponents near the middle, the subnormal end or the top.
    const e = [15, 14, 1, 0, 29, 30][r() % 6] + ((r() % 3) - 1);
    return (r() & 0x8000) | (Math.max(0, Math.min(30, e)) << 10) | (r() & 0x3ff);
  };
}

// ---- Tests --------------------------------------------------------------------------------------

test('binary16: the reference itself, on values worked out by hand', () => {
  // 1/3 = 0x3555 (0.333251953125) rounding down in RNE; 1 + 2^-11 is a tie: even in RNE, away in RMM.
  assert.deepEqual(refDiv(h(0x3c00), h(0x4200), RNE), { bits: 0x3555, flags: NX });
  assert.deepEqual(refDiv(h(0x3c00), h(0x4200), RUP), { bits: 0x3556, flags: NX });
  assert.deepEqual(refAdd(h(0x3c00), h(0x1000), RNE), { bits: 0x3c00, flags: NX });
  assert.deepEqual(refAdd(h(0x3c00), h(0x1000), RMM), { bits: 0x3c01, flags: NX });
  // 65504 + 16 is the midpoint to 65536 (even): overflow in RNE. In RTZ it rounds to 65504 even
  // with an unbounded exponent, so it does not overflow; 65504 + 32 = 65536 does.
  assert.deepEqual(refAdd(h(0x7bff), h(0x4c00), RNE), { bits: INF, flags: OF | NX });
  assert.deepEqual(refAdd(h(0x7bff), h(0x4c00), RTZ), { bits: 0x7bff, flags: NX });
  assert.deepEqual(refAdd(h(0x7bff), h(0x5000), RTZ), { bits: 0x7bff, flags: OF | NX });
  // 2^-24 * 0.5 ties to 0 (even) in RNE: tiny and inexact.
  assert.deepEqual(refMul(h(0x0001), h(0x3800), RNE), { bits: 0, flags: UF | NX });
  assert.deepEqual(refSqrt(h(0x4400), RNE), { bits: 0x4000, flags: 0 });
});

test('binary16: exact results, ties, overflow, tininess and NaNs at the edges, every mode', () => {
  const cases: [Op2, number, number, number, Out][] = [
    ['add', 0x3c00, 0x3c00, RNE, { bits: 0x4000, flags: 0 }],
    ['sub', 0x3c00, 0x3c00, RNE, { bits: 0x0000, flags: 0 }],
    ['sub', 0x3c00, 0x3c00, RDN, { bits: 0x8000, flags: 0 }],
    ['add', 0x8000, 0x8000, RNE, { bits: 0x8000, flags: 0 }],
    ['add', 0x8000, 0x0000, RNE, { bits: 0x0000, flags: 0 }],
    ['add', 0x8000, 0x0000, RDN, { bits: 0x8000, flags: 0 }],
    ['add', 0x7c00, 0xfc00, RNE, { bits: CANON, flags: NV }],
    ['mul', 0x7c00, 0x0000, RNE, { bits: CANON, flags: NV }],
    ['div', 0x0000, 0x0000, RNE, { bits: CANON, flags: NV }],
    ['div', 0x3c00, 0x8000, RNE, { bits: 0xfc00, flags: DZ }],
    ['add', 0x7c01, 0x3c00, RNE, { bits: CANON, flags: NV }], // signaling NaN payload -> canonical
    ['add', 0x7fff, 0x3c00, RNE, { bits: CANON, flags: 0 }], // quiet NaN payload -> canonical
    ['mul', 0x7bff, 0x4000, RTZ, { bits: 0x7bff, flags: OF | NX }],
    ['mul', 0xfbff, 0x4000, RUP, { bits: 0xfbff, flags: OF | NX }],
    ['mul', 0xfbff, 0x4000, RDN, { bits: 0xfc00, flags: OF | NX }],
    ['mul', 0x0001, 0x3800, RUP, { bits: 0x0001, flags: UF | NX }],
    ['mul', 0x0001, 0x3a00, RNE, { bits: 0x0001, flags: UF | NX }],
    // 0x03ff * (1 + 2^-10): rounds up to 2^-14 in RNE, and is not tiny after rounding at 11 bits.
    ['mul', 0x03ff, 0x3c01, RNE, { bits: 0x0400, flags: NX }],
    ['mul', 0x03ff, 0x3c01, RTZ, { bits: 0x03ff, flags: UF | NX }],
    ['div', 0x0001, 0x4000, RNE, { bits: 0x0000, flags: UF | NX }],
    ['div', 0x0003, 0x4000, RNE, { bits: 0x0002, flags: UF | NX }], // 1.5 units: tie to even
    ['div', 0x0003, 0x4000, RMM, { bits: 0x0002, flags: UF | NX }],
    ['div', 0x0001, 0x4000, RMM, { bits: 0x0001, flags: UF | NX }],
  ];
  for (const [op, a, b, rm, want] of cases) {
    const what = `${op}.h ${hex(a)}, ${hex(b)} ${MODE_NAME[rm]}`;
    check(`${what} (reference)`, ref2(op, a, b, rm), want);
    check(what, run2(op, a, b, rm), want);
  }
});

test('binary16: FADD/FSUB/FMUL/FDIV.H agree with the exact reference on edges and random operands, all modes', () => {
  const ops: Op2[] = ['add', 'sub', 'mul', 'div'];
  for (const op of ops) {
    for (const a of EDGES)
      for (const b of EDGES)
        for (const rm of MODES)
          check(`${op}.h ${hex(a)} ${hex(b)} ${MODE_NAME[rm]}`, run2(op, a, b, rm), ref2(op, a, b, rm));
    const next = operands(op.length * 7919 + op.charCodeAt(0));
    for (let i = 0; i < 3000; i++) {
      const a = next();
      const b = next();
      for (const rm of MODES)
        check(`${op}.h ${hex(a)} ${hex(b)} ${MODE_NAME[rm]}`, run2(op, a, b, rm), ref2(op, a, b, rm));
    }
  }
});

test('binary16: FSQRT.H agrees with the exact reference on every input, all modes', () => {
  for (let a = 0; a < 0x10000; a++)
    for (const rm of MODES) {
      put(1, a);
      f.fflags = 0;
      f.sqrtH(3, 1, rm);
      check(`fsqrt.h ${hex(a)} ${MODE_NAME[rm]}`, { bits: got(3), flags: f.fflags }, refSqrt(h(a), rm));
    }
});

test('binary16: the four fused multiply-adds agree with the exact reference, all modes', () => {
  const next = operands(4242);
  const r = mulberry32(99);
  const forms: [string, boolean, boolean][] = [
    ['fmadd', false, false],
    ['fmsub', false, true],
    ['fnmsub', true, false],
    ['fnmadd', true, true],
  ];
  const one = (a: number, b: number, c: number): void => {
    for (const [name, np, na] of forms)
      for (const rm of MODES) {
        put(1, a);
        put(2, b);
        put(4, c);
        f.fflags = 0;
        f.fmaH(3, 1, 2, 4, rm, np, na);
        const what = `${name}.h ${hex(a)} ${hex(b)} ${hex(c)} ${MODE_NAME[rm]}`;
        check(what, { bits: got(3), flags: f.fflags }, refFma(h(a), h(b), h(c), np, na, rm));
      }
  };
  for (const a of EDGES)
    for (const b of [0x0000, 0x3c00, 0x7c00, 0x0001, 0x7bff]) for (const c of EDGES) one(a, b, c);
  for (let i = 0; i < 3000; i++) {
    const a = next();
    const b = next();
    // Often an addend near -a*b, so that the sum cancels and its low bits matter.
    let c = next();
    if (r() % 2 === 0) {
      const p = h(a);
      const q = h(b);
      if (!p.nan && !p.inf && !q.nan && !q.inf && p.m !== 0n && q.m !== 0n) {
        put(5, a);
        put(6, b);
        f.mulH(7, 5, 6, r() % 5);
        c = got(7) ^ (r() % 2 === 0 ? 0x8000 : 0) ^ (r() % 4);
      }
    }
    one(a, b, c);
  }
});

test('binary16: an operand that is not NaN-boxed is the canonical NaN; results are boxed', () => {
  const boxes: [number, number][] = [
    [0x00003c00, -1], // bits 31:16 zero
    [0x7fff3c00, -1], // one bit of 31:16 clear
    [0xffff3c00 | 0, 0x7fffffff], // upper word not all ones
    [0xffff7c01 | 0, 0], // a signaling NaN pattern, but unboxed: quiet canonical NaN, no NV
  ];
  for (const [lo, hi] of boxes) {
    f.setD(1, lo, hi);
    put(2, 0x3c00);
    f.fflags = 0;
    f.addH(3, 1, 2, RNE);
    assert.equal(got(3), CANON, `fadd.h with f1 = ${hi}:${lo}`);
    assert.equal(f.fflags, 0);
    assert.equal(f.getH(1), CANON);
    assert.equal(f.classH(1), 1 << 9, 'fclass.h: quiet NaN');
    f.cvtSH(4, 1);
    assert.equal(f.getS(4), 0x7fc00000, 'fcvt.s.h of an unboxed operand: canonical single NaN');
  }
  put(1, 0x7c01);
  f.fflags = 0;
  f.cvtSH(4, 1);
  assert.equal(f.getS(4), 0x7fc00000);
  assert.equal(f.fflags, NV, 'a boxed signaling NaN raises NV');
});

test('binary16: FCVT.S.H and FCVT.D.H are exact, FCVT.H.S and FCVT.H.D round like the reference', () => {
  const dv = new DataView(new ArrayBuffer(8));
  for (let a = 0; a < 0x10000; a++) {
    const v = h(a);
    put(1, a);
    f.fflags = 0;
    f.cvtSH(2, 1);
    f.cvtDH(3, 1);
    if (v.nan) {
      assert.equal(f.getS(2), 0x7fc00000, `fcvt.s.h ${hex(a)}`);
      assert.deepEqual([f.bits[6], f.bits[7]], [0, 0x7ff80000], `fcvt.d.h ${hex(a)}`);
      assert.equal(f.fflags, v.snan ? NV : 0);
      continue;
    }
    assert.equal(f.fflags, 0);
    const want = (v.neg ? -1 : 1) * (v.inf ? Infinity : Number(v.m) * 2 ** v.e);
    dv.setUint32(0, f.getS(2) >>> 0);
    assert.ok(Object.is(dv.getFloat32(0), want), `fcvt.s.h ${hex(a)}`);
    assert.ok(Object.is(f.f64[3], want), `fcvt.d.h ${hex(a)}`);
  }
  const r = mulberry32(1234);
  for (let i = 0; i < 20000; i++) {
    // binary32 around the binary16 range (exponent field 96..145) and anything at all.
    const sb = i % 4 === 0 ? r() : ((r() & 0x80000000) | ((96 + (r() % 50)) << 23) | (r() & 0x7fffff)) >>> 0;
    // binary64 likewise (exponent field 990..1040), low bits set so that sticky bits matter.
    const db =
      i % 4 === 0
        ? (BigInt(r()) << 32n) | BigInt(r())
        : (BigInt(r() & 0x80000000) << 32n) |
          (BigInt(990 + (r() % 50)) << 52n) |
          (BigInt(r() & 0xfffff) << 32n) |
          BigInt(r());
    for (const rm of MODES) {
      f.setS(1, sb | 0);
      f.fflags = 0;
      f.cvtHS(2, 1, rm);
      check(
        `fcvt.h.s ${sb.toString(16)} ${MODE_NAME[rm]}`,
        { bits: got(2), flags: f.fflags },
        refFrom(s(sb), rm),
      );
      f.setD(1, Number(db & 0xffffffffn) | 0, Number(db >> 32n) | 0);
      f.fflags = 0;
      f.cvtHD(2, 1, rm);
      check(
        `fcvt.h.d ${db.toString(16)} ${MODE_NAME[rm]}`,
        { bits: got(2), flags: f.fflags },
        refFrom(d(db), rm),
      );
    }
  }
});

/** The integer conversions' reference: round to an integer in mode rm, then saturate (F chapter, FCVT table). */
function refToInt(v: Val, kind: number, rm: number): { x: bigint; flags: number } {
  const [lo, hi] = [
    [-(2n ** 31n), 2n ** 31n - 1n],
    [0n, 2n ** 32n - 1n],
    [-(2n ** 63n), 2n ** 63n - 1n],
    [0n, 2n ** 64n - 1n],
  ][kind];
  const ext = (x: bigint): bigint => (kind < 2 ? BigInt.asIntN(32, x) : BigInt.asIntN(64, x));
  if (v.nan || (v.inf && !v.neg)) return { x: ext(hi), flags: NV };
  if (v.inf) return { x: ext(lo), flags: NV };
  const at = v.m === 0n ? ratio(0n, 1n) : valueOf(v);
  const { k, half, exact } = at(0);
  let up: boolean;
  if (rm === RNE) up = half > 0 || (half === 0 && (k & 1n) === 1n);
  else if (rm === RMM) up = half >= 0;
  else if (rm === RTZ) up = false;
  else up = !exact && (rm === RDN) === v.neg;
  const mag = up ? k + 1n : k;
  const x = v.neg ? -mag : mag;
  if (x < lo) return { x: ext(lo), flags: NV };
  if (x > hi) return { x: ext(hi), flags: NV };
  return { x: ext(x), flags: exact ? 0 : NX };
}

test('binary16: FCVT.{W,WU,L,LU}.H on every input and mode, FCVT.H.{W,WU,L,LU} on edge and random integers', () => {
  for (let a = 0; a < 0x10000; a++)
    for (const rm of MODES)
      for (let kind = 0; kind < 4; kind++) {
        put(1, a);
        f.fflags = 0;
        f.cvtIntH(1, kind, rm);
        const x = (BigInt(f.xhi) << 32n) | BigInt(f.xlo >>> 0);
        const want = refToInt(h(a), kind, rm);
        if (x !== want.x || f.fflags !== want.flags)
          assert.fail(
            `fcvt kind ${kind}.h ${hex(a)} ${MODE_NAME[rm]}: got ${x} flags ${f.fflags}, want ${want.x} flags ${want.flags}`,
          );
      }
  const r = mulberry32(777);
  const ints: bigint[] = [
    0n,
    1n,
    -1n,
    2047n,
    2049n,
    4097n,
    65504n,
    65519n,
    65520n,
    65535n,
    2n ** 31n - 1n,
    -(2n ** 31n),
    2n ** 63n - 1n,
    -(2n ** 63n),
  ];
  for (let i = 0; i < 4000; i++) {
    const bitsWanted = 1 + (r() % 64);
    ints.push(BigInt.asIntN(64, ((BigInt(r()) << 32n) | BigInt(r())) & ((1n << BigInt(bitsWanted)) - 1n)));
  }
  for (const n of ints)
    for (let kind = 0; kind < 4; kind++)
      for (const rm of MODES) {
        const lo = Number(BigInt.asIntN(32, n));
        const hi = Number(BigInt.asIntN(32, n >> 32n));
        // The integer operand of each kind: the low 32 bits (signed or not) or all 64 (signed or not).
        const val = [BigInt.asIntN(32, n), BigInt.asUintN(32, n), n, BigInt.asUintN(64, n)][kind];
        f.fflags = 0;
        f.cvtHInt(2, lo, hi, kind, rm);
        const v: Val = { nan: false, snan: false, inf: false, neg: val < 0n, m: val < 0n ? -val : val, e: 0 };
        check(`fcvt.h kind ${kind} ${n} ${MODE_NAME[rm]}`, { bits: got(2), flags: f.fflags }, refFrom(v, rm));
      }
});

/** FCLASS (F chapter table): written again from the table for binary16. */
function refClass(w: number): number {
  const v = h(w);
  if (v.nan) return v.snan ? 1 << 8 : 1 << 9;
  if (v.inf) return v.neg ? 1 << 0 : 1 << 7;
  if (v.m === 0n) return v.neg ? 1 << 3 : 1 << 4;
  const sub = (w & 0x7c00) === 0;
  return v.neg ? (sub ? 1 << 2 : 1 << 1) : sub ? 1 << 5 : 1 << 6;
}

/** Compare two non-NaN values: -1, 0, 1 (zeros equal). */
function cmpVal(a: Val, b: Val): number {
  const key = (v: Val): [number, bigint] => [
    v.inf ? (v.neg ? -1 : 1) : 0,
    v.m === 0n ? 0n : (v.neg ? -v.m : v.m) << BigInt(v.e + 24),
  ];
  const [ia, va] = key(a);
  const [ib, vb] = key(b);
  if (ia !== ib) return ia < ib ? -1 : 1;
  return va < vb ? -1 : va > vb ? 1 : 0;
}

test('binary16: FCLASS.H on every input; FEQ/FLT/FLE.H, FMIN/FMAX.H and FSGNJ*.H on edges and random pairs', () => {
  for (let a = 0; a < 0x10000; a++) {
    put(1, a);
    assert.equal(f.classH(1), refClass(a), `fclass.h ${hex(a)}`);
  }
  const next = operands(5150);
  const pairs: [number, number][] = [];
  for (const a of EDGES) for (const b of EDGES) pairs.push([a, b]);
  for (let i = 0; i < 5000; i++) pairs.push([next(), next()]);
  for (const [a, b] of pairs) {
    const va = h(a);
    const vb = h(b);
    const anyNaN = va.nan || vb.nan;
    const sig = va.snan || vb.snan;
    const c = anyNaN ? NaN : cmpVal(va, vb);
    put(1, a);
    put(2, b);
    const what = `${hex(a)} ${hex(b)}`;
    f.fflags = 0;
    assert.equal(f.eqH(1, 2), c === 0 ? 1 : 0, `feq.h ${what}`);
    assert.equal(f.fflags, sig ? NV : 0, `feq.h ${what} flags`);
    f.fflags = 0;
    assert.equal(f.ltH(1, 2), c < 0 ? 1 : 0, `flt.h ${what}`);
    assert.equal(f.fflags, anyNaN ? NV : 0, `flt.h ${what} flags`);
    f.fflags = 0;
    assert.equal(f.leH(1, 2), c <= 0 ? 1 : 0, `fle.h ${what}`);
    assert.equal(f.fflags, anyNaN ? NV : 0, `fle.h ${what} flags`);
    for (const max of [false, true]) {
      // minimumNumber/maximumNumber: a NaN loses to a number; -0 < +0.
      let want: number;
      if (va.nan && vb.nan) want = CANON;
      else if (va.nan) want = b;
      else if (vb.nan) want = a;
      else {
        const o = cmpVal(va, vb) || (va.neg === vb.neg ? 0 : va.neg ? -1 : 1);
        want = o === 0 ? a : o < 0 !== max ? a : b;
      }
      f.fflags = 0;
      f.minMaxH(3, 1, 2, max);
      assert.equal(got(3), want, `${max ? 'fmax' : 'fmin'}.h ${what}`);
      assert.equal(f.fflags, sig ? NV : 0, `${max ? 'fmax' : 'fmin'}.h ${what} flags`);
    }
    const signs = [b & 0x8000, ~b & 0x8000, (a ^ b) & 0x8000];
    for (let k = 0; k < 3; k++) {
      f.fflags = 0;
      f.sgnjH(3, 1, 2, k);
      assert.equal(got(3), (a & 0x7fff) | signs[k], `fsgnj kind ${k}.h ${what}`);
      assert.equal(f.fflags, 0);
    }
  }
});
