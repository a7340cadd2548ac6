// virtio-blk with one request queue (virtio 1.2 section 5.2, Block Device): IN, OUT, FLUSH,
// GET_ID, DISCARD and WRITE_ZEROES requests served by an asynchronous BlockBackend.

import type { BlockBackend } from '../../../backends/block/backend.js';
import { MemoryBudget, type MemoryAccount } from '../budget.js';
import { writeChain } from '../chain.js';
import {
  VIRTIO_ID_BLOCK,
  type DescriptorChain,
  type GuestBuffer,
  type VirtioContext,
  type VirtioDevice,
} from '../types.js';
import type { GuestMemory } from '../../../memory/guest-memory.js';
import { encodeConfig, readConfigBytes } from './config.js';
import {
  BLK_INFLIGHT_LIMIT_BYTES,
  BLK_SIZE_BYTES,
  MAX_DISCARD_SECTORS,
  MAX_DISCARD_SEG,
  MAX_REQUEST_BYTES,
  MAX_WRITE_ZEROES_SECTORS,
  MAX_WRITE_ZEROES_SEG,
  QUEUE_SIZE_MAX,
  SEG_MAX,
  SIZE_MAX_BYTES,
  VIRTIO_BLK_F_BLK_SIZE,
  VIRTIO_BLK_F_DISCARD,
  VIRTIO_BLK_F_FLUSH,
  VIRTIO_BLK_F_RO,
  VIRTIO_BLK_F_SEG_MAX,
  VIRTIO_BLK_F_SIZE_MAX,
  VIRTIO_BLK_F_WRITE_ZEROES,
  VIRTIO_BLK_ID_BYTES,
  VIRTIO_BLK_S_IOERR,
  VIRTIO_BLK_S_OK,
  VIRTIO_BLK_S_UNSUPP,
  VIRTIO_BLK_SECTOR_BYTES,
} from './defs.js';
import { newVirtioBlkMetrics, type VirtioBlkMetrics } from './metrics.js';
import { VirtioBlkStateError, type VirtioBlkState } from './persist.js';
import {
  heldBytes,
  parseRequest,
  requestCostBytes,
  type BlkOperation,
  type RequestLimits,
} from './request.js';

/** Request queue index (section 5.2.2). */
const REQUESTQ1 = 0;
/** Zero-fill chunk for the data area of failed requests, in bytes. */
const ZERO_CHUNK_BYTES = 64 * 1024;

/** Construction parameters. */
export interface VirtioBlkOptions {
  /** The disk. Its `readOnly` decides VIRTIO_BLK_F_RO. */
  backend: BlockBackend;
  /** GET_ID string: printable ASCII, at most 20 bytes (default: empty). */
  serial?: string;
  /**
   * The VM's budget, shared with its other devices (default: one of this device's own). The
   * device's requests in flight hold at most `inflightLimitBytes` of it.
   */
  budget?: MemoryBudget;
  /**
   * Host bytes this device's requests in flight may hold (default
   * {@link BLK_INFLIGHT_LIMIT_BYTES}); at least MAX_REQUEST_BYTES, so that any request fits.
   */
  inflightLimitBytes?: number;
}

/**
 * The device. Requests are taken from requestq1 when the driver notifies, validated at once, and
 * handed to the backend without waiting; each completes (data copied into the guest, status
 * written, used entry pushed, driver notified) when its backend promise settles, so the CPU
 * thread never waits for host I/O and requests complete out of order.
 *
 * Ordering: a FLUSH first waits for every write-like request (OUT, DISCARD, WRITE_ZEROES)
 * submitted before it, then calls `backend.flush()`, so a write acknowledged before a FLUSH
 * completes is durable when the FLUSH completes. Without VIRTIO_BLK_F_FLUSH negotiated, each
 * write is flushed before it completes (section 5.2.6.2, writes are then stable on completion).
 *
 * Guest memory is written only when a request completes and only if the device has not been
 * reset since it was taken (a reset drops in-flight requests; their backend I/O still finishes).
 * Every request chain is returned to the driver, malformed ones with VIRTIO_BLK_S_IOERR.
 *
 * Host memory: a request holds up to seg_max * size_max bytes (its OUT data copy or IN buffer)
 * until it completes, and every buffer may alias one guest page, so the bytes in flight are
 * accounted to a {@link MemoryAccount} of the VM's {@link MemoryBudget}. A request is charged its
 * {@link requestCostBytes} before anything is copied; when that does not fit, it is given back to
 * the available ring unconsumed and the device stops taking requests until completions (its own
 * or another device's) free room. The guest sees back-pressure, never an error, and requests are
 * still taken in ring order, so a FLUSH still follows the writes before it. Abandoned requests
 * (after a reset) keep their bytes until their backend I/O finishes, since it still uses them.
 *
 * Snapshots: `await quiesce()` stops taking requests and waits for those in flight, `save()`
 * then captures a state with nothing in flight, and `resume()` continues. This choice (rather
 * than recording in-flight chains and re-executing them after restore) keeps guest memory, the
 * used ring and the disk consistent at the snapshot instant: no completion can land after the
 * memory image was taken.
 */
export class VirtioBlk implements VirtioDevice {
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly queueMaxSizes: readonly number[] = [QUEUE_SIZE_MAX];
  readonly features: bigint;
  readonly metrics: VirtioBlkMetrics = newVirtioBlkMetrics();
  /** Disk size in 512-byte sectors (a trailing partial sector of the backend is not used). */
  readonly capacitySectors: number;
  readonly readOnly: boolean;
  readonly serial: string;

  private readonly backend: BlockBackend;
  private readonly config: Uint8Array;
  /** GET_ID answer: the serial, NUL-padded to 20 bytes. */
  private readonly id: Uint8Array;
  private ctx: VirtioContext | undefined;
  private limits: RequestLimits;
  /** VIRTIO_BLK_F_FLUSH not negotiated: every write is made stable before it completes. */
  private writeThrough = true;
  /** Incremented by reset; completions of requests from an older generation are dropped. */
  private generation = 0;
  private paused = false;
  private readonly inflight = new Set<Promise<void>>();
  /** The write-like subset of `inflight`, which a FLUSH waits for. */
  private readonly writesInflight = new Set<Promise<void>>();
  private notifyPending = false;
  /** Host bytes held by requests in flight (abandoned ones included). */
  readonly account: MemoryAccount;
  private stalls = 0;

  constructor(opts: VirtioBlkOptions) {
    const serial = opts.serial ?? '';
    if (!/^[\x20-\x7e]{0,20}$/.test(serial)) {
      throw new RangeError(`virtio-blk serial '${serial}' is not printable ASCII of at most 20 bytes`);
    }
    const limit = opts.inflightLimitBytes ?? BLK_INFLIGHT_LIMIT_BYTES;
    if (!Number.isSafeInteger(limit) || limit < MAX_REQUEST_BYTES) {
      throw new RangeError(
        `virtio-blk in-flight limit of ${limit} bytes is below the largest request (${MAX_REQUEST_BYTES} bytes)`,
      );
    }
    this.account = (opts.budget ?? new MemoryBudget(limit)).open(limit, () => this.drain());
    this.backend = opts.backend;
    this.serial = serial;
    this.readOnly = opts.backend.readOnly;
    this.capacitySectors = Math.floor(opts.backend.sizeBytes / VIRTIO_BLK_SECTOR_BYTES);
    this.id = new Uint8Array(VIRTIO_BLK_ID_BYTES);
    this.id.set(new TextEncoder().encode(serial));
    this.features =
      (1n << VIRTIO_BLK_F_SIZE_MAX) |
      (1n << VIRTIO_BLK_F_SEG_MAX) |
      (1n << VIRTIO_BLK_F_BLK_SIZE) |
      (1n << VIRTIO_BLK_F_FLUSH) |
      (this.readOnly
        ? 1n << VIRTIO_BLK_F_RO
        : (1n << VIRTIO_BLK_F_DISCARD) | (1n << VIRTIO_BLK_F_WRITE_ZEROES));
    const granularity = Math.max(
      1,
      Math.floor(opts.backend.discardGranularityBytes / VIRTIO_BLK_SECTOR_BYTES),
    );
    this.config = encodeConfig({
      capacity: this.capacitySectors,
      size_max: SIZE_MAX_BYTES,
      seg_max: SEG_MAX,
      blk_size: BLK_SIZE_BYTES,
      num_queues: 1,
      max_discard_sectors: MAX_DISCARD_SECTORS,
      max_discard_seg: MAX_DISCARD_SEG,
      discard_sector_alignment: granularity,
      max_write_zeroes_sectors: MAX_WRITE_ZEROES_SECTORS,
      max_write_zeroes_seg: MAX_WRITE_ZEROES_SEG,
      // No backend releases host storage on write-zeroes (section 5.2.6.2: clear it then).
      write_zeroes_may_unmap: 0,
    });
    this.limits = this.limitsFor(0n);
  }

  /** Requests handed to the backend and not yet completed. */
  get inFlight(): number {
    return this.inflight.size;
  }

  /** Host bytes held by the requests in flight. */
  get inflightBytes(): number {
    return this.account.usedBytes;
  }

  /** Times the device left a request in the available ring for lack of budget. */
  get budgetStalls(): number {
    return this.stalls;
  }

  /** True between {@link quiesce} and {@link resume}. */
  get isPaused(): boolean {
    return this.paused;
  }

  readConfig(offset: number, size: number): number {
    return readConfigBytes(this.config, offset, size);
  }

  /** Nothing is driver-writable: `writeback` is only writable with VIRTIO_BLK_F_CONFIG_WCE. */
  writeConfig(): boolean {
    return false;
  }

  /** DRIVER_OK (also after a restore): takes any requests already queued, unless paused. */
  activate(ctx: VirtioContext): void {
    if (ctx.queues.length < 1) {
      ctx.needsReset('virtio-blk needs requestq1');
      return;
    }
    this.ctx = ctx;
    this.limits = this.limitsFor(ctx.features);
    this.writeThrough = (ctx.features & (1n << VIRTIO_BLK_F_FLUSH)) === 0n;
    if (!this.paused) this.drain();
  }

  queueNotify(index: number): void {
    if (index === REQUESTQ1 && this.ctx !== undefined && !this.paused) this.drain();
  }

  /** In-flight requests are abandoned: their I/O finishes but the guest never hears of it. */
  reset(): void {
    this.ctx = undefined;
    this.generation++;
    this.notifyPending = false;
    this.account.cancelWait();
  }

  /**
   * Stop taking requests and wait until every request in flight has completed (and its used
   * buffer notification has been sent). Notifications meanwhile are remembered by the queue: the
   * available ring is read again by {@link resume}.
   */
  async quiesce(): Promise<void> {
    this.paused = true;
    this.account.cancelWait();
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    this.notifyNow();
  }

  /** Undo {@link quiesce}: take the requests the driver queued meanwhile. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.ctx !== undefined) this.drain();
  }

  /**
   * The device's state. Throws while requests are in flight: `await quiesce()` first. Sends a
   * used buffer notification that is still due, so the snapshot does not lose an interrupt.
   */
  save(): VirtioBlkState {
    if (this.inflight.size > 0) {
      throw new VirtioBlkStateError(
        `${this.inflight.size} requests in flight; await quiesce() before save()`,
      );
    }
    this.notifyNow();
    return {
      version: 1,
      capacitySectors: this.capacitySectors,
      readOnly: this.readOnly,
      serial: this.serial,
      features: this.features.toString(16),
      metrics: { ...this.metrics },
    };
  }

  /**
   * Rebuild a device from {@link save} output over `backend`, which must present the same disk
   * (capacity and read-only flag) as the saved one. The device comes back inactive and running;
   * the transport re-activates it with its restored queues when DRIVER_OK was set, which also
   * takes any requests queued while the VM was stopped.
   */
  static restore(
    args: Pick<VirtioBlkOptions, 'backend' | 'budget' | 'inflightLimitBytes'>,
    state: VirtioBlkState,
  ): VirtioBlk {
    if (state.version !== 1) throw new VirtioBlkStateError(`version ${String(state.version)} is not 1`);
    const dev = new VirtioBlk({ ...args, serial: state.serial });
    if (dev.capacitySectors !== state.capacitySectors) {
      throw new VirtioBlkStateError(
        `the disk has ${dev.capacitySectors} sectors but the snapshot was taken with ${state.capacitySectors}`,
      );
    }
    if (dev.readOnly !== state.readOnly) {
      throw new VirtioBlkStateError(
        `the disk is ${dev.readOnly ? '' : 'not '}read-only, unlike in the snapshot`,
      );
    }
    if (dev.features.toString(16) !== state.features) {
      throw new VirtioBlkStateError(`offered features ${state.features} differ from this build's`);
    }
    for (const key of Object.keys(dev.metrics) as (keyof VirtioBlkMetrics)[]) {
      const v = state.metrics[key];
      if (!Number.isSafeInteger(v) || v < 0) throw new VirtioBlkStateError(`metric ${key} is not a count`);
      dev.metrics[key] = v;
    }
    return dev;
  }

  private limitsFor(features: bigint): RequestLimits {
    return {
      capacitySectors: this.capacitySectors,
      readOnly: this.readOnly,
      discard: (features & (1n << VIRTIO_BLK_F_DISCARD)) !== 0n,
      writeZeroes: (features & (1n << VIRTIO_BLK_F_WRITE_ZEROES)) !== 0n,
    };
  }

  /**
   * Take available chains in order and start them while the budget allows; the first that does
   * not fit goes back to the ring, and the account wakes the device when room is freed.
   */
  private drain(): void {
    const ctx = this.ctx;
    if (ctx === undefined || this.paused) {
      this.account.cancelWait();
      return;
    }
    const q = ctx.queues[REQUESTQ1];
    for (;;) {
      const chain = q.pop();
      if (chain === undefined) {
        this.account.cancelWait();
        return;
      }
      const cost = requestCostBytes(chain);
      if (!this.account.tryTake(cost)) {
        q.undoPop(chain);
        this.stalls++;
        return;
      }
      this.start(ctx, chain, cost);
    }
  }

  /** Parse and start `chain`, whose `costBytes` the account holds. */
  private start(ctx: VirtioContext, chain: DescriptorChain, costBytes: number): void {
    const gen = this.generation;
    const req = parseRequest(ctx.mem, chain, this.limits);
    // Parsing copied at most the cost; from here on the request holds only what it keeps.
    const held = req.op === undefined ? 0 : heldBytes(req.op);
    this.account.release(costBytes - held);
    if (req.op === undefined) {
      if (req.status === undefined) {
        // No status byte to write: return the chain untouched.
        this.metrics.chainsWithoutStatus++;
        ctx.queues[REQUESTQ1].push(chain, 0);
        this.scheduleNotify();
        return;
      }
      if (req.status === VIRTIO_BLK_S_UNSUPP) this.metrics.unsupportedRequests++;
      else this.metrics.invalidRequests++;
      this.complete(gen, chain, req.writableBytes, req.status);
      return;
    }
    const op = req.op;
    this.count(op);
    const task = this.run(gen, chain, req.writableBytes, op);
    this.inflight.add(task);
    const writeLike = op.kind === 'out' || op.kind === 'discard' || op.kind === 'write-zeroes';
    if (writeLike) this.writesInflight.add(task);
    void task.then(() => {
      this.inflight.delete(task);
      this.writesInflight.delete(task);
      this.account.release(held);
    });
  }

  /** Execute `op` on the backend and complete the request; never rejects. */
  private async run(
    gen: number,
    chain: DescriptorChain,
    writableBytes: number,
    op: BlkOperation,
  ): Promise<void> {
    let status = VIRTIO_BLK_S_OK;
    let data: Uint8Array | undefined;
    try {
      data = await this.execute(op);
    } catch {
      status = VIRTIO_BLK_S_IOERR;
      this.metrics.backendErrors++;
    }
    this.complete(gen, chain, writableBytes, status, data);
  }

  /** The backend side of a request: the data read for IN, undefined otherwise. */
  private async execute(op: BlkOperation): Promise<Uint8Array | undefined> {
    switch (op.kind) {
      case 'in': {
        const buf = new Uint8Array(op.lenBytes);
        await this.backend.read(op.offset, buf);
        this.metrics.bytesRead += op.lenBytes;
        return buf;
      }
      case 'flush': {
        // Taken synchronously at submission: the writes this FLUSH must cover.
        const before = [...this.writesInflight];
        await Promise.allSettled(before);
        await this.backend.flush();
        return undefined;
      }
      case 'out':
        await this.backend.write(op.offset, op.data);
        this.metrics.bytesWritten += op.data.length;
        break;
      case 'discard':
        for (const r of op.ranges) await this.backend.discard(r.offset, r.lenBytes);
        break;
      case 'write-zeroes':
        for (const r of op.ranges) await this.backend.writeZeroes(r.offset, r.lenBytes);
        break;
      case 'get-id':
        return this.id;
    }
    // Only write-like requests get here.
    if (this.writeThrough) await this.backend.flush();
    return undefined;
  }

  private count(op: BlkOperation): void {
    const m = this.metrics;
    if (op.kind === 'in') m.readRequests++;
    else if (op.kind === 'out') m.writeRequests++;
    else if (op.kind === 'flush') m.flushRequests++;
    else if (op.kind === 'discard') m.discardRequests++;
    else if (op.kind === 'write-zeroes') m.writeZeroesRequests++;
    else m.getIdRequests++;
  }

  /**
   * Write the data area (`data`, zero-padded; zeros on failure) and the status byte, then push
   * the chain with its whole writable length as written: the device really wrote every byte.
   */
  private complete(
    gen: number,
    chain: DescriptorChain,
    writableBytes: number,
    status: number,
    data?: Uint8Array,
  ): void {
    const ctx = this.ctx;
    if (gen !== this.generation || ctx === undefined) return;
    const dataBytes = writableBytes - 1;
    let done = 0;
    if (status === VIRTIO_BLK_S_OK && data !== undefined) {
      done = writeChain(ctx.mem, chain.writable, 0, data.subarray(0, dataBytes));
    }
    zeroChain(ctx.mem, chain.writable, done, dataBytes - done);
    writeChain(ctx.mem, chain.writable, dataBytes, Uint8Array.of(status));
    ctx.queues[REQUESTQ1].push(chain, writableBytes);
    this.scheduleNotify();
  }

  /** One used buffer notification for all completions of the current microtask burst. */
  private scheduleNotify(): void {
    if (this.notifyPending) return;
    this.notifyPending = true;
    void Promise.resolve().then(() => this.notifyNow());
  }

  private notifyNow(): void {
    if (!this.notifyPending) return;
    this.notifyPending = false;
    this.ctx?.queues[REQUESTQ1].notify();
  }
}

/** Zero `lenBytes` of the stream `bufs` from `offset`, without allocating `lenBytes` at once. */
function zeroChain(mem: GuestMemory, bufs: readonly GuestBuffer[], offset: number, lenBytes: number): void {
  const zeros = new Uint8Array(Math.min(ZERO_CHUNK_BYTES, Math.max(0, lenBytes)));
  for (let done = 0; done < lenBytes; done += zeros.length) {
    writeChain(mem, bufs, offset + done, zeros.subarray(0, Math.min(zeros.length, lenBytes - done)));
  }
}
