#!/usr/bin/env node
// Differential test of the translator against the interpreter on a real workload: the Debian
// kernel and initramfs (from `tsvirt image`) boot on two virt boards in lockstep for the first N
// instructions, 1 hart, with tsvirt's built-in SBI or (--bios) OpenSBI fw_dynamic. As in
// tools/jit-lockstep.mjs, the translated side runs one block, the interpreted side the same number
// of instructions, and both boards share one deterministic clock that advances with the
// instructions executed (and jumps to the next timer event while the hart waits in WFI). pc and
// retired count are compared after every block; x and f registers, fcsr, privilege and the main
// CSRs every --every K blocks (default 1) and after the last one; the console output as it is
// written. The first difference is reported with its instruction count, pc and registers.
// With --kvm, the guest is a nested one (issue 20): its initramfs has `kvm` and the shell's
// profile runs test/guest/kvm-mini, so Linux KVM runs a guest of its own in VS-mode under
// two-stage translation, and the hypervisor's state is compared too. L1's boot (billions of
// instructions) runs first, translated and not compared, to a snapshot taken just before
// kvm-mini starts; both sides start from it, and run in lockstep until the guest powers off.
//
//   node tools/jit-lockstep-boot.mjs [--instructions N] [--bios] [--every K] [--threshold T] [--wasm]
//                                    [--budget B] [--kvm]

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { VirtBoard } from '../dist/boards/virt/board.js';
import { VIRT_TIMEBASE_HZ } from '../dist/boards/virt/memory-map.js';
import { engineHostBytes } from '../dist/engine/tcg/loop.js';
import { writeCpio } from '../dist/images/cpio.js';
import { MemoryCharBackend } from '../dist/backends/memory-char.js';
import { build } from '../dist/vm/build.js';
import { decodeSnapshot } from '../dist/vm/snapshot/format.js';
import { loadSnapshot } from '../dist/vm/snapshot/snapshot.js';
import { restoreVirtBoard } from '../dist/boards/virt/state.js';
import { HYP_FLAGS, HYP_NUMBERS, HYP_PAIRS } from '../dist/cpu/riscv/state.js';
import { beginStep, runPair, translatedSide } from './lockstep-lib.mjs';
import { buildKvmMini, kvmGuest } from '../test/guest/kvm-mini.mjs';

const TSVIRT = new URL('../bin/tsvirt', import.meta.url).pathname;
const MEMORY_BYTES = 512 << 20;
const PROGRESS_EVERY = 50_000_000;
/** Wall-clock time the RTC reports at mtime 0 (2025-01-01). */
const RTC_EPOCH_NS = 1_735_689_600_000_000_000n;

const { values: opts } = parseArgs({
  options: {
    instructions: { type: 'string', default: '50000000' },
    bios: { type: 'boolean', default: false },
    every: { type: 'string', default: '1' },
    // 1: translate every block on first sight, the most translation for the instructions run.
    threshold: { type: 'string', default: '1' },
    // Check the WebAssembly translator instead of the JavaScript one.
    wasm: { type: 'boolean', default: false },
    // Instructions per translated step: above 1, chained blocks run back to back between compares.
    budget: { type: 'string', default: '1' },
    kvm: { type: 'boolean', default: false },
  },
});
const limit = Number(opts.instructions);
const every = Number(opts.every);
const threshold = Number(opts.threshold);
const budget = Number(opts.budget);
for (const [name, v] of Object.entries({ instructions: limit, every, threshold, budget })) {
  if (!Number.isInteger(v) || v < 1) {
    console.error(`--${name}: expected a positive integer`);
    process.exit(2);
  }
}

/** KERNEL, INITRD, FW_DYNAMIC, ... as printed by `tsvirt image --print-paths`. */
function imagePaths() {
  const r = spawnSync(TSVIRT, ['image', '--print-paths'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsvirt image --print-paths failed:\n${r.stderr}`);
  const paths = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) paths[m[1]] = m[2];
  }
  return paths;
}

const RNG_SEED = Uint8Array.from({ length: 64 }, (_, i) => (i * 151 + 7) & 255);

/** mtime = instructions executed so far on either side, plus the time skipped while waiting. */
const clock = { freqHz: VIRT_TIMEBASE_HZ, now: 0, ticks: () => clock.now };

function board(paths, out, snap) {
  const b = new VirtBoard({
    clock,
    rtcNowNs: () => RTC_EPOCH_NS + BigInt(clock.now) * 100n,
    restoring: snap !== undefined,
    memoryBytes: MEMORY_BYTES,
    // Both sides get the memory the WebAssembly translator needs, as the TCG loop's machines do.
    hostBytes: engineHostBytes('wasm', 1, MEMORY_BYTES),
    harts: 1,
    kernel: readFileSync(paths.KERNEL),
    initrd,
    append: 'console=ttyS0',
    // The same seed on both sides (a real machine's would be random): the guests' CRNG is ready
    // at boot, as in every tsvirt run, and both draw the same numbers.
    rngSeed: RNG_SEED,
    bios: opts.bios ? readFileSync(paths.FW_DYNAMIC) : undefined,
    console: out,
  });
  // The board takes its time from the host; both sides must see the same time instead. These are
  // private fields of Clint and GoldfishRtc: fail loudly if they are renamed.
  if (!('clock' in b.clint) || !('nowNs' in b.rtc))
    throw new Error('Clint.clock or GoldfishRtc.nowNs is gone');
  b.clint.clock = clock;
  b.rtc.nowNs = () => RTC_EPOCH_NS + BigInt(clock.now) * 100n;
  if (snap !== undefined) loadSnapshot(b.mem, snap, (state) => restoreVirtBoard(b, state));
  return b;
}

/** Captures console output as a string. */
function recorder() {
  const r = {
    text: '',
    write: (bytes) => (r.text += Buffer.from(bytes).toString('latin1')),
    onInput: () => {},
  };
  return r;
}

const SCALARS = ['pc', 'priv', 'retired', 'waiting', 'reservation', 'mstatus', 'mie', 'mip', 'irqLines'];
SCALARS.push('medeleg', 'mideleg', 'mtvec', 'stvec', 'mcounteren', 'scounteren', 'senvcfg');
SCALARS.push('menvcfgLo', 'menvcfgHi', 'satpMode', 'satpPpn');
const PAIRS = ['mepc', 'sepc', 'mcause', 'scause', 'mtval', 'stval', 'mscratch', 'sscratch', 'stimecmp'];
// The hypervisor's state (hyp.ts), as snapshots save it (htimedelta is a BigInt), on every full comparison.
const HYP_SCALARS = [...HYP_NUMBERS, ...HYP_FLAGS, 'htimedelta'];

const hex64 = (lo, hi) => ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString(16);
/** Numbers as the 64-bit values they stand for (a kernel pc is a negative number). */
const show = (v) => (Number.isInteger(v) ? `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}` : String(v));

/** Every architectural difference between the interpreted hart a and the translated hart b. */
function differences(a, b) {
  const d = [];
  for (const k of SCALARS) if (!Object.is(a[k], b[k])) d.push(`${k} ${show(a[k])} vs ${show(b[k])}`);
  for (const k of PAIRS) {
    if (a[k][0] !== b[k][0] || a[k][1] !== b[k][1])
      d.push(`${k} ${hex64(a[k][0], a[k][1])} vs ${hex64(b[k][0], b[k][1])}`);
  }
  for (const k of HYP_SCALARS)
    if (!Object.is(a.hyp[k], b.hyp[k])) d.push(`hyp.${k} ${show(a.hyp[k])} vs ${show(b.hyp[k])}`);
  for (const k of HYP_PAIRS) {
    const [x, y] = [a.hyp[k], b.hyp[k]];
    if (x[0] !== y[0] || x[1] !== y[1]) d.push(`hyp.${k} ${hex64(x[0], x[1])} vs ${hex64(y[0], y[1])}`);
  }
  if (a.fpu.fflags !== b.fpu.fflags || a.fpu.frm !== b.fpu.frm) {
    d.push(`fcsr ${a.fpu.frm}/${a.fpu.fflags} vs ${b.fpu.frm}/${b.fpu.fflags}`);
  }
  for (const [name, x, y] of [
    ['x', a.x, b.x],
    ['f', a.fpu.bits, b.fpu.bits],
  ]) {
    for (let r = 0; r < 64; r += 2) {
      if (x[r] !== y[r] || x[r + 1] !== y[r + 1]) {
        d.push(`${name}${r >> 1} ${hex64(x[r], x[r + 1])} vs ${hex64(y[r], y[r + 1])}`);
      }
    }
  }
  return d;
}

const paths = opts.kvm ? kvmGuest() : imagePaths();
// With --kvm, a second archive after the first (the kernel unpacks both; later members win)
// adds kvm-mini and a profile that runs it and powers off.
const initrd = opts.kvm
  ? Buffer.concat([
      readFileSync(paths.INITRD),
      gzipSync(
        writeCpio([
          { kind: 'file', path: 'kvm-mini', data: readFileSync(buildKvmMini()), mode: 0o755 },
          {
            kind: 'file',
            path: 'etc/profile',
            data: Buffer.from(
              'export PATH=/usr/sbin:/usr/bin:/sbin:/bin\necho LOCKSTEP-READY; sleep 1; /kvm-mini; echo kvm-mini=$?; poweroff -f\n',
            ),
          },
        ]),
      ),
    ])
  : readFileSync(paths.INITRD);
const outA = recorder();
const outB = recorder();
/** L1 booted with the translator to the profile's marker, paused there and saved (--kvm). */
async function bootedSnapshot() {
  const out = new MemoryCharBackend();
  const vm = await build({
    machine: 'virt',
    memoryBytes: MEMORY_BYTES,
    harts: 1,
    kernel: readFileSync(paths.KERNEL),
    initrd,
    append: 'console=ttyS0',
    bios: opts.bios ? readFileSync(paths.FW_DYNAMIC) : undefined,
    console: out,
  });
  const ended = vm.run();
  const text = () => Buffer.from(out.output).toString('latin1');
  const deadline = Date.now() + 600_000;
  while (!/LOCKSTEP-READY/.test(text())) {
    if (vm.board.stopped || Date.now() > deadline) throw new Error(`L1 did not reach kvm-mini:\n${text()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await vm.pause();
  const file = Buffer.concat(await vm.save());
  vm.stop();
  await ended;
  await vm.close();
  console.log(
    `L1 booted to kvm-mini (${vm.instructionsRetired} instructions, translated): snapshot of ${file.length} bytes`,
  );
  return decodeSnapshot(file);
}
const snap = opts.kvm ? await bootedSnapshot() : undefined;
const A = board(paths, outA, snap);
const B = board(paths, outB, snap);
const a = A.harts[0];
const b = B.harts[0];
for (const k of [...SCALARS, ...PAIRS]) if (a[k] === undefined) throw new Error(`RiscvHart.${k} is gone`);
for (const k of [...HYP_SCALARS, ...HYP_PAIRS])
  if (a.hyp[k] === undefined) throw new Error(`HypState.${k} is gone`);
// The translated side, set up as the TCG loop does it.
const { cache, runBlock } = translatedSide(B, { wasm: opts.wasm, threshold, budget });

const mode = (opts.bios ? '--bios fw_dynamic' : '--sbi builtin') + (opts.kvm ? ', KVM guest' : '');
console.log(
  `lockstep boot (${mode}${opts.wasm ? ', WebAssembly' : ''}): ${limit} instructions, full compare every ${every} blocks`,
);
const started = performance.now();
const recent = []; // start pcs of the last blocks, for context
let steps = 0;
let idle = 0;
let blocks = 0;
let nextProgress = PROGRESS_EVERY;
let matched = 0; // instructions at the last full comparison that found no difference
let problem;
while (steps < limit && !A.stopped && !B.stopped) {
  beginStep(A, B);
  if (a.waiting || b.waiting) {
    if (a.waiting !== b.waiting) {
      problem = [`waiting ${a.waiting} vs ${b.waiting}`];
      break;
    }
    // WFI: move time on to the next event, identically for both sides.
    const ms = A.msToNextEvent();
    if (!Number.isFinite(ms)) {
      problem = ['the hart waits for an interrupt and no timer is armed'];
      break;
    }
    idle += Math.max(1, Math.ceil((ms * clock.freqHz) / 1000));
    clock.now = steps + idle;
    continue;
  }
  const pc = b.pc;
  const [n, m] = runPair(A, B, runBlock);
  steps += n;
  clock.now = steps + idle;
  blocks++;
  recent.push(pc);
  if (recent.length > 8) recent.shift();
  const last = steps >= limit || A.stopped || B.stopped;
  if (m !== n) problem = [`the block ran ${n} instructions, the interpreter ${m}`];
  else if (a.pc !== b.pc || a.retired !== b.retired || last || blocks % every === 0) {
    const d = differences(a, b);
    if (d.length > 0) problem = d;
    else matched = steps;
  }
  if (problem === undefined && outA.text.length !== outB.text.length) problem = ['console output'];
  if (problem !== undefined) break;
  if (steps >= nextProgress) {
    const t = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`  ${steps} instructions, ${t} s, console ${outA.text.length} bytes`);
    nextProgress += PROGRESS_EVERY;
  }
}
if (problem === undefined && outA.text !== outB.text) problem = ['console output'];
if (problem === undefined && A.stopped !== B.stopped) problem = [`stopped ${A.stopped} vs ${B.stopped}`];
// Both sides agreeing is not enough: KVM's guest must have run and kvm-mini succeeded.
if (problem === undefined && opts.kvm && !/KVM-GUEST-OK[\s\S]*kvm-mini=0/.test(outA.text))
  problem = ['kvm-mini did not report success (KVM-GUEST-OK ... kvm-mini=0)'];

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const tail = (text) =>
  text === ''
    ? ['    (no output yet)']
    : text
        .trimEnd()
        .split('\n')
        .slice(-3)
        .map((l) => `    | ${l}`);
if (problem === undefined) {
  const why = A.stopped ? `the guest stopped (${JSON.stringify(A.stop)})` : 'instruction limit';
  console.log(
    `ok: ${steps} instructions, ${blocks} blocks, ${cache.compiled} translated, ${seconds} s; ${why}`,
  );
  console.log(`  console (${outA.text.length} bytes), last lines:`);
  for (const l of tail(outA.text)) console.log(l);
  process.exit(0);
}
console.log(`FAIL after ${steps} instructions (block ${blocks}, mtime ${clock.now}), ${seconds} s`);
console.log(`  block at ${show(recent.at(-1))}, priv ${a.priv} vs ${b.priv}; interpreter vs translator:`);
for (const l of problem) console.log(`    ${l}`);
if (every > 1) console.log(`  the full state last matched after ${matched} instructions`);
console.log(`  last block starts: ${recent.map(show).join(' ')}`);
if (outA.text !== outB.text) {
  console.log('  console, interpreter:');
  for (const l of tail(outA.text)) console.log(l);
  console.log('  console, translator:');
  for (const l of tail(outB.text)) console.log(l);
} else {
  console.log('  console, last lines:');
  for (const l of tail(outA.text)) console.log(l);
}
process.exit(1);
