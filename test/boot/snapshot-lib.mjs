// Deterministic runs of a virt machine for the snapshot exactness test (snapshot.test.mjs): the
// Debian guest with 4 harts, a virtio disk and a NIC, stepped by a loop of fixed rounds whose
// clock advances with the instructions retired (and jumps to the next timer event when every
// hart waits), as tools/jit-lockstep-boot.mjs does; disk requests complete at round ends. Two
// runs from the same state then retire the same instructions. Also run as a child process:
//   node test/boot/snapshot-lib.mjs SNAPSHOT M JIT DISK  -> prints the digest after M more.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { build } from '../../dist/vm/build.js';
import { MemoryCharBackend } from '../../dist/backends/memory-char.js';
import { MemoryNetBackend } from '../../dist/backends/net/memory.js';
import { RawFileBackend } from '../../dist/backends/block/raw.js';
import { saveVirtBoard } from '../../dist/boards/virt/state.js';
import { runInterpreter } from '../../dist/cpu/riscv/interp.js';
import { CodeCache } from '../../dist/cpu/riscv/jit/cache.js';
import { runJit } from '../../dist/cpu/riscv/jit/run.js';
import { WasmJit } from '../../dist/cpu/riscv/jit/wasm/engine.js';
import { VIRT_TIMEBASE_HZ } from '../../dist/boards/virt/memory-map.js';

export const MEMORY_BYTES = 256 << 20;
export const HARTS = 4;
const SLICE = 20000;
/** Instructions (of all harts) per tick of the 10 MHz timebase: about the host's real speed. */
const INSTRUCTIONS_PER_TICK = 10;
/** Wall-clock time the RTC reports at mtime 0 (2025-01-01). */
const RTC_EPOCH_NS = 1_735_689_600_000_000_000n;

/**
 * A VM of the test's machine, stepped by `runTo`. `incoming`: a snapshot's bytes to start from.
 * `jit`: 'wasm', 'js' or 'off'. `disk`: a raw image path (opened read-only: the guest only reads).
 */
export async function makeRun({ kernel, initrd, disk, jit, incoming }) {
  const clock = { freqHz: VIRT_TIMEBASE_HZ, now: 0, ticks: () => clock.now };
  const console = new MemoryCharBackend();
  const vm = await build({
    machine: 'virt',
    memoryBytes: MEMORY_BYTES,
    harts: HARTS,
    jit,
    kernel: incoming === undefined ? readFileSync(kernel) : new Uint8Array(0),
    initrd: incoming === undefined ? readFileSync(initrd) : undefined,
    append: 'console=ttyS0',
    console,
    disks: [{ backend: await RawFileBackend.open(disk, { readOnly: true }) }],
    nics: [{ backend: new MemoryNetBackend(), mac: Uint8Array.of(2, 0, 0, 0, 0, 1) }],
    clock: process.env.HOSTCLOCK ? undefined : clock,
    // The RTC follows guest time, so that it is the same in the restored process.
    rtcNowNs: () => RTC_EPOCH_NS + vm.board.clint.mtime64() * 100n,
    incoming,
  });
  const board = vm.board;
  const harts = board.harts;
  const mem = harts[0].mem;
  let engine = (h, n) => runInterpreter(h, n);
  /**
   * The translator's slices end where its blocks do, which depends on what it has translated: a
   * run compared with a restored one (whose translator starts empty) starts empty too. Private
   * fields of CodeCache and WasmJit: fail loudly if they are renamed.
   */
  let dropTranslations = () => {};
  if (jit === 'wasm') {
    const w = WasmJit.create(mem, harts[0].decoder, {});
    if (w === undefined) throw new Error('no WebAssembly translator');
    mem.onDeviceWrite = (off, len) => w.cache.invalidateRange(off, len);
    for (const h of harts) w.attach(h);
    engine = (h, n) => w.run(h, n);
    dropTranslations = () => {
      if (!('pending' in w && 'heat' in w.cache))
        throw new Error('WasmJit.pending or CodeCache.heat is gone');
      w.cache.clear();
      w.cache.heat.fill(0);
      w.pending = [];
      w.pendingAt.clear();
      w.waited = 0;
    };
  } else if (jit === 'js') {
    const c = new CodeCache(mem.sizeBytes);
    mem.onDeviceWrite = (off, len) => c.invalidateRange(off, len);
    for (const h of harts) {
      h.codeCache = c;
      c.attach(h.tlb);
    }
    engine = (h, n) => runJit(h, c, n);
    dropTranslations = () => {
      if (!('heat' in c)) throw new Error('CodeCache.heat is gone');
      c.clear();
      c.heat.fill(0);
    };
  }
  const blks = board.transports.map((t) => t.device).filter((d) => typeof d.quiesce === 'function');
  const retired = () => harts.reduce((s, h) => s + h.retired, 0);
  let skipped = 0;
  // Ticks since this VM was built (a restored CLINT carries the saved mtime as its offset); set at
  // each round's end, so that a save between rounds records the time the next round starts with.
  const base = Math.floor(retired() / INSTRUCTIONS_PER_TICK);
  const now = () => Math.floor(retired() / INSTRUCTIONS_PER_TICK) - base + skipped;

  /** Whole rounds (each hart a slice) until `target` instructions have retired in all. */
  async function runTo(target) {
    while (retired() < target && !board.stopped) {
      board.tick();
      let ran = false;
      for (const h of harts) {
        if (!h.running) continue;
        h.checkInterrupts();
        if (h.waiting) continue;
        ran = true;
        engine(h, SLICE);
        h.reservation = -1;
        board.afterSlice();
        if (board.stopped) break;
      }
      if (!ran) {
        const ms = board.msToNextEvent();
        skipped += Math.max(1, Math.min(VIRT_TIMEBASE_HZ, Math.ceil((ms * VIRT_TIMEBASE_HZ) / 1000)));
      }
      clock.now = now();
      // Disk requests complete here, at the round's end, whatever the host's timing.
      for (const b of blks) {
        await b.quiesce();
        b.resume();
      }
    }
  }

  /** Every hart's and device's state (JSON) and a hash of RAM. */
  function digest() {
    const state = JSON.stringify(saveVirtBoard(board));
    const ram = createHash('sha256').update(mem.bytes).digest('hex');
    return { state, ram, retired: retired() };
  }
  return { vm, runTo, digest, retired, console, dropTranslations };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const [snapshot, more, jit, disk] = process.argv.slice(2);
  const r = await makeRun({ disk, jit, incoming: readFileSync(snapshot) });
  await r.runTo(r.retired() + Number(more));
  process.stdout.write(JSON.stringify(r.digest()));
  await r.vm.close();
}
