// `--net user` without a guest OS: a test guest speaks raw Ethernet frames to libslirp through the
// backend and checks what QEMU's user networking documents: DHCP hands out 10.0.2.15 with router
// 10.0.2.2 and DNS 10.0.2.3, the gateway answers ARP and ping and stands for the host's loopback,
// hostfwd reaches the guest, restrict=on stops outbound connections. Traffic stays on 127.0.0.1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import { parseNetSpec, type UserNetSpec } from '../../../backends/net/spec.js';
import {
  BROADCAST_MAC,
  dhcpBroadcast,
  dhcpOptions,
  ethernet,
  inetChecksum,
  ipText,
  PROTO_TCP,
  PROTO_UDP,
  rd16,
  tcp,
  TestGuest,
  udp,
} from '../../../testing/backends/net/eth.js';
import { openUserNetBackend, UserNetError, type UserNetBackend, type UserNetOptions } from './backend.js';

const MAC = Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);
const GUEST = '10.0.2.15';
const GW = '10.0.2.2';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const userSpec = (text: string): UserNetSpec => parseNetSpec(text).backend as UserNetSpec;

async function withGuest(
  text: string,
  body: (g: TestGuest, b: UserNetBackend) => Promise<void>,
  opts: UserNetOptions = {},
): Promise<void> {
  const b = await openUserNetBackend(userSpec(text), opts);
  try {
    const g = new TestGuest(b, MAC, GUEST);
    await body(g, b);
  } finally {
    await b.close();
  }
}

/** A port nobody listens on right now (bound then released). */
async function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  if (kind === 'udp') {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const p = s.address().port;
    await new Promise<void>((r) => s.close(() => r()));
    return p;
  }
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const p = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return p;
}

const isTcp = (p: ReturnType<typeof import('../../../testing/backends/net/eth.js').parse>) =>
  p.ip?.proto === PROTO_TCP ? p.ip : undefined;

test('DHCP: DISCOVER gets an OFFER of 10.0.2.15 with router 10.0.2.2, DNS 10.0.2.3, mask /24; REQUEST an ACK', async () => {
  await withGuest('user', async (g) => {
    const bootp = (type: 1 | 3, requested?: string) => dhcpBroadcast(MAC, type, 0xabcd, requested);
    const reply = async (want: number) => {
      const from = g.frames.length;
      const r = await g.wait(
        (p) =>
          p.ip?.proto === PROTO_UDP &&
          rd16(p.ip.payload, 2) === 68 &&
          dhcpOptions(p.ip.payload.subarray(8)).get(53)?.[0] === want,
        3000,
        from,
      );
      assert.ok(r?.ip, `DHCP message type ${want}`);
      return r.ip.payload.subarray(8);
    };
    g.backend.send(bootp(1));
    const offer = await reply(2);
    assert.equal(new DataView(offer.buffer, offer.byteOffset).getUint32(4), 0xabcd, 'xid echoed');
    assert.equal(ipText(offer.subarray(16, 20)), GUEST, 'yiaddr');
    const o = dhcpOptions(offer);
    assert.equal(ipText(o.get(3) as Uint8Array), GW, 'router');
    assert.equal(ipText(o.get(6) as Uint8Array), '10.0.2.3', 'DNS');
    assert.equal(ipText(o.get(1) as Uint8Array), '255.255.255.0', 'subnet mask');
    assert.equal(ipText(o.get(54) as Uint8Array), GW, 'server identifier');
    g.backend.send(bootp(3, GUEST));
    const ack = await reply(5);
    assert.equal(ipText(ack.subarray(16, 20)), GUEST);
  });
});

test('DHCP follows net= and dhcpstart=', async () => {
  await withGuest('user,net=192.168.50.0/24,dhcpstart=192.168.50.40', async (g) => {
    g.backend.send(dhcpBroadcast(MAC, 1, 7));
    const r = await g.wait((p) => p.ip?.proto === PROTO_UDP && rd16(p.ip.payload, 2) === 68);
    assert.ok(r?.ip);
    const offer = r.ip.payload.subarray(8);
    assert.equal(ipText(offer.subarray(16, 20)), '192.168.50.40');
    assert.equal(ipText(dhcpOptions(offer).get(3) as Uint8Array), '192.168.50.2');
  });
});

test('the gateway and the DNS address answer ARP; the gateway answers ping', async () => {
  await withGuest('user', async (g) => {
    const r = await g.arpGateway(GW);
    assert.ok(r?.arp, 'ARP reply from 10.0.2.2');
    assert.deepEqual(Array.from(r.dstMac), Array.from(MAC), 'the reply is addressed to the asker');
    assert.ok((await g.arpGateway('10.0.2.3'))?.arp, 'ARP reply from 10.0.2.3');
    await g.arpGateway(GW);
    assert.ok(await g.ping(GW, 1), 'echo reply from 10.0.2.2');
    assert.ok(await g.ping(GW, 2), 'a second echo reply');
  });
});

test('UDP to 10.0.2.2:PORT reaches a host socket on 127.0.0.1:PORT, and its answer comes back', async () => {
  const host = dgram.createSocket('udp4');
  await new Promise<void>((r) => host.bind(0, '127.0.0.1', () => r()));
  const port = host.address().port;
  try {
    await withGuest('user', async (g) => {
      await g.arpGateway(GW);
      const got = new Promise<{ msg: Buffer; rinfo: dgram.RemoteInfo }>((r) =>
        host.once('message', (msg, rinfo) => r({ msg, rinfo })),
      );
      const data = new TextEncoder().encode('hello from the guest');
      g.sendIp(GW, PROTO_UDP, udp(GUEST, 40000, GW, port, data));
      const { msg, rinfo } = await got;
      assert.equal(msg.toString(), 'hello from the guest');
      assert.equal(rinfo.address, '127.0.0.1', 'the gateway is the host loopback');
      host.send('hello from the host', rinfo.port, rinfo.address);
      const r = await g.wait(
        (p) => p.ip?.proto === PROTO_UDP && p.ip.src === GW && rd16(p.ip.payload, 0) === port,
      );
      assert.ok(r?.ip, 'the answer reaches the guest');
      assert.equal(r.ip.dst, GUEST);
      assert.equal(rd16(r.ip.payload, 2), 40000);
      assert.equal(new TextDecoder().decode(r.ip.payload.subarray(8)), 'hello from the host');
    });
  } finally {
    host.close();
  }
});

test('a guest SYN to 10.0.2.2:PORT connects to the host server on 127.0.0.1:PORT; restrict=on blocks it', async () => {
  let accepted = 0;
  const srv = net.createServer((s) => {
    accepted++;
    s.destroy();
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  try {
    await withGuest('user', async (g) => {
      await g.arpGateway(GW);
      g.sendIp(GW, PROTO_TCP, tcp(GUEST, 41000, GW, port, 0x02, 1000));
      const synAck = await g.wait((p) => {
        const t = isTcp(p);
        return t !== undefined && rd16(t.payload, 0) === port && (t.payload[13] & 0x12) === 0x12;
      });
      assert.ok(synAck, 'SYN-ACK from the gateway');
      for (let i = 0; i < 100 && accepted === 0; i++) await sleep(10);
      assert.equal(accepted, 1, 'the host server saw the connection');
    });
    accepted = 0;
    await withGuest('user,restrict=on', async (g) => {
      await g.arpGateway(GW);
      const from = g.frames.length;
      g.sendIp(GW, PROTO_TCP, tcp(GUEST, 41001, GW, port, 0x02, 1000));
      const synAck = await g.wait(
        (p) => {
          const t = isTcp(p);
          return t !== undefined && (t.payload[13] & 0x12) === 0x12;
        },
        1500,
        from,
      );
      assert.equal(synAck, undefined, 'no SYN-ACK under restrict=on');
      assert.equal(accepted, 0, 'no host connection under restrict=on');
      assert.ok(await g.ping(GW, 3), 'the gateway still answers ping under restrict=on');
    });
  } finally {
    srv.close();
  }
});

test('hostfwd: a host TCP connection to 127.0.0.1:X becomes a SYN to 10.0.2.15:Y, also under restrict=on', async () => {
  for (const restrict of ['off', 'on']) {
    const hostPort = await freePort('tcp');
    await withGuest(`user,restrict=${restrict},hostfwd=tcp:127.0.0.1:${hostPort}-:2222`, async (g) => {
      const sock = net.connect(hostPort, '127.0.0.1');
      sock.on('error', () => {});
      try {
        const syn = await g.wait((p) => {
          const t = isTcp(p);
          return (
            t !== undefined &&
            t.dst === GUEST &&
            rd16(t.payload, 2) === 2222 &&
            (t.payload[13] & 0x12) === 0x02
          );
        });
        assert.ok(syn, `SYN toward the guest (restrict=${restrict})`);
      } finally {
        sock.destroy();
      }
    });
  }
});

test('hostfwd udp: a datagram to 127.0.0.1:X reaches 10.0.2.15:Y', async () => {
  const hostPort = await freePort('udp');
  await withGuest(`user,hostfwd=udp:127.0.0.1:${hostPort}-:5353`, async (g) => {
    // A guest has talked before a datagram comes in (DHCP, ARP): slirp knows its MAC.
    await g.arpGateway(GW);
    const s = dgram.createSocket('udp4');
    try {
      s.send('to the guest', hostPort, '127.0.0.1');
      const r = await g.wait(
        (p) => p.ip?.proto === PROTO_UDP && p.ip.dst === GUEST && rd16(p.ip.payload, 2) === 5353,
      );
      assert.ok(r?.ip);
      assert.equal(new TextDecoder().decode(r.ip.payload.subarray(8)), 'to the guest');
    } finally {
      s.close();
    }
  });
});

test('a hostfwd port already in use is an error naming the rule', async () => {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  try {
    await assert.rejects(
      openUserNetBackend(userSpec(`user,hostfwd=tcp:127.0.0.1:${port}-:22`)),
      (e: Error) =>
        e instanceof UserNetError && e.message.includes(`hostfwd=tcp:127.0.0.1:${port}-10.0.2.15:22`),
    );
  } finally {
    srv.close();
  }
});

test('a missing libslirp is an error that says what to install', async () => {
  await assert.rejects(
    openUserNetBackend(userSpec('user'), { library: 'libslirp-not-here.so.0' }),
    (e: Error) => e instanceof UserNetError && /needs libslirp0: apt-get install libslirp0/.test(e.message),
  );
});

test('paused: host frames are held up to the in-flight bound, the rest dropped and counted; resume delivers', async () => {
  const hostPort = await freePort('udp');
  const bound = 64 * 1024;
  await withGuest(
    `user,hostfwd=udp:127.0.0.1:${hostPort}-:7000`,
    async (g, b) => {
      await g.arpGateway(GW);
      // One datagram first: slirp learns the guest's MAC (it asks by ARP, the test guest answers).
      const s = dgram.createSocket('udp4');
      try {
        s.send('x', hostPort, '127.0.0.1');
        assert.ok(await g.wait((p) => p.ip?.proto === PROTO_UDP && rd16(p.ip.payload, 2) === 7000));
        b.pause();
        const before = g.frames.length;
        const payload = new Uint8Array(1000);
        for (let i = 0; i < 400; i++) s.send(payload, hostPort, '127.0.0.1');
        for (let i = 0; i < 200 && b.metrics.rxDropped === 0; i++) await sleep(10);
        await sleep(200);
        assert.equal(g.frames.length, before, 'nothing delivered while paused');
        assert.ok(b.metrics.rxDropped > 0, 'frames past the bound are dropped');
        b.resume();
        const delivered = g.frames.length - before;
        assert.ok(delivered > 0, 'held frames delivered at resume');
        assert.ok(delivered * 1042 <= bound + 1042, `held at most the bound (${delivered} frames)`);
      } finally {
        s.close();
      }
    },
    { rxMaxInFlightBytes: bound },
  );
});

test('guest frames beyond the ring are dropped and counted; short and oversized frames too', async () => {
  await withGuest(
    'user',
    async (g, b) => {
      const f = ethernet(BROADCAST_MAC, MAC, 0x88b5, new Uint8Array(1500));
      for (let i = 0; i < 2000; i++) b.send(f);
      b.send(new Uint8Array(13));
      b.send(new Uint8Array(70000));
      const m = b.metrics;
      assert.equal(m.txFrames + m.txDropped, 2002);
      assert.ok(m.txDropped >= 3, `dropped ${m.txDropped}`);
      assert.ok(await g.arpGateway(GW), 'still working');
    },
    { txRingBytes: 4096 },
  );
});

test('close stops the worker and releases its descriptors; send afterwards drops', async () => {
  const fds = (): number => readdirSync('/proc/self/fd').length;
  const before = fds();
  const hostPort = await freePort('tcp');
  const b = await openUserNetBackend(userSpec(`user,hostfwd=tcp:127.0.0.1:${hostPort}-:22`));
  assert.ok(fds() > before);
  await b.close();
  assert.equal(fds(), before, 'every descriptor (eventfd, slirp sockets) closed');
  b.send(new Uint8Array(60));
  assert.equal(b.metrics.txDropped, 1);
  await assert.rejects(
    new Promise((resolve, reject) => {
      const s = net.connect(hostPort, '127.0.0.1', () => resolve(s));
      s.on('error', reject);
    }),
    'the hostfwd listener is gone',
  );
  await b.close();
});

/** An ICMPv6 Router Solicitation (RFC 4861) from the guest's link-local address to ff02::2. */
function routerSolicitation(): Uint8Array {
  const src = Uint8Array.of(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0x00, 0xff, 0xfe, 0x12, 0x34, 0x56);
  const dst = Uint8Array.of(0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
  const icmp = Uint8Array.of(133, 0, 0, 0, 0, 0, 0, 0);
  const pseudo = new Uint8Array(40 + icmp.length);
  pseudo.set(src, 0);
  pseudo.set(dst, 16);
  pseudo[35] = icmp.length;
  pseudo[39] = 58;
  pseudo.set(icmp, 40);
  const c = inetChecksum(pseudo);
  icmp[2] = c >>> 8;
  icmp[3] = c & 0xff;
  const ip6 = new Uint8Array(40 + icmp.length);
  ip6[0] = 0x60;
  ip6[5] = icmp.length;
  ip6[6] = 58;
  ip6[7] = 255;
  ip6.set(src, 8);
  ip6.set(dst, 24);
  ip6.set(icmp, 40);
  return ethernet(Uint8Array.of(0x33, 0x33, 0, 0, 0, 2), MAC, 0x86dd, ip6);
}

/** The prefix information options (type 3) of a Router Advertisement frame, as "prefix/len". */
function raPrefixes(f: Uint8Array): string[] | undefined {
  if (f.length < 14 + 40 + 16 || rd16(f, 12) !== 0x86dd || f[14 + 6] !== 58 || f[54] !== 134)
    return undefined;
  const out: string[] = [];
  for (let o = 54 + 16; o + 2 <= f.length && f[o + 1] > 0; o += f[o + 1] * 8) {
    if (f[o] !== 3) continue;
    const p = f.subarray(o + 16, o + 32);
    const groups = Array.from({ length: 8 }, (_, i) => ((p[2 * i] << 8) | p[2 * i + 1]).toString(16));
    out.push(`${groups.join(':')}/${f[o + 2]}`);
  }
  return out;
}

test("IPv6 (on by default): a Router Solicitation gets an advertisement of QEMU's fec0::/64; ipv6=off: none", async () => {
  await withGuest('user', async (g) => {
    g.backend.send(routerSolicitation());
    const r = await g.wait((_, f) => raPrefixes(f) !== undefined);
    assert.ok(r, 'a Router Advertisement');
    const f = g.frames.find((x) => raPrefixes(x) !== undefined) as Uint8Array;
    assert.deepEqual(raPrefixes(f), ['fec0:0:0:0:0:0:0:0/64']);
  });
  await withGuest('user,ipv6=off', async (g) => {
    g.backend.send(routerSolicitation());
    assert.equal(await g.wait((_, f) => rd16(f, 12) === 0x86dd, 1000), undefined, 'no IPv6 answer');
  });
});
