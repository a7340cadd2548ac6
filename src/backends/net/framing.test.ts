// Stream framing: 4-byte big-endian length prefixes, frames split across chunks at every
// boundary, several frames per chunk, lengths that mean the stream is out of step, and the bound
// on the bytes held.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FRAME_BYTES } from './backend.js';
import {
  encodeFrame,
  FrameDecoder,
  MAX_BUFFERED_BYTES,
  NetFramingError,
  NetOverrunError,
} from './framing.js';

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

test('the decoder holds at most MAX_BUFFERED_BYTES; a push past it is refused whole', () => {
  const d = new FrameDecoder();
  // A reader that never takes frames out: 64 KiB pushes fill the bound, then fail.
  const chunk = new Uint8Array(64 * 1024);
  for (let n = 0; n < MAX_BUFFERED_BYTES / chunk.length; n++) d.push(chunk);
  assert.equal(d.buffered, MAX_BUFFERED_BYTES);
  assert.throws(
    () => d.push(Uint8Array.of(1)),
    (e: unknown) =>
      e instanceof NetOverrunError && /receive buffer overrun: 262144 bytes held and 1 more/.test(e.message),
  );
  assert.equal(d.buffered, MAX_BUFFERED_BYTES, 'nothing of the refused chunk is kept');
  assert.equal(d.peakBuffered, MAX_BUFFERED_BYTES);
  // A smaller bound, as the socket backend may be given.
  const small = new FrameDecoder(100);
  small.push(new Uint8Array(100));
  assert.throws(() => small.push(Uint8Array.of(0)), NetOverrunError);
});

test('frames cut into single bytes cost time linear in the bytes (no per-chunk rescans)', () => {
  // 8 frames of the largest size, one byte per push: a few hundred ms when each byte is handled
  // once; the former chunk list took over a second per frame.
  const frames = Array.from({ length: 8 }, (_, k) => frame(MAX_FRAME_BYTES, k));
  const d = new FrameDecoder();
  const got: Uint8Array[] = [];
  const t0 = performance.now();
  for (const f of frames) {
    const bytes = encodeFrame(f);
    for (let i = 0; i < bytes.length; i++) {
      d.push(bytes.subarray(i, i + 1));
      got.push(...drain(d));
    }
  }
  const ms = performance.now() - t0;
  assert.deepEqual(got, frames);
  assert.ok(ms < 4000, `took ${ms.toFixed(0)} ms`);
  assert.ok(d.peakBuffered <= 4 + MAX_FRAME_BYTES);
});

test('chunks are copied: the caller may reuse its buffer at once', () => {
  const d = new FrameDecoder();
  const buf = encodeFrame(frame(10, 3));
  d.push(buf.subarray(0, 6));
  buf.fill(0xee, 0, 6);
  d.push(buf.subarray(6));
  // The first 6 bytes (the prefix and 2 frame bytes) were taken before the caller reused them.
  assert.deepEqual(d.next(), frame(10, 3));
});
