// Fixed, seeded slices of the virtio fuzz campaigns (tools/fuzz-virtqueue.mjs and fuzz-cli.ts run
// the long ones): random and near-valid queues through the queue walker, virtio-rng and
// virtio-console; virtio-blk and virtio-net with their own request shapes, a stalling disk and
// frames from the host.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDeviceFuzz } from './fuzz-devices.js';
import { runVirtqueueFuzz } from './fuzz.js';

test('2,000 seeded fuzz cases: no exception, walker agrees with the reference, writes stay in bounds', () => {
  const r = runVirtqueueFuzz(20240601, 2000);
  assert.deepEqual(r.failures, []);
  assert.equal(r.cases, 2000);
  // The mix exercises every path, not just early rejections.
  assert.ok(r.queueCases > 500 && r.deviceCases > 500, JSON.stringify(r));
  assert.ok(r.chainsAccepted > 500, `accepted ${r.chainsAccepted}`);
  assert.ok(r.chainsRejected > 200, `rejected ${r.chainsRejected}`);
  assert.ok(r.indirectAccepted > 50, `indirect ${r.indirectAccepted}`);
  assert.ok(r.layoutsRefused > 20, `layouts refused ${r.layoutsRefused}`);
  assert.ok(r.memoryChecked > 1000, `memory checked ${r.memoryChecked}`);
});

test('virtio-blk, 1,000 seeded cases: writes in bounds, none after reset, budget held, nothing lost', async () => {
  const r = await runDeviceFuzz('blk', 20240601, 1000);
  assert.deepEqual(r.failures, []);
  assert.ok(r.memoryChecked > 800, JSON.stringify(r));
  assert.ok(r.backendOps > 1500, `backend operations ${r.backendOps}`);
  assert.ok(r.budgetStalls > 5, `budget stalls ${r.budgetStalls}`);
  assert.ok(r.livenessChecked > 300, `liveness checked ${r.livenessChecked}`);
  assert.ok(r.resetChecks > 100 && r.quiesceChecks > 100, JSON.stringify(r));
});

test('virtio-net, 1,000 seeded cases: writes in bounds, none after reset, RX bounded, TX all taken', async () => {
  const r = await runDeviceFuzz('net', 20240601, 1000);
  assert.deepEqual(r.failures, []);
  assert.ok(r.memoryChecked > 600, JSON.stringify(r));
  assert.ok(r.framesInjected > 10000, `frames ${r.framesInjected}`);
  assert.ok(r.livenessChecked > 200, `liveness checked ${r.livenessChecked}`);
  assert.ok(r.resetChecks > 100, `reset checks ${r.resetChecks}`);
});
