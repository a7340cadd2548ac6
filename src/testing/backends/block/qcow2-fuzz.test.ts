// A fixed slice of the qcow2 corruption fuzzer (qcow2-fuzz.ts): damaged images are refused with a
// Qcow2Error or work, never another exception, a read outside the file or one sized by a field.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzzQcow2 } from './qcow2-fuzz.js';

test('qcow2 fuzz: 1500 damaged images, each refused clearly or used within the file', async () => {
  const rep = await fuzzQcow2({ iterations: 1500, seed: 24 });
  assert.deepEqual(rep.failures, []);
  assert.equal(rep.refused + rep.opened, 1500);
  assert.ok(rep.opened >= 100, `only ${rep.opened} damaged images opened`);
  assert.ok(
    rep.reasons.size >= 15,
    `only ${rep.reasons.size} kinds of refusal: ${[...rep.reasons.keys()].join('; ')}`,
  );
});
