// The kernel loader, from Linux's Documentation/arch/riscv/boot-image-header.rst: an Image is
// loaded at RAM base + text_offset (2 MiB when an old header leaves it 0), starts at its first
// byte, and needs image_size bytes of RAM (its bss included). Given as bytes or as a file read on
// demand, the result must be the same.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { GuestMemory } from '../memory/guest-memory.js';
import { type KernelFile, KernelError, loadKernel } from './linux.js';

const BASE = 0x80000000;
const MiB = 1 << 20;

/** An Image of `size` bytes: the header, then a recognisable pattern. */
function image(size: number, textOffset: number, imageSize: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 64; i < size; i++) b[i] = (i * 7 + 3) & 0xff;
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0x0000006f, true); // code0: a jump over the header, as in real Images
  dv.setBigUint64(8, BigInt(textOffset), true);
  dv.setBigUint64(16, BigInt(imageSize), true);
  b.set(new TextEncoder().encode('RISCV\0\0\0'), 48);
  b.set(new TextEncoder().encode('RSC\x05'), 56);
  return b;
}

/** A KernelFile over `bytes` that records the destinations it filled. */
function file(bytes: Uint8Array): KernelFile & { reads: Uint8Array[] } {
  const reads: Uint8Array[] = [];
  return {
    size: bytes.length,
    reads,
    read(dst: Uint8Array, pos: number): void {
      dst.set(bytes.subarray(pos, pos + dst.length));
      reads.push(dst);
    },
  };
}

test('an Image loads at RAM base + text_offset and reserves image_size', () => {
  const img = image(3 * MiB + 100, 0x200000, 5 * MiB);
  for (const input of [img, file(img)]) {
    const mem = new GuestMemory(BASE, 16 * MiB);
    const k = loadKernel(mem, input);
    assert.deepEqual(k, {
      entry: BASE + 0x200000,
      start: BASE + 0x200000,
      end: BASE + 0x200000 + 5 * MiB,
      format: 'image',
    });
    assert.deepEqual(mem.bytes.subarray(0x200000, 0x200000 + img.length), img);
    assert.equal(mem.bytes[0x200000 - 1], 0);
    assert.equal(mem.bytes[0x200000 + img.length], 0);
  }
});

test('a file Image is read straight into guest RAM, not into a buffer of its own', () => {
  const img = image(2 * MiB, 0x200000, 2 * MiB);
  const mem = new GuestMemory(BASE, 8 * MiB);
  const f = file(img);
  loadKernel(mem, f);
  const big = f.reads.filter((d) => d.length > 64);
  assert.equal(big.length, 1);
  assert.equal(big[0].buffer, mem.bytes.buffer);
  assert.equal(big[0].byteOffset, 0x200000);
});

test('text_offset 0 means the default 2 MiB', () => {
  const img = image(4096, 0, 8192);
  for (const input of [img, file(img)]) {
    const mem = new GuestMemory(BASE, 4 * MiB);
    assert.equal(loadKernel(mem, input).start, BASE + 2 * MiB);
  }
});

test('a gzip-compressed Image loads as the Image does, as bytes or as a file', () => {
  const img = image(MiB, 0x200000, MiB);
  const gz = gzipSync(img);
  for (const input of [gz, file(gz)]) {
    const mem = new GuestMemory(BASE, 4 * MiB);
    assert.equal(loadKernel(mem, input).format, 'image.gz');
    assert.deepEqual(mem.bytes.subarray(0x200000, 0x200000 + img.length), img);
  }
});

test('a kernel that does not fit in RAM, or is not a kernel, is a KernelError', () => {
  const big = image(4096, 0x200000, 8 * MiB);
  const junk = new Uint8Array(100).fill(0x5a);
  for (const input of [big, file(big)]) {
    const mem = new GuestMemory(BASE, 4 * MiB);
    assert.throws(() => loadKernel(mem, input), KernelError);
    assert.ok(
      mem.bytes.every((b) => b === 0),
      'nothing written',
    );
  }
  for (const input of [junk, file(junk), new Uint8Array(10), file(new Uint8Array(10))]) {
    assert.throws(() => loadKernel(new GuestMemory(BASE, 4 * MiB), input), /not a RISC-V Linux kernel/);
  }
});
