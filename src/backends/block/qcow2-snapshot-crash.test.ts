// Crash consistency of qcow2 snapshot operations: creating, applying and deleting a snapshot is
// cut short at every write and fdatasync it makes, with what was written since the last
// fdatasync either kept or lost (a power cut may do either). After each crash the image must
// read as before or as after the operation (the snapshot there or not, its contents whole), and
// `qemu-img check` may find leaked clusters but no table that points at a cluster with too low a
// refcount, and no cluster shared while an active table claims it alone (bit 63 set).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openHostFile, type HostFile, type OpenHostFile } from './host-file.js';
import { Qcow2Backend } from './qcow2.js';

const MiB = 1024 * 1024;
const haveQemuImg = spawnSync('qemu-img', ['--version'], { stdio: 'ignore' }).error === undefined;
const needsQemu = {
  skip: haveQemuImg ? false : 'qemu-img is not installed (tools/setup.sh installs qemu-utils)',
};

class Crash extends Error {}

/**
 * A file that crashes at its `crashAt`-th write or fdatasync (counting from 1): that and every
 * later call throw, and with `loseUnsynced` the writes since the last fdatasync are undone.
 */
function crashing(crashAt: number, loseUnsynced: boolean, count: { n: number }): OpenHostFile {
  return async (path, flags) => {
    const f = await openHostFile(path, flags);
    let dead = false;
    let undo: { at: number; old: Uint8Array }[] = [];
    let sizeAtSync = (await f.stat()).size;
    const step = async (): Promise<void> => {
      if (!dead && ++count.n === crashAt) {
        dead = true;
        if (loseUnsynced) {
          for (const u of undo.reverse()) await f.write(u.old, 0, u.old.length, u.at);
          await f.truncate(sizeAtSync);
        }
      }
      if (dead) throw new Crash('crashed');
    };
    const file: HostFile = {
      read: (b, o, l, p) => f.read(b, o, l, p),
      write: async (d, o, l, p) => {
        await step();
        const old = new Uint8Array(l);
        const { bytesRead } = await f.read(old, 0, l, p);
        undo.push({ at: p, old: old.subarray(0, bytesRead) });
        return f.write(d, o, l, p);
      },
      datasync: async () => {
        await step();
        // The crash is simulated: what a real fdatasync would make durable is what `undo` forgets.
        undo = [];
        sizeAtSync = (await f.stat()).size;
      },
      stat: () => f.stat(),
      truncate: (n) => f.truncate(n),
      close: () => f.close(),
    };
    return file;
  };
}

function qemu(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('qemu-img', args, { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

/**
 * `qemu-img check` finds nothing that can lose data: exit status 0 (clean) or 3 (leaks only),
 * or 2 when every error is bit 63 clear on a cluster with refcount 1 (it is only copied once more
 * than needed; the window between dropping references and setting the bit again).
 */
function checkSafe(image: string, what: string): void {
  const r = qemu(['check', image]);
  if (r.status === 0 || r.status === 3) return;
  const errors = r.out.split('\n').filter((l) => l.startsWith('ERROR'));
  assert.ok(
    r.status === 2 && errors.length > 0 && errors.every((l) => /^ERROR OFLAG_COPIED .*refcount=1$/.test(l)),
    `${what}: qemu-img check status ${r.status}:\n${r.out}`,
  );
}

async function contents(img: Qcow2Backend): Promise<Uint8Array> {
  const out = new Uint8Array(img.sizeBytes);
  await img.read(0, out);
  return out;
}

/** Fill a few clusters of the disk with `byte` (some new clusters, some over old ones). */
async function scribble(img: Qcow2Backend, byte: number): Promise<void> {
  for (const at of [0, 3 * 65536 + 100, MiB, 3 * MiB - 4096])
    await img.write(at, new Uint8Array(5000).fill(byte));
}

const equal = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

type Op = 'create' | 'apply' | 'delete';

test(
  'qcow2 snapshot create, apply and delete cut short at every write and fdatasync',
  needsQemu,
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsvirt-qcow2-snap-crash-'));
    try {
      // The base: old contents in snapshot 'old', newer contents in the active disk.
      const base = join(dir, 'base.qcow2');
      qemu(['create', '-f', 'qcow2', base, '4M']);
      let img = await Qcow2Backend.open(base, { readOnly: false });
      await scribble(img, 1);
      await img.createSnapshot('old', { vmState: [new Uint8Array(200_000).fill(7)] });
      const oldBytes = await contents(img);
      await scribble(img, 2);
      const newBytes = await contents(img);
      await img.close();
      // QEMU's: after deleting a second snapshot, the tables only 'old' still uses carry bit 63
      // where their clusters' refcount fell to 1 (QEMU sets it as it drops references). Applying
      // 'old' makes them shared again: the bit must go before the active L1 table points there.
      const qbase = join(dir, 'qbase.qcow2');
      qemu(['create', '-f', 'qcow2', qbase, '4M']);
      const io = (cmd: string): void => void spawnSync('qemu-io', ['-f', 'qcow2', '-c', cmd, qbase]);
      io('write -P 1 0 1M');
      qemu(['snapshot', '-c', 'old', qbase]);
      qemu(['snapshot', '-c', 'other', qbase]);
      io('write -P 2 0 256k');
      qemu(['snapshot', '-d', 'other', qbase]);
      checkSafe(qbase, 'the QEMU-made base');
      const qold = new Uint8Array(4 * MiB).fill(1, 0, MiB);
      const qnew = qold.slice().fill(2, 0, 256 * 1024);
      const vmState = new Uint8Array(300_000).map((_, i) => i % 251);
      const run: Record<Op, (i: Qcow2Backend) => Promise<unknown>> = {
        create: (i) => i.createSnapshot('new', { vmState: [vmState] }),
        apply: (i) => i.applySnapshot('old'),
        delete: (i) => i.deleteSnapshot('old'),
      };
      const image = join(dir, 'crash.qcow2');
      let crashes = 0;
      const cases: [string, Op, Uint8Array, Uint8Array][] = [
        [base, 'create', oldBytes, newBytes],
        [base, 'apply', oldBytes, newBytes],
        [base, 'delete', oldBytes, newBytes],
        [qbase, 'apply', qold, qnew],
      ];
      for (const [from, op, oldBytes, newBytes] of cases) {
        for (const loseUnsynced of [false, true]) {
          for (let crashAt = 1; ; crashAt++) {
            const what = `${from === qbase ? "QEMU's image: " : ''}${op}, crash at event ${crashAt}${loseUnsynced ? ', unsynced writes lost' : ''}`;
            await copyFile(from, image);
            const count = { n: 0 };
            img = await Qcow2Backend.open(image, {
              readOnly: false,
              openFile: crashing(crashAt, loseUnsynced, count),
            });
            const done = await run[op](img).then(
              () => true,
              (e: unknown) => {
                if (!(e instanceof Crash)) throw e;
                return false;
              },
            );
            await img.close().catch(() => undefined);
            if (done) break;
            crashes++;
            checkSafe(image, what);
            const after = await Qcow2Backend.open(image, { readOnly: true });
            const active = await contents(after);
            const names = after.snapshots().map((s) => s.name);
            if (op === 'apply')
              assert.ok(equal(active, newBytes) || equal(active, oldBytes), `${what}: active disk`);
            else assert.ok(equal(active, newBytes), `${what}: active disk`);
            if (op === 'create' && names.includes('new'))
              assert.deepEqual(await after.readVmState('new', MiB), vmState, `${what}: VM state`);
            if (op !== 'delete') assert.ok(names.includes('old'), `${what}: 'old' is gone`);
            await after.close();
            // The snapshot 'old', if there, still holds its contents (as QEMU reverts to it).
            if (names.includes('old')) {
              assert.equal(qemu(['snapshot', '-a', 'old', image]).status, 0);
              const reverted = await Qcow2Backend.open(image, { readOnly: true });
              assert.ok(equal(await contents(reverted), oldBytes), `${what}: snapshot 'old' contents`);
              await reverted.close();
            }
          }
        }
      }
      assert.ok(crashes > 30, `only ${crashes} crash points`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
);
