// A fixed, seeded slice of the loader fuzz campaign (tools/fuzz-loaders.mjs runs the long one):
// mutated ELF files, Images and gzip streams, gzip bombs and random bytes through loadKernel.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLoaderFuzz } from './fuzz.js';

test('800 seeded loader fuzz cases: loaded inside RAM or a KernelError, nothing written outside', () => {
  const r = runLoaderFuzz(20250101, 800);
  assert.deepEqual(r.failures, []);
  assert.equal(r.cases, 800);
  // The mix reaches every format's success path as well as its refusals.
  assert.ok(r.loadedElf > 50 && r.loadedImage > 50 && r.loadedGzip > 10, JSON.stringify(r));
  assert.ok(r.rejected > 300 && r.bombs > 20, JSON.stringify(r));
  assert.ok(r.asFile > 300 && r.asFile < 500, JSON.stringify(r));
});
