// Rounding to binary32/binary64 in the five RISC-V modes with IEEE 754-2008 §7 flags, tininess after
// rounding (RISC-V unprivileged ISA, F chapter, fflags). Expected values are worked out from the
// standard, not from the implementation.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roundF32, roundBig } from './round.js';
import { BINARY32, BINARY64, NX, UF, OF, RNE, RTZ, RDN, RUP, RMM } from './bits.js';
import { split64 } from './exact.js';
import { prng } from '../../../core/prng.js';

const MODES = [RNE, RTZ, RDN, RUP, RMM];
const DV = new DataView(new ArrayBuffer(8));
const f32Bits = (x: number): number => {
  DV.setFloat32(0, x);
  return DV.getUint32(0);
};

/** roundF32 of v (+ a residual of sign sigma) as [unsigned bits, flags]. */
function r32(v: number, sigma: number, rm: number): [number, number] {
  const s = { fflags: 0 };
  const b = roundF32(s, v, sigma, rm);
  return [b >>> 0, s.fflags];
}

/** roundBig of an exact double to format f, as [value, flags]. */
function rBig(x: number, rm: number, f = BINARY64): [number, number] {
  const s = { fflags: 0 };
  const e = split64(x);
  return [roundBig(s, e.neg, e.m, e.e, false, f, rm), s.fflags];
}

test('binary32: ties go to even in RNE and away from zero in RMM', () => {
  // 1 + 2^-24 is halfway between 1 and 1 + 2^-23 (odd); 1 + 3*2^-24 is halfway between
  // 1 + 2^-23 (odd) and 1 + 2^-22 (even).
  assert.deepEqual(r32(1 + 2 ** -24, 0, RNE), [0x3f800000, NX]);
  assert.deepEqual(r32(1 + 2 ** -24, 0, RMM), [0x3f800001, NX]);
  assert.deepEqual(r32(1 + 3 * 2 ** -24, 0, RNE), [0x3f800002, NX]);
  assert.deepEqual(r32(1 + 3 * 2 ** -24, 0, RMM), [0x3f800002, NX]);
  assert.deepEqual(r32(-(1 + 2 ** -24), 0, RMM), [0xbf800001, NX]);
  // Just off the tie, the residual decides (no double rounding).
  assert.deepEqual(r32(1 + 2 ** -24, 1, RNE), [0x3f800001, NX]);
  assert.deepEqual(r32(1 + 2 ** -24, -1, RMM), [0x3f800000, NX]);
  // Directed modes around a tie.
  assert.deepEqual(r32(1 + 2 ** -24, 0, RTZ), [0x3f800000, NX]);
  assert.deepEqual(r32(1 + 2 ** -24, 0, RUP), [0x3f800001, NX]);
  assert.deepEqual(r32(-(1 + 2 ** -24), 0, RDN), [0xbf800001, NX]);
  assert.deepEqual(r32(-(1 + 2 ** -24), 0, RUP), [0xbf800000, NX]);
});

test('binary32: a residual below a power of two selects the finer binade', () => {
  // x slightly below 2: RTZ and RDN give the largest value below 2, RNE and RUP give 2.
  assert.deepEqual(r32(2, -1, RTZ), [0x3fffffff, NX]);
  assert.deepEqual(r32(2, -1, RDN), [0x3fffffff, NX]);
  assert.deepEqual(r32(2, -1, RNE), [0x40000000, NX]);
  assert.deepEqual(r32(2, -1, RUP), [0x40000000, NX]);
  assert.deepEqual(r32(2, 0, RTZ), [0x40000000, 0]);
  assert.deepEqual(r32(-2, 1, RUP), [0xbfffffff, NX]);
});

test('binary32: overflow gives infinity or the largest finite value by mode', () => {
  const max = 0x7f7fffff;
  for (const [rm, pos, neg] of [
    [RNE, 0x7f800000, 0xff800000],
    [RTZ, max, 0xff7fffff],
    [RDN, max, 0xff800000],
    [RUP, 0x7f800000, 0xff7fffff],
    [RMM, 0x7f800000, 0xff800000],
  ]) {
    assert.deepEqual(r32(2 ** 128, 0, rm), [pos, OF | NX], `+2^128 rm ${rm}`);
    assert.deepEqual(r32(-(2 ** 200), 0, rm), [neg, OF | NX], `-2^200 rm ${rm}`);
  }
  // MAX + half an ulp is a tie: RNE rounds to even (2^128, overflow); RTZ stays at MAX exactly.
  const maxS = 3.4028234663852886e38;
  assert.deepEqual(r32(maxS + 2 ** 103, 0, RNE), [0x7f800000, OF | NX]);
  assert.deepEqual(r32(maxS + 2 ** 103, -1, RNE), [max, NX]);
  assert.deepEqual(r32(maxS + 2 ** 103, 0, RTZ), [max, NX]);
  // Just below 2^128 (v = 2^128 with a negative residual): rounds to 2^128 (overflow) to nearest and
  // up, but to MAX toward zero, with no overflow since the unbounded result is MAX.
  assert.deepEqual(r32(2 ** 128, -1, RNE), [0x7f800000, OF | NX]);
  assert.deepEqual(r32(2 ** 128, -1, RTZ), [max, NX]);
  assert.deepEqual(r32(-(2 ** 128), 1, RUP), [0xff7fffff, NX]);
  assert.deepEqual(r32(2 ** 128, 0, RTZ), [max, OF | NX]);
  // Just above MAX: only RUP overflows.
  assert.deepEqual(r32(maxS, 1, RUP), [0x7f800000, OF | NX]);
  assert.deepEqual(r32(maxS, 1, RNE), [max, NX]);
});

test('binary32: underflow is signalled on tininess after rounding, and only when inexact', () => {
  const minN = 2 ** -126;
  // 2^-126 - 2^-151 rounds to 2^-126 even with an unbounded exponent: not tiny, so NX without UF.
  assert.deepEqual(r32(minN - 2 ** -151, 0, RNE), [0x00800000, NX]);
  // 2^-126 - 2^-150 has 24 bits: tiny; it is a subnormal tie and rounds to even 2^-126, with UF.
  assert.deepEqual(r32(minN - 2 ** -150, 0, RNE), [0x00800000, UF | NX]);
  // Directed rounding of that 24-bit value up to 2^-126: still tiny (exact at 24 bits), so UF.
  assert.deepEqual(r32(minN - 2 ** -150, 0, RUP), [0x00800000, UF | NX]);
  assert.deepEqual(r32(-minN + 2 ** -150, 0, RDN), [0x80800000, UF | NX]);
  assert.deepEqual(r32(minN - 2 ** -150, 0, RMM), [0x00800000, UF | NX]);
  // RUP of a value just below 2^-126: unbounded rounding also reaches 2^-126, so no UF.
  assert.deepEqual(r32(minN - 2 ** -160, 0, RUP), [0x00800000, NX]);
  assert.deepEqual(r32(minN - 2 ** -160, 0, RDN), [0x007fffff, UF | NX]);
  // Exact subnormals raise nothing.
  assert.deepEqual(r32(2 ** -149, 0, RNE), [0x00000001, 0]);
  assert.deepEqual(r32(3 * 2 ** -149, 0, RTZ), [0x00000003, 0]);
  // Half the smallest subnormal ties to zero; above it rounds up; RUP of anything tiny is 2^-149.
  assert.deepEqual(r32(2 ** -150, 0, RNE), [0x00000000, UF | NX]);
  assert.deepEqual(r32(2 ** -150, 0, RMM), [0x00000001, UF | NX]);
  assert.deepEqual(r32(2 ** -150, 1, RNE), [0x00000001, UF | NX]);
  assert.deepEqual(r32(2 ** -1074, 0, RUP), [0x00000001, UF | NX]);
  assert.deepEqual(r32(-(2 ** -1074), 0, RDN), [0x80000001, UF | NX]);
  assert.deepEqual(r32(-(2 ** -1074), 0, RNE), [0x80000000, UF | NX]);
});

test('binary64: overflow, ties and underflow of the general rounder', () => {
  const max = Number.MAX_VALUE;
  // 2^1024 (not a double) is not representable as input; use exact values through roundBig.
  const s = { fflags: 0 };
  const big = roundBig(s, false, 1n, 1024, false, BINARY64, RTZ);
  assert.equal(big, max);
  assert.equal(s.fflags, OF | NX);
  assert.equal(roundBig({ fflags: 0 }, true, 1n, 1024, false, BINARY64, RUP), -max);
  assert.equal(roundBig({ fflags: 0 }, true, 1n, 1024, false, BINARY64, RDN), -Infinity);
  // (2^53 + 1) * 2^0 is a tie between 2^53 and 2^53 + 2.
  const tie = 2n ** 53n + 1n;
  assert.equal(roundBig({ fflags: 0 }, false, tie, 0, false, BINARY64, RNE), 2 ** 53);
  assert.equal(roundBig({ fflags: 0 }, false, tie, 0, false, BINARY64, RMM), 2 ** 53 + 2);
  assert.equal(roundBig({ fflags: 0 }, false, tie, 0, true, BINARY64, RNE), 2 ** 53 + 2);
  // Tininess after rounding at 2^-1022. 2^-1022 - 2^-1076 is a tie at 53 bits that rounds up to
  // 2^-1022 even with an unbounded exponent: NX only. 2^-1022 - 2^-1075 has 53 bits: tiny, UF.
  const u = { fflags: 0 };
  assert.equal(roundBig(u, false, 2n ** 54n - 1n, -1076, false, BINARY64, RNE), 2 ** -1022);
  assert.equal(u.fflags, NX);
  const t = { fflags: 0 };
  assert.equal(roundBig(t, false, 2n ** 53n - 1n, -1075, false, BINARY64, RNE), 2 ** -1022);
  assert.equal(t.fflags, UF | NX);
  const d = { fflags: 0 };
  assert.equal(roundBig(d, false, 2n ** 53n - 1n, -1075, false, BINARY64, RDN), 2 ** -1022 - 2 ** -1074);
  assert.equal(d.fflags, UF | NX);
  assert.deepEqual(rBig(2 ** -1074, RNE), [2 ** -1074, 0]);
});

test('binary32 rounding: roundF32 agrees with the general BigInt rounder', () => {
  const rnd = prng(1);
  for (let n = 0; n < 20000; n++) {
    // Doubles over the binary32 range and beyond, dense and sparse significands, with residuals.
    // Exponents anywhere, or at the subnormal/overflow boundaries; significands dense, short, or
    // within a few units of 24 bits of all ones (just below a power of two).
    const edges = [-151, -150, -149, -128, -127, -126, 126, 127, 128];
    const e = rnd() < 0.4 ? edges[Math.floor(rnd() * edges.length)] : Math.floor(rnd() * 330) - 180;
    let m = 1 + rnd();
    const r = rnd();
    if (r < 0.3) m = 1 + Math.floor(rnd() * 8) / 8 + (rnd() < 0.5 ? 2 ** -24 : 0);
    else if (r < 0.6) m = 2 - Math.floor(rnd() * 4) * 2 ** -23 - (rnd() < 0.5 ? 2 ** -24 : 0);
    const v = (rnd() < 0.5 ? -1 : 1) * m * 2 ** e;
    const sigma = Math.floor(rnd() * 3) - 1;
    const x = split64(v);
    // The exact value lies just above/below v: in units of v's last place, (M, M+1) or (M-1, M).
    const mBig = sigma * (x.neg ? -1 : 1) < 0 ? x.m - 1n : x.m;
    for (const rm of MODES) {
      const s = { fflags: 0 };
      const ref = roundBig(s, x.neg, mBig, x.e, sigma !== 0, BINARY32, rm);
      assert.deepEqual(r32(v, sigma, rm), [f32Bits(ref), s.fflags], `v=${v} sigma=${sigma} rm=${rm}`);
    }
  }
});
