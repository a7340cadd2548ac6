// What a completed flush of a qcow2 image promises (virtio 1.2 section 5.2.6.2), checked on the
// system calls the backend makes and on a process killed with SIGKILL: new clusters are written
// before any metadata, refcounts are durable before the L2/L1 entries that use them, a failed
// fdatasync fails every later flush, and after kill -9 every flushed write reads back and
// `qemu-img check` finds no corruption (leaked clusters at most).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FlushFailedError } from './backend.js';
import { openHostFile, type HostFile, type OpenHostFile } from './host-file.js';
import { createQcow2 } from './open.js';
import { Qcow2Backend } from './qcow2.js';

const CLUSTER = 64 * 1024;
const DISK = 16 * 1024 * 1024;
/** Where the image's metadata lives in a new image (qcow2-format.ts newImage): clusters 0..3. */
const METADATA_END = 4 * CLUSTER;

type Event = { op: 'write'; offset: number; lenBytes: number } | { op: 'datasync' };

function recording(log: Event[], failDatasync = new Set<number>()): OpenHostFile {
  let syncs = 0;
  return async (path, flags) => {
    const f = await openHostFile(path, flags);
    const wrapped: HostFile = {
      read: (b, o, l, p) => f.read(b, o, l, p),
      write: (d, o, l, p) => {
        log.push({ op: 'write', offset: p, lenBytes: l });
        return f.write(d, o, l, p);
      },
      datasync: async () => {
        log.push({ op: 'datasync' });
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

async function withImage(fn: (path: string, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tsvirt-qcow2-durability-'));
  try {
    const path = join(dir, 'disk.qcow2');
    await createQcow2(path, { sizeBytes: DISK });
    await fn(path, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('qcow2 flush: new data, then refcounts, then L2 and L1, each made durable before the next', async () => {
  await withImage(async (path) => {
    const log: Event[] = [];
    const img = await Qcow2Backend.open(path, { readOnly: false, openFile: recording(log) });
    await img.write(5 * CLUSTER + 100, new Uint8Array(3000).fill(9));
    await img.write(9 * 1024 * 1024, new Uint8Array(CLUSTER).fill(8));
    // Before the flush only data clusters (appended past the metadata) were written.
    assert.ok(log.length > 0);
    for (const e of log) assert.ok(e.op === 'write' && e.offset >= METADATA_END, JSON.stringify(e));
    const before = log.length;
    await img.flush();
    const flush = log.slice(before);
    const syncs = flush.map((e, k) => (e.op === 'datasync' ? k : -1)).filter((k) => k >= 0);
    assert.ok(syncs.length >= 3, JSON.stringify(flush));
    assert.equal(syncs[0], 0, 'the data is made durable first');
    // Between the first and second fdatasync: the refcount block (cluster 2) only.
    const refcounts = flush.slice(syncs[0] + 1, syncs[1]);
    assert.ok(refcounts.length > 0);
    for (const e of refcounts)
      assert.ok(e.op === 'write' && e.offset >= 2 * CLUSTER && e.offset < 3 * CLUSTER, JSON.stringify(e));
    // Then the L2 tables (new clusters) and the L1 table (cluster 3), then an fdatasync.
    const tables = flush.slice(syncs[1] + 1, syncs[2]);
    assert.ok(tables.some((e) => e.op === 'write' && e.offset === 3 * CLUSTER));
    assert.ok(
      tables.every((e) => e.op === 'write' && (e.offset === 3 * CLUSTER || e.offset >= METADATA_END)),
    );
    await img.close();
  });
});

test('qcow2 flush: once an fdatasync failed, every later flush fails', async () => {
  await withImage(async (path) => {
    const log: Event[] = [];
    const img = await Qcow2Backend.open(path, { readOnly: false, openFile: recording(log, new Set([1])) });
    await img.write(0, new Uint8Array(512).fill(1));
    await assert.rejects(img.flush(), /EIO/);
    await img.write(512, new Uint8Array(512).fill(2));
    await assert.rejects(img.flush(), FlushFailedError);
    await assert.rejects(img.flush(), FlushFailedError);
    await assert.rejects(img.close(), FlushFailedError);
  });
});

const haveQemuImg = spawnSync('qemu-img', ['--version'], { stdio: 'ignore' }).error === undefined;

test('qcow2 kill -9 while writing: every flushed write reads back, and qemu-img check finds no corruption', async () => {
  await withImage(async (path, dir) => {
    const qcow2Module = fileURLToPath(new URL('./qcow2.js', import.meta.url));
    const script = join(dir, 'writer.mjs');
    // Round k writes byte k into 8 clusters spread over the disk (new ones in early rounds,
    // overwrites later), then flushes and reports k; then it writes round k + 1 unflushed.
    await writeFile(
      script,
      `import { Qcow2Backend } from ${JSON.stringify(qcow2Module)};
const img = await Qcow2Backend.open(${JSON.stringify(path)}, { readOnly: false });
for (let k = 1; ; k++) {
  for (let c = 0; c < 8; c++) {
    const at = ((k * 8 + c) * 37 % 256) * ${CLUSTER} + (k % 3) * 512;
    await img.write(at, new Uint8Array(${CLUSTER} / 2).fill(k % 256));
  }
  await img.flush();
  process.stdout.write('flushed ' + k + '\\n');
}
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const flushed = await new Promise<number>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = [...out.matchAll(/flushed (\d+)/g)];
        if (m.length >= 1 && Number(m[m.length - 1][1]) >= 40) child.kill('SIGKILL');
      });
      child.on('exit', () => {
        const m = [...out.matchAll(/flushed (\d+)/g)];
        resolve(m.length === 0 ? 0 : Number(m[m.length - 1][1]));
      });
    });
    assert.ok(flushed >= 40, `the writer flushed ${flushed} rounds`);
    // The expected disk: the last flushed round that wrote each range (later unflushed rounds may
    // or may not have reached it, so those ranges are checked only when no later round touched them).
    const expected = new Map<number, number>();
    const touchedLater = new Set<number>();
    for (let k = 1; k <= flushed + 1; k++) {
      for (let c = 0; c < 8; c++) {
        const at = (((k * 8 + c) * 37) % 256) * CLUSTER + (k % 3) * 512;
        if (k <= flushed) expected.set(at, k % 256);
        else touchedLater.add(Math.floor(at / CLUSTER));
      }
    }
    const img = await Qcow2Backend.open(path, { readOnly: true });
    const buf = new Uint8Array(CLUSTER / 2);
    let checked = 0;
    for (const [at, k] of expected) {
      const clusters = [Math.floor(at / CLUSTER), Math.floor((at + buf.length - 1) / CLUSTER)];
      if (clusters.some((c) => touchedLater.has(c))) continue;
      // A later flushed round may have overlapped this range: compare with the last writer per byte.
      await img.read(at, buf);
      for (let b = 0; b < buf.length; b += 512) {
        let want = 0;
        for (let j = 1; j <= flushed; j++) {
          for (let c = 0; c < 8; c++) {
            const a = (((j * 8 + c) * 37) % 256) * CLUSTER + (j % 3) * 512;
            if (at + b >= a && at + b < a + buf.length) want = j % 256;
          }
        }
        assert.equal(buf[b], want, `byte ${at + b} after kill -9 (flushed ${flushed} rounds), round ${k}`);
      }
      checked++;
    }
    assert.ok(checked > 50, `only ${checked} ranges checked`);
    await img.close();
    if (haveQemuImg) {
      const r = spawnSync('qemu-img', ['check', path], { encoding: 'utf8' });
      // 0: clean; 3: leaked clusters only (written after the last flush). 2 would be corruption.
      assert.ok(
        r.status === 0 || r.status === 3,
        `qemu-img check status ${r.status}:\n${r.stdout}${r.stderr}`,
      );
    }
  });
});
