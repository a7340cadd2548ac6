// The WebAssembly writer against the binary format (WebAssembly Core Specification 2.0, 5.2.2
// "Integers": unsigned and signed LEB128) and against V8's own decoder and validator.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../prng.js';
import { Code, encodeModule, I32, I64, Op, sleb, slebNum, uleb } from './encode.js';

const bytes = (f: (out: number[]) => void): number[] => {
  const out: number[] = [];
  f(out);
  return out;
};

test('LEB128: the textbook values', () => {
  assert.deepEqual(
    bytes((o) => uleb(o, 624485)),
    [0xe5, 0x8e, 0x26],
  );
  assert.deepEqual(
    bytes((o) => uleb(o, 0)),
    [0],
  );
  assert.deepEqual(
    bytes((o) => uleb(o, 0xffffffff)),
    [0xff, 0xff, 0xff, 0xff, 0x0f],
  );
  assert.deepEqual(
    bytes((o) => sleb(o, -123456n)),
    [0xc0, 0xbb, 0x78],
  );
  // 63 and -64 fit one byte; 64 and -65 need two (bit 6 is the sign).
  assert.deepEqual(
    bytes((o) => sleb(o, 63n)),
    [0x3f],
  );
  assert.deepEqual(
    bytes((o) => sleb(o, 64n)),
    [0xc0, 0x00],
  );
  assert.deepEqual(
    bytes((o) => sleb(o, -64n)),
    [0x40],
  );
  assert.deepEqual(
    bytes((o) => sleb(o, -65n)),
    [0xbf, 0x7f],
  );
  assert.deepEqual(
    bytes((o) => sleb(o, -(2n ** 63n))),
    [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f],
  );
});

test('LEB128: the number path encodes every safe integer as the BigInt path does', () => {
  const r = prng(7);
  for (let k = 0; k < 20000; k++) {
    const mag = Math.floor(r() * 2 ** Math.floor(r() * 53));
    const v = r() < 0.5 ? -mag : mag;
    assert.deepEqual(
      bytes((o) => slebNum(o, v)),
      bytes((o) => sleb(o, BigInt(v))),
      String(v),
    );
  }
});

test('a module from the writer validates and computes what its code says', () => {
  // f(a: i32) -> i32 = wrap((i64)a * 0x1_0000_0001 >> 32) + a, with a local and an if.
  const c = new Code();
  c.get(0).op(Op.i64_extend_i32_s).i64(0x100000001).op(Op.i64_mul).i64(32).op(Op.i64_shr_s).set(1);
  c.get(0).i32(0).op(Op.i32_lt_s).begin(Op.if, I32).i32(-1).op(Op.else).i32(1).op(Op.end);
  c.get(1).op(Op.i32_wrap_i64).op(Op.i32_add);
  const mod = encodeModule({
    types: [{ params: [I32], results: [I32] }],
    importFuncs: [],
    importMemory: false,
    importTable: false,
    funcs: [{ type: 0, locals: [I64], code: c, export: 'f' }],
  });
  assert.ok(WebAssembly.validate(mod));
  const f = new WebAssembly.Instance(new WebAssembly.Module(mod)).exports.f as (a: number) => number;
  for (const a of [0, 1, -1, 12345, -0x80000000, 0x7fffffff]) {
    const hi = Number(BigInt.asIntN(64, BigInt(a) * 0x100000001n) >> 32n);
    assert.equal(f(a), (hi + (a < 0 ? -1 : 1)) | 0, String(a));
  }
});
