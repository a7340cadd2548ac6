// Breakpoints and watchpoints with every engine (interpreter, JavaScript and WebAssembly
// translators) on a hot loop that was translated before they were set, as GDB uses them: a stop
// leaves pc on the instruction, which has not run (GDB's RISC-V watchpoints trigger before the
// access; a breakpoint before the instruction), and the translator keeps running the loop.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PhysBus } from '../memory/bus.js';
import { GuestMemory } from '../memory/guest-memory.js';
import * as C from '../cpu/riscv/csr-defs.js';
import { RiscvHart } from '../cpu/riscv/hart.js';
import { runInterpreter } from '../cpu/riscv/interp.js';
import { CodeCache } from '../cpu/riscv/jit/cache.js';
import { runJit } from '../cpu/riscv/jit/run.js';
import { WasmJit } from '../cpu/riscv/jit/wasm/engine.js';
import { hostBytesFor } from '../cpu/riscv/jit/wasm/layout.js';
import type { LoopEngine } from '../engine/tcg/board.js';
import { GdbTarget, type StopEvent } from './target.js';

const BASE = 0x80000000;
const RAM = 4 << 20;
const STORES = BASE + 0x100000;
const LOADS = BASE + 0x200000;
const MISC = BASE + 0x300000;

// Encodings from the unprivileged ISA's base formats (RV64I, A, D).
const iType = (op: number, f3: number, rd: number, rs1: number, imm: number): number =>
  ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
const sType = (op: number, f3: number, rs1: number, rs2: number, imm: number): number =>
  (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | op;
const addi = (rd: number, rs1: number, imm: number): number => iType(0x13, 0, rd, rs1, imm);
const sd = (rs2: number, rs1: number, imm: number): number => sType(0x23, 3, rs1, rs2, imm);
const ld = (rd: number, rs1: number, imm: number): number => iType(0x03, 3, rd, rs1, imm);
const fsd = (frs2: number, rs1: number, imm: number): number => sType(0x27, 3, rs1, frs2, imm);
const fld = (frd: number, rs1: number, imm: number): number => iType(0x07, 3, frd, rs1, imm);
const amoD = (f5: number, rd: number, rs1: number, rs2: number): number =>
  (f5 << 27) | (rs2 << 20) | (rs1 << 15) | (3 << 12) | (rd << 7) | 0x2f;
const amoaddD = (rd: number, rs1: number, rs2: number): number => amoD(0, rd, rs1, rs2);
const lrD = (rd: number, rs1: number): number => amoD(2, rd, rs1, 0);
const scD = (rd: number, rs1: number, rs2: number): number => amoD(3, rd, rs1, rs2);
/** jal x0, off (a J-type immediate). */
const jal0 = (off: number): number =>
  (((off >> 20) & 1) << 31) |
  (((off >> 1) & 0x3ff) << 21) |
  (((off >> 11) & 1) << 20) |
  (((off >> 12) & 0xff) << 12) |
  0x6f;

type EngineKind = 'interpreter' | 'js' | 'wasm';
const ENGINES: EngineKind[] = ['interpreter', 'js', 'wasm'];

interface Rig {
  h: RiscvHart;
  target: GdbTarget;
  engine: LoopEngine;
  stops: StopEvent[];
}

/** One hart at BASE in M-mode running `body` then a jump back to its start, forever. */
function rig(kind: EngineKind, body: number[], harts = 1): Rig {
  const mem = new GuestMemory(BASE, RAM, false, hostBytesFor(harts, RAM));
  const bus = new PhysBus(mem);
  const hs = Array.from(
    { length: harts },
    (_, k) => new RiscvHart(k, mem, bus, { mtime: () => 0, mtime64: () => 0n }),
  );
  const h = hs[0];
  [...body, jal0(-4 * body.length)].forEach((w, k) => mem.write32(BASE + 4 * k, w >>> 0));
  h.pc = BASE;
  h.mstatus |= C.MSTATUS_FS; // FS Dirty: FP loads and stores run
  let engine: LoopEngine;
  if (kind === 'wasm') {
    const jit = WasmJit.create(mem, h.decoder, { threshold: 2, batch: 1 });
    assert.ok(jit);
    for (const x of hs) jit.attach(x);
    engine = {
      run: (x, n) => jit.run(x, n),
      get translatedInsns() {
        return jit.cache.translatedInsns;
      },
    };
  } else if (kind === 'js') {
    const cache = new CodeCache(RAM, 65536, 2);
    for (const x of hs) {
      x.codeCache = cache;
      cache.attach(x.tlb);
    }
    engine = {
      run: (x, n) => runJit(x, cache, n),
      get translatedInsns() {
        return cache.translatedInsns;
      },
    };
  } else engine = { run: (x, n) => runInterpreter(x, n), translatedInsns: 0 };
  const stops: StopEvent[] = [];
  const target = new GdbTarget({
    harts: hs,
    pause: () => Promise.resolve(),
    resume: () => {},
    stop: () => {},
  });
  target.onStop = (e) => stops.push(e);
  return { h, target, engine, stops };
}

/** Set x[r] (a 64-bit value below 2^53). */
function setX(h: RiscvHart, r: number, v: number): void {
  h.x[2 * r] = v | 0;
  h.x[2 * r + 1] = Math.floor(v / 2 ** 32);
}
const getX = (h: RiscvHart, r: number): number => h.x[2 * r + 1] * 2 ** 32 + (h.x[2 * r] >>> 0);

/** Run the hart without a debugger (the loop gets hot and translated). */
function warm(r: Rig, insns = 20_000): void {
  for (let n = 0; n < insns;) n += r.engine.run(r.h, 1000);
}

/** Run slices under the debugger, as the loop does, until it reports a stop (or `max` instructions). */
async function untilStop(r: Rig, max = 2_000_000): Promise<StopEvent | undefined> {
  for (let n = 0; n < max;) {
    const k = r.target.run(r.h, 2000, r.engine);
    await Promise.resolve();
    await Promise.resolve();
    if (r.stops.length > 0) return r.stops.shift();
    assert.ok(k >= 0, 'the hart ran');
    n += k;
  }
  return undefined;
}

/** GDB's step over the instruction a watchpoint stopped: watchpoints out, one instruction. */
async function stepOver(r: Rig): Promise<void> {
  r.target.step(r.h);
  const e = await untilStop(r, 10);
  assert.equal(e?.signal, 5);
}

const STREAM = [addi(5, 5, 1), sd(5, 11, 0), ld(6, 12, 0), addi(11, 11, 8), addi(12, 12, 8)];
const L_SD = BASE + 4;
const L_LD = BASE + 8;

function streamRig(kind: EngineKind): Rig {
  const r = rig(kind, STREAM);
  setX(r.h, 11, STORES);
  setX(r.h, 12, LOADS);
  for (let k = 0; k < 0x20000; k++) r.h.mem.write64(LOADS + 8 * k, BigInt(1000 + k));
  return r;
}

for (const kind of ENGINES) {
  const translated = kind !== 'interpreter';

  test(`${kind}: a breakpoint in a translated hot loop stops before it; continue steps over it; the loop stays translated`, async () => {
    const r = streamRig(kind);
    warm(r);
    const iter = getX(r.h, 5);
    r.target.addBreakpoint(BigInt(L_LD));
    const e = await untilStop(r);
    assert.deepEqual(e, { hart: 0, signal: 5 });
    assert.equal(r.h.pc, L_LD);
    const x5 = getX(r.h, 5);
    assert.ok(x5 >= iter && x5 <= iter + 1, 'stopped in the next iteration');
    const x6 = getX(r.h, 6);
    assert.equal(x6, 1000 + x5 - 2, 'the load at the breakpoint has not run');
    // A continue from the breakpoint runs the instruction at it, then stops on the next round,
    // every round (once the loop is hot again, its block ends before the breakpoint).
    const translatedBefore = r.target.stats.translated;
    for (let round = 1; round <= 8; round++) {
      r.target.resume();
      assert.deepEqual(await untilStop(r), { hart: 0, signal: 5 });
      assert.equal(r.h.pc, L_LD);
      assert.equal(getX(r.h, 5), x5 + round);
      assert.equal(getX(r.h, 6), 1000 + x5 + round - 2);
    }
    if (translated) assert.ok(r.target.stats.translated > translatedBefore, 'the rounds ran translated code');
    // Moved out of the loop, with a watchpoint on an unrelated page: the loop runs on in
    // translated code (blocks spanning the old breakpoint grow back) and never stops.
    r.target.removeBreakpoint(BigInt(L_LD));
    r.target.addBreakpoint(BigInt(BASE + 0x800));
    r.target.addWatchpoint('access', BigInt(MISC), 8);
    r.target.resume();
    const before = r.target.stats;
    assert.equal(await untilStop(r, 200_000), undefined);
    const ran = r.target.stats.executed - before.executed;
    const byTranslated = r.target.stats.translated - before.translated;
    assert.ok(ran >= 200_000);
    if (translated) assert.ok(byTranslated > 0.9 * ran, `${byTranslated} of ${ran} in translated code`);
    else assert.equal(byTranslated, 0);
  });

  test(`${kind}: write and read watchpoints deep in a translated stream stop before the access`, async () => {
    const r = streamRig(kind);
    warm(r);
    // A store 1000 rounds ahead, in a page the loop has not reached yet.
    const k = getX(r.h, 5) + 1000;
    const at = STORES + 8 * k;
    r.target.addWatchpoint('write', BigInt(at), 8);
    const before = r.target.stats;
    const e = await untilStop(r);
    assert.deepEqual(e, { hart: 0, signal: 5, watch: { kind: 'write', addr: BigInt(at) } });
    assert.equal(r.h.pc, L_SD);
    assert.equal(getX(r.h, 5), k + 1, 'x5 holds what the store would write');
    assert.equal(r.h.mem.read64(at), 0n, 'the store has not happened');
    assert.equal(r.h.mem.read64(at - 8), BigInt(k), 'the one before it has');
    if (translated) {
      const s = r.target.stats;
      assert.ok(
        s.translated - before.translated > 0.5 * (s.executed - before.executed),
        'translated code ran to it',
      );
    }
    r.target.removeWatchpoint('write', BigInt(at), 8);
    await stepOver(r);
    assert.equal(r.h.pc, L_LD);
    assert.equal(r.h.mem.read64(at), BigInt(k + 1));
    // A read watchpoint on a loaded element further on.
    const j = k + 600;
    r.target.addWatchpoint('read', BigInt(LOADS + 8 * j), 8);
    r.target.resume();
    assert.deepEqual(await untilStop(r), {
      hart: 0,
      signal: 5,
      watch: { kind: 'read', addr: BigInt(LOADS + 8 * j) },
    });
    assert.equal(r.h.pc, L_LD);
    assert.equal(getX(r.h, 6), 1000 + j - 1, 'x6 holds the previous element: the load has not run');
    assert.equal(r.h.mem.read64(STORES + 8 * j), BigInt(j + 1), 'the store before it in the round ran');
  });

  test(`${kind}: accesses that straddle a watched range's edge, in a page and across pages, stop whole`, async () => {
    // sd x5, 4(x13): misaligned, [x13 + 4, x13 + 12); then sd x5, 0(x14) across a page end.
    const r = rig(kind, [addi(5, 5, 1), sd(5, 13, 4), sd(5, 14, 0)]);
    setX(r.h, 13, MISC);
    setX(r.h, 14, MISC + 0x2000 - 4);
    warm(r);
    r.target.addWatchpoint('write', BigInt(MISC + 8), 4);
    assert.deepEqual(await untilStop(r), {
      hart: 0,
      signal: 5,
      watch: { kind: 'write', addr: BigInt(MISC + 8) },
    });
    assert.equal(r.h.pc, BASE + 4);
    const n = getX(r.h, 5);
    assert.equal(r.h.mem.read64(MISC + 4), BigInt(n - 1), 'unchanged since the last round');
    r.target.removeWatchpoint('write', BigInt(MISC + 8), 4);
    // The byte 2 into the next page: the crossing store writes neither page.
    r.target.addWatchpoint('access', BigInt(MISC + 0x2002), 1);
    r.target.resume();
    assert.deepEqual(await untilStop(r), {
      hart: 0,
      signal: 5,
      watch: { kind: 'access', addr: BigInt(MISC + 0x2002) },
    });
    assert.equal(r.h.pc, BASE + 8);
    assert.equal(getX(r.h, 5), n, 'in the same round');
    const was = BigInt(n - 1);
    assert.equal(r.h.mem.read64(MISC + 0x2000 - 4), was, 'neither half of the crossing store was written');
    assert.equal(r.h.mem.read64(MISC + 4), BigInt(n), 'the store before it ran');
  });

  test(`${kind}: AMOs, LR/SC and FP loads and stores hit watchpoints; a watched SC succeeds when stepped`, async () => {
    const body = [
      addi(5, 5, 1),
      amoaddD(6, 14, 5), // BASE + 4: the sum of 1..x5
      lrD(7, 15), // BASE + 8
      scD(8, 15, 5), // BASE + 12: x5, every round
      fsd(0, 16, 0), // BASE + 16: f0 = 0
      fld(1, 16, 8), // BASE + 20: 2.0
    ];
    const r = rig(kind, body, 2);
    const h = r.h;
    setX(h, 14, MISC);
    setX(h, 15, MISC + 0x1000);
    setX(h, 16, MISC + 0x2000);
    h.mem.write64(MISC + 0x2008, 0x4000000000000000n);
    const SENTINEL = 0x5a5a;
    const sum = (n: number): bigint => BigInt((n * (n + 1)) / 2);
    const cases: [kind: 'write' | 'read' | 'access', addr: number, pc: number][] = [
      ['write', MISC, BASE + 4],
      ['read', MISC, BASE + 4],
      ['access', MISC + 0x1000, BASE + 8],
      ['write', MISC + 0x1000, BASE + 12],
      ['write', MISC + 0x2000, BASE + 16],
      ['read', MISC + 0x2008, BASE + 20],
    ];
    for (const [wk, addr, pc] of cases) {
      const what = `${wk} watchpoint on the instruction at +${pc - BASE}`;
      // Translated and hot, stopped anywhere in the loop; then the watchpoint.
      warm(r, 3001);
      for (const x of [6, 7, 8]) setX(h, x, SENTINEL);
      h.fpu.bits[2] = SENTINEL;
      h.fpu.bits[3] = 0;
      h.mem.write64(MISC + 0x2000, BigInt(SENTINEL));
      r.target.addWatchpoint(wk, BigInt(addr), 8);
      r.target.resume();
      assert.deepEqual(
        await untilStop(r),
        { hart: 0, signal: 5, watch: { kind: wk, addr: BigInt(addr) } },
        what,
      );
      assert.equal(h.pc, pc, what);
      const n = getX(h, 5);
      // Nothing of the instruction happened: its destination keeps the sentinel, memory its value.
      if (pc === BASE + 4) {
        assert.equal(getX(h, 6), SENTINEL, what);
        assert.equal(h.mem.read64(addr), sum(n - 1), what);
      }
      if (pc === BASE + 8) assert.equal(getX(h, 7), SENTINEL, what);
      if (pc === BASE + 12) {
        assert.equal(getX(h, 8), SENTINEL, what);
        assert.equal(h.mem.read64(addr), BigInt(n - 1), what);
        // On a machine of several harts the loop drops the reservation after each slice; GDB's
        // step over the SC (this hart alone) must find it as it was, or the SC fails again.
        h.reservation = -1;
      }
      if (pc === BASE + 16) assert.equal(h.mem.read64(addr), BigInt(SENTINEL), what);
      if (pc === BASE + 20) assert.equal(h.fpu.bits[2], SENTINEL, what);
      r.target.removeWatchpoint(wk, BigInt(addr), 8);
      await stepOver(r);
      assert.equal(h.pc, pc + 4, `${what}: stepped over`);
      if (pc === BASE + 4) {
        assert.equal(getX(h, 6), Number(sum(n - 1)), what);
        assert.equal(h.mem.read64(addr), sum(n), what);
      }
      if (pc === BASE + 8) assert.equal(getX(h, 7), n - 1, what);
      if (pc === BASE + 12) {
        assert.equal(getX(h, 8), 0, `${what}: the SC succeeded`);
        assert.equal(h.mem.read64(addr), BigInt(n), what);
      }
      if (pc === BASE + 16) assert.equal(h.mem.read64(addr), 0n, what);
      if (pc === BASE + 20) assert.deepEqual([h.fpu.bits[2], h.fpu.bits[3]], [0, 0x40000000], what);
    }
  });
}

for (const kind of ENGINES) {
  test(`${kind}: a read watchpoint stops an AMO in a page AMOs went through before (they read through store mappings)`, async () => {
    const r = rig(kind, [addi(5, 5, 1), amoaddD(6, 14, 5), addi(14, 14, 8)]);
    setX(r.h, 14, MISC);
    warm(r, 3000);
    let at = getX(r.h, 14) + 800;
    if ((at & 4095) < 400) at += 400; // at least 50 AMOs in its page first
    r.target.addWatchpoint('read', BigInt(at), 8);
    assert.deepEqual(await untilStop(r), { hart: 0, signal: 5, watch: { kind: 'read', addr: BigInt(at) } });
    assert.equal(r.h.pc, BASE + 4);
    assert.equal(getX(r.h, 14), at);
    assert.equal(r.h.mem.read64(at), 0n, 'the AMO wrote nothing');
    assert.equal(r.h.mem.read64(at - 8), BigInt(getX(r.h, 5) - 1), 'the one before it ran');
  });
}
