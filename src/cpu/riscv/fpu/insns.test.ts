// The F_INSNS and D_INSNS tables: encodings (against the GNU assembler's output for each mnemonic),
// no overlaps, and every entry executed through a minimal Hart (unprivileged ISA, F and D chapters;
// "RV32/64G Instruction Set Listings").

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { F_INSNS } from '../isa/f.js';
import { D_INSNS } from '../isa/d.js';
import type { Hart, InsnSpec } from '../isa/types.js';
import { Fpu } from './fpu.js';
import { NV, NX, RNE, RUP } from './bits.js';

const ALL: InsnSpec[] = [...F_INSNS, ...D_INSNS];
const byName = new Map(ALL.map((s) => [s.name, s]));

/**
 * Words assembled by riscv64-linux-gnu-as (-march=rv64gc, norvc) with rd = fa0/a0, rs1 = fa1/a1,
 * rs2 = fa2, rs3 = fa3, loads at 8(a1), stores at -4(a1); rm as written in the comment.
 */
const ASM: [string, number][] = [
  ['flw', 0x0085a507],
  ['fsw', 0xfec5ae27],
  ['fld', 0x0085b507],
  ['fsd', 0xfec5be27],
  ['fmadd.s', 0x68c58543], // rne
  ['fmsub.s', 0x68c59547], // rtz
  ['fnmsub.s', 0x68c5a54b], // rdn
  ['fnmadd.s', 0x68c5b54f], // rup
  ['fmadd.d', 0x6ac5c543], // rmm
  ['fmsub.d', 0x6ac5f547], // dyn
  ['fnmsub.d', 0x6ac5854b],
  ['fnmadd.d', 0x6ac5854f],
  ['fadd.s', 0x00c58553],
  ['fsub.s', 0x08c58553],
  ['fmul.s', 0x10c58553],
  ['fdiv.s', 0x18c58553],
  ['fsqrt.s', 0x58058553],
  ['fadd.d', 0x02c5f553], // dyn
  ['fsub.d', 0x0ac58553],
  ['fmul.d', 0x12c58553],
  ['fdiv.d', 0x1ac58553],
  ['fsqrt.d', 0x5a058553],
  ['fsgnj.s', 0x20c58553],
  ['fsgnjn.s', 0x20c59553],
  ['fsgnjx.s', 0x20c5a553],
  ['fsgnj.d', 0x22c58553],
  ['fsgnjn.d', 0x22c59553],
  ['fsgnjx.d', 0x22c5a553],
  ['fmin.s', 0x28c58553],
  ['fmax.s', 0x28c59553],
  ['fmin.d', 0x2ac58553],
  ['fmax.d', 0x2ac59553],
  ['fcvt.s.d', 0x40158553],
  ['fcvt.d.s', 0x42058553], // assembler default rm (rne)
  ['fcvt.w.s', 0xc0058553],
  ['fcvt.wu.s', 0xc0158553],
  ['fcvt.l.s', 0xc0258553],
  ['fcvt.lu.s', 0xc0358553],
  ['fcvt.w.d', 0xc2058553],
  ['fcvt.wu.d', 0xc2158553],
  ['fcvt.l.d', 0xc2258553],
  ['fcvt.lu.d', 0xc2358553],
  ['fcvt.s.w', 0xd0058553],
  ['fcvt.s.wu', 0xd0158553],
  ['fcvt.s.l', 0xd0258553],
  ['fcvt.s.lu', 0xd0358553],
  ['fcvt.d.w', 0xd2058553],
  ['fcvt.d.wu', 0xd2158553],
  ['fcvt.d.l', 0xd2258553],
  ['fcvt.d.lu', 0xd2358553],
  ['fmv.x.w', 0xe0058553],
  ['fmv.w.x', 0xf0058553],
  ['fmv.x.d', 0xe2058553],
  ['fmv.d.x', 0xf2058553],
  ['feq.s', 0xa0c5a553],
  ['flt.s', 0xa0c59553],
  ['fle.s', 0xa0c58553],
  ['feq.d', 0xa2c5a553],
  ['flt.d', 0xa2c59553],
  ['fle.d', 0xa2c58553],
  ['fclass.s', 0xe0059553],
  ['fclass.d', 0xe2059553],
];

/** Just enough of a hart for F/D bodies: registers, 64 bytes of memory, FS gate and counters. */
class MockHart implements Hart {
  readonly x = new Int32Array(64);
  pc = 0;
  npc = 4;
  readonly fpu = new Fpu();
  readonly mem = new DataView(new ArrayBuffer(64));
  fsOn = true;
  dirty = 0;
  illegals = 0;
  setX(rd: number, lo: number, hi: number): void {
    if (rd === 0) return;
    this.x[2 * rd] = lo;
    this.x[2 * rd + 1] = hi;
  }
  setX32(rd: number, lo: number): void {
    this.setX(rd, lo, lo >> 31);
  }
  addr(rs1: number, imm: number): number {
    return this.x[2 * rs1] + imm;
  }
  loadFp(frd: number, addr: number, bytes: number): void {
    this.fpu.setD(frd, this.mem.getInt32(addr, true), bytes === 8 ? this.mem.getInt32(addr + 4, true) : -1);
  }
  storeFp(addr: number, bytes: number, frs: number): void {
    this.mem.setInt32(addr, this.fpu.bits[2 * frs], true);
    if (bytes === 8) this.mem.setInt32(addr + 4, this.fpu.bits[2 * frs + 1], true);
  }
  illegal(): void {
    this.illegals++;
  }
  fpOn(): boolean {
    if (!this.fsOn) this.illegal();
    return this.fsOn;
  }
  fpDirty(): void {
    this.dirty++;
  }
  load(): void {
    throw new Error('unexpected integer load');
  }
  store(): void {
    throw new Error('unexpected integer store');
  }
  trap(): void {
    throw new Error('unexpected trap');
  }
  csrOp(): void {}
  amo(): void {}
  cbo(): void {}
  ecall(): void {}
  ebreak(): void {}
  mret(): void {}
  sret(): void {}
  wfi(): void {}
  wrs(): void {}
  sfenceVma(): void {}
  sfenceInval(): void {}
  hfence(): void {}
  hlv(): void {}
  hsv(): void {}
  fenceI(): void {}
  /** Full 64-bit register values for comparisons. */
  getX(r: number): bigint {
    return (BigInt(this.x[2 * r + 1] >>> 0) << 32n) | BigInt(this.x[2 * r] >>> 0);
  }
  getF(r: number): bigint {
    return (BigInt(this.fpu.bits[2 * r + 1] >>> 0) << 32n) | BigInt(this.fpu.bits[2 * r] >>> 0);
  }
  setXv(r: number, v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.setX(r, Number(u & 0xffffffffn) | 0, Number(u >> 32n) | 0);
  }
  setFv(r: number, v: bigint): void {
    this.fpu.setD(r, Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0);
  }
}

const DV = new DataView(new ArrayBuffer(8));
/** NaN-boxed binary32 register value of x. */
const S = (x: number): bigint => (DV.setFloat32(0, x), 0xffffffff00000000n | BigInt(DV.getUint32(0)));
/** binary64 register value of x. */
const D = (x: number): bigint => (DV.setFloat64(0, x), DV.getBigUint64(0));
const U = (v: bigint): bigint => BigInt.asUintN(64, v);
const SNAN_D = 0x7ff0000000000001n;

interface Case {
  /** Source f registers (11, 12, 13) and x register 11. */
  f?: [bigint?, bigint?, bigint?];
  x?: bigint;
  /** Expected f10 or x10, and fflags. */
  fd?: bigint;
  xd?: bigint;
  flags?: number;
  /** rm to put in the word (if the entry leaves funct3 free); default RNE. */
  rm?: number;
}

const CASES: Record<string, Case> = {
  'fmadd.s': { f: [S(2), S(3), S(1)], fd: S(7) },
  'fmsub.s': { f: [S(2), S(3), S(1)], fd: S(5) },
  'fnmsub.s': { f: [S(2), S(3), S(1)], fd: S(-5) },
  'fnmadd.s': { f: [S(2), S(3), S(1)], fd: S(-7) },
  'fmadd.d': { f: [D(1 + 2 ** -27), D(1 - 2 ** -27), D(-1)], fd: D(-(2 ** -54)) },
  'fmsub.d': { f: [D(2), D(3), D(1)], fd: D(5) },
  'fnmsub.d': { f: [D(2), D(3), D(1)], fd: D(-5) },
  'fnmadd.d': { f: [D(2), D(3), D(1)], fd: D(-7) },
  'fadd.s': { f: [S(1.5), S(2.25)], fd: S(3.75) },
  'fsub.s': { f: [S(1.5), S(2.25)], fd: S(-0.75) },
  'fmul.s': { f: [S(1.5), S(2.25)], fd: S(3.375) },
  'fdiv.s': { f: [S(1), S(3)], fd: 0xffffffff3eaaaaabn, flags: NX },
  'fsqrt.s': { f: [S(2.25)], fd: S(1.5) },
  'fadd.d': { f: [D(1), D(2 ** -60)], fd: D(1 + 2 ** -52), flags: NX, rm: RUP },
  'fsub.d': { f: [D(1.5), D(2.25)], fd: D(-0.75) },
  'fmul.d': { f: [D(1.5), D(2.25)], fd: D(3.375) },
  'fdiv.d': { f: [D(1), D(3)], fd: 0x3fd5555555555555n, flags: NX },
  'fsqrt.d': { f: [D(-1)], fd: 0x7ff8000000000000n, flags: NV },
  'fsgnj.s': { f: [S(1.5), S(-2.25)], fd: S(-1.5) },
  'fsgnjn.s': { f: [S(1.5), S(-2.25)], fd: S(1.5) },
  'fsgnjx.s': { f: [S(-1.5), S(-2.25)], fd: S(1.5) },
  'fsgnj.d': { f: [SNAN_D, D(-1)], fd: SNAN_D | (1n << 63n) },
  'fsgnjn.d': { f: [D(1.5), D(-2.25)], fd: D(1.5) },
  'fsgnjx.d': { f: [D(-1.5), D(2.25)], fd: D(-1.5) },
  'fmin.s': { f: [S(1.5), S(-2.25)], fd: S(-2.25) },
  'fmax.s': { f: [S(-0), S(0)], fd: S(0) },
  'fmin.d': { f: [SNAN_D, D(-2.25)], fd: D(-2.25), flags: NV },
  'fmax.d': { f: [D(1.5), D(-2.25)], fd: D(1.5) },
  'fcvt.s.d': { f: [D(0.1)], fd: 0xffffffff3dcccccdn, flags: NX },
  'fcvt.d.s': { f: [S(0.1)], fd: D(Math.fround(0.1)) },
  'fcvt.w.s': { f: [S(-7.5)], xd: U(-8n), flags: NX },
  'fcvt.wu.s': { f: [S(3e9)], xd: 0xffffffffb2d05e00n },
  'fcvt.l.s': { f: [S(-(2 ** 40))], xd: U(-(2n ** 40n)) },
  'fcvt.lu.s': { f: [S(2 ** 63)], xd: 2n ** 63n },
  'fcvt.w.d': { f: [D(-7.5)], xd: U(-8n), flags: NX },
  'fcvt.wu.d': { f: [D(3e9)], xd: 0xffffffffb2d05e00n },
  'fcvt.l.d': { f: [D(-(2 ** 60) - 2048)], xd: U(-(2n ** 60n) - 2048n) },
  'fcvt.lu.d': { f: [D(2 ** 64 - 2048)], xd: 0xfffffffffffff800n },
  'fcvt.s.w': { x: 0x12345678fffffffdn, fd: S(-3) },
  'fcvt.s.wu': { x: 0xffffffffn, fd: 0xffffffff4f800000n, flags: NX },
  'fcvt.s.l': { x: -(2n ** 40n), fd: S(-(2 ** 40)) },
  'fcvt.s.lu': { x: 2n ** 63n, fd: S(2 ** 63) },
  'fcvt.d.w': { x: 0x1234567880000000n, fd: D(-(2 ** 31)) },
  'fcvt.d.wu': { x: 0x1234567880000000n, fd: D(2 ** 31) },
  'fcvt.d.l': { x: 2n ** 53n + 1n, fd: D(2 ** 53), flags: NX },
  'fcvt.d.lu': { x: 2n ** 64n - 1n, fd: D(2 ** 64), flags: NX },
  'fmv.x.w': { f: [0x1234567880000001n], xd: 0xffffffff80000001n }, // low bits, box ignored
  'fmv.w.x': { x: 0x12345678c0000000n, fd: 0xffffffffc0000000n },
  'fmv.x.d': { f: [SNAN_D], xd: SNAN_D },
  'fmv.d.x': { x: SNAN_D, fd: SNAN_D },
  'feq.s': { f: [S(1.5), S(1.5)], xd: 1n },
  'flt.s': { f: [S(1.5), S(2.25)], xd: 1n },
  'fle.s': { f: [S(2.25), S(1.5)], xd: 0n },
  'feq.d': { f: [0x7ff8000000000000n, D(1)], xd: 0n },
  'flt.d': { f: [0x7ff8000000000000n, D(1)], xd: 0n, flags: NV },
  'fle.d': { f: [D(-0), D(0)], xd: 1n },
  'fclass.s': { f: [S(-0)], xd: 8n },
  'fclass.d': { f: [SNAN_D], xd: 256n },
};

/** The assembled word for `name` with its rm field replaced (when the entry leaves funct3 free). */
function word(name: string, rm: number): number {
  const spec = byName.get(name)!;
  const w = ASM.find(([n]) => n === name)![1];
  return (spec.mask & 0x7000) === 0 ? (w & ~0x7000) | (rm << 12) : w;
}

function fresh(c: Case): MockHart {
  const h = new MockHart();
  (c.f ?? []).forEach((v, k) => v !== undefined && h.setFv(11 + k, v));
  if (c.x !== undefined) h.setXv(11, c.x);
  h.setFv(10, 0x5555555555555555n);
  h.setXv(10, 0x5555555555555555n);
  return h;
}

test('assembler encodings decode to exactly the entry of that name', () => {
  assert.equal(ASM.length, ALL.length);
  for (const [name, w] of ASM) {
    const hits = ALL.filter((s) => ((w ^ s.match) & s.mask) === 0).map((s) => s.name);
    assert.deepEqual(hits, [name], `0x${w.toString(16)}`);
  }
});

test('entries are well formed and do not overlap', () => {
  for (const s of F_INSNS) assert.equal(s.ext, 'F');
  for (const s of D_INSNS) assert.equal(s.ext, 'D');
  assert.equal(byName.size, ALL.length, 'duplicate names');
  for (const s of ALL) {
    assert.equal(s.match & ~s.mask, 0, `${s.name}: match outside mask`);
    assert.equal(s.mask & 0x7f, 0x7f, `${s.name}: opcode not fixed`);
    for (const t of ALL) {
      if (s !== t) assert.notEqual((s.match ^ t.match) & s.mask & t.mask, 0, `${s.name} overlaps ${t.name}`);
    }
  }
});

test('loads and stores move raw bits, NaN-boxing 4-byte loads', () => {
  const h = new MockHart();
  h.setXv(11, 8n);
  h.mem.setBigUint64(16, 0x7ff0000000000badn, true);
  byName.get('flw')!.exec(h, word('flw', 0));
  assert.equal(h.getF(10), 0xffffffff00000badn);
  byName.get('fld')!.exec(h, word('fld', 0));
  assert.equal(h.getF(10), 0x7ff0000000000badn);
  h.setXv(11, 20n);
  h.setFv(12, 0x123456789abcdef0n);
  byName.get('fsw')!.exec(h, word('fsw', 0));
  assert.equal(h.mem.getBigUint64(16, true), 0x7ff000009abcdef0n);
  byName.get('fsd')!.exec(h, word('fsd', 0));
  assert.equal(h.mem.getBigUint64(16, true), 0x123456789abcdef0n);
  assert.equal(h.fpu.fflags, 0);
  assert.equal(h.dirty, 2);
});

test('every F and D instruction executes through the hart interface', () => {
  const covered = new Set([...Object.keys(CASES), 'flw', 'fld', 'fsw', 'fsd']);
  assert.deepEqual([...covered].sort(), ALL.map((s) => s.name).sort());
  // Instructions that write only x registers change FP state only through fflags.
  const xOnly = /^(fmv\.x|fclass|feq|flt|fle|fcvt\.(w|wu|l|lu)\.)/;
  for (const [name, c] of Object.entries(CASES)) {
    const h = fresh(c);
    byName.get(name)!.exec(h, word(name, c.rm ?? RNE));
    assert.equal(h.illegals, 0, name);
    if (c.fd !== undefined) assert.equal(h.getF(10).toString(16), c.fd.toString(16), `${name} f10`);
    else assert.equal(h.getF(10), 0x5555555555555555n, `${name} must not write f10`);
    if (c.xd !== undefined) assert.equal(h.getX(10).toString(16), c.xd.toString(16), `${name} x10`);
    else assert.equal(h.getX(10), 0x5555555555555555n, `${name} must not write x10`);
    assert.equal(h.fpu.fflags, c.flags ?? 0, `${name} fflags`);
    const dirty = !xOnly.test(name) || (c.flags ?? 0) !== 0;
    assert.equal(h.dirty > 0, dirty, `${name} marks FS dirty iff it changed FP state`);
  }
});

test('with mstatus.FS off every instruction is illegal and changes nothing', () => {
  for (const s of ALL) {
    const c = CASES[s.name] ?? {};
    const h = fresh(c);
    h.fsOn = false;
    const before = [Array.from(h.fpu.bits), Array.from(h.x)];
    s.exec(h, word(s.name, RNE));
    assert.equal(h.illegals, 1, s.name);
    assert.deepEqual([Array.from(h.fpu.bits), Array.from(h.x)], before, s.name);
    assert.equal(h.dirty, 0, s.name);
  }
});

test('reserved rounding modes are illegal before any state changes; rm = 7 uses frm', () => {
  for (const s of ALL.filter((t) => (t.mask & 0x7000) === 0)) {
    for (const [rm, frm] of [
      [5, 0],
      [6, 0],
      [7, 5],
      [7, 6],
      [7, 7],
    ]) {
      const h = fresh(CASES[s.name]);
      h.fpu.frm = frm;
      h.fpu.fflags = 0;
      const before = [Array.from(h.fpu.bits), Array.from(h.x)];
      s.exec(h, word(s.name, rm));
      assert.equal(h.illegals, 1, `${s.name} rm=${rm} frm=${frm}`);
      assert.deepEqual([Array.from(h.fpu.bits), Array.from(h.x)], before, s.name);
      assert.equal(h.fpu.fflags, 0);
      assert.equal(h.dirty, 0);
    }
  }
  const h = fresh({ f: [D(1), D(3)] });
  h.fpu.frm = RUP;
  byName.get('fdiv.d')!.exec(h, word('fdiv.d', 7));
  assert.equal(h.getF(10), 0x3fd5555555555556n);
  assert.equal(h.illegals, 0);
});
