// Test support for virtio-blk (STYLE section 9.4): a mock guest driver that lays out requests in
// fake guest memory and hands their descriptor chains to the device through a hand-driven queue,
// a backend whose operations complete only when the test says so, and a sparse disk of any size.

import { BlockReadOnlyError, checkRange, type BlockBackend } from '../../../../backends/block/backend.js';
import { GuestMemory } from '../../../../memory/guest-memory.js';
import type {
  DescriptorChain,
  GuestBuffer,
  VirtioContext,
  Virtqueue,
} from '../../../../devices/virtio/types.js';
import { REQ_HEADER_BYTES, SEGMENT_BYTES } from '../../../../devices/virtio/blk/defs.js';

/** A queue whose available chains are whatever the test appends; used entries are recorded. */
export class FakeQueue implements Virtqueue {
  readonly index = 0;
  readonly size = 256;
  readonly avail: DescriptorChain[] = [];
  readonly used: { head: number; len: number }[] = [];
  notifications = 0;

  private lastPopped: DescriptorChain | undefined;

  pop(): DescriptorChain | undefined {
    this.lastPopped = this.avail.shift();
    return this.lastPopped;
  }
  undoPop(chain: DescriptorChain): void {
    if (chain !== this.lastPopped)
      throw new Error('undoPop() of a chain that is not the one pop() just returned');
    this.lastPopped = undefined;
    this.avail.unshift(chain);
  }
  push(chain: DescriptorChain, writtenBytes: number): void {
    this.lastPopped = undefined;
    this.used.push({ head: chain.head, len: writtenBytes });
  }
  notify(): void {
    this.notifications++;
  }
}

/** A request laid out in guest memory: where the device writes its answer. */
export interface Submitted {
  readonly head: number;
  /** Guest address of the status byte (undefined when the chain has none). */
  readonly statusAddr: number | undefined;
  /** Guest address and length of the device-writable data area (IN, GET_ID). */
  readonly inAddr: number;
  readonly inLen: number;
}

/** Options of {@link MockDriver.request}. */
export interface RequestLayout {
  /** Driver-to-device data after the header (OUT data, discard segments). */
  out?: Uint8Array;
  /** Device-to-driver data bytes before the status (IN, GET_ID). */
  inLen?: number;
  /** Split readable and writable data into buffers of at most this many bytes. */
  splitBytes?: number;
  /** Put the header and the OUT data in one buffer. */
  headerWithData?: boolean;
  /** Put the IN data and the status byte in one buffer. */
  statusWithData?: boolean;
}

/** Guest RAM base of the mock driver's memory. */
export const MOCK_RAM_BASE = 0x8000_0000;

/** A guest driver over fake memory and a {@link FakeQueue}. */
export class MockDriver {
  readonly mem: GuestMemory;
  readonly queue = new FakeQueue();
  readonly resets: string[] = [];
  readonly configChanges: number[] = [];
  private nextAddr: number;
  private nextHead = 0;

  constructor(memBytes = 4 * 1024 * 1024) {
    this.mem = new GuestMemory(MOCK_RAM_BASE, memBytes);
    this.nextAddr = MOCK_RAM_BASE + 4096;
  }

  /** The context a transport would give the device at DRIVER_OK with `features` negotiated. */
  context(features: bigint): VirtioContext {
    return {
      mem: this.mem,
      queues: [this.queue],
      features,
      configChanged: () => this.configChanges.push(1),
      needsReset: (reason) => this.resets.push(reason),
    };
  }

  /** Reserve `len` bytes of guest RAM (16-byte aligned, never reused). */
  alloc(len: number): number {
    const addr = this.nextAddr;
    this.nextAddr += Math.ceil(Math.max(len, 1) / 16) * 16;
    if (!this.mem.contains(addr, len)) throw new RangeError('mock driver out of guest memory');
    return addr;
  }

  /** Queue a chain made of the given buffers as is (for hostile layouts). */
  chain(readable: GuestBuffer[], writable: GuestBuffer[]): DescriptorChain {
    const chain = { head: this.nextHead++ % 256, readable, writable };
    this.queue.avail.push(chain);
    return chain;
  }

  /** Queue a well-formed request: header, OUT data, IN data, status byte (0xff before use). */
  request(type: number, sector: bigint | number, layout: RequestLayout = {}): Submitted {
    const out = layout.out ?? new Uint8Array(0);
    const inLen = layout.inLen ?? 0;
    const split = layout.splitBytes ?? Number.MAX_SAFE_INTEGER;
    const header = new Uint8Array(REQ_HEADER_BYTES);
    const hv = new DataView(header.buffer);
    hv.setUint32(0, type, true);
    hv.setBigUint64(8, BigInt.asUintN(64, BigInt(sector)), true);

    const readable: GuestBuffer[] = [];
    if (layout.headerWithData) {
      readable.push(this.place(concat(header, out)));
    } else {
      readable.push(this.place(header));
      for (let at = 0; at < out.length; at += split) readable.push(this.place(out.subarray(at, at + split)));
    }
    const writable: GuestBuffer[] = [];
    const inAddr = this.alloc(inLen + 1);
    this.mem.bytes.fill(0xaa, inAddr - MOCK_RAM_BASE, inAddr - MOCK_RAM_BASE + inLen);
    const statusAddr = inAddr + inLen;
    this.mem.bytes[statusAddr - MOCK_RAM_BASE] = 0xff;
    if (layout.statusWithData) {
      writable.push({ addr: inAddr, len: inLen + 1 });
    } else {
      for (let at = 0; at < inLen; at += split)
        writable.push({ addr: inAddr + at, len: Math.min(split, inLen - at) });
      writable.push({ addr: statusAddr, len: 1 });
    }
    const chain = this.chain(readable, writable);
    return { head: chain.head, statusAddr, inAddr, inLen };
  }

  /** Copy `bytes` into freshly allocated guest memory. */
  place(bytes: Uint8Array): GuestBuffer {
    const addr = this.alloc(bytes.length);
    this.mem.write(addr, bytes);
    return { addr, len: bytes.length };
  }

  status(s: Submitted): number | undefined {
    return s.statusAddr === undefined ? undefined : this.mem.bytes[s.statusAddr - MOCK_RAM_BASE];
  }

  data(s: Submitted): Uint8Array {
    return this.mem.slice(s.inAddr, s.inLen).slice();
  }

  /** The used length reported for `s`, or undefined while it is not completed. */
  usedLen(s: Submitted): number | undefined {
    return this.queue.used.find((u) => u.head === s.head)?.len;
  }
}

/** Encode discard / write-zeroes segments. */
export function segments(
  ...segs: { sector: number | bigint; numSectors: number; flags?: number }[]
): Uint8Array {
  const out = new Uint8Array(segs.length * SEGMENT_BYTES);
  const v = new DataView(out.buffer);
  segs.forEach((s, k) => {
    v.setBigUint64(k * SEGMENT_BYTES, BigInt(s.sector), true);
    v.setUint32(k * SEGMENT_BYTES + 8, s.numSectors, true);
    v.setUint32(k * SEGMENT_BYTES + 12, s.flags ?? 0, true);
  });
  return out;
}

/** A pattern of `len` bytes that differs per `seed` and per position. */
export function pattern(len: number, seed: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = (i * 31 + seed * 7 + (i >> 9)) & 0xff;
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** One backend operation held by a {@link DeferredBackend}. */
export interface HeldOp {
  readonly kind: 'read' | 'write' | 'flush' | 'discard' | 'writeZeroes';
  readonly offset: number;
  readonly lenBytes: number;
  settled: boolean;
  /** Perform the operation on the inner backend and settle with its result. */
  release(): void;
  /** Settle with an error, without performing it. */
  fail(): void;
}

/**
 * A backend over another whose operations wait in `ops` until the test releases or fails them,
 * to control completion order (and to stall the device, as a slow disk would).
 */
export class DeferredBackend<Inner extends BlockBackend = BlockBackend> implements BlockBackend {
  readonly ops: HeldOp[] = [];

  constructor(readonly inner: Inner) {}

  get sizeBytes(): number {
    return this.inner.sizeBytes;
  }
  get readOnly(): boolean {
    return this.inner.readOnly;
  }
  get discardGranularityBytes(): number {
    return this.inner.discardGranularityBytes;
  }

  /** Operations not yet released or failed, optionally of one kind. */
  pending(kind?: HeldOp['kind']): HeldOp[] {
    return this.ops.filter((op) => !op.settled && (kind === undefined || op.kind === kind));
  }

  read(offset: number, buf: Uint8Array): Promise<void> {
    return this.hold('read', offset, buf.length, () => this.inner.read(offset, buf));
  }
  write(offset: number, data: Uint8Array): Promise<void> {
    return this.hold('write', offset, data.length, () => this.inner.write(offset, data));
  }
  flush(): Promise<void> {
    return this.hold('flush', 0, 0, () => this.inner.flush());
  }
  discard(offset: number, lenBytes: number): Promise<void> {
    return this.hold('discard', offset, lenBytes, () => this.inner.discard(offset, lenBytes));
  }
  writeZeroes(offset: number, lenBytes: number): Promise<void> {
    return this.hold('writeZeroes', offset, lenBytes, () => this.inner.writeZeroes(offset, lenBytes));
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  private hold(
    kind: HeldOp['kind'],
    offset: number,
    lenBytes: number,
    perform: () => Promise<void>,
  ): Promise<void> {
    // `perform` holds the request's buffer: dropped once settled, so that the record of past
    // operations in `ops` does not keep every buffer alive.
    let run: (() => Promise<void>) | undefined = perform;
    return new Promise((resolve, reject) => {
      const op: HeldOp = {
        kind,
        offset,
        lenBytes,
        settled: false,
        release: () => {
          const r = run;
          if (r === undefined) return;
          run = undefined;
          op.settled = true;
          r().then(resolve, reject);
        },
        fail: () => {
          if (run === undefined) return;
          run = undefined;
          op.settled = true;
          reject(new Error(`injected ${kind} failure`));
        },
      };
      this.ops.push(op);
    });
  }
}

/** One operation a {@link SparseDisk} was asked to do. */
export interface DiskOp {
  readonly kind: 'read' | 'write' | 'flush' | 'discard' | 'writeZeroes';
  readonly offset: number;
  readonly lenBytes: number;
}

const SPARSE_PAGE_BYTES = 4096;

/**
 * A disk of any size (up to 2^53 bytes) that stores only the 4 KiB pages written, and records
 * every operation it is asked to do, refused ones included: for tests that need a disk larger
 * than the device's own limits without allocating it. Unwritten bytes read as `initial` (for the
 * first `initial.length` bytes) or zero; discard and write-zeroes leave zeros.
 */
export class SparseDisk implements BlockBackend {
  readonly ops: DiskOp[] = [];
  readonly discardGranularityBytes = SPARSE_PAGE_BYTES;
  private readonly pages = new Map<number, Uint8Array>();

  constructor(
    readonly sizeBytes: number,
    readonly readOnly = false,
    private readonly initial: Uint8Array = new Uint8Array(0),
  ) {}

  /** Bytes stored for written pages (what the disk costs the host). */
  get storedBytes(): number {
    return this.pages.size * SPARSE_PAGE_BYTES;
  }

  async read(offset: number, buf: Uint8Array): Promise<void> {
    this.ops.push({ kind: 'read', offset, lenBytes: buf.length });
    checkRange('read', offset, buf.length, this.sizeBytes);
    buf.set(this.bytesAt(offset, buf.length));
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    this.ops.push({ kind: 'write', offset, lenBytes: data.length });
    if (this.readOnly) throw new BlockReadOnlyError('write');
    checkRange('write', offset, data.length, this.sizeBytes);
    this.store(offset, data.length, (page, at, from, n) => page.set(data.subarray(from, from + n), at));
  }

  async flush(): Promise<void> {
    this.ops.push({ kind: 'flush', offset: 0, lenBytes: 0 });
  }

  async discard(offset: number, lenBytes: number): Promise<void> {
    this.ops.push({ kind: 'discard', offset, lenBytes });
    this.zero('discard', offset, lenBytes);
  }

  async writeZeroes(offset: number, lenBytes: number): Promise<void> {
    this.ops.push({ kind: 'writeZeroes', offset, lenBytes });
    this.zero('writeZeroes', offset, lenBytes);
  }

  async close(): Promise<void> {}

  /** The disk's bytes at [offset, offset + lenBytes). */
  bytesAt(offset: number, lenBytes: number): Uint8Array {
    const out = new Uint8Array(lenBytes);
    out.set(this.initial.subarray(offset, offset + lenBytes));
    for (let p = Math.floor(offset / SPARSE_PAGE_BYTES); p * SPARSE_PAGE_BYTES < offset + lenBytes; p++) {
      const page = this.pages.get(p);
      if (page === undefined) continue;
      const start = Math.max(offset, p * SPARSE_PAGE_BYTES);
      const end = Math.min(offset + lenBytes, (p + 1) * SPARSE_PAGE_BYTES);
      out.set(page.subarray(start - p * SPARSE_PAGE_BYTES, end - p * SPARSE_PAGE_BYTES), start - offset);
    }
    return out;
  }

  private zero(op: string, offset: number, lenBytes: number): void {
    if (this.readOnly) throw new BlockReadOnlyError(op);
    checkRange(op, offset, lenBytes, this.sizeBytes);
    // Ranges may be huge: zero the pages that exist, and the initial bytes, not the whole range.
    for (const [p, page] of this.pages) {
      const start = Math.max(offset, p * SPARSE_PAGE_BYTES);
      const end = Math.min(offset + lenBytes, (p + 1) * SPARSE_PAGE_BYTES);
      if (start < end) page.fill(0, start - p * SPARSE_PAGE_BYTES, end - p * SPARSE_PAGE_BYTES);
    }
    const initialEnd = Math.min(offset + lenBytes, this.initial.length);
    if (offset < initialEnd) {
      this.store(offset, initialEnd - offset, (page, at, _from, n) => page.fill(0, at, at + n));
    }
  }

  /** Visit [offset, offset + lenBytes) page by page, creating pages from the current contents. */
  private store(
    offset: number,
    lenBytes: number,
    each: (page: Uint8Array, at: number, from: number, n: number) => void,
  ): void {
    for (let done = 0; done < lenBytes;) {
      const p = Math.floor((offset + done) / SPARSE_PAGE_BYTES);
      let page = this.pages.get(p);
      if (page === undefined) {
        page = this.bytesAt(p * SPARSE_PAGE_BYTES, SPARSE_PAGE_BYTES);
        this.pages.set(p, page);
      }
      const at = offset + done - p * SPARSE_PAGE_BYTES;
      const n = Math.min(SPARSE_PAGE_BYTES - at, lenBytes - done);
      each(page, at, done, n);
      done += n;
    }
  }
}
