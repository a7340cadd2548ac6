// The run command's monitor: the way a VM ends becomes QMP's SHUTDOWN or RESET with QEMU's
// ShutdownCause, and stop/cont before a VM exists keep the run state and emit STOP/RESUME.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Vm, VmEnd } from '../vm/vm.js';
import { VmMonitor } from './monitor.js';

const dir = mkdtempSync(join(tmpdir(), 'tsvirt-monitor-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

async function negotiated(path: string) {
  const got: Record<string, unknown>[] = [];
  let buf = '';
  const socket = connect(path);
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    buf += d;
    for (let nl = buf.indexOf('\r\n'); nl >= 0; nl = buf.indexOf('\r\n')) {
      got.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
      buf = buf.slice(nl + 2);
    }
  });
  socket.write('{"execute": "qmp_capabilities"}');
  const until = async (n: number): Promise<void> => {
    for (let k = 0; k < 200 && got.length < n; k++) await sleep(10);
    assert.ok(got.length >= n, JSON.stringify(got));
  };
  await until(2);
  return { got, until, socket };
}

test('SHUTDOWN and RESET carry QEMU ShutdownCause for each way a VM ends', async () => {
  const path = join(dir, 'm.sock');
  const m = await VmMonitor.open([{ kind: 'unix', path, wait: false }]);
  try {
    const c = await negotiated(path);
    const cases: [VmEnd, boolean, string, Record<string, unknown>][] = [
      [{ kind: 'guest', stop: { kind: 'reboot' } }, true, 'RESET', { guest: true, reason: 'guest-reset' }],
      [
        { kind: 'guest', stop: { kind: 'poweroff' } },
        false,
        'SHUTDOWN',
        { guest: true, reason: 'guest-shutdown' },
      ],
      [
        { kind: 'guest', stop: { kind: 'reboot' } },
        false,
        'SHUTDOWN',
        { guest: true, reason: 'guest-reset' },
      ],
      [
        { kind: 'guest', stop: { kind: 'fail', code: 3 } },
        false,
        'SHUTDOWN',
        { guest: true, reason: 'guest-panic' },
      ],
      [
        { kind: 'stopped', reason: { kind: 'signal', signal: 'SIGTERM' } },
        false,
        'SHUTDOWN',
        { guest: false, reason: 'host-signal' },
      ],
      [{ kind: 'stopped', reason: { kind: 'quit' } }, false, 'SHUTDOWN', { guest: false, reason: 'host-ui' }],
      [
        { kind: 'stopped', reason: { kind: 'monitor', action: 'quit' } },
        false,
        'SHUTDOWN',
        { guest: false, reason: 'host-qmp-quit' },
      ],
    ];
    let n = 2;
    for (const [end, again, event, data] of cases) {
      m.vmEnded(end, again);
      await c.until(++n);
      assert.equal(c.got[n - 1].event, event, JSON.stringify(end));
      assert.deepEqual(c.got[n - 1].data, data, JSON.stringify(end));
    }
    // A reset the monitor asked for was announced when asked: nothing more when the VM ends.
    m.vmEnded({ kind: 'stopped', reason: { kind: 'monitor', action: 'reset' } }, true);
    await sleep(50);
    assert.equal(c.got.length, n);
    assert.equal(m.status(), 'shutdown');
    c.socket.destroy();
  } finally {
    await m.close();
  }
});

test('stop and cont without a VM: the run state, STOP and RESUME; quit before a VM', async () => {
  const path = join(dir, 'p.sock');
  const m = await VmMonitor.open([{ kind: 'unix', path, wait: false }]);
  try {
    const c = await negotiated(path);
    assert.equal(m.status(), 'prelaunch');
    await m.stop();
    assert.equal(m.status(), 'paused');
    await m.stop();
    m.cont();
    m.cont();
    assert.equal(m.status(), 'prelaunch');
    await c.until(4);
    await sleep(50);
    assert.deepEqual(
      c.got.slice(2).map((e) => e.event),
      ['STOP', 'RESUME'],
    );
    assert.equal(m.quitting, false);
    m.quit();
    assert.equal(m.quitting, true);
    c.socket.destroy();
  } finally {
    await m.close();
  }
});

test('stop returns when the VM ends before its harts park (a reset or poweroff meanwhile)', async () => {
  const m = await VmMonitor.open([]);
  const vm = {
    paused: false,
    harts: [],
    pause: () => new Promise<void>(() => {}),
    onPauseChange: () => {},
    stop: () => {},
  } as unknown as Vm;
  m.attach(vm, [], []);
  let returned = false;
  const stopping = m.stop().then(() => (returned = true));
  await sleep(20);
  assert.equal(returned, false);
  m.vmEnded({ kind: 'guest', stop: { kind: 'poweroff' } }, false);
  await stopping;
  assert.ok(returned);
  await m.close();
});
