// A fixed, seeded slice of the virtqueue fuzz campaign (tools/fuzz-virtqueue.mjs runs the long
// one): random and near-valid queues through the queue walker, virtio-rng and virtio-console.

import { test } from 'node:test';
import assert from 'node:assert/strict';
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
