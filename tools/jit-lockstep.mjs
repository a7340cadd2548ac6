#!/usr/bin/env node
// Differential test of the translator against the interpreter (the reference): every ISA test
// program in build/isa runs on two spike boards in lockstep. The translated side runs one block
// (or one interpreted instruction), the interpreted side the same number of instructions, and the
// architectural state is compared at every such boundary: pc, privilege, x and f registers,
// mstatus, fcsr, retired count. Both boards (the programs read mtime and take timer interrupts)
// share one deterministic clock that advances with the instructions executed.
//
// With --budget B the translated side runs blocks until about B instructions ran in each step, so
// that chained blocks follow each other without a stop in between.
//
// A program passes only if both sides stop on their own and report success (HTIF exit code 0):
// one still running after --max-instructions (default 5,000,000), or stopped at a failing case,
// fails, since the rest of it was never compared.
//
//   node tools/jit-lockstep.mjs [--filter SUBSTRING] [--wasm] [--budget B] [--threshold T]
//        [--dir DIR] [--max-instructions N]
//   (run `npm run test:isa` first to build; DIR defaults to build/isa)

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpikeBoard } from '../dist/boards/spike.js';
import { engineHostBytes } from '../dist/engine/tcg/loop.js';
import { isaProfile } from '../dist/cpu/riscv/isa/profile.js';
import { beginStep, runPair, translatedSide } from './lockstep-lib.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
/** The value after option `name`, or `dflt` when the option is absent. */
const optionValue = (name, dflt) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : dflt;
const dir = optionValue('--dir', join(ROOT, 'build/isa'));
/**
 * --cpu SPEC: the harts' profile (default: the default one with every extension the ISA programs
 * test, H among them, which is not yet in the default).
 */
const isa = isaProfile(optionValue('--cpu', 'max,h=on'));
const filter = optionValue('--filter', '');
const MAX_STEPS = Number(optionValue('--max-instructions', '5000000'));
/** --wasm: check the WebAssembly translator instead of the JavaScript one. */
const wasm = process.argv.includes('--wasm');
/**
 * --threshold T: blocks are translated after T runs (default 1). Before, the WebAssembly side
 * runs them in its cold interpreter (jit/wasm/cold.ts), which is then what is checked.
 */
const threshold = process.argv.includes('--threshold')
  ? Number(process.argv[process.argv.indexOf('--threshold') + 1])
  : 1;
const budget = process.argv.includes('--budget')
  ? Number(process.argv[process.argv.indexOf('--budget') + 1])
  : 1;
for (const [name, v] of Object.entries({ budget, threshold, 'max-instructions': MAX_STEPS })) {
  if (!Number.isInteger(v) || v < 1) {
    console.error(`--${name}: expected a positive integer`);
    process.exit(2);
  }
}

/** mtime = instructions executed so far on either side (they run in lockstep). */
const clock = { freqHz: 10_000_000, now: 0, ticks: () => clock.now };

const MEMORY_BYTES = 64 << 20;

function board(elf) {
  // Both sides get the memory the WebAssembly translator needs, as the TCG loop's machines do.
  const hostBytes = engineHostBytes('wasm', 1, MEMORY_BYTES);
  return new SpikeBoard({
    elf,
    memoryBytes: MEMORY_BYTES,
    hostBytes,
    putchar: () => {},
    warn: () => {},
    clock,
    isa,
  });
}

function compare(a, b) {
  if (!Object.is(a.pc, b.pc)) return `pc ${a.pc.toString(16)} vs ${b.pc.toString(16)}`;
  if (a.priv !== b.priv) return `priv ${a.priv} vs ${b.priv}`;
  if (a.retired !== b.retired) return `retired ${a.retired} vs ${b.retired}`;
  if (a.mstatus !== b.mstatus) return `mstatus ${a.mstatus} vs ${b.mstatus}`;
  if (a.fpu.fflags !== b.fpu.fflags || a.fpu.frm !== b.fpu.frm) return 'fcsr';
  for (let r = 0; r < 64; r++) if (a.x[r] !== b.x[r]) return `x${r >> 1}`;
  for (let r = 0; r < 64; r++) if (a.fpu.bits[r] !== b.fpu.bits[r]) return `f${r >> 1}`;
  return undefined;
}

let passed = 0;
let failed = 0;
for (const name of readdirSync(dir)
  .filter((f) => f.endsWith('.elf') && f.includes(filter))
  .sort()) {
  const elf = readFileSync(join(dir, name));
  const A = board(elf);
  const B = board(elf);
  const a = A.harts[0];
  const b = B.harts[0];
  // Threshold 1: translate every block on first sight, the hardest case for invalidation.
  const { cache, runBlock } = translatedSide(B, { wasm, threshold, budget });
  let steps = 0;
  clock.now = 0;
  let problem;
  while (!A.stopped && !B.stopped && steps < MAX_STEPS) {
    beginStep(A, B);
    const pc = b.pc;
    const [n, m] = runPair(A, B, runBlock);
    steps += n;
    clock.now = steps;
    problem = m !== n ? `block at ${pc.toString(16)} ran ${n}, interpreter ${m}` : compare(a, b);
    if (problem !== undefined) {
      problem = `after ${steps} instructions, block at 0x${pc.toString(16)}: ${problem}`;
      break;
    }
  }
  if (problem === undefined && A.exitCode !== B.exitCode) problem = `exit ${A.exitCode} vs ${B.exitCode}`;
  if (problem === undefined && !(A.stopped && B.stopped)) {
    problem = `still running after ${steps} instructions (--max-instructions ${MAX_STEPS})`;
  }
  if (problem === undefined && A.exitCode !== 0) {
    // Both sides agree, but the program stopped at a failing case: what follows it never ran.
    problem = `the program failed case ${A.exitCode} on both sides (see tools/isa-tests.mjs)`;
  }
  if (problem === undefined) {
    passed++;
    console.log(`ok ${name} (${steps} instructions, ${cache.compiled} blocks)`);
  } else {
    failed++;
    console.log(`FAIL ${name}: ${problem}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
