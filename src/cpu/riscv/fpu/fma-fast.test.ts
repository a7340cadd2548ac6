// Differential test of the fused multiply-add fast paths against exact BigInt arithmetic: the
// double-only decision `fmaFast64` and the FMADD/FMSUB/FNMSUB/FNMADD.D instructions (Fpu.fmaD) against
// `fmaSlow`, and FMA*.S (Fpu.fmaS) against `fmaN` and a BigInt rounding to binary32, in all five
// rounding modes. Operands are drawn to hit what the fast paths must decide: cancellation, exact
// ties and values within an ulp of a tie (also at binade boundaries), exact results, zero products
// and zero sums, and results near the edges of the fast range. FMA_FAST_CASES=n (operand triples
// per generator) and FMA_FAST_SEED=s run a longer or different campaign.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fpu } from './fpu.js';
import { BINARY32, NX, RNE, RTZ, RDN, RUP, RMM, halfUlp64, pow2, stepAway64, stepToZero64 } from './bits.js';
import { exactAdd, exactMul, split64, twoProdErr } from './exact.js';
import { HI, LO } from './fast.js';
import { fmaN } from './narrow.js';
import { fmaFast64, fmaSlow } from './ops64.js';
import { roundBig } from './round.js';
import { prng } from '../../../core/prng.js';

const MODES = [RNE, RTZ, RDN, RUP, RMM];
/** [negProd, negAdd] of FMADD, FMSUB, FNMSUB, FNMADD. */
const VARIANTS: [boolean, boolean][] = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];
const CASES = Number(process.env.FMA_FAST_CASES ?? 0);
const SEED = Number(process.env.FMA_FAST_SEED ?? 1);

type Gen = (rnd: () => number) => [number, number, number];

function int(rnd: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rnd() * (hi - lo + 1));
}
function sign(rnd: () => number): number {
  return rnd() < 0.5 ? -1 : 1;
}
/** A random odd integer of exactly `bits` bits (bits <= 53). */
function odd(rnd: () => number, bits: number): number {
  let m = 1;
  for (let i = 2; i < bits; i++) m = m * 2 + (rnd() < 0.5 ? 1 : 0);
  return bits > 1 ? m * 2 + 1 : 1;
}
/** +-m * 2^e for an odd m of `bits` bits whose leading bit is 2^e (scaled in two steps near the ends). */
function val(rnd: () => number, e: number, bits: number): number {
  return sign(rnd) * odd(rnd, bits) * pow2(1 - bits) * pow2(Math.max(e, -1074));
}
/** Mostly full significands, sometimes short ones (exact products, ties). */
function sigBits(rnd: () => number, p: number): number {
  return rnd() < 0.7 ? p : int(rnd, 1, 8);
}
/** Neighbour of a finite nonzero double, k steps away from (k > 0) or towards (k < 0) zero. */
function step(x: number, k: number): number {
  for (; k > 0 && x - x === 0; k--) x = stepAway64(x);
  for (; k < 0 && x !== 0; k++) x = stepToZero64(x);
  return x;
}
function pick<T>(rnd: () => number, xs: T[]): T {
  return xs[Math.floor(rnd() * xs.length)];
}

/** 2^54 - 1 and 2^53 + 1 (the midpoints next to 2^54 and 2^53), their prime factors, log2 of the power. */
const MIDPOINTS: [bigint, number[], number][] = [
  [2n ** 54n - 1n, [3, 3, 3, 3, 7, 19, 73, 87211, 262657], 54],
  [2n ** 53n + 1n, [3, 107, 28059810762433], 53],
];

// --- double-precision operand generators -------------------------------------------------------

const GEN64: Record<string, Gen> = {
  /** Nearby exponents: c within 60 binades of a*b, so the sum cancels or absorbs. */
  near: (rnd) => {
    const ea = int(rnd, -40, 40);
    const eb = int(rnd, -40, 40);
    const a = val(rnd, ea, sigBits(rnd, 53));
    const b = val(rnd, eb, sigBits(rnd, 53));
    return [a, b, val(rnd, ea + eb + int(rnd, -60, 60), sigBits(rnd, 53))];
  },
  /** c = -fl(a*b) moved by a few (or many) ulps: heavy cancellation, x close to TwoProduct's error. */
  cancel: (rnd) => {
    const a = val(rnd, int(rnd, -30, 30), sigBits(rnd, 53));
    const b = val(rnd, int(rnd, -30, 30), sigBits(rnd, 53));
    const k = rnd() < 0.7 ? int(rnd, -8, 8) : int(rnd, -(2 ** 20), 2 ** 20);
    return [a, b, -a * b + k * 2 * halfUlp64(a * b)];
  },
  /**
   * x = c + p exactly halfway between doubles: p = a*b exact, an odd multiple of half an ulp of c (of
   * a quarter or eighth of one, to land on the midpoints below a power of two); then, half of the
   * time, a or c moved by an ulp, which puts x within an ulp of a tie.
   */
  tie: (rnd) => {
    let c = val(rnd, int(rnd, -200, 200), rnd() < 0.2 ? 1 : sigBits(rnd, 53));
    const j = pick(rnd, [1, 1, 1, 2, 3]);
    const ba = int(rnd, 1, 26);
    const bb = int(rnd, 1, 52 - ba);
    const s = int(rnd, -30, 30);
    const ue = Math.log2(2 * halfUlp64(c));
    let a = sign(rnd) * odd(rnd, ba) * pow2(s);
    let b = sign(rnd) * odd(rnd, bb) * pow2(ue - j - s);
    if (rnd() < 0.5) {
      if (rnd() < 0.5) a = step(a, pick(rnd, [-1, 1]));
      else c = step(c, pick(rnd, [-1, 1]));
    }
    if (rnd() < 0.5) [a, b] = [b, a];
    return [a, b, c];
  },
  /**
   * Around a power of two 2^k, where the gap between doubles halves below it: either a*b exactly the
   * midpoint just below (2^k - 2^(k-54)) or above (2^k + 2^(k-53)) with a tiny c that TwoSum loses,
   * or c = +-2^k and a*b a few eighths of the gap below, or that moved by an ulp of a or of c.
   */
  binade: (rnd) => {
    const k = int(rnd, -300, 300);
    if (rnd() < 0.5) {
      const [n, primes, shift] = pick(rnd, MIDPOINTS);
      let f = 1;
      for (const q of primes) if (rnd() < 0.5) f *= q;
      if (f === 1 || BigInt(f) === n) f = 3;
      const a = sign(rnd) * f * pow2(int(rnd, -20, 20));
      const b = Number(n / BigInt(f)) * pow2(k - shift - Math.log2(Math.abs(a) / f));
      const c = rnd() < 0.3 ? 0 : sign(rnd) * pow2(Math.max(k - 54 - int(rnd, 50, 200), -1074));
      return rnd() < 0.5 ? [a, b, c] : [b, a, c];
    }
    let c = sign(rnd) * pow2(k);
    const m = int(rnd, -20, 20);
    let a = -Math.sign(c) * int(rnd, 1, 9) * pow2(m);
    const b = pow2(k - 56 - m + int(rnd, -1, 1));
    if (rnd() < 0.5) a = step(a, int(rnd, -2, 2));
    if (rnd() < 0.2) c = step(c, pick(rnd, [-1, 1]));
    return rnd() < 0.5 ? [a, b, c] : [b, a, c];
  },
  /**
   * a*b with a few bits past the last of a double (often exactly a midpoint) and a tiny c, which
   * moves x off the midpoint by less than the residual's own precision.
   */
  tieTiny: (rnd) => {
    const a = val(rnd, int(rnd, -30, 30), 53);
    const b = val(rnd, int(rnd, -30, 30), int(rnd, 2, 5));
    const ep = Math.floor(Math.log2(Math.abs(a * b)));
    return [a, b, val(rnd, ep - 53 - int(rnd, 1, 120), sigBits(rnd, 53))];
  },
  /**
   * x = T + (the rounding error of c) for a midpoint T between doubles next to a*b, often the one
   * just below a power of two: c = fl(fl(T - p) - e) with p + e = a*b (TwoProduct; T - p is exact).
   */
  midpoint: (rnd) => {
    const a = val(rnd, int(rnd, -30, 30), 53);
    const k = int(rnd, -30, 30);
    const pow = rnd() < 0.5;
    const b = pow ? step(pow2(k) / a, int(rnd, -2, 2)) : val(rnd, k, sigBits(rnd, 53));
    const p = a * b;
    const t = pow
      ? Math.sign(p) * (rnd() < 0.7 ? pow2(k) - pow2(k - 54) : pow2(k) + pow2(k - 53))
      : p + pick(rnd, [-1, 1]) * halfUlp64(p);
    return [a, b, t - p - twoProdErr(a, b, p)];
  },
  /** Full-significand a, b and c = -fl(a*b) +- k ulps: x = k ulps + TwoProduct's error, ties often. */
  tieFull: (rnd) => {
    const a = val(rnd, int(rnd, -20, 20), 53);
    const b = val(rnd, int(rnd, -20, 20), 53);
    const p = a * b;
    return [a, b, step(-p, int(rnd, -3, 3)) * (rnd() < 0.2 ? 2 : 1)];
  },
  /** Exact results: small integers times one power of two; sometimes an exact zero sum. */
  exact: (rnd) => {
    const e = int(rnd, -100, 100);
    const a = sign(rnd) * int(rnd, 1, 2 ** 20) * pow2(e);
    const b = sign(rnd) * int(rnd, 1, 2 ** 20);
    const c = rnd() < 0.3 ? -a * b : sign(rnd) * int(rnd, 0, 2 ** 40) * pow2(e);
    return [a, b, c];
  },
  /** A zero factor (either sign) with any addend, including zeros, subnormals and infinities. */
  zero: (rnd) => {
    const z = sign(rnd) * 0;
    const other =
      rnd() < 0.1 ? pick(rnd, [pow2(-1074), -Number.MAX_VALUE]) : val(rnd, int(rnd, -1074, 1023), 53);
    const c =
      rnd() < 0.4
        ? sign(rnd) * 0
        : rnd() < 0.1
          ? pick(rnd, [Infinity, -Infinity, pow2(-1074), -pow2(-1060)])
          : val(rnd, int(rnd, -1074, 1023), sigBits(rnd, 53));
    return rnd() < 0.5 ? [z, other, c] : [other, z, c];
  },
  /** Products, addends and results near LO and HI (the fast range), operands near HI, subnormal factors. */
  edge: (rnd) => {
    const lim = Math.log2(rnd() < 0.5 ? LO : HI);
    // Sometimes a subnormal factor times a huge one, for a product in range.
    const sub = rnd() < 0.2;
    const t = sub ? int(rnd, -120, -80) : lim + int(rnd, -3, 3);
    const ea = sub ? int(rnd, -1074, -1023) : rnd() < 0.2 ? lim + int(rnd, -2, 1) : int(rnd, -40, 40);
    const a = val(rnd, ea, sigBits(rnd, 53));
    const b = val(rnd, t - ea, sigBits(rnd, 53));
    const k = rnd();
    const c =
      k < 0.3
        ? val(rnd, t + int(rnd, -3, 3), sigBits(rnd, 53))
        : k < 0.6
          ? step(-a * b, int(rnd, -8, 8))
          : k < 0.8
            ? val(rnd, int(rnd, -1074, 1023), 53)
            : 0;
    return [a, b, c];
  },
};

const F64 = new Float64Array(1);
const W64 = new Uint32Array(F64.buffer);
/** Bits of a double as "hi:lo" hex, for messages. */
function hex64(x: number): string {
  F64[0] = x;
  return `${W64[1].toString(16).padStart(8, '0')}${W64[0].toString(16).padStart(8, '0')}`;
}

/**
 * Runs every generator `n` times; each triple in every sign variant and rounding mode through
 * fmaFast64 and Fpu.fmaD against fmaSlow. Returns [checks, decided by fmaFast64].
 */
function run64(n: number, seed: number): [number, number] {
  const f = new Fpu();
  const fast = { fflags: 0 };
  const ref = { fflags: 0 };
  let checks = 0;
  let decided = 0;
  for (const [name, gen] of Object.entries(GEN64)) {
    const rnd = prng(seed++);
    for (let i = 0; i < n; i++) {
      const [a0, b, c0] = gen(rnd);
      f.f64[0] = a0;
      f.f64[1] = b;
      f.f64[2] = c0;
      for (const [np, na] of VARIANTS) {
        const a = np ? -a0 : a0;
        const c = na ? -c0 : c0;
        // Ordinary operands with a normal product and result, or a zero product: must not fall back.
        const p = a * b;
        const ordinary =
          Math.abs(a) < HI &&
          Math.abs(b) < HI &&
          Math.abs(c) < HI &&
          (p === 0 || (Math.abs(p) >= LO && Math.abs(p) < HI));
        for (const rm of MODES) {
          ref.fflags = 0;
          const want = fmaSlow(ref, a, b, c, rm);
          fast.fflags = 0;
          const got = fmaFast64(fast, a, b, c, rm);
          f.fflags = 0;
          f.fmaD(3, 0, 1, 2, rm, np, na);
          checks++;
          const what = (): string =>
            `${name}: fma(${a}, ${b}, ${c}) rm=${rm} [${hex64(a)} ${hex64(b)} ${hex64(c)}]: ` +
            `want ${want} (${hex64(want)}) flags ${ref.fflags}`;
          if (got === got) {
            decided++;
            if (!Object.is(got, want) || fast.fflags !== ref.fflags)
              assert.fail(`${what()}, fmaFast64 gave ${got} (${hex64(got)}) flags ${fast.fflags}`);
          } else if (
            ordinary &&
            (want === 0 || (Math.abs(want) >= 2 * LO && Math.abs(want) <= HI / 2)) &&
            !(p === 0 && c !== c)
          )
            assert.fail(`${what()}: fmaFast64 fell back to the slow path`);
          const r = f.f64[3];
          if (!(Object.is(r, want) || (r !== r && want !== want)) || f.fflags !== ref.fflags)
            assert.fail(`${what()}, fmaD(${np}, ${na}) gave ${r} (${hex64(r)}) flags ${f.fflags}`);
        }
      }
    }
  }
  return [checks, decided];
}

test('fmaFast64 and FMA*.D agree with exact BigInt arithmetic (fmaSlow)', (t) => {
  const [checks, decided] = run64(CASES || 10000, SEED);
  t.diagnostic(`${checks} checks, ${decided} decided by fmaFast64`);
  assert.ok(decided > 0.8 * checks);
});

test('fmaFast64 on hand-picked ties, binade boundaries and zeros', () => {
  const s = { fflags: 0 };
  const fma = (a: number, b: number, c: number, rm: number): [number, number] => {
    s.fflags = 0;
    const r = fmaFast64(s, a, b, c, rm);
    return [r, s.fflags];
  };
  const u = pow2(-52); // ulp(1); the gap below 1 is u / 2
  const cases: [number, number, number, number, number][] = [
    // x = 1 + u/2, the midpoint above 1: even (1) for RNE, away for RMM.
    [pow2(-26), pow2(-27), 1, RNE, 1],
    [pow2(-26), pow2(-27), 1, RMM, 1 + u],
    [pow2(-26), pow2(-27), 1, RTZ, 1],
    [pow2(-26), pow2(-27), 1, RUP, 1 + u],
    [pow2(-26), -pow2(-27), -1, RMM, -1 - u],
    [pow2(-26), -pow2(-27), -1, RDN, -1 - u],
    [pow2(-26), -pow2(-27), -1, RUP, -1],
    // x = 1 + u/2 +- 2^-80: just past or short of the midpoint.
    [pow2(-26) + pow2(-53), pow2(-27), 1, RNE, 1 + u],
    [pow2(-26) - pow2(-53), pow2(-27), 1, RNE, 1],
    [pow2(-26) - pow2(-53), pow2(-27), 1, RMM, 1],
    // x = 1 - u/4, the midpoint below 1 (half the narrower gap): 1 is even and away from zero.
    [pow2(-27), -pow2(-27), 1, RNE, 1],
    [pow2(-27), -pow2(-27), 1, RMM, 1],
    [pow2(-27), -pow2(-27), 1, RTZ, 1 - u / 2],
    [pow2(-27), -pow2(-27), 1, RDN, 1 - u / 2],
    [pow2(-27), -pow2(-27), 1, RUP, 1],
    // x = 1 - u/4 -+ 2^-81.
    [pow2(-27) + pow2(-54), -pow2(-27), 1, RNE, 1 - u / 2],
    [pow2(-27) + pow2(-54), -pow2(-27), 1, RMM, 1 - u / 2],
    [pow2(-27) - pow2(-54), -pow2(-27), 1, RNE, 1],
    // x = 3 + 3u -+ 2^-100 (the midpoint between 3 + 2u and 3 + 4u, nudged): the residual d is
    // exactly half an ulp, and only its own rounding error says on which side of the midpoint x lies.
    [1 + u, 3, -pow2(-100), RNE, 3 + 2 * u],
    [1 + u, 3, -pow2(-100), RMM, 3 + 2 * u],
    [1 + u, 3, -pow2(-100), RUP, 3 + 4 * u],
    [1 + u, 3, pow2(-100), RNE, 3 + 4 * u],
    [1 + u, 3, pow2(-100), RMM, 3 + 4 * u],
    [1 + u, 3, pow2(-100), RTZ, 3 + 2 * u],
    [-1 - u, 3, pow2(-100), RNE, -3 - 2 * u],
    [-1 - u, 3, pow2(-100), RDN, -3 - 4 * u],
    // (1 - 2^-27)(1 + 2^-27) = 1 - u/4 is the midpoint below 1; c = -+2^-120 moves x off it by
    // less than w = fl(tl + pe) can hold.
    [1 - pow2(-27), 1 + pow2(-27), 0, RNE, 1],
    [1 - pow2(-27), 1 + pow2(-27), 0, RTZ, 1 - u / 2],
    [1 - pow2(-27), 1 + pow2(-27), -pow2(-120), RNE, 1 - u / 2],
    [1 - pow2(-27), 1 + pow2(-27), -pow2(-120), RMM, 1 - u / 2],
    [1 - pow2(-27), 1 + pow2(-27), pow2(-120), RNE, 1],
    [1 - pow2(-27), 1 + pow2(-27), pow2(-120), RTZ, 1 - u / 2],
    [1 - pow2(-27), -1 - pow2(-27), pow2(-120), RNE, -1 + u / 2],
    // x = 1 - u/8 and 1 + u/4: nearest is r, though |x - r| is a quarter ulp of r or more.
    [pow2(-28), -pow2(-27), 1, RNE, 1],
    [pow2(-28), -pow2(-27), 1, RTZ, 1 - u / 2],
    [pow2(-27), pow2(-27), 1, RNE, 1],
    [pow2(-27), pow2(-27), 1, RUP, 1 + u],
  ];
  for (const [a, b, c, rm, want] of cases) {
    assert.deepEqual(fma(a, b, c, rm), [want, NX], `fma(${a}, ${b}, ${c}) rm ${rm}`);
    const ref = { fflags: 0 };
    assert.deepEqual(
      [fmaSlow(ref, a, b, c, rm), ref.fflags],
      [want, NX],
      `fmaSlow(${a}, ${b}, ${c}) rm ${rm}`,
    );
  }
  // -1.1 * 0.875 (from the guest benchmark): the product's last three bits are cut off.
  const x = -1.1 * 0.875;
  for (const rm of MODES) {
    const ref = { fflags: 0 };
    assert.deepEqual(fma(-1.1, 0.875, 0, rm), [fmaSlow(ref, -1.1, 0.875, 0, rm), ref.fflags], `rm ${rm}`);
  }
  assert.deepEqual(fma(-1.1, 0.875, 0, RNE), [x, NX]);
  // Exact zero sums: +0, or -0 in RDN; zero products keep the addend or the sign rules of zeros.
  assert.deepEqual(fma(3, 5, -15, RNE), [0, 0]);
  assert.deepEqual(fma(3, 5, -15, RDN), [-0, 0]);
  assert.deepEqual(fma(-0, 5, -0, RNE), [-0, 0]);
  assert.deepEqual(fma(-0, 5, 0, RUP), [0, 0]);
  assert.deepEqual(fma(-0, 5, 0, RDN), [-0, 0]);
  assert.deepEqual(fma(0, 5, 0, RDN), [0, 0]);
  assert.deepEqual(fma(0, -Number.MAX_VALUE, pow2(-1074), RTZ), [pow2(-1074), 0]);
  // Undecided: infinities, NaNs, inf * 0, tiny results.
  for (const [a, b, c] of [
    [0, Infinity, 1],
    [1, 1, NaN],
    [0, 1, NaN],
    [pow2(-600), pow2(-600), 0],
  ])
    assert.ok(Number.isNaN(fma(a, b, c, RNE)[0]), `${a} ${b} ${c}`);
});

// --- single precision --------------------------------------------------------------------------

/** +-m * 2^e as a binary32 value (m odd, `bits` <= 24 bits). */
function val32(rnd: () => number, e: number, bits: number): number {
  return Math.fround(val(rnd, Math.max(e, -149), bits));
}

const GEN32: Record<string, Gen> = {
  near: (rnd) => {
    const ea = int(rnd, -30, 30);
    const eb = int(rnd, -30, 30);
    const a = val32(rnd, ea, sigBits(rnd, 24));
    const b = val32(rnd, eb, sigBits(rnd, 24));
    return [a, b, val32(rnd, ea + eb + int(rnd, -30, 30), sigBits(rnd, 24))];
  },
  /** p = a*b with a few bits past binary32 and a tiny c, often below binary64's precision of p. */
  doubleRounding: (rnd) => {
    const a = val32(rnd, int(rnd, -20, 20), 24);
    const b = val32(rnd, int(rnd, -20, 20), int(rnd, 1, 6));
    const ep = Math.floor(Math.log2(Math.abs(a * b)));
    return [a, b, val32(rnd, ep - 24 - int(rnd, 0, 45), sigBits(rnd, 24))];
  },
  /** x exactly halfway between binary32 values, or c moved by one binary32 ulp. */
  tie: (rnd) => {
    const ec = int(rnd, -60, 60);
    const c = val32(rnd, ec, rnd() < 0.2 ? 1 : sigBits(rnd, 24));
    const j = pick(rnd, [1, 1, 1, 2, 3]);
    const ba = int(rnd, 1, 11);
    const bb = int(rnd, 1, 22 - ba);
    const s = int(rnd, -20, 20);
    const a = Math.fround(sign(rnd) * odd(rnd, ba) * pow2(s));
    const b = Math.fround(sign(rnd) * odd(rnd, bb) * pow2(ec - 23 - j - s));
    return rnd() < 0.5 ? [a, b, c] : [b, a, c];
  },
  exact: (rnd) => {
    const e = int(rnd, -60, 60);
    const a = Math.fround(sign(rnd) * int(rnd, 1, 2 ** 11) * pow2(e));
    const b = sign(rnd) * int(rnd, 1, 2 ** 11);
    const c = rnd() < 0.3 ? -a * b : Math.fround(sign(rnd) * int(rnd, 0, 2 ** 22) * pow2(e));
    return [a, b, c];
  },
  zero: (rnd) => {
    const z = sign(rnd) * 0;
    const other = val32(rnd, int(rnd, -149, 127), 24);
    const c = rnd() < 0.4 ? sign(rnd) * 0 : val32(rnd, int(rnd, -149, 127), sigBits(rnd, 24));
    return rnd() < 0.5 ? [z, other, c] : [other, z, c];
  },
  /** Results near the smallest normal (2^-126) and near overflow, subnormal operands. */
  edge: (rnd) => {
    const t = rnd() < 0.5 ? -126 + int(rnd, -3, 3) : 127 + int(rnd, -2, 0);
    const ea = int(rnd, Math.max(-149, t - 127), Math.min(127, t + 149));
    const a = val32(rnd, ea, sigBits(rnd, 24));
    const b = val32(rnd, t - ea, sigBits(rnd, 24));
    const c = rnd() < 0.5 ? val32(rnd, t + int(rnd, -3, 3), sigBits(rnd, 24)) : Math.fround(-a * b);
    return [a, b, c - c === 0 ? c : 1];
  },
};

const F32 = new Float32Array(1);
const W32 = new Int32Array(F32.buffer);
function bits32(x: number): number {
  F32[0] = x;
  return W32[0];
}

/** a * b + c of finite binary32 values, rounded once to binary32 by the BigInt rounder (as bits). */
function ref32(s: { fflags: number }, a: number, b: number, c: number, rm: number): number {
  const prod = exactMul(split64(a), split64(b));
  if (prod.m === 0n) {
    if (c !== 0) return bits32(c);
    const pneg = prod.neg;
    const cneg = Object.is(c, -0);
    return bits32(pneg === cneg ? (pneg ? -0 : 0) : rm === RDN ? -0 : 0);
  }
  const x = c === 0 ? prod : exactAdd(prod, split64(c));
  if (x.m === 0n) return bits32(rm === RDN ? -0 : 0);
  return bits32(roundBig(s, x.neg, x.m, x.e, false, BINARY32, rm));
}

test('FMA*.S agrees with fmaN and exact BigInt arithmetic', (t) => {
  const f = new Fpu();
  const ref = { fflags: 0 };
  const slow = { fflags: 0 };
  let checks = 0;
  let seed = SEED + 100;
  for (const [name, gen] of Object.entries(GEN32)) {
    const rnd = prng(seed++);
    for (let i = 0; i < (CASES || 5000); i++) {
      const [a0, b, c0] = gen(rnd);
      f.setS(0, bits32(a0));
      f.setS(1, bits32(b));
      f.setS(2, bits32(c0));
      for (const [np, na] of VARIANTS) {
        const a = np ? -a0 : a0;
        const c = na ? -c0 : c0;
        for (const rm of MODES) {
          ref.fflags = 0;
          const want = ref32(ref, a, b, c, rm);
          slow.fflags = 0;
          const s = fmaN(slow, a, b, c, rm, BINARY32) | 0;
          f.fflags = 0;
          f.fmaS(3, 0, 1, 2, rm, np, na);
          checks++;
          const r = f.getS(3);
          if (s !== want || slow.fflags !== ref.fflags || r !== want || f.fflags !== ref.fflags)
            assert.fail(
              `${name}: fma.s(${a}, ${b}, ${c}) rm=${rm}: want ${want.toString(16)} flags ${ref.fflags}, ` +
                `fmaN ${s.toString(16)} flags ${slow.fflags}, fmaS(${np}, ${na}) ${r.toString(16)} flags ${f.fflags}`,
            );
        }
      }
    }
  }
  t.diagnostic(`${checks} checks`);
});
