// The VM builder as a library user meets it: a VM runs until the guest stops it (virt's test
// device, spike's HTIF exit), a stop request from anywhere ends it the same way, the engine gets
// the memory it asked for, and the VM releases every backend it was given, also when building fails.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryBlockBackend } from '../backends/block/backend.js';
import { MemoryCharBackend } from '../backends/memory-char.js';
import { MemoryNetBackend } from '../backends/net/memory.js';
import type { VirtBoard } from '../boards/virt/board.js';
import { BootError } from '../boards/placement.js';
import { KernelError } from '../loaders/linux.js';
import { buildElf } from '../testing/loaders/samples.js';
import { decodeFdt, findNode } from '../machine/fdt-decode.js';
import { build } from './build.js';
import { VmConfigError, type VirtConfig } from './config.js';
import { StopRequests } from './stop.js';
import { VmCloseError, type Vm } from './vm.js';

const MiB = 1024 * 1024;
const J_SELF = 0x0000006f; // jal x0, 0: spin

/**
 * A RISC-V Linux Image (boot-image-header.rst: text_offset at 8, image_size at 16, "RISCV" at 48,
 * "RSC\x05" at 56) whose code0 jumps over the 64-byte header to `program`.
 */
function image(program: readonly number[], imageBytes = 4096): Uint8Array {
  const img = new Uint8Array(4096);
  const v = new DataView(img.buffer);
  v.setUint32(0, 0x0400006f, true); // j 64
  v.setBigUint64(8, 0x200000n, true);
  v.setBigUint64(16, BigInt(imageBytes), true);
  img.set(new TextEncoder().encode('RISCV\0\0\0'), 48);
  img.set(new TextEncoder().encode('RSC\x05'), 56);
  program.forEach((insn, k) => v.setUint32(64 + 4 * k, insn, true));
  return img;
}

/** Writes `value` to the SiFive test device (0x10_0000): 0x5555 powers off, 0x3333 fails. */
const testDevice = (value: number): number[] => [
  0x001002b7, // lui   t0, 0x100
  0x00000337 | ((value + 0x800) & 0xfffff000), // lui   t1, %hi(value)
  0x0003031b | ((value & 0xfff) << 20), // addiw t1, t1, %lo(value)
  0x0062a023, // sw    t1, 0(t0)
  J_SELF,
];

const virt = (program: readonly number[], more: Partial<VirtConfig> = {}): VirtConfig => ({
  machine: 'virt',
  memoryBytes: 16 * MiB,
  kernel: image(program),
  console: new MemoryCharBackend(),
  ...more,
});

/**
 * Should the mechanism under test fail to end `vm`'s run, the board stops it with a guest failure
 * after `ms` (the assertion on the end then fails, rather than the test hanging). Returns the
 * cancel function.
 */
function guard(vm: Vm, ms = 3000): () => void {
  const t = setTimeout(() => ((vm.board as VirtBoard).stop ??= { kind: 'fail', code: -1 }), ms);
  return () => clearTimeout(t);
}

/** Records which backends were closed, in order. */
function closeLog(): { log: string[]; disk: (name: string, fail?: boolean) => MemoryBlockBackend } {
  const log: string[] = [];
  return {
    log,
    disk(name, fail = false) {
      const d = new MemoryBlockBackend(MiB);
      d.close = async () => {
        log.push(name);
        if (fail) throw new Error('fdatasync: EIO');
      };
      return d;
    },
  };
}

test('virt: the guest powers off, or reports a failure code, through the test device', async () => {
  // SiFive test device: 0x5555 = pass, 0x7777 = reset, (code << 16) | 0x3333 = fail with code.
  for (const [value, stop] of [
    [0x5555, { kind: 'poweroff' }],
    [0x7777, { kind: 'reboot' }],
    [(5 << 16) | 0x3333, { kind: 'fail', code: 5 }],
  ] as const) {
    const vm = await build(virt(testDevice(value)));
    assert.deepEqual(await vm.run(), { kind: 'guest', stop });
    await vm.close();
  }
});

test('spike: the HTIF exit code ends the run', async () => {
  // tohost = (3 << 1) | 1: device 0, command 0, exit code 3 (Spike's HTIF convention).
  const program = [
    0x00001297, // auipc t0, 1        t0 = tohost (entry + 0x1000)
    0x00700313, // addi  t1, x0, 7
    0x0062b023, // sd    t1, 0(t0)
    J_SELF,
  ];
  const data = new Uint8Array(0x1008);
  program.forEach((insn, k) => new DataView(data.buffer).setUint32(4 * k, insn, true));
  const elf = buildElf({
    entry: 0x80000000,
    segments: [{ paddr: 0x80000000, data }],
    symbols: [{ name: 'tohost', value: 0x80001000 }],
  });
  const vm = await build({ machine: 'spike', memoryBytes: 16 * MiB, elf });
  assert.deepEqual(await vm.run(), { kind: 'guest', stop: { kind: 'exit', code: 3 } });
  await vm.close();
});

test('a stop request ends a spinning guest; one made before the VM existed ends it at once', async () => {
  const vm = await build(virt([J_SELF]));
  const cancel = guard(vm);
  setTimeout(() => vm.stop(), 50);
  assert.deepEqual(await vm.run(), { kind: 'stopped', reason: { kind: 'request' } });
  assert.ok(vm.instructionsRetired > 0);
  cancel();
  await vm.close();

  const stop = new StopRequests();
  assert.equal(stop.request({ kind: 'signal', signal: 'SIGTERM' }), true);
  assert.equal(stop.request({ kind: 'quit' }), false, 'the first request is the one that counts');
  const early = await build(virt([J_SELF], { stop }));
  const cancelEarly = guard(early);
  assert.deepEqual(await early.run(), { kind: 'stopped', reason: { kind: 'signal', signal: 'SIGTERM' } });
  assert.equal(early.instructionsRetired, 0);
  cancelEarly();
  await early.close();
});

test('a stop request wakes a VM whose harts all wait for an interrupt', async () => {
  // wfi with every interrupt disabled: the loop sleeps up to a second at a time between checks.
  const WFI = 0x10500073;
  const vm = await build(virt([WFI, 0xffdff06f /* j -4 */]));
  const cancel = guard(vm);
  const t0 = performance.now();
  setTimeout(() => vm.stop({ kind: 'quit' }), 20);
  assert.deepEqual(await vm.run(), { kind: 'stopped', reason: { kind: 'quit' } });
  assert.ok(performance.now() - t0 < 500, 'the idle sleep was cut short');
  cancel();
  await vm.close();
});

test('the instruction limit ends the run', async () => {
  const vm = await build(virt([J_SELF], { maxInstructions: 100_000 }));
  assert.deepEqual(await vm.run(), { kind: 'instruction-limit' });
  await vm.close();
});

test('the engine sizes the memory: room for the WebAssembly translator only when it runs', async () => {
  for (const [jit, wasm] of [
    ['wasm', true],
    ['js', false],
    ['off', false],
  ] as const) {
    const warnings: string[] = [];
    const vm = await build(virt(testDevice(0x5555), { jit, warn: (m) => warnings.push(m) }));
    assert.equal(vm.board.mem.wasm !== undefined, wasm, `jit ${jit}`);
    assert.deepEqual(await vm.run(), { kind: 'guest', stop: { kind: 'poweroff' } });
    assert.deepEqual(warnings, [], 'no fallback from WebAssembly to JavaScript');
    await vm.close();
  }
});

test('close releases the console, then every disk, then every NIC, even when a disk fails', async () => {
  const { log, disk } = closeLog();
  const nic = new MemoryNetBackend();
  nic.close = () => void log.push('nic');
  const console = Object.assign(new MemoryCharBackend(), { close: () => void log.push('console') });
  const vm = await build(
    virt(testDevice(0x5555), {
      console,
      disks: [{ backend: disk('a', true), name: '--disk file=a.img' }, { backend: disk('b') }],
      nics: [{ backend: nic, mac: Uint8Array.of(0x52, 0x54, 0, 1, 2, 3) }],
    }),
  );
  await vm.run();
  await assert.rejects(vm.close(), (e: unknown) => {
    assert.ok(e instanceof VmCloseError);
    assert.equal(e.message, '--disk file=a.img: closing the disk failed: fdatasync: EIO');
    return true;
  });
  assert.deepEqual(log, ['console', 'a', 'b', 'nic']);
  // Idempotent: the same outcome, and nothing is closed twice.
  await assert.rejects(vm.close(), VmCloseError);
  assert.deepEqual(log, ['console', 'a', 'b', 'nic']);
});

test('a VM that cannot be built closes the backends it was given', async () => {
  const { log, disk } = closeLog();
  const cfg = virt([J_SELF], { disks: [{ backend: disk('a') }] });
  // image_size larger than RAM: the kernel does not fit.
  await assert.rejects(build({ ...cfg, kernel: image([J_SELF], 64 * MiB) }), KernelError);
  assert.deepEqual(log, ['a']);
  // An initrd that leaves no room for the device tree.
  await assert.rejects(build({ ...cfg, initrd: new Uint8Array(15 * MiB) }), BootError);
  assert.deepEqual(log, ['a', 'a']);
  await assert.rejects(build({ ...cfg, memoryBytes: 5 * 1024 ** 3 }), (e: unknown) => {
    assert.ok(e instanceof VmConfigError);
    assert.match(e.message, /^memoryBytes: 5368709120 is not a multiple of 4 KiB between 1 MiB and 4 GiB/);
    return true;
  });
  assert.deepEqual(log, ['a', 'a', 'a']);
  await assert.rejects(build({ ...cfg, harts: 0 }), (e: unknown) => {
    assert.ok(e instanceof VmConfigError);
    assert.equal(e.message, 'harts: 0 is out of range (1..32)');
    return true;
  });
  assert.deepEqual(log, ['a', 'a', 'a', 'a']);
});

test('pause stops every hart between slices until resume; a stop request ends a paused VM', async () => {
  const vm = await build(virt([J_SELF], { harts: 2 }));
  const cancel = guard(vm, 5000);
  const states: boolean[] = [];
  vm.onPauseChange((p) => states.push(p));
  const ended = vm.run();
  await new Promise((r) => setTimeout(r, 50));
  await vm.pause();
  assert.equal(vm.paused, true);
  const frozen = vm.harts.map((h) => h.retired);
  assert.ok(frozen[0] > 0);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(
    vm.harts.map((h) => h.retired),
    frozen,
    'no instruction retires while paused',
  );
  vm.resume();
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(vm.harts[0].retired > frozen[0], 'it runs again');
  await vm.pause();
  vm.stop();
  assert.deepEqual(await ended, { kind: 'stopped', reason: { kind: 'request' } });
  assert.deepEqual(states, [true, false, true]);
  cancel();
  await vm.close();
});

test('a VM paused before it runs parks at once and runs nothing', async () => {
  const vm = await build(virt([J_SELF]));
  void vm.pause();
  const ended = vm.run();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(vm.instructionsRetired, 0);
  vm.resume();
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(vm.instructionsRetired > 0);
  vm.stop();
  await ended;
  await vm.close();
});

test('a pause asked for as the guest powers off resolves when the run ends', async () => {
  const vm = await build(virt(testDevice(0x5555)));
  const ended = vm.run();
  const paused = vm.pause();
  await ended;
  await paused;
  await vm.pause();
  await vm.close();
});

/** /chosen/rng-seed of the device tree `vm`'s board put in RAM (undefined when absent). */
function rngSeedOf(vm: Vm): Uint8Array | undefined {
  const board = vm.board as VirtBoard;
  const at = board.fdtAddr - board.mem.base;
  const { root } = decodeFdt(board.mem.bytes.subarray(at));
  return findNode(root, '/chosen')?.props.get('rng-seed');
}

// Devicetree spec 3.6: /chosen's rng-seed seeds the OS's random generator. Linux credits it at
// boot; without it (and no entropy device) its CRNG stays unready, every random request hashes
// the input pool, and a system call cost ~14k instructions.
test('virt: the device tree carries a 64-byte rng-seed from the host, or none when asked', async () => {
  const seeds: Uint8Array[] = [];
  for (let k = 0; k < 2; k++) {
    const vm = await build(virt([J_SELF]));
    const seed = rngSeedOf(vm);
    assert.ok(seed !== undefined, 'rng-seed is in /chosen');
    assert.equal(seed.length, 64);
    seeds.push(seed);
    await vm.close();
  }
  assert.notDeepEqual(seeds[0], seeds[1], 'each VM gets fresh bytes');
  const fixed = { fill: (b: Uint8Array) => b.fill(0xa5) };
  const given = await build(virt([J_SELF], { bootEntropy: fixed }));
  assert.deepEqual(rngSeedOf(given), new Uint8Array(64).fill(0xa5), 'the configured source fills it');
  await given.close();
  const none = await build(virt([J_SELF], { bootEntropy: null }));
  assert.equal(rngSeedOf(none), undefined, 'bootEntropy: null leaves it out');
  await none.close();
});
