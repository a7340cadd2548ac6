// readChain/writeChain: a chain's buffers as one byte stream (virtio 1.2 §2.7.5), bounds-safe.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GuestMemory } from '../../memory/guest-memory.js';
import { chainLength, readChain, readChainInto, writeChain } from './chain.js';

const BASE = 0x8000_0000;

function setup(): GuestMemory {
  const mem = new GuestMemory(BASE, 4096);
  for (let i = 0; i < 4096; i++) mem.bytes[i] = i & 0xff;
  return mem;
}

const bufs = [
  { addr: BASE + 0x10, len: 4 },
  { addr: BASE + 0x100, len: 2 },
  { addr: BASE + 0x200, len: 6 },
];

test('chainLength sums the buffers', () => {
  assert.equal(chainLength(bufs), 12);
  assert.equal(chainLength([]), 0);
});

test('readChain crosses buffer boundaries and stops at the end of the stream', () => {
  const mem = setup();
  assert.deepEqual([...readChain(mem, bufs, 0, 12)], [0x10, 0x11, 0x12, 0x13, 0x00, 0x01, 0, 1, 2, 3, 4, 5]);
  assert.deepEqual([...readChain(mem, bufs, 3, 4)], [0x13, 0x00, 0x01, 0x00]);
  assert.deepEqual([...readChain(mem, bufs, 10, 100)], [4, 5]);
  assert.equal(readChain(mem, bufs, 12, 1).length, 0);
  assert.equal(readChain(mem, bufs, 0, 0).length, 0);
});

test('readChainInto fills what fits and returns the count', () => {
  const mem = setup();
  const dst = new Uint8Array(5);
  assert.equal(readChainInto(mem, bufs, 2, dst), 5);
  assert.deepEqual([...dst], [0x12, 0x13, 0x00, 0x01, 0x00]);
});

test('writeChain scatters across buffers and reports a short write at the end', () => {
  const mem = setup();
  const n = writeChain(mem, bufs, 2, Uint8Array.from([0xa0, 0xa1, 0xa2, 0xa3, 0xa4]));
  assert.equal(n, 5);
  assert.deepEqual([...mem.slice(BASE + 0x10, 4)], [0x10, 0x11, 0xa0, 0xa1]);
  assert.deepEqual([...mem.slice(BASE + 0x100, 2)], [0xa2, 0xa3]);
  assert.deepEqual([...mem.slice(BASE + 0x200, 2)], [0xa4, 0x01]);
  assert.equal(writeChain(mem, bufs, 11, Uint8Array.from([1, 2, 3])), 1);
  // Nothing was written past the last buffer.
  assert.equal(mem.bytes[0x206], 0x06);
});

test('buffers outside RAM end the stream instead of throwing', () => {
  const mem = setup();
  const bad = [
    { addr: BASE + 4090, len: 4 },
    { addr: BASE + 4094, len: 8 },
    { addr: BASE, len: 4 },
  ];
  assert.deepEqual([...readChain(mem, bad, 0, 100)], [0xfa, 0xfb, 0xfc, 0xfd]);
  assert.equal(writeChain(mem, bad, 0, new Uint8Array(100)), 4);
  assert.equal(mem.bytes[0], 0);
  assert.equal(mem.bytes[1], 1, 'the buffer after the bad one is not reached');
  assert.equal(readChain(mem, [{ addr: BASE - 1, len: 2 }], 0, 2).length, 0);
  assert.equal(readChain(mem, bufs, -1, 2).length, 0);
  assert.equal(readChain(mem, bufs, 0, Number.NaN).length, 0);
});
