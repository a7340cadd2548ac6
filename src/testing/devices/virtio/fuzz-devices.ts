// Fuzzing virtio-blk and virtio-net behind virtio-mmio (virtio 1.2 sections 5.2 and 5.1) from a
// hostile driver: random and near-valid queues as in fuzz.ts, plus device-shaped chains (block
// requests of up to seg_max buffers aliasing one region, frames of any length), backend
// completions in any order, resets, quiesce and link changes. Checked: no exception; guest memory
// changes only in used rings and device-writable buffers, and not at all after a reset; the
// host memory bounds hold; and once the backend has finished, every request was taken and
// answered (back-pressure never loses a wake-up). Used by fuzz.test.ts and fuzz-cli.ts.

import { MAX_FRAME_BYTES } from '../../../backends/net/backend.js';
import { MemoryNetBackend } from '../../../backends/net/memory.js';
import { GuestMemory } from '../../../memory/guest-memory.js';
import { NO_IRQ } from '../../../devices/irq.js';
import {
  MAX_REQUEST_BYTES,
  SEG_MAX,
  SIZE_MAX_BYTES,
  VIRTIO_BLK_T_DISCARD,
  VIRTIO_BLK_T_FLUSH,
  VIRTIO_BLK_T_GET_ID,
  VIRTIO_BLK_T_IN,
  VIRTIO_BLK_T_OUT,
  VIRTIO_BLK_T_WRITE_ZEROES,
} from '../../../devices/virtio/blk/defs.js';
import { VirtioBlk } from '../../../devices/virtio/blk/device.js';
import { DeferredBackend, SparseDisk } from './blk/mock-driver.js';
import { MemoryBudget } from '../../../devices/virtio/budget.js';
import { Prng } from '../../../core/prng.js';
import {
  junkRam,
  RAM_BASE,
  RAM_BYTES,
  WriteAllowance,
  diffMemory,
  emptyReport,
  randomLayout,
  randomLen,
  randomRings,
  setUpDriver,
  writeAvail,
  writeDesc,
  type FuzzReport,
  type Layout,
} from './fuzz.js';
import {
  VIRTIO_MMIO_CONFIG,
  VIRTIO_MMIO_INTERRUPT_ACK,
  VIRTIO_MMIO_QUEUE_NOTIFY,
  VIRTIO_MMIO_QUEUE_READY,
  VIRTIO_MMIO_QUEUE_SEL,
  VIRTIO_MMIO_STATUS,
  VIRTIO_STATUS_DEVICE_NEEDS_RESET,
  VIRTIO_STATUS_DRIVER_OK,
  VirtioMmio,
} from '../../../devices/virtio/mmio.js';
import { VIRTIO_NET_RX_QUEUE_BYTES, VirtioNet } from '../../../devices/virtio/net/device.js';
import {
  VIRTQ_DESC_F_INDIRECT,
  VIRTQ_DESC_F_NEXT,
  VIRTQ_DESC_F_WRITE,
} from '../../../devices/virtio/queue.js';

const KiB = 1024;
/** Above the generic 32 KiB: headers, then data that chains alias, then indirect tables. */
const HEADER_AREA = RAM_BASE + RAM_BYTES;
const HEADER_AREA_BYTES = 8 * KiB;
const DATA_AREA = HEADER_AREA + HEADER_AREA_BYTES;
const DATA_AREA_BYTES = 192 * KiB;
const TABLE_AREA = DATA_AREA + DATA_AREA_BYTES;
const TABLE_AREA_BYTES = 64 * KiB;
/** Guest RAM of a device case. */
export const DEVICE_RAM_BYTES = TABLE_AREA + TABLE_AREA_BYTES - RAM_BASE;

/** The devices this fuzzer drives. */
export type FuzzDeviceKind = 'blk' | 'net';

/** Counters of a device campaign: those of fuzz.ts and the device-specific ones. */
export interface DeviceFuzzReport extends FuzzReport {
  /** Backend operations the device issued (blk). */
  backendOps: number;
  /** Times a device left a request in the ring for lack of budget (blk). */
  budgetStalls: number;
  /** Resets after which guest memory was checked to stay untouched. */
  resetChecks: number;
  /** quiesce/save/resume sequences (blk). */
  quiesceChecks: number;
  /** Frames the backend offered the device (net). */
  framesInjected: number;
  /** Cases ending live whose rings were checked to be fully taken and answered. */
  livenessChecked: number;
}

export function emptyDeviceReport(): DeviceFuzzReport {
  return {
    ...emptyReport(),
    backendOps: 0,
    budgetStalls: 0,
    resetChecks: 0,
    quiesceChecks: 0,
    framesInjected: 0,
    livenessChecked: 0,
  };
}

/** Let promise continuations, and the completions and wake-ups they trigger, run. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// --- Device-shaped chains ---

/** One buffer of a chain to lay out. */
interface Buf {
  addr: number;
  len: number;
  write: boolean;
}

/**
 * A bump allocator over one area. `take` wraps around when the area is full (later headers may
 * overwrite earlier ones: hostile enough); `takeOnce` returns undefined instead.
 */
class Area {
  private next: number;
  constructor(
    private readonly start: number,
    private readonly bytes: number,
  ) {
    this.next = start;
  }
  take(len: number, align = 16): number {
    const at = this.takeOnce(len, align);
    if (at !== undefined) return at;
    this.next = this.start + len;
    return this.start;
  }
  takeOnce(len: number, align = 16): number | undefined {
    const at = Math.ceil(this.next / align) * align;
    if (at + len > this.start + this.bytes) return undefined;
    this.next = at + len;
    return at;
  }
}

/** Somewhere in the data area for `len` bytes: chains alias each other there on purpose. */
function dataAddr(r: Prng, len: number): number {
  return DATA_AREA + r.below(Math.max(1, DATA_AREA_BYTES - len + 1));
}

/**
 * Lay out `chains` (lists of buffers) as a driver would: direct descriptors while they fit,
 * indirect tables for long chains or at random, then publish them.
 */
function layOut(
  r: Prng,
  mem: GuestMemory,
  lay: Layout,
  pending: number,
  chains: Buf[][],
  indirect: boolean,
): void {
  const heads: number[] = [];
  const tables = new Area(TABLE_AREA, TABLE_AREA_BYTES);
  let free = 0;
  for (const bufs of chains) {
    const room = lay.size - free;
    if (room <= 0) break;
    // Without VIRTIO_F_INDIRECT_DESC a driver does not use tables (now and then one does anyway).
    const inTable = (indirect || r.chance(0.02)) && (bufs.length > room || r.chance(0.2));
    const table = inTable ? tables.takeOnce(16 * bufs.length) : undefined;
    if (inTable && table === undefined) break;
    // A chain too long for the descriptors left loses its middle buffers.
    const fits =
      table !== undefined || bufs.length <= room
        ? bufs
        : [...bufs.slice(0, room - 1), ...bufs.slice(-1)].slice(-room);
    const n = fits.length;
    const flags = (b: Buf, k: number): number =>
      (k < n - 1 ? VIRTQ_DESC_F_NEXT : 0) | (b.write ? VIRTQ_DESC_F_WRITE : 0);
    if (table !== undefined) {
      fits.forEach((b, k) => writeDesc(mem, table + 16 * k, b.addr, b.len, flags(b, k), k + 1));
      writeDesc(mem, lay.desc + 16 * free, table, 16 * n, VIRTQ_DESC_F_INDIRECT, 0);
      heads.push(free++);
    } else {
      heads.push(free);
      fits.forEach((b, k) => {
        writeDesc(mem, lay.desc + 16 * (free + k), b.addr, b.len, flags(b, k), free + k + 1);
      });
      free += n;
    }
  }
  // Mostly as many entries as chains laid out; now and then the count asked for, whatever the
  // descriptors at the extra heads hold.
  const published = r.chance(0.95) ? heads.length : pending;
  writeAvail(r, mem, lay, published, 0, (slot) => heads[slot] ?? r.below(lay.size));
}

/**
 * A virtio-blk request as a (sloppy or hostile) driver builds it. In a `flood`, every request is
 * a read or write of some 130 buffers of nearly size_max bytes (over half the largest request),
 * all aliasing the data area:
 * the budget fills up and requests wait in the ring.
 */
function blkRequest(r: Prng, mem: GuestMemory, headers: Area, flood: boolean): Buf[] {
  if (flood) {
    const hdr = headers.take(16);
    const out = r.chance(0.5);
    mem.write32(hdr, out ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN);
    mem.write32(hdr + 4, 0);
    mem.write64(hdr + 8, BigInt(r.below(4096)));
    const bufs: Buf[] = [{ addr: hdr, len: 16, write: false }];
    // Just over half of the largest request: two of them overflow the smallest device limit.
    for (let k = SEG_MAX / 2 + 2 + r.below(4); k > 0; k--) {
      const len = SIZE_MAX_BYTES - 512 * r.below(4);
      bufs.push({ addr: dataAddr(r, len), len, write: !out });
    }
    bufs.push({ addr: headers.take(1, 1), len: 1, write: true });
    return bufs;
  }
  const type = r.pick([
    VIRTIO_BLK_T_IN,
    VIRTIO_BLK_T_IN,
    VIRTIO_BLK_T_OUT,
    VIRTIO_BLK_T_OUT,
    VIRTIO_BLK_T_FLUSH,
    VIRTIO_BLK_T_GET_ID,
    VIRTIO_BLK_T_DISCARD,
    VIRTIO_BLK_T_WRITE_ZEROES,
    r.u32(),
  ]);
  const hdr = headers.take(16);
  mem.write32(hdr, type);
  mem.write32(hdr + 4, r.chance(0.9) ? 0 : r.u32());
  mem.write64(hdr + 8, r.chance(0.9) ? BigInt(r.below(4096)) : BigInt(r.u32()) * 2n ** 32n + BigInt(r.u32()));
  const bufs: Buf[] = [{ addr: hdr, len: 16, write: false }];
  const toDevice = type !== VIRTIO_BLK_T_IN && type !== VIRTIO_BLK_T_GET_ID;
  const write = r.chance(0.05) ? toDevice : !toDevice;
  if (type === VIRTIO_BLK_T_DISCARD || type === VIRTIO_BLK_T_WRITE_ZEROES) {
    const count = r.chance(0.9) ? 1 + r.below(3) : r.below(40);
    const at = headers.take(16 * count);
    for (let k = 0; k < count; k++) {
      mem.write64(at + 16 * k, BigInt(r.chance(0.9) ? r.below(4096) : r.u32()));
      mem.write32(at + 16 * k + 8, r.chance(0.9) ? r.below(64) : r.u32());
      mem.write32(at + 16 * k + 12, r.chance(0.8) ? 0 : r.pick([1, 2, r.u32()]));
    }
    bufs.push({ addr: at, len: r.chance(0.95) ? 16 * count : r.below(16 * count + 17), write });
  } else if (type === VIRTIO_BLK_T_GET_ID) {
    const len = r.chance(0.9) ? 20 : r.below(64);
    bufs.push({ addr: dataAddr(r, len), len, write });
  } else if (type !== VIRTIO_BLK_T_FLUSH || r.chance(0.1)) {
    // Mostly a few sectors; sometimes up to seg_max + 1 buffers of up to size_max, all aliased.
    const big = r.chance(0.08);
    const count = big ? 1 + r.below(SEG_MAX + 1) : r.below(4);
    const junk = r.chance(0.03) ? r.below(count) : -1;
    const ragged = r.chance(0.05) ? r.below(count) : -1;
    for (let k = 0; k < count; k++) {
      const len =
        k === junk
          ? randomLen(r)
          : 512 * (1 + r.below(big ? SIZE_MAX_BYTES / 512 : 8)) + (k === ragged ? 1 : 0);
      bufs.push({ addr: dataAddr(r, Math.min(len, DATA_AREA_BYTES)), len, write });
    }
  }
  if (r.chance(0.97))
    bufs.push({ addr: headers.take(1, 1), len: r.chance(0.95) ? 1 : r.below(4), write: true });
  return bufs;
}

/** Frames for transmitq1 (header then data) or buffers for receiveq1. */
function netChain(r: Prng, mem: GuestMemory, headers: Area, queue: number): Buf[] {
  if (queue === 0) {
    const n = 1 + r.below(3);
    const readable = r.chance(0.003) ? r.below(n) : -1;
    return Array.from({ length: n }, (_, k) => {
      const len = r.chance(0.9) ? r.pick([12, 64, 1526, 1526, 4096]) : r.below(70 * KiB);
      return { addr: dataAddr(r, Math.min(len, DATA_AREA_BYTES)), len, write: k !== readable };
    });
  }
  const hdr = headers.take(12);
  mem.bytes[hdr - mem.base] = r.chance(0.9) ? 0 : r.u32() & 0xff; // flags
  mem.bytes[hdr + 1 - mem.base] = r.chance(0.9) ? 0 : r.below(6); // gso_type
  const bufs: Buf[] = [{ addr: hdr, len: r.chance(0.95) ? 12 : r.below(16), write: false }];
  const frameBytes = r.pick([
    0,
    13,
    14,
    60,
    1514,
    9018,
    MAX_FRAME_BYTES,
    MAX_FRAME_BYTES + 1,
    r.below(200 * KiB),
  ]);
  const pieces = 1 + r.below(4);
  for (let k = 0, left = frameBytes; k < pieces && left > 0; k++) {
    const len = k === pieces - 1 ? left : r.below(left + 1);
    left -= len;
    bufs.push({ addr: dataAddr(r, Math.min(len, DATA_AREA_BYTES)), len, write: r.chance(0.003) });
  }
  return bufs;
}

/** Fill a queue with device-shaped chains (proper layouts only), or generic ones. */
function deviceRings(kind: FuzzDeviceKind) {
  return (
    r: Prng,
    mem: GuestMemory,
    lay: Layout,
    pending: number,
    queue: number,
    indirect: boolean,
  ): void => {
    if (lay.tableArea === 0 || r.chance(0.15)) {
      randomRings(r, mem, lay, pending, 0);
      return;
    }
    const flood = kind === 'blk' && r.chance(0.08);
    const headers = new Area(HEADER_AREA + (queue * HEADER_AREA_BYTES) / 2, HEADER_AREA_BYTES / 2);
    // A flood is as many maximal requests as the table area holds (16), or the queue.
    const count = Math.min(flood ? 4 + r.below(13) : Math.max(pending, 1), lay.size);
    const chains = Array.from({ length: count }, () => {
      const bufs = kind === 'blk' ? blkRequest(r, mem, headers, flood) : netChain(r, mem, headers, queue);
      // A chain longer than the queue is an error (section 2.7.5.3.1): rare on purpose.
      if (bufs.length <= lay.size || r.chance(0.05)) return bufs;
      return [...bufs.slice(0, lay.size - 1), ...bufs.slice(-1)];
    });
    layOut(r, mem, lay, pending, chains, indirect);
  };
}

/**
 * A random layout; a proper one for queue 1 is moved 16 KiB up, so that the two queues of
 * virtio-net do not share rings (which would make guest memory impossible to check).
 */
function queueLayout(r: Prng, maxSize: number, queue: number): Layout {
  const lay = randomLayout(r, maxSize);
  if (lay.tableArea === 0 || queue === 0) return lay;
  const by = 16 * KiB * queue;
  return {
    ...lay,
    desc: lay.desc + by,
    avail: lay.avail + by,
    used: lay.used + by,
    tableArea: lay.tableArea + by,
  };
}

// --- Cases ---

/** What one case drives: the transport, its device and the steps specific to it. */
interface Rig {
  mmio: VirtioMmio;
  /** Run one device-specific step; returns a property violation. */
  step(r: Prng, k: number): Promise<string | undefined>;
  /** Let every backend operation finish. */
  finish(): Promise<void>;
  /** Invariants that hold at any time; returns a violation. */
  check(): string | undefined;
  /** True when the device has nothing in flight (it may be checked for liveness). */
  idle(): boolean;
}

function blkRig(r: Prng, mem: GuestMemory, rep: DeviceFuzzReport): Rig {
  const disk = new DeferredBackend(
    new SparseDisk(r.pick([1 << 20, 64 << 20, 64 << 20, 2 ** 41]), r.chance(0.1)),
  );
  const limit = r.chance(0.7) ? MAX_REQUEST_BYTES : 2 * MAX_REQUEST_BYTES;
  const budget = new MemoryBudget(limit);
  const dev = new VirtioBlk({ backend: disk, budget, inflightLimitBytes: limit });
  const mmio = new VirtioMmio(dev, mem, NO_IRQ);
  let seenOps = 0;
  const settleAll = async (): Promise<void> => {
    for (let i = 0; i < 1000 && (disk.pending().length > 0 || i < 2); i++) {
      for (const op of disk.pending()) {
        if (r.chance(0.9)) op.release();
        else op.fail();
      }
      await turn();
    }
  };
  return {
    mmio,
    async step(rr, k) {
      if (k < 20) {
        for (const op of disk.pending()) {
          if (rr.chance(0.5)) continue;
          if (rr.chance(0.9)) op.release();
          else op.fail();
        }
      } else if (k < 24) {
        // quiesce: nothing more is taken while it waits, then save() works and resume continues.
        rep.quiesceChecks++;
        const taken = mmio.queues[0].save().lastAvailIdx;
        const done = dev.quiesce();
        await settleAll();
        await done;
        if (mmio.queues[0].save().lastAvailIdx !== taken) return 'a quiesced device took requests';
        if (dev.inFlight !== 0) return 'requests in flight after quiesce';
        dev.save();
        dev.resume();
      }
      return undefined;
    },
    finish: settleAll,
    check() {
      rep.backendOps += disk.ops.length - seenOps;
      seenOps = disk.ops.length;
      if (dev.account.usedBytes > limit || budget.usedBytes > limit) return 'over the memory budget';
      return undefined;
    },
    idle() {
      rep.budgetStalls += dev.budgetStalls;
      return dev.inFlight === 0 && dev.inflightBytes === 0 && budget.usedBytes === 0;
    },
  };
}

function netRig(r: Prng, mem: GuestMemory, rep: DeviceFuzzReport): Rig {
  const backend = new MemoryNetBackend();
  const rxQueueFrames = r.chance(0.5) ? 1 + r.below(8) : undefined;
  const rxQueueBytes = r.chance(0.5) ? MAX_FRAME_BYTES : VIRTIO_NET_RX_QUEUE_BYTES;
  const mac = Uint8Array.of(0x52, 0x54, 0, 0x12, 0x34, 0x56);
  const mtu = r.chance(0.3) ? 68 + r.below(9000) : undefined;
  const dev = new VirtioNet({ backend, mac, mtu, rxQueueFrames, rxQueueBytes });
  const mmio = new VirtioMmio(dev, mem, NO_IRQ);
  return {
    mmio,
    async step(rr, k) {
      if (k < 20) {
        const n = 1 + rr.below(rr.chance(0.1) ? 300 : 4);
        for (let i = 0; i < n; i++) {
          const len = rr.pick([0, 13, 14, 60, 1514, 9018, MAX_FRAME_BYTES, MAX_FRAME_BYTES + 1]);
          const frame = new Uint8Array(len);
          frame.fill(rr.u32() & 0xff);
          rep.framesInjected++;
          backend.inject(frame);
        }
      } else if (k < 24) {
        dev.setLinkUp(rr.chance(0.7));
      }
      return undefined;
    },
    async finish() {},
    check() {
      if (dev.rxQueuedBytes > rxQueueBytes) return `RX queue holds ${dev.rxQueuedBytes} bytes`;
      if (dev.rxQueuedFrames > (rxQueueFrames ?? 256)) return `RX queue holds ${dev.rxQueuedFrames} frames`;
      for (const f of backend.sent) {
        if (f.length < 14 || f.length > MAX_FRAME_BYTES) return `sent a frame of ${f.length} bytes`;
      }
      backend.sent.length = 0;
      return undefined;
    },
    idle() {
      return true;
    },
  };
}

async function deviceCase(
  kind: FuzzDeviceKind,
  r: Prng,
  mem: GuestMemory,
  rep: DeviceFuzzReport,
): Promise<string | undefined> {
  rep.deviceCases++;
  const rig = kind === 'blk' ? blkRig(r, mem, rep) : netRig(r, mem, rep);
  const mmio = rig.mmio;
  const w = (off: number, v: number): void => mmio.write(off, 4, v >>> 0);
  const set = setUpDriver(r, mem, mmio, deviceRings(kind), queueLayout);
  if (typeof set === 'string') return set;
  let checkable = set.checkable;
  let reset = false;
  const before = mem.bytes.slice();
  w(VIRTIO_MMIO_STATUS, mmio.read(VIRTIO_MMIO_STATUS, 4) | VIRTIO_STATUS_DRIVER_OK);
  const queues = mmio.device.queueMaxSizes.length;

  const steps = 1 + r.below(12);
  for (let s = 0; s < steps; s++) {
    const k = r.below(100);
    let problem: string | undefined;
    if (k < 24) problem = await rig.step(r, k);
    else if (k < 55) w(VIRTIO_MMIO_QUEUE_NOTIFY, r.chance(0.95) ? r.below(queues) : r.u32());
    else if (k < 58) {
      // A reset: from now on the device must not touch guest memory, whatever completes.
      rep.resetChecks++;
      reset = true;
      const snapshot = mem.bytes.slice();
      w(VIRTIO_MMIO_STATUS, 0);
      await rig.finish();
      await rig.step(r, 0);
      w(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
      await turn();
      const after = diffMemory(mem, snapshot, new WriteAllowance());
      if (after !== undefined) return `after a reset: ${after}`;
      break;
    } else if (k < 66) w(VIRTIO_MMIO_INTERRUPT_ACK, r.u32());
    else if (k < 70) w(VIRTIO_MMIO_QUEUE_SEL, r.below(4));
    else if (k < 74) mmio.write(VIRTIO_MMIO_CONFIG + r.below(16), r.pick([1, 2, 4]), r.u32());
    else if (k < 78) mmio.read(r.below(0x200), r.pick([1, 2, 4]));
    else if (k < 80) {
      w(VIRTIO_MMIO_STATUS, r.u32() & 0xff);
    } else if (k < 82) {
      const off = r.below(0x100) & ~3;
      if (off === VIRTIO_MMIO_QUEUE_READY) checkable = false;
      w(off, r.u32());
    }
    await turn();
    problem ??= rig.check();
    if (problem !== undefined) return problem;
  }
  await rig.finish();
  await turn();
  const problem = rig.check();
  if (problem !== undefined) return problem;
  if (mmio.lastError !== undefined) rep.needsReset++;
  if (!rig.idle()) return 'requests still in flight after the backend finished';
  if (!checkable) return undefined;
  rep.memoryChecked++;
  const diff = diffMemory(mem, before, set.allowed);
  if (diff !== undefined) return diff;
  if (reset) return undefined;
  return liveness(mem, mmio, set.layouts, rep);
}

/**
 * A device still running (DRIVER_OK, no error, queue ready) with nothing in flight has taken every
 * chain published and answered each: back-pressure never lost a wake-up. Net's receive queue only
 * fills as frames arrive, so it is left out.
 */
function liveness(
  mem: GuestMemory,
  mmio: VirtioMmio,
  layouts: readonly Layout[],
  rep: DeviceFuzzReport,
): string | undefined {
  const status = mmio.read(VIRTIO_MMIO_STATUS, 4);
  if ((status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_DEVICE_NEEDS_RESET)) !== VIRTIO_STATUS_DRIVER_OK)
    return undefined;
  const q = mmio.queues.length - 1; // requestq1 (blk), transmitq1 (net)
  if (!mmio.queues[q].ready) return undefined;
  const s = mmio.queues[q].save();
  if (s.num !== layouts[q].size || s.descAddr !== layouts[q].desc) return undefined;
  rep.livenessChecked++;
  const availIdx = mem.view.getUint16(s.driverAddr - mem.base + 2, true);
  if (s.lastAvailIdx !== availIdx)
    return `queue ${q}: ${(availIdx - s.lastAvailIdx) & 0xffff} chains never taken`;
  if (s.nextUsedIdx !== s.lastAvailIdx) return `queue ${q}: a chain taken was never answered`;
  return undefined;
}

/**
 * Run `cases` seeded cases of `kind` (`seed`, `seed+1`, ...). Exceptions and property violations
 * are collected in `failures` (at most `maxFailures`), never thrown.
 */
export async function runDeviceFuzz(
  kind: FuzzDeviceKind,
  seed: number,
  cases: number,
  maxFailures = 20,
): Promise<DeviceFuzzReport> {
  const rep = emptyDeviceReport();
  const mem = new GuestMemory(RAM_BASE, DEVICE_RAM_BYTES);
  const junk = junkRam(DEVICE_RAM_BYTES);
  for (let c = 0; c < cases; c++) {
    const caseSeed = (seed + c) >>> 0;
    const r = new Prng(caseSeed);
    mem.bytes.set(junk);
    rep.cases++;
    let problem: string | undefined;
    try {
      problem = await deviceCase(kind, r, mem, rep);
    } catch (e) {
      problem = `exception: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    }
    if (problem !== undefined && rep.failures.length < maxFailures)
      rep.failures.push({ seed: caseSeed, message: problem });
  }
  return rep;
}
