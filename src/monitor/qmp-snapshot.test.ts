// The snapshot commands as jobs, over a fake target, checked against QEMU's qapi/job.json: the
// JOB_STATUS_CHANGE sequence of a job that succeeds (created, running, waiting, pending,
// concluded) and of one that fails (created, running, aborting, concluded, with `error` in
// query-jobs), job-dismiss and its errors, job IDs, and the HMP savevm/loadvm/delvm lines.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { qmpCommands, type MonitorTarget } from './qmp-commands.js';
import { QmpError, type QmpObject, type QmpValue } from './qmp-protocol.js';
import { sizeText, snapshotsText, type SnapshotTarget } from './qmp-snapshot.js';

function setup(fail?: string) {
  const events: QmpObject[] = [];
  const calls: string[] = [];
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const monitor = {
    version: { qemu: { major: 0, minor: 1, micro: 0 }, package: 'tsvirt' },
    status: () => 'running',
    harts: () => [],
    blocks: () => [],
  } as unknown as MonitorTarget;
  const work = async (what: string): Promise<void> => {
    calls.push(what);
    await gate;
    if (fail !== undefined) throw new QmpError('GenericError', fail);
  };
  const t: SnapshotTarget = {
    snapshotSave: (tag, vmstate, devices, overwrite) =>
      work(`save ${tag} ${vmstate} ${devices.join(',')} ${overwrite}`),
    snapshotLoad: (tag, vmstate, devices) => work(`load ${tag} ${vmstate} ${devices?.join(',')}`),
    snapshotDelete: (tag, devices) => work(`delete ${tag} ${devices?.join(',')}`),
    snapshotList: () => [
      { id: '1', tag: 'snap0', vmStateBytes: 300_000, dateSec: 0, vmClockNs: 61_500_000_000n },
    ],
    snapshotDevices: () => ['virtio1', 'virtio2'],
    jobEvent: (event, data) => events.push({ event, data }),
  };
  const cmds = qmpCommands(monitor, undefined, t);
  const run = async (name: string, args: QmpObject = {}): Promise<QmpValue> => {
    const c = cmds.get(name);
    assert.ok(c !== undefined, name);
    return await c.run(args);
  };
  const statuses = (id: string): string[] =>
    events.filter((e) => (e.data as QmpObject).id === id).map((e) => (e.data as QmpObject).status as string);
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 10));
  return { run, calls, release, statuses, settle, cmds };
}

const errorOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof QmpError);
    return `${e.errorClass}: ${e.message}`;
  }
  assert.fail('no error');
};

test('snapshot-save: returns at once; the job goes created, running, waiting, pending, concluded', async () => {
  const s = setup();
  const args = { 'job-id': 'save0', tag: 'snap0', vmstate: 'virtio1', devices: ['virtio1', 'virtio2'] };
  assert.deepEqual(await s.run('snapshot-save', args), {});
  assert.deepEqual(s.statuses('save0'), ['created', 'running']);
  assert.deepEqual(await s.run('query-jobs'), [
    { id: 'save0', type: 'snapshot-save', status: 'running', 'current-progress': 0, 'total-progress': 1 },
  ]);
  assert.match(await errorOf(s.run('snapshot-save', args)), /^GenericError: Job ID 'save0' already in use$/);
  assert.match(
    await errorOf(s.run('job-dismiss', { id: 'save0' })),
    /^GenericError: Job 'save0' in state 'running' cannot accept command verb 'dismiss'$/,
  );
  s.release();
  await s.settle();
  assert.deepEqual(s.calls, ['save snap0 virtio1 virtio1,virtio2 false']);
  assert.deepEqual(s.statuses('save0'), ['created', 'running', 'waiting', 'pending', 'concluded']);
  assert.deepEqual(await s.run('query-jobs'), [
    { id: 'save0', type: 'snapshot-save', status: 'concluded', 'current-progress': 1, 'total-progress': 1 },
  ]);
  assert.deepEqual(await s.run('job-dismiss', { id: 'save0' }), {});
  assert.deepEqual(s.statuses('save0').at(-1), 'null');
  assert.deepEqual(await s.run('query-jobs'), []);
  assert.match(await errorOf(s.run('job-dismiss', { id: 'save0' })), /^GenericError: Job not found$/);
});

test('a failing job aborts and concludes; query-jobs carries its error', async () => {
  const s = setup("Device 'virtio0' is writable but does not support snapshots");
  await s.run('snapshot-load', { 'job-id': 'load0', tag: 't', vmstate: 'virtio0', devices: ['virtio0'] });
  await s.run('snapshot-delete', { 'job-id': 'del0', tag: 't', devices: ['virtio0'] });
  s.release();
  await s.settle();
  assert.deepEqual(s.calls, ['load t virtio0 virtio0', 'delete t virtio0']);
  assert.deepEqual(s.statuses('load0'), ['created', 'running', 'aborting', 'concluded']);
  const jobs = (await s.run('query-jobs')) as QmpObject[];
  assert.deepEqual(jobs[0], {
    id: 'load0',
    type: 'snapshot-load',
    status: 'concluded',
    'current-progress': 1,
    'total-progress': 1,
    error: "Device 'virtio0' is writable but does not support snapshots",
  });
  assert.equal(jobs[1].type, 'snapshot-delete');
});

test('job IDs are checked as QEMU does; arguments are required', async () => {
  const s = setup();
  for (const id of ['', '0abc', 'a b', 'x/y'])
    assert.match(
      await errorOf(s.run('snapshot-delete', { 'job-id': id, tag: 't', devices: [] })),
      /^GenericError: Invalid job ID/,
    );
  assert.deepEqual(await s.run('snapshot-delete', { 'job-id': 'a-1.b_2', tag: 't', devices: [] }), {});
  assert.deepEqual(s.cmds.get('snapshot-save')?.params, {
    'job-id': 'str',
    tag: 'str',
    vmstate: 'str',
    devices: ['str'],
  });
});

test('HMP savevm, loadvm, delvm, info snapshots; other lines reach the usual monitor', async () => {
  const s = setup();
  const hmp = (line: string): Promise<QmpValue> => s.run('human-monitor-command', { 'command-line': line });
  const pending = hmp('savevm s1');
  s.release();
  assert.equal(await pending, '');
  assert.equal(await hmp('loadvm s1'), '');
  assert.equal(await hmp('delvm s1'), '');
  assert.deepEqual(s.calls, [
    'save s1 virtio1 virtio1,virtio2 true',
    'load s1 undefined undefined',
    'delete s1 undefined',
  ]);
  assert.equal(await hmp('loadvm'), 'loadvm: missing argument: name\r\n');
  assert.match((await hmp('savevm')) as string, /^$/);
  assert.match(s.calls.at(-1)!, /^save vm-\d{14} virtio1/);
  const info = (await hmp('info snapshots')) as string;
  assert.match(info, /^List of snapshots present on all disks:\r\nID +TAG +VM SIZE +DATE +VM CLOCK/);
  assert.match(info, /\r\n-- +snap0 +293 KiB 1970-01-01 00:00:00 00:01:01\.500\r\n$/);
  assert.equal(await hmp('info status'), 'VM status: running\r\n');
  const failing = setup("Snapshot 'x' does not exist in one or more devices");
  failing.release();
  assert.equal(
    await failing.run('human-monitor-command', { 'command-line': 'loadvm x' }),
    "Error: Snapshot 'x' does not exist in one or more devices\r\n",
  );
  assert.equal(snapshotsText([]), 'There is no suitable snapshot available\n');
  assert.equal(sizeText(1536 * 1024), '1.5 MiB');
});

test('HMP savevm, loadvm and delvm wait for the snapshot jobs started before them', async () => {
  const s = setup();
  await s.run('snapshot-save', { 'job-id': 'j', tag: 't', vmstate: 'virtio1', devices: ['virtio1'] });
  const hmp = s.run('human-monitor-command', { 'command-line': 'delvm t' });
  await s.settle();
  assert.deepEqual(s.calls, ['save t virtio1 virtio1 false'], 'delvm ran during the job');
  s.release();
  assert.equal(await hmp, '');
  assert.deepEqual(s.calls, ['save t virtio1 virtio1 false', 'delete t undefined']);
  assert.deepEqual(s.statuses('j').at(-1), 'concluded');
});
