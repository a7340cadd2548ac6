// The translation cache's lookups: a block is found only for the RAM offset and virtual pc it was
// made for, from the moment it is put until its page is written or the cache is flushed, whatever
// lookups came before (misses are remembered, and must be forgotten when a block arrives).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodeCache } from './cache.js';

type Block = { pc: number; lo: number; hi: number };
const block = (pc: number): Block => ({ pc, lo: pc, hi: pc + 4 });

test('a lookup that missed does not hide the block put after it', () => {
  const c = new CodeCache<Block>(1 << 20);
  const a = block(0x1000);
  c.put(0x1000, a); // the page now holds code, so lookups in it consult the cache
  assert.equal(c.get(0x1010, 0x1010), undefined);
  const b = block(0x1010);
  c.put(0x1010, b);
  assert.equal(c.get(0x1010, 0x1010), b);
  assert.equal(c.get(0x1000, 0x1000), a);
});

test('a block is found only for the pc it was made for', () => {
  const c = new CodeCache<Block>(1 << 20);
  const a = block(0x80001000);
  c.put(0x1000, a);
  assert.equal(c.get(0x1000, 0x80001000), a);
  assert.equal(c.get(0x1000, 0x40001000), undefined, 'the same bytes through another mapping');
  assert.equal(c.get(0x1000, 0x80001000), a);
});

test('writing a page drops its blocks; a block put again is found', () => {
  const c = new CodeCache<Block>(1 << 20);
  const a = block(0x2000);
  c.put(0x2000, a);
  assert.equal(c.get(0x2000, 0x2000), a);
  c.invalidatePage(2);
  assert.equal(c.get(0x2000, 0x2000), undefined);
  const b = block(0x2000);
  c.put(0x2000, b);
  assert.equal(c.get(0x2000, 0x2000), b);
  c.put(0x2004, block(0x2004));
  assert.equal(c.get(0x2000, 0x2000), b, 'another block in the page leaves it alone');
});

test('replacing a block and flushing the cache are seen by the next lookup', () => {
  const c = new CodeCache<Block>(1 << 20, 2);
  const a = block(0x3000);
  c.put(0x3000, a);
  assert.equal(c.get(0x3000, 0x3000), a);
  const a2 = block(0x3000);
  c.put(0x3000, a2);
  assert.equal(c.get(0x3000, 0x3000), a2);
  c.put(0x3008, block(0x3008));
  assert.equal(c.get(0x3000, 0x3000), a2);
  c.put(0x4000, block(0x4000)); // the bound (2 blocks) is reached: everything goes
  assert.equal(c.get(0x3000, 0x3000), undefined);
  assert.equal(c.get(0x3008, 0x3008), undefined);
  assert.equal(c.size, 1);
});
