// The kernel loader, from Linux's Documentation/arch/riscv/boot-image-header.rst: an Image is
// loaded at RAM base + text_offset (2 MiB when an old header leaves it 0), starts at its first
// byte, and needs image_size bytes of RAM (its bss included). Given as bytes or as a file read on
// demand, the result must be the same.

import { nodeGunzip } from '../host/node/gunzip.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { existsSync, readFileSync } from 'node:fs';
import { GuestMemory } from '../memory/guest-memory.js';
import { type KernelFile, KernelError, loadKernel } from './linux.js';
import { PE_HEADER_AT, buildImage } from '../testing/loaders/samples.js';

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
    const k = loadKernel(mem, input, nodeGunzip);
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
  loadKernel(mem, f, nodeGunzip);
  // Besides the headers (the first 4 KiB), one read: into RAM.
  const big = f.reads.filter((d) => d.length > 4096);
  assert.equal(big.length, 1);
  assert.equal(big[0].buffer, mem.bytes.buffer);
  assert.equal(big[0].byteOffset, 0x200000);
});

test('text_offset 0 means the default 2 MiB', () => {
  const img = image(4096, 0, 8192);
  for (const input of [img, file(img)]) {
    const mem = new GuestMemory(BASE, 4 * MiB);
    assert.equal(loadKernel(mem, input, nodeGunzip).start, BASE + 2 * MiB);
  }
});

test('a gzip-compressed Image loads as the Image does, as bytes or as a file', () => {
  const img = image(MiB, 0x200000, MiB);
  const gz = gzipSync(img);
  for (const input of [gz, file(gz)]) {
    const mem = new GuestMemory(BASE, 4 * MiB);
    assert.equal(loadKernel(mem, input, nodeGunzip).format, 'image.gz');
    assert.deepEqual(mem.bytes.subarray(0x200000, 0x200000 + img.length), img);
  }
});

test('a kernel that does not fit in RAM, or is not a kernel, is a KernelError', () => {
  const big = image(4096, 0x200000, 8 * MiB);
  const junk = new Uint8Array(100).fill(0x5a);
  for (const input of [big, file(big)]) {
    const mem = new GuestMemory(BASE, 4 * MiB);
    assert.throws(() => loadKernel(mem, input, nodeGunzip), KernelError);
    assert.ok(
      mem.bytes.every((b) => b === 0),
      'nothing written',
    );
  }
  for (const input of [junk, file(junk), new Uint8Array(10), file(new Uint8Array(10))]) {
    assert.throws(() => loadKernel(new GuestMemory(BASE, 4 * MiB), input), /not a RISC-V Linux kernel/);
  }
});

// Host memory stays bounded by the guest's RAM whatever the file holds: gzip's output is capped
// at RAM's size (zlib's maxOutputLength), and a file larger than RAM is refused before it is read.

test('a gzip bomb (more zeros than RAM) stops at RAM size with a clear error', () => {
  const mem = new GuestMemory(BASE, 16 * MiB);
  const bomb = gzipSync(new Uint8Array(64 * MiB), { level: 9 }); // ~64 KiB of gzip
  const before = process.memoryUsage().arrayBuffers;
  for (const input of [bomb, file(bomb)]) {
    assert.throws(
      () => loadKernel(mem, input, nodeGunzip),
      (e: unknown) => {
        assert.ok(e instanceof KernelError);
        assert.equal(e.message, 'decompressed kernel is larger than guest RAM (16 MiB)');
        return true;
      },
    );
  }
  // Decompressing it whole would have held 64 MiB of output (twice: the chunks and their join).
  const grewMiB = (process.memoryUsage().arrayBuffers - before) / MiB;
  assert.ok(grewMiB < 40, `host buffers grew by ${grewMiB.toFixed(1)} MiB`);
  // Exactly RAM's size is not too large (it fails later: not a kernel).
  assert.throws(
    () => loadKernel(mem, gzipSync(new Uint8Array(16 * MiB)), nodeGunzip),
    /not a RISC-V Linux kernel/,
  );
});

test('a kernel file larger than RAM is refused before it is read whole', () => {
  const mem = new GuestMemory(BASE, 4 * MiB);
  const gz = gzipSync(image(MiB, 0x200000, MiB));
  const huge: KernelFile & { read: (dst: Uint8Array, pos: number) => void; readBytes: number } = {
    size: 64 * MiB,
    readBytes: 0,
    read(dst: Uint8Array, pos: number): void {
      this.readBytes += dst.length;
      dst.set(gz.subarray(pos, pos + dst.length));
    },
  };
  assert.throws(
    () => loadKernel(mem, huge, nodeGunzip),
    /the kernel file \(67108864 bytes\) is larger than guest RAM \(4 MiB\)/,
  );
  assert.ok(huge.readBytes <= 4096, `read ${huge.readBytes} bytes`);
});

// An Image with the EFI stub is a PE/COFF file (boot-image-header.rst: "MZ" in code0, res3 is the
// PE header's offset); its section table says where the file's bytes end (PointerToRawData +
// SizeOfRawData of the last section). A file cut short of that is refused, not booted.

test('an Image with the EFI stub loads when the file holds all its sections', () => {
  const img = buildImage({ sizeBytes: 64 * 1024, textOffset: 0x200000, imageSize: 128 * 1024, efi: true });
  for (const input of [img, file(img), gzipSync(img), file(gzipSync(img))]) {
    const mem = new GuestMemory(BASE, 4 * MiB);
    const k = loadKernel(mem, input, nodeGunzip);
    assert.equal(k.end, BASE + 0x200000 + 128 * 1024);
    assert.deepEqual(mem.bytes.subarray(0x200000, 0x200000 + img.length), img);
  }
});

test('a truncated Image (shorter than its PE section table says) is a KernelError', () => {
  const img = buildImage({ sizeBytes: 64 * 1024, textOffset: 0x200000, imageSize: 128 * 1024, efi: true });
  for (const cut of [img.length - 1, 40 * 1024, 4096, 200]) {
    const short = img.slice(0, cut);
    for (const input of [short, file(short), gzipSync(short), file(gzipSync(short))]) {
      const mem = new GuestMemory(BASE, 4 * MiB);
      assert.throws(
        () => loadKernel(mem, input, nodeGunzip),
        (e: unknown) => {
          assert.ok(e instanceof KernelError, String(e));
          assert.match(e.message, /^truncated or corrupt Image: .*\(the file has \d+ bytes\)$/);
          return true;
        },
      );
      assert.ok(
        mem.bytes.every((b) => b === 0),
        'nothing written',
      );
    }
  }
  const short = img.slice(0, img.length - 1);
  assert.throws(
    () => loadKernel(new GuestMemory(BASE, 4 * MiB), short),
    /its PE section table says the file holds 65536 bytes \(the file has 65535 bytes\)/,
  );
  // "MZ" but no PE header where res3 points.
  const noPe = img.slice();
  noPe[PE_HEADER_AT] = 0;
  assert.throws(() => loadKernel(new GuestMemory(BASE, 4 * MiB), noPe), /has no PE header at 0x40/);
});

const DEBIAN_IMAGE = `${process.env.HOME}/.cache/tsvirt/images/debian-trixie-riscv64/Image`;

test(
  "Debian's Image passes the length check, and fails it one byte short (skipped without it)",
  {
    skip: !existsSync(DEBIAN_IMAGE),
  },
  () => {
    const bytes = readFileSync(DEBIAN_IMAGE);
    const asFile = (size: number): KernelFile => ({
      size,
      read: (dst, pos) => dst.set(bytes.subarray(pos, pos + dst.length)),
    });
    const k = loadKernel(new GuestMemory(BASE, 64 * MiB), asFile(bytes.length));
    assert.equal(k.start, BASE + 0x200000);
    assert.throws(
      () => loadKernel(new GuestMemory(BASE, 64 * MiB), asFile(bytes.length - 512)),
      /truncated or corrupt Image/,
    );
  },
);

test('a gzip-compressed kernel on a host without a gzip decoder is refused in words', () => {
  const mem = new GuestMemory(BASE, 16 * MiB);
  assert.throws(
    () => loadKernel(mem, gzipSync(new Uint8Array(4096))),
    /gzip-compressed kernel, and this host has no gzip decoder/,
  );
});
