// `--net user`: QEMU's user-mode networking (NAT, DHCP, DNS forwarding, hostfwd) for a virtio-net
// NIC, by libslirp (the library behind QEMU's own `-netdev user`) in a worker thread (worker.ts
// says why). This side, on the device thread, is the NetBackend the NIC sees.

import { closeSync, existsSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  MAX_FRAME_BYTES,
  newNetBackendMetrics,
  type NetBackend,
  type NetBackendState,
} from '../../../backends/net/backend.js';
import { formatIpv4, type UserNetSpec } from '../../../backends/net/spec.js';
import { Ctl, FrameRing, newFrameRingBuffer } from './ring.js';
import type { SlirpWorkerConfig, SlirpWorkerMessage, SlirpWorkerRequest } from './protocol.js';

/** `--net user` could not start; the message says what to install or which rule failed. */
export class UserNetError extends Error {}

/** Options, mostly for tests. */
export interface UserNetOptions {
  /** MTU of the guest's NIC (slirp segments TCP for it), bytes; default 1500. */
  mtu?: number;
  /** Guest-to-host ring size, bytes (a power of two); default 2 MiB. */
  txRingBytes?: number;
  /** Host-to-guest bytes held undelivered (paused device, busy thread) before dropping; default 4 MiB. */
  rxMaxInFlightBytes?: number;
  /** Sockets slirp may hold before new guest connections are refused; default 1024. */
  maxSockets?: number;
  /** The shared library to load; default libslirp.so.0. */
  library?: string;
}

const DEFAULT_MTU = 1500;
const DEFAULT_TX_RING_BYTES = 2 * 1024 * 1024;
const DEFAULT_RX_MAX_IN_FLIGHT_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_SOCKETS = 1024;

/**
 * Start libslirp for `spec`. Resolves when the NAT runs and every hostfwd rule listens; rejects
 * with a UserNetError naming the missing package or the failing rule.
 */
export async function openUserNetBackend(
  spec: UserNetSpec,
  opts: UserNetOptions = {},
): Promise<UserNetBackend> {
  const ring = newFrameRingBuffer(opts.txRingBytes ?? DEFAULT_TX_RING_BYTES);
  const prefix = spec.prefixLength;
  const config: SlirpWorkerConfig = {
    ring,
    network: spec.network,
    netmask: formatIpv4(prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0),
    host: spec.host,
    dns: spec.dns,
    dhcpStart: spec.dhcpStart,
    restrict: spec.restrict,
    ipv6: spec.ipv6,
    mtu: opts.mtu ?? DEFAULT_MTU,
    hostfwd: spec.hostfwd.map((f) => ({
      udp: f.proto === 'udp',
      hostAddr: f.hostAddr,
      hostPort: f.hostPort,
      guestAddr: f.guestAddr,
      guestPort: f.guestPort,
    })),
    rxMaxInFlightBytes: opts.rxMaxInFlightBytes ?? DEFAULT_RX_MAX_IN_FLIGHT_BYTES,
    maxSockets: opts.maxSockets ?? DEFAULT_MAX_SOCKETS,
    library: opts.library ?? 'libslirp.so.0',
  };
  const worker = new Worker(workerFile(), { workerData: config });
  return new Promise((resolve, reject) => {
    // Only this function's own listeners are removed: Worker keeps listeners of its own.
    const off = (): void => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      worker.off('message', onMessage);
    };
    const fail = (message: string): void => {
      off();
      void worker.terminate();
      reject(new UserNetError(message));
    };
    const onError = (e: Error): void => fail(`--net user: the slirp worker failed: ${e.message}`);
    const onExit = (code: number): void =>
      fail(`--net user: the slirp worker exited (status ${code}) before starting`);
    const onMessage = (m: SlirpWorkerMessage): void => {
      if (m.type !== 'ready') {
        fail(m.type === 'error' ? m.message : `--net user: unexpected first message '${m.type}'`);
        return;
      }
      off();
      resolve(new UserNetBackend(worker, ring, m.wakeFd, m.version));
    };
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.on('message', onMessage);
  });
}

/**
 * The worker's compiled file: next to this module when running from dist/, or under
 * dist/host/node/slirp/ when this module was bundled into dist/tsvirt.mjs.
 */
function workerFile(): string {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return fileURLToPath(here);
  return fileURLToPath(new URL('./host/node/slirp/worker.js', import.meta.url));
}

/**
 * The NIC's side of a libslirp NAT. Guest frames go into a bounded shared ring (full: dropped and
 * counted in txDropped); host frames arrive in batches from the worker.
 *
 * Flow control: host-to-guest frames are bounded, not held back at their source. The worker
 * counts the bytes it has posted and the device thread has not yet delivered (frames held while
 * paused included); past rxMaxInFlightBytes it drops frames (rxDropped). A slow guest mostly
 * never gets there, since slirp sends TCP data only within the window the guest advertises; a
 * flood of UDP or a long pause loses frames, as on a congested link, and TCP retransmits.
 */
export class UserNetBackend implements NetBackend {
  private readonly local = newNetBackendMetrics();
  private readonly ring: FrameRing;
  private readonly wakeBuf = new Uint8Array(new BigUint64Array([1n]).buffer);
  private receiver: ((frame: Uint8Array) => void) | undefined;
  private paused = false;
  private held: Uint8Array[] = [];
  private closed = false;
  private exited: Promise<void>;
  /** Why the worker stopped on its own, if it did. */
  failure: string | undefined;
  /** The answer awaited to a state request, one at a time. */
  private answer: ((m: SlirpWorkerMessage) => void) | undefined;
  private requests: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly worker: Worker,
    sab: SharedArrayBuffer,
    private readonly wakeFd: number,
    /** libslirp's version string. */
    readonly version: string,
  ) {
    this.ring = new FrameRing(sab);
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (m: SlirpWorkerMessage) => {
      if (m.type === 'frames') this.onFrames(m.frames);
      else if (m.type === 'error') {
        this.failure = m.message;
        this.answer?.(m);
      } else this.answer?.(m);
    });
    worker.on('error', (e) => {
      this.failure = e.message;
    });
    // A NIC's backend does not keep the process alive; the VM's run loop does.
    worker.unref();
  }

  /** Counters; rxDropped includes what the worker dropped at its bound. */
  get metrics(): ReturnType<typeof newNetBackendMetrics> {
    const m = this.local;
    return { ...m, rxDropped: m.rxDropped + Atomics.load(this.ring.ctl, Ctl.RxDropped) };
  }

  /** Guest connection attempts (TCP SYNs) dropped at the socket limit. */
  get refusedConnections(): number {
    return Atomics.load(this.ring.ctl, Ctl.SynRefused);
  }

  /** True while the worker runs (it stops at close, or if libslirp failed). */
  get alive(): boolean {
    return !this.closed && this.failure === undefined;
  }

  send(frame: Uint8Array): void {
    if (this.closed || frame.length < 14 || frame.length > MAX_FRAME_BYTES || !this.ring.push(frame)) {
      this.local.txDropped++;
      return;
    }
    this.local.txFrames++;
    this.local.txBytes += frame.length;
    // Write the eventfd only when the worker may be asleep with no wake-up pending.
    if (Atomics.exchange(this.ring.ctl, Ctl.Wake, 1) === 0) this.wake();
  }

  onReceive(receiver: (frame: Uint8Array) => void): void {
    this.receiver = receiver;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    while (!this.paused && !this.closed && this.held.length > 0) {
      this.deliver(this.held.shift() as Uint8Array);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return this.exited;
    this.closed = true;
    this.receiver = undefined;
    this.held = [];
    // Keep the process alive until the worker has let go of slirp's sockets.
    this.worker.ref();
    Atomics.store(this.ring.ctl, Ctl.Closing, 1);
    this.wake();
    await this.exited;
    closeSync(this.wakeFd);
  }

  /**
   * libslirp's state (slirp_state_save): the DHCP leases and IP id counter, and guestfwd
   * connections (none here). Other connections' sockets stay with this process.
   */
  async saveState(): Promise<NetBackendState> {
    const m = await this.request({ type: 'save' });
    if (m.type !== 'state') throw new Error(`--net user: saving libslirp's state failed: ${describe(m)}`);
    return { version: m.version, bytes: new Uint8Array(m.bytes) };
  }

  /** Load a state `saveState` returned (slirp_state_load); rejects naming why libslirp refused it. */
  async loadState(state: NetBackendState): Promise<void> {
    const m = await this.request({ type: 'load', version: state.version, bytes: state.bytes });
    if (m.type !== 'loaded' || m.error !== undefined)
      throw new Error(`--net user: loading libslirp's state failed: ${describe(m)}`);
  }

  private request(r: SlirpWorkerRequest): Promise<SlirpWorkerMessage> {
    const next = this.requests.then(
      () =>
        new Promise<SlirpWorkerMessage>((resolve, reject) => {
          if (!this.alive) {
            reject(new Error(`--net user: the slirp worker is not running (${this.failure ?? 'closed'})`));
            return;
          }
          // Referenced while an answer is awaited: nothing else may keep the process alive.
          this.worker.ref();
          this.answer = (m) => {
            this.answer = undefined;
            if (!this.closed) this.worker.unref();
            resolve(m);
          };
          this.worker.postMessage(r);
          this.wake();
        }),
    );
    this.requests = next.catch(() => {});
    return next;
  }

  private wake(): void {
    try {
      writeSync(this.wakeFd, this.wakeBuf);
    } catch {
      // EAGAIN: the counter is already non-zero, so the worker will wake anyway.
    }
  }

  private onFrames(frames: ArrayBuffer[]): void {
    for (const buf of frames) {
      const frame = new Uint8Array(buf);
      if (this.closed) return;
      if (this.paused) this.held.push(frame);
      else this.deliver(frame);
    }
  }

  private deliver(frame: Uint8Array): void {
    Atomics.sub(this.ring.ctl, Ctl.RxInFlightBytes, frame.length);
    if (this.receiver === undefined) {
      this.local.rxDropped++;
      return;
    }
    this.local.rxFrames++;
    this.local.rxBytes += frame.length;
    this.receiver(frame);
  }
}

function describe(m: SlirpWorkerMessage): string {
  if (m.type === 'error') return m.message;
  if (m.type === 'loaded') return m.error ?? 'loaded';
  return `unexpected answer '${m.type}'`;
}
