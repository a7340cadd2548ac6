// `--net user` against a hostile guest: truncated headers, bad checksums, floods of SYNs and of IP
// fragments, and a seeded fuzz of mutated frames. Nothing may throw, the worker must stay alive
// and answer afterwards, descriptors and memory must stay bounded. All traffic stays on 127.0.0.1:
// the fuzz runs with restrict=on (nothing leaves), or lets through only frames to its own socket.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import { prng } from '../../../core/prng.js';
import { parseNetSpec, type UserNetSpec } from '../../../backends/net/spec.js';
import {
  arp,
  BROADCAST_MAC,
  dhcpBroadcast,
  ETH_ARP,
  ETH_IPV4,
  ethernet,
  icmpEcho,
  ipv4,
  PROTO_ICMP,
  PROTO_TCP,
  PROTO_UDP,
  rd16,
  tcp,
  TestGuest,
  udp,
} from '../../../testing/backends/net/eth.js';
import { openUserNetBackend, type UserNetBackend, type UserNetOptions } from './backend.js';

const MAC = Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);
const GUEST = '10.0.2.15';
const GW = '10.0.2.2';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const fds = (): number => readdirSync('/proc/self/fd').length;

async function withGuest(
  text: string,
  body: (g: TestGuest, b: UserNetBackend) => Promise<void>,
  opts: UserNetOptions = {},
): Promise<void> {
  const b = await openUserNetBackend(parseNetSpec(text).backend as UserNetSpec, opts);
  try {
    const g = new TestGuest(b, MAC, GUEST);
    assert.ok(await g.arpGateway(GW), 'ARP before');
    await body(g, b);
    assert.ok(b.alive, `worker alive (${b.failure ?? ''})`);
    assert.ok(await g.ping(GW, 999), 'the gateway answers ping afterwards');
  } finally {
    await b.close();
  }
}

/** A host UDP socket on 127.0.0.1 that counts what it receives. */
async function udpSink(): Promise<{ port: number; got: Buffer[]; close: () => void }> {
  const s = dgram.createSocket('udp4');
  const got: Buffer[] = [];
  s.on('message', (m) => got.push(m));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return { port: s.address().port, got, close: () => s.close() };
}

/** Valid frames of each kind the guest may send, to be cut and mutated. */
function templates(g: TestGuest, sinkPort: number): Uint8Array[] {
  const ipf = (proto: number, payload: Uint8Array): Uint8Array =>
    ethernet(g.gatewayMac, MAC, ETH_IPV4, ipv4(GUEST, GW, proto, payload));
  return [
    ethernet(BROADCAST_MAC, MAC, ETH_ARP, arp(1, MAC, GUEST, new Uint8Array(6), GW)),
    dhcpBroadcast(MAC, 1, 5),
    ipf(PROTO_ICMP, icmpEcho(1, 1, new Uint8Array(40))),
    ipf(PROTO_UDP, udp(GUEST, 5555, GW, sinkPort, new Uint8Array(64))),
    ipf(PROTO_TCP, tcp(GUEST, 6000, GW, sinkPort, 0x02, 1)),
  ];
}

test('truncated headers: every prefix of every kind of frame is ignored without harm', async () => {
  const sink = await udpSink();
  try {
    await withGuest('user', async (g, b) => {
      for (const t of templates(g, sink.port)) {
        for (let len = 14; len < t.length; len++) b.send(t.slice(0, len));
      }
      // An IP header that claims more than the frame holds, and a header length below 20.
      const ok = templates(g, sink.port)[3];
      const longer = ok.slice();
      longer[17] = 0xff;
      const shortIhl = ok.slice();
      shortIhl[14] = 0x42;
      b.send(longer);
      b.send(shortIhl);
      await sleep(300);
      assert.equal(sink.got.length, 0, 'no cut or inconsistent datagram reached the host');
    });
  } finally {
    sink.close();
  }
});

test('bad checksums: IP header, ICMP, UDP and TCP with a wrong checksum are dropped', async () => {
  const sink = await udpSink();
  let accepted = 0;
  const srv = net.createServer((s) => {
    accepted++;
    s.destroy();
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const tcpPort = (srv.address() as net.AddressInfo).port;
  try {
    await withGuest('user', async (g, b) => {
      const from = g.frames.length;
      const corrupt = (f: Uint8Array, off: number): Uint8Array => {
        const c = f.slice();
        c[off] ^= 0x5a;
        return c;
      };
      const ipf = (proto: number, payload: Uint8Array): Uint8Array =>
        ethernet(g.gatewayMac, MAC, ETH_IPV4, ipv4(GUEST, GW, proto, payload));
      const echo = ipf(PROTO_ICMP, icmpEcho(1, 77, new Uint8Array(16)));
      b.send(corrupt(echo, 14 + 10)); // IP header checksum
      b.send(corrupt(echo, 34 + 2)); // ICMP checksum
      b.send(corrupt(ipf(PROTO_UDP, udp(GUEST, 5555, GW, sink.port, new Uint8Array(8))), 34 + 6));
      b.send(corrupt(ipf(PROTO_TCP, tcp(GUEST, 6001, GW, tcpPort, 0x02, 1)), 34 + 16));
      await sleep(500);
      const echoed = await g.wait(
        (p) => p.ip?.proto === PROTO_ICMP && rd16(p.ip.payload, 6) === 77,
        10,
        from,
      );
      assert.equal(echoed, undefined, 'no echo reply to a corrupt request');
      assert.equal(sink.got.length, 0, 'no corrupt UDP datagram reached the host');
      assert.equal(accepted, 0, 'no corrupt SYN connected');
      // The same frames intact do get through (the test would pass vacuously otherwise).
      b.send(ipf(PROTO_UDP, udp(GUEST, 5555, GW, sink.port, new Uint8Array(8))));
      b.send(echo);
      assert.ok(await g.wait((p) => p.ip?.proto === PROTO_ICMP && rd16(p.ip.payload, 6) === 77, 3000, from));
      for (let i = 0; i < 100 && sink.got.length === 0; i++) await sleep(10);
      assert.equal(sink.got.length, 1);
    });
  } finally {
    sink.close();
    srv.close();
  }
});

test('SYN flood to a closed host port: every SYN answered or dropped, descriptors come back', async () => {
  const closed = net.createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
  const port = (closed.address() as net.AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  await withGuest('user', async (g, b) => {
    const baseline = fds();
    for (let i = 0; i < 3000; i++) {
      g.sendIp(GW, PROTO_TCP, tcp(GUEST, 10000 + i, GW, port, 0x02, i * 7919));
      if (i % 500 === 499) await sleep(20);
    }
    let rsts = 0;
    for (let t = 0; t < 300; t++) {
      rsts = g.frames.filter(
        (f) => f.length >= 54 && rd16(f, 12) === ETH_IPV4 && f[23] === PROTO_TCP && (f[47] & 0x04) !== 0,
      ).length;
      if (rsts >= 3000 && fds() <= baseline + 2) break;
      await sleep(20);
    }
    assert.ok(rsts > 0, 'refused connections are reset');
    assert.ok(fds() <= baseline + 2, `descriptors back near ${baseline} (now ${fds()})`);
    assert.equal(b.metrics.txFrames + b.metrics.txDropped >= 3000, true);
  });
});

test('SYN flood to a listening host port: at most maxSockets connections are opened, the rest refused', async () => {
  const held: net.Socket[] = [];
  const srv = net.createServer((s) => {
    held.push(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  const maxSockets = 16;
  try {
    await withGuest(
      'user',
      async (g, b) => {
        for (let i = 0; i < 200; i++) {
          g.sendIp(GW, PROTO_TCP, tcp(GUEST, 20000 + i, GW, port, 0x02, i * 104729));
          // Give slirp turns to open sockets, so that the limit is seen as they pile up.
          if (i % 10 === 9) await sleep(10);
        }
        await sleep(1000);
        assert.ok(held.length > 0, 'connections are opened up to the limit');
        assert.ok(
          held.length <= maxSockets + 10,
          `${held.length} host connections for a limit of ${maxSockets}`,
        );
        assert.ok(b.refusedConnections > 0, 'SYNs past the limit are refused');
      },
      { maxSockets },
    );
  } finally {
    for (const s of held) s.destroy();
    srv.close();
  }
});

test('fragment flood: 20000 fragments that never complete keep memory bounded', async () => {
  await withGuest('user', async (g) => {
    const rss0 = process.memoryUsage().rss;
    const chunk = new Uint8Array(1024);
    for (let i = 0; i < 20000; i++) {
      // First fragments of datagrams whose rest never comes, each with its own id.
      g.sendIp(GW, PROTO_UDP, chunk, { id: i & 0xffff, moreFragments: true, fragOffset8: (i >>> 16) * 8 });
      if (i % 1000 === 999) await sleep(5);
    }
    await sleep(300);
    const grownBytes = process.memoryUsage().rss - rss0;
    assert.ok(grownBytes < 200 * 1024 * 1024, `RSS grew ${grownBytes} bytes`);
  });
});

test('seeded fuzz: 30000 mutated frames (restrict=on, then to the test socket only) throw nothing', async () => {
  const sink = await udpSink();
  try {
    for (const restrict of [true, false]) {
      await withGuest(`user,restrict=${restrict ? 'on' : 'off'},ipv6=off`, async (g, b) => {
        const rand = prng(restrict ? 21 : 22);
        const base = templates(g, sink.port);
        const int = (n: number): number => Math.floor(rand() * n);
        let sent = 0;
        for (let i = 0; i < 15000; i++) {
          let f = base[int(base.length)].slice();
          const flips = 1 + int(6);
          for (let k = 0; k < flips; k++) {
            const pos = rand() < 0.7 ? 14 + int(Math.min(40, f.length - 14)) : int(f.length);
            f[pos] = rand() < 0.5 ? int(256) : f[pos] ^ (1 << int(8));
          }
          if (rand() < 0.2) f = f.slice(0, 14 + int(f.length - 13));
          if (rand() < 0.05) f = Uint8Array.from({ length: 14 + int(600) }, () => int(256));
          // Without restrict, only frames to the gateway (the host's loopback) at the test's own
          // port may pass: a mutated address must not send anything off this machine.
          if (!restrict && !toSinkOnly(f, sink.port)) continue;
          b.send(f);
          sent++;
          if (i % 1000 === 999) await sleep(5);
        }
        assert.ok(sent > 1000, `sent ${sent}`);
      });
    }
  } finally {
    sink.close();
  }
});

/** An ARP frame, or IPv4 to 10.0.2.2 that is ICMP, or UDP/TCP to `port` (non-IPv4: dropped). */
function toSinkOnly(f: Uint8Array, port: number): boolean {
  if (f.length < 14) return false;
  const type = rd16(f, 12);
  if (type === ETH_ARP) return true;
  if (type !== ETH_IPV4 || f.length < 34) return false;
  if (f[30] !== 10 || f[31] !== 0 || f[32] !== 2 || f[33] !== 2) return false;
  const proto = f[23];
  if (proto === PROTO_ICMP) return true;
  if (proto !== PROTO_UDP && proto !== PROTO_TCP) return false;
  const ihl = (f[14] & 15) * 4;
  return f.length >= 14 + ihl + 4 && rd16(f, 14 + ihl + 2) === port;
}
