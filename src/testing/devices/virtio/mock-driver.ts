// A mock virtio driver for device tests: it lays out split virtqueues in guest memory the way a
// driver does (virtio 1.2 §2.7.13) and runs the virtio-mmio initialization sequence (§3.1.1,
// §4.2.3). Test support only; it trusts itself and checks nothing.

import type { GuestMemory } from '../../../memory/guest-memory.js';
import type { MmioDevice } from '../../../memory/bus.js';
import type { IrqLine } from '../../../devices/irq.js';
import {
  VIRTIO_MMIO_DEVICE_FEATURES,
  VIRTIO_MMIO_DEVICE_FEATURES_SEL,
  VIRTIO_MMIO_DRIVER_FEATURES,
  VIRTIO_MMIO_DRIVER_FEATURES_SEL,
  VIRTIO_MMIO_INTERRUPT_ACK,
  VIRTIO_MMIO_INTERRUPT_STATUS,
  VIRTIO_MMIO_QUEUE_DESC_HIGH,
  VIRTIO_MMIO_QUEUE_DESC_LOW,
  VIRTIO_MMIO_QUEUE_DEVICE_HIGH,
  VIRTIO_MMIO_QUEUE_DEVICE_LOW,
  VIRTIO_MMIO_QUEUE_DRIVER_HIGH,
  VIRTIO_MMIO_QUEUE_DRIVER_LOW,
  VIRTIO_MMIO_QUEUE_NOTIFY,
  VIRTIO_MMIO_QUEUE_NUM,
  VIRTIO_MMIO_QUEUE_NUM_MAX,
  VIRTIO_MMIO_QUEUE_READY,
  VIRTIO_MMIO_QUEUE_SEL,
  VIRTIO_MMIO_STATUS,
  VIRTIO_STATUS_ACKNOWLEDGE,
  VIRTIO_STATUS_DRIVER,
  VIRTIO_STATUS_DRIVER_OK,
  VIRTIO_STATUS_FEATURES_OK,
} from '../../../devices/virtio/mmio.js';
import {
  VIRTQ_DESC_BYTES,
  VIRTQ_DESC_F_INDIRECT,
  VIRTQ_DESC_F_NEXT,
  VIRTQ_DESC_F_WRITE,
  VIRTQ_USED_ELEM_BYTES,
  availRingBytes,
  descTableBytes,
  usedRingBytes,
} from '../../../devices/virtio/queue.js';
import { VIRTIO_F_EVENT_IDX } from '../../../devices/virtio/types.js';

/** An interrupt line that remembers its level and counts rising edges. */
export class RecordingIrq implements IrqLine {
  level = false;
  rises = 0;
  set(level: boolean): void {
    if (level && !this.level) this.rises++;
    this.level = level;
  }
}

/** Bump allocator over guest RAM, from `start` upwards. */
export class GuestAllocator {
  private next: number;
  constructor(
    readonly mem: GuestMemory,
    start = mem.base,
  ) {
    this.next = start;
  }
  alloc(bytes: number, align = 16): number {
    const addr = Math.ceil(this.next / align) * align;
    if (!this.mem.contains(addr, bytes)) throw new RangeError(`mock driver: out of guest memory`);
    this.next = addr + bytes;
    return addr;
  }
}

/** One buffer of a chain the mock driver builds. */
export interface BufferSpec {
  /** Length in bytes; defaults to data's length. */
  len?: number;
  /** Device-writable (VIRTQ_DESC_F_WRITE). */
  write?: boolean;
  /** Initial contents. */
  data?: Uint8Array;
}

/** A used ring element read back by the driver. */
export interface UsedElem {
  id: number;
  len: number;
}

/** The driver's side of one split virtqueue laid out in guest memory. */
export class DriverQueue {
  readonly desc: number;
  readonly avail: number;
  readonly used: number;
  private availIdx = 0;
  private lastUsed = 0;
  private nextFree = 0;
  /** Buffer addresses of each chain by head, for tests to read results. */
  readonly buffers = new Map<number, { addr: number; len: number }[]>();

  constructor(
    readonly mem: GuestMemory,
    readonly alloc: GuestAllocator,
    readonly size: number,
    readonly eventIdx = false,
  ) {
    this.desc = alloc.alloc(descTableBytes(size), 16);
    this.avail = alloc.alloc(availRingBytes(size), 2);
    this.used = alloc.alloc(usedRingBytes(size), 4);
  }

  private off(addr: number): number {
    return addr - this.mem.base;
  }
  w16(addr: number, v: number): void {
    this.mem.view.setUint16(this.off(addr), v, true);
  }
  r16(addr: number): number {
    return this.mem.view.getUint16(this.off(addr), true);
  }
  r32(addr: number): number {
    return this.mem.view.getUint32(this.off(addr), true);
  }

  /** Write descriptor `i` of the table at `table` (the queue's own by default). */
  writeDesc(i: number, addr: number, len: number, flags: number, next: number, table = this.desc): void {
    const d = this.off(table + VIRTQ_DESC_BYTES * i);
    this.mem.view.setUint32(d, (addr % 2 ** 32) >>> 0, true);
    this.mem.view.setUint32(d + 4, Math.floor(addr / 2 ** 32) >>> 0, true);
    this.mem.view.setUint32(d + 8, len >>> 0, true);
    this.mem.view.setUint16(d + 12, flags, true);
    this.mem.view.setUint16(d + 14, next, true);
  }

  /** Allocate data buffers and place a chain; with `indirect`, in an indirect table. Returns the head. */
  build(bufs: readonly BufferSpec[], opts: { indirect?: boolean } = {}): number {
    const placed = bufs.map((b) => {
      const len = b.len ?? b.data?.length ?? 0;
      const addr = this.alloc.alloc(Math.max(len, 1), 8);
      if (b.data !== undefined) this.mem.bytes.set(b.data.subarray(0, len), this.off(addr));
      return { addr, len, flags: b.write ? VIRTQ_DESC_F_WRITE : 0 };
    });
    const head = this.nextFree % this.size;
    if (opts.indirect) {
      const table = this.alloc.alloc(VIRTQ_DESC_BYTES * placed.length, 16);
      placed.forEach((p, i) => {
        const last = i === placed.length - 1;
        this.writeDesc(i, p.addr, p.len, p.flags | (last ? 0 : VIRTQ_DESC_F_NEXT), last ? 0 : i + 1, table);
      });
      this.writeDesc(head, table, VIRTQ_DESC_BYTES * placed.length, VIRTQ_DESC_F_INDIRECT, 0);
      this.nextFree++;
    } else {
      placed.forEach((p, i) => {
        const idx = (this.nextFree + i) % this.size;
        const last = i === placed.length - 1;
        this.writeDesc(
          idx,
          p.addr,
          p.len,
          p.flags | (last ? 0 : VIRTQ_DESC_F_NEXT),
          last ? 0 : (idx + 1) % this.size,
        );
      });
      this.nextFree += placed.length;
    }
    this.buffers.set(
      head,
      placed.map(({ addr, len }) => ({ addr, len })),
    );
    return head;
  }

  /** Put `head` in the next available ring slot and publish it by bumping idx. */
  publish(head: number): void {
    this.w16(this.avail + 4 + 2 * (this.availIdx % this.size), head);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    this.w16(this.avail + 2, this.availIdx);
  }

  /** build() then publish(); returns the head. */
  add(bufs: readonly BufferSpec[], opts: { indirect?: boolean } = {}): number {
    const head = this.build(bufs, opts);
    this.publish(head);
    return head;
  }

  /** Overwrite the available idx (hostile tests). */
  setAvailIdx(v: number): void {
    this.availIdx = v & 0xffff;
    this.w16(this.avail + 2, this.availIdx);
  }
  setAvailFlags(v: number): void {
    this.w16(this.avail, v);
  }
  setUsedEvent(v: number): void {
    this.w16(this.avail + 4 + 2 * this.size, v);
  }
  availEvent(): number {
    return this.r16(this.used + 4 + VIRTQ_USED_ELEM_BYTES * this.size);
  }
  usedIdx(): number {
    return this.r16(this.used + 2);
  }

  /** Used elements added since the last call. */
  takeUsed(): UsedElem[] {
    const out: UsedElem[] = [];
    const idx = this.usedIdx();
    while (this.lastUsed !== idx) {
      const e = this.used + 4 + VIRTQ_USED_ELEM_BYTES * (this.lastUsed % this.size);
      out.push({ id: this.r32(e), len: this.r32(e + 4) });
      this.lastUsed = (this.lastUsed + 1) & 0xffff;
    }
    return out;
  }

  /** The bytes of buffer `n` of the chain at `head`. */
  bufferBytes(head: number, n: number, len?: number): Uint8Array {
    const b = this.buffers.get(head)?.[n];
    if (b === undefined) throw new RangeError(`mock driver: no buffer ${n} at head ${head}`);
    return this.mem.bytes.slice(this.off(b.addr), this.off(b.addr) + (len ?? b.len));
  }
}

/** Drives a virtio-mmio register window the way Linux's virtio_mmio does. */
export class MockMmioDriver {
  readonly queues: DriverQueue[] = [];
  readonly alloc: GuestAllocator;

  constructor(
    readonly dev: MmioDevice,
    readonly mem: GuestMemory,
    allocStart?: number,
  ) {
    this.alloc = new GuestAllocator(mem, allocStart);
  }

  r(offset: number): number {
    return this.dev.read(offset, 4);
  }
  w(offset: number, value: number): void {
    this.dev.write(offset, 4, value >>> 0);
  }
  get status(): number {
    return this.r(VIRTIO_MMIO_STATUS);
  }

  /** Both 32-bit words of DeviceFeatures (§4.2.2). */
  deviceFeatures(): bigint {
    this.w(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    const lo = BigInt(this.r(VIRTIO_MMIO_DEVICE_FEATURES));
    this.w(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    const hi = BigInt(this.r(VIRTIO_MMIO_DEVICE_FEATURES));
    return (hi << 32n) | lo;
  }

  writeDriverFeatures(f: bigint): void {
    this.w(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    this.w(VIRTIO_MMIO_DRIVER_FEATURES, Number(f & 0xffffffffn));
    this.w(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    this.w(VIRTIO_MMIO_DRIVER_FEATURES, Number((f >> 32n) & 0xffffffffn));
  }

  /**
   * Reset, ACKNOWLEDGE, DRIVER, features (offered & `accept`), FEATURES_OK and its re-read.
   * Returns whether the device kept FEATURES_OK.
   */
  negotiate(accept: bigint): boolean {
    this.w(VIRTIO_MMIO_STATUS, 0);
    this.w(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    this.w(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    this.writeDriverFeatures(this.deviceFeatures() & accept);
    this.w(VIRTIO_MMIO_STATUS, this.status | VIRTIO_STATUS_FEATURES_OK);
    return (this.status & VIRTIO_STATUS_FEATURES_OK) !== 0;
  }

  /** §4.2.3.2 for queue `index`: select, check, size, addresses, ready. */
  setupQueue(index: number, size?: number, eventIdx = false): DriverQueue {
    this.w(VIRTIO_MMIO_QUEUE_SEL, index);
    if (this.r(VIRTIO_MMIO_QUEUE_READY) !== 0) throw new Error(`mock driver: queue ${index} already in use`);
    const max = this.r(VIRTIO_MMIO_QUEUE_NUM_MAX);
    if (max === 0) throw new Error(`mock driver: queue ${index} not available`);
    const num = size ?? max;
    const q = new DriverQueue(this.mem, this.alloc, num, eventIdx);
    this.w(VIRTIO_MMIO_QUEUE_NUM, num);
    this.w(VIRTIO_MMIO_QUEUE_DESC_LOW, q.desc % 2 ** 32);
    this.w(VIRTIO_MMIO_QUEUE_DESC_HIGH, Math.floor(q.desc / 2 ** 32));
    this.w(VIRTIO_MMIO_QUEUE_DRIVER_LOW, q.avail % 2 ** 32);
    this.w(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, Math.floor(q.avail / 2 ** 32));
    this.w(VIRTIO_MMIO_QUEUE_DEVICE_LOW, q.used % 2 ** 32);
    this.w(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, Math.floor(q.used / 2 ** 32));
    this.w(VIRTIO_MMIO_QUEUE_READY, 1);
    this.queues[index] = q;
    return q;
  }

  /** The whole §3.1.1 sequence: negotiate, set up `queueCount` queues, DRIVER_OK. */
  init(accept: bigint, queueCount: number, opts: { size?: number } = {}): DriverQueue[] {
    if (!this.negotiate(accept)) throw new Error(`mock driver: device refused features`);
    const eventIdx = (this.deviceFeatures() & accept & (1n << VIRTIO_F_EVENT_IDX)) !== 0n;
    for (let i = 0; i < queueCount; i++) this.setupQueue(i, opts.size, eventIdx);
    this.w(VIRTIO_MMIO_STATUS, this.status | VIRTIO_STATUS_DRIVER_OK);
    return this.queues;
  }

  notify(index: number): void {
    this.w(VIRTIO_MMIO_QUEUE_NOTIFY, index);
  }

  /** Read InterruptStatus and acknowledge it, as an interrupt handler does. Returns the bits. */
  handleInterrupt(): number {
    const bits = this.r(VIRTIO_MMIO_INTERRUPT_STATUS);
    this.w(VIRTIO_MMIO_INTERRUPT_ACK, bits);
    return bits;
  }
}
