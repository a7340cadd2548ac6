// Zcb and Zcmop in every engine (interpreter, JavaScript translator, WebAssembly translator and its
// cold interpreter), against a reference written from the Zcb chapter's "Operation" lines and the
// Zcmop chapter (C.MOP.n writes no register); and the per-profile expansion: with the extension
// off, each engine raises illegal-instruction with the halfword as mtval.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Prng } from '../../../core/prng.js';
import { PhysBus } from '../../../memory/bus.js';
import { GuestMemory } from '../../../memory/guest-memory.js';
import { CAUSE_ILLEGAL_INSTRUCTION } from '../csr-defs.js';
import { RiscvHart } from '../hart.js';
import { runInterpreter } from '../interp.js';
import { CodeCache } from '../jit/cache.js';
import { runJit } from '../jit/run.js';
import { WasmJit } from '../jit/wasm/engine.js';
import { hostBytesFor } from '../jit/wasm/layout.js';
import { ACCESS_FETCH, ACCESS_LOAD, ACCESS_STORE } from '../mmu.js';
import { isaProfile } from './profile.js';

const BASE = 0x80000000;
const RAM_BYTES = 1 << 20;
/** Data the loads and stores use: x9 points here (plus an offset). */
const DATA = BASE + 0x4000;
/** mtvec: a trap lands on `jal x0, 0`. */
const TRAP = BASE + 0x2000;
const JAL_SELF = 0x0000006f;
/** A start runs this often before it is translated: never, for the cold interpreter. */
const NEVER = 60000;

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const sext = (v: bigint, bits: number): bigint => u64(BigInt.asIntN(bits, v));
const zext = (v: bigint, bits: number): bigint => BigInt.asUintN(bits, v);

type Engine = 'interpreter' | 'translator' | 'wasm' | 'cold';
const ENGINES: Engine[] = ['interpreter', 'translator', 'wasm', 'cold'];

/** One case: a halfword, what it reads (x8 = rd'/rs1' or x9 = rs1' and x10 = rd'/rs2'), what it does. */
interface Case {
  readonly name: string;
  readonly c: number;
  /** The register written (0: none) and its value from x8, x9, x10 and the bytes at x9 + uimm. */
  readonly rd: number;
  readonly value?: (x8: bigint, x9: bigint, x10: bigint, mem: DataView, off: number) => bigint;
  /** Stores: bytes written at x9 + off, from x10. */
  readonly store?: 1 | 2;
  readonly off: number;
}

// Register fields: rs1' = x9 (9 - 8 = 1) at bits 9:7, rd'/rs2' = x10 (2) at bits 4:2; the unary and
// c.mul forms use rd'/rs1' = x8 (0) at bits 9:7 and rs2' = x10 at bits 4:2.
const R1 = 1 << 7;
const R2 = 2 << 2;
const CASES: Case[] = [
  {
    name: 'c.lbu 3(x9)',
    c: 0x8000 | R1 | (1 << 6) | (1 << 5) | R2,
    rd: 10,
    off: 3,
    value: (_a, _b, _c, m, o) => BigInt(m.getUint8(o)),
  },
  {
    name: 'c.lhu 2(x9)',
    c: 0x8400 | R1 | (1 << 5) | R2,
    rd: 10,
    off: 2,
    value: (_a, _b, _c, m, o) => BigInt(m.getUint16(o, true)),
  },
  {
    name: 'c.lh 2(x9)',
    c: 0x8400 | R1 | (1 << 6) | (1 << 5) | R2,
    rd: 10,
    off: 2,
    value: (_a, _b, _c, m, o) => sext(BigInt(m.getUint16(o, true)), 16),
  },
  { name: 'c.sb 1(x9)', c: 0x8800 | R1 | (1 << 6) | R2, rd: 0, off: 1, store: 1 },
  { name: 'c.sh 2(x9)', c: 0x8c00 | R1 | (1 << 5) | R2, rd: 0, off: 2, store: 2 },
  { name: 'c.zext.b x8', c: 0x9c61 | (0 << 2), rd: 8, off: 0, value: (a) => zext(a, 8) },
  { name: 'c.sext.b x8', c: 0x9c61 | (1 << 2), rd: 8, off: 0, value: (a) => sext(a, 8) },
  { name: 'c.zext.h x8', c: 0x9c61 | (2 << 2), rd: 8, off: 0, value: (a) => zext(a, 16) },
  { name: 'c.sext.h x8', c: 0x9c61 | (3 << 2), rd: 8, off: 0, value: (a) => sext(a, 16) },
  { name: 'c.zext.w x8', c: 0x9c61 | (4 << 2), rd: 8, off: 0, value: (a) => zext(a, 32) },
  { name: 'c.not x8', c: 0x9c61 | (5 << 2), rd: 8, off: 0, value: (a) => u64(~a) },
  {
    name: 'c.mul x8, x10',
    c: 0x9c41 | R2,
    rd: 8,
    off: 0,
    value: (a, _b, c) => u64(BigInt.asIntN(64, a) * BigInt.asIntN(64, c)),
  },
  // C.MOP.n: writes nothing, even to the register it names (x1 ... x15).
  ...[1, 3, 5, 7, 9, 11, 13, 15].map((n) => ({
    name: `c.mop.${n}`,
    c: 0x6081 | ((n >> 1) << 8),
    rd: 0,
    off: 0,
  })),
];

const getX = (h: RiscvHart, r: number): bigint =>
  u64((BigInt(h.x[2 * r + 1]) << 32n) | BigInt(h.x[2 * r] >>> 0));
function setX(h: RiscvHart, r: number, v: bigint): void {
  h.x[2 * r] = Number(BigInt.asIntN(32, v));
  h.x[2 * r + 1] = Number(BigInt.asIntN(32, v >> 32n));
}

/** Where case k's halfword sits (followed by `jal x0, 0`). */
const at = (k: number): number => BASE + 8 * k;

/**
 * A machine of profile `spec` holding every case, run by `engine`. `run` starts case k with random
 * x1..x31 (x9 = DATA) and random data, for `budget` instructions, and returns the state before.
 */
function runner(engine: Engine, spec: string) {
  const mem = new GuestMemory(BASE, RAM_BYTES, false, hostBytesFor(1, RAM_BYTES));
  const h = new RiscvHart(0, mem, new PhysBus(mem), {
    mtime: () => 0,
    mtime64: () => 0n,
    isa: isaProfile(spec),
  });
  h.mtvec = TRAP;
  mem.write32(TRAP, JAL_SELF);
  CASES.forEach((k, n) => {
    mem.write(at(n), new Uint8Array([k.c & 0xff, k.c >>> 8]));
    mem.write32(at(n) + 2, JAL_SELF);
  });
  const cache = new CodeCache(RAM_BYTES, 4096, 1);
  const jit =
    engine === 'wasm' || engine === 'cold'
      ? WasmJit.create(mem, h.decoder, { threshold: engine === 'cold' ? NEVER : 1, batch: 1 })
      : undefined;
  if (engine === 'translator') {
    h.codeCache = cache;
    cache.attach(h.tlb);
  } else if (jit !== undefined) jit.attach(h);
  else assert.equal(engine, 'interpreter');
  return {
    h,
    /** Blocks translated so far, and instructions the cold interpreter ran. */
    compiled: (): number => (engine === 'translator' ? cache.compiled : (jit?.cache.compiled ?? 0)),
    cold: (): number => jit?.coldInsns ?? 0,
    run(n: number, rng: Prng, budget: number): { before: bigint[]; data: Uint8Array } {
      const data = rng.bytes(64);
      mem.write(DATA, data);
      for (let r = 1; r < 32; r++) setX(h, r, (BigInt(rng.u32()) << 32n) | BigInt(rng.u32()));
      setX(h, 9, BigInt(DATA));
      const before = Array.from({ length: 32 }, (_, r) => getX(h, r));
      h.pc = at(n);
      h.translate(h.pc, ACCESS_FETCH);
      h.translate(DATA, ACCESS_LOAD);
      h.translate(DATA, ACCESS_STORE);
      if (engine === 'interpreter') runInterpreter(h, budget);
      else if (engine === 'translator') runJit(h, cache, budget);
      else jit?.run(h, budget);
      return { before, data };
    },
  };
}

test('Zcb and Zcmop run as the specifications say in every engine', () => {
  const rng = new Prng(0x2cb);
  for (const engine of ENGINES) {
    const m = runner(engine, 'max');
    CASES.forEach((k, n) => {
      const coldBefore = m.cold();
      for (let trial = 0; trial < 20; trial++) {
        const { before, data } = m.run(n, rng, 2);
        const h = m.h;
        const what = `${k.name} (${engine}, trial ${trial})`;
        assert.equal(h.pc, at(n) + 2, `${what}: pc after the halfword, at the jal`);
        const view = new DataView(data.buffer);
        const want = [...before];
        if (k.value !== undefined) want[k.rd] = k.value(before[8], before[9], before[10], view, k.off);
        for (let r = 1; r < 32; r++) assert.equal(getX(h, r), want[r], `${what}: x${r}`);
        const wantMem = data.slice();
        if (k.store !== undefined)
          for (let b = 0; b < k.store; b++)
            wantMem[k.off + b] = Number((before[10] >> BigInt(8 * b)) & 0xffn);
        assert.deepEqual(h.mem.slice(DATA, 64), wantMem, `${what}: memory`);
      }
      if (engine === 'translator' || engine === 'wasm')
        assert.equal(m.compiled(), n + 1, `${k.name}: translated`);
      if (engine === 'cold') assert.ok(m.cold() > coldBefore, `${k.name}: the cold interpreter ran it`);
    });
  }
});

test('without Zcb or Zcmop their halfwords are illegal in every engine, as in a profile without them', () => {
  const rng = new Prng(0xc0ff);
  for (const spec of ['max,zcb=off', 'max,zcmop=off']) {
    for (const engine of ENGINES) {
      const m = runner(engine, spec);
      CASES.forEach((k, n) => {
        if (k.name.startsWith('c.mop') !== spec.includes('zcmop')) return;
        const { before } = m.run(n, rng, 1);
        const h = m.h;
        const what = `${k.name} with ${spec} (${engine})`;
        assert.equal(h.pc, TRAP, `${what}: trapped`);
        assert.equal(h.mcause[0], CAUSE_ILLEGAL_INSTRUCTION, `${what}: mcause`);
        assert.equal(h.mtval[0], k.c, `${what}: mtval is the halfword`);
        assert.equal(h.mepc[0], at(n) | 0, `${what}: mepc`);
        for (let r = 1; r < 32; r++) assert.equal(getX(h, r), before[r], `${what}: x${r} unchanged`);
      });
      assert.equal(m.compiled(), 0, `${spec} (${engine}): nothing translated`);
    }
  }
});
