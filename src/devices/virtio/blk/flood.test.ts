// virtio-blk under a flood of maximal requests (issue 18) behind the real virtio-mmio transport
// and split virtqueue: 256 requests of seg_max buffers of size_max bytes (virtio 1.2 section
// 5.2.4), every data buffer aliasing one 64 KiB guest region, against a disk that stalls. The
// bytes the device holds stay under its budget, the requests beyond it stay in the available
// ring (section 2.7.13: the device has not consumed them), and all complete once the disk does.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import type { BlockBackend } from '../../../backends/block/backend.js';
import { GuestMemory } from '../../../memory/guest-memory.js';
import { MemoryBudget } from '../budget.js';
import { liveArrayBufferBytes } from '../../../testing/devices/virtio/memory-probe.js';
import { VIRTIO_MMIO_STATUS, VirtioMmio } from '../mmio.js';
import {
  MockMmioDriver,
  RecordingIrq,
  type DriverQueue,
} from '../../../testing/devices/virtio/mock-driver.js';
import { VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE } from '../queue.js';
import { VIRTIO_F_INDIRECT_DESC, VIRTIO_F_VERSION_1 } from '../types.js';
import {
  BLK_INFLIGHT_LIMIT_BYTES,
  MAX_REQUEST_BYTES,
  SEG_MAX,
  SIZE_MAX_BYTES,
  VIRTIO_BLK_F_FLUSH,
  VIRTIO_BLK_S_OK,
  VIRTIO_BLK_T_FLUSH,
  VIRTIO_BLK_T_IN,
  VIRTIO_BLK_T_OUT,
} from './defs.js';
import { VirtioBlk } from './device.js';
import { DeferredBackend, pattern } from '../../../testing/devices/virtio/blk/mock-driver.js';

const MiB = 1024 * 1024;
const BASE = 0x8000_0000;
const RAM_BYTES = 4 * MiB;
const REQUESTS = 256;
/** Room for what is not request data: a 64 KiB zero-fill chunk, headers, the test's own arrays. */
const SLACK_BYTES = 8 * MiB;
const ACCEPT = (1n << VIRTIO_F_VERSION_1) | (1n << VIRTIO_F_INDIRECT_DESC) | (1n << VIRTIO_BLK_F_FLUSH);
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * A disk that checks instead of storing: every write must carry `expected`, and reads return
 * `contents`. Both are allocated up front, so the test's own memory does not grow with requests.
 */
class CheckingDisk implements BlockBackend {
  readonly sizeBytes = 2 ** 41;
  readonly readOnly = false;
  readonly discardGranularityBytes = 4096;
  writes = 0;
  badWrites = 0;
  flushes = 0;
  constructor(
    private readonly expected: Uint8Array,
    readonly contents: Uint8Array,
  ) {}
  async read(_offset: number, buf: Uint8Array): Promise<void> {
    buf.set(this.contents.subarray(0, buf.length));
  }
  async write(_offset: number, data: Uint8Array): Promise<void> {
    this.writes++;
    if (!Buffer.from(data.buffer, data.byteOffset, data.length).equals(this.expected)) this.badWrites++;
  }
  async flush(): Promise<void> {
    this.flushes++;
  }
  async discard(): Promise<void> {}
  async writeZeroes(): Promise<void> {}
  async close(): Promise<void> {}
}

/** One VM-side view: guest RAM with a driven virtio-blk behind virtio-mmio. */
interface Guest {
  mem: GuestMemory;
  dev: VirtioBlk;
  mmio: VirtioMmio;
  drv: MockMmioDriver;
  q: DriverQueue;
  disk: DeferredBackend<CheckingDisk>;
  /** The 64 KiB guest region every data buffer points at. */
  page: number;
  /** Head of each request and the guest address of its status byte. */
  reqs: { head: number; statusAddr: number }[];
}

function guest(opts: { budget?: MemoryBudget; contentsSeed?: number } = {}): Guest {
  const mem = new GuestMemory(BASE, RAM_BYTES);
  const page = BASE + RAM_BYTES - SIZE_MAX_BYTES;
  mem.bytes.set(pattern(SIZE_MAX_BYTES, 5), page - BASE);
  const expected = new Uint8Array(MAX_REQUEST_BYTES);
  for (let k = 0; k < SEG_MAX; k++) expected.set(pattern(SIZE_MAX_BYTES, 5), k * SIZE_MAX_BYTES);
  const disk = new DeferredBackend(
    new CheckingDisk(expected, pattern(MAX_REQUEST_BYTES, opts.contentsSeed ?? 9)),
  );
  const dev = new VirtioBlk({ backend: disk, budget: opts.budget });
  const mmio = new VirtioMmio(dev, mem, new RecordingIrq());
  const drv = new MockMmioDriver(mmio, mem);
  const [q] = drv.init(ACCEPT, 1);
  return { mem, dev, mmio, drv, q, disk, page, reqs: [] };
}

/**
 * Post a maximal request in an indirect table of seg_max + 2 descriptors: a header, seg_max
 * data buffers of size_max bytes all at `g.page`, a status byte. Only the first `segs` data
 * buffers are used when given (a smaller request).
 */
function postMax(g: Guest, type: number, segs = SEG_MAX): number {
  const slot = g.reqs.length % g.q.size;
  const n = segs + 2;
  const table = g.drv.alloc.alloc(16 * n, 16);
  const hdr = g.drv.alloc.alloc(16, 8);
  g.mem.write32(hdr, type);
  g.mem.write64(hdr + 8, 0n);
  const statusAddr = g.drv.alloc.alloc(1, 1);
  g.mem.bytes[statusAddr - BASE] = 0xff;
  const dataFlags = VIRTQ_DESC_F_NEXT | (type === VIRTIO_BLK_T_IN ? VIRTQ_DESC_F_WRITE : 0);
  g.q.writeDesc(0, hdr, 16, VIRTQ_DESC_F_NEXT, 1, table);
  for (let k = 1; k <= segs; k++) g.q.writeDesc(k, g.page, SIZE_MAX_BYTES, dataFlags, k + 1, table);
  g.q.writeDesc(segs + 1, statusAddr, 1, VIRTQ_DESC_F_WRITE, 0, table);
  g.q.writeDesc(slot, table, 16 * n, VIRTQ_DESC_F_INDIRECT, 0);
  g.q.publish(slot);
  g.reqs.push({ head: slot, statusAddr });
  return slot;
}

/** Entries of the available ring the device has consumed (its next available index). */
const consumed = (g: Guest): number => g.mmio.queues[0].save().lastAvailIdx;

/** Release every held backend operation and let completions and wake-ups run. */
async function releaseAll(g: Guest): Promise<void> {
  for (const op of g.disk.pending()) op.release();
  await settle();
}

async function flood(type: number): Promise<void> {
  const g = guest();
  const limit = BLK_INFLIGHT_LIMIT_BYTES;
  const admitted = Math.floor(limit / MAX_REQUEST_BYTES);
  for (let k = 0; k < REQUESTS; k++) postMax(g, type);
  const baseline = await liveArrayBufferBytes();
  g.drv.notify(0);
  await settle();

  assert.equal(consumed(g), admitted, 'requests beyond the budget stay in the available ring');
  assert.equal(g.dev.inFlight, admitted);
  assert.ok(g.dev.inflightBytes <= limit);
  const grown = (await liveArrayBufferBytes()) - baseline;
  assert.ok(grown <= limit + SLACK_BYTES, `host memory grew by ${grown} bytes`);
  assert.equal(g.q.usedIdx(), 0);
  // The driver notifying again does not make the device take more.
  g.drv.notify(0);
  await settle();
  assert.equal(consumed(g), admitted);

  let waves = 0;
  while (g.q.usedIdx() < REQUESTS) {
    assert.ok(g.disk.pending().length > 0, `stalled after ${g.q.usedIdx()} completions`);
    await releaseAll(g);
    waves++;
    assert.ok(g.dev.inflightBytes <= limit);
    assert.ok(consumed(g) - g.q.usedIdx() <= admitted, 'never more than the budget in flight');
    // Measuring takes milliseconds: every eighth wave, and the last.
    if (waves % 8 === 0 || g.q.usedIdx() === REQUESTS) {
      const grown = (await liveArrayBufferBytes()) - baseline;
      assert.ok(grown <= limit + SLACK_BYTES, `host memory grew by ${grown} bytes after wave ${waves}`);
    }
  }
  assert.equal(consumed(g), REQUESTS);
  assert.ok(g.dev.account.peakBytes <= limit && g.dev.account.peakBytes >= MAX_REQUEST_BYTES);
  assert.equal(g.dev.inflightBytes, 0);
  assert.ok(g.dev.budgetStalls > 0);
  const used = g.q.takeUsed();
  assert.equal(used.length, REQUESTS);
  const writable = type === VIRTIO_BLK_T_IN ? MAX_REQUEST_BYTES + 1 : 1;
  for (const u of used) assert.equal(u.len, writable);
  for (const r of g.reqs) assert.equal(g.mem.bytes[r.statusAddr - BASE], VIRTIO_BLK_S_OK);
  assert.equal(g.mmio.lastError, undefined);
  if (type === VIRTIO_BLK_T_OUT) {
    assert.equal(g.disk.inner.writes, REQUESTS);
    assert.equal(g.disk.inner.badWrites, 0, 'every write carried the guest data');
  } else {
    // Every buffer aliases the page: it ends up holding the last size_max bytes read.
    const last = g.disk.inner.contents.subarray(MAX_REQUEST_BYTES - SIZE_MAX_BYTES);
    assert.deepEqual(g.mem.slice(g.page, SIZE_MAX_BYTES), last);
  }
}

test('256 maximal OUT requests over one guest page: bounded host memory, all written', async () => {
  await flood(VIRTIO_BLK_T_OUT);
});

test('256 maximal IN requests into one guest page: bounded host memory, all read', async () => {
  await flood(VIRTIO_BLK_T_IN);
});

test('a FLUSH held back behind writes keeps its place: it covers them all', async () => {
  const g = guest();
  for (let k = 0; k < 3; k++) postMax(g, VIRTIO_BLK_T_OUT);
  const flushHead = postMax(g, VIRTIO_BLK_T_FLUSH, 0);
  g.drv.notify(0);
  await settle();
  // Two writes fit; the third and the FLUSH behind it wait in the ring.
  assert.equal(consumed(g), 2);
  g.disk.pending('write')[0].release();
  await settle();
  assert.equal(consumed(g), 4, 'the third write, then the FLUSH, are taken');
  assert.equal(g.disk.pending('flush').length, 0, 'the FLUSH waits for the writes before it');
  g.disk.pending('write')[0].release();
  await settle();
  assert.equal(g.disk.pending('flush').length, 0, 'including the one held back by the budget');
  g.disk.pending('write')[0].release();
  await settle();
  assert.equal(g.disk.pending('flush').length, 1);
  await releaseAll(g);
  assert.equal(g.mem.bytes[g.reqs[3].statusAddr - BASE], VIRTIO_BLK_S_OK);
  assert.equal(g.q.takeUsed().at(-1)?.id, flushHead);
});

test('reset with requests in flight: their bytes come back when their I/O ends, once', async () => {
  const g = guest();
  for (let k = 0; k < 8; k++) postMax(g, VIRTIO_BLK_T_OUT);
  g.drv.notify(0);
  await settle();
  assert.equal(g.dev.inflightBytes, 2 * MAX_REQUEST_BYTES);
  g.drv.w(VIRTIO_MMIO_STATUS, 0);
  // The abandoned writes still hold their data: the bytes stay charged.
  assert.equal(g.dev.inflightBytes, 2 * MAX_REQUEST_BYTES);
  // A new driver session gets only what is left until the abandoned I/O ends.
  const [q] = g.drv.init(ACCEPT, 1);
  g.q = q;
  g.reqs = [];
  for (let k = 0; k < 2; k++) postMax(g, VIRTIO_BLK_T_OUT);
  g.drv.notify(0);
  await settle();
  assert.equal(consumed(g), 0, 'no room while the abandoned requests hold the budget');
  g.disk.pending('write')[0].release();
  await settle();
  assert.equal(consumed(g), 1);
  // Release everything (the other abandoned write and the new ones); nothing is freed twice.
  while (g.q.usedIdx() < 2) await releaseAll(g);
  await releaseAll(g);
  assert.equal(g.dev.inflightBytes, 0);
  assert.equal(g.disk.inner.writes, 4);
  assert.deepEqual(
    g.q.takeUsed().map((u) => u.id),
    g.reqs.map((r) => r.head),
  );
});

test('quiesce while held back: nothing more is taken, save works, resume continues', async () => {
  const g = guest();
  for (let k = 0; k < 6; k++) postMax(g, VIRTIO_BLK_T_OUT);
  g.drv.notify(0);
  await settle();
  const quiesced = g.dev.quiesce();
  await releaseAll(g);
  await quiesced;
  assert.equal(consumed(g), 2, 'completions freed room, but a quiesced device takes nothing');
  assert.equal(g.dev.inflightBytes, 0);
  assert.doesNotThrow(() => g.dev.save());
  g.dev.resume();
  while (g.q.usedIdx() < 6) await releaseAll(g);
  assert.equal(consumed(g), 6);
  assert.ok(g.reqs.every((r) => g.mem.bytes[r.statusAddr - BASE] === VIRTIO_BLK_S_OK));
});

test('two disks of one VM share its budget, in turn, and both finish', async () => {
  const vmLimit = 40 * MiB;
  const budget = new MemoryBudget(vmLimit);
  const a = guest({ budget });
  const b = guest({ budget });
  for (let k = 0; k < 8; k++) {
    postMax(a, VIRTIO_BLK_T_OUT);
    postMax(b, VIRTIO_BLK_T_IN);
  }
  const baseline = await liveArrayBufferBytes();
  a.drv.notify(0);
  b.drv.notify(0);
  await settle();
  // a takes its own limit (two requests); b's first does not fit what is left of the VM's.
  assert.equal(consumed(a), 2);
  assert.equal(consumed(b), 0);
  assert.ok(b.dev.account.waiting);
  assert.ok(budget.usedBytes <= vmLimit);
  // When one of a's writes ends, b is first in line and gets the room, not a.
  a.disk.pending('write')[0].release();
  await settle();
  assert.equal(consumed(b), 1);
  assert.equal(consumed(a), 2);
  while (a.q.usedIdx() < 8 || b.q.usedIdx() < 8) {
    assert.ok(a.disk.pending().length + b.disk.pending().length > 0, 'stalled');
    await releaseAll(a);
    await releaseAll(b);
    assert.ok(budget.usedBytes <= vmLimit);
    const grown = (await liveArrayBufferBytes()) - baseline;
    assert.ok(grown <= vmLimit + SLACK_BYTES, `host memory grew by ${grown} bytes`);
  }
  assert.ok(budget.peakBytes <= vmLimit);
  assert.equal(budget.usedBytes, 0);
  assert.equal(a.disk.inner.badWrites, 0);
  for (const g of [a, b])
    assert.ok(g.reqs.every((r) => g.mem.bytes[r.statusAddr - BASE] === VIRTIO_BLK_S_OK));
});

test('a per-device limit below the largest request, or above the VM budget, is refused', () => {
  const backend = new CheckingDisk(new Uint8Array(0), new Uint8Array(0));
  assert.throws(
    () => new VirtioBlk({ backend, inflightLimitBytes: MAX_REQUEST_BYTES - 1 }),
    /largest request/,
  );
  assert.throws(
    () => new VirtioBlk({ backend, budget: new MemoryBudget(16 * MiB), inflightLimitBytes: 32 * MiB }),
    /VM budget/,
  );
});
