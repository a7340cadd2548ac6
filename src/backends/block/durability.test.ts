// What a completed flush promises (virtio 1.2 section 5.2.6.2: a write completed before a
// completed FLUSH is stable), checked on the system calls the file backends make: fdatasync
// after data, overlay data durable before the table entry that points at it, a failed fdatasync
// never followed by a successful flush, and a new overlay never visible half-made.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { FlushFailedError, type BlockBackend } from './backend.js';
import { openHostFile, type HostFile, type OpenHostFile } from './host-file.js';
import { OverlayBackend } from './overlay.js';
import { MAX_TABLE_ENTRIES, OverlayError } from './overlay-format.js';
import { RawFileBackend } from './raw.js';

const CLUSTER = 64 * 1024;
const BASE_BYTES = 8 * CLUSTER;

/** One system call on a file: a write of [offset, offset + lenBytes), or an fdatasync. */
type FileEvent =
  { op: 'write'; path: string; offset: number; lenBytes: number } | { op: 'datasync'; path: string };

/**
 * Opens real files, logs every write and fdatasync, and makes the fdatasync calls numbered in
 * `failDatasync` (1 = the first one made on any file opened this way) fail with EIO.
 */
function recordingOpen(log: FileEvent[], failDatasync = new Set<number>()): OpenHostFile {
  let syncs = 0;
  return async (path, flags) => {
    const f = await openHostFile(path, flags);
    const wrapped: HostFile = {
      read: (b, o, l, p) => f.read(b, o, l, p),
      write: (d, o, l, p) => {
        log.push({ op: 'write', path, offset: p, lenBytes: l });
        return f.write(d, o, l, p);
      },
      datasync: async () => {
        log.push({ op: 'datasync', path });
        if (failDatasync.has(++syncs))
          throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
        await f.datasync();
      },
      stat: () => f.stat(),
      truncate: (n) => f.truncate(n),
      close: () => f.close(),
    };
    return wrapped;
  };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tsvirt-durability-test-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const bytes = (len: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: len }, (_, i) => (i * 5 + seed) & 0xff);

async function makeBase(dir: string): Promise<string> {
  const base = join(dir, 'base.img');
  await writeFile(base, bytes(BASE_BYTES, 1));
  return base;
}

async function openOverlay(base: string, path: string, openFile?: OpenHostFile): Promise<OverlayBackend> {
  return OverlayBackend.open(await RawFileBackend.open(base, { readOnly: true }), path, { openFile });
}

async function read(disk: BlockBackend, offset: number, len: number): Promise<Uint8Array> {
  const out = new Uint8Array(len);
  await disk.read(offset, out);
  return out;
}

test('raw: flush is an fdatasync after the writes it covers', async () => {
  await withDir(async (dir) => {
    const path = await makeBase(dir);
    const log: FileEvent[] = [];
    const disk = await RawFileBackend.open(path, { readOnly: false, openFile: recordingOpen(log) });
    await disk.write(512, bytes(4096, 2));
    await disk.flush();
    assert.deepEqual(
      log.map((e) => e.op),
      ['write', 'datasync'],
    );
    await disk.close();
  });
});

test('raw: after a failed fdatasync, no later flush succeeds', async () => {
  await withDir(async (dir) => {
    const path = await makeBase(dir);
    const log: FileEvent[] = [];
    const disk = await RawFileBackend.open(path, {
      readOnly: false,
      openFile: recordingOpen(log, new Set([1])),
    });
    await disk.write(0, bytes(4096, 3));
    await assert.rejects(disk.flush(), /EIO/);
    // The kernel may have dropped the pages that failed and cleared the error: a second
    // fdatasync would succeed, and the write it should cover would be reported durable.
    await assert.rejects(disk.flush(), (e: unknown) => {
      assert.ok(e instanceof FlushFailedError, String(e));
      assert.match(e.message, /an earlier flush failed \(EIO: i\/o error, fdatasync\)/);
      return true;
    });
    await assert.rejects(disk.close(), FlushFailedError);
  });
});

test('overlay: flush makes the data durable before writing the table entries that point at it', async () => {
  await withDir(async (dir) => {
    const base = await makeBase(dir);
    const path = join(dir, 'o.ovl');
    const log: FileEvent[] = [];
    const disk = await openOverlay(base, path, recordingOpen(log));
    const dataOffset = CLUSTER; // 8 entries: the table ends long before the first cluster.
    log.length = 0;
    await disk.write(3 * CLUSTER + 512, bytes(1024, 4)); // copy-on-write: a new cluster
    await disk.write(6 * CLUSTER, bytes(CLUSTER, 5)); // a whole new cluster
    await disk.flush();
    const kinds = log.map((e) =>
      e.op === 'datasync' ? 'sync' : e.offset >= dataOffset ? 'data' : e.offset >= 4096 ? 'table' : 'header',
    );
    assert.deepEqual(kinds, ['data', 'data', 'sync', 'table', 'sync']);
    // A second flush with nothing new still syncs (in-place overwrites) but rewrites no table.
    log.length = 0;
    await disk.write(3 * CLUSTER, bytes(512, 6));
    await disk.flush();
    assert.deepEqual(
      log.map((e) => e.op),
      ['write', 'datasync'],
    );
    await disk.close();
  });
});

test('overlay: after a failed fdatasync no later flush succeeds, and the table never points at lost data', async () => {
  // Fail the data fdatasync (1st) or the table fdatasync (2nd) of the first flush.
  for (const failing of [1, 2]) {
    await withDir(async (dir) => {
      const base = await makeBase(dir);
      const path = join(dir, 'o.ovl');
      await (await openOverlay(base, path)).close();
      const log: FileEvent[] = [];
      const disk = await openOverlay(base, path, recordingOpen(log, new Set([failing])));
      await disk.write(2 * CLUSTER, bytes(CLUSTER, 7));
      await assert.rejects(disk.flush(), /EIO/);
      const tableWrites = (): number =>
        log.filter((e) => e.op === 'write' && e.offset >= 4096 && e.offset < CLUSTER).length;
      const before = tableWrites();
      await assert.rejects(disk.flush(), FlushFailedError);
      await disk.write(4 * CLUSTER, bytes(512, 8));
      await assert.rejects(disk.flush(), FlushFailedError);
      assert.equal(tableWrites(), before, `no table write after the failure (failing sync ${failing})`);
      await assert.rejects(disk.close(), FlushFailedError);
      if (failing === 1) {
        // The data never reached a good fdatasync, so the table on disk must not point at it.
        const again = await openOverlay(base, path);
        assert.deepEqual(
          await read(again, 2 * CLUSTER, 16),
          bytes(BASE_BYTES, 1).subarray(2 * CLUSTER, 2 * CLUSTER + 16),
        );
        await again.close();
      }
    });
  }
});

test('overlay: a new overlay gets its name only once its header is written and durable', async () => {
  await withDir(async (dir) => {
    const base = await makeBase(dir);
    const path = join(dir, 'new.ovl');
    const log: FileEvent[] = [];
    const existedAt: string[] = [];
    const inner = recordingOpen(log);
    const watching: OpenHostFile = async (p, flags) => {
      const f = await inner(p, flags);
      return {
        ...f,
        read: (b, o, l, q) => f.read(b, o, l, q),
        write: (d, o, l, q) => {
          if (existsSync(path)) existedAt.push(`write at ${q}`);
          return f.write(d, o, l, q);
        },
        datasync: () => {
          if (existsSync(path)) existedAt.push('datasync');
          return f.datasync();
        },
      };
    };
    const disk = await openOverlay(base, path, watching);
    // A kill -9 at any moment before this point leaves no file named new.ovl (the next run
    // creates it afresh) rather than an empty or partial one that every later run refuses.
    assert.deepEqual(existedAt, [], 'the name appeared before the file was complete');
    assert.deepEqual(
      log.map((e) => e.op),
      ['write', 'datasync'],
    );
    assert.ok(existsSync(path));
    assert.deepEqual((await readdir(dir)).sort(), ['base.img', basename(path)], 'no temporary file left');
    await disk.write(0, bytes(512, 9));
    await disk.close();
    const again = await openOverlay(base, path);
    assert.deepEqual(await read(again, 0, 512), bytes(512, 9));
    await again.close();
  });
});

test('overlay: a base needing more than MAX_TABLE_ENTRIES table entries is refused at creation', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'big.ovl');
    let closed = false;
    // A sparse 128 GiB base, never read but for its fingerprint.
    const huge: BlockBackend = {
      sizeBytes: (MAX_TABLE_ENTRIES + 1) * 4096,
      readOnly: true,
      discardGranularityBytes: 4096,
      read: async (_o, b) => void b.fill(0),
      write: async () => {},
      flush: async () => {},
      discard: async () => {},
      writeZeroes: async () => {},
      close: async () => void (closed = true),
    };
    await assert.rejects(OverlayBackend.open(huge, path, { clusterBytes: 4096 }), (e: unknown) => {
      assert.ok(e instanceof OverlayError, String(e));
      assert.match(e.message, /needs 33554433 table entries of 4096 bytes; the most is 33554432/);
      return true;
    });
    assert.ok(closed, 'the base is closed on failure');
    assert.equal(existsSync(path), false);
  });
});
