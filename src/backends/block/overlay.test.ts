// The copy-on-write overlay on temporary files (docs/overlay-format.md): the base is never
// modified, changes persist through reopen, snapshot overlays vanish, corrupt or mismatched
// overlays are refused, and cluster boundaries, discard and write-zeroes behave.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { access, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { OverlayBackend } from './overlay.js';
import { crc32 } from '../../core/crc32.js';
import { OverlayError } from './overlay-format.js';
import { RawFileBackend } from './raw.js';

const KiB = 1024;
const CLUSTER = 64 * KiB;
/** Base size: 5 clusters and a partial one. */
const BASE_BYTES = 5 * CLUSTER + 3 * 512;

function pattern(len: number, seed: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = (i * 7 + seed * 29 + (i >> 12)) & 0xff;
  return out;
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

interface Files {
  dir: string;
  base: string;
  overlay: string;
  baseBytes: Uint8Array;
}

async function withFiles(fn: (f: Files) => Promise<void>, baseBytes = pattern(BASE_BYTES, 1)): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tsvirt-overlay-test-'));
  try {
    const base = join(dir, 'base.img');
    await writeFile(base, baseBytes);
    await fn({ dir, base, overlay: join(dir, 'changes.ovl'), baseBytes });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function openOverlay(f: Files, path = f.overlay): Promise<OverlayBackend> {
  return OverlayBackend.open(await RawFileBackend.open(f.base, { readOnly: true }), path);
}

async function readAll(disk: {
  sizeBytes: number;
  read(o: number, b: Uint8Array): Promise<void>;
}): Promise<Uint8Array> {
  const out = new Uint8Array(disk.sizeBytes);
  await disk.read(0, out);
  return out;
}

test('overlay: the base file is never modified (hash before and after)', async () => {
  await withFiles(async (f) => {
    const before = await sha256(f.base);
    const mtime = (await stat(f.base)).mtimeMs;
    const disk = await openOverlay(f);
    assert.equal(disk.sizeBytes, BASE_BYTES);
    await disk.write(0, pattern(3 * CLUSTER, 2));
    await disk.writeZeroes(CLUSTER, 2 * CLUSTER);
    await disk.discard(4 * CLUSTER + 512, 1024);
    await disk.write(BASE_BYTES - 512, pattern(512, 3));
    await disk.flush();
    await disk.close();
    assert.equal(await sha256(f.base), before);
    assert.equal((await stat(f.base)).mtimeMs, mtime);
  });
});

test('overlay: changes are visible after reopening the same overlay; unwritten parts show the base', async () => {
  await withFiles(async (f) => {
    const expect = f.baseBytes.slice();
    const disk = await openOverlay(f);
    const a = pattern(4096, 4);
    await disk.write(CLUSTER + 8192, a);
    expect.set(a, CLUSTER + 8192);
    await disk.close();

    const again = await openOverlay(f);
    assert.deepEqual(await readAll(again), expect);
    assert.equal(again.allocatedClusters, 1);
    await again.close();
  });
});

test('overlay: a write straddling clusters, and reads of partially written clusters', async () => {
  await withFiles(async (f) => {
    const disk = await openOverlay(f);
    const expect = f.baseBytes.slice();
    // 3 KiB across the boundary between clusters 1 and 2, then 3 clusters from inside cluster 2.
    const a = pattern(3 * KiB, 5);
    await disk.write(2 * CLUSTER - KiB, a);
    expect.set(a, 2 * CLUSTER - KiB);
    const b = pattern(2 * CLUSTER + 512, 6);
    await disk.write(2 * CLUSTER + 4096, b);
    expect.set(b, 2 * CLUSTER + 4096);
    assert.equal(disk.allocatedClusters, 4);
    // Reads at odd offsets and lengths that cross base, overlay and cluster boundaries.
    for (const [off, len] of [
      [0, BASE_BYTES],
      [2 * CLUSTER - 1536, 4096],
      [CLUSTER + 100, 3 * CLUSTER],
      [4 * CLUSTER + 4000, BASE_BYTES - 4 * CLUSTER - 4000],
    ]) {
      const buf = new Uint8Array(len);
      await disk.read(off, buf);
      assert.deepEqual(buf, expect.subarray(off, off + len), `read ${off}+${len}`);
    }
    await disk.close();
  });
});

test('overlay: the last, partial cluster of an odd-sized base copies and reads correctly', async () => {
  await withFiles(async (f) => {
    const disk = await openOverlay(f);
    const expect = f.baseBytes.slice();
    const a = pattern(512, 7);
    await disk.write(BASE_BYTES - 1024, a);
    expect.set(a, BASE_BYTES - 1024);
    assert.deepEqual(await readAll(disk), expect);
    await disk.close();
    const again = await openOverlay(f);
    assert.deepEqual(await readAll(again), expect);
    await again.close();
  });
});

test('overlay: discard and write-zeroes read back as zeros, whole clusters without new storage', async () => {
  await withFiles(async (f) => {
    const disk = await openOverlay(f);
    const expect = f.baseBytes.slice();
    await disk.write(0, pattern(CLUSTER, 8));
    expect.set(pattern(CLUSTER, 8), 0);
    const sizeBefore = (await stat(f.overlay)).size;
    // Whole clusters 0 (stored) and 1 (base): table changes only.
    await disk.writeZeroes(0, 2 * CLUSTER);
    expect.fill(0, 0, 2 * CLUSTER);
    assert.equal((await stat(f.overlay)).size, sizeBefore, 'no data written for whole clusters');
    // Partial ranges: inside a base cluster (copied) and across a cluster boundary.
    await disk.discard(2 * CLUSTER + 512, 1024);
    expect.fill(0, 2 * CLUSTER + 512, 2 * CLUSTER + 1536);
    await disk.writeZeroes(3 * CLUSTER - 512, 1024);
    expect.fill(0, 3 * CLUSTER - 512, 3 * CLUSTER + 512);
    assert.deepEqual(await readAll(disk), expect);
    // A partial write into a zero cluster keeps the rest of it zero (reusing its storage).
    const p = pattern(512, 9);
    await disk.write(4096, p);
    expect.set(p, 4096);
    assert.deepEqual(await readAll(disk), expect);
    await disk.close();

    const again = await openOverlay(f);
    assert.deepEqual(await readAll(again), expect);
    await again.close();
  });
});

test('overlay: an unflushed write is not in the on-disk table; a flushed one is', async () => {
  await withFiles(async (f) => {
    const disk = await openOverlay(f);
    const a = pattern(4096, 10);
    await disk.write(0, a);
    // A second opener sees the file as a crash right now would leave it: the old table.
    const crashed = await openOverlay(f);
    assert.deepEqual(await readAll(crashed), f.baseBytes);
    await crashed.close();
    await disk.flush();
    const after = await openOverlay(f);
    const buf = new Uint8Array(4096);
    await after.read(0, buf);
    assert.deepEqual(buf, a);
    await after.close();
    await disk.close();
  });
});

test('overlay: many concurrent writes to one cluster allocate it once', async () => {
  await withFiles(async (f) => {
    const disk = await openOverlay(f);
    const expect = f.baseBytes.slice();
    await Promise.all(
      Array.from({ length: 16 }, (_, k) => {
        expect.set(pattern(512, k), CLUSTER + k * 4096);
        return disk.write(CLUSTER + k * 4096, pattern(512, k));
      }),
    );
    assert.equal(disk.allocatedClusters, 1);
    assert.deepEqual(await readAll(disk), expect);
    await disk.close();
  });
});

test('overlay: snapshot mode keeps changes in a deleted temporary file; the base is unchanged', async () => {
  await withFiles(async (f) => {
    const before = await sha256(f.base);
    const snap = await OverlayBackend.openSnapshot(await RawFileBackend.open(f.base, { readOnly: true }));
    await assert.rejects(access(dirname(snap.path)), /ENOENT/, 'the temporary overlay is already unlinked');
    const a = pattern(CLUSTER, 11);
    await snap.write(0, a);
    await snap.flush();
    const buf = new Uint8Array(CLUSTER);
    await snap.read(0, buf);
    assert.deepEqual(buf, a);
    await snap.close();
    assert.equal(await sha256(f.base), before);
    const fresh = await OverlayBackend.openSnapshot(await RawFileBackend.open(f.base, { readOnly: true }));
    assert.deepEqual(await readAll(fresh), f.baseBytes, 'a new snapshot starts from the base');
    await fresh.close();
  });
});

/** Create an overlay, then damage it with `mutate` and expect opening to fail with `message`. */
async function expectRejected(
  mutate: (bytes: Uint8Array) => Uint8Array | void,
  message: RegExp,
): Promise<void> {
  await withFiles(async (f) => {
    const disk = await openOverlay(f);
    await disk.write(CLUSTER, pattern(512, 12));
    await disk.close();
    const bytes = new Uint8Array(await readFile(f.overlay));
    await writeFile(f.overlay, mutate(bytes) ?? bytes);
    await assert.rejects(openOverlay(f), (e: unknown) => {
      assert.ok(e instanceof OverlayError, String(e));
      assert.match(e.message, message);
      assert.ok(e.message.includes(f.overlay), 'the message names the overlay file');
      return true;
    });
  });
}

/** Recompute the header checksum after an edit, so a deeper check is reached. */
function reseal(bytes: Uint8Array): void {
  new DataView(bytes.buffer).setUint32(88, crc32(bytes.subarray(0, 88)), true);
}

test('overlay: a corrupt header is rejected with a clear error', async () => {
  await expectRejected((b) => {
    b[0] ^= 1;
  }, /not a tsvirt overlay/);
  await expectRejected((b) => {
    b[20] ^= 1;
  }, /header field header_crc32 = 0x[0-9a-f]+ does not match/);
  await expectRejected((b) => {
    b[8] = 2;
    reseal(b);
  }, /header field version = 2 is unsupported/);
  await expectRejected((b) => {
    b[24] = 1;
    reseal(b);
  }, /header field cluster_bytes = 65537 is not a power of two/);
  await expectRejected((b) => {
    b[40] += 1;
    reseal(b);
  }, /header field table_entries = 7 is not 6/);
});

test('overlay: a truncated file or a corrupt table entry is rejected', async () => {
  await expectRejected(
    (b) => b.subarray(0, 4100),
    /truncated: the file is 4100 bytes, but data_offset is 65536 \(the table is incomplete\)/,
  );
  await expectRejected((b) => b.subarray(0, CLUSTER), /table entry 1 = 0x10000: offset 65536 .*past the end/);
  await expectRejected((b) => b.subarray(0, 2 * CLUSTER - 1), /table entry 1 = .*past the end of the file/);
  await withFiles(async (f) => {
    await writeFile(f.overlay, new Uint8Array(100));
    await assert.rejects(openOverlay(f), /too short to be an overlay: 100 bytes/);
  });
  // Table entry of cluster 1 (at 4096 + 8): reserved bits, then an offset beyond the file.
  await expectRejected((b) => {
    b[4096 + 8] |= 2;
  }, /table entry 1 = 0x10002: reserved bits/);
  await expectRejected((b) => {
    b[4096 + 8 + 3] = 0x7f;
  }, /table entry 1 = 0x7f010000: .*past the end of the file/);
  await expectRejected((b) => {
    b.set(b.subarray(4096 + 8, 4096 + 16), 4096);
  }, /table entries 0 and 1 both point at offset 65536/);
});

test('overlay: an overlay made for another base is refused (size, then fingerprint)', async () => {
  await withFiles(async (f) => {
    const disk = await openOverlay(f);
    await disk.close();
    await writeFile(f.base, pattern(BASE_BYTES + 512, 1));
    await assert.rejects(
      openOverlay(f),
      /made for a base of 329216 bytes \(header field base_size\), but the base is 329728 bytes/,
    );
    const other = pattern(BASE_BYTES, 1);
    other[BASE_BYTES - 1] ^= 0xff;
    await writeFile(f.base, other);
    await assert.rejects(openOverlay(f), /different base image \(header field base_fingerprint/);
    await writeFile(f.base, f.baseBytes);
    const ok = await openOverlay(f);
    await ok.close();
  });
});

test('overlay: a new overlay with an invalid cluster size is refused and not created', async () => {
  await withFiles(async (f) => {
    const base = await RawFileBackend.open(f.base, { readOnly: true });
    await assert.rejects(OverlayBackend.open(base, f.overlay, { clusterBytes: 3000 }), /cluster size 3000/);
    await assert.rejects(access(f.overlay), /ENOENT/);
  });
});

test('overlay: 4 KiB clusters work as well', async () => {
  await withFiles(async (f) => {
    const base = await RawFileBackend.open(f.base, { readOnly: true });
    const disk = await OverlayBackend.open(base, f.overlay, { clusterBytes: 4096 });
    assert.equal(disk.discardGranularityBytes, 4096);
    const expect = f.baseBytes.slice();
    const a = pattern(10000 - (10000 % 512), 13);
    await disk.write(3584, a);
    expect.set(a, 3584);
    await disk.writeZeroes(8192, 8192);
    expect.fill(0, 8192, 16384);
    await disk.close();
    const again = await openOverlay(f);
    assert.deepEqual(await readAll(again), expect);
    await again.close();
  });
});
