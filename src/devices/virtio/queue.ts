// Split virtqueues, device side (virtio 1.2 §2.7): the descriptor table, available ring and used
// ring at driver-given guest-physical addresses, indirect descriptors (§2.7.5.3) and notification
// suppression with and without VIRTIO_F_EVENT_IDX (§2.7.7, §2.7.10). Every value the driver
// controls is checked; a malformed queue puts the device in DEVICE_NEEDS_RESET, never throws.

import type { GuestMemory } from '../../memory/guest-memory.js';
import type { DescriptorChain, GuestBuffer, Virtqueue } from './types.js';

/** Descriptor flags (§2.7.5). */
export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
/** Available ring flag: the driver does not want used buffer notifications (§2.7.7). */
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

/** Largest split queue size (§2.7): the highest power of two that fits 16 bits. */
export const VIRTQ_MAX_SIZE = 32768;
/** Bytes per descriptor, in the queue's table and in indirect tables. */
export const VIRTQ_DESC_BYTES = 16;
/** Bytes per used ring element {le32 id; le32 len}. */
export const VIRTQ_USED_ELEM_BYTES = 8;
/** Minimum alignment in bytes of each part (§2.7, table "Virtqueue Part"). */
export const VIRTQ_DESC_ALIGN = 16;
export const VIRTQ_AVAIL_ALIGN = 2;
export const VIRTQ_USED_ALIGN = 4;
/** A chain may not describe more than 2^32 bytes in total (§2.7.5.2). */
const VIRTQ_MAX_CHAIN_BYTES = 2 ** 32;

// Offsets inside the rings (§2.7.6, §2.7.8).
const AVAIL_FLAGS = 0;
const AVAIL_IDX = 2;
const AVAIL_RING = 4;
const USED_IDX = 2;
const USED_RING = 4;
// Offsets inside a descriptor (§2.7.5).
const DESC_ADDR = 0;
const DESC_LEN = 8;
const DESC_FLAGS = 12;
const DESC_NEXT = 14;

/** Size in bytes of the Descriptor Area for `num` entries. */
export function descTableBytes(num: number): number {
  return VIRTQ_DESC_BYTES * num;
}
/** Size in bytes of the Driver Area (available ring, with used_event) for `num` entries. */
export function availRingBytes(num: number): number {
  return 6 + 2 * num;
}
/** Size in bytes of the Device Area (used ring, with avail_event) for `num` entries. */
export function usedRingBytes(num: number): number {
  return 6 + VIRTQ_USED_ELEM_BYTES * num;
}

/** True for 1, 2, 4, ... 2^30. */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && n <= 2 ** 30 && (n & (n - 1)) === 0;
}

/** What a queue needs from its transport. */
export interface QueueHost {
  readonly mem: GuestMemory;
  /** Raise a used buffer notification (on MMIO: InterruptStatus bit 0). */
  usedBufferNotification(): void;
  /** The driver broke the queue: set DEVICE_NEEDS_RESET. */
  needsReset(reason: string): void;
}

/**
 * Snapshot of one queue: the driver's configuration and the device's ring positions. Addresses
 * are guest-physical; indices are the free-running 16-bit ring indices.
 */
export interface VirtqueueState {
  num: number;
  ready: boolean;
  descAddr: number;
  driverAddr: number;
  deviceAddr: number;
  /** Next available ring index the device will read. */
  lastAvailIdx: number;
  /** Used ring index the device will write next (what used.idx holds). */
  nextUsedIdx: number;
  /** Used index at the last notification decision (for VIRTIO_F_EVENT_IDX). */
  signalledUsedIdx: number;
}

/**
 * One split virtqueue. The transport writes the driver's configuration (`num` and the three
 * area addresses), then calls {@link enable}; on DRIVER_OK it calls {@link activate} with the
 * negotiated features. Devices use it through the {@link Virtqueue} interface only.
 *
 * Invariants: no guest memory is touched unless the queue is ready, active and not halted, and
 * then only inside the three areas checked by {@link enable} and buffers checked against RAM.
 * After any error the queue halts until reset.
 */
export class SplitVirtqueue implements Virtqueue {
  /** Queue size the driver chose (QueueNum); defaults to the maximum. */
  num: number;
  descAddr = 0;
  driverAddr = 0;
  deviceAddr = 0;

  private isReady = false;
  private active = false;
  private halted = false;
  private eventIdx = false;
  private indirect = false;

  private lastAvailIdx = 0;
  private nextUsedIdx = 0;
  private signalledUsedIdx = 0;

  /** Chains handed out and not yet pushed, with the epoch they belong to. */
  private issued = new WeakMap<DescriptorChain, number>();
  /** Changes whenever the queue's configuration changes, so stale chains cannot be pushed. */
  private epoch = 0;
  /** The chain the latest pop() returned, while {@link undoPop} may still give it back. */
  private undoable: DescriptorChain | undefined;

  /**
   * @param index the queue's number within its device
   * @param maxSize QueueNumMax: a power of two, at most {@link VIRTQ_MAX_SIZE}
   */
  constructor(
    readonly index: number,
    readonly maxSize: number,
    private readonly host: QueueHost,
  ) {
    if (!isPowerOfTwo(maxSize) || maxSize > VIRTQ_MAX_SIZE)
      throw new RangeError(`queue ${index}: maximum size ${maxSize} is not a power of two up to 32768`);
    this.num = maxSize;
  }

  /** The queue size in use (the driver's QueueNum). */
  get size(): number {
    return this.num;
  }

  /** QueueReady as the driver reads it. */
  get ready(): boolean {
    return this.isReady;
  }

  private get live(): boolean {
    return this.isReady && this.active && !this.halted;
  }

  /**
   * The driver wrote 1 to QueueReady. Checks the size and the three areas (alignment, inside
   * RAM); returns the reason when they are unusable, in which case the queue stays not ready.
   */
  enable(): string | undefined {
    const problem = this.checkLayout();
    if (problem !== undefined) return problem;
    this.isReady = true;
    this.lastAvailIdx = 0;
    this.nextUsedIdx = 0;
    this.signalledUsedIdx = 0;
    this.epoch++;
    return undefined;
  }

  /** The driver wrote 0 to QueueReady: stop touching the rings. */
  disable(): void {
    this.isReady = false;
    this.epoch++;
  }

  /** DRIVER_OK: buffers may be consumed, with the negotiated ring features. */
  activate(eventIdx: boolean, indirect: boolean): void {
    this.eventIdx = eventIdx;
    this.indirect = indirect;
    this.active = true;
  }

  /** DEVICE_NEEDS_RESET: the queue stops until reset. */
  halt(): void {
    this.halted = true;
  }

  /** Device reset: back to the power-on state. */
  reset(): void {
    this.num = this.maxSize;
    this.descAddr = 0;
    this.driverAddr = 0;
    this.deviceAddr = 0;
    this.isReady = false;
    this.active = false;
    this.halted = false;
    this.eventIdx = false;
    this.indirect = false;
    this.lastAvailIdx = 0;
    this.nextUsedIdx = 0;
    this.signalledUsedIdx = 0;
    this.epoch++;
  }

  private checkLayout(): string | undefined {
    const q = `queue ${this.index}`;
    const mem = this.host.mem;
    if (!isPowerOfTwo(this.num) || this.num > this.maxSize)
      return `${q}: size ${this.num} is not a power of two in 1..${this.maxSize}`;
    const areas: [string, number, number, number][] = [
      ['descriptor area', this.descAddr, VIRTQ_DESC_ALIGN, descTableBytes(this.num)],
      ['driver area', this.driverAddr, VIRTQ_AVAIL_ALIGN, availRingBytes(this.num)],
      ['device area', this.deviceAddr, VIRTQ_USED_ALIGN, usedRingBytes(this.num)],
    ];
    for (const [name, addr, align, bytes] of areas) {
      if (!Number.isSafeInteger(addr) || addr % align !== 0)
        return `${q}: ${name} at 0x${addr.toString(16)} is not ${align}-byte aligned`;
      if (!mem.contains(addr, bytes))
        return `${q}: ${name} 0x${addr.toString(16)}+${bytes} is outside guest RAM`;
    }
    return undefined;
  }

  // --- Guest memory accessors (addresses already checked to lie in RAM) ---

  private read16(addr: number): number {
    return this.host.mem.view.getUint16(addr - this.host.mem.base, true);
  }
  private read32(addr: number): number {
    return this.host.mem.view.getUint32(addr - this.host.mem.base, true);
  }
  // The used ring is RAM the device writes: the dirty log must see it (live migration).
  private write16(addr: number, v: number): void {
    const m = this.host.mem;
    m.view.setUint16(addr - m.base, v, true);
    m.markDirty(addr - m.base, 2);
  }
  private write32(addr: number, v: number): void {
    const m = this.host.mem;
    m.view.setUint32(addr - m.base, v >>> 0, true);
    m.markDirty(addr - m.base, 4);
  }

  private availIdx(): number {
    return this.read16(this.driverAddr + AVAIL_IDX);
  }
  /** used_event sits after the available ring's entries (§2.7.6). */
  private usedEvent(): number {
    return this.read16(this.driverAddr + AVAIL_RING + 2 * this.num);
  }
  /** avail_event sits after the used ring's elements (§2.7.8). */
  private writeAvailEvent(v: number): void {
    this.write16(this.deviceAddr + USED_RING + VIRTQ_USED_ELEM_BYTES * this.num, v);
  }

  private fail(reason: string): undefined {
    this.halted = true;
    this.host.needsReset(reason);
    return undefined;
  }

  // --- Virtqueue ---

  pop(): DescriptorChain | undefined {
    this.undoable = undefined;
    if (!this.live) return undefined;
    let availIdx = this.availIdx();
    if (availIdx === this.lastAvailIdx) {
      if (!this.eventIdx) return undefined;
      // Ask to be notified when the next entry is written, then look again: the driver may
      // have added one before it could see the new avail_event.
      this.writeAvailEvent(this.lastAvailIdx);
      availIdx = this.availIdx();
      if (availIdx === this.lastAvailIdx) return undefined;
    }
    const pending = (availIdx - this.lastAvailIdx) & 0xffff;
    if (pending > this.num)
      return this.fail(
        `queue ${this.index}: available idx ${availIdx} is ${pending} entries past ${this.lastAvailIdx}, more than the queue size ${this.num}`,
      );
    const head = this.read16(this.driverAddr + AVAIL_RING + 2 * (this.lastAvailIdx % this.num));
    const chain = this.walk(head);
    if (typeof chain === 'string') return this.fail(`queue ${this.index}: chain at head ${head}: ${chain}`);
    this.lastAvailIdx = (this.lastAvailIdx + 1) & 0xffff;
    if (this.eventIdx) this.writeAvailEvent(this.lastAvailIdx);
    this.undoable = chain;
    return chain;
  }

  undoPop(chain: DescriptorChain): void {
    if (this.issued.get(chain) !== this.epoch) return; // the queue was reset or reconfigured
    if (chain !== this.undoable)
      throw new Error(`queue ${this.index}: undoPop() of a chain that is not the one pop() just returned`);
    this.undoable = undefined;
    this.issued.delete(chain);
    if (!this.live) return;
    this.lastAvailIdx = (this.lastAvailIdx - 1) & 0xffff;
    // avail_event again names the entry given back: the driver's view of what the device has
    // taken (section 2.7.10) never runs ahead of the ring.
    if (this.eventIdx) this.writeAvailEvent(this.lastAvailIdx);
  }

  push(chain: DescriptorChain, writtenBytes: number): void {
    this.undoable = undefined;
    if (!this.live || this.issued.get(chain) !== this.epoch) return;
    this.issued.delete(chain);
    let writable = 0;
    for (const b of chain.writable) writable += b.len;
    const len = Number.isFinite(writtenBytes) ? Math.max(0, Math.min(Math.floor(writtenBytes), writable)) : 0;
    const elem = this.deviceAddr + USED_RING + VIRTQ_USED_ELEM_BYTES * (this.nextUsedIdx % this.num);
    this.write32(elem, chain.head);
    this.write32(elem + 4, len);
    // len is set before idx exposes the element (§2.7.8.2).
    this.nextUsedIdx = (this.nextUsedIdx + 1) & 0xffff;
    this.write16(this.deviceAddr + USED_IDX, this.nextUsedIdx);
  }

  notify(): void {
    if (!this.live) return;
    const newIdx = this.nextUsedIdx;
    const oldIdx = this.signalledUsedIdx;
    this.signalledUsedIdx = newIdx;
    if (newIdx === oldIdx) return;
    let wanted: boolean;
    if (this.eventIdx) {
      // §2.7.7.2: notify when used_event lies in [oldIdx, newIdx), modulo 2^16.
      wanted = ((newIdx - this.usedEvent() - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
    } else {
      wanted = (this.read16(this.driverAddr + AVAIL_FLAGS) & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0;
    }
    if (wanted) this.host.usedBufferNotification();
  }

  /**
   * Walk the chain at `head` again without consuming an available entry: for a device restoring
   * requests that were in flight when it was snapshotted. The same checks as {@link pop} apply.
   */
  chainAt(head: number): DescriptorChain | undefined {
    if (!this.live) return undefined;
    const chain = this.walk(head);
    if (typeof chain === 'string') return this.fail(`queue ${this.index}: chain at head ${head}: ${chain}`);
    return chain;
  }

  /**
   * Follow a chain through the descriptor table and at most one indirect table, checking it.
   * Returns the chain or the reason it is malformed. Bounded: at most `num` buffers are read
   * (§2.7.5.3.1: no chain is longer than the queue size), so loops end there.
   */
  private walk(head: number): DescriptorChain | string {
    if (head >= this.num) return `head index ${head} is not below the queue size ${this.num}`;
    const mem = this.host.mem;
    const readable: GuestBuffer[] = [];
    const writable: GuestBuffer[] = [];
    let table = this.descAddr;
    let tableLen = this.num;
    let inIndirect = false;
    let i = head;
    let directCount = 0;
    let buffers = 0;
    let totalBytes = 0;
    let seenWritable = false;
    for (;;) {
      if (i >= tableLen)
        return `${inIndirect ? 'indirect ' : ''}next index ${i} is not below the table size ${tableLen}`;
      if (!inIndirect && ++directCount > this.num) return `loop in the descriptor table`;
      const d = table + VIRTQ_DESC_BYTES * i;
      // addr is le64: anything at or above 2^53 is far outside RAM and fails contains().
      const addr = this.read32(d + DESC_ADDR) + this.read32(d + DESC_ADDR + 4) * 2 ** 32;
      const len = this.read32(d + DESC_LEN);
      const flags = this.read16(d + DESC_FLAGS);
      const next = this.read16(d + DESC_NEXT);
      if (flags & VIRTQ_DESC_F_INDIRECT) {
        if (inIndirect) return `indirect descriptor inside an indirect table`;
        if (!this.indirect) return `indirect descriptor without VIRTIO_F_INDIRECT_DESC`;
        if (flags & VIRTQ_DESC_F_NEXT) return `descriptor ${i} has both INDIRECT and NEXT`;
        if (len === 0 || len % VIRTQ_DESC_BYTES !== 0)
          return `indirect table length ${len} is not a non-zero multiple of ${VIRTQ_DESC_BYTES}`;
        if (!mem.contains(addr, len))
          return `indirect table 0x${addr.toString(16)}+${len} is outside guest RAM`;
        // The WRITE flag of the descriptor naming the table is ignored (§2.7.5.3.2).
        table = addr;
        tableLen = len / VIRTQ_DESC_BYTES;
        inIndirect = true;
        i = 0;
        continue;
      }
      if (++buffers > this.num) return `chain is longer than the queue size ${this.num}`;
      totalBytes += len;
      if (totalBytes > VIRTQ_MAX_CHAIN_BYTES) return `chain describes more than 2^32 bytes`;
      // A zero-length buffer carries no bytes: it counts for length and order but is not listed.
      if (len > 0 && !mem.contains(addr, len))
        return `buffer 0x${addr.toString(16)}+${len} is outside guest RAM`;
      if (flags & VIRTQ_DESC_F_WRITE) {
        seenWritable = true;
        if (len > 0) writable.push({ addr, len });
      } else {
        // §2.7.4.2: device-writable buffers come after all device-readable ones.
        if (seenWritable) return `device-readable buffer after a device-writable one`;
        if (len > 0) readable.push({ addr, len });
      }
      if (!(flags & VIRTQ_DESC_F_NEXT)) break;
      i = next;
    }
    const chain: DescriptorChain = { head, readable, writable };
    this.issued.set(chain, this.epoch);
    return chain;
  }

  // --- Snapshot ---

  save(): VirtqueueState {
    return {
      num: this.num,
      ready: this.isReady,
      descAddr: this.descAddr,
      driverAddr: this.driverAddr,
      deviceAddr: this.deviceAddr,
      lastAvailIdx: this.lastAvailIdx,
      nextUsedIdx: this.nextUsedIdx,
      signalledUsedIdx: this.signalledUsedIdx,
    };
  }

  /**
   * Load a snapshot taken by {@link save}. The queue comes back inactive: the transport calls
   * {@link activate} when the device status says DRIVER_OK. Throws on a state that could not
   * have been saved (a ready queue with an unusable layout, indices out of range).
   */
  restore(s: VirtqueueState): void {
    const u16 = (v: number): boolean => Number.isInteger(v) && v >= 0 && v <= 0xffff;
    if (!u16(s.lastAvailIdx) || !u16(s.nextUsedIdx) || !u16(s.signalledUsedIdx))
      throw new RangeError(`queue ${this.index}: ring index out of range in snapshot`);
    this.reset();
    this.num = s.num;
    this.descAddr = s.descAddr;
    this.driverAddr = s.driverAddr;
    this.deviceAddr = s.deviceAddr;
    if (s.ready) {
      const problem = this.checkLayout();
      if (problem !== undefined) throw new RangeError(`snapshot: ${problem}`);
      this.isReady = true;
    }
    this.lastAvailIdx = s.lastAvailIdx;
    this.nextUsedIdx = s.nextUsedIdx;
    this.signalledUsedIdx = s.signalledUsedIdx;
  }
}
