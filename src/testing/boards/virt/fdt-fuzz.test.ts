// A fixed, seeded slice of the device-tree fuzz campaign (tools/fuzz-fdt.mjs runs the long one,
// with dtc as an outside checker): hostile bootargs, hart counts, RAM sizes and initrd ranges
// through buildVirtFdt, and random trees through encodeFdt, each blob decoded and re-encoded.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFdtFuzz } from './fdt-fuzz.js';

test('1,000 seeded device-tree fuzz cases: an FdtError or a blob that round-trips to the inputs', () => {
  const r = runFdtFuzz(20250101, 1000);
  assert.deepEqual(r.failures, []);
  assert.equal(r.cases, 1000);
  assert.ok(r.virtBuilt > 250 && r.virtRefused > 50, JSON.stringify(r));
  assert.ok(r.treesBuilt > 150 && r.treesRefused > 50, JSON.stringify(r));
});
