// What the boards put in guest RAM before the first instruction must lie in RAM and never overlap:
// on virt the firmware at RAM base, the kernel at base + text_offset up to image_size, the initrd,
// OpenSBI's fw_dynamic_info (docs/firmware/fw_dynamic.md: six u64s, here 4 KiB below the device
// tree) and the device tree in the last 2 MiB; on spike, HTIF's tohost/fromhost doublewords.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryCharBackend } from '../backends/memory-char.js';
import { buildElf, buildImage } from '../testing/loaders/samples.js';
import { BootError, checkPlacements } from './placement.js';
import { SpikeBoard } from './spike.js';
import { VirtBoard } from './virt/board.js';
import { ElfError } from '../loaders/elf.js';

const BASE = 0x80000000;
const MiB = 1024 * 1024;
const ram = { base: BASE, sizeBytes: 16 * MiB };

test('checkPlacements: pieces inside RAM that do not overlap pass; touching is not overlapping', () => {
  checkPlacements(ram, [
    { name: 'firmware', start: BASE, end: BASE + 0x1000 },
    { name: 'kernel', start: BASE + 0x1000, end: BASE + 0x2000 },
    { name: 'device tree', start: BASE + 16 * MiB - 0x100, end: BASE + 16 * MiB },
    { name: 'nothing', start: BASE - 5, end: BASE - 5 },
  ]);
});

test('checkPlacements: an overlap names both pieces and their ranges', () => {
  assert.throws(
    () =>
      checkPlacements(ram, [
        { name: 'kernel', start: BASE + 0x200000, end: BASE + 0x400000 },
        { name: 'initrd', start: BASE + 0x800000, end: BASE + 0xdff800 },
        { name: 'fw_dynamic_info', start: BASE + 0xdff000, end: BASE + 0xdff030 },
      ]),
    (e: unknown) =>
      e instanceof BootError &&
      e.message === 'the initrd (0x80800000-0x80dff800) overlaps the fw_dynamic_info (0x80dff000-0x80dff030)',
  );
});

test('checkPlacements: a piece outside RAM, partly or wholly, is a BootError', () => {
  for (const [start, end] of [
    [BASE + 16 * MiB - 8, BASE + 16 * MiB + 8],
    [BASE - 8, BASE + 8],
    [0x1000, 0x2000],
    [BASE + 0x2000, BASE + 0x1000],
  ]) {
    assert.throws(
      () => checkPlacements(ram, [{ name: 'device tree', start, end }]),
      (e: unknown) =>
        e instanceof BootError && /^the device tree \(.*\) does not fit in guest RAM/.test(e.message),
    );
  }
});

const console = new MemoryCharBackend();
const kernel = (imageSize = 64 * 1024, textOffset = 0x200000): Uint8Array =>
  buildImage({ sizeBytes: 8192, textOffset, imageSize });
const bios = new Uint8Array(64 * 1024).fill(0x13);

test('virt: an initrd that reaches fw_dynamic_info is refused (it used to be overwritten)', () => {
  // 16 MiB of RAM: the initrd goes at base + 8 MiB, the device tree at base + 14 MiB and
  // fw_dynamic_info 4 KiB below it. An initrd of 6 MiB - 2 KiB ends inside fw_dynamic_info.
  const initrd = new Uint8Array(6 * MiB - 2048);
  assert.throws(
    () =>
      new VirtBoard({ memoryBytes: 16 * MiB, harts: 1, kernel: kernel(), initrd, bios, append: '', console }),
    (e: unknown) =>
      e instanceof BootError &&
      e.message === 'the initrd (0x80800000-0x80dff800) overlaps the fw_dynamic_info (0x80dff000-0x80dff030)',
  );
  // Without firmware there is no fw_dynamic_info, and the same initrd fits.
  new VirtBoard({ memoryBytes: 16 * MiB, harts: 1, kernel: kernel(), initrd, append: '', console });
  // One page less fits with firmware too.
  new VirtBoard({
    memoryBytes: 16 * MiB,
    harts: 1,
    kernel: kernel(),
    initrd: new Uint8Array(6 * MiB - 4096),
    bios,
    append: '',
    console,
  });
});

test('virt: a kernel whose image_size reaches fw_dynamic_info is refused', () => {
  // text_offset 2 MiB + image_size 12 MiB - 2 KiB ends 2 KiB past the start of fw_dynamic_info.
  assert.throws(
    () =>
      new VirtBoard({ memoryBytes: 16 * MiB, harts: 1, kernel: kernel(0xbff800), bios, append: '', console }),
    /the kernel \(0x80200000-0x80dff800\) overlaps the fw_dynamic_info/,
  );
});

test('virt: a kernel placed over the firmware is refused', () => {
  assert.throws(
    () =>
      new VirtBoard({
        memoryBytes: 16 * MiB,
        harts: 1,
        kernel: kernel(64 * 1024, 0x8000),
        bios,
        append: '',
        console,
      }),
    /the kernel \(0x80008000-0x80018000\) overlaps the firmware \(0x80000000-0x80010000\)/,
  );
});

test('virt: a device tree larger than its 2 MiB (a huge --append) is a BootError', () => {
  assert.throws(
    () =>
      new VirtBoard({
        memoryBytes: 16 * MiB,
        harts: 1,
        kernel: kernel(),
        append: 'x'.repeat(3 * MiB),
        console,
      }),
    (e: unknown) =>
      e instanceof BootError && /^the device tree \(\d+ bytes\) is larger than its 2 MiB/.test(e.message),
  );
});

test('spike: tohost and fromhost must be doublewords of guest RAM', () => {
  const program = (tohost: bigint, fromhost: bigint): Uint8Array =>
    buildElf({
      entry: BASE,
      segments: [{ paddr: BASE, data: new Uint8Array(64) }],
      symbols: [
        { name: 'tohost', value: tohost },
        { name: 'fromhost', value: fromhost },
      ],
    });
  const board = (elf: Uint8Array): SpikeBoard =>
    new SpikeBoard({ elf, memoryBytes: MiB, putchar: () => {}, warn: () => {} });
  board(program(BigInt(BASE + MiB - 16), BigInt(BASE + MiB - 8)));
  for (const [elf, name] of [
    [program(BigInt(BASE + MiB - 4), BigInt(BASE)), 'tohost'],
    [program(0x1000n, BigInt(BASE)), 'tohost'],
    [program(BigInt(BASE), BigInt(BASE + MiB)), 'fromhost'],
  ] as const) {
    assert.throws(
      () => board(elf),
      (e: unknown) =>
        e instanceof ElfError &&
        new RegExp(`^the \`${name}\` symbol .* is outside guest RAM`).test(e.message),
    );
  }
});
