// A fixed slice of the stream framing fuzzer (framing-fuzz.ts): random streams with hostile
// lengths, random chunking and a receiver pausing at random, through FrameDecoder and the unix
// socket backend. The long campaign: node dist/testing/backends/net/framing-fuzz.js --iterations N.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_BUFFERED_BYTES } from '../../../backends/net/framing.js';
import { fuzzFraming } from './framing-fuzz.js';

test('framing fuzz: 3000 streams (750 over a socket) deliver their frames or drop with a reason', async () => {
  const rep = await fuzzFraming({ iterations: 3000, seed: 18, socketEvery: 4 });
  assert.deepEqual(rep.failures, []);
  assert.equal(rep.decoderStreams, 3000);
  assert.equal(rep.socketStreams, 750);
  assert.ok(rep.peakBufferedBytes <= MAX_BUFFERED_BYTES);
  assert.ok(rep.socketPeakBufferedBytes <= MAX_BUFFERED_BYTES);
});
