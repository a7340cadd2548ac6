// PMP address matching and priority (privileged spec 3.7.1): OFF, TOR, NA4 and NAPOT entries, the
// lowest-numbered match deciding, partial matches failing, M-mode bound only by locked entries.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pmp } from './pmp.js';

const FETCH = 0;
const LOAD = 1;
const STORE = 2;
const M = 3;
const S = 1;
const U = 0;

const R = 1;
const W = 2;
const X = 4;
const TOR = 1 << 3;
const NA4 = 2 << 3;
const NAPOT = 3 << 3;
const L = 0x80;

/** Set entry n: pmpaddr = addr (a BigInt, bits 55:2 of an address) and pmpcfg = cfg. */
function entry(p: Pmp, n: number, addr: bigint, cfg: number): void {
  p.addr[2 * n] = Number(BigInt.asIntN(32, addr));
  p.addr[2 * n + 1] = Number(addr >> 32n) & 0x3fffff;
  p.cfg[n] = cfg;
}

/** pmpaddr of a NAPOT region of `size` bytes at `base`. */
const napot = (base: bigint, size: bigint): bigint => (base >> 2n) | (size / 8n - 1n);

test('no entry matches: S and U fail, M succeeds', () => {
  const p = new Pmp();
  p.update();
  for (const priv of [S, U])
    for (const a of [FETCH, LOAD, STORE]) assert.equal(p.allows(0x80000000, 4, a, priv), false);
  assert.equal(p.allows(0x80000000, 8, STORE, M), true);
});

test('NAPOT over every address (pmpaddr all ones, beyond 2^53) allows everything it grants', () => {
  const p = new Pmp();
  entry(p, 0, (1n << 54n) - 1n, NAPOT | R | W | X);
  p.update();
  for (const pa of [0, 0x80000000, 2 ** 52, 2 ** 56 - 8])
    assert.equal(p.allows(pa, 8, STORE, S), true, `${pa}`);
  entry(p, 0, (1n << 54n) - 1n, NAPOT | R);
  p.update();
  assert.equal(p.allows(2 ** 55, 8, LOAD, U), true);
  assert.equal(p.allows(2 ** 55, 8, STORE, U), false);
  assert.equal(p.allows(0x1000, 2, FETCH, S), false);
});

test('the lowest-numbered matching entry decides, even when a later one would allow', () => {
  const p = new Pmp();
  entry(p, 0, napot(0x80200000n, 4096n), NAPOT | R);
  entry(p, 15, (1n << 54n) - 1n, NAPOT | R | W | X);
  p.update();
  assert.equal(p.allows(0x80200ff8, 8, LOAD, S), true);
  assert.equal(p.allows(0x80200ff8, 8, STORE, S), false);
  assert.equal(p.allows(0x80201000, 8, STORE, S), true, 'the next page is entry 15s');
  assert.equal(p.allowsPage(0x80200000, STORE, S), false);
  assert.equal(p.allowsPage(0x80201000, STORE, S), true);
  assert.equal(p.allows(0x80200000, 8, STORE, M), true, 'an unlocked entry does not bind M');
});

test('an access matching only some bytes of an entry fails', () => {
  const p = new Pmp();
  entry(p, 0, 0x80200004n >> 2n, NA4 | R | W);
  entry(p, 15, (1n << 54n) - 1n, NAPOT | R | W | X);
  p.update();
  assert.equal(p.allows(0x80200004, 4, LOAD, S), true);
  assert.equal(p.allows(0x80200000, 8, LOAD, S), false);
  assert.equal(p.allows(0x80200006, 4, LOAD, S), false);
  assert.equal(p.allowsPage(0x80200000, LOAD, S), false, 'the page holds a 4-byte entry');
});

test('TOR: [pmpaddr(i-1), pmpaddr(i)), from 0 for entry 0; an OFF entry only supplies the bound', () => {
  const p = new Pmp();
  entry(p, 0, 0x80300000n >> 2n, 0);
  entry(p, 1, 0x80302000n >> 2n, TOR | X);
  p.update();
  assert.equal(p.allows(0x80300000, 4, FETCH, U), true);
  assert.equal(p.allows(0x80301ffc, 4, FETCH, U), true);
  assert.equal(p.allows(0x80302000, 4, FETCH, U), false, 'hi is exclusive: no match, U fails');
  assert.equal(p.allows(0x802ffffc, 4, FETCH, U), false);
  assert.equal(p.allows(0x80300000, 4, LOAD, U), false);
  entry(p, 0, 0x1000n >> 2n, TOR | R);
  p.update();
  assert.equal(p.allows(0, 4, LOAD, S), true);
  assert.equal(p.allows(0xffc, 4, LOAD, S), true);
  assert.equal(p.allows(0x1000, 4, LOAD, S), false);
});

test('a locked entry binds M-mode too', () => {
  const p = new Pmp();
  entry(p, 0, napot(0x80200000n, 4096n), NAPOT | R | L);
  p.update();
  assert.equal(p.allows(0x80200000, 8, LOAD, M), true);
  assert.equal(p.allows(0x80200000, 8, STORE, M), false);
  assert.equal(p.allows(0x80201000, 8, STORE, M), true, 'M with no match succeeds');
});
