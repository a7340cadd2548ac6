// qcow2 against QEMU's own tools (qemu-img and qemu-io from Debian's qemu-utils): images they make
// read back as they wrote them, and what tsvirt writes passes `qemu-img check` and reads back
// through `qemu-img convert`; for each cluster size, refcount width and version QEMU offers,
// backing chains, compressed clusters, and the copy-on-write overlay made as a qcow2 image.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { prng } from '../../core/prng.js';
import type { BlockBackend } from './backend.js';
import { openDisk, openImage } from './open.js';
import { Qcow2Backend } from './qcow2.js';
import { Qcow2Error } from './qcow2-format.js';
import { parseDiskSpec } from './spec.js';

const MiB = 1024 * 1024;
const haveQemuImg = spawnSync('qemu-img', ['--version'], { stdio: 'ignore' }).error === undefined;
const needsQemu = {
  skip: haveQemuImg ? false : 'qemu-img is not installed (tools/setup.sh installs qemu-utils)',
};

function sh(cmd: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, out: r.stdout + r.stderr };
}
function ok(cmd: string, args: string[]): string {
  const r = sh(cmd, args);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.out}`);
  return r.out;
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tsvirt-qcow2-test-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `qemu-img check` passes: exit status 0 means no corruption and no leaked clusters. */
function checkClean(image: string): void {
  const r = sh('qemu-img', ['check', image]);
  assert.equal(r.status, 0, `qemu-img check ${image}:\n${r.out}`);
  assert.match(r.out, /No errors were found on the image/);
}

/** The disk's contents as QEMU reads them. */
async function qemuContents(image: string, dir: string): Promise<Uint8Array> {
  const raw = join(dir, 'contents.raw');
  ok('qemu-img', ['convert', '-O', 'raw', image, raw]);
  const bytes = new Uint8Array(await readFile(raw));
  await rm(raw);
  return bytes;
}

async function readAll(d: BlockBackend): Promise<Uint8Array> {
  const out = new Uint8Array(d.sizeBytes);
  for (let at = 0; at < d.sizeBytes; at += MiB)
    await d.read(at, out.subarray(at, Math.min(at + MiB, d.sizeBytes)));
  return out;
}

/** The first byte that differs, for a readable failure. */
function sameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const k = actual.findIndex((b, i) => b !== expected[i]);
  assert.equal(k, -1, `${what}: byte ${k} is ${actual[k]}, expected ${expected[k]}`);
}

/**
 * Random writes, zeroings and discards of `disk` mirrored in `model`, each up to 3 clusters and
 * unaligned, with flushes among them.
 */
async function scribble(
  disk: BlockBackend,
  model: Uint8Array,
  seed: number,
  ops: number,
  clusterBytes: number,
): Promise<void> {
  const r = prng(seed);
  for (let k = 0; k < ops; k++) {
    const len = 1 + Math.floor(r() * 3 * clusterBytes);
    const at = Math.floor(r() * (disk.sizeBytes - len));
    const kind = r();
    if (kind < 0.7) {
      const data = Uint8Array.from({ length: len }, () => Math.floor(r() * 256));
      await disk.write(at, data);
      model.set(data, at);
    } else if (kind < 0.85) {
      await disk.writeZeroes(at, len);
      model.fill(0, at, at + len);
    } else if (kind < 0.95) {
      await disk.discard(at, len);
      model.fill(0, at, at + len);
    } else {
      await disk.flush();
    }
  }
}

/** A pattern qemu-io writes, and the same bytes in `model`. */
function qemuWrite(image: string, model: Uint8Array, writes: [number, number, number][]): void {
  ok('qemu-io', [
    '-f',
    'qcow2',
    ...writes.flatMap(([p, at, len]) => ['-c', `write -P ${p} ${at} ${len}`]),
    image,
  ]);
  for (const [p, at, len] of writes) model.fill(p, at, at + len);
}

for (const [name, opts] of [
  ['v3, 64 KiB clusters (qemu-img defaults)', []],
  ['v2 (compat=0.10)', ['-o', 'compat=0.10']],
  ['512-byte clusters', ['-o', 'cluster_size=512']],
  ['2 MiB clusters', ['-o', 'cluster_size=2M']],
  ['1-bit refcounts', ['-o', 'refcount_bits=1']],
  ['64-bit refcounts, 4 KiB clusters', ['-o', 'refcount_bits=64,cluster_size=4096']],
] as const) {
  test(
    `qcow2 ${name}: QEMU's writes read back; tsvirt's pass qemu-img check and read back in QEMU`,
    needsQemu,
    async () => {
      await withDir(async (dir) => {
        const image = join(dir, 'disk.qcow2');
        const size = 24 * MiB;
        ok('qemu-img', ['create', '-f', 'qcow2', ...opts, image, String(size)]);
        const model = new Uint8Array(size);
        qemuWrite(image, model, [
          [0xab, 0, MiB],
          [0xcd, 10 * MiB + 4096, 200 * 1024],
          [0x5a, size - 512, 512],
        ]);
        const disk = await openImage(image, { readOnly: false });
        assert.ok(disk instanceof Qcow2Backend);
        assert.equal(disk.sizeBytes, size);
        sameBytes(await readAll(disk), model, 'tsvirt reading what qemu-io wrote');
        const cluster = disk.header.clusterBytes;
        await scribble(disk, model, 7, 300, Math.min(cluster, 64 * 1024));
        sameBytes(await readAll(disk), model, 'tsvirt reading its own writes');
        await disk.close();
        checkClean(image);
        sameBytes(await qemuContents(image, dir), model, 'qemu-img convert of what tsvirt wrote');
        // And once more after reopening: the tables on disk say what the ones in memory said.
        const again = await openImage(image, { readOnly: true });
        sameBytes(await readAll(again), model, 'tsvirt after reopening');
        await again.close();
      });
    },
  );
}

test(
  'qcow2 with 512-byte clusters: the refcount table fills, moves to a larger one, and qemu-img agrees',
  needsQemu,
  async () => {
    await withDir(async (dir) => {
      const image = join(dir, 'small.qcow2');
      ok('qemu-img', ['create', '-f', 'qcow2', '-o', 'cluster_size=512', image, '24M']);
      // One 512-byte cluster of refcount table covers 64 blocks of 256 clusters: 8 MiB of file.
      const tableAt = async (): Promise<[bigint, number]> => {
        const h = new DataView((await readFile(image)).buffer);
        return [h.getBigUint64(48), h.getUint32(56)];
      };
      const [before, clustersBefore] = await tableAt();
      const disk = await openImage(image, { readOnly: false });
      const model = new Uint8Array(24 * MiB);
      for (let k = 0; k < 24; k++) {
        await disk.write(k * MiB, new Uint8Array(MiB).fill(k + 1));
        model.fill(k + 1, k * MiB, (k + 1) * MiB);
        if (k % 5 === 0) await disk.flush();
      }
      await disk.close();
      const [after, clustersAfter] = await tableAt();
      assert.notEqual(after, before, 'the refcount table moved');
      assert.ok(clustersAfter > clustersBefore, `${clustersAfter} table clusters`);
      checkClean(image);
      sameBytes(await qemuContents(image, dir), model, 'after the refcount table grew');
    });
  },
);

test(
  'qcow2 backing chain: raw <- qcow2 <- qcow2, a shorter backing file reads as zeros past its end',
  needsQemu,
  async () => {
    await withDir(async (dir) => {
      const base = join(dir, 'base.raw');
      const baseBytes = Uint8Array.from({ length: 4 * MiB }, (_, i) => (i * 7 + (i >> 12)) & 0xff);
      await writeFile(base, baseBytes);
      const mid = join(dir, 'mid.qcow2');
      const top = join(dir, 'top.qcow2');
      // Relative backing names, resolved against the image's own directory.
      ok('qemu-img', ['create', '-f', 'qcow2', '-b', 'base.raw', '-F', 'raw', mid, String(4 * MiB)]);
      ok('qemu-img', ['create', '-f', 'qcow2', '-b', 'mid.qcow2', '-F', 'qcow2', top, String(6 * MiB)]);
      const model = new Uint8Array(6 * MiB);
      model.set(baseBytes);
      qemuWrite(mid, model, [[0x11, MiB, 100 * 1024]]);
      qemuWrite(top, model, [
        [0x22, MiB + 50 * 1024, 100 * 1024],
        [0x33, 5 * MiB, 4096],
      ]);
      const disk = await openImage(top, { readOnly: false });
      sameBytes(await readAll(disk), model, 'the chain as tsvirt reads it');
      await scribble(disk, model, 11, 100, 64 * 1024);
      await disk.close();
      checkClean(top);
      sameBytes(await qemuContents(top, dir), model, 'the chain as QEMU reads it after tsvirt wrote');
      sameBytes(new Uint8Array(await readFile(base)), baseBytes, 'the base is unchanged');
      // A chain that loops is refused, not followed for ever.
      const a = join(dir, 'a.qcow2');
      const b = join(dir, 'b.qcow2');
      ok('qemu-img', ['create', '-f', 'qcow2', '-u', '-b', 'b.qcow2', '-F', 'qcow2', a, '1M']);
      ok('qemu-img', ['create', '-f', 'qcow2', '-u', '-b', 'a.qcow2', '-F', 'qcow2', b, '1M']);
      await assert.rejects(openImage(a, { readOnly: true }), /backing chain deeper than 16 files/);
    });
  },
);

test(
  'qcow2 compressed clusters (qemu-img convert -c) read back; writing over them copies',
  needsQemu,
  async () => {
    await withDir(async (dir) => {
      const raw = join(dir, 'src.raw');
      const bytes = Uint8Array.from({ length: 2 * MiB }, (_, i) => ((i >> 8) % 7) * 31);
      await writeFile(raw, bytes);
      const image = join(dir, 'c.qcow2');
      ok('qemu-img', ['convert', '-c', '-O', 'qcow2', raw, image]);
      assert.match(ok('qemu-img', ['check', image]), /compressed clusters/);
      const disk = await openImage(image, { readOnly: false });
      sameBytes(await readAll(disk), bytes, 'compressed clusters');
      const model = bytes.slice();
      await scribble(disk, model, 3, 50, 64 * 1024);
      await disk.close();
      // Overwritten compressed clusters are left behind with their refcount (not reused).
      const r = sh('qemu-img', ['check', image]);
      assert.ok(r.status === 0, r.out);
      sameBytes(await qemuContents(image, dir), model, 'after writing over compressed clusters');
    });
  },
);

test('images in formats tsvirt does not read are refused by name, never used as raw', needsQemu, async () => {
  await withDir(async (dir) => {
    for (const [format, name] of [
      ['vmdk', 'vmdk'],
      ['vhdx', 'vhdx'],
      ['vdi', 'vdi'],
      ['vpc', 'vpc'],
      ['qed', 'qed'],
      ['qcow', 'qcow version 1'],
    ] as const) {
      const image = join(dir, `disk.${format}`);
      ok('qemu-img', ['create', '-f', format, image, '16M']);
      await assert.rejects(openDisk(parseDiskSpec(`file=${image}`)), (e: unknown) => {
        assert.match((e as Error).message, new RegExp(`^--disk file=${image}: .*is a ${name}`));
        assert.match((e as Error).message, /qemu-img convert -O qcow2/);
        return true;
      });
    }
    const raw = join(dir, 'plain.raw');
    await writeFile(raw, new Uint8Array(MiB));
    await assert.rejects(
      openDisk(parseDiskSpec(`file=${raw},format=qcow2`)),
      /format=qcow2 was given, but the file is not a qcow2 image/,
    );
    // format=raw is taken at its word, as QEMU does: the qcow2 file's bytes are the disk.
    const q = join(dir, 'q.qcow2');
    ok('qemu-img', ['create', '-f', 'qcow2', q, '16M']);
    const asRaw = await openDisk(parseDiskSpec(`file=${q},format=raw,readonly`));
    assert.equal(asRaw.sizeBytes, Math.floor((await stat(q)).size / 512) * 512);
    await asRaw.close();
  });
});

test(
  'overlay=: a qcow2 image backed by the base, that qemu-img checks and reads; other bases refused',
  needsQemu,
  async () => {
    await withDir(async (dir) => {
      const base = join(dir, 'base.img');
      const baseBytes = Uint8Array.from({ length: 8 * MiB }, (_, i) => (i >> 9) & 0xff);
      await writeFile(base, baseBytes);
      const overlay = join(dir, 'changes.qcow2');
      const spec = parseDiskSpec(`file=${base},overlay=${overlay}`);
      const model = baseBytes.slice();
      const first = await openDisk(spec);
      await scribble(first, model, 5, 100, 64 * 1024);
      await first.close();
      const info = JSON.parse(ok('qemu-img', ['info', '--output=json', overlay])) as Record<string, unknown>;
      assert.equal(info.format, 'qcow2');
      assert.equal(info['backing-filename'], base);
      assert.equal(info['backing-filename-format'], 'raw');
      checkClean(overlay);
      sameBytes(await qemuContents(overlay, dir), model, 'the overlay as QEMU reads it');
      sameBytes(new Uint8Array(await readFile(base)), baseBytes, 'the base is unchanged');
      const second = await openDisk(spec);
      sameBytes(await readAll(second), model, 'the overlay reopened');
      await second.close();
      const other = join(dir, 'other.img');
      await writeFile(other, baseBytes);
      await assert.rejects(
        openDisk(parseDiskSpec(`file=${other},overlay=${overlay}`)),
        /--disk overlay=.*its backing file is '.*base\.img', not the base '.*other\.img'/,
      );
    });
  },
);

test('a qcow2 overlay over a qcow2 base', needsQemu, async () => {
  await withDir(async (dir) => {
    const base = join(dir, 'base.qcow2');
    ok('qemu-img', ['create', '-f', 'qcow2', base, '4M']);
    const model = new Uint8Array(4 * MiB);
    qemuWrite(base, model, [[0x77, 0, 8192]]);
    const overlay = join(dir, 'o.qcow2');
    const d = await openDisk(parseDiskSpec(`file=${base},overlay=${overlay}`));
    sameBytes(await readAll(d), model, 'through the overlay');
    await d.write(4096, new Uint8Array(4096).fill(1));
    model.fill(1, 4096, 8192);
    await d.close();
    checkClean(overlay);
    assert.match(ok('qemu-img', ['info', overlay]), /backing file format: qcow2/);
    sameBytes(await qemuContents(overlay, dir), model, 'QEMU reading the overlay');
  });
});

test(
  'writable opening refuses images marked dirty; with internal snapshots it opens (qcow2-snapshot.test.ts)',
  needsQemu,
  async () => {
    await withDir(async (dir) => {
      const image = join(dir, 's.qcow2');
      ok('qemu-img', ['create', '-f', 'qcow2', image, '4M']);
      ok('qemu-img', ['snapshot', '-c', 'snap1', image]);
      await (await openImage(image, { readOnly: false })).close();
      const bytes = await readFile(image);
      bytes[79] |= 1; // incompatible_features bit 0: dirty
      await writeFile(image, bytes);
      await assert.rejects(openImage(image, { readOnly: false }), (e: unknown) => {
        assert.ok(e instanceof Qcow2Error);
        assert.match(e.message, /marked dirty.*add ',readonly' or ',snapshot'/);
        return true;
      });
      await (await openImage(image, { readOnly: true })).close();
    });
  },
);
