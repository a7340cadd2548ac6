// virtio-net with one receive/transmit queue pair and no offloads (virtio 1.2 section 5.1,
// Network Device): frames cross a NetBackend, each behind the virtio_net_hdr of section 5.1.6.

import type { NetBackend } from '../../../backends/net/backend.js';
import { MAX_FRAME_BYTES } from '../../../backends/net/backend.js';
import type { GuestMemory } from '../../../memory/guest-memory.js';
import { chainLength, readChain, writeChain } from '../chain.js';
import {
  VIRTIO_F_VERSION_1,
  VIRTIO_ID_NET,
  type DescriptorChain,
  type VirtioContext,
  type VirtioDevice,
} from '../types.js';

/** Feature bits (virtio 1.2 section 5.1.3). */
export const VIRTIO_NET_F_MTU = 3n;
export const VIRTIO_NET_F_MAC = 5n;
export const VIRTIO_NET_F_MRG_RXBUF = 15n;
export const VIRTIO_NET_F_STATUS = 16n;

/** `status` bit (section 5.1.4). */
export const VIRTIO_NET_S_LINK_UP = 1;

/** Queue indices (section 5.1.2). */
const RECEIVEQ1 = 0;
const TRANSMITQ1 = 1;
/** Descriptors per queue offered to the driver. */
const QUEUE_SIZE_MAX = 256;

/** Config space layout (section 5.1.4): byte offsets of struct virtio_net_config fields. */
const CFG_MAC = 0;
const CFG_STATUS = 6;
const CFG_MAX_VIRTQUEUE_PAIRS = 8;
const CFG_MTU = 10;
const CFG_SIZE_BYTES = 12;

/**
 * struct virtio_net_hdr (section 5.1.6): 12 bytes when VERSION_1 (or MRG_RXBUF) is negotiated,
 * which adds num_buffers; 10 bytes for a legacy driver.
 */
const NET_HDR_BYTES = 12;
const NET_HDR_LEGACY_BYTES = 10;
const HDR_GSO_TYPE = 1;
const HDR_NUM_BUFFERS = 10;
const VIRTIO_NET_HDR_GSO_NONE = 0;

/** Ethernet header and one 802.1Q tag, in bytes: frames are at least ETH_HLEN long. */
const ETH_HLEN = 14;
const VLAN_HLEN = 4;
/** Smallest MTU the config space may hold (section 5.1.4.1). */
const MTU_MIN = 68;
/** Frames queued for the guest while it has no receive buffers. */
const DEFAULT_RX_QUEUE_FRAMES = 256;
/**
 * Bytes of frames queued for the guest, by default: 1 MiB, the same bound the stream backends put
 * on bytes queued towards a slow peer. It holds 256 frames of a 1500-byte MTU (the frame bound
 * decides then) but only 16 of the largest frames, which alone would hold 16 MiB per NIC.
 */
export const VIRTIO_NET_RX_QUEUE_BYTES = 1024 * 1024;

/** Counters of a {@link VirtioNet}; they only grow (a snapshot carries them over). */
export interface VirtioNetMetrics {
  txFrames: number;
  txBytes: number;
  /** TX chains shorter than the header plus an Ethernet header, or with a GSO type set. */
  txDroppedMalformed: number;
  /** TX frames above MAX_FRAME_BYTES, or above the MTU when VIRTIO_NET_F_MTU was negotiated. */
  txDroppedOversize: number;
  txDroppedLinkDown: number;
  rxFrames: number;
  rxBytes: number;
  /** Backend frames shorter than an Ethernet header or longer than the device accepts. */
  rxDroppedMalformed: number;
  /** Backend frames that found the RX queue full (guest not posting buffers fast enough). */
  rxDroppedQueueFull: number;
  /** Frames whose receive chain was too small for header + frame (no MRG_RXBUF to spread them). */
  rxDroppedNoRoom: number;
  /** Frames that arrived before DRIVER_OK, after a reset or while the link is down. */
  rxDroppedInactive: number;
}

/** Construction parameters. */
export interface VirtioNetOptions {
  backend: NetBackend;
  /** Six bytes, unicast; offered as VIRTIO_NET_F_MAC. */
  mac: Uint8Array;
  /** When given (68..65535), offered as VIRTIO_NET_F_MTU and enforced on both directions. */
  mtu?: number;
  /** Bound of the RX queue in frames (default 256). */
  rxQueueFrames?: number;
  /**
   * Bound of the RX queue in bytes (default {@link VIRTIO_NET_RX_QUEUE_BYTES}); at least
   * MAX_FRAME_BYTES, so that any frame fits an empty queue.
   */
  rxQueueBytes?: number;
}

/** Snapshot of a {@link VirtioNet}. Frames are lowercase hex. Queue state belongs to the transport. */
export interface VirtioNetState {
  version: 1;
  mac: string;
  mtu: number | null;
  linkUp: boolean;
  /** Frames received from the backend, not yet given to the guest, oldest first. */
  rxQueue: string[];
  metrics: VirtioNetMetrics;
}

/**
 * The device. TX chains are consumed as soon as the driver notifies transmitq1: the header is
 * stripped, the frame handed to the backend, and the chain returned with 0 bytes written. Frames
 * from the backend wait in a bounded FIFO until receiveq1 has a chain; each chain takes one frame
 * behind a zeroed header with num_buffers = 1. When the FIFO is full the device pauses the backend
 * (if it supports it) and resumes it once the FIFO is half empty. Hostile guest input (short,
 * oversized or GSO chains) is dropped and counted, never thrown.
 *
 * Host memory: the RX FIFO is bounded in frames and in bytes; beyond either, frames are dropped
 * (section 5.1.6.4 lets a device drop what it has no buffers for). TX holds nothing: each frame
 * (at most MAX_FRAME_BYTES, checked before it is copied, so a chain describing 4 GiB over one
 * page costs nothing) is copied once and handed over, and a NetBackend drops what it cannot pass
 * on rather than queue it without bound (its contract; the socket backends stop at 1 MiB or 512
 * datagrams). A notification takes at most one queue's worth of chains.
 */
export class VirtioNet implements VirtioDevice {
  readonly deviceId = VIRTIO_ID_NET;
  readonly queueMaxSizes: readonly number[] = [QUEUE_SIZE_MAX, QUEUE_SIZE_MAX];
  readonly features: bigint;
  readonly metrics: VirtioNetMetrics = {
    txFrames: 0,
    txBytes: 0,
    txDroppedMalformed: 0,
    txDroppedOversize: 0,
    txDroppedLinkDown: 0,
    rxFrames: 0,
    rxBytes: 0,
    rxDroppedMalformed: 0,
    rxDroppedQueueFull: 0,
    rxDroppedNoRoom: 0,
    rxDroppedInactive: 0,
  };

  private readonly backend: NetBackend;
  private readonly mac: Uint8Array;
  private readonly mtu: number | undefined;
  private readonly rxQueueLimit: number;
  private readonly rxQueueByteLimit: number;
  private readonly rxQueue: Uint8Array[] = [];
  /** Sum of the lengths of the frames in `rxQueue`. */
  private rxBytes = 0;
  private linkUp = true;
  private backendPaused = false;
  private ctx: VirtioContext | undefined;
  private hdrBytes = NET_HDR_BYTES;
  /** Largest frame accepted either way under the negotiated features. */
  private frameLimitBytes = MAX_FRAME_BYTES;

  constructor(opts: VirtioNetOptions) {
    if (opts.mac.length !== 6 || (opts.mac[0] & 1) !== 0)
      throw new RangeError('MAC must be 6 bytes, unicast');
    if (
      opts.mtu !== undefined &&
      !(Number.isInteger(opts.mtu) && opts.mtu >= MTU_MIN && opts.mtu <= 0xffff)
    ) {
      throw new RangeError(`MTU ${opts.mtu} is outside ${MTU_MIN}..65535`);
    }
    this.backend = opts.backend;
    this.mac = Uint8Array.from(opts.mac);
    this.mtu = opts.mtu;
    this.rxQueueLimit = Math.max(1, opts.rxQueueFrames ?? DEFAULT_RX_QUEUE_FRAMES);
    this.rxQueueByteLimit = opts.rxQueueBytes ?? VIRTIO_NET_RX_QUEUE_BYTES;
    if (!Number.isSafeInteger(this.rxQueueByteLimit) || this.rxQueueByteLimit < MAX_FRAME_BYTES) {
      throw new RangeError(
        `RX queue bound of ${this.rxQueueByteLimit} bytes is below the largest frame (${MAX_FRAME_BYTES} bytes)`,
      );
    }
    this.features =
      (1n << VIRTIO_NET_F_MAC) |
      (1n << VIRTIO_NET_F_STATUS) |
      (opts.mtu !== undefined ? 1n << VIRTIO_NET_F_MTU : 0n);
    this.backend.onReceive((frame) => this.receive(frame));
  }

  /** Frames waiting for receive buffers. */
  get rxQueuedFrames(): number {
    return this.rxQueue.length;
  }

  /** Bytes of the frames waiting for receive buffers. */
  get rxQueuedBytes(): number {
    return this.rxBytes;
  }

  /** Link state reported in `status`; a change raises a config interrupt. Down drops traffic. */
  setLinkUp(up: boolean): void {
    if (up === this.linkUp) return;
    this.linkUp = up;
    if (!up) this.dropRxQueue();
    if (this.ctx !== undefined && this.negotiated(VIRTIO_NET_F_STATUS)) this.ctx.configChanged();
  }

  readConfig(offset: number, size: number): number {
    const cfg = new Uint8Array(CFG_SIZE_BYTES);
    const view = new DataView(cfg.buffer);
    cfg.set(this.mac, CFG_MAC);
    view.setUint16(CFG_STATUS, this.linkUp ? VIRTIO_NET_S_LINK_UP : 0, true);
    view.setUint16(CFG_MAX_VIRTQUEUE_PAIRS, 1, true);
    view.setUint16(CFG_MTU, this.mtu ?? 0, true);
    let value = 0;
    for (let i = size - 1; i >= 0; i--) {
      const at = offset + i;
      value = value * 256 + (at >= 0 && at < CFG_SIZE_BYTES ? cfg[at] : 0);
    }
    return value >>> 0;
  }

  /** Every field is driver-read-only in virtio 1.x (section 5.1.4.2). */
  writeConfig(_offset: number, _size: number, _value: number): boolean {
    return false;
  }

  activate(ctx: VirtioContext): void {
    if (ctx.queues.length < 2) {
      ctx.needsReset('virtio-net needs receiveq1 and transmitq1');
      return;
    }
    this.ctx = ctx;
    this.hdrBytes =
      (ctx.features & ((1n << VIRTIO_F_VERSION_1) | (1n << VIRTIO_NET_F_MRG_RXBUF))) !== 0n
        ? NET_HDR_BYTES
        : NET_HDR_LEGACY_BYTES;
    this.frameLimitBytes =
      this.mtu !== undefined && this.negotiated(VIRTIO_NET_F_MTU)
        ? Math.min(MAX_FRAME_BYTES, this.mtu + ETH_HLEN + VLAN_HLEN)
        : MAX_FRAME_BYTES;
    this.processTx();
    this.deliverRx();
  }

  queueNotify(index: number): void {
    if (this.ctx === undefined) return;
    if (index === RECEIVEQ1) this.deliverRx();
    else if (index === TRANSMITQ1) this.processTx();
  }

  reset(): void {
    this.ctx = undefined;
    this.dropRxQueue();
  }

  save(): VirtioNetState {
    return {
      version: 1,
      mac: Array.from(this.mac, (b) => b.toString(16).padStart(2, '0')).join(':'),
      mtu: this.mtu ?? null,
      linkUp: this.linkUp,
      rxQueue: this.rxQueue.map(toHex),
      metrics: { ...this.metrics },
    };
  }

  /**
   * Rebuild a device from {@link save} output. MAC and MTU come from the state (the guest already
   * read them); the transport re-activates the device with its restored queues. Throws on a state
   * that is not a valid version-1 snapshot.
   */
  static restore(
    args: Pick<VirtioNetOptions, 'backend' | 'rxQueueFrames' | 'rxQueueBytes'>,
    state: VirtioNetState,
  ): VirtioNet {
    if (state.version !== 1) throw new Error(`virtio-net snapshot version ${String(state.version)} is not 1`);
    if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(state.mac))
      throw new Error(`virtio-net snapshot MAC '${state.mac}'`);
    const mac = Uint8Array.from(state.mac.split(':'), (x) => parseInt(x, 16));
    const dev = new VirtioNet({ ...args, mac, mtu: state.mtu ?? undefined });
    if (typeof state.linkUp !== 'boolean') throw new Error('virtio-net snapshot linkUp is not a boolean');
    dev.linkUp = state.linkUp;
    let dropped = 0;
    for (const hex of state.rxQueue) {
      const frame = fromHex(hex);
      if (frame === undefined || frame.length < ETH_HLEN || frame.length > MAX_FRAME_BYTES) {
        throw new Error('virtio-net snapshot holds a malformed RX frame');
      }
      // Bounds smaller than when the snapshot was taken: what does not fit is dropped.
      if (!dev.rxRoomFor(frame.length)) {
        dropped++;
        continue;
      }
      dev.rxQueue.push(frame);
      dev.rxBytes += frame.length;
    }
    for (const key of Object.keys(dev.metrics) as (keyof VirtioNetMetrics)[]) {
      const v = state.metrics?.[key];
      if (!Number.isSafeInteger(v) || v < 0) throw new Error(`virtio-net snapshot counter ${key} is invalid`);
      dev.metrics[key] = v;
    }
    dev.metrics.rxDroppedQueueFull += dropped;
    if (dev.rxNearlyFull()) dev.pauseBackend();
    return dev;
  }

  /** Host to guest: a frame from the backend. */
  private receive(frame: Uint8Array): void {
    if (this.ctx === undefined || !this.linkUp) {
      this.metrics.rxDroppedInactive++;
      return;
    }
    if (frame.length < ETH_HLEN || frame.length > this.frameLimitBytes) {
      this.metrics.rxDroppedMalformed++;
      return;
    }
    if (!this.rxRoomFor(frame.length)) {
      this.metrics.rxDroppedQueueFull++;
      this.pauseBackend();
      return;
    }
    this.rxQueue.push(frame);
    this.rxBytes += frame.length;
    this.deliverRx();
  }

  /** A frame of `lenBytes` fits the RX queue's bounds. */
  private rxRoomFor(lenBytes: number): boolean {
    return this.rxQueue.length < this.rxQueueLimit && this.rxBytes + lenBytes <= this.rxQueueByteLimit;
  }

  /** The next frame may not fit: time to hold the backend back. */
  private rxNearlyFull(): boolean {
    return !this.rxRoomFor(this.frameLimitBytes);
  }

  /** Move queued frames into receive chains while both exist (section 5.1.6.4). */
  private deliverRx(): void {
    const ctx = this.ctx;
    if (ctx === undefined) return;
    const q = ctx.queues[RECEIVEQ1];
    let pushed = false;
    while (this.rxQueue.length > 0) {
      const chain = q.pop();
      if (chain === undefined) break;
      const frame = this.rxQueue.shift() as Uint8Array;
      this.rxBytes -= frame.length;
      q.push(chain, this.fillRxChain(ctx.mem, chain, frame));
      pushed = true;
    }
    if (pushed) q.notify();
    if (this.rxNearlyFull()) this.pauseBackend();
    else if (
      this.backendPaused &&
      this.rxQueue.length <= this.rxQueueLimit >> 1 &&
      this.rxBytes <= this.rxQueueByteLimit / 2
    ) {
      // Cleared first: resume may hand us held frames before it returns.
      this.backendPaused = false;
      this.backend.resume?.();
    }
  }

  /** Write header and frame into `chain`; returns the bytes written (0 when it does not fit). */
  private fillRxChain(mem: GuestMemory, chain: DescriptorChain, frame: Uint8Array): number {
    const total = this.hdrBytes + frame.length;
    if (chainLength(chain.writable) < total) {
      this.metrics.rxDroppedNoRoom++;
      return 0;
    }
    // A zeroed header: no checksum or GSO information, and (VERSION_1) num_buffers = 1, since
    // without VIRTIO_NET_F_MRG_RXBUF a packet uses a single chain (section 5.1.6.3.2).
    const hdr = new Uint8Array(this.hdrBytes);
    if (this.hdrBytes === NET_HDR_BYTES) new DataView(hdr.buffer).setUint16(HDR_NUM_BUFFERS, 1, true);
    writeChain(mem, chain.writable, 0, hdr);
    writeChain(mem, chain.writable, this.hdrBytes, frame);
    this.metrics.rxFrames++;
    this.metrics.rxBytes += frame.length;
    return total;
  }

  /** Drain transmitq1 (section 5.1.6.2): every chain is returned at once, sent or dropped. */
  private processTx(): void {
    const ctx = this.ctx;
    if (ctx === undefined) return;
    const q = ctx.queues[TRANSMITQ1];
    let pushed = false;
    for (let chain = q.pop(); chain !== undefined; chain = q.pop()) {
      this.transmit(ctx.mem, chain);
      q.push(chain, 0);
      pushed = true;
    }
    if (pushed) q.notify();
  }

  private transmit(mem: GuestMemory, chain: DescriptorChain): void {
    // The header may share a buffer with the frame or not: the device must not assume either
    // (section 2.7.4, Message Framing), so the readable buffers are read as one stream.
    const frameBytes = chainLength(chain.readable) - this.hdrBytes;
    if (frameBytes < ETH_HLEN) {
      this.metrics.txDroppedMalformed++;
      return;
    }
    if (frameBytes > this.frameLimitBytes) {
      this.metrics.txDroppedOversize++;
      return;
    }
    // No GSO feature is offered, so a driver asking for segmentation is broken or hostile. Flags
    // (NEEDS_CSUM without VIRTIO_NET_F_CSUM) are ignored, as section 5.1.6.2.2 allows.
    const hdr = readChain(mem, chain.readable, 0, this.hdrBytes);
    if (hdr[HDR_GSO_TYPE] !== VIRTIO_NET_HDR_GSO_NONE) {
      this.metrics.txDroppedMalformed++;
      return;
    }
    if (!this.linkUp) {
      this.metrics.txDroppedLinkDown++;
      return;
    }
    const frame = readChain(mem, chain.readable, this.hdrBytes, frameBytes);
    if (frame.length !== frameBytes) {
      this.metrics.txDroppedMalformed++;
      return;
    }
    this.metrics.txFrames++;
    this.metrics.txBytes += frame.length;
    this.backend.send(frame);
  }

  private pauseBackend(): void {
    if (this.backendPaused) return;
    this.backendPaused = true;
    this.backend.pause?.();
  }

  private dropRxQueue(): void {
    this.metrics.rxDroppedInactive += this.rxQueue.length;
    this.rxQueue.length = 0;
    this.rxBytes = 0;
    if (this.backendPaused) {
      this.backendPaused = false;
      this.backend.resume?.();
    }
  }

  private negotiated(bit: bigint): boolean {
    return this.ctx !== undefined && (this.ctx.features & (1n << bit)) !== 0n;
  }
}

function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function fromHex(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
