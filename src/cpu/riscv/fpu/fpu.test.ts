// Non-arithmetic FPU behaviour: NaN-boxing, sign injection, FMIN/FMAX, comparisons, FCLASS, the
// rounding-mode field and fcsr, snapshots (unprivileged ISA, F and D chapters).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fpu } from './fpu.js';
import { NV, RNE, RMM } from './bits.js';

const f = new Fpu();
/** Set f[r] from a 64-bit pattern. */
function set(r: number, v: bigint): void {
  f.setD(r, Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0);
}
const get = (r: number): bigint => (BigInt(f.bits[2 * r + 1] >>> 0) << 32n) | BigInt(f.bits[2 * r] >>> 0);
const box = (w: number): bigint => 0xffffffff00000000n | BigInt(w >>> 0);

const ONE_S = 0x3f800000;
const QNAN_S = 0x7fc00000;
const QNAN_D = 0x7ff8000000000000n;
const DV = new DataView(new ArrayBuffer(8));
const d2b = (x: number): bigint => (DV.setFloat64(0, x), DV.getBigUint64(0));

test('resolveRm: static modes, dynamic frm, and the reserved encodings', () => {
  for (let rm = 0; rm < 5; rm++) assert.equal(f.resolveRm(rm), rm);
  assert.equal(f.resolveRm(5), -1);
  assert.equal(f.resolveRm(6), -1);
  for (let frm = 0; frm < 8; frm++) {
    f.frm = frm;
    assert.equal(f.resolveRm(7), frm < 5 ? frm : -1);
  }
  f.frm = 0;
});

test('fcsr packs frm above fflags', () => {
  f.writeFcsr(0xff);
  assert.equal(f.frm, 7);
  assert.equal(f.fflags, 31);
  assert.equal(f.readFcsr(), 0xff);
  f.writeFcsr(0x1_0000_0085);
  assert.deepEqual([f.frm, f.fflags], [4, 5]);
  f.writeFcsr(0);
});

test('sign injection moves bits exactly, including NaN payloads', () => {
  const SNAN_D = 0x7ff0000000000badn;
  set(1, SNAN_D);
  set(2, d2b(-2));
  f.fflags = 0;
  f.sgnjD(3, 1, 2, 0);
  assert.equal(get(3), SNAN_D | (1n << 63n));
  f.sgnjD(3, 1, 2, 1);
  assert.equal(get(3), SNAN_D);
  f.sgnjD(3, 2, 2, 2);
  assert.equal(get(3), d2b(2)); // FABS
  f.sgnjD(3, 1, 1, 0);
  assert.equal(get(3), SNAN_D); // FMV.D
  set(1, box(0x7f800bad));
  set(2, box(0x80000000));
  f.sgnjS(3, 1, 2, 0);
  assert.equal(get(3), box(0xff800bad));
  f.sgnjS(3, 1, 2, 2);
  assert.equal(get(3), box(0xff800bad));
  assert.equal(f.fflags, 0);
  // An operand that is not NaN-boxed is the canonical NaN (sign 0).
  set(2, 0x80000000n);
  f.sgnjS(3, 1, 2, 0);
  assert.equal(get(3), box(0x7f800bad));
  set(1, 0x1234_5678_3f80_0000n);
  set(2, box(0x80000000));
  f.sgnjS(3, 1, 2, 0);
  assert.equal(get(3), box(QNAN_S | 0x80000000));
});

test('FMIN/FMAX: minimumNumber/maximumNumber with -0 < +0 and NV for signaling NaNs', () => {
  const mm = (a: bigint, b: bigint, max: boolean, single: boolean): [bigint, number] => {
    set(1, a);
    set(2, b);
    f.fflags = 0;
    if (single) f.minMaxS(3, 1, 2, max);
    else f.minMaxD(3, 1, 2, max);
    return [get(3), f.fflags];
  };
  const NEG0 = d2b(-0);
  assert.deepEqual(mm(NEG0, 0n, false, false), [NEG0, 0]);
  assert.deepEqual(mm(0n, NEG0, false, false), [NEG0, 0]);
  assert.deepEqual(mm(NEG0, 0n, true, false), [0n, 0]);
  assert.deepEqual(mm(0n, NEG0, true, false), [0n, 0]);
  assert.deepEqual(mm(d2b(1), d2b(-3), false, false), [d2b(-3), 0]);
  assert.deepEqual(mm(d2b(1), d2b(-3), true, false), [d2b(1), 0]);
  assert.deepEqual(mm(d2b(-Infinity), d2b(3), false, false), [d2b(-Infinity), 0]);
  // One NaN: the other operand; a signaling NaN also raises NV.
  assert.deepEqual(mm(QNAN_D | 5n, d2b(2), false, false), [d2b(2), 0]);
  assert.deepEqual(mm(d2b(2), 0x7ff0000000000001n, true, false), [d2b(2), NV]);
  // Two NaNs: the canonical NaN.
  assert.deepEqual(mm(0xfff8000000000001n, 0x7ff8000000000002n, true, false), [QNAN_D, 0]);
  assert.deepEqual(mm(0xfff0000000000001n, 0x7ff8000000000002n, false, false), [QNAN_D, NV]);
  // Single precision, including an operand that is not NaN-boxed (canonical NaN, quiet).
  assert.deepEqual(mm(box(0x80000000), box(0), false, true), [box(0x80000000), 0]);
  assert.deepEqual(mm(box(0x80000000), box(0), true, true), [box(0), 0]);
  assert.deepEqual(mm(box(0x7f800001), box(ONE_S), false, true), [box(ONE_S), NV]);
  assert.deepEqual(mm(0x7f800001n, box(ONE_S), false, true), [box(ONE_S), 0]);
  assert.deepEqual(mm(box(0x7fc00001), box(0xffc00000), true, true), [box(QNAN_S), 0]);
  assert.deepEqual(mm(box(0xc0000000), box(ONE_S), true, true), [box(ONE_S), 0]);
});

test('FEQ is quiet, FLT/FLE are signaling', () => {
  const cmp = (a: bigint, b: bigint, single: boolean): [number, number, number, number] => {
    set(1, a);
    set(2, b);
    f.fflags = 0;
    const r = single ? [f.eqS(1, 2), f.ltS(1, 2), f.leS(1, 2)] : [f.eqD(1, 2), f.ltD(1, 2), f.leD(1, 2)];
    return [r[0], r[1], r[2], f.fflags];
  };
  assert.deepEqual(cmp(d2b(1), d2b(2), false), [0, 1, 1, 0]);
  assert.deepEqual(cmp(d2b(2), d2b(2), false), [1, 0, 1, 0]);
  assert.deepEqual(cmp(d2b(-0), 0n, false), [1, 0, 1, 0]);
  assert.deepEqual(cmp(d2b(Infinity), d2b(-Infinity), false), [0, 0, 0, 0]);
  // Quiet NaN: FEQ raises nothing, FLT and FLE raise NV.
  set(1, QNAN_D);
  set(2, d2b(1));
  f.fflags = 0;
  assert.equal(f.eqD(1, 2), 0);
  assert.equal(f.fflags, 0);
  assert.equal(f.ltD(1, 2), 0);
  assert.equal(f.fflags, NV);
  f.fflags = 0;
  assert.equal(f.leD(2, 1), 0);
  assert.equal(f.fflags, NV);
  // Signaling NaN: every comparison raises NV.
  assert.deepEqual(cmp(0x7ff0000000000001n, d2b(1), false), [0, 0, 0, NV]);
  f.fflags = 0;
  set(1, box(0x7f800001));
  assert.equal(f.eqS(1, 1), 0);
  assert.equal(f.fflags, NV);
  assert.deepEqual(cmp(box(ONE_S), box(ONE_S), true), [1, 0, 1, 0]);
  assert.deepEqual(cmp(box(0x80000000), box(0), true), [1, 0, 1, 0]);
  // Not NaN-boxed: a quiet NaN, so FEQ is silent even for a signaling pattern.
  set(1, 0x7f800001n);
  f.fflags = 0;
  assert.equal(f.eqS(1, 1), 0);
  assert.equal(f.fflags, 0);
  assert.equal(f.leS(1, 1), 0);
  assert.equal(f.fflags, NV);
});

test('FCLASS: all ten classes', () => {
  const d: [bigint, number][] = [
    [d2b(-Infinity), 0],
    [d2b(-1.5), 1],
    [0x800fffffffffffffn, 2],
    [d2b(-0), 3],
    [0n, 4],
    [1n, 5],
    [d2b(2 ** -1022), 6],
    [d2b(Infinity), 7],
    [0x7ff0000000000001n, 8],
    [0xfff8000000000000n, 9],
  ];
  for (const [v, bit] of d) {
    set(1, v);
    assert.equal(f.classD(1), 1 << bit, `fclass.d ${v.toString(16)}`);
  }
  const s: [number, number][] = [
    [0xff800000, 0],
    [0xbf800000, 1],
    [0x807fffff, 2],
    [0x80000000, 3],
    [0, 4],
    [1, 5],
    [0x7f7fffff, 6],
    [0x7f800000, 7],
    [0x7fbfffff, 8],
    [0x7fc00000, 9],
  ];
  for (const [v, bit] of s) {
    set(1, box(v));
    assert.equal(f.classS(1), 1 << bit, `fclass.s ${v.toString(16)}`);
  }
  set(1, 0xff800000n); // -inf pattern without a NaN-box: the canonical (quiet) NaN
  assert.equal(f.classS(1), 1 << 9);
});

test('snapshots restore registers and fcsr bit-exactly', () => {
  const a = new Fpu();
  a.setD(0, 1, 0x7ff00000); // signaling NaN payload 1
  a.setS(31, 0x7f800001);
  a.fflags = 0x15;
  a.frm = RMM;
  const state = a.save();
  assert.equal(state.version, 1);
  const b = Fpu.restore(JSON.parse(JSON.stringify(state)));
  assert.deepEqual(Array.from(b.bits), Array.from(a.bits));
  assert.deepEqual([b.fflags, b.frm], [0x15, RMM]);
  const c = new Fpu();
  c.restore(state);
  assert.deepEqual(c.save(), state);
  c.reset();
  assert.deepEqual([c.fflags, c.frm, c.bits.every((w) => w === 0)], [0, RNE, true]);
  assert.throws(() => Fpu.restore({ ...state, version: 2 as 1 }));
});
