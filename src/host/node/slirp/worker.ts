// The thread that runs libslirp (QEMU's user-mode NAT) for one `--net user` NIC.
//
// Why a worker: libslirp is driven by a poll loop over its own sockets (slirp_pollfds_fill, then
// poll(2), then slirp_pollfds_poll) and by timers. Node's event loop cannot watch arbitrary file
// descriptors, and the device thread is busy running the guest's CPU, so this thread blocks in
// libc's poll() on slirp's descriptors plus an eventfd that the device thread writes when it has
// queued guest frames in the shared ring (ring.ts). It never returns to its own event loop while
// running: all input comes through shared memory, output goes out with postMessage.

import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { Ctl, FrameRing } from './ring.js';
import type { SlirpWorkerConfig, SlirpWorkerMessage, SlirpWorkerRequest } from './protocol.js';

type Koffi = typeof import('koffi').default;
type KoffiType = ReturnType<Koffi['struct']>;
/** An opaque C pointer as koffi hands it over (an External), or null. */
type Ptr = unknown;

// poll(2) event bits (Linux) and libslirp's SLIRP_POLL_* bits.
const POLLIN = 0x1;
const POLLPRI = 0x2;
const POLLOUT = 0x4;
const POLLERR = 0x8;
const POLLHUP = 0x10;
const SLIRP_POLL_IN = 1 << 0;
const SLIRP_POLL_OUT = 1 << 1;
const SLIRP_POLL_PRI = 1 << 2;
const SLIRP_POLL_ERR = 1 << 3;
const SLIRP_POLL_HUP = 1 << 4;
const EFD_NONBLOCK = 0o4000;
const EFD_CLOEXEC = 0o2000000;
/** SlirpConfig layout this binding declares (libslirp 4.7: versions 1..4). */
const SLIRP_CONFIG_VERSION = 4;
/** Longest sleep in poll() without a timer due, ms (slirp's own timeout is usually shorter). */
const MAX_POLL_MS = 1000;
/** QEMU's IPv6 defaults for `-netdev user` (its ipv6-prefix, ipv6-host, ipv6-dns). */
const IPV6_PREFIX = 'fec0::';
const IPV6_PREFIX_LENGTH = 64;
const IPV6_HOST = 'fec0::2';
const IPV6_DNS = 'fec0::3';

const cfg = workerData as SlirpWorkerConfig;
const port = parentPort;
if (port === null) throw new Error('slirp worker started outside a worker thread');
/** Where the device thread's requests (protocol.ts SlirpWorkerRequest) arrive. */
const inbox: MessagePort = port;
const post = (m: SlirpWorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

main().catch((e: unknown) => post({ type: 'error', message: (e as Error).message }));

async function main(): Promise<void> {
  let koffi: Koffi;
  try {
    koffi = (await import('koffi')).default;
  } catch (e) {
    throw new Error(`--net user needs the npm package koffi (npm install koffi): ${(e as Error).message}`);
  }
  let lib: ReturnType<Koffi['load']>;
  let libc: ReturnType<Koffi['load']>;
  try {
    lib = koffi.load(cfg.library);
  } catch (e) {
    throw new Error(`--net user needs libslirp0: apt-get install libslirp0 (${(e as Error).message})`);
  }
  try {
    libc = koffi.load('libc.so.6');
  } catch (e) {
    throw new Error(`--net user: cannot load the C library: ${(e as Error).message}`);
  }
  const api = bind(koffi, lib, libc);
  const version = api.slirp_version_string() as string;
  if (!/^4\.([7-9]|\d\d)\b|^([5-9]|\d\d)\./.test(version)) {
    throw new Error(`--net user needs libslirp 4.7 or later (SlirpConfig version 4); found ${version}`);
  }
  run(koffi, api, version);
}

/** The C functions and types used, declared from libslirp.h (4.7) and the C library. */
function bind(koffi: Koffi, lib: ReturnType<Koffi['load']>, libc: ReturnType<Koffi['load']>) {
  // struct in_addr holds the address in network byte order: a big-endian 32-bit field.
  const InAddr = koffi.struct('slirp_in_addr', { s_addr: 'uint32_be' });
  // struct in6_addr is a union with 32-bit members: 4-byte aligned, so four big-endian words.
  const In6Addr = koffi.struct('slirp_in6_addr', { s6_addr32: koffi.array('uint32_be', 4) });
  const Config = koffi.struct('SlirpConfig', {
    version: 'uint32_t',
    restricted: 'int',
    in_enabled: 'bool',
    vnetwork: InAddr,
    vnetmask: InAddr,
    vhost: InAddr,
    in6_enabled: 'bool',
    vprefix_addr6: In6Addr,
    vprefix_len: 'uint8_t',
    vhost6: In6Addr,
    vhostname: 'const char *',
    tftp_server_name: 'const char *',
    tftp_path: 'const char *',
    bootfile: 'const char *',
    vdhcp_start: InAddr,
    vnameserver: InAddr,
    vnameserver6: In6Addr,
    vdnssearch: 'void *',
    vdomainname: 'const char *',
    if_mtu: 'size_t',
    if_mru: 'size_t',
    disable_host_loopback: 'bool',
    enable_emu: 'bool',
    outbound_addr: 'void *',
    outbound_addr6: 'void *',
    disable_dns: 'bool',
    disable_dhcp: 'bool',
  });
  // The offsets GCC gives libslirp 4.7's SlirpConfig on 64-bit Linux: a wrong declaration here
  // would hand slirp garbage addresses without any error.
  const expected: Record<string, number> = {
    vprefix_addr6: 28,
    vprefix_len: 44,
    vhost6: 48,
    vhostname: 64,
    vdhcp_start: 96,
    vnameserver6: 104,
    if_mtu: 136,
    outbound_addr: 160,
    disable_dhcp: 177,
  };
  for (const [field, offset] of Object.entries(expected)) {
    if (koffi.offsetof(Config, field) !== offset) {
      throw new Error(
        `--net user: SlirpConfig.${field} is at ${koffi.offsetof(Config, field)}, libslirp has it at ${offset}`,
      );
    }
  }
  const SendPacket = koffi.proto('intptr_t slirp_send_packet_cb(const void *buf, size_t len, void *opaque)');
  const GuestError = koffi.proto('void slirp_guest_error_cb(const char *msg, void *opaque)');
  const ClockGetNs = koffi.proto('int64_t slirp_clock_get_ns_cb(void *opaque)');
  const TimerNew = koffi.proto('void *slirp_timer_new_cb(void *cb, void *cb_opaque, void *opaque)');
  const TimerFree = koffi.proto('void slirp_timer_free_cb(void *timer, void *opaque)');
  const TimerMod = koffi.proto('void slirp_timer_mod_cb(void *timer, int64_t expire_ms, void *opaque)');
  const PollFd = koffi.proto('void slirp_poll_fd_cb(int fd, void *opaque)');
  const Notify = koffi.proto('void slirp_notify_cb(void *opaque)');
  const InitCompleted = koffi.proto('void slirp_init_completed_cb(void *slirp, void *opaque)');
  const TimerNewOpaque = koffi.proto(
    'void *slirp_timer_new_opaque_cb(int id, void *cb_opaque, void *opaque)',
  );
  const TimerCb = koffi.proto('void slirp_timer_cb(void *opaque)');
  const Callbacks = koffi.struct('SlirpCb', {
    send_packet: koffi.pointer(SendPacket),
    guest_error: koffi.pointer(GuestError),
    clock_get_ns: koffi.pointer(ClockGetNs),
    timer_new: koffi.pointer(TimerNew),
    timer_free: koffi.pointer(TimerFree),
    timer_mod: koffi.pointer(TimerMod),
    register_poll_fd: koffi.pointer(PollFd),
    unregister_poll_fd: koffi.pointer(PollFd),
    notify: koffi.pointer(Notify),
    init_completed: koffi.pointer(InitCompleted),
    timer_new_opaque: koffi.pointer(TimerNewOpaque),
  });
  const WriteCb = koffi.proto('intptr_t slirp_write_cb(const void *buf, size_t len, void *opaque)');
  const ReadCb = koffi.proto('intptr_t slirp_read_cb(void *buf, size_t len, void *opaque)');
  const AddPoll = koffi.proto('int slirp_add_poll_cb(int fd, int events, void *opaque)');
  const GetREvents = koffi.proto('int slirp_get_revents_cb(int idx, void *opaque)');
  return {
    InAddr,
    In6Addr,
    Config,
    Callbacks,
    SendPacket,
    GuestError,
    ClockGetNs,
    TimerNew,
    TimerFree,
    TimerMod,
    PollFd,
    Notify,
    TimerNewOpaque,
    TimerCb,
    slirp_version_string: lib.func('const char *slirp_version_string(void)'),
    slirp_new: lib.func('void *slirp_new(const SlirpConfig *cfg, const SlirpCb *callbacks, void *opaque)'),
    slirp_cleanup: lib.func('void slirp_cleanup(void *slirp)'),
    slirp_pollfds_fill: lib.func(
      'void slirp_pollfds_fill(void *slirp, _Inout_ uint32_t *timeout, slirp_add_poll_cb *add_poll, void *opaque)',
    ),
    slirp_pollfds_poll: lib.func(
      'void slirp_pollfds_poll(void *slirp, int select_error, slirp_get_revents_cb *get_revents, void *opaque)',
    ),
    slirp_input: lib.func('void slirp_input(void *slirp, const uint8_t *pkt, int pkt_len)'),
    slirp_handle_timer: lib.func('void slirp_handle_timer(void *slirp, int id, void *cb_opaque)'),
    slirp_add_hostfwd: lib.func(
      'int slirp_add_hostfwd(void *slirp, int is_udp, slirp_in_addr host_addr, int host_port, slirp_in_addr guest_addr, int guest_port)',
    ),
    slirp_state_version: lib.func('int slirp_state_version(void)'),
    slirp_state_save: lib.func('void slirp_state_save(void *slirp, slirp_write_cb *write_cb, void *opaque)'),
    slirp_state_load: lib.func(
      'int slirp_state_load(void *slirp, int version_id, slirp_read_cb *read_cb, void *opaque)',
    ),
    WriteCb,
    ReadCb,
    AddPoll,
    GetREvents,
    poll: libc.func('int poll(void *fds, unsigned long nfds, int timeout)'),
    eventfd: libc.func('int eventfd(unsigned int initval, int flags)'),
    read: libc.func('intptr_t read(int fd, void *buf, size_t count)'),
  };
}
type Api = ReturnType<typeof bind>;

/** A timer slirp created: its handle's address, what to run, when (ms of the slirp clock, or -1). */
interface Timer {
  readonly handle: Ptr;
  readonly fire: () => void;
  expireMs: number;
}

function run(koffi: Koffi, api: Api, version: string): void {
  const ring = new FrameRing(cfg.ring);
  const ctl = ring.ctl;
  const wakeFd = api.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC) as number;
  if (wakeFd < 0) throw new Error(`--net user: eventfd failed (errno ${koffi.errno()})`);

  // Host-to-guest frames produced during one loop turn, posted together at its end.
  let outFrames: ArrayBuffer[] = [];
  const timers = new Map<bigint, Timer>();
  const tcpSockets = new Set<number>();
  let slirp: Ptr = null;
  const nowMs = (): number => performance.now();

  const registered: unknown[] = [];
  const reg = (fn: (...args: never[]) => unknown, proto: KoffiType): unknown => {
    const r = koffi.register(fn as (...args: unknown[]) => unknown, koffi.pointer(proto));
    registered.push(r);
    return r;
  };
  const newTimer = (fire: () => void): Ptr => {
    const handle = koffi.alloc('uint64_t', 1) as Ptr;
    timers.set(koffi.address(handle), { handle, fire, expireMs: -1 });
    return handle;
  };
  const callbacks = {
    send_packet: reg((buf: Ptr, len: number | bigint): number => {
      const n = Number(len);
      const inFlight = Atomics.load(ctl, Ctl.RxInFlightBytes);
      // Bounded: the device thread holds at most rxMaxInFlightBytes of undelivered frames; past
      // that the frame is lost like on a congested link (TCP retransmits, UDP was best effort).
      if (inFlight + n > cfg.rxMaxInFlightBytes) {
        Atomics.add(ctl, Ctl.RxDropped, 1);
        return n;
      }
      Atomics.add(ctl, Ctl.RxInFlightBytes, n);
      outFrames.push(new Uint8Array(koffi.view(buf, n)).slice().buffer);
      return n;
    }, api.SendPacket),
    guest_error: reg(() => {}, api.GuestError),
    // The slirp clock: ns since this worker started (fits a double exactly for 104 days).
    clock_get_ns: reg(() => Math.round(nowMs() * 1e6), api.ClockGetNs),
    timer_new: reg((cb: Ptr, cbOpaque: Ptr) => {
      const fn = koffi.decode(cb, api.TimerCb) as (opaque: Ptr) => void;
      return newTimer(() => fn(cbOpaque));
    }, api.TimerNew),
    timer_free: reg((timer: Ptr) => {
      const key = koffi.address(timer);
      const t = timers.get(key);
      if (t !== undefined) {
        timers.delete(key);
        koffi.free(t.handle);
      }
    }, api.TimerFree),
    timer_mod: reg((timer: Ptr, expireMs: number | bigint) => {
      const t = timers.get(koffi.address(timer));
      if (t !== undefined) t.expireMs = Number(expireMs);
    }, api.TimerMod),
    // slirp registers the socket of each TCP connection (guest's or hostfwd's) here and
    // unregisters it when closing it (UDP sockets only on the way out, which a set ignores).
    register_poll_fd: reg((fd: number) => void tcpSockets.add(fd), api.PollFd),
    unregister_poll_fd: reg((fd: number) => void tcpSockets.delete(fd), api.PollFd),
    // Called when slirp has more to send; the loop asks slirp for its descriptors every turn.
    notify: reg(() => {}, api.Notify),
    init_completed: null,
    timer_new_opaque: reg((id: number, cbOpaque: Ptr) => {
      return newTimer(() => api.slirp_handle_timer(slirp, id, cbOpaque));
    }, api.TimerNewOpaque),
  };
  // slirp keeps the callback table's address: it must live in C memory until slirp_cleanup.
  const cbMem = koffi.alloc(api.Callbacks, 1);
  koffi.encode(cbMem, api.Callbacks, callbacks);

  const ip4 = (text: string): number => text.split('.').reduce((a, b) => a * 256 + Number(b), 0);
  const inAddr = (text: string): { s_addr: number } => ({ s_addr: ip4(text) });
  const in6Addr = (text: string): { s6_addr32: number[] } => {
    const b = ipv6Bytes(text);
    return {
      s6_addr32: [0, 4, 8, 12].map(
        (i) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0,
      ),
    };
  };
  slirp = api.slirp_new(
    {
      version: SLIRP_CONFIG_VERSION,
      restricted: cfg.restrict ? 1 : 0,
      in_enabled: true,
      vnetwork: inAddr(cfg.network),
      vnetmask: inAddr(cfg.netmask),
      vhost: inAddr(cfg.host),
      in6_enabled: cfg.ipv6,
      vprefix_addr6: in6Addr(IPV6_PREFIX),
      vprefix_len: IPV6_PREFIX_LENGTH,
      vhost6: in6Addr(IPV6_HOST),
      vhostname: null,
      tftp_server_name: null,
      tftp_path: null,
      bootfile: null,
      vdhcp_start: inAddr(cfg.dhcpStart),
      vnameserver: inAddr(cfg.dns),
      vnameserver6: in6Addr(IPV6_DNS),
      vdnssearch: null,
      vdomainname: null,
      if_mtu: cfg.mtu,
      if_mru: cfg.mtu,
      disable_host_loopback: false,
      enable_emu: false,
      outbound_addr: null,
      outbound_addr6: null,
      disable_dns: false,
      disable_dhcp: false,
    },
    cbMem,
    null,
  );
  if (slirp === null) throw new Error('--net user: slirp_new failed');
  for (const f of cfg.hostfwd) {
    const r = api.slirp_add_hostfwd(
      slirp,
      f.udp ? 1 : 0,
      inAddr(f.hostAddr),
      f.hostPort,
      inAddr(f.guestAddr),
      f.guestPort,
    ) as number;
    if (r < 0) {
      api.slirp_cleanup(slirp);
      throw new Error(
        `--net user: hostfwd=${f.udp ? 'udp' : 'tcp'}:${f.hostAddr}:${f.hostPort}-${f.guestAddr}:${f.guestPort}: ` +
          `cannot listen on the host address (in use, or not an address of this host)`,
      );
    }
  }
  post({ type: 'ready', wakeFd, version });

  // One poll(2) array for the whole life of the worker, grown as slirp opens sockets.
  let pollBuf = Buffer.alloc(8 * 64);
  let nfds = 0;
  const addFd = (fd: number, events: number): number => {
    if ((nfds + 1) * 8 > pollBuf.length) {
      const bigger = Buffer.alloc(pollBuf.length * 2);
      pollBuf.copy(bigger);
      pollBuf = bigger;
    }
    let ev = 0;
    if (events & SLIRP_POLL_IN) ev |= POLLIN;
    if (events & SLIRP_POLL_OUT) ev |= POLLOUT;
    if (events & SLIRP_POLL_PRI) ev |= POLLPRI;
    pollBuf.writeInt32LE(fd, nfds * 8);
    pollBuf.writeInt16LE(ev, nfds * 8 + 4);
    pollBuf.writeInt16LE(0, nfds * 8 + 6);
    return nfds++;
  };
  const addPoll = (fd: number, events: number): number => addFd(fd, events);
  const getREvents = (idx: number): number => {
    if (idx < 0 || idx >= nfds) return 0;
    const rev = pollBuf.readInt16LE(idx * 8 + 6);
    let r = 0;
    if (rev & POLLIN) r |= SLIRP_POLL_IN;
    if (rev & POLLOUT) r |= SLIRP_POLL_OUT;
    if (rev & POLLPRI) r |= SLIRP_POLL_PRI;
    if (rev & POLLERR) r |= SLIRP_POLL_ERR;
    if (rev & POLLHUP) r |= SLIRP_POLL_HUP;
    return r;
  };
  const drainBuf = Buffer.alloc(8);
  // slirp_input reads the frame during the call only; one buffer serves every frame.
  const inBuf = Buffer.alloc(cfg.ring.byteLength);
  // libslirp opens a host socket for every new connection the guest asks for, without a limit:
  // with maxSockets TCP sockets open, SYNs that open connections are dropped here (as a firewall
  // would) until some close. Established connections are not affected.
  const input = (frame: Uint8Array): void => {
    if (tcpSockets.size >= cfg.maxSockets && isConnectionSyn(frame)) {
      Atomics.add(ctl, Ctl.SynRefused, 1);
      return;
    }
    inBuf.set(frame);
    api.slirp_input(slirp, inBuf, frame.length);
  };
  const flush = (): void => {
    if (outFrames.length === 0) return;
    const frames = outFrames;
    outFrames = [];
    post({ type: 'frames', frames }, frames);
  };

  // libslirp's state, as the device thread asks (snapshots and migration). What it holds: the
  // DHCP leases and the IP id counter, and guestfwd connections (tsvirt makes none); sockets of
  // other connections are the host's and stay behind (docs/snapshot-format.md, 'SLRP').
  const request = (m: SlirpWorkerRequest): void => {
    if (m.type === 'save') {
      const parts: Uint8Array[] = [];
      api.slirp_state_save(
        slirp,
        (buf: Ptr, len: number | bigint): number => {
          const n = Number(len);
          if (n > 0) parts.push(new Uint8Array(koffi.view(buf, n)).slice());
          return n;
        },
        null,
      );
      const total = parts.reduce((a, b) => a + b.length, 0);
      const bytes = new Uint8Array(total);
      let at = 0;
      for (const b of parts) {
        bytes.set(b, at);
        at += b.length;
      }
      post({ type: 'state', version: api.slirp_state_version() as number, bytes: bytes.buffer }, [
        bytes.buffer,
      ]);
      return;
    }
    const max = api.slirp_state_version() as number;
    if (!Number.isSafeInteger(m.version) || m.version < 1 || m.version > max) {
      post({ type: 'loaded', error: `libslirp state version ${m.version}: this libslirp reads 1..${max}` });
      return;
    }
    let at = 0;
    let short = false;
    const r = api.slirp_state_load(
      slirp,
      m.version,
      (buf: Ptr, len: number | bigint): number => {
        const n = Math.min(Number(len), m.bytes.length - at);
        if (n < Number(len)) short = true;
        if (n > 0) new Uint8Array(koffi.view(buf, n)).set(m.bytes.subarray(at, at + n));
        at += n;
        return n;
      },
      null,
    ) as number;
    post({
      type: 'loaded',
      error:
        r < 0 || short ? `libslirp refused the state (${short ? 'truncated' : `error ${r}`})` : undefined,
    });
  };

  while (Atomics.load(ctl, Ctl.Closing) === 0) {
    for (let m = receiveMessageOnPort(inbox); m !== undefined; m = receiveMessageOnPort(inbox))
      request(m.message as SlirpWorkerRequest);
    nfds = 0;
    addFd(wakeFd, SLIRP_POLL_IN);
    const now = nowMs();
    let timeoutMs = MAX_POLL_MS;
    for (const t of timers.values()) {
      if (t.expireMs >= 0) timeoutMs = Math.min(timeoutMs, Math.max(0, Math.ceil(t.expireMs - now)));
    }
    const timeout = [timeoutMs];
    api.slirp_pollfds_fill(slirp, timeout, addPoll, null);
    // Guest frames that came in since the last turn go first: no sleep while some wait.
    if (Atomics.load(ctl, Ctl.Head) !== Atomics.load(ctl, Ctl.Tail)) timeout[0] = 0;
    const n = api.poll(pollBuf, nfds, timeout[0]) as number;
    api.slirp_pollfds_poll(slirp, n < 0 ? 1 : 0, getREvents, null);
    if (n > 0 && (pollBuf.readInt16LE(6) & POLLIN) !== 0) api.read(wakeFd, drainBuf, 8);
    // Cleared before draining: a push after this point writes the eventfd again.
    Atomics.store(ctl, Ctl.Wake, 0);
    while (ring.pop(input)) {
      // Frames to the guest are posted as they come, so a burst does not pile up here.
      if (outFrames.length >= 64) flush();
    }
    const t2 = nowMs();
    for (const t of [...timers.values()]) {
      if (t.expireMs >= 0 && t.expireMs <= t2) {
        t.expireMs = -1;
        t.fire();
      }
    }
    flush();
  }
  api.slirp_cleanup(slirp);
  for (const t of timers.values()) koffi.free(t.handle);
  for (const r of registered) koffi.unregister(r as bigint);
  koffi.free(cbMem);
  // The eventfd stays open: the device thread may still write it, and closes it after this
  // thread has exited.
}

/** An Ethernet frame carrying a TCP segment with SYN set and ACK clear, over IPv4 or IPv6. */
function isConnectionSyn(f: Uint8Array): boolean {
  if (f.length < 14) return false;
  const type = (f[12] << 8) | f[13];
  let tcp: number;
  if (type === 0x0800) {
    if (f.length < 34 || f[23] !== 6) return false;
    tcp = 14 + (f[14] & 15) * 4;
  } else if (type === 0x86dd) {
    // Only a TCP header right after the fixed header; slirp's IPv6 takes no extension headers.
    if (f.length < 54 || f[20] !== 6) return false;
    tcp = 54;
  } else {
    return false;
  }
  return f.length > tcp + 13 && (f[tcp + 13] & 0x12) === 0x02;
}

/** An IPv6 literal's 16 bytes (the few fixed addresses above; no IPv4 tail). */
function ipv6Bytes(text: string): number[] {
  const [a, b = ''] = text.split('::');
  const groups = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const head = groups(a);
  const tail = groups(b);
  const all = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  return all.flatMap((g) => [g >>> 8, g & 0xff]);
}
