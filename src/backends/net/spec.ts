// The `--net` option: which host backend a virtio-net NIC uses, its MAC address and MTU.
// Syntax (QEMU-like, `,,` is a literal comma inside a value):
//   socket,listen=PATH | socket,connect=PATH | udp,local=[HOST:]PORT,remote=[HOST:]PORT
//   | user[,net=ADDR[/MASK]][,host=ADDR][,dns=ADDR][,dhcpstart=ADDR][,restrict=on|off][,ipv6=on|off]
//          [,hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT]...   (QEMU's -netdev user)
// each optionally followed by `,mac=52:54:00:12:34:56` and `,mtu=68..65535`.

/** A bad `--net` value; the message names the option and the field at fault. */
export class NetSpecError extends Error {}

/** An IP literal (IPv4 dotted quad, or IPv6 without brackets) and a UDP port. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * A `hostfwd=` rule of `--net user`: host connections (TCP) or datagrams (UDP) arriving at
 * `hostAddr:hostPort` are forwarded to the guest's `guestAddr:guestPort`. Addresses are IPv4
 * dotted quads; `hostAddr` '0.0.0.0' (QEMU's default) means every host address.
 */
export interface HostForward {
  readonly proto: 'tcp' | 'udp';
  readonly hostAddr: string;
  readonly hostPort: number;
  readonly guestAddr: string;
  readonly guestPort: number;
}

/**
 * `--net user`: a NAT in the VM's process (libslirp), QEMU's `-netdev user`. Addresses are IPv4
 * dotted quads inside `network`/`prefixLength`; host, dns and dhcpStart are neither the network
 * nor the broadcast address.
 */
export interface UserNetSpec {
  readonly kind: 'user';
  /** The guest network's address (host bits zero) and prefix length (QEMU: 10.0.2.0/24). */
  readonly network: string;
  readonly prefixLength: number;
  /** The gateway, which stands for the host's loopback (QEMU: network + 2). */
  readonly host: string;
  /** The DNS forwarder (QEMU: network + 3). */
  readonly dns: string;
  /** The first address DHCP hands out (QEMU: network + 15). */
  readonly dhcpStart: string;
  /** restrict=on: the guest reaches nothing outside; only hostfwd rules connect into it. */
  readonly restrict: boolean;
  /** ipv6=on (QEMU's default): SLAAC on fec0::/64 with the host at fec0::2 and DNS at fec0::3. */
  readonly ipv6: boolean;
  readonly hostfwd: readonly HostForward[];
}

/** Where frames go on the host. */
export type NetBackendSpec =
  | { readonly kind: 'socket'; readonly mode: 'listen' | 'connect'; readonly path: string }
  | { readonly kind: 'udp'; readonly local: HostPort; readonly remote: HostPort }
  | UserNetSpec;

/** A parsed `--net` value. */
export interface NetSpec {
  readonly backend: NetBackendSpec;
  /** The NIC's MAC: `mac=` when given, else {@link deriveMac} of the backend description. */
  readonly mac: Uint8Array;
  /** `mtu=` (offered to the guest as VIRTIO_NET_F_MTU), or undefined to not offer one. */
  readonly mtu: number | undefined;
}

/** Longest unix socket path in bytes (sun_path is 108 bytes on Linux, NUL included). */
const UNIX_PATH_MAX_BYTES = 107;
/** Smallest MTU the virtio spec allows in the config space (virtio 1.2 section 5.1.4.1). */
const MTU_MIN = 68;
const MTU_MAX = 65535;
const DEFAULT_UDP_HOST = '127.0.0.1';

const KEYS: Record<NetBackendSpec['kind'], readonly string[]> = {
  socket: ['listen', 'connect', 'mac', 'mtu'],
  udp: ['local', 'remote', 'mac', 'mtu'],
  user: ['net', 'host', 'dns', 'dhcpstart', 'hostfwd', 'restrict', 'ipv6', 'mac', 'mtu'],
};
/** Fields that may be given more than once. */
const REPEATABLE = new Set(['hostfwd']);

/**
 * Parse a `--net` value. `option` names the option in error messages. `nicIndex` (0 for the
 * first NIC) goes into the derived MAC so that several NICs on one backend description differ.
 */
export function parseNetSpec(text: string, option = '--net', nicIndex = 0): NetSpec {
  const items = splitItems(text);
  const kind = items[0];
  if (kind !== 'socket' && kind !== 'udp' && kind !== 'user') {
    throw new NetSpecError(`${option}: unknown backend '${kind}' (known: socket, udp, user)`);
  }
  const where = `${option} ${kind}`;
  const fields = new Map<string, string>();
  const hostfwds: string[] = [];
  for (const item of items.slice(1)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new NetSpecError(`${where}: '${item}' is not KEY=VALUE`);
    const key = item.slice(0, eq);
    if (!KEYS[kind].includes(key)) {
      throw new NetSpecError(`${where}: unknown field '${key}' (known: ${KEYS[kind].join(', ')})`);
    }
    if (REPEATABLE.has(key)) {
      hostfwds.push(item.slice(eq + 1));
      continue;
    }
    if (fields.has(key)) throw new NetSpecError(`${where}: field '${key}' given twice`);
    fields.set(key, item.slice(eq + 1));
  }

  let backend: NetBackendSpec;
  if (kind === 'socket') {
    const listen = fields.get('listen');
    const connect = fields.get('connect');
    if ((listen === undefined) === (connect === undefined)) {
      throw new NetSpecError(`${where}: exactly one of 'listen=PATH' or 'connect=PATH' is required`);
    }
    const mode = listen !== undefined ? 'listen' : 'connect';
    backend = { kind, mode, path: parsePath(where, mode, (listen ?? connect) as string) };
  } else if (kind === 'user') {
    backend = parseUser(where, fields, hostfwds);
  } else {
    for (const key of ['local', 'remote']) {
      if (!fields.has(key)) throw new NetSpecError(`${where}: field '${key}=[HOST:]PORT' is required`);
    }
    const local = parseHostPort(where, 'local', fields.get('local') as string, 0);
    const remote = parseHostPort(where, 'remote', fields.get('remote') as string, 1);
    if (local.host.includes(':') !== remote.host.includes(':')) {
      throw new NetSpecError(`${where}: 'local' and 'remote' must both be IPv4 or both be IPv6`);
    }
    backend = { kind, local, remote };
  }

  const macText = fields.get('mac');
  let mac: Uint8Array;
  if (macText === undefined) {
    const seed = describeNetBackend(backend) + (nicIndex > 0 ? `#${nicIndex}` : '');
    mac = deriveMac(seed);
  } else {
    const parsed = parseMac(macText);
    if (parsed === undefined) {
      throw new NetSpecError(`${where}: mac='${macText}' is not a MAC address (example: 52:54:00:12:34:56)`);
    }
    if ((parsed[0] & 1) !== 0) throw new NetSpecError(`${where}: mac='${macText}' is a multicast address`);
    if (parsed.every((b) => b === 0)) throw new NetSpecError(`${where}: mac='${macText}' is all zeros`);
    mac = parsed;
  }

  const mtuText = fields.get('mtu');
  let mtu: number | undefined;
  if (mtuText !== undefined) {
    mtu = /^\d{1,5}$/.test(mtuText) ? Number(mtuText) : NaN;
    if (!(mtu >= MTU_MIN && mtu <= MTU_MAX)) {
      throw new NetSpecError(`${where}: mtu='${mtuText}' must be a whole number in ${MTU_MIN}..${MTU_MAX}`);
    }
  }
  return { backend, mac, mtu };
}

/**
 * The canonical text of a backend, e.g. `socket,listen=/tmp/a.sock` or
 * `udp,local=127.0.0.1:5000,remote=127.0.0.1:5001`. It distinguishes the two ends of a link
 * (listen/connect, swapped ports), which is why the default MAC is derived from it.
 */
export function describeNetBackend(b: NetBackendSpec): string {
  if (b.kind === 'socket') return `socket,${b.mode}=${b.path}`;
  if (b.kind === 'user') {
    const fwd = b.hostfwd.map(
      (f) => `,hostfwd=${f.proto}:${f.hostAddr}:${f.hostPort}-${f.guestAddr}:${f.guestPort}`,
    );
    return (
      `user,net=${b.network}/${b.prefixLength},host=${b.host},dns=${b.dns},dhcpstart=${b.dhcpStart}` +
      `,restrict=${b.restrict ? 'on' : 'off'},ipv6=${b.ipv6 ? 'on' : 'off'}${fwd.join('')}`
    );
  }
  return `udp,local=${formatHostPort(b.local)},remote=${formatHostPort(b.remote)}`;
}

/** `host:port`, with brackets around an IPv6 host. */
export function formatHostPort(hp: HostPort): string {
  return hp.host.includes(':') ? `[${hp.host}]:${hp.port}` : `${hp.host}:${hp.port}`;
}

/**
 * A stable, locally administered unicast MAC for `seed`: 52:54:00 followed by the 32-bit FNV-1a
 * hash of the seed's UTF-8 bytes, xor-folded to 24 bits. The same command line gives the same MAC
 * on every run, so guest network configuration keyed on the MAC survives restarts.
 */
export function deriveMac(seed: string): Uint8Array {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(seed)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  const folded = ((h >>> 24) ^ h) & 0xffffff;
  return Uint8Array.of(0x52, 0x54, 0x00, folded >>> 16, (folded >>> 8) & 0xff, folded & 0xff);
}

/** Six hex octets separated by colons, or undefined. */
export function parseMac(text: string): Uint8Array | undefined {
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(text)) return undefined;
  return Uint8Array.from(text.split(':'), (x) => parseInt(x, 16));
}

/** `52:54:00:12:34:56`. */
export function formatMac(mac: Uint8Array): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Split on single commas; `,,` stands for a comma inside an item. */
function splitItems(text: string): string[] {
  const items: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== ',') cur += text[i];
    else if (text[i + 1] === ',') {
      cur += ',';
      i++;
    } else {
      items.push(cur);
      cur = '';
    }
  }
  items.push(cur);
  return items;
}

function parsePath(where: string, key: string, path: string): string {
  if (path === '') throw new NetSpecError(`${where}: ${key}= needs a socket path`);
  if (path.includes('\0')) throw new NetSpecError(`${where}: ${key}= path contains a NUL byte`);
  const bytes = new TextEncoder().encode(path).length;
  if (bytes > UNIX_PATH_MAX_BYTES) {
    throw new NetSpecError(
      `${where}: ${key}='${path}' is ${bytes} bytes; unix socket paths are limited to ${UNIX_PATH_MAX_BYTES}`,
    );
  }
  return path;
}

/** `PORT`, `A.B.C.D:PORT` or `[IPV6]:PORT`; the port must be at least `minPort`. */
function parseHostPort(where: string, key: string, text: string, minPort: number): HostPort {
  const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3})|\[([0-9a-fA-F:.]+)\]):(\d{1,5})$|^(\d{1,5})$/.exec(text);
  const bad = (why: string): NetSpecError =>
    new NetSpecError(`${where}: ${key}='${text}' ${why} (examples: 5000, 127.0.0.1:5000, [::1]:5000)`);
  if (m === null) throw bad('is not [HOST:]PORT with HOST an IP address');
  const host = m[1] ?? m[2] ?? DEFAULT_UDP_HOST;
  if (m[1] !== undefined && m[1].split('.').some((x) => Number(x) > 255)) {
    throw bad('has an IPv4 octet above 255');
  }
  if (m[2] !== undefined && !isIpv6(m[2])) throw bad('has a malformed IPv6 address');
  const port = Number(m[3] ?? m[4]);
  if (port < minPort || port > 65535) throw bad(`has a port outside ${minPort}..65535`);
  return { host, port };
}

/** A loose IPv6 literal check: 2..8 groups of hex, at most one `::`, optional IPv4 tail. */
function isIpv6(text: string): boolean {
  const doubles = text.split('::').length - 1;
  if (doubles > 1) return false;
  const groups = text.split(':').filter((g) => g !== '');
  const v4Tail = groups.length > 0 && groups[groups.length - 1].includes('.');
  const hexGroups = v4Tail ? groups.slice(0, -1) : groups;
  if (v4Tail && !/^\d{1,3}(\.\d{1,3}){3}$/.test(groups[groups.length - 1])) return false;
  if (!hexGroups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const width = hexGroups.length + (v4Tail ? 2 : 0);
  return doubles === 1 ? width <= 7 : width === 8;
}

/** The fields of `--net user`, with QEMU's defaults derived from `net=`. */
function parseUser(where: string, fields: Map<string, string>, hostfwds: readonly string[]): UserNetSpec {
  const netText = fields.get('net') ?? '10.0.2.0/24';
  const m = /^([^/]+)(?:\/(.+))?$/.exec(netText);
  const badNet = (why: string): NetSpecError =>
    new NetSpecError(`${where}: net='${netText}' ${why} (example: 10.0.2.0/24 or 10.0.2.0/255.255.255.0)`);
  const base = m === null ? undefined : parseIpv4(m[1]);
  if (m === null || base === undefined) throw badNet('is not ADDR[/MASK] with ADDR an IPv4 address');
  let prefixLength: number;
  if (m[2] === undefined) prefixLength = 24;
  else if (/^\d{1,2}$/.test(m[2])) prefixLength = Number(m[2]);
  else {
    const mask = parseIpv4(m[2]);
    if (mask === undefined) throw badNet('has a mask that is neither a prefix length nor a dotted mask');
    prefixLength = Math.clz32(~mask);
    if (maskOf(prefixLength) !== mask) throw badNet('has a mask whose one bits are not contiguous');
  }
  // QEMU refuses networks too small for its fixed host parts (.2, .3, .15 + 16 leases).
  if (prefixLength < 8 || prefixLength > 27) throw badNet('needs a prefix length in 8..27');
  const mask = maskOf(prefixLength);
  const network = (base & mask) >>> 0;
  if (network !== base) throw badNet('has host bits set');
  const broadcast = (network | ~mask) >>> 0;
  const addr = (key: string, offset: number): number => {
    const text = fields.get(key);
    if (text === undefined) return (network + offset) >>> 0;
    const a = parseIpv4(text);
    if (a === undefined) throw new NetSpecError(`${where}: ${key}='${text}' is not an IPv4 address`);
    if ((a & mask) >>> 0 !== network || a === network || a === broadcast) {
      throw new NetSpecError(
        `${where}: ${key}='${text}' is not a host address of the network ${formatIpv4(network)}/${prefixLength}`,
      );
    }
    return a;
  };
  const host = addr('host', 2);
  const dns = addr('dns', 3);
  const dhcpStart = addr('dhcpstart', 15);
  const hostfwd = hostfwds.map((text) => parseHostForward(where, text, dhcpStart));
  const seen = new Set<string>();
  for (const f of hostfwd) {
    const key = `${f.proto}:${f.hostPort}`;
    if (seen.has(key))
      throw new NetSpecError(`${where}: two hostfwd rules for host ${f.proto} port ${f.hostPort}`);
    seen.add(key);
  }
  return {
    kind: 'user',
    network: formatIpv4(network),
    prefixLength,
    host: formatIpv4(host),
    dns: formatIpv4(dns),
    dhcpStart: formatIpv4(dhcpStart),
    restrict: parseOnOff(where, 'restrict', fields.get('restrict'), false),
    ipv6: parseOnOff(where, 'ipv6', fields.get('ipv6'), true),
    hostfwd,
  };
}

/** QEMU's `[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT`; the guest address defaults to dhcpstart. */
function parseHostForward(where: string, text: string, dhcpStart: number): HostForward {
  const m = /^(tcp|udp|):([^:]*):([^:-]*)-([^:]*):([^:]*)$/.exec(text);
  const bad = (why: string): NetSpecError =>
    new NetSpecError(
      `${where}: hostfwd='${text}' ${why} (syntax: [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT, ` +
        `example: tcp:127.0.0.1:2222-:22)`,
    );
  if (m === null) throw bad('is malformed');
  const ip = (t: string, dflt: number, what: string): string => {
    if (t === '') return formatIpv4(dflt);
    const a = parseIpv4(t);
    if (a === undefined) throw bad(`has a ${what} address '${t}' that is not an IPv4 address`);
    return formatIpv4(a);
  };
  const port = (t: string, what: string, min: number): number => {
    const n = /^\d{1,5}$/.test(t) ? Number(t) : NaN;
    if (!(n >= min && n <= 65535)) throw bad(`has a ${what} port '${t}' outside ${min}..65535`);
    return n;
  };
  return {
    proto: m[1] === 'udp' ? 'udp' : 'tcp',
    hostAddr: ip(m[2], 0, 'host'),
    hostPort: port(m[3], 'host', 1),
    guestAddr: ip(m[4], dhcpStart, 'guest'),
    guestPort: port(m[5], 'guest', 1),
  };
}

function parseOnOff(where: string, key: string, text: string | undefined, dflt: boolean): boolean {
  if (text === undefined) return dflt;
  if (text === 'on' || text === 'yes') return true;
  if (text === 'off' || text === 'no') return false;
  throw new NetSpecError(`${where}: ${key}='${text}' must be on or off`);
}

/** A dotted quad as an unsigned 32-bit number, or undefined. */
export function parseIpv4(text: string): number | undefined {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) return undefined;
  const parts = text.split('.').map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/** An unsigned 32-bit number as a dotted quad. */
export function formatIpv4(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.${a & 0xff}`;
}

function maskOf(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (~0 << (32 - prefixLength)) >>> 0;
}
