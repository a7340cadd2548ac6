// The WebAssembly code of the floating-point instructions against the interpreter (the FPU,
// written from the unprivileged ISA manual and IEEE 754): every F, D, Zfh and Zfa instruction, in
// every rounding mode field (static and dynamic, legal and not), with FS Off, Initial and Dirty,
// on operands chosen to hit each fast path's edges (zeros, subnormals, the bounds of the
// error-free transformations, ties, overflow, infinities, quiet and signaling NaNs, binary32
// values that are not NaN-boxed) and on random ones. The translated and the interpreted hart must
// agree on every f and x register, fflags, mstatus and where execution went (a trap included).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../../../../core/prng.js';
import { PhysBus } from '../../../../memory/bus.js';
import { GuestMemory } from '../../../../memory/guest-memory.js';
import * as C from '../../csr-defs.js';
import { isaProfile } from '../../isa/profile.js';
import { RiscvHart } from '../../hart.js';
import { runInterpreter } from '../../interp.js';
import type { InsnSpec } from '../../isa/types.js';
import { ACCESS_FETCH, ACCESS_LOAD, ACCESS_STORE } from '../../mmu.js';
import { WasmJit } from './engine.js';
import { fpNative } from './fops.js';
import { hostBytesFor } from './layout.js';

const BASE = 0x80000000;
const DATA = BASE + 0x80000; // loads and stores go here
const JAL_SELF = 0x0000006f;

function machine(): RiscvHart {
  const mem = new GuestMemory(BASE, 1 << 20, false, hostBytesFor(1, 1 << 20));
  return new RiscvHart(0, mem, new PhysBus(mem), { mtime: () => 0, mtime64: () => 0n });
}

const f64bits = (x: number): bigint => new BigUint64Array(new Float64Array([x]).buffer)[0];
const f32bits = (x: number): bigint => BigInt(new Uint32Array(new Float32Array([x]).buffer)[0]);
/** A NaN-boxed binary32. */
const boxS = (x: number): bigint => 0xffffffff00000000n | f32bits(x);

const D_EDGES = [
  0,
  -0,
  1,
  -1,
  1.5,
  3,
  0.1,
  1 / 3,
  -2.5,
  0.5,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 0.5,
  2 ** 32 - 0.5,
  2 ** 63,
  -(2 ** 63),
  2 ** 64,
  1e300,
  -1e300,
  1e-300,
  2 ** -960,
  2 ** -961,
  2 ** 995,
  2 ** 994 * 1.5,
  2 ** 1020,
  Number.MAX_VALUE,
  2 ** -1022,
  2 ** -1074,
  3 * 2 ** -1074,
  Infinity,
  -Infinity,
  1 + 2 ** -52,
  1 - 2 ** -53,
].map(f64bits);
const NANS = [0x7ff8000000000000n, 0x7ff0000000000001n, 0xfff8000000000123n];
const S_EDGES = [
  0,
  -0,
  1,
  -1,
  0.1,
  1 / 3,
  2.5,
  3.4028234663852886e38,
  2 ** -126,
  2 ** -149,
  2 ** 24 + 2,
  Infinity,
]
  .map(boxS)
  .concat([0xffffffff7fc00000n, 0xffffffff7f800001n, 0x000000003f800000n /* 1.0f, not boxed */]);

function randomD(r: () => number): bigint {
  // Exponents near 1 mostly, some anywhere: products, sums and quotients of both kinds.
  const e = r() < 0.8 ? 1023 + Math.floor(r() * 64) - 32 : Math.floor(r() * 2047);
  const sign = r() < 0.3 ? 1n : 0n;
  const m = (BigInt(Math.floor(r() * 2 ** 20)) << 32n) | BigInt(Math.floor(r() * 2 ** 32));
  return (sign << 63n) | (BigInt(e) << 52n) | m;
}
function randomS(r: () => number): bigint {
  const e = r() < 0.8 ? 127 + Math.floor(r() * 32) - 16 : Math.floor(r() * 255);
  const sign = r() < 0.3 ? 1 : 0;
  return 0xffffffff00000000n | BigInt(((sign << 31) | (e << 23) | Math.floor(r() * 2 ** 23)) >>> 0);
}

/** Operand triples (f11, f12, f13) and the integer operand x11 for conversions from integers. */
function operands(seed: number, randoms: number): { f: [bigint, bigint, bigint]; x: bigint }[] {
  const r = prng(seed);
  const out: { f: [bigint, bigint, bigint]; x: bigint }[] = [];
  const ints = [
    0n,
    1n,
    -1n,
    2n ** 31n - 1n,
    -(2n ** 31n),
    2n ** 53n,
    2n ** 53n + 1n,
    -(2n ** 53n),
    2n ** 63n - 1n,
    2n ** 24n + 1n,
  ];
  const all = [...D_EDGES, ...NANS, ...S_EDGES];
  for (let i = 0; i < all.length; i++)
    for (let j = 0; j < all.length; j += 3) {
      out.push({
        f: [all[i], all[(i + j) % all.length], all[(i * 7 + j) % all.length]],
        x: ints[(i + j) % ints.length],
      });
    }
  // Fused multiply-adds whose sum is exactly halfway between two doubles (a = 1: the product is
  // exact; c = 0: the product's own error decides).
  for (let k = 0; k < 40; k++) {
    out.push({ f: [f64bits(1), randomD(r), randomD(r)], x: 0n });
    out.push({ f: [randomD(r), f64bits(0.875), f64bits(0)], x: 0n });
  }
  for (let k = 0; k < randoms; k++) {
    const d = r() < 0.5;
    const g = d ? randomD : randomS;
    out.push({ f: [g(r), g(r), g(r)], x: BigInt.asIntN(64, randomD(r)) });
  }
  return out;
}

function setF(h: RiscvHart, r: number, v: bigint): void {
  h.fpu.bits[2 * r] = Number(BigInt.asIntN(32, v));
  h.fpu.bits[2 * r + 1] = Number(BigInt.asIntN(32, v >> 32n));
}

/** The forms of one spec: registers (with aliasing) and every rounding-mode field it has. */
function forms(s: InsnSpec): number[] {
  const hasRm = (s.mask & 0x7000) === 0;
  const rms = hasRm ? [0, 1, 2, 3, 4, 5, 7] : [s.match & 0x7000 ? (s.match >>> 12) & 7 : 0];
  const regs: [number, number, number, number][] = [
    [10, 11, 12, 13],
    [11, 11, 12, 13], // rd = rs1
    [0, 11, 11, 11], // rd = x0 for instructions writing x; all sources alike
  ];
  const out: number[] = [];
  for (const [d, a, b, c] of regs)
    for (const rm of rms) {
      let w = s.match | (d << 7) | (a << 15) | (rm << 12);
      if ((s.mask & (31 << 20)) === 0) w |= b << 20;
      if (s.format === 'R4') w |= c << 27;
      if (s.format === 'I' || s.format === 'S')
        w = s.match | (d << 7) | (14 << 15) | ((s.format === 'S' ? d : 0) << 20);
      out.push(w);
    }
  return [...new Set(out)];
}

function compare(values: { f: [bigint, bigint, bigint]; x: bigint }[]): { checked: number; native: number } {
  const specs = isaProfile('max').insns.filter((s) => s.fsem !== undefined);
  // F 30, D 32, Zfhmin and Zfh 34, Zfa 22.
  assert.equal(specs.length, 118, 'every floating-point instruction has fsem');
  const t = machine();
  const ref = machine();
  const made = WasmJit.create(t.mem, t.decoder, { threshold: 1, batch: 1 });
  assert.ok(made);
  const jit = made;
  jit.attach(t);
  const all: { s: InsnSpec; word: number }[] = specs.flatMap((s) => forms(s).map((word) => ({ s, word })));
  all.forEach((f, k) => {
    for (const h of [t, ref]) {
      h.mem.write32(BASE + 8 * k, f.word >>> 0);
      h.mem.write32(BASE + 8 * k + 4, JAL_SELF);
    }
  });
  let checked = 0;
  let native = 0;
  const states: [number, number][] = [
    [3, 0], // FS Dirty, frm RNE
    [3, 2], // frm RDN
    [3, 5], // frm invalid
    [1, 0], // FS Initial
    [0, 0], // FS Off
  ];
  all.forEach((f, k) => {
    const pc = BASE + 8 * k;
    if (fpNative(f.s.fsem!, f.word)) native++;
    // Every operand set with FS Dirty and frm RNE (where the fast paths run), and with one other state.
    values.forEach((v, n) => {
      for (const [fs, frm] of [states[0], states[1 + (n % (states.length - 1))]]) check(v, n, fs, frm);
    });
    function check(v: { f: [bigint, bigint, bigint]; x: bigint }, n: number, fs: number, frm: number): void {
      for (const h of [t, ref]) {
        h.x.fill(0);
        h.fpu.bits.fill(0);
        for (let r = 0; r < 32; r++) setF(h, r, v.f[r % 3]);
        h.x[22] = Number(BigInt.asIntN(32, v.x));
        h.x[23] = Number(BigInt.asIntN(32, v.x >> 32n));
        h.x[28] = DATA; // x14: the load/store base (DATA + 0 holds the value of f11 for loads)
        h.x[29] = 0;
        h.mem.write32(DATA, Number(v.f[0] & 0xffffffffn));
        h.mem.write32(DATA + 4, Number(v.f[0] >> 32n));
        h.fpu.fflags = n & 1 ? 0 : 0x10;
        h.fpu.frm = frm;
        h.mstatus = (h.mstatus & ~C.MSTATUS_FS) | (fs << 13);
        h.pc = pc;
        h.translate(pc, ACCESS_FETCH);
        h.translate(DATA, ACCESS_LOAD);
        h.translate(DATA, ACCESS_STORE);
      }
      const ran = jit.run(t, 1);
      runInterpreter(ref, ran);
      const what = `${f.s.name} ${(f.word >>> 0).toString(16)} f=${v.f.map((x) => x.toString(16))} x=${v.x} fs=${fs} frm=${frm}`;
      assert.equal(t.pc, ref.pc, `${what}: pc`);
      assert.equal(t.fpu.fflags, ref.fpu.fflags, `${what}: fflags`);
      assert.equal(t.mstatus, ref.mstatus, `${what}: mstatus`);
      for (let x = 0; x < 64; x++)
        if (t.fpu.bits[x] !== ref.fpu.bits[x]) assert.fail(`${what}: f${x >> 1} differs`);
      for (let x = 0; x < 64; x++) if (t.x[x] !== ref.x[x]) assert.fail(`${what}: x${x >> 1} differs`);
      assert.equal(t.mem.read32(DATA), ref.mem.read32(DATA), `${what}: memory`);
      assert.equal(t.mem.read32(DATA + 4), ref.mem.read32(DATA + 4), `${what}: memory`);
      checked++;
    }
  });
  return { checked, native };
}

test('translated F and D instructions match the interpreter: every form, mode and FS state', () => {
  const { checked, native } = compare(operands(5, 300));
  assert.ok(native > 200, `most forms have WebAssembly code (${native})`);
  assert.ok(checked > 300000, `${checked}`);
});
