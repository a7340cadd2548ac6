// 64-bit arithmetic on int32 pairs against BigInt, which is exact by definition: edge values from
// the M extension's table (division by zero, overflow) plus random operands.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as U from './u64.js';

const M64 = (1n << 64n) - 1n;
const sx = (v: bigint): bigint => BigInt.asIntN(64, v);
const ux = (v: bigint): bigint => BigInt.asUintN(64, v);
const split = (v: bigint): [number, number] => [
  Number(BigInt.asIntN(32, v)),
  Number(BigInt.asIntN(32, v >> 32n)),
];
const join = (lo: number): bigint => ux((BigInt(U.out.hi) << 32n) | BigInt(lo >>> 0));

const EDGES = [
  0n,
  1n,
  2n,
  3n,
  7n,
  M64,
  M64 - 1n,
  1n << 63n,
  (1n << 63n) - 1n,
  1n << 32n,
  (1n << 32n) - 1n,
  0x80000000n,
];
EDGES.push(
  1n << 52n,
  (1n << 52n) - 1n,
  1n << 53n,
  ux(-(1n << 52n)),
  ux(-(1n << 53n)),
  12345678901234n,
  ux(-987654321n),
);

function* operands(): Generator<[bigint, bigint]> {
  for (const a of EDGES) for (const b of EDGES) yield [a, b];
  let s = 0x9e3779b97f4a7c15n;
  const next = (): bigint => {
    s = ux(s * 6364136223846793005n + 1442695040888963407n);
    const shift = s % 64n;
    return ux(s >> shift) ^ (s & 1n ? M64 : 0n);
  };
  for (let k = 0; k < 3000; k++) yield [next(), next()];
}

type Op = (al: number, ah: number, bl: number, bh: number) => number;
function check(name: string, op: Op, ref: (a: bigint, b: bigint) => bigint): void {
  test(name, () => {
    for (const [a, b] of operands()) {
      const [al, ah] = split(a),
        [bl, bh] = split(b);
      const got = join(op(al, ah, bl, bh));
      assert.equal(got, ux(ref(a, b)), `${name}(0x${a.toString(16)}, 0x${b.toString(16)})`);
    }
  });
}

check('mul', U.mul, (a, b) => a * b);
check('mulhu', U.mulhu, (a, b) => (a * b) >> 64n);
check('mulh', U.mulh, (a, b) => (sx(a) * sx(b)) >> 64n);
check('mulhsu', U.mulhsu, (a, b) => (sx(a) * b) >> 64n);
check('div', U.div, (a, b) => (b === 0n ? M64 : sx(a) === -(1n << 63n) && sx(b) === -1n ? a : sx(a) / sx(b)));
check('divu', U.divu, (a, b) => (b === 0n ? M64 : a / b));
check('rem', U.rem, (a, b) => (b === 0n ? a : sx(a) === -(1n << 63n) && sx(b) === -1n ? 0n : sx(a) % sx(b)));
check('remu', U.remu, (a, b) => (b === 0n ? a : a % b));
check('sub', U.sub, (a, b) => a - b);
check(
  'sll',
  (al, ah, bl) => U.sll(al, ah, bl),
  (a, b) => a << (b & 63n),
);
check(
  'srl',
  (al, ah, bl) => U.srl(al, ah, bl),
  (a, b) => a >> (b & 63n),
);
check(
  'sra',
  (al, ah, bl) => U.sra(al, ah, bl),
  (a, b) => sx(a) >> (b & 63n),
);

test('lt and ltu', () => {
  for (const [a, b] of operands()) {
    const [al, ah] = split(a),
      [bl, bh] = split(b);
    assert.equal(U.lt(al, ah, bl, bh), sx(a) < sx(b));
    assert.equal(U.ltu(al, ah, bl, bh), a < b);
  }
});
