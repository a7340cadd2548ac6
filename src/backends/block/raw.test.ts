// The raw image backend on temporary files: positional I/O, flush, read-only refusal, range
// checks, chunked write-zeroes and discard as a no-op.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockRangeError, BlockReadOnlyError } from './backend.js';
import { RawFileBackend } from './raw.js';

const MiB = 1024 * 1024;

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tsvirt-raw-test-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function pattern(len: number, seed: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = (i * 13 + seed + (i >> 10)) & 0xff;
  return out;
}

test('raw: writes land at their offset, survive close and reopen, and read back', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'disk.img');
    await writeFile(path, new Uint8Array(MiB));
    const disk = await RawFileBackend.open(path, { readOnly: false });
    assert.equal(disk.sizeBytes, MiB);
    assert.equal(disk.readOnly, false);
    const data = pattern(8192, 1);
    await disk.write(4096 + 512, data);
    await disk.flush();
    const back = new Uint8Array(8192);
    await disk.read(4096 + 512, back);
    assert.deepEqual(back, data);
    await disk.close();
    const file = await readFile(path);
    assert.deepEqual(new Uint8Array(file.subarray(4608, 4608 + 8192)), data);
    assert.equal(file.length, MiB, 'the file does not grow');
    assert.ok(file.subarray(0, 4608).every((b) => b === 0));
  });
});

test('raw: concurrent reads and writes to distinct ranges all complete', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'disk.img');
    await writeFile(path, new Uint8Array(MiB));
    const disk = await RawFileBackend.open(path, { readOnly: false });
    await Promise.all(Array.from({ length: 32 }, (_, k) => disk.write(k * 4096, pattern(4096, k))));
    const bufs = Array.from({ length: 32 }, () => new Uint8Array(4096));
    await Promise.all(bufs.map((b, k) => disk.read(k * 4096, b)));
    bufs.forEach((b, k) => assert.deepEqual(b, pattern(4096, k)));
    await disk.close();
  });
});

test('raw: the size is whole sectors; a trailing partial sector is neither readable nor touched', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'odd.img');
    const contents = pattern(4096 + 300, 2);
    await writeFile(path, contents);
    const disk = await RawFileBackend.open(path, { readOnly: false });
    assert.equal(disk.sizeBytes, 4096);
    await assert.rejects(disk.read(4096, new Uint8Array(1)), BlockRangeError);
    await disk.write(3584, new Uint8Array(512));
    await disk.close();
    const file = new Uint8Array(await readFile(path));
    assert.deepEqual(file.subarray(4096), contents.subarray(4096));
  });
});

test('raw: out-of-range and non-integer requests reject with BlockRangeError', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'disk.img');
    await writeFile(path, new Uint8Array(8192));
    const disk = await RawFileBackend.open(path, { readOnly: false });
    await assert.rejects(disk.read(8192 - 511, new Uint8Array(512)), BlockRangeError);
    await assert.rejects(disk.write(-512, new Uint8Array(512)), BlockRangeError);
    await assert.rejects(disk.writeZeroes(0.5, 512), BlockRangeError);
    await assert.rejects(disk.discard(0, 8193), BlockRangeError);
    await disk.close();
  });
});

test('raw: a read-only disk refuses every write-like operation and leaves the file as it was', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'ro.img');
    const contents = pattern(16384, 3);
    await writeFile(path, contents);
    await chmod(path, 0o444);
    const disk = await RawFileBackend.open(path, { readOnly: true });
    assert.equal(disk.readOnly, true);
    await assert.rejects(disk.write(0, new Uint8Array(512)), BlockReadOnlyError);
    await assert.rejects(disk.writeZeroes(0, 512), BlockReadOnlyError);
    await assert.rejects(disk.discard(0, 512), BlockReadOnlyError);
    const back = new Uint8Array(512);
    await disk.read(512, back);
    assert.deepEqual(back, contents.subarray(512, 1024));
    await disk.flush();
    await disk.close();
    assert.deepEqual(new Uint8Array(await readFile(path)), contents);
  });
});

test('raw: writeZeroes over more than one chunk zeroes exactly the range; discard keeps the data', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'disk.img');
    const contents = new Uint8Array(4 * MiB).fill(0x77);
    await writeFile(path, contents);
    const disk = await RawFileBackend.open(path, { readOnly: false });
    await disk.writeZeroes(512, 2.5 * MiB);
    await disk.discard(3 * MiB, 4096);
    await disk.close();
    const file = new Uint8Array(await readFile(path));
    assert.equal(file[511], 0x77);
    assert.ok(file.subarray(512, 512 + 2.5 * MiB).every((b) => b === 0));
    assert.equal(file[512 + 2.5 * MiB], 0x77);
    assert.ok(
      file.subarray(3 * MiB, 3 * MiB + 4096).every((b) => b === 0x77),
      'discard is a no-op',
    );
  });
});

test('raw: opening a missing file or a directory rejects', async () => {
  await withDir(async (dir) => {
    await assert.rejects(RawFileBackend.open(join(dir, 'missing.img'), { readOnly: true }), /ENOENT/);
    await assert.rejects(RawFileBackend.open(dir, { readOnly: true }), /not a regular file|EISDIR/);
  });
});
