// Zfa's operations through the Fpu register interface (unprivileged ISA, "Zfa" chapter): the FLI
// table for S, D and H as the chapter lists it, FMINM/FMAXM (IEEE 754-2019 minimum/maximum),
// FROUND/FROUNDNX (roundToIntegral, roundToIntegralExact) against an exact BigInt reference,
// FCVTMOD.W.D (truncation modulo 2^32 with FCVT.W.D's flags) and the quiet comparisons FLEQ/FLTQ.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fpu } from './fpu.js';
import { NV, NX, RNE, RTZ, RDN, RUP, RMM } from './bits.js';
import { mulberry32 } from '../../../core/prng.js';

const MODES = [RNE, RTZ, RDN, RUP, RMM];
const f = new Fpu();
const hex = (v: number | bigint): string => '0x' + v.toString(16);

/** f[r] as 64 raw bits. */
const raw = (r: number): bigint => (BigInt(f.bits[2 * r + 1] >>> 0) << 32n) | BigInt(f.bits[2 * r] >>> 0);
const setRaw = (r: number, v: bigint): void => f.setD(r, Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0);

/** A format: exponent and trailing significand widths; values are NaN-boxed to 64 bits. */
interface Fmt {
  readonly name: 'H' | 'S' | 'D';
  readonly w: number;
  readonly t: number;
}
const FMTS: Fmt[] = [
  { name: 'H', w: 5, t: 10 },
  { name: 'S', w: 8, t: 23 },
  { name: 'D', w: 11, t: 52 },
];
const width = (x: Fmt): number => 1 + x.w + x.t;
const box = (x: Fmt, v: bigint): bigint => v | (((1n << 64n) - 1n) ^ ((1n << BigInt(width(x))) - 1n));
const canon = (x: Fmt): bigint => ((1n << BigInt(x.w + 1)) - 1n) << BigInt(x.t - 1);

/** A finite value (-1)^neg * m * 2^e, or NaN / infinity. */
interface Val {
  nan: boolean;
  snan: boolean;
  inf: boolean;
  neg: boolean;
  m: bigint;
  e: number;
}
function decode(x: Fmt, bits: bigint): Val {
  const neg = ((bits >> BigInt(x.w + x.t)) & 1n) === 1n;
  const be = Number((bits >> BigInt(x.t)) & ((1n << BigInt(x.w)) - 1n));
  const fr = bits & ((1n << BigInt(x.t)) - 1n);
  const bias = 2 ** (x.w - 1) - 1;
  if (be === 2 ** x.w - 1) {
    const nan = fr !== 0n;
    return { nan, snan: nan && fr >> BigInt(x.t - 1) === 0n, inf: !nan, neg, m: 0n, e: 0 };
  }
  return {
    nan: false,
    snan: false,
    inf: false,
    neg,
    m: be === 0 ? fr : fr | (1n << BigInt(x.t)),
    e: Math.max(be, 1) - bias - x.t,
  };
}
/** Encode the integer n (|n| exactly representable in x, or 0 with a sign) in format x. */
function encodeInt(x: Fmt, neg: boolean, n: bigint): bigint {
  const sign = neg ? 1n << BigInt(x.w + x.t) : 0n;
  if (n === 0n) return sign;
  const bias = 2 ** (x.w - 1) - 1;
  const b = n.toString(2).length - 1; // exponent
  const fr =
    b >= x.t ? (n >> BigInt(b - x.t)) - (1n << BigInt(x.t)) : (n << BigInt(x.t - b)) - (1n << BigInt(x.t));
  return sign | (BigInt(b + bias) << BigInt(x.t)) | fr;
}

// ---- FLI ------------------------------------------------------------------------------------------

/** The chapter's table for FLI.S: sign, exponent field, the two leading significand bits. */
const FLI_S: [number, number, number][] = [
  [1, 0b01111111, 0],
  [0, 0b00000001, 0],
  [0, 0b01101111, 0],
  [0, 0b01110000, 0],
  [0, 0b01110111, 0],
  [0, 0b01111000, 0],
  [0, 0b01111011, 0],
  [0, 0b01111100, 0],
  [0, 0b01111101, 0],
  [0, 0b01111101, 1],
  [0, 0b01111101, 2],
  [0, 0b01111101, 3],
  [0, 0b01111110, 0],
  [0, 0b01111110, 1],
  [0, 0b01111110, 2],
  [0, 0b01111110, 3],
  [0, 0b01111111, 0],
  [0, 0b01111111, 1],
  [0, 0b01111111, 2],
  [0, 0b01111111, 3],
  [0, 0b10000000, 0],
  [0, 0b10000000, 1],
  [0, 0b10000000, 2],
  [0, 0b10000001, 0],
  [0, 0b10000010, 0],
  [0, 0b10000011, 0],
  [0, 0b10000110, 0],
  [0, 0b10000111, 0],
  [0, 0b10001110, 0],
  [0, 0b10001111, 0],
  [0, 0b11111111, 0],
  [0, 0b11111111, 2],
];
/** FLI.H, worked out from the values: 2^-16 and 2^-15 subnormal, entry 1 = 2^-14, entry 29 = +inf. */
const FLI_H = [
  0xbc00, 0x0400, 0x0100, 0x0200, 0x1c00, 0x2000, 0x2c00, 0x3000, 0x3400, 0x3500, 0x3600, 0x3700, 0x3800,
  0x3900, 0x3a00, 0x3b00, 0x3c00, 0x3d00, 0x3e00, 0x3f00, 0x4000, 0x4100, 0x4200, 0x4400, 0x4800, 0x4c00,
  0x5800, 0x5c00, 0x7800, 0x7c00, 0x7c00, 0x7e00,
];

test("FLI.S, FLI.D and FLI.H load the chapter's constants, boxed, and never set a flag", () => {
  for (let i = 0; i < 32; i++) {
    const [sign, exp, top] = FLI_S[i];
    const sBits = (BigInt(sign) << 31n) | (BigInt(exp) << 23n) | (BigInt(top) << 21n);
    // binary64: the same value re-biased (exponent field all ones stays all ones); entry 1 is
    // binary64's own smallest normal number.
    const dExp = exp === 0xff ? 0x7ff : i === 1 ? 1 : exp - 127 + 1023;
    const dBits = (BigInt(sign) << 63n) | (BigInt(dExp) << 52n) | (BigInt(top) << 50n);
    f.fflags = 0;
    f.fliS(1, i);
    f.fliD(2, i);
    f.fliH(3, i);
    assert.equal(raw(1), box(FMTS[1], sBits), `fli.s ${i}`);
    assert.equal(raw(2), dBits, `fli.d ${i}`);
    assert.equal(raw(3), box(FMTS[0], BigInt(FLI_H[i])), `fli.h ${i}`);
    assert.equal(f.fflags, 0, `fli ${i} flags`);
  }
});

// ---- FMINM / FMAXM, FLEQ / FLTQ -------------------------------------------------------------------

/** Operands of each format: zeros, ones, infinities, a quiet and a signaling NaN, a subnormal. */
function specials(x: Fmt): bigint[] {
  const one = BigInt(2 ** (x.w - 1) - 1) << BigInt(x.t);
  const inf = ((1n << BigInt(x.w)) - 1n) << BigInt(x.t);
  const sgn = 1n << BigInt(x.w + x.t);
  return [
    0n,
    sgn,
    one,
    one | sgn,
    one + 1n,
    inf,
    inf | sgn,
    canon(x),
    inf | 1n,
    inf | 5n | sgn,
    1n,
    (1n << BigInt(x.t)) - 1n,
  ];
}
function cmpVal(a: Val, b: Val): number {
  // Exact comparison of non-NaN values (zeros equal).
  const key = (v: Val): [number, bigint] => [
    v.inf ? (v.neg ? -1 : 1) : 0,
    v.m === 0n ? 0n : (v.neg ? -v.m : v.m) << BigInt(v.e + 1100),
  ];
  const [ia, va] = key(a);
  const [ib, vb] = key(b);
  if (ia !== ib) return ia < ib ? -1 : 1;
  return va < vb ? -1 : va > vb ? 1 : 0;
}

test('FMINM/FMAXM give the canonical NaN for any NaN operand; FLEQ/FLTQ raise NV only for signaling NaNs', () => {
  for (const x of FMTS) {
    const ops = specials(x);
    for (const a of ops)
      for (const b of ops) {
        const va = decode(x, a);
        const vb = decode(x, b);
        const sig = va.snan || vb.snan;
        setRaw(1, box(x, a));
        setRaw(2, box(x, b));
        const what = `${x.name} ${hex(a)} ${hex(b)}`;
        for (const max of [false, true]) {
          let want: bigint;
          if (va.nan || vb.nan) want = canon(x);
          else {
            const o = cmpVal(va, vb) || (va.neg === vb.neg ? 0 : va.neg ? -1 : 1);
            want = o === 0 ? a : o < 0 !== max ? a : b;
          }
          f.fflags = 0;
          f[`minMax${x.name}`](3, 1, 2, max, true);
          assert.equal(raw(3), box(x, want), `${max ? 'fmaxm' : 'fminm'} ${what}`);
          assert.equal(f.fflags, sig ? NV : 0, `${max ? 'fmaxm' : 'fminm'} ${what} flags`);
        }
        const c = va.nan || vb.nan ? NaN : cmpVal(va, vb);
        f.fflags = 0;
        assert.equal(f[`ltq${x.name}`](1, 2), c < 0 ? 1 : 0, `fltq ${what}`);
        assert.equal(f.fflags, sig ? NV : 0, `fltq ${what} flags`);
        f.fflags = 0;
        assert.equal(f[`leq${x.name}`](1, 2), c <= 0 ? 1 : 0, `fleq ${what}`);
        assert.equal(f.fflags, sig ? NV : 0, `fleq ${what} flags`);
      }
  }
});

// ---- FROUND / FROUNDNX -----------------------------------------------------------------------------

/** roundToIntegral of a finite value in mode rm: the integer magnitude and whether it was exact. */
function integral(v: Val, rm: number): { n: bigint; exact: boolean } {
  if (v.e >= 0) return { n: v.m << BigInt(v.e), exact: true };
  const sh = BigInt(-v.e);
  const k = v.m >> sh;
  const rem = v.m - (k << sh);
  const half = rem === 0n ? -1 : Math.sign(Number(2n * rem - (1n << sh)));
  let up: boolean;
  if (rm === RNE) up = half > 0 || (half === 0 && (k & 1n) === 1n);
  else if (rm === RMM) up = half >= 0;
  else if (rm === RTZ) up = false;
  else up = rem !== 0n && (rm === RDN) === v.neg;
  return { n: up ? k + 1n : k, exact: rem === 0n };
}

/** Random operands of format x, most with exponents where rounding to an integer matters. */
function operands(x: Fmt, seed: number): () => bigint {
  const r = mulberry32(seed);
  const bias = 2 ** (x.w - 1) - 1;
  return () => {
    const k = r() % 6;
    if (k === 0) return BigInt(r()) & ((1n << BigInt(width(x))) - 1n);
    const sign = BigInt(r() & 1) << BigInt(x.w + x.t);
    const e = bias - 3 + (r() % (x.t + 6)); // from 2^-3 to past 2^t
    const fr = ((BigInt(r()) << 32n) | BigInt(r())) & ((1n << BigInt(x.t)) - 1n);
    return sign | (BigInt(e) << BigInt(x.t)) | fr;
  };
}

test('FROUND/FROUNDNX round to an integer in each mode, keep the sign of zero, and only FROUNDNX raises NX', () => {
  for (const x of FMTS) {
    const all: bigint[] = [...specials(x)];
    if (x.name === 'H') for (let w = 0; w < 0x10000; w++) all.push(BigInt(w));
    else {
      const next = operands(x, x.w);
      for (let i = 0; i < 20000; i++) all.push(next());
    }
    for (const a of all) {
      const v = decode(x, a);
      setRaw(1, box(x, a));
      for (const rm of MODES)
        for (const exact of [false, true]) {
          f.fflags = 0;
          f[`round${x.name}`](2, 1, rm, exact);
          let want: bigint;
          let flags = 0;
          if (v.nan) {
            want = canon(x);
            flags = v.snan ? NV : 0;
          } else if (v.inf || v.m === 0n) want = a;
          else {
            const r = integral(v, rm);
            want = encodeInt(x, v.neg, r.n);
            if (exact && !r.exact) flags = NX;
          }
          const what = `fround${exact ? 'nx' : ''}.${x.name.toLowerCase()} ${hex(a)} rm ${rm}`;
          if (raw(2) !== box(x, want) || f.fflags !== flags)
            assert.fail(
              `${what}: got ${hex(raw(2))} flags ${f.fflags}, want ${hex(box(x, want))} flags ${flags}`,
            );
        }
    }
  }
});

// ---- FCVTMOD.W.D -------------------------------------------------------------------------------------

test('FCVTMOD.W.D: truncation modulo 2^32, sign-extended; 0 for NaN and infinities; FCVT.W.D RTZ flags', () => {
  const D = FMTS[2];
  const r = mulberry32(31);
  const inputs: bigint[] = [
    ...specials(D),
    0x41dfffffffc00000n, // 2^31 - 1
    0x41e0000000000000n, // 2^31
    0xc1e0000000000000n, // -2^31
    0xc1e0000000100000n, // -2^31 - 0.5: truncates into range
    0xc1e0000000200000n, // -2^31 - 1
    0x41f0000000000000n, // 2^32
    0x41f0000000140000n, // 2^32 + 5
    0x43e0000000000000n, // 2^63
    0x4530000000000001n, // 2^84 + 2^32: low 32 bits 0
    0x4330000000000001n, // 2^52 + 1
    0x3fe0000000000000n, // 0.5
    0xbfefffffffffffffn, // just above -1
  ];
  for (let i = 0; i < 20000; i++) {
    const e = 1023 - 2 + (r() % 100);
    inputs.push(
      (BigInt(r() & 1) << 63n) |
        (BigInt(e) << 52n) |
        (((BigInt(r()) << 32n) | BigInt(r())) & ((1n << 52n) - 1n)),
    );
  }
  for (const a of inputs) {
    const v = decode(D, a);
    let want = 0n;
    let flags: number;
    if (v.nan || v.inf) flags = NV;
    else {
      const t = v.e >= 0 ? v.m << BigInt(v.e) : v.m >> BigInt(-v.e);
      const exact = v.e >= 0 || t << BigInt(-v.e) === v.m;
      const signed = v.neg ? -t : t;
      want = BigInt.asIntN(32, signed);
      flags = signed < -(2n ** 31n) || signed > 2n ** 31n - 1n ? NV : exact ? 0 : NX;
    }
    setRaw(1, a);
    f.fflags = 0;
    const got = f.cvtmodWD(1);
    assert.equal(BigInt(got), want, `fcvtmod.w.d ${hex(a)}`);
    assert.equal(f.fflags, flags, `fcvtmod.w.d ${hex(a)} flags`);
  }
});
