// qcow2 internal snapshots against QEMU's tools: what tsvirt creates, applies and deletes is
// listed by `qemu-img snapshot -l`, passes `qemu-img check` (no corruption, no leaks), and
// `qemu-img snapshot -a` gives the disk as it was; QEMU's snapshots work in tsvirt; writes after
// a snapshot copy shared clusters; hostile snapshot tables are refused by name.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { prng } from '../../core/prng.js';
import { openImage } from './open.js';
import { Qcow2Backend } from './qcow2.js';
import { H, Qcow2Error } from './qcow2-format.js';

const MiB = 1024 * 1024;
const haveQemuImg = spawnSync('qemu-img', ['--version'], { stdio: 'ignore' }).error === undefined;
const needsQemu = {
  skip: haveQemuImg ? false : 'qemu-img is not installed (tools/setup.sh installs qemu-utils)',
};

function ok(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout + r.stderr;
}

/** `qemu-img check`: exit status 0 and "No errors" means no corruption and no leaked clusters. */
function checkClean(image: string): void {
  const out = ok('qemu-img', ['check', image]);
  assert.match(out, /No errors were found on the image/);
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tsvirt-qcow2-snap-test-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The active disk's contents as QEMU reads them. */
async function qemuContents(image: string): Promise<Uint8Array> {
  const raw = `${image}.raw`;
  ok('qemu-img', ['convert', '-O', 'raw', image, raw]);
  const bytes = new Uint8Array(await readFile(raw));
  await rm(raw);
  return bytes;
}

/** The contents of snapshot `tag` as QEMU sees them after `qemu-img snapshot -a` on a copy. */
async function qemuSnapshotContents(image: string, tag: string): Promise<Uint8Array> {
  const copy = `${image}.copy`;
  await copyFile(image, copy);
  ok('qemu-img', ['snapshot', '-a', tag, copy]);
  checkClean(copy);
  const bytes = await qemuContents(copy);
  await rm(copy);
  return bytes;
}

async function readAll(d: Qcow2Backend): Promise<Uint8Array> {
  const out = new Uint8Array(d.sizeBytes);
  await d.read(0, out);
  return out;
}

function sameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const k = actual.findIndex((b, i) => b !== expected[i]);
  assert.equal(k, -1, `${what}: byte ${k} is ${actual[k]}, expected ${expected[k]}`);
}

/** Random writes (some unaligned, some whole clusters) mirrored in `model`. */
async function scribble(d: Qcow2Backend, model: Uint8Array, seed: number, ops: number): Promise<void> {
  const r = prng(seed);
  for (let k = 0; k < ops; k++) {
    const len = 1 + Math.floor(r() * 3 * Math.min(d.header.clusterBytes, 65536));
    const at = Math.floor(r() * (d.sizeBytes - len));
    if (r() < 0.85) {
      const data = Uint8Array.from({ length: len }, () => Math.floor(r() * 256));
      await d.write(at, data);
      model.set(data, at);
    } else {
      await d.writeZeroes(at, len);
      model.fill(0, at, at + len);
    }
  }
}

async function openRw(image: string): Promise<Qcow2Backend> {
  const d = await openImage(image, { readOnly: false });
  assert.ok(d instanceof Qcow2Backend);
  return d;
}

for (const [name, opts] of [
  ['64 KiB clusters', []],
  ['512-byte clusters (VM state over many L2 tables)', ['-o', 'cluster_size=512']],
  ['version 2', ['-o', 'compat=0.10']],
] as const) {
  test(
    `qcow2 snapshots, ${name}: create, write on, apply, delete; QEMU agrees at each step`,
    needsQemu,
    async () => {
      await withDir(async (dir) => {
        const image = join(dir, 'disk.qcow2');
        const size = 8 * MiB;
        ok('qemu-img', ['create', '-f', 'qcow2', ...opts, image, String(size)]);
        ok('qemu-io', ['-f', 'qcow2', '-c', `write -P 0x11 0 ${MiB}`, image]);
        const before = new Uint8Array(size).fill(0x11, 0, MiB);
        let d = await openRw(image);
        await scribble(d, before, 1, 60);
        const vm = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7 + 3) & 0xff);
        const snap = await d.createSnapshot('first', {
          vmState: [vm.subarray(0, 1000), vm.subarray(1000)],
          vmClockNs: 1_500_000_000n,
        });
        assert.equal(snap.id, '1');
        assert.equal(snap.vmStateBytes, vm.length);
        // Writes after the snapshot copy shared clusters; the snapshot keeps the old bytes.
        const after = before.slice();
        await scribble(d, after, 2, 80);
        sameBytes(await readAll(d), after, 'tsvirt after writing on');
        await d.close();
        checkClean(image);
        const list = ok('qemu-img', ['snapshot', '-l', image]);
        assert.match(list, /\n1\s+first\s+293 KiB .* 00:00:01\.500/);
        sameBytes(await qemuContents(image), after, 'QEMU reading the active disk');
        sameBytes(await qemuSnapshotContents(image, 'first'), before, 'QEMU after snapshot -a first');

        // Reopened: the table is read back; the VM state is the blob; apply reverts the disk.
        d = await openRw(image);
        assert.deepEqual(
          d.snapshots().map((s) => [s.id, s.name, s.vmStateBytes, s.diskSizeBytes]),
          [['1', 'first', vm.length, size]],
        );
        sameBytes(await d.readVmState('first', 1 << 20), vm, 'the VM state read back');
        await assert.rejects(d.readVmState('first', 1000), /larger than/);
        await assert.rejects(d.createSnapshot('first'), /a snapshot named 'first' exists already/);
        await d.createSnapshot('second');
        await d.applySnapshot('first');
        sameBytes(await readAll(d), before, 'tsvirt after applying first');
        const again = before.slice();
        await scribble(d, again, 3, 40);
        await d.close();
        checkClean(image);
        sameBytes(await qemuContents(image), again, 'QEMU after tsvirt applied and wrote');
        sameBytes(await qemuSnapshotContents(image, 'second'), after, 'QEMU after snapshot -a second');
        sameBytes(await qemuSnapshotContents(image, 'first'), before, 'first is intact');

        // Delete both (by ID and by name): no snapshot left, no leak, the disk intact.
        d = await openRw(image);
        await d.deleteSnapshot('1');
        await d.deleteSnapshot('second');
        await assert.rejects(d.applySnapshot('first'), /has no snapshot 'first'/);
        assert.equal(d.snapshots().length, 0);
        const last = again.slice();
        await scribble(d, last, 4, 30);
        await d.close();
        checkClean(image);
        assert.doesNotMatch(ok('qemu-img', ['snapshot', '-l', image]), /first|second/);
        sameBytes(await qemuContents(image), last, 'QEMU after the deletes');
      });
    },
  );
}

test("QEMU's own snapshot: tsvirt writes on (copy on write), applies it, deletes it", needsQemu, async () => {
  await withDir(async (dir) => {
    const image = join(dir, 'q.qcow2');
    ok('qemu-img', ['create', '-f', 'qcow2', image, '4M']);
    ok('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x22 0 1M', '-c', 'write -P 0x33 2M 64k', image]);
    ok('qemu-img', ['snapshot', '-c', 'qsnap', image]);
    const old = await qemuContents(image);
    const d = await openRw(image);
    const model = old.slice();
    await scribble(d, model, 9, 50);
    await d.flush();
    checkClean(image);
    sameBytes(await qemuSnapshotContents(image, 'qsnap'), old, "QEMU's snapshot after tsvirt's writes");
    await d.applySnapshot('qsnap');
    sameBytes(await readAll(d), old, 'tsvirt after applying qsnap');
    await d.deleteSnapshot('qsnap');
    await d.close();
    checkClean(image);
    sameBytes(await qemuContents(image), old, 'QEMU after tsvirt applied and deleted');
  });
});

/** Overwrite bytes of `image` at `at`. */
async function patch(image: string, at: number, bytes: Uint8Array): Promise<void> {
  const f = await open(image, 'r+');
  try {
    await f.write(bytes, 0, bytes.length, at);
  } finally {
    await f.close();
  }
}

const be32 = (v: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v);
  return b;
};
const be64 = (v: bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v);
  return b;
};

test(
  'hostile snapshot tables are refused with an error naming the file, read-only too',
  needsQemu,
  async () => {
    await withDir(async (dir) => {
      const good = join(dir, 'good.qcow2');
      ok('qemu-img', ['create', '-f', 'qcow2', good, '4M']);
      ok('qemu-img', ['snapshot', '-c', 's1', good]);
      const head = new DataView((await readFile(good)).buffer);
      const table = Number(head.getBigUint64(H.snapshotsOffset));
      const l1 = Number(head.getBigUint64(H.l1TableOffset));
      const cases: [string, number, Uint8Array, RegExp][] = [
        [
          'nb_snapshots too large',
          H.nbSnapshots,
          be32(0x7fff_ffff),
          /nb_snapshots = 2147483647 is above 65536/,
        ],
        [
          'table past EOF',
          H.snapshotsOffset,
          be64(1n << 40n),
          /snapshots_offset = 1099511627776 is past the end/,
        ],
        ['table on the header', H.snapshotsOffset, be64(0n), /snapshots_offset = 0 is not a cluster-aligned/],
        ['table on the active L1', H.snapshotsOffset, be64(BigInt(l1)), /overlaps the active L1 table/],
        ['many entries past EOF', H.nbSnapshots, be32(60000), /runs past the end of the file/],
        ['L1 table past EOF', table, be64(1n << 40n), /entry 0: its L1 table .* runs past the end/],
        [
          'L1 table misaligned',
          table,
          be64(BigInt(l1) + 8n),
          /entry 0: l1_table_offset = \d+ is not a cluster-aligned/,
        ],
        [
          'L1 on the refcount table',
          table,
          be64(65536n),
          /entry 0: its L1 table overlaps the refcount table/,
        ],
        ['l1_size huge', table + 8, be32(0xffff_ffff), /entry 0: l1_size = 4294967295 is above/],
        [
          'extra data huge',
          table + 36,
          be32(0x1000_0000),
          /entry 0: extra_data_size = 268435456 is above 1024/,
        ],
        [
          'name not UTF-8',
          table + 40 + 24 + 1,
          Uint8Array.of(0xff),
          /entry 0: the ID or name is not valid UTF-8/,
        ],
        [
          'VM state size absurd',
          table + 40,
          be64(1n << 62n),
          /entry 0: vm_state_size = \d+ is implausibly large/,
        ],
      ];
      for (const [what, at, bytes, re] of cases) {
        const bad = join(dir, 'bad.qcow2');
        await copyFile(good, bad);
        await patch(bad, at, bytes);
        for (const readOnly of [true, false]) {
          await assert.rejects(openImage(bad, { readOnly }), (e: unknown) => {
            assert.ok(e instanceof Qcow2Error, `${what}: ${String(e)}`);
            assert.ok(e.message.startsWith(`qcow2 image '${bad}': `), `${what}: ${e.message}`);
            assert.match(e.message, re, what);
            return true;
          });
        }
      }
      // A snapshot L1 entry pointing past the file fails when the snapshot is used, by name.
      const bad = join(dir, 'bad.qcow2');
      await copyFile(good, bad);
      ok('qemu-io', ['-f', 'qcow2', '-c', 'write -P 1 0 64k', bad]);
      const snapL1 = Number(new DataView((await readFile(bad)).buffer).getBigUint64(table));
      await patch(bad, snapL1, be64(1n << 40n));
      const d = await openRw(bad);
      await assert.rejects(d.applySnapshot('s1'), /snapshot 's1' L1 entry 0 = .*past the end of the file/);
      await assert.rejects(d.deleteSnapshot('s1'), /snapshot 's1' L1 entry 0/);
      await d.close();
    });
  },
);
