// A guest made of test code for network backends: builds the Ethernet frames a guest's stack
// would send (ARP, DHCP, ICMP echo, UDP, TCP SYN, IPv4 fragments) and picks apart what comes
// back, from the RFCs (826 ARP, 791 IPv4, 792 ICMP, 768 UDP, 793 TCP, 2131/2132 DHCP). Just enough
// for tests; no retransmission, no state beyond answering ARP for its own address.

import type { NetBackend } from '../../../backends/net/backend.js';

export const BROADCAST_MAC = Uint8Array.of(255, 255, 255, 255, 255, 255);
export const ETH_IPV4 = 0x0800;
export const ETH_ARP = 0x0806;
export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
/** How long the test guest waits for an ARP or echo reply before asking again, ms. */
const RETRY_MS = 500;

/** `a.b.c.d` as 4 bytes. */
export function ip(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

export function ipText(b: Uint8Array): string {
  return Array.from(b).join('.');
}

/** The Internet checksum (RFC 1071) of `data`, starting from `sum`. */
export function inetChecksum(data: Uint8Array, sum = 0): number {
  for (let i = 0; i + 1 < data.length; i += 2) sum += (data[i] << 8) | data[i + 1];
  if (data.length & 1) sum += data[data.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function be16(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 8;
  b[off + 1] = v & 0xff;
}

export function rd16(b: Uint8Array, off: number): number {
  return (b[off] << 8) | b[off + 1];
}

export function ethernet(dst: Uint8Array, src: Uint8Array, type: number, payload: Uint8Array): Uint8Array {
  const f = new Uint8Array(14 + payload.length);
  f.set(dst, 0);
  f.set(src, 6);
  be16(f, 12, type);
  f.set(payload, 14);
  return f;
}

/** An ARP request (op 1) or reply (op 2) for IPv4 over Ethernet. */
export function arp(
  op: 1 | 2,
  senderMac: Uint8Array,
  senderIp: string,
  targetMac: Uint8Array,
  targetIp: string,
): Uint8Array {
  const p = new Uint8Array(28);
  p.set([0, 1, 8, 0, 6, 4, 0, op], 0);
  p.set(senderMac, 8);
  p.set(ip(senderIp), 14);
  p.set(targetMac, 18);
  p.set(ip(targetIp), 24);
  return p;
}

/** An IPv4 header (no options) and payload, with a correct header checksum. */
export function ipv4(
  src: string,
  dst: string,
  proto: number,
  payload: Uint8Array,
  opts: { id?: number; fragOffset8?: number; moreFragments?: boolean; ttl?: number } = {},
): Uint8Array {
  const p = new Uint8Array(20 + payload.length);
  p[0] = 0x45;
  be16(p, 2, p.length);
  be16(p, 4, opts.id ?? 1);
  be16(p, 6, (opts.moreFragments ? 0x2000 : 0) | (opts.fragOffset8 ?? 0));
  p[8] = opts.ttl ?? 64;
  p[9] = proto;
  p.set(ip(src), 12);
  p.set(ip(dst), 16);
  be16(p, 10, inetChecksum(p.subarray(0, 20)));
  p.set(payload, 20);
  return p;
}

function pseudoSum(src: string, dst: string, proto: number, len: number): number {
  const ph = new Uint8Array(12);
  ph.set(ip(src), 0);
  ph.set(ip(dst), 4);
  ph[9] = proto;
  be16(ph, 10, len);
  let sum = 0;
  for (let i = 0; i < 12; i += 2) sum += (ph[i] << 8) | ph[i + 1];
  return sum;
}

export function udp(src: string, sport: number, dst: string, dport: number, data: Uint8Array): Uint8Array {
  const u = new Uint8Array(8 + data.length);
  be16(u, 0, sport);
  be16(u, 2, dport);
  be16(u, 4, u.length);
  u.set(data, 8);
  const c = inetChecksum(u, pseudoSum(src, dst, PROTO_UDP, u.length));
  be16(u, 6, c === 0 ? 0xffff : c);
  return u;
}

/** A TCP segment without options or data: `flags` are the low 6 bits (SYN 0x02, ACK 0x10, RST 0x04). */
export function tcp(
  src: string,
  sport: number,
  dst: string,
  dport: number,
  flags: number,
  seq: number,
  ack = 0,
  window = 65535,
): Uint8Array {
  const t = new Uint8Array(20);
  be16(t, 0, sport);
  be16(t, 2, dport);
  new DataView(t.buffer).setUint32(4, seq >>> 0);
  new DataView(t.buffer).setUint32(8, ack >>> 0);
  t[12] = 5 << 4;
  t[13] = flags;
  be16(t, 14, window);
  be16(t, 16, inetChecksum(t, pseudoSum(src, dst, PROTO_TCP, t.length)));
  return t;
}

export function icmpEcho(id: number, seq: number, data: Uint8Array): Uint8Array {
  const p = new Uint8Array(8 + data.length);
  p[0] = 8;
  be16(p, 4, id);
  be16(p, 6, seq);
  p.set(data, 8);
  be16(p, 2, inetChecksum(p));
  return p;
}

/** A DHCP message (RFC 2131) from `mac`: `type` 1 DISCOVER or 3 REQUEST (with requested IP). */
export function dhcp(
  mac: Uint8Array,
  type: 1 | 3,
  xid: number,
  requested?: string,
  server?: string,
): Uint8Array {
  const opts: number[] = [99, 130, 83, 99, 53, 1, type];
  if (requested !== undefined) opts.push(50, 4, ...ip(requested));
  if (server !== undefined) opts.push(54, 4, ...ip(server));
  opts.push(55, 3, 1, 3, 6, 255);
  const p = new Uint8Array(236 + opts.length);
  p[0] = 1;
  p[1] = 1;
  p[2] = 6;
  new DataView(p.buffer).setUint32(4, xid);
  be16(p, 10, 0x8000);
  p.set(mac, 28);
  p.set(opts, 236);
  return p;
}

/**
 * A DHCP client message as a client without an address sends it (RFC 2131 section 4.1): from
 * 0.0.0.0:68 to the broadcast 255.255.255.255:67, in a broadcast Ethernet frame.
 */
export function dhcpBroadcast(mac: Uint8Array, type: 1 | 3, xid: number, requested?: string): Uint8Array {
  return ethernet(
    BROADCAST_MAC,
    mac,
    ETH_IPV4,
    ipv4(
      '0.0.0.0',
      '255.255.255.255',
      PROTO_UDP,
      udp('0.0.0.0', 68, '255.255.255.255', 67, dhcp(mac, type, xid, requested)),
    ),
  );
}

/** The options of a DHCP reply (after the magic cookie), code to value. */
export function dhcpOptions(bootp: Uint8Array): Map<number, Uint8Array> {
  const m = new Map<number, Uint8Array>();
  let i = 240;
  while (i < bootp.length) {
    const code = bootp[i];
    if (code === 255) break;
    if (code === 0) {
      i++;
      continue;
    }
    const len = bootp[i + 1];
    m.set(code, bootp.subarray(i + 2, i + 2 + len));
    i += 2 + len;
  }
  return m;
}

/** What a received frame is, as far as the tests look. */
export interface Parsed {
  readonly type: number;
  readonly dstMac: Uint8Array;
  /** ARP: op, sender and target IP. */
  readonly arp?: { op: number; senderIp: string; targetIp: string; senderMac: Uint8Array };
  /** IPv4: addresses, protocol and the payload after the header. */
  readonly ip?: { src: string; dst: string; proto: number; payload: Uint8Array };
}

export function parse(f: Uint8Array): Parsed {
  const type = rd16(f, 12);
  const dstMac = f.subarray(0, 6);
  if (type === ETH_ARP && f.length >= 42) {
    return {
      type,
      dstMac,
      arp: {
        op: rd16(f, 20),
        senderMac: f.slice(22, 28),
        senderIp: ipText(f.subarray(28, 32)),
        targetIp: ipText(f.subarray(38, 42)),
      },
    };
  }
  if (type === ETH_IPV4 && f.length >= 34) {
    const ihl = (f[14] & 15) * 4;
    const total = rd16(f, 16);
    return {
      type,
      dstMac,
      ip: {
        src: ipText(f.subarray(26, 30)),
        dst: ipText(f.subarray(30, 34)),
        proto: f[23],
        payload: f.subarray(14 + ihl, 14 + total),
      },
    };
  }
  return { type, dstMac };
}

/**
 * A guest at `mac`/`addr` on `backend`: it keeps every frame received, answers ARP requests for
 * its address, and lets a test wait for a frame.
 */
export class TestGuest {
  readonly frames: Uint8Array[] = [];
  gatewayMac: Uint8Array = BROADCAST_MAC;
  private waiters: (() => void)[] = [];

  constructor(
    readonly backend: NetBackend,
    readonly mac: Uint8Array,
    readonly addr: string,
  ) {
    backend.onReceive((f) => {
      const p = parse(f);
      if (p.arp !== undefined && p.arp.op === 1 && p.arp.targetIp === this.addr) {
        backend.send(
          ethernet(p.arp.senderMac, mac, ETH_ARP, arp(2, mac, addr, p.arp.senderMac, p.arp.senderIp)),
        );
      }
      // Bounded: a test never needs more than the recent frames.
      if (this.frames.length > 100_000) this.frames.splice(0, 50_000);
      this.frames.push(f);
      for (const w of [...this.waiters]) w();
    });
  }

  /** Send an IPv4 packet to the gateway's MAC (learned by `arpGateway`, else broadcast). */
  sendIp(dst: string, proto: number, payload: Uint8Array, opts?: Parameters<typeof ipv4>[4]): void {
    this.backend.send(
      ethernet(this.gatewayMac, this.mac, ETH_IPV4, ipv4(this.addr, dst, proto, payload, opts)),
    );
  }

  /** Wait for a received frame (from `from` on) that `pred` accepts; undefined on timeout. */
  wait(pred: (p: Parsed, f: Uint8Array) => boolean, timeoutMs = 3000, from = 0): Promise<Parsed | undefined> {
    return new Promise((resolve) => {
      let i = from;
      const check = (): void => {
        for (; i < this.frames.length; i++) {
          const f = this.frames[i];
          const p = parse(f);
          if (pred(p, f)) {
            finish(p);
            return;
          }
        }
      };
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      const finish = (p: Parsed | undefined): void => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(p);
      };
      this.waiters.push(check);
      check();
    });
  }

  /** ARP for `gateway` and remember its MAC; the reply, or undefined. */
  async arpGateway(gateway: string, timeoutMs = 3000): Promise<Parsed | undefined> {
    const from = this.frames.length;
    const request = ethernet(
      BROADCAST_MAC,
      this.mac,
      ETH_ARP,
      arp(1, this.mac, this.addr, new Uint8Array(6), gateway),
    );
    // Asked again every RETRY_MS, as a real client does (Linux: once a second): a request can be
    // lost like any frame, e.g. dropped by a backend whose queue another test filled.
    let r: Parsed | undefined;
    for (let left = timeoutMs; r === undefined && left > 0; left -= RETRY_MS) {
      this.backend.send(request.slice());
      r = await this.wait(
        (p) => p.arp?.op === 2 && p.arp.senderIp === gateway,
        Math.min(left, RETRY_MS),
        from,
      );
    }
    if (r?.arp !== undefined) this.gatewayMac = r.arp.senderMac;
    return r;
  }

  /**
   * Ping `dst` with echo sequence number `seq`; true when the matching echo reply came back. The
   * request is sent again every RETRY_MS within the timeout, since it can be lost like any
   * frame (a backend queue another step filled).
   */
  async ping(dst: string, seq: number, timeoutMs = 3000): Promise<boolean> {
    const from = this.frames.length;
    const data = Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + seq) & 0xff);
    const reply = (p: Parsed): boolean =>
      p.ip?.proto === PROTO_ICMP &&
      p.ip.src === dst &&
      p.ip.payload[0] === 0 &&
      rd16(p.ip.payload, 6) === seq &&
      p.ip.payload.subarray(8).every((b, i) => b === data[i]);
    for (let left = timeoutMs; left > 0; left -= RETRY_MS) {
      this.sendIp(dst, PROTO_ICMP, icmpEcho(0x1234, seq, data));
      if ((await this.wait(reply, Math.min(left, RETRY_MS), from)) !== undefined) return true;
    }
    return false;
  }
}
