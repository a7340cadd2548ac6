// libslirp's state across NATs (snapshots and migration of a VM with --net user): what
// slirp_state_save writes, slirp_state_load in a fresh NAT takes, and the DHCP leases are in it.
// libslirp gives addresses from dhcpstart on in the order clients ask (its bootp table), so a
// client that had the second address keeps it only if the table came across.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNetSpec, type UserNetSpec } from '../../../backends/net/spec.js';
import {
  dhcpBroadcast,
  dhcpOptions,
  ipText,
  PROTO_UDP,
  rd16,
  TestGuest,
} from '../../../testing/backends/net/eth.js';
import { openUserNetBackend, type UserNetBackend } from './backend.js';

const userSpec = (text: string): UserNetSpec => parseNetSpec(text).backend as UserNetSpec;
const mac = (n: number): Uint8Array => Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, n);

/** The address `b`'s DHCP server offers the client with MAC `m` (a DISCOVER, its OFFER). */
async function offer(g: TestGuest, m: Uint8Array, xid: number): Promise<string> {
  const from = g.frames.length;
  g.backend.send(dhcpBroadcast(m, 1, xid));
  const r = await g.wait(
    (p) =>
      p.ip?.proto === PROTO_UDP &&
      rd16(p.ip.payload, 2) === 68 &&
      new DataView(p.ip.payload.buffer, p.ip.payload.byteOffset + 8).getUint32(4) === xid &&
      dhcpOptions(p.ip.payload.subarray(8)).get(53)?.[0] === 2,
    3000,
    from,
  );
  assert.ok(r?.ip, `an OFFER for xid ${xid}`);
  return ipText(r.ip.payload.subarray(8 + 16, 8 + 20));
}

async function withNat<T>(body: (g: TestGuest, b: UserNetBackend) => Promise<T>): Promise<T> {
  const b = await openUserNetBackend(userSpec('user'));
  try {
    return await body(new TestGuest(b, mac(0xee), '10.0.2.99'), b);
  } finally {
    await b.close();
  }
}

test("libslirp's state carries its DHCP leases into a new NAT", async () => {
  const saved = await withNat(async (g, b) => {
    assert.equal(await offer(g, mac(1), 1), '10.0.2.15');
    assert.equal(await offer(g, mac(2), 2), '10.0.2.16');
    return b.saveState();
  });
  assert.ok(saved.version >= 1 && saved.bytes.length > 0, JSON.stringify(saved.version));
  // Without the state, the second client is the first a new NAT sees.
  await withNat(async (g) => assert.equal(await offer(g, mac(2), 3), '10.0.2.15'));
  await withNat(async (g, b) => {
    await b.loadState(saved);
    assert.equal(await offer(g, mac(2), 4), '10.0.2.16', 'the lease came across');
    assert.equal(await offer(g, mac(1), 5), '10.0.2.15');
    assert.equal(await offer(g, mac(3), 6), '10.0.2.17', 'a new client gets a new address');
  });
});

test('a state libslirp cannot take is refused with an error that says so', async () => {
  const saved = await withNat(async (_g, b) => b.saveState());
  await withNat(async (_g, b) => {
    await assert.rejects(
      b.loadState({ version: saved.version + 1000, bytes: saved.bytes }),
      /this libslirp reads 1\.\.\d+/,
    );
    await assert.rejects(
      b.loadState({ version: saved.version, bytes: saved.bytes.subarray(0, 3) }),
      /refused the state/,
    );
    // The NAT still works after a refused state.
    const g = new TestGuest(b, mac(0xee), '10.0.2.99');
    assert.equal(await offer(g, mac(7), 9), '10.0.2.15');
  });
});
