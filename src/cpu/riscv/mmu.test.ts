import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ACCESS_FETCH,
  ACCESS_LOAD,
  ACCESS_STORE,
  CTX_S,
  CTX_S_SUM,
  CTX_U,
  Tlb,
  TLB_ENTRIES,
  TLB_SLOTS,
} from './mmu.js';

/** The i64 tag, i32 offset and i32 delta translated code reads for entry `i`. */
function wasmView(t: Tlb, i: number): { tag: bigint; off: number; delta: number } {
  const tags = new BigInt64Array(t.words.buffer, t.words.byteOffset, TLB_SLOTS * 2);
  return { tag: tags[i * 2], off: t.words[i * 4 + 2], delta: t.words[i * 4 + 3] };
}

test('Tlb: translated code sees each tag as the 64-bit page base, two’s complement', () => {
  const t = new Tlb(new ArrayBuffer(TLB_SLOTS * 16 + 4096), 0, TLB_SLOTS * 16);
  // Sign-extended kernel addresses are negative numbers in JavaScript, and must be the same i64
  // bits that a register holds; pages at and above 2^31 must not come out negative.
  const pages = [
    0,
    0x1000,
    0x7ffff000,
    0x80000000,
    0xfffff000,
    0x3f_ffff_f000,
    2 ** 52,
    -0x80000000,
    -0x1000,
  ];
  pages.forEach((page, k) => {
    const i = Tlb.index(CTX_S, ACCESS_LOAD, page);
    t.set(i, page, k * 4096);
    assert.equal(wasmView(t, i).tag, BigInt(page), `page ${page}`);
    assert.equal(wasmView(t, i).off, k * 4096);
    assert.equal(t.tag[i], page);
    // Any address in the page, wrapped to 32 bits, plus the delta is its RAM offset (mod 2^32).
    for (const pgoff of [0, 8, 4095]) {
      const addr32 = Number(BigInt.asIntN(32, BigInt(page + pgoff)));
      assert.equal((addr32 + wasmView(t, i).delta) | 0, k * 4096 + pgoff, `page ${page} + ${pgoff}`);
    }
  });
});

test('Tlb: every way of dropping an entry drops it for translated code too', () => {
  const t = new Tlb();
  // An empty entry's tag is -1: no address, masked to its page and alignment bits, equals it.
  const empty = (i: number): boolean => Number.isNaN(t.tag[i]) && wasmView(t, i).tag === -1n;
  const page = -0x7fff_f000;
  const a = Tlb.index(CTX_S, ACCESS_LOAD, page);
  const b = Tlb.index(CTX_U, ACCESS_STORE, 0x4000);
  t.set(a, page, 0x2000);
  t.set(b, 0x4000, 0x3000);
  t.flushPage(page);
  assert.ok(empty(a));
  assert.ok(!empty(b));
  t.flushRamPage(0x3000);
  assert.ok(empty(b));
  t.set(a, page, 0x2000);
  t.flush();
  assert.ok(empty(a));
});

test('Tlb: the epoch changes whenever a fetch entry goes, and only then', () => {
  const t = new Tlb();
  const code = 0x4000_0000;
  const data = 0x5000_0000;
  t.set(Tlb.index(CTX_S, ACCESS_FETCH, code), code, 0x1000);
  t.set(Tlb.index(CTX_S, ACCESS_LOAD, data), data, 0x2000);
  t.set(Tlb.index(CTX_S, ACCESS_STORE, data), data, 0x2000);
  let e = t.epoch;
  // Links are made only through fetch entries: data pages may come and go.
  t.flushPage(data);
  t.flushRamPage(0x1000);
  assert.equal(t.epoch, e);
  t.flushPage(code);
  assert.notEqual(t.epoch, e);
  // A fetch entry taken over by another page (same index) ends the links made through it.
  e = t.epoch;
  const other = code + TLB_ENTRIES * 4096;
  t.set(Tlb.index(CTX_S, ACCESS_FETCH, code), code, 0x1000);
  assert.equal(t.epoch, e);
  t.set(Tlb.index(CTX_S, ACCESS_FETCH, other), other, 0x3000);
  assert.notEqual(t.epoch, e);
  e = t.epoch;
  t.flush();
  assert.notEqual(t.epoch, e);
});

/**
 * Fill entries `count` times over all contexts and access kinds; every third fill is dropped at
 * once (SFENCE.VMA of that page) and its entry filled again.
 */
function fillMany(t: Tlb, count: number): void {
  for (let n = 0; n < count; n++) {
    const ctx = n % 4;
    const access = Math.floor(n / 4) % 3;
    const va = (n >> 2) * 4096;
    const i = Tlb.index(ctx, access, va);
    t.set(i, va, (n % 64) * 4096);
    if (n % 3 === 0) {
      t.flushPage(va);
      t.set(i, va, (n % 64) * 4096);
    }
  }
}

const emptied = (t: Tlb, i: number): boolean =>
  Number.isNaN(t.tag[i]) && t.words[4 * i] === -1 && t.words[4 * i + 1] === -1;

test('Tlb: a full flush empties every entry, however many fills came before it', () => {
  for (const count of [10, 2 * TLB_SLOTS]) {
    const t = new Tlb();
    fillMany(t, count);
    assert.ok(t.tag.some((x) => !Number.isNaN(x)));
    t.flush();
    for (let i = 0; i < TLB_SLOTS; i++) assert.ok(emptied(t, i), `entry ${i} after ${count} fills`);
  }
});

test('Tlb: dropping a RAM page drops its store entries in every context, and nothing else', () => {
  const t = new Tlb();
  const ram = 0x7000;
  const va = 0x40_0000_0000;
  const other = 0x1234_5000;
  const stores = [CTX_U, CTX_S, CTX_S_SUM].map((c) => Tlb.index(c, ACCESS_STORE, va));
  for (const i of stores) t.set(i, va, ram);
  const load = Tlb.index(CTX_S, ACCESS_LOAD, va);
  t.set(load, va, ram);
  const keep = Tlb.index(CTX_S, ACCESS_STORE, other);
  t.set(keep, other, 0x8000);
  t.flushRamPage(ram);
  for (const i of stores) assert.ok(emptied(t, i));
  assert.equal(t.tag[load], va);
  assert.equal(t.tag[keep], other);
});
