// HostEntropySource fills the whole buffer from the host's CSPRNG, past the 65536 bytes Web
// Crypto's getRandomValues fills per call.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostEntropySource } from './entropy.js';

test('host entropy: every 4 KiB of a 200 KiB buffer is filled, and two fills differ', () => {
  const src = new HostEntropySource();
  const a = new Uint8Array(200 * 1024);
  src.fill(a);
  // 4096 zero bytes from a CSPRNG: probability 2^-32768.
  for (let at = 0; at < a.length; at += 4096) {
    assert.ok(
      a.subarray(at, at + 4096).some((b) => b !== 0),
      `bytes ${at}.. left zero`,
    );
  }
  const b = new Uint8Array(64);
  src.fill(b);
  assert.notDeepEqual(b, a.subarray(0, 64));
});
