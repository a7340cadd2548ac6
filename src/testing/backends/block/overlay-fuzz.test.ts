// A fixed slice of the overlay corruption fuzzer (overlay-fuzz.ts): damaged overlays are refused
// with an OverlayError or open as the disk the format says, touching only the file's extents.
// The long campaign: node dist/testing/backends/block/overlay-fuzz.js --iterations N.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzOverlays } from './overlay-fuzz.js';

test('overlay fuzz: 3000 damaged overlays, each refused clearly or used within the file', async () => {
  const rep = await fuzzOverlays({ iterations: 3000, seed: 18 });
  assert.deepEqual(rep.failures, []);
  assert.equal(rep.refused + rep.opened, 3000);
  // The damage reaches deep checks and also leaves some overlays valid, or the slice tests little.
  assert.ok(rep.opened >= 100, `only ${rep.opened} damaged overlays opened`);
  assert.ok(
    rep.reasons.size >= 18,
    `only ${rep.reasons.size} kinds of refusal: ${[...rep.reasons.keys()].join('; ')}`,
  );
});
