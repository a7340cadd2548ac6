// The shared frame ring: frames come out whole and in order across many wrap-arounds, a full ring
// refuses a frame without writing, and a frame larger than the ring is refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../../../core/prng.js';
import { FrameRing, newFrameRingBuffer } from './ring.js';

const frame = (len: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: len }, (_, i) => (i * 13 + seed) & 0xff);

test('frames of random sizes come out whole and in order over many wrap-arounds', () => {
  const sab = newFrameRingBuffer(4096);
  const producer = new FrameRing(sab);
  const consumer = new FrameRing(sab);
  const rand = prng(5);
  const queued: Uint8Array[] = [];
  let pushed = 0;
  let refused = 0;
  for (let i = 0; i < 20000; i++) {
    if (rand() < 0.55) {
      const f = frame(1 + Math.floor(rand() * 1600), i);
      if (producer.push(f)) {
        queued.push(f);
        pushed++;
      } else refused++;
    } else {
      let got: Uint8Array | undefined;
      const had = consumer.pop((v) => (got = v.slice()));
      assert.equal(had, queued.length > 0);
      if (had) assert.deepEqual(got, queued.shift());
    }
  }
  while (consumer.pop((v) => assert.deepEqual(v.slice(), queued.shift()))) {
    /* drain */
  }
  assert.equal(queued.length, 0);
  assert.ok(pushed > 5000 && refused > 0, `${pushed} pushed, ${refused} refused`);
});

test('a full ring refuses a frame and keeps what it holds; room comes back after a pop', () => {
  const r = new FrameRing(newFrameRingBuffer(4096));
  let n = 0;
  while (r.push(frame(1000, n))) n++;
  // 4096 bytes of records of 4 + 1000 bytes: four fit.
  assert.equal(n, 4);
  assert.equal(r.push(frame(1000, 99)), false);
  assert.ok(r.pop((v) => assert.deepEqual(v.slice(), frame(1000, 0))));
  assert.ok(r.push(frame(1000, 4)), 'room after one pop (the record wraps to the start)');
  for (let i = 1; i <= 4; i++) assert.ok(r.pop((v) => assert.deepEqual(v.slice(), frame(1000, i))));
  assert.equal(
    r.pop(() => {}),
    false,
  );
  assert.equal(r.push(new Uint8Array(5000)), false, 'larger than the ring');
});

test('the capacity must be a power of two of at least 4 KiB', () => {
  assert.throws(() => newFrameRingBuffer(3000), RangeError);
  assert.throws(() => newFrameRingBuffer(6144), RangeError);
});
