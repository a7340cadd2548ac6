#!/usr/bin/env node
// What a debugger's watchpoint or breakpoint costs a hot loop, per engine: the loop (loads and
// stores over a 16 KiB buffer, 9 instructions a round) runs under the GDB stub's target
// (src/gdb/target.ts, as the CPU loop drives it) with nothing set, with a watchpoint on an
// unrelated page, and with a breakpoint outside the loop; with the WebAssembly translator, the
// JavaScript one, and the interpreter (which is what every engine fell back to while a point was
// set, before the stub ran slices with the translator). In-process, from dist/ (npm run build),
// or from another build's (`--dist`: an older commit's shows the interpreter fallback).
//
//   node bench/gdb.mjs [--minsns 40] [--dist DIR]

import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
// Another build's dist/ (an older commit's, say) to measure with the same loop.
const DIST = resolve(opt('--dist', fileURLToPath(new URL('../dist/', import.meta.url))));
const load = (path) => import(pathToFileURL(join(DIST, path)).href);
const { PhysBus } = await load('memory/bus.js');
const { GuestMemory } = await load('memory/guest-memory.js');
const { RiscvHart } = await load('cpu/riscv/hart.js');
const { runInterpreter } = await load('cpu/riscv/interp.js');
const { CodeCache } = await load('cpu/riscv/jit/cache.js');
const { runJit } = await load('cpu/riscv/jit/run.js');
const { WasmJit } = await load('cpu/riscv/jit/wasm/engine.js');
const { hostBytesFor } = await load('cpu/riscv/jit/wasm/layout.js');
const { GdbTarget } = await load('gdb/target.js');
const MINSNS = Number(opt('--minsns', 40));
const BASE = 0x80000000;
const RAM = 16 << 20;
const BUF = BASE + 0x100000;
const UNRELATED = BASE + 0x800000;
const SLICE = 20_000;

const i = (op, f3, rd, rs1, imm) => ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
const r = (f7, rs2, rs1, f3, rd) => (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x33;
const s = (rs2, rs1, imm) =>
  (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (3 << 12) | ((imm & 31) << 7) | 0x23;
/** jal x0, off (the J-type immediate's scattered bits). */
const jal0 = (off) =>
  (((off >> 20) & 1) << 31) |
  (((off >> 1) & 0x3ff) << 21) |
  (((off >> 11) & 1) << 20) |
  (((off >> 12) & 0xff) << 12) |
  0x6f;
const LOOP = [
  i(0x13, 0, 5, 5, 1), // addi x5, x5, 1
  i(0x13, 7, 6, 5, 2047), // andi x6, x5, 2047
  i(0x13, 1, 6, 6, 3), // slli x6, x6, 3
  r(0, 6, 10, 0, 7), // add x7, x10, x6
  i(0x03, 3, 8, 7, 0), // ld x8, 0(x7)
  r(0, 5, 8, 0, 8), // add x8, x8, x5
  s(8, 7, 0), // sd x8, 0(x7)
  r(0, 8, 9, 4, 9), // xor x9, x9, x8
  jal0(-32), // jal x0, loop
];

function machine(kind) {
  const mem = new GuestMemory(BASE, RAM, false, hostBytesFor(1, RAM));
  const h = new RiscvHart(0, mem, new PhysBus(mem), { mtime: () => 0, mtime64: () => 0n });
  LOOP.forEach((w, k) => mem.write32(BASE + 4 * k, w >>> 0));
  h.pc = BASE;
  h.x[20] = BUF | 0; // x10
  let engine;
  if (kind === 'wasm') {
    const jit = WasmJit.create(mem, h.decoder);
    jit.attach(h);
    engine = { run: (x, n) => jit.run(x, n), translatedInsns: 0 };
  } else if (kind === 'js') {
    const cache = new CodeCache(RAM);
    h.codeCache = cache;
    cache.attach(h.tlb);
    engine = { run: (x, n) => runJit(x, cache, n), translatedInsns: 0 };
  } else engine = { run: (x, n) => runInterpreter(x, n), translatedInsns: 0 };
  const target = new GdbTarget({
    harts: [h],
    pause: () => Promise.resolve(),
    resume: () => {},
    stop: () => {},
  });
  return { h, engine, target };
}

/** MIPS of `insns` instructions, after as many again to warm up (translation included there). */
function measure(kind, setup) {
  const { h, engine, target } = machine(kind);
  setup(target);
  const slice = target.active ? () => target.run(h, SLICE, engine) : () => engine.run(h, SLICE);
  const insns = MINSNS * 1e6;
  for (let n = 0; n < insns;) n += slice();
  const t0 = performance.now();
  for (let n = 0; n < insns;) n += slice();
  const ms = performance.now() - t0;
  // The loop ran (x5 counts its rounds) and never left it (a trap, say).
  if (h.x[10] < insns / LOOP.length || h.pc < BASE || h.pc >= BASE + 4 * LOOP.length)
    throw new Error(`${kind}: the loop did not run (pc ${h.pc.toString(16)}, x5 ${h.x[10]})`);
  return insns / ms / 1000;
}

const cases = [
  ['nothing set', () => {}],
  ['watchpoint, unrelated page', (t) => t.addWatchpoint('write', BigInt(UNRELATED), 8)],
  ['breakpoint, outside the loop', (t) => t.addBreakpoint(BigInt(BASE + 0x1000))],
];
if (args.includes('--one')) {
  // A child: one engine and case, in a fresh process (no code or type feedback from the others).
  const kind = args[args.indexOf('--one') + 1];
  const k = Number(args[args.indexOf('--one') + 2]);
  console.log(measure(kind, cases[k][1]).toFixed(1));
} else {
  console.log(`${DIST}: ${MINSNS} M instructions of a load/store loop (after as many to warm up), MIPS`);
  console.log(`${'engine'.padEnd(12)}${cases.map(([n]) => n.padStart(32)).join('')}`);
  for (const kind of ['wasm', 'js', 'interpreter']) {
    const row = cases.map((_, k) => {
      const r = spawnSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--dist', DIST, '--minsns', `${MINSNS}`, '--one', kind, `${k}`],
        {
          encoding: 'utf8',
        },
      );
      if (r.status !== 0) throw new Error(r.stderr);
      return r.stdout.trim().padStart(32);
    });
    console.log(`${kind.padEnd(12)}${row.join('')}`);
  }
}
