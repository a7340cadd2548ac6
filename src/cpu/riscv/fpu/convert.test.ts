// FCVT between floating point and integers, and between binary32 and binary64 (unprivileged ISA,
// F chapter §Single-Precision Floating-Point Conversion and Move Instructions and its table of
// float-to-integer results for invalid inputs; D chapter §Double-Precision Conversion Instructions).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fpu } from './fpu.js';
import { NV, OF, UF, NX, RNE, RTZ, RDN, RUP, RMM } from './bits.js';
import { CVT_W, CVT_WU, CVT_L, CVT_LU } from './cvt.js';

const MODES = [RNE, RTZ, RDN, RUP, RMM];
const DV = new DataView(new ArrayBuffer(8));
const d2b = (x: number): bigint => (DV.setFloat64(0, x), DV.getBigUint64(0));
const s2b = (x: number): number => (DV.setFloat32(0, x), DV.getUint32(0));

const f = new Fpu();
const M64 = 0xffffffffffffffffn;
/** x register value produced by FCVT.int.D of x in mode rm, as an unsigned 64-bit pattern, and flags. */
function toIntD(x: number | bigint, kind: number, rm: number): [bigint, number] {
  const b = typeof x === 'bigint' ? x : d2b(x);
  f.setD(1, Number(b & 0xffffffffn) | 0, Number(b >> 32n) | 0);
  f.fflags = 0;
  f.cvtIntD(1, kind, rm);
  return [(BigInt(f.xhi >>> 0) << 32n) | BigInt(f.xlo >>> 0), f.fflags];
}
function toIntS(x: number, kind: number, rm: number): [bigint, number] {
  f.setS(1, s2b(x) | 0);
  f.fflags = 0;
  f.cvtIntS(1, kind, rm);
  return [(BigInt(f.xhi >>> 0) << 32n) | BigInt(f.xlo >>> 0), f.fflags];
}
/** FCVT.D.int / FCVT.S.int of the 64-bit register value v: [result bits, flags]. */
function fromIntD(v: bigint, kind: number, rm: number): [bigint, number] {
  const u = BigInt.asUintN(64, v);
  f.fflags = 0;
  f.cvtDInt(2, Number(u & 0xffffffffn) | 0, Number(u >> 32n) | 0, kind, rm);
  return [(BigInt(f.bits[5] >>> 0) << 32n) | BigInt(f.bits[4] >>> 0), f.fflags];
}
function fromIntS(v: bigint, kind: number, rm: number): [number, number] {
  const u = BigInt.asUintN(64, v);
  f.fflags = 0;
  f.cvtSInt(2, Number(u & 0xffffffffn) | 0, Number(u >> 32n) | 0, kind, rm);
  assert.equal(f.bits[5], -1);
  return [f.bits[4] >>> 0, f.fflags];
}
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

test('float to integer: saturation and NV per the spec table', () => {
  const NAN = 0x7ff8000000000000n;
  const SNAN = 0xfff0000000000001n;
  const maxW = 0x7fffffffn;
  const minW = u64(-0x80000000n);
  const maxL = 0x7fffffffffffffffn;
  const minL = 0x8000000000000000n;
  for (const rm of MODES) {
    for (const nan of [NAN, SNAN, 0xfff8000000000000n]) {
      assert.deepEqual(toIntD(nan, CVT_W, rm), [maxW, NV]);
      assert.deepEqual(toIntD(nan, CVT_WU, rm), [M64, NV]); // 2^32 - 1, sign-extended on RV64
      assert.deepEqual(toIntD(nan, CVT_L, rm), [maxL, NV]);
      assert.deepEqual(toIntD(nan, CVT_LU, rm), [M64, NV]);
    }
    assert.deepEqual(toIntD(Infinity, CVT_W, rm), [maxW, NV]);
    assert.deepEqual(toIntD(-Infinity, CVT_W, rm), [minW, NV]);
    assert.deepEqual(toIntD(-Infinity, CVT_WU, rm), [0n, NV]);
    assert.deepEqual(toIntD(-Infinity, CVT_L, rm), [minL, NV]);
    assert.deepEqual(toIntD(Infinity, CVT_LU, rm), [M64, NV]);
    assert.deepEqual(toIntD(2 ** 31, CVT_W, rm), [maxW, NV]);
    assert.deepEqual(toIntD(-(2 ** 31), CVT_W, rm), [minW, 0]);
    assert.deepEqual(toIntD(2 ** 32, CVT_WU, rm), [M64, NV]);
    assert.deepEqual(toIntD(2 ** 32 - 1, CVT_WU, rm), [M64, 0]);
    assert.deepEqual(toIntD(-1, CVT_WU, rm), [0n, NV]);
    assert.deepEqual(toIntD(-1, CVT_LU, rm), [0n, NV]);
    assert.deepEqual(toIntD(2 ** 63, CVT_L, rm), [maxL, NV]);
    assert.deepEqual(toIntD(-(2 ** 63), CVT_L, rm), [minL, 0]);
    assert.deepEqual(toIntD(2 ** 64, CVT_LU, rm), [M64, NV]);
    assert.deepEqual(toIntD(2 ** 64 - 2048, CVT_LU, rm), [M64 - 2047n, 0]);
    assert.deepEqual(toIntD(-0, CVT_WU, rm), [0n, 0]);
    assert.deepEqual(toIntS(2 ** 31, CVT_W, rm), [maxW, NV]);
    assert.deepEqual(toIntS(-(2 ** 63), CVT_L, rm), [minL, 0]);
    assert.deepEqual(toIntS(2 ** 64, CVT_LU, rm), [M64, NV]);
  }
  // The range check applies to the rounded value.
  assert.deepEqual(toIntD(2147483647.5, CVT_W, RNE), [maxW, NV]);
  assert.deepEqual(toIntD(2147483647.5, CVT_W, RTZ), [maxW, NX]);
  assert.deepEqual(toIntD(-2147483648.5, CVT_W, RNE), [minW, NX]);
  assert.deepEqual(toIntD(-2147483648.5, CVT_W, RDN), [minW, NV]);
  assert.deepEqual(toIntD(-0.5, CVT_WU, RNE), [0n, NX]);
  assert.deepEqual(toIntD(-0.5, CVT_WU, RMM), [0n, NV]);
  assert.deepEqual(toIntD(-0.9, CVT_LU, RUP), [0n, NX]);
  assert.deepEqual(toIntD(-0.9, CVT_LU, RTZ), [0n, NX]);
  assert.deepEqual(toIntD(4294967295.5, CVT_WU, RDN), [M64, NX]);
  assert.deepEqual(toIntD(4294967295.5, CVT_WU, RUP), [M64, NV]);
});

test('float to integer: rounding modes', () => {
  const cases: [number, number[]][] = [
    // x, results for RNE RTZ RDN RUP RMM
    [2.5, [2, 2, 2, 3, 3]],
    [3.5, [4, 3, 3, 4, 4]],
    [-2.5, [-2, -2, -3, -2, -3]],
    [2.4, [2, 2, 2, 3, 2]],
    [-2.6, [-3, -2, -3, -2, -3]],
    [0.3, [0, 0, 0, 1, 0]],
    [-0.3, [0, 0, -1, 0, 0]],
    [
      4503599627370495.5,
      [4503599627370496, 4503599627370495, 4503599627370495, 4503599627370496, 4503599627370496],
    ],
  ];
  for (const [x, want] of cases) {
    MODES.forEach((rm, k) => {
      const nx = Number.isInteger(x) ? 0 : NX;
      assert.deepEqual(toIntD(x, CVT_L, rm), [u64(BigInt(want[k])), nx], `fcvt.l.d ${x} rm ${rm}`);
      if (Math.abs(x) < 2 ** 31) assert.deepEqual(toIntD(x, CVT_W, rm), [u64(BigInt(want[k])), nx]);
    });
  }
  assert.deepEqual(toIntD(-123456789012345, CVT_L, RNE), [u64(-123456789012345n), 0]);
  assert.deepEqual(toIntD(2 ** 62 + 2 ** 40, CVT_LU, RNE), [2n ** 62n + 2n ** 40n, 0]);
  assert.deepEqual(toIntS(-7.5, CVT_W, RNE), [u64(-8n), NX]);
  assert.deepEqual(toIntS(16777215.0, CVT_WU, RNE), [16777215n, 0]);
});

test('integer to float: exact, ties, directed rounding, 64-bit sources', () => {
  const big = 2n ** 53n + 1n; // halfway between 2^53 and 2^53 + 2
  assert.deepEqual(fromIntD(big, CVT_L, RNE), [d2b(2 ** 53), NX]);
  assert.deepEqual(fromIntD(big, CVT_L, RMM), [d2b(2 ** 53 + 2), NX]);
  assert.deepEqual(fromIntD(big, CVT_L, RUP), [d2b(2 ** 53 + 2), NX]);
  assert.deepEqual(fromIntD(big, CVT_L, RTZ), [d2b(2 ** 53), NX]);
  assert.deepEqual(fromIntD(-big, CVT_L, RDN), [d2b(-(2 ** 53) - 2), NX]);
  assert.deepEqual(fromIntD(-big, CVT_L, RUP), [d2b(-(2 ** 53)), NX]);
  assert.deepEqual(fromIntD(2n ** 63n - 1n, CVT_L, RNE), [d2b(2 ** 63), NX]);
  assert.deepEqual(fromIntD(2n ** 63n - 1n, CVT_L, RTZ), [d2b(2 ** 63 - 1024), NX]);
  assert.deepEqual(fromIntD(-(2n ** 63n), CVT_L, RNE), [d2b(-(2 ** 63)), 0]);
  assert.deepEqual(fromIntD(M64, CVT_LU, RNE), [d2b(2 ** 64), NX]);
  assert.deepEqual(fromIntD(M64, CVT_LU, RDN), [d2b(2 ** 64 - 2048), NX]);
  assert.deepEqual(fromIntD(M64, CVT_L, RNE), [d2b(-1), 0]);
  assert.deepEqual(fromIntD(0xffffffffn, CVT_W, RNE), [d2b(-1), 0]);
  assert.deepEqual(fromIntD(M64, CVT_WU, RNE), [d2b(4294967295), 0]);
  assert.deepEqual(fromIntD(0x1234_0000_8000_0000n, CVT_W, RNE), [d2b(-(2 ** 31)), 0]);
  for (const rm of MODES) {
    assert.deepEqual(fromIntD(0n, CVT_L, rm), [0n, 0]);
    assert.deepEqual(fromIntS(0n, CVT_W, rm), [0, 0]);
  }
  // binary32: 2^24 + 1 is a tie.
  assert.deepEqual(fromIntS(2n ** 24n + 1n, CVT_W, RNE), [s2b(2 ** 24), NX]);
  assert.deepEqual(fromIntS(2n ** 24n + 1n, CVT_W, RMM), [s2b(2 ** 24 + 2), NX]);
  assert.deepEqual(fromIntS(2n ** 24n + 3n, CVT_W, RNE), [s2b(2 ** 24 + 4), NX]);
  assert.deepEqual(fromIntS(-(2n ** 24n) - 1n, CVT_W, RDN), [s2b(-(2 ** 24) - 2), NX]);
  assert.deepEqual(fromIntS(0xffffffffn, CVT_WU, RNE), [0x4f800000, NX]);
  assert.deepEqual(fromIntS(0xffffffffn, CVT_WU, RTZ), [0x4f7fffff, NX]);
  assert.deepEqual(fromIntS(M64, CVT_LU, RNE), [0x5f800000, NX]);
  assert.deepEqual(fromIntS(M64, CVT_LU, RTZ), [0x5f7fffff, NX]);
  // 2^40 + 2^16 + 1: the low bit is only a sticky bit below the binary32 tie at 2^40 + 2^16.
  assert.deepEqual(fromIntS(2n ** 40n + 2n ** 16n + 1n, CVT_L, RNE), [s2b(2 ** 40 + 2 ** 17), NX]);
  assert.deepEqual(fromIntS(2n ** 40n + 2n ** 16n, CVT_L, RNE), [s2b(2 ** 40), NX]);
  // A 64-bit value whose binary64 rounding lands exactly on a binary32 tie: no double rounding.
  assert.deepEqual(fromIntS(2n ** 62n + 2n ** 38n + 1n, CVT_LU, RNE), [s2b(2 ** 62 + 2 ** 39), NX]);
  assert.deepEqual(fromIntS(2n ** 62n + 2n ** 38n - 1n, CVT_LU, RNE), [s2b(2 ** 62), NX]);
});

test('binary64 to binary32 and back', () => {
  const cvtSD = (x: number | bigint, rm: number): [number, number] => {
    const b = typeof x === 'bigint' ? x : d2b(x);
    f.setD(1, Number(b & 0xffffffffn) | 0, Number(b >> 32n) | 0);
    f.fflags = 0;
    f.cvtSD(2, 1, rm);
    assert.equal(f.bits[5], -1);
    return [f.bits[4] >>> 0, f.fflags];
  };
  const cvtDS = (w: number, hi = -1): [bigint, number] => {
    f.setD(1, w | 0, hi);
    f.fflags = 0;
    f.cvtDS(2, 1);
    return [(BigInt(f.bits[5] >>> 0) << 32n) | BigInt(f.bits[4] >>> 0), f.fflags];
  };
  assert.deepEqual(cvtSD(1.5, RNE), [0x3fc00000, 0]);
  assert.deepEqual(cvtSD(0.1, RNE), [0x3dcccccd, NX]);
  assert.deepEqual(cvtSD(0.1, RTZ), [0x3dcccccc, NX]);
  assert.deepEqual(cvtSD(-0, RNE), [0x80000000, 0]);
  assert.deepEqual(cvtSD(-Infinity, RTZ), [0xff800000, 0]);
  assert.deepEqual(cvtSD(1e300, RNE), [0x7f800000, OF | NX]);
  assert.deepEqual(cvtSD(1e300, RTZ), [0x7f7fffff, OF | NX]);
  assert.deepEqual(cvtSD(-1e300, RUP), [0xff7fffff, OF | NX]);
  // Tininess after rounding (see round.test.ts for the reasoning).
  assert.deepEqual(cvtSD(2 ** -126 - 2 ** -151, RNE), [0x00800000, NX]);
  assert.deepEqual(cvtSD(2 ** -126 - 2 ** -150, RNE), [0x00800000, UF | NX]);
  assert.deepEqual(cvtSD(2 ** -1074, RNE), [0, UF | NX]);
  assert.deepEqual(cvtSD(-(2 ** -1074), RDN), [0x80000001, UF | NX]);
  assert.deepEqual(cvtSD(2 ** -149, RNE), [1, 0]);
  // NaNs become the canonical NaN; only a signaling one raises NV.
  assert.deepEqual(cvtSD(0x7ff8000012345678n, RNE), [0x7fc00000, 0]);
  assert.deepEqual(cvtSD(0xfff0000000000001n, RNE), [0x7fc00000, NV]);
  assert.deepEqual(cvtDS(0x3fc00000), [d2b(1.5), 0]);
  assert.deepEqual(cvtDS(0x00000001), [d2b(2 ** -149), 0]);
  assert.deepEqual(cvtDS(0xff800000), [d2b(-Infinity), 0]);
  assert.deepEqual(cvtDS(0x7fc12345), [0x7ff8000000000000n, 0]);
  assert.deepEqual(cvtDS(0xff800001), [0x7ff8000000000000n, NV]);
  // Not NaN-boxed: the canonical NaN, quietly.
  assert.deepEqual(cvtDS(0x3fc00000, 0), [0x7ff8000000000000n, 0]);
  assert.deepEqual(cvtDS(0x7f800001, 0x7fffffff), [0x7ff8000000000000n, 0]);
});
