// The QMP commands over a fake VM, checked against QEMU's qapi schema (the shapes of
// StatusInfo, CpuInfoFast, BlockInfo, VersionInfo, CommandInfo) and the RISC-V register
// names of the psABI in `info registers`.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { qmpCommands, type HartRegisters, type MonitorTarget, type RunState } from './qmp-commands.js';
import type { QmpObject, QmpValue } from './qmp-protocol.js';

function hart(id: number): HartRegisters {
  return {
    hartId: id,
    pc: 0x8020_0000n + BigInt(id),
    x: Array.from({ length: 32 }, (_, i) => (i === 0 ? 0n : 0x1000n * BigInt(id + 1) + BigInt(i))),
    priv: 1,
    virt: false,
    csrs: [['mstatus', 0xa00000000n]],
  };
}

function target() {
  const calls: string[] = [];
  let state: RunState = 'running';
  const t: MonitorTarget = {
    version: { qemu: { major: 0, minor: 1, micro: 0 }, package: 'tsvirt' },
    status: () => state,
    stop: () => {
      calls.push('stop');
      state = 'paused';
      return Promise.resolve();
    },
    cont: () => {
      calls.push('cont');
      state = 'running';
    },
    powerdown: () => calls.push('powerdown'),
    reset: () => calls.push('reset'),
    quit: () => calls.push('quit'),
    harts: () => [hart(0), hart(1)],
    threadId: 4242,
    blocks: () => [{ device: 'virtio0', file: '/d.img', format: 'raw', readOnly: true, sizeBytes: 8192 }],
  };
  const cmds = qmpCommands(t);
  const run = async (name: string, args: QmpObject = {}): Promise<QmpValue> => {
    const c = cmds.get(name);
    assert.ok(c !== undefined, name);
    return await c.run(args);
  };
  return { calls, run, cmds };
}

test('the commands of the subset are all there, and query-commands lists them', async () => {
  const { run, cmds } = target();
  const want = [
    'qmp_capabilities',
    'query-commands',
    'query-status',
    'stop',
    'cont',
    'system_powerdown',
    'system_reset',
    'quit',
    'query-cpus-fast',
    'query-block',
    'query-version',
    'human-monitor-command',
  ];
  const listed = ((await run('query-commands')) as QmpObject[]).map((c) => c.name);
  assert.deepEqual([...listed].sort(), [...want].sort());
  for (const w of want) if (w !== 'qmp_capabilities') assert.ok(cmds.has(w), w);
});

test('stop, cont and query-status: StatusInfo follows the run state', async () => {
  const { run, calls } = target();
  assert.deepEqual(await run('query-status'), { running: true, status: 'running' });
  assert.deepEqual(await run('stop'), {});
  assert.deepEqual(await run('query-status'), { running: false, status: 'paused' });
  assert.deepEqual(await run('cont'), {});
  assert.deepEqual(await run('query-status'), { running: true, status: 'running' });
  await run('system_powerdown');
  await run('system_reset');
  await run('quit');
  assert.deepEqual(calls, ['stop', 'cont', 'powerdown', 'reset', 'quit']);
});

test('query-cpus-fast: one CpuInfoFast per hart', async () => {
  const { run } = target();
  const cpus = (await run('query-cpus-fast')) as QmpObject[];
  assert.equal(cpus.length, 2);
  assert.deepEqual(
    cpus.map((c) => c['cpu-index']),
    [0, 1],
  );
  for (const c of cpus) {
    assert.equal(c.target, 'riscv64');
    assert.equal(c['thread-id'], 4242);
    assert.equal(typeof c['qom-path'], 'string');
    assert.equal(typeof c.props, 'object');
  }
});

test('query-block and query-version: BlockInfo and VersionInfo', async () => {
  const { run } = target();
  const [b] = (await run('query-block')) as QmpObject[];
  assert.equal(b.device, 'virtio0');
  assert.equal(b.removable, false);
  const ins = b.inserted as QmpObject;
  assert.equal(ins.file, '/d.img');
  assert.equal(ins.ro, true);
  assert.equal(ins.drv, 'raw');
  assert.equal((ins.image as QmpObject)['virtual-size'], 8192);
  assert.deepEqual(await run('query-version'), { qemu: { major: 0, minor: 1, micro: 0 }, package: 'tsvirt' });
});

test('human-monitor-command: info status, and info registers with pc, x1..x31 and the privilege', async () => {
  const { run } = target();
  assert.equal(
    await run('human-monitor-command', { 'command-line': 'info status' }),
    'VM status: running\r\n',
  );
  const one = (await run('human-monitor-command', {
    'command-line': 'info registers',
    'cpu-index': 1,
  })) as string;
  const h = hart(1);
  assert.match(one, new RegExp(` pc +${h.pc.toString(16).padStart(16, '0')}\r\n`));
  assert.match(one, / priv +S\r\n/);
  const names = [
    'zero',
    'ra',
    'sp',
    'gp',
    'tp',
    't0',
    't1',
    't2',
    's0',
    's1',
    'a0',
    'a1',
    'a2',
    'a3',
    'a4',
    'a5',
  ];
  names.push(
    'a6',
    'a7',
    's2',
    's3',
    's4',
    's5',
    's6',
    's7',
    's8',
    's9',
    's10',
    's11',
    't3',
    't4',
    't5',
    't6',
  );
  for (let i = 0; i < 32; i++) {
    assert.match(
      one,
      new RegExp(` x${i}/${names[i]} +${h.x[i].toString(16).padStart(16, '0')}( |\r\n)`),
      `x${i}`,
    );
  }
  const all = (await run('human-monitor-command', { 'command-line': 'info registers -a' })) as string;
  assert.match(all, /CPU#0\r\n[^]*CPU#1\r\n/);
  await assert.rejects(
    async () => run('human-monitor-command', { 'command-line': 'info registers', 'cpu-index': 2 }),
    /cpu-index/,
  );
  assert.match(
    (await run('human-monitor-command', { 'command-line': 'frobnicate' })) as string,
    /unknown command/,
  );
});
