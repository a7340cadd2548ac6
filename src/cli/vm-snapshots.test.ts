// The snapshot jobs' work over real qcow2 and raw images and a stand-in VM: QEMU's errors for
// devices that cannot take snapshots, unknown tags and disk-only snapshots; the VM paused during
// a save and resumed after; the state stored in the vmstate image read back and checked against
// the machine.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createQcow2, openImage } from '../backends/block/open.js';
import { Qcow2Backend } from '../backends/block/qcow2.js';
import { RawFileBackend } from '../backends/block/raw.js';
import { encodeSnapshot, type MachineDescription } from '../vm/snapshot/format.js';
import type { Vm } from '../vm/vm.js';
import {
  deleteSnapshot,
  listSnapshots,
  prepareLoad,
  saveSnapshot,
  type SnapshotDisk,
} from './vm-snapshots.js';

const MiB = 1024 * 1024;
const desc: MachineDescription = {
  machine: 'virt',
  memoryBytes: MiB,
  harts: 1,
  isa: 'i,m,a',
  firmware: 'builtin-sbi',
  consoleDevice: 'uart',
  devices: ['virtio-blk', 'virtio-blk', 'virtio-blk'],
};

/** A VM stand-in: pause, resume and save as Vm has them, recorded in `calls`. */
function fakeVm(machine: MachineDescription) {
  const calls: string[] = [];
  const ram = new Uint8Array(MiB).fill(0x5a, 4096, 8192);
  const parts = encodeSnapshot(machine, { marker: 'board' }, { bytes: ram, pages: [1] });
  const vm = {
    paused: false,
    pause: () => {
      calls.push('pause');
      vm.paused = true;
      return Promise.resolve();
    },
    resume: () => {
      calls.push('resume');
      vm.paused = false;
    },
    save: () => {
      calls.push('save');
      return Promise.resolve(parts);
    },
    migration: { desc: machine },
    board: {},
  };
  return { vm: vm as unknown as Vm, calls, bytes: parts.reduce((n, p) => n + p.length, 0) };
}

async function disks(dir: string): Promise<SnapshotDisk[]> {
  await writeFile(join(dir, 'raw.img'), new Uint8Array(MiB));
  await createQcow2(join(dir, 'a.qcow2'), { sizeBytes: 4 * MiB });
  await createQcow2(join(dir, 'ro.qcow2'), { sizeBytes: 4 * MiB });
  return [
    { device: 'virtio0', backend: await RawFileBackend.open(join(dir, 'raw.img'), { readOnly: false }) },
    { device: 'virtio1', backend: await openImage(join(dir, 'a.qcow2'), { readOnly: false }) },
    { device: 'virtio2', backend: await openImage(join(dir, 'ro.qcow2'), { readOnly: true }) },
  ];
}

test('snapshot save, load and delete over qcow2 images; the errors QEMU gives', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tsvirt-vm-snap-'));
  const d = await disks(dir);
  try {
    const { vm, calls, bytes } = fakeVm(desc);
    const save = (devices: string[], vmstate = devices[0], tag = 's0', overwrite = false) =>
      saveSnapshot(vm, d, { tag, vmstate, devices, overwrite }, () => true);
    await assert.rejects(save(['virtio9']), /^Error: No block device node 'virtio9'$/);
    for (const dev of ['virtio0', 'virtio2'])
      await assert.rejects(
        save([dev]),
        new RegExp(`Device '${dev}' is writable but does not support snapshots`),
      );
    await assert.rejects(save(['virtio1'], 'virtio0'), /vmstate block device 'virtio0' is not in the list/);
    assert.deepEqual(calls, [], 'nothing paused before the arguments were checked');
    await save(['virtio1']);
    assert.deepEqual(calls, ['pause', 'save', 'resume']);
    const img = d[1].backend as Qcow2Backend;
    assert.deepEqual(
      img.snapshots().map((s) => [s.name, s.vmStateBytes]),
      [['s0', bytes]],
    );
    await assert.rejects(save(['virtio1']), /Snapshot 's0' already exists in one or more devices/);
    await save(['virtio1'], 'virtio1', 's0', true);
    assert.equal(img.snapshots().length, 1, 'overwrite replaces the snapshot');
    assert.deepEqual(
      listSnapshots(d).map((s) => s.tag),
      ['s0'],
    );

    // Load: the state comes back as written, checked against the machine.
    const load = (tag: string, devices?: string[], v = vm) =>
      prepareLoad(v, d, { tag, vmstate: undefined, devices });
    await assert.rejects(load('nope', ['virtio1']), /Snapshot 'nope' does not exist in one or more devices/);
    await assert.rejects(load('s0'), /Device 'virtio0' is writable but does not support snapshots/);
    const got = await load('s0', ['virtio1']);
    assert.deepEqual(got.diskIndexes, [1]);
    assert.deepEqual(got.state.board, { marker: 'board' });
    assert.deepEqual([...got.state.ramPages], [1]);
    await img.createSnapshot('diskonly');
    await assert.rejects(
      load('diskonly', ['virtio1']),
      /Snapshot 'diskonly' is a disk-only snapshot and must be reverted offline/,
    );
    const other = fakeVm({ ...desc, harts: 2 }).vm;
    await assert.rejects(
      load('s0', ['virtio1'], other),
      /the snapshot is of another machine: harts: saved 1, this machine 2/,
    );

    await deleteSnapshot(d, 's0', ['virtio1']);
    await deleteSnapshot(d, 's0', ['virtio1']); // none left: nothing to do, as in QEMU
    assert.deepEqual(
      img.snapshots().map((s) => s.name),
      ['diskonly'],
    );
  } finally {
    for (const x of d) await x.backend.close();
    await rm(dir, { recursive: true, force: true });
  }
});
