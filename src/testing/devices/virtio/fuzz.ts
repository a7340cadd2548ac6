// Property fuzzing of the split virtqueue (virtio 1.2 §2.7) and the devices behind virtio-mmio:
// random descriptor tables, rings, indirect tables and register writes from a hostile driver.
// Each popped chain is compared with an independent reference walker written from §2.7.5, and
// guest memory is diffed to check that the device writes nothing but the used ring and buffers
// the driver made device-writable. Used by the unit test (few cases) and tools/fuzz-virtqueue.mjs.

import { MemoryCharBackend } from '../../../backends/memory-char.js';
import { Prng } from '../../../core/prng.js';
import { GuestMemory } from '../../../memory/guest-memory.js';
import { NO_IRQ } from '../../../devices/irq.js';
import { VirtioConsole } from '../../../devices/virtio/console/device.js';
import {
  VIRTIO_MMIO_CONFIG,
  VIRTIO_MMIO_DRIVER_FEATURES,
  VIRTIO_MMIO_DRIVER_FEATURES_SEL,
  VIRTIO_MMIO_INTERRUPT_ACK,
  VIRTIO_MMIO_QUEUE_DESC_HIGH,
  VIRTIO_MMIO_QUEUE_DESC_LOW,
  VIRTIO_MMIO_QUEUE_DEVICE_HIGH,
  VIRTIO_MMIO_QUEUE_DEVICE_LOW,
  VIRTIO_MMIO_QUEUE_DRIVER_HIGH,
  VIRTIO_MMIO_QUEUE_DRIVER_LOW,
  VIRTIO_MMIO_QUEUE_NOTIFY,
  VIRTIO_MMIO_QUEUE_NUM,
  VIRTIO_MMIO_QUEUE_READY,
  VIRTIO_MMIO_QUEUE_SEL,
  VIRTIO_MMIO_STATUS,
  VIRTIO_STATUS_ACKNOWLEDGE,
  VIRTIO_STATUS_DRIVER,
  VIRTIO_STATUS_DRIVER_OK,
  VIRTIO_STATUS_FEATURES_OK,
  VirtioMmio,
} from '../../../devices/virtio/mmio.js';
import {
  SplitVirtqueue,
  VIRTQ_DESC_F_INDIRECT,
  VIRTQ_DESC_F_NEXT,
  VIRTQ_DESC_F_WRITE,
  availRingBytes,
  descTableBytes,
  usedRingBytes,
  type QueueHost,
} from '../../../devices/virtio/queue.js';
import { VirtioRng } from '../../../devices/virtio/rng/device.js';
import {
  VIRTIO_F_INDIRECT_DESC,
  VIRTIO_F_VERSION_1,
  type DescriptorChain,
  type GuestBuffer,
  type VirtioDevice,
} from '../../../devices/virtio/types.js';

/** Guest RAM of the fuzz cases: where it starts and the part the generic generators address. */
export const RAM_BASE = 0x8000_0000;
export const RAM_BYTES = 32 * 1024;
/** Driver-like layouts keep rings and tables below this offset and data buffers above it. */
export const META_BYTES = 12 * 1024;

/** Counters of one fuzz campaign. `failures` lists the first problems found (seed and message). */
export interface FuzzReport {
  cases: number;
  queueCases: number;
  deviceCases: number;
  /** Queues the transport or queue refused to enable (bad size, alignment, range). */
  layoutsRefused: number;
  chainsAccepted: number;
  chainsRejected: number;
  /** Chains through indirect tables that were accepted. */
  indirectAccepted: number;
  /** Cases whose guest memory was diffed against the allowed write set. */
  memoryChecked: number;
  needsReset: number;
  usedNotifications: number;
  failures: { seed: number; message: string }[];
}

export function emptyReport(): FuzzReport {
  return {
    cases: 0,
    queueCases: 0,
    deviceCases: 0,
    layoutsRefused: 0,
    chainsAccepted: 0,
    chainsRejected: 0,
    indirectAccepted: 0,
    memoryChecked: 0,
    needsReset: 0,
    usedNotifications: 0,
    failures: [],
  };
}

// --- Reference model: §2.7.5 written independently, BigInt addresses, checked accessors ---

interface RefChain {
  readable: GuestBuffer[];
  writable: GuestBuffer[];
  /** The indirect table walked, if any. */
  table?: GuestBuffer;
}

function refInRam(mem: GuestMemory, addr: bigint, len: number): boolean {
  const base = BigInt(mem.base);
  return addr >= base && addr + BigInt(len) <= base + BigInt(mem.sizeBytes);
}

/** The chain at `head`, or undefined when §2.7.5 (or §2.7.5.3) forbids it. */
export function referenceWalk(
  mem: GuestMemory,
  descAddr: number,
  size: number,
  head: number,
  indirectNegotiated: boolean,
): RefChain | undefined {
  if (head >= size) return undefined;
  const out: RefChain = { readable: [], writable: [] };
  let table = BigInt(descAddr);
  let tableEntries = size;
  let i = head;
  let seen = new Set<number>();
  let buffers = 0;
  let total = 0n;
  let sawWritable = false;
  for (;;) {
    if (i >= tableEntries || seen.has(i)) return undefined;
    seen.add(i);
    const d = Number(table) + 16 * i;
    const addr = mem.read64(d);
    const len = mem.read32(d + 8);
    const word = mem.read32(d + 12);
    const flags = word & 0xffff;
    const next = word >>> 16;
    if (flags & VIRTQ_DESC_F_INDIRECT) {
      const ok =
        out.table === undefined &&
        indirectNegotiated &&
        !(flags & VIRTQ_DESC_F_NEXT) &&
        len > 0 &&
        len % 16 === 0 &&
        refInRam(mem, addr, len);
      if (!ok) return undefined;
      out.table = { addr: Number(addr), len };
      table = addr;
      tableEntries = len / 16;
      i = 0;
      seen = new Set();
      continue;
    }
    buffers++;
    total += BigInt(len);
    if (buffers > size || total > 2n ** 32n) return undefined;
    if (len > 0 && !refInRam(mem, addr, len)) return undefined;
    const buf = { addr: Number(addr), len };
    if (flags & VIRTQ_DESC_F_WRITE) {
      sawWritable = true;
      if (len > 0) out.writable.push(buf);
    } else {
      if (sawWritable) return undefined;
      if (len > 0) out.readable.push(buf);
    }
    if (!(flags & VIRTQ_DESC_F_NEXT)) return out;
    i = next;
  }
}

function sameBuffers(a: readonly GuestBuffer[], b: readonly GuestBuffer[]): boolean {
  return a.length === b.length && a.every((x, i) => x.addr === b[i].addr && x.len === b[i].len);
}

// --- Random guest-controlled data ---

/** A guest-physical address: mostly inside RAM, sometimes at its edges or far outside. */
export function randomAddr(r: Prng, align: number): number {
  const k = r.below(100);
  if (k < 80) return RAM_BASE + Math.floor(r.below(RAM_BYTES) / align) * align;
  if (k < 85) return RAM_BASE + RAM_BYTES - align * (1 + r.below(4));
  if (k < 90) return RAM_BASE - align * (1 + r.below(4));
  if (k < 94) return r.below(2 ** 32);
  if (k < 97) return r.u32() * 2 ** 32 + r.u32();
  return RAM_BASE + RAM_BYTES + r.below(64);
}

export function randomLen(r: Prng): number {
  const k = r.below(100);
  if (k < 10) return 0;
  if (k < 70) return 1 + r.below(64);
  if (k < 90) return r.below(RAM_BYTES);
  if (k < 95) return RAM_BYTES + r.below(16);
  return r.u32();
}

function randomFlags(r: Prng, pIndirect: number): number {
  let f = 0;
  if (r.chance(0.6)) f |= VIRTQ_DESC_F_NEXT;
  if (r.chance(0.4)) f |= VIRTQ_DESC_F_WRITE;
  if (r.chance(pIndirect)) f |= VIRTQ_DESC_F_INDIRECT;
  if (r.chance(0.02)) f |= r.u32() & 0xfff8;
  return f;
}

export function writeDesc(
  mem: GuestMemory,
  d: number,
  addr: number,
  len: number,
  flags: number,
  next: number,
): void {
  const v = mem.view;
  const o = d - mem.base;
  v.setUint32(o, (addr % 2 ** 32) >>> 0, true);
  v.setUint32(o + 4, Math.floor(addr / 2 ** 32) >>> 0, true);
  v.setUint32(o + 8, len >>> 0, true);
  v.setUint16(o + 12, flags, true);
  v.setUint16(o + 14, next, true);
}

export interface Layout {
  size: number;
  desc: number;
  avail: number;
  used: number;
  /** Indirect tables written for this case: [addr, bytes]. */
  tables: [number, number][];
  /** Build chains as a driver would (then mutate one field) rather than random bytes. */
  wellFormed: boolean;
  /** Where a well-formed layout may put indirect tables. */
  tableArea: number;
}

/** Fill a descriptor table, some indirect tables and the available ring with random content. */
export function randomRings(r: Prng, mem: GuestMemory, lay: Layout, pending: number, startIdx: number): void {
  if (lay.wellFormed) driverLikeRings(r, mem, lay, pending, startIdx);
  else chaoticRings(r, mem, lay, pending, startIdx);
}

/** Any bytes at all in the table, tables and ring (biased towards plausible values). */
function chaoticRings(r: Prng, mem: GuestMemory, lay: Layout, pending: number, startIdx: number): void {
  const nextIndex = (n: number): number => (r.chance(0.9) ? r.below(n) : r.below(0x10000));
  // Indirect tables first, so descriptors can point at them.
  const tableCount = r.below(3);
  for (let t = 0; t < tableCount; t++) {
    const entries = 1 + r.below(r.chance(0.9) ? 8 : 40);
    const addr = RAM_BASE + Math.floor(r.below(RAM_BYTES - 16 * entries) / 16) * 16;
    const ordered = r.chance(0.5);
    for (let e = 0; e < entries; e++) {
      const flags = ordered
        ? (e < entries - 1 ? VIRTQ_DESC_F_NEXT : 0) | (r.chance(0.3) ? VIRTQ_DESC_F_WRITE : 0)
        : randomFlags(r, 0.05);
      writeDesc(
        mem,
        addr + 16 * e,
        randomAddr(r, 1),
        randomLen(r),
        flags,
        ordered ? e + 1 : nextIndex(entries),
      );
    }
    lay.tables.push([addr, 16 * entries]);
  }
  if (mem.contains(lay.desc, descTableBytes(lay.size))) {
    for (let i = 0; i < lay.size; i++) {
      let addr = randomAddr(r, 1);
      let len = randomLen(r);
      let flags = randomFlags(r, 0.15);
      if (flags & VIRTQ_DESC_F_INDIRECT && lay.tables.length > 0 && r.chance(0.8)) {
        const [ta, tb] = r.pick(lay.tables);
        addr = ta;
        len = r.chance(0.9) ? tb : r.below(tb + 17);
        if (r.chance(0.8)) flags &= ~VIRTQ_DESC_F_NEXT;
      }
      writeDesc(
        mem,
        lay.desc + 16 * i,
        addr,
        len,
        flags,
        r.chance(0.8) ? (i + 1) % lay.size : nextIndex(lay.size),
      );
    }
  }
  writeAvail(r, mem, lay, pending, startIdx, () => nextIndex(lay.size));
}

export function writeAvail(
  r: Prng,
  mem: GuestMemory,
  lay: Layout,
  pending: number,
  startIdx: number,
  head: (slot: number) => number,
): void {
  if (!mem.contains(lay.avail, availRingBytes(lay.size))) return;
  const v = mem.view;
  const o = lay.avail - mem.base;
  v.setUint16(o, r.chance(0.2) ? 1 : 0, true);
  for (let i = 0; i < lay.size; i++) v.setUint16(o + 4 + 2 * ((startIdx + i) % lay.size), head(i), true);
  v.setUint16(o + 2, (startIdx + pending) & 0xffff, true);
  v.setUint16(o + 4 + 2 * lay.size, r.below(0x10000), true);
}

/**
 * Chains as a real driver builds them (readable then writable buffers in the data area, some
 * through an indirect table), then at most one mutation: the near-misses a walker must catch.
 */
function driverLikeRings(r: Prng, mem: GuestMemory, lay: Layout, pending: number, startIdx: number): void {
  const heads: number[] = [];
  const descs: number[] = []; // addresses of every descriptor written, for mutations
  let free = 0;
  let tableAt = lay.tableArea;
  const buffer = (): [number, number] => {
    const len = r.chance(0.05) ? 0 : 1 + r.below(512);
    return [RAM_BASE + META_BYTES + r.below(RAM_BYTES - META_BYTES - len), len];
  };
  const chainCount = Math.min(Math.max(pending, 1), lay.size);
  for (let c = 0; c < chainCount && free < lay.size; c++) {
    const nRead = r.below(3);
    const nWrite = r.below(3) + (nRead === 0 ? 1 : 0);
    const n = nRead + nWrite;
    const useIndirect = r.chance(0.3) && tableAt + 16 * n <= RAM_BASE + META_BYTES;
    const direct = useIndirect ? r.below(Math.min(2, lay.size - free)) : Math.min(n, lay.size - free);
    const head = free;
    // Leading direct descriptors (all of them unless the chain ends in an indirect table).
    for (let k = 0; k < direct; k++) {
      const [addr, len] = buffer();
      const more = k < direct - 1 || useIndirect || (!useIndirect && k < n - 1);
      const d = lay.desc + 16 * free;
      const isWrite = k >= nRead;
      writeDesc(
        mem,
        d,
        addr,
        len,
        (more ? VIRTQ_DESC_F_NEXT : 0) | (isWrite ? VIRTQ_DESC_F_WRITE : 0),
        free + 1,
      );
      descs.push(d);
      free++;
    }
    if (useIndirect && free < lay.size) {
      const rest = n - direct;
      const table = tableAt;
      for (let k = 0; k < rest; k++) {
        const [addr, len] = buffer();
        const isWrite = direct + k >= nRead;
        const flags = (k < rest - 1 ? VIRTQ_DESC_F_NEXT : 0) | (isWrite ? VIRTQ_DESC_F_WRITE : 0);
        writeDesc(mem, table + 16 * k, addr, len, flags, k + 1);
        descs.push(table + 16 * k);
      }
      lay.tables.push([table, 16 * Math.max(rest, 1)]);
      tableAt += 16 * Math.max(rest, 1) + 16 * r.below(2);
      const d = lay.desc + 16 * free;
      writeDesc(mem, d, table, 16 * Math.max(rest, 1), VIRTQ_DESC_F_INDIRECT, 0);
      descs.push(d);
      free++;
    }
    heads.push(head);
  }
  writeAvail(r, mem, lay, pending, startIdx, (slot) => heads[slot] ?? r.below(lay.size));
  if (descs.length === 0 || !r.chance(0.4)) return;
  // One mutation of one descriptor field.
  const d = r.pick(descs) - mem.base;
  const v = mem.view;
  switch (r.below(8)) {
    case 0:
      v.setUint16(d + 12, v.getUint16(d + 12, true) ^ (1 << r.below(3)), true);
      break;
    case 1:
      v.setUint16(d + 14, r.chance(0.5) ? r.below(lay.size) : r.below(0x10000), true);
      break;
    case 2:
      v.setUint32(d, randomAddr(r, 1) >>> 0, true);
      break;
    case 3:
      v.setUint32(d + 4, r.u32(), true);
      break;
    case 4:
      v.setUint32(d + 8, randomLen(r), true);
      break;
    case 5:
      v.setUint32(d + 8, v.getUint32(d + 8, true) + r.pick([-16, -1, 1, 16]), true);
      break;
    case 6:
      v.setUint16(
        lay.avail - mem.base + 4 + 2 * ((startIdx + r.below(Math.max(pending, 1))) % lay.size),
        r.below(2 * lay.size),
        true,
      );
      break;
    default:
      v.setUint16(lay.avail - mem.base + 2, r.u32() & 0xffff, true);
  }
}

export function randomLayout(r: Prng, maxSize: number): Layout {
  const sizes = [1, 2, 4, 8, 16, 32, 64, 128, 256].filter((s) => s <= maxSize);
  if (r.chance(0.75)) {
    // A proper driver layout: aligned areas packed with random gaps in the metadata region.
    const size = r.pick(sizes);
    let at = RAM_BASE + 16 * r.below(16);
    const take = (bytes: number, align: number): number => {
      const a = Math.ceil(at / align) * align;
      at = a + bytes + align * r.below(3);
      return a;
    };
    const desc = take(descTableBytes(size), 16);
    const avail = take(availRingBytes(size), 2);
    const used = take(usedRingBytes(size), 4);
    const tableArea = Math.ceil(at / 16) * 16;
    return { size, desc, avail, used, tables: [], wellFormed: r.chance(0.7), tableArea };
  }
  let size = r.pick(sizes);
  if (r.chance(0.1)) size = r.pick([0, 3, 12, maxSize * 2, r.below(0x10000)]);
  const area = (align: number): number => (r.chance(0.93) ? randomAddr(r, align) : randomAddr(r, 1));
  return { size, desc: area(16), avail: area(2), used: area(4), tables: [], wellFormed: false, tableArea: 0 };
}

function randomPending(r: Prng, size: number): number {
  return r.chance(0.93) ? r.below(size + 1) : r.below(0x10000);
}

/** Bytes the device may write: used ring areas and the writable buffers of chains it may pop. */
export class WriteAllowance {
  private readonly ranges: [number, number][] = [];
  add(addr: number, len: number): void {
    this.ranges.push([addr, addr + len]);
  }
  allows(addr: number): boolean {
    return this.ranges.some(([a, b]) => addr >= a && addr < b);
  }
  overlaps(addr: number, len: number): boolean {
    return this.ranges.some(([a, b]) => addr < b && a < addr + len);
  }
  /**
   * A map of `sizeBytes` bytes from `base`: 1 where writes are allowed. Ranges are merged first,
   * so thousands of aliasing buffers cost no more than the memory they cover.
   */
  byteMap(base: number, sizeBytes: number): Uint8Array {
    const map = new Uint8Array(sizeBytes);
    const sorted = this.ranges
      .map(([a, b]): [number, number] => [Math.max(a, base) - base, Math.min(b, base + sizeBytes) - base])
      .filter(([a, b]) => a < b)
      .sort((x, y) => x[0] - y[0]);
    let end = 0;
    for (const [a, b] of sorted) {
      if (b <= end) continue;
      map.fill(1, Math.max(a, end), b);
      end = b;
    }
    return map;
  }
}

export function diffMemory(
  mem: GuestMemory,
  before: Uint8Array,
  allowed: WriteAllowance,
): string | undefined {
  const now = mem.bytes;
  // Compare a word at a time; look at bytes only inside words that changed.
  const a = new Int32Array(now.buffer, now.byteOffset, now.length >>> 2);
  const b = new Int32Array(before.buffer, before.byteOffset, before.length >>> 2);
  let map: Uint8Array | undefined;
  for (let w = 0; w < a.length; w++) {
    if (a[w] === b[w]) continue;
    map ??= allowed.byteMap(mem.base, now.length);
    for (let i = 4 * w; i < 4 * w + 4; i++) {
      if (now[i] !== before[i] && map[i] === 0)
        return `device wrote 0x${(mem.base + i).toString(16)}, outside the used ring and writable buffers`;
    }
  }
  return undefined;
}

// --- Queue-level case ---

function queueCase(r: Prng, mem: GuestMemory, rep: FuzzReport): string | undefined {
  rep.queueCases++;
  const maxSize = r.pick([1, 4, 16, 32, 256]);
  const resets: string[] = [];
  let notifications = 0;
  const host: QueueHost = {
    mem,
    usedBufferNotification: () => notifications++,
    needsReset: (reason) => resets.push(reason),
  };
  const q = new SplitVirtqueue(0, maxSize, host);
  const lay = randomLayout(r, maxSize);
  const startIdx = r.chance(0.3) ? r.below(0x10000) : 0;
  const pending = randomPending(r, lay.size);
  randomRings(r, mem, lay, pending, startIdx);
  q.num = lay.size;
  q.descAddr = lay.desc;
  q.driverAddr = lay.avail;
  q.deviceAddr = lay.used;
  const problem = q.enable();
  const layoutOk =
    [1, 2, 4, 8, 16, 32, 64, 128, 256].includes(lay.size) &&
    lay.size <= maxSize &&
    lay.desc % 16 === 0 &&
    lay.avail % 2 === 0 &&
    lay.used % 4 === 0 &&
    mem.contains(lay.desc, descTableBytes(lay.size)) &&
    mem.contains(lay.avail, availRingBytes(lay.size)) &&
    mem.contains(lay.used, usedRingBytes(lay.size));
  if ((problem === undefined) !== layoutOk)
    return `enable() said ${problem ?? 'ok'} for a layout that is ${layoutOk ? 'valid' : 'invalid'}`;
  if (problem !== undefined) {
    rep.layoutsRefused++;
    return undefined;
  }
  if (startIdx !== 0) {
    q.restore({ ...q.save(), lastAvailIdx: startIdx, nextUsedIdx: startIdx, signalledUsedIdx: startIdx });
  }
  const eventIdx = r.chance(0.5);
  const indirect = r.chance(0.7);
  q.activate(eventIdx, indirect);

  const allowed = new WriteAllowance();
  allowed.add(lay.used, usedRingBytes(lay.size));
  const before = mem.bytes.slice();
  const popped: DescriptorChain[] = [];
  let last = startIdx;
  for (let n = 0; n < lay.size + 2; n++) {
    const availIdx = mem.view.getUint16(lay.avail - mem.base + 2, true);
    const pend = (availIdx - last) & 0xffff;
    const head = mem.view.getUint16(lay.avail - mem.base + 4 + 2 * (last % lay.size), true);
    const ref =
      pend === 0
        ? 'empty'
        : pend > lay.size
          ? undefined
          : referenceWalk(mem, lay.desc, lay.size, head, indirect);
    const resetsBefore = resets.length;
    const chain = q.pop();
    if (ref === 'empty') {
      if (chain !== undefined || resets.length !== resetsBefore)
        return `pop() on an empty ring returned a chain or failed`;
      break;
    }
    if (ref === undefined) {
      if (chain !== undefined) return `pop() accepted a chain the reference rejects (head ${head})`;
      if (resets.length !== resetsBefore + 1) return `pop() rejected a chain without needsReset`;
      rep.chainsRejected++;
      if (q.pop() !== undefined || resets.length !== resetsBefore + 1)
        return `queue kept working after an error`;
      break;
    }
    if (chain === undefined)
      return `pop() rejected a chain the reference accepts (head ${head}): ${resets.at(-1)}`;
    if (
      chain.head !== head ||
      !sameBuffers(chain.readable, ref.readable) ||
      !sameBuffers(chain.writable, ref.writable)
    )
      return `pop() and the reference disagree on the chain at head ${head}`;
    rep.chainsAccepted++;
    if (ref.table !== undefined) rep.indirectAccepted++;
    popped.push(chain);
    last = (last + 1) & 0xffff;
  }
  for (const c of popped) {
    if (r.chance(0.9)) q.push(c, r.chance(0.8) ? r.below(64) : r.u32());
    if (r.chance(0.3)) q.notify();
  }
  if (r.chance(0.1) && popped.length > 0) q.push(popped[0], 1); // a second push is ignored
  q.notify();
  rep.usedNotifications += notifications;
  rep.needsReset += resets.length;
  rep.memoryChecked++;
  return diffMemory(mem, before, allowed);
}

// --- Device-level case (virtio-mmio + rng or console) ---

function mmioSetupQueue(mmio: VirtioMmio, index: number, lay: Layout): void {
  const w = (off: number, v: number): void => mmio.write(off, 4, v >>> 0);
  const lo = (a: number): number => a % 2 ** 32;
  const hi = (a: number): number => Math.floor(a / 2 ** 32);
  w(VIRTIO_MMIO_QUEUE_SEL, index);
  w(VIRTIO_MMIO_QUEUE_NUM, lay.size);
  w(VIRTIO_MMIO_QUEUE_DESC_LOW, lo(lay.desc));
  w(VIRTIO_MMIO_QUEUE_DESC_HIGH, hi(lay.desc));
  w(VIRTIO_MMIO_QUEUE_DRIVER_LOW, lo(lay.avail));
  w(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, hi(lay.avail));
  w(VIRTIO_MMIO_QUEUE_DEVICE_LOW, lo(lay.used));
  w(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, hi(lay.used));
  w(VIRTIO_MMIO_QUEUE_READY, 1);
}

/** What {@link setUpDriver} left behind. */
export interface DriverSetup {
  /** Each queue's layout, by queue index. */
  readonly layouts: readonly Layout[];
  /** Where the device may write: used rings and the writable buffers of every published chain. */
  readonly allowed: WriteAllowance;
  /** False when a writable buffer overlaps a ring or table: memory is then not diffed. */
  readonly checkable: boolean;
  /** VIRTIO_F_INDIRECT_DESC was negotiated. */
  readonly indirect: boolean;
}

/**
 * Fills one queue's rings: `pending` chains published from index 0 of queue `queue`, knowing
 * whether VIRTIO_F_INDIRECT_DESC was negotiated.
 */
export type RingFiller = (
  r: Prng,
  mem: GuestMemory,
  lay: Layout,
  pending: number,
  queue: number,
  indirect: boolean,
) => void;

/**
 * Drive `mmio` as a hostile driver would up to, not including, DRIVER_OK: random features
 * (checking FEATURES_OK is granted exactly for valid sets), random queue layouts filled by
 * `fill`. The caller snapshots guest memory, then sets DRIVER_OK (the device may start writing
 * at once). Returns the setup, or a property violation.
 */
export function setUpDriver(
  r: Prng,
  mem: GuestMemory,
  mmio: VirtioMmio,
  fill: RingFiller = (rr, m, lay, pending) => randomRings(rr, m, lay, pending, 0),
  layout: (r: Prng, maxSize: number, queue: number) => Layout = (rr, max) => randomLayout(rr, max),
): DriverSetup | string {
  const w = (off: number, v: number): void => mmio.write(off, 4, v >>> 0);
  w(VIRTIO_MMIO_STATUS, 0);
  w(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
  w(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
  const offered = mmio.offeredFeatures;
  let accept = offered & BigInt(r.u32()) & ((BigInt(r.u32()) << 32n) | 0xffffffffn);
  if (r.chance(0.9)) accept |= 1n << VIRTIO_F_VERSION_1;
  if (r.chance(0.05)) accept |= 1n << BigInt(r.below(64));
  w(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
  w(VIRTIO_MMIO_DRIVER_FEATURES, Number(accept & 0xffffffffn));
  w(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
  w(VIRTIO_MMIO_DRIVER_FEATURES, Number(accept >> 32n));
  w(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
  const featuresOk = (mmio.read(VIRTIO_MMIO_STATUS, 4) & VIRTIO_STATUS_FEATURES_OK) !== 0;
  if (featuresOk !== ((accept & ~offered) === 0n && (accept & (1n << VIRTIO_F_VERSION_1)) !== 0n))
    return `FEATURES_OK ${featuresOk ? 'granted' : 'refused'} for features 0x${accept.toString(16)}`;
  const indirect = (accept & (1n << VIRTIO_F_INDIRECT_DESC)) !== 0n;

  const allowed = new WriteAllowance();
  const layouts = mmio.device.queueMaxSizes.map((max, i) => layout(r, max, i));
  const pendings = layouts.map((lay) => randomPending(r, lay.size));
  layouts.forEach((lay, i) => {
    fill(r, mem, lay, pendings[i], i, indirect);
    mmioSetupQueue(mmio, i, lay);
  });

  // What the device may write: every used ring, and the writable buffers of every chain it could
  // pop. A writable buffer over rings or tables would let earlier writes change later chains, so
  // memory is only diffed when there is no such overlap.
  let checkable = true;
  const meta: [number, number][] = [];
  layouts.forEach((lay, i) => {
    allowed.add(lay.used, usedRingBytes(lay.size));
    if (!mmio.queues[i].ready) return;
    // Read the available idx back: queues may share rings, so another queue's entries count too.
    const published = mem.view.getUint16(lay.avail - mem.base + 2, true);
    for (let k = 0; k < Math.min(published, lay.size); k++) {
      const head = mem.view.getUint16(lay.avail - mem.base + 4 + 2 * k, true);
      const ref = referenceWalk(mem, lay.desc, lay.size, head, indirect);
      for (const b of ref?.writable ?? []) allowed.add(b.addr, b.len);
      if (ref?.table !== undefined) meta.push([ref.table.addr, ref.table.len]);
    }
    meta.push([lay.desc, descTableBytes(lay.size)], [lay.avail, availRingBytes(lay.size)]);
  });
  if (meta.some(([a, n]) => allowed.overlaps(a, n))) checkable = false;
  return { layouts, allowed, checkable, indirect };
}

function deviceCase(r: Prng, mem: GuestMemory, rep: FuzzReport): string | undefined {
  rep.deviceCases++;
  const backend = new MemoryCharBackend();
  const isConsole = r.chance(0.5);
  let fill = 0;
  const device: VirtioDevice = isConsole
    ? new VirtioConsole(backend, r.chance(0.5) ? { size: { cols: 80, rows: 25 } } : {})
    : new VirtioRng({ fill: (b) => b.fill(++fill & 0xff) });
  const mmio = new VirtioMmio(device, mem, NO_IRQ);
  const w = (off: number, v: number): void => mmio.write(off, 4, v >>> 0);
  const set = setUpDriver(r, mem, mmio);
  if (typeof set === 'string') return set;
  const { allowed } = set;
  let checkable = set.checkable;
  const before = mem.bytes.slice();
  w(VIRTIO_MMIO_STATUS, mmio.read(VIRTIO_MMIO_STATUS, 4) | VIRTIO_STATUS_DRIVER_OK);

  const steps = 1 + r.below(8);
  for (let s = 0; s < steps; s++) {
    const k = r.below(100);
    if (k < 50) w(VIRTIO_MMIO_QUEUE_NOTIFY, r.chance(0.9) ? r.below(device.queueMaxSizes.length) : r.u32());
    else if (k < 70 && isConsole)
      backend.type(Uint8Array.from({ length: 1 + r.below(300) }, () => r.u32() & 0xff));
    else if (k < 75) w(VIRTIO_MMIO_INTERRUPT_ACK, r.u32());
    else if (k < 80) w(VIRTIO_MMIO_QUEUE_SEL, r.below(4));
    else if (k < 85) mmio.write(VIRTIO_MMIO_CONFIG + r.below(16), r.pick([1, 2, 4]), r.u32());
    else if (k < 90) mmio.read(r.below(0x200), r.pick([1, 2, 4]));
    else if (k < 93) w(VIRTIO_MMIO_STATUS, r.u32() & 0xff);
    else {
      // Any register; enabling a queue here would bring a layout outside the allowance.
      const off = r.below(0x100) & ~3;
      if (off === VIRTIO_MMIO_QUEUE_READY) checkable = false;
      w(off, r.u32());
    }
  }
  if (mmio.lastError !== undefined) rep.needsReset++;
  if (!checkable) return undefined;
  rep.memoryChecked++;
  return diffMemory(mem, before, allowed);
}

/**
 * The RAM contents every fuzz case starts from: the same seeded junk each time, so that a
 * failing case seed replays on its own.
 */
export function junkRam(bytes: number): Uint8Array {
  const junk = new Uint8Array(bytes);
  const j = new Prng(0x5eed);
  for (let i = 0; i < junk.length; i++) junk[i] = j.u32() & 0xff;
  return junk;
}

/**
 * Run `cases` seeded cases (`seed`, `seed+1`, ...). Exceptions and property violations are
 * collected in `failures` (at most `maxFailures`), never thrown.
 */
export function runVirtqueueFuzz(seed: number, cases: number, maxFailures = 20): FuzzReport {
  const rep = emptyReport();
  const mem = new GuestMemory(RAM_BASE, RAM_BYTES);
  const junk = junkRam(RAM_BYTES);
  for (let c = 0; c < cases; c++) {
    const caseSeed = (seed + c) >>> 0;
    const r = new Prng(caseSeed);
    mem.bytes.set(junk);
    rep.cases++;
    let problem: string | undefined;
    try {
      problem = r.chance(0.5) ? queueCase(r, mem, rep) : deviceCase(r, mem, rep);
    } catch (e) {
      problem = `exception: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    }
    if (problem !== undefined && rep.failures.length < maxFailures)
      rep.failures.push({ seed: caseSeed, message: problem });
  }
  return rep;
}
