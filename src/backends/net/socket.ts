// Socket backends linking two tsvirt VMs, or a VM and a test peer: UDP with one frame per datagram
// (QEMU `-netdev dgram` style), and a unix stream socket carrying frames behind a 4-byte
// big-endian length (QEMU `-netdev stream` framing, see framing.ts).

import dgram from 'node:dgram';
import { lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { MAX_FRAME_BYTES, newNetBackendMetrics, type NetBackend } from './backend.js';
import { encodeFrame, FrameDecoder, MAX_BUFFERED_BYTES } from './framing.js';
import { describeNetBackend, formatHostPort, type HostPort, type NetBackendSpec } from './spec.js';

/** A backend could not be opened; the message names the backend and the system error. */
export class NetOpenError extends Error {}

/** Largest UDP payload over IPv4 (65535 - 20 IP header - 8 UDP header) and over IPv6 (65535 - 8). */
const UDP4_MAX_PAYLOAD_BYTES = 65507;
const UDP6_MAX_PAYLOAD_BYTES = 65527;
/** Datagrams handed to the OS whose completion has not been reported yet, before send drops. */
const UDP_MAX_IN_FLIGHT = 512;
/** Bytes queued in a stream socket (peer not reading) before send drops frames. */
const STREAM_MAX_QUEUED_BYTES = 1024 * 1024;
/** Delay between attempts to reach the listener again after a `connect` peer went away. */
const DEFAULT_RECONNECT_MS = 1000;

/** Options of the stream backend. */
export interface StreamOptions {
  /** Told why a peer was dropped (a stream out of step, an overrun), one line per drop. */
  warn?: (message: string) => void;
  /** Bound on received bytes held before they form frames (default MAX_BUFFERED_BYTES). */
  maxRxBufferedBytes?: number;
}

/**
 * Open the backend described by `spec`. Resolves once it can carry frames: the UDP socket is bound
 * and connected, the unix socket is listening (a peer may come later) or connected.
 */
export async function openNetBackend(
  spec: NetBackendSpec,
  opts: StreamOptions = {},
): Promise<UdpNetBackend | StreamNetBackend> {
  // The user-mode NAT needs a native library and lives in the host layer (host/node/slirp).
  if (spec.kind === 'user') throw new NetOpenError(`--net user is not a socket backend`);
  try {
    if (spec.kind === 'udp') return await UdpNetBackend.open(spec.local, spec.remote);
    return spec.mode === 'listen'
      ? await StreamNetBackend.listen(spec.path, opts)
      : await StreamNetBackend.connect(spec.path, DEFAULT_RECONNECT_MS, opts);
  } catch (e) {
    throw new NetOpenError(`--net ${describeNetBackend(spec)}: ${(e as Error).message}`);
  }
}

/**
 * One Ethernet frame per UDP datagram. The socket is connected to the remote address, so the
 * kernel discards datagrams from anyone else. There is no flow control: datagrams arriving faster
 * than the device takes them are dropped by the device (or by the kernel).
 */
export class UdpNetBackend implements NetBackend {
  readonly metrics = newNetBackendMetrics();
  private receiver: ((frame: Uint8Array) => void) | undefined;
  private closed = false;
  private inFlight = 0;
  private readonly maxPayloadBytes: number;

  private constructor(
    private readonly sock: dgram.Socket,
    ipv6: boolean,
  ) {
    this.maxPayloadBytes = ipv6 ? UDP6_MAX_PAYLOAD_BYTES : UDP4_MAX_PAYLOAD_BYTES;
    sock.on('message', (msg) => this.onMessage(msg));
    // A connected UDP socket reports ICMP "port unreachable" (the peer is not running yet) as
    // ECONNREFUSED on a later receive; the socket stays usable, so there is nothing to do.
    sock.on('error', () => {});
  }

  /** Bind `local` (port 0 picks a free port) and connect to `remote`. */
  static async open(local: HostPort, remote: HostPort): Promise<UdpNetBackend> {
    const ipv6 = local.host.includes(':');
    const sock = dgram.createSocket({ type: ipv6 ? 'udp6' : 'udp4' });
    try {
      await new Promise<void>((resolve, reject) => {
        sock.once('error', reject);
        sock.bind(local.port, local.host, () => {
          sock.off('error', reject);
          resolve();
        });
      }).catch((e: Error) => {
        throw new Error(`cannot bind ${formatHostPort(local)}: ${e.message}`);
      });
      await new Promise<void>((resolve, reject) =>
        sock.connect(remote.port, remote.host, (e?: Error) => (e ? reject(e) : resolve())),
      ).catch((e: Error) => {
        throw new Error(`cannot connect to ${formatHostPort(remote)}: ${e.message}`);
      });
    } catch (e) {
      sock.close();
      throw e;
    }
    return new UdpNetBackend(sock, ipv6);
  }

  /** The local port actually bound. */
  get localPort(): number {
    return this.sock.address().port;
  }

  send(frame: Uint8Array): void {
    if (this.closed || frame.length > this.maxPayloadBytes || this.inFlight >= UDP_MAX_IN_FLIGHT) {
      this.metrics.txDropped++;
      return;
    }
    this.inFlight++;
    this.sock.send(frame, (e) => {
      this.inFlight--;
      if (e) {
        this.metrics.txDropped++;
      } else {
        this.metrics.txFrames++;
        this.metrics.txBytes += frame.length;
      }
    });
  }

  onReceive(receiver: (frame: Uint8Array) => void): void {
    this.receiver = receiver;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.receiver = undefined;
    return new Promise((resolve) => this.sock.close(() => resolve()));
  }

  private onMessage(msg: Uint8Array): void {
    if (this.closed || this.receiver === undefined || msg.length === 0 || msg.length > MAX_FRAME_BYTES) {
      this.metrics.rxDropped++;
      return;
    }
    this.metrics.rxFrames++;
    this.metrics.rxBytes += msg.length;
    // A copy: the receiver owns its frame, whatever the runtime does with its receive buffers.
    this.receiver(new Uint8Array(msg));
  }
}

/**
 * Length-prefixed frames over a unix stream socket with one peer at a time. `listen` accepts one
 * peer (extra connections are closed at once) and waits for the next when it leaves; `connect`
 * dials the listener and, after losing it, retries every `reconnectMs`. While no peer is connected
 * `send` drops. `pause` stops reading, so the peer's socket fills up and it sees backpressure.
 *
 * Bounds: received bytes not yet delivered as frames stay under `maxRxBufferedBytes` (256 KiB by
 * default); bytes queued for the peer under STREAM_MAX_QUEUED_BYTES (1 MiB) plus one frame. A
 * peer whose stream is out of step (a length of 0 or above MAX_FRAME_BYTES) or that overruns the
 * receive bound is dropped, counted in `streamMetrics` and reported through `warn` with the reason.
 * Nothing a peer sends makes the backend throw.
 */
export class StreamNetBackend implements NetBackend {
  readonly metrics = newNetBackendMetrics();
  /**
   * Connections refused because a peer was already connected; peers dropped because their stream
   * broke framing or overran the receive bound, and the last reason why.
   */
  readonly streamMetrics = { peersRejected: 0, framingErrors: 0, lastDropReason: '' };
  private receiver: ((frame: Uint8Array) => void) | undefined;
  private peerListener: ((connected: boolean) => void) | undefined;
  private sock: net.Socket | undefined;
  private dialing: net.Socket | undefined;
  private server: net.Server | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly decoder: FrameDecoder;
  private paused = false;
  private pumping = false;
  private closed = false;
  /** Whole frames a departed peer sent, not yet delivered (the receiver was paused). */
  private readonly held: Uint8Array[] = [];
  private heldBytes = 0;

  private constructor(
    private readonly path: string,
    private readonly reconnectMs: number,
    private readonly opts: StreamOptions,
  ) {
    this.decoder = new FrameDecoder(opts.maxRxBufferedBytes ?? MAX_BUFFERED_BYTES);
  }

  /**
   * Listen on the unix socket `path`. A leftover socket file nobody listens on is replaced; any
   * other existing file is an error.
   */
  static async listen(path: string, opts: StreamOptions = {}): Promise<StreamNetBackend> {
    const b = new StreamNetBackend(path, 0, opts);
    const server = net.createServer((s) => b.accept(s));
    const tryListen = (): Promise<void> =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(path, () => {
          server.off('error', reject);
          resolve();
        });
      });
    try {
      await tryListen();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !(await isStaleSocket(path))) {
        throw new Error(`cannot listen on ${path}: ${(e as Error).message}`);
      }
      unlinkSync(path);
      await tryListen();
    }
    b.server = server;
    return b;
  }

  /** Connect to the listener at `path`; rejects when the first attempt fails. */
  static async connect(
    path: string,
    reconnectMs = DEFAULT_RECONNECT_MS,
    opts: StreamOptions = {},
  ): Promise<StreamNetBackend> {
    const b = new StreamNetBackend(path, reconnectMs, opts);
    await b.dial(true);
    return b;
  }

  /** True while a peer is connected. */
  get connected(): boolean {
    return this.sock !== undefined;
  }

  /** Received bytes not yet delivered as frames, now and at most so far. */
  get rxBufferedBytes(): number {
    return this.decoder.buffered;
  }
  get rxPeakBufferedBytes(): number {
    return this.decoder.peakBuffered;
  }

  /** Be told when a peer connects (true) or goes away (false). */
  onPeerChange(listener: (connected: boolean) => void): void {
    this.peerListener = listener;
  }

  send(frame: Uint8Array): void {
    const s = this.sock;
    if (s === undefined || !s.writable || s.writableLength > STREAM_MAX_QUEUED_BYTES) {
      this.metrics.txDropped++;
      return;
    }
    s.write(encodeFrame(frame));
    this.metrics.txFrames++;
    this.metrics.txBytes += frame.length;
  }

  onReceive(receiver: (frame: Uint8Array) => void): void {
    this.receiver = receiver;
  }

  pause(): void {
    this.paused = true;
    this.sock?.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    // Frames already decoded from earlier reads go out from the event loop, then reading resumes.
    setImmediate(() => {
      if (this.paused || this.closed) return;
      this.pump();
      if (!this.paused) this.sock?.resume();
    });
  }

  /** Close the peer connection and the listener (which removes the socket file). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.receiver = undefined;
    this.peerListener = undefined;
    this.held.length = 0;
    this.heldBytes = 0;
    clearTimeout(this.reconnectTimer);
    const socks = [this.sock, this.dialing].filter((s): s is net.Socket => s !== undefined);
    this.sock = undefined;
    this.dialing = undefined;
    const done = socks.map((s) => (s.closed ? undefined : new Promise((r) => s.once('close', r))));
    for (const s of socks) s.destroy();
    const server = this.server;
    if (server !== undefined) done.push(new Promise((r) => server.close(r)));
    await Promise.all(done);
  }

  private accept(s: net.Socket): void {
    if (this.closed || this.sock !== undefined) {
      this.streamMetrics.peersRejected++;
      s.destroy();
      return;
    }
    this.attach(s);
  }

  private dial(first: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = net.connect(this.path);
      this.dialing = s;
      const onError = (e: Error): void => {
        this.dialing = undefined;
        s.destroy();
        if (first) reject(new Error(`cannot connect to ${this.path}: ${e.message}`));
        else {
          this.scheduleReconnect();
          resolve();
        }
      };
      s.once('error', onError);
      s.once('connect', () => {
        s.off('error', onError);
        this.dialing = undefined;
        if (this.closed) s.destroy();
        else this.attach(s);
        resolve();
      });
    });
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer !== undefined) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closed) void this.dial(false);
    }, this.reconnectMs);
  }

  private attach(s: net.Socket): void {
    this.sock = s;
    this.decoder.clear();
    s.on('data', (chunk: Uint8Array) => {
      if (this.sock !== s) return;
      try {
        this.decoder.push(chunk);
      } catch (e) {
        this.drop(s, e);
        return;
      }
      this.pump();
    });
    // 'close' always follows 'error'; the peer simply goes away.
    s.on('error', () => {});
    s.on('close', () => this.detach(s));
    if (this.paused) s.pause();
    this.peerListener?.(true);
  }

  private detach(s: net.Socket): void {
    if (this.sock !== s) return;
    // Whole frames the peer sent before it left are still delivered: a paused socket reports
    // the peer's end once its own read buffer is empty, while frames wait in the decoder. They
    // fit the receive bound, as they come from the decoder. A frame cut short is lost.
    for (;;) {
      let frame: Uint8Array | undefined;
      try {
        frame = this.decoder.next();
      } catch (e) {
        this.noteDrop(e);
        this.decoder.clear();
        break;
      }
      if (frame === undefined) break;
      if (this.heldBytes + frame.length > this.decoder.maxBufferedBytes) {
        this.metrics.rxDropped++;
        continue;
      }
      this.held.push(frame);
      this.heldBytes += frame.length;
    }
    this.sock = undefined;
    if (this.decoder.buffered > 0) this.metrics.rxDropped++;
    this.decoder.clear();
    this.peerListener?.(false);
    if (this.reconnectMs > 0) this.scheduleReconnect();
    this.pump();
  }

  /**
   * Drop peer `s`, whose stream cannot be decoded or held: count it, say why, forget what it
   * sent. Detached at once, not at its 'close': a read already queued for `s` must not feed the
   * middle of its stream to the decoder as if it were the start of a frame.
   */
  private drop(s: net.Socket, e: unknown): void {
    this.noteDrop(e);
    this.decoder.clear();
    this.detach(s);
    s.destroy();
  }

  private noteDrop(e: unknown): void {
    // The decoder throws NetStreamError only; anything else would still cost just this peer.
    const reason = e instanceof Error ? e.message : String(e);
    this.streamMetrics.framingErrors++;
    this.streamMetrics.lastDropReason = reason;
    this.metrics.rxDropped++;
    this.opts.warn?.(`net socket ${this.path}: dropped the peer: ${reason}`);
  }

  /** Deliver decoded frames until none is complete, the receiver pauses, or the peer changes. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.paused && !this.closed) {
        // Frames of a departed peer first: they came before anything the current one sends.
        let frame = this.held.shift();
        if (frame !== undefined) {
          this.heldBytes -= frame.length;
        } else {
          const s = this.sock;
          if (s === undefined) return;
          try {
            frame = this.decoder.next();
          } catch (e) {
            this.drop(s, e);
            return;
          }
          if (frame === undefined) return;
        }
        if (this.receiver === undefined) {
          this.metrics.rxDropped++;
          continue;
        }
        this.metrics.rxFrames++;
        this.metrics.rxBytes += frame.length;
        this.receiver(frame);
      }
    } finally {
      this.pumping = false;
    }
  }
}

/** True when `path` is a unix socket nobody accepts connections on (left by a dead process). */
async function isStaleSocket(path: string): Promise<boolean> {
  try {
    if (!lstatSync(path).isSocket()) return false;
  } catch {
    return false;
  }
  return new Promise((resolve) => {
    const probe = net.connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(false);
    });
    probe.once('error', (e: NodeJS.ErrnoException) => {
      probe.destroy();
      resolve(e.code === 'ECONNREFUSED');
    });
  });
}
