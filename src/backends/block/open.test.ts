// openDisk: each `--disk` form yields the right backend, and failures name the option and file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlockReadOnlyError } from './backend.js';
import { DiskOpenError, openDisk } from './open.js';
import { OverlayBackend } from './overlay.js';
import { Qcow2Backend } from './qcow2.js';
import { RawFileBackend } from './raw.js';
import { parseDiskSpec } from './spec.js';

const SIZE = 256 * 1024;

async function withBase(fn: (dir: string, base: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tsvirt-open-test-'));
  try {
    const base = join(dir, 'base.img');
    await writeFile(base, new Uint8Array(SIZE).fill(0x42));
    await fn(dir, base);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const hash = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

test('openDisk: file= opens a writable raw disk, readonly a read-only one', async () => {
  await withBase(async (_dir, base) => {
    const rw = await openDisk(parseDiskSpec(`file=${base}`));
    assert.ok(rw instanceof RawFileBackend);
    assert.equal(rw.readOnly, false);
    assert.equal(rw.sizeBytes, SIZE);
    await rw.write(0, new Uint8Array(512));
    await rw.close();
    const ro = await openDisk(parseDiskSpec(`file=${base},readonly`));
    assert.equal(ro.readOnly, true);
    await assert.rejects(ro.write(0, new Uint8Array(512)), BlockReadOnlyError);
    await ro.close();
  });
});

test('openDisk: overlay= creates the overlay, keeps changes across runs and never writes the base', async () => {
  await withBase(async (dir, base) => {
    const before = await hash(base);
    const spec = parseDiskSpec(`file=${base},overlay=${join(dir, 'changes.ovl')}`);
    const first = await openDisk(spec);
    // A qcow2 image (magic "QFI\xfb") whose backing file is the base.
    assert.ok(first instanceof Qcow2Backend);
    assert.deepEqual(
      [...(await readFile(join(dir, 'changes.ovl'))).subarray(0, 4)],
      [0x51, 0x46, 0x49, 0xfb],
    );
    await first.write(4096, new Uint8Array(512).fill(7));
    await first.close();
    const second = await openDisk(spec);
    const buf = new Uint8Array(512);
    await second.read(4096, buf);
    assert.ok(buf.every((b) => b === 7));
    await second.close();
    assert.equal(await hash(base), before);
  });
});

test('openDisk: an overlay in the earlier tsvirt format (TSVOVRLY) is still read and written', async () => {
  await withBase(async (dir, base) => {
    const path = join(dir, 'old.ovl');
    const old = await OverlayBackend.open(await RawFileBackend.open(base, { readOnly: true }), path);
    await old.write(8192, new Uint8Array(512).fill(5));
    await old.close();
    const d = await openDisk(parseDiskSpec(`file=${base},overlay=${path}`));
    assert.ok(d instanceof OverlayBackend);
    const buf = new Uint8Array(512);
    await d.read(8192, buf);
    assert.ok(buf.every((b) => b === 5));
    await d.write(0, new Uint8Array(512).fill(6));
    await d.close();
    assert.equal(new TextDecoder().decode((await readFile(path)).subarray(0, 8)), 'TSVOVRLY');
  });
});

test('openDisk: snapshot discards changes at close', async () => {
  await withBase(async (_dir, base) => {
    const before = await hash(base);
    const snap = await openDisk(parseDiskSpec(`file=${base},snapshot`));
    await snap.write(0, new Uint8Array(SIZE));
    await snap.close();
    assert.equal(await hash(base), before);
  });
});

test('openDisk: failures name the option and the file', async () => {
  await withBase(async (dir, base) => {
    const missing = join(dir, 'missing.img');
    await assert.rejects(openDisk(parseDiskSpec(`file=${missing}`)), (e: unknown) => {
      assert.ok(e instanceof DiskOpenError);
      assert.match(e.message, new RegExp(`^--disk file=${missing}: .*ENOENT`));
      return true;
    });
    const empty = join(dir, 'empty.img');
    await writeFile(empty, new Uint8Array(100));
    await assert.rejects(openDisk(parseDiskSpec(`file=${empty}`)), /smaller than one 512-byte sector/);
    const junk = join(dir, 'junk.ovl');
    await writeFile(junk, new Uint8Array(8192).fill(1));
    await assert.rejects(
      openDisk(parseDiskSpec(`file=${base},overlay=${junk}`)),
      new RegExp(`--disk overlay=${junk}: .*exists but is neither a qcow2 image nor a tsvirt overlay`),
    );
    const nowhere = join(dir, 'no-such-dir', 'x.ovl');
    await assert.rejects(
      openDisk(parseDiskSpec(`file=${base},overlay=${nowhere}`)),
      (e: unknown) =>
        e instanceof Error && e.message === `--disk overlay=${nowhere}: cannot create ${nowhere}: ENOENT`,
    );
    await assert.rejects(access(join(dir, 'no-such-dir')), /ENOENT/);
  });
});
