// SIGHUP, SIGINT and SIGTERM reach the VM as stop requests naming the signal, with the status a
// shell reports for a process the signal killed (128 + its number), and leave no handler behind.

import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { StopRequests } from '../vm/stop.js';
import { signalStatus, STOP_SIGNALS, StopSignals } from './signals.js';

test('each stop signal is a stop request of the VM; uninstall removes the handlers', async () => {
  for (const name of Object.keys(STOP_SIGNALS) as (keyof typeof STOP_SIGNALS)[]) {
    const before = process.listenerCount(name);
    const stop = new StopRequests();
    const signals = new StopSignals(stop);
    try {
      process.kill(process.pid, name);
      for (let k = 0; k < 100 && stop.reason === undefined; k++) await sleep(10);
      assert.deepEqual(stop.reason, { kind: 'signal', signal: name });
    } finally {
      signals.uninstall();
    }
    assert.equal(process.listenerCount(name), before, `${name} handler removed`);
  }
});

test('the exit status of a stop by signal is 128 + its number', () => {
  for (const name of ['SIGHUP', 'SIGINT', 'SIGTERM'] as const)
    assert.equal(signalStatus(name), 128 + constants.signals[name]);
  assert.equal(signalStatus('SIGKILL'), undefined);
  assert.equal(signalStatus('toString'), undefined);
});
