// Stream framing: 4-byte big-endian length prefixes, frames split across chunks at every
// boundary, several frames per chunk, and lengths that mean the stream is out of step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FRAME_BYTES } from './backend.js';
import { encodeFrame, FrameDecoder, NetFramingError } from './framing.js';

const frame = (len: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: len }, (_, i) => (i + seed) & 0xff);

function drain(d: FrameDecoder): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let f = d.next(); f !== undefined; f = d.next()) out.push(f);
  return out;
}

test('encodeFrame puts the length first, big-endian', () => {
  assert.deepEqual(encodeFrame(Uint8Array.of(9, 8, 7)), Uint8Array.of(0, 0, 0, 3, 9, 8, 7));
  assert.deepEqual(encodeFrame(new Uint8Array(0x10203)).subarray(0, 4), Uint8Array.of(0, 1, 2, 3));
});

test('several frames in one chunk', () => {
  const frames = [frame(14, 1), frame(60, 2), frame(1514, 3)];
  const d = new FrameDecoder();
  d.push(Uint8Array.from(frames.flatMap((f) => Array.from(encodeFrame(f)))));
  assert.deepEqual(drain(d), frames);
  assert.equal(d.buffered, 0);
});

test('a stream cut at every possible point reassembles the same frames', () => {
  const frames = [frame(20, 1), frame(33, 2)];
  const stream = Uint8Array.from(frames.flatMap((f) => Array.from(encodeFrame(f))));
  for (let cut = 0; cut <= stream.length; cut++) {
    const d = new FrameDecoder();
    d.push(stream.subarray(0, cut));
    const got = drain(d);
    d.push(stream.subarray(cut));
    got.push(...drain(d));
    assert.deepEqual(got, frames, `cut at ${cut}`);
  }
});

test('one byte at a time, prefix included', () => {
  const f = frame(100, 7);
  const d = new FrameDecoder();
  const got: Uint8Array[] = [];
  for (const b of encodeFrame(f)) {
    d.push(Uint8Array.of(b));
    got.push(...drain(d));
  }
  assert.deepEqual(got, [f]);
});

test('frames returned are copies, independent of the chunks', () => {
  const chunk = encodeFrame(frame(16, 0));
  const d = new FrameDecoder();
  d.push(chunk);
  const f = d.next() as Uint8Array;
  chunk.fill(0xee);
  assert.deepEqual(f, frame(16, 0));
});

test('a zero or oversized length is a framing error', () => {
  for (const len of [0, MAX_FRAME_BYTES + 1, 0xffffffff]) {
    const d = new FrameDecoder();
    const prefix = new Uint8Array(4);
    new DataView(prefix.buffer).setUint32(0, len, false);
    d.push(prefix);
    assert.throws(() => d.next(), NetFramingError);
  }
  const d = new FrameDecoder();
  d.push(encodeFrame(new Uint8Array(MAX_FRAME_BYTES)));
  assert.equal(d.next()?.length, MAX_FRAME_BYTES);
});
