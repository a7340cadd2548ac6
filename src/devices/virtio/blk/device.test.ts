// virtio-blk driven by a mock guest driver (virtio 1.2 section 5.2): configuration space and
// features, the request types, asynchronous completion, FLUSH ordering, reset, and snapshots.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBlockBackend, type BlockBackend } from '../../../backends/block/backend.js';
import { VIRTIO_F_VERSION_1 } from '../types.js';
import {
  VIRTIO_BLK_F_BLK_SIZE,
  VIRTIO_BLK_F_DISCARD,
  VIRTIO_BLK_F_FLUSH,
  VIRTIO_BLK_F_RO,
  VIRTIO_BLK_F_SEG_MAX,
  VIRTIO_BLK_F_SIZE_MAX,
  VIRTIO_BLK_F_WRITE_ZEROES,
  VIRTIO_BLK_S_IOERR,
  VIRTIO_BLK_S_OK,
  VIRTIO_BLK_S_UNSUPP,
  VIRTIO_BLK_T_DISCARD,
  VIRTIO_BLK_T_FLUSH,
  VIRTIO_BLK_T_GET_ID,
  VIRTIO_BLK_T_IN,
  VIRTIO_BLK_T_OUT,
  VIRTIO_BLK_T_WRITE_ZEROES,
  VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP,
} from './defs.js';
import { VirtioBlk } from './device.js';
import {
  DeferredBackend,
  MockDriver,
  pattern,
  segments,
} from '../../../testing/devices/virtio/blk/mock-driver.js';
import type { VirtioBlkState } from './persist.js';

const MiB = 1024 * 1024;
const bit = (n: bigint): bigint => 1n << n;

/** Let promise continuations and completions run. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

interface Rig {
  dev: VirtioBlk;
  drv: MockDriver;
  disk: MemoryBlockBackend;
}

/** A device over an in-memory disk, activated with every offered feature (or `features`). */
function rig(opts: { sizeBytes?: number; readOnly?: boolean; serial?: string; features?: bigint } = {}): Rig {
  const disk = new MemoryBlockBackend(opts.sizeBytes ?? MiB, opts.readOnly ?? false);
  const dev = new VirtioBlk({ backend: disk, serial: opts.serial ?? 'tsvirt-test' });
  const drv = new MockDriver();
  dev.activate(drv.context(opts.features ?? dev.features | bit(VIRTIO_F_VERSION_1)));
  return { dev, drv, disk };
}

test('config space: capacity, size_max, seg_max, blk_size, discard and write-zeroes limits', () => {
  const disk = new MemoryBlockBackend(3 * MiB + 512 + 100);
  const dev = new VirtioBlk({ backend: disk });
  const r32 = (off: number): number => dev.readConfig(off, 4);
  // capacity: le64 read as two 32-bit halves; the partial trailing sector is not counted.
  assert.equal(r32(0), 3 * 2048 + 1);
  assert.equal(r32(4), 0);
  assert.equal(r32(8), 64 * 1024, 'size_max');
  assert.equal(r32(12), 254, 'seg_max');
  assert.equal(r32(20), 512, 'blk_size');
  assert.equal(dev.readConfig(32, 1), 0, 'writeback');
  assert.equal(dev.readConfig(33, 1), 0, 'unused0');
  assert.equal(r32(36), 0x400000, 'max_discard_sectors');
  assert.equal(r32(40), 32, 'max_discard_seg');
  assert.equal(r32(44), 8, 'discard_sector_alignment: 4 KiB backend granularity');
  assert.equal(r32(48), 0x10000, 'max_write_zeroes_sectors');
  assert.equal(r32(52), 32, 'max_write_zeroes_seg');
  assert.equal(dev.readConfig(56, 1), 0, 'write_zeroes_may_unmap');
  assert.equal(dev.readConfig(57, 1) | dev.readConfig(58, 2), 0, 'unused1');
  assert.equal(dev.readConfig(0, 1), 1, 'byte access');
  assert.equal(dev.readConfig(1, 2), 0x18, 'halfword access');
  assert.equal(r32(0x100), 0, 'beyond the space');
  assert.equal(dev.writeConfig(), false);
});

test('a 64-bit capacity reads back in both halves', () => {
  const small = new MemoryBlockBackend(512);
  // Only the size matters here: no I/O is issued.
  const huge: BlockBackend = {
    sizeBytes: 5 * 2 ** 32 * 512 + 4096,
    readOnly: false,
    discardGranularityBytes: 4096,
    read: (o, b) => small.read(o, b),
    write: (o, d) => small.write(o, d),
    flush: () => small.flush(),
    discard: (o, n) => small.discard(o, n),
    writeZeroes: (o, n) => small.writeZeroes(o, n),
    close: () => small.close(),
  };
  const dev = new VirtioBlk({ backend: huge });
  assert.equal(dev.readConfig(0, 4), 8);
  assert.equal(dev.readConfig(4, 4), 5);
});

test('features: writable disks offer DISCARD and WRITE_ZEROES, read-only ones RO instead', () => {
  const common =
    bit(VIRTIO_BLK_F_SIZE_MAX) |
    bit(VIRTIO_BLK_F_SEG_MAX) |
    bit(VIRTIO_BLK_F_BLK_SIZE) |
    bit(VIRTIO_BLK_F_FLUSH);
  const rw = new VirtioBlk({ backend: new MemoryBlockBackend(MiB) });
  assert.equal(rw.features, common | bit(VIRTIO_BLK_F_DISCARD) | bit(VIRTIO_BLK_F_WRITE_ZEROES));
  const ro = new VirtioBlk({ backend: new MemoryBlockBackend(MiB, true) });
  assert.equal(ro.features, common | bit(VIRTIO_BLK_F_RO));
  assert.equal(rw.deviceId, 2);
  assert.deepEqual(rw.queueMaxSizes, [256]);
});

test('serials longer than 20 bytes or not printable ASCII are refused', () => {
  const backend = new MemoryBlockBackend(MiB);
  assert.throws(() => new VirtioBlk({ backend, serial: 'x'.repeat(21) }), /serial/);
  assert.throws(() => new VirtioBlk({ backend, serial: 'disk\n' }), /serial/);
});

test('OUT then IN round-trips data; used lengths count the bytes written', async () => {
  const { dev, drv, disk } = rig();
  const data = pattern(3 * 512, 1);
  const w = drv.request(VIRTIO_BLK_T_OUT, 7, { out: data });
  dev.queueNotify(0);
  await settle();
  assert.equal(drv.status(w), VIRTIO_BLK_S_OK);
  assert.equal(drv.usedLen(w), 1);
  assert.deepEqual(disk.bytes.subarray(7 * 512, 10 * 512), data);

  const r = drv.request(VIRTIO_BLK_T_IN, 7, { inLen: 3 * 512 });
  dev.queueNotify(0);
  await settle();
  assert.equal(drv.status(r), VIRTIO_BLK_S_OK);
  assert.equal(drv.usedLen(r), 3 * 512 + 1);
  assert.deepEqual(drv.data(r), data);
  assert.equal(dev.metrics.readRequests, 1);
  assert.equal(dev.metrics.writeRequests, 1);
  assert.equal(dev.metrics.bytesRead, 1536);
  assert.equal(dev.metrics.bytesWritten, 1536);
});

test('framing is free: header with data, data split over buffers, status sharing a buffer', async () => {
  const { dev, drv, disk } = rig();
  const data = pattern(4096, 2);
  const w1 = drv.request(VIRTIO_BLK_T_OUT, 0, { out: data, headerWithData: true });
  const w2 = drv.request(VIRTIO_BLK_T_OUT, 8, { out: data, splitBytes: 100 });
  const r1 = drv.request(VIRTIO_BLK_T_IN, 8, { inLen: 4096, statusWithData: true });
  const r2 = drv.request(VIRTIO_BLK_T_IN, 0, { inLen: 4096, splitBytes: 333 });
  dev.queueNotify(0);
  await settle();
  for (const s of [w1, w2, r1, r2]) assert.equal(drv.status(s), VIRTIO_BLK_S_OK);
  assert.deepEqual(disk.bytes.subarray(0, 4096), data);
  assert.deepEqual(disk.bytes.subarray(4096, 8192), data);
  assert.deepEqual(drv.data(r1), data);
  assert.deepEqual(drv.data(r2), data);
});

test('GET_ID returns the serial NUL-padded to 20 bytes, or all 20 bytes without a NUL', async () => {
  for (const serial of ['disk-7', 'ABCDEFGHIJKLMNOPQRST']) {
    const { dev, drv } = rig({ serial });
    const s = drv.request(VIRTIO_BLK_T_GET_ID, 0, { inLen: 20 });
    dev.queueNotify(0);
    await settle();
    assert.equal(drv.status(s), VIRTIO_BLK_S_OK);
    assert.equal(drv.usedLen(s), 21);
    const expect = new Uint8Array(20);
    expect.set(new TextEncoder().encode(serial));
    assert.deepEqual(drv.data(s), expect);
  }
});

test('completion is asynchronous and out of order; notifications are batched', async () => {
  const disk = new DeferredBackend(new MemoryBlockBackend(MiB));
  const dev = new VirtioBlk({ backend: disk });
  const drv = new MockDriver();
  dev.activate(drv.context(dev.features));
  const a = drv.request(VIRTIO_BLK_T_IN, 0, { inLen: 512 });
  const b = drv.request(VIRTIO_BLK_T_IN, 1, { inLen: 512 });
  dev.queueNotify(0);
  assert.equal(drv.queue.used.length, 0, 'nothing completes before the backend does');
  assert.equal(dev.inFlight, 2);
  disk.pending('read')[1].release();
  await settle();
  assert.deepEqual(
    drv.queue.used.map((u) => u.head),
    [b.head],
  );
  assert.equal(drv.status(a), 0xff, 'a is untouched while in flight');
  assert.equal(drv.queue.notifications, 1);
  disk.pending('read')[0].release();
  await settle();
  assert.deepEqual(
    drv.queue.used.map((u) => u.head),
    [b.head, a.head],
  );
  assert.equal(dev.inFlight, 0);

  // Several completions in one burst raise one notification.
  for (let k = 0; k < 4; k++) drv.request(VIRTIO_BLK_T_IN, k, { inLen: 512 });
  dev.queueNotify(0);
  for (const op of disk.pending()) op.release();
  await settle();
  assert.equal(drv.queue.used.length, 6);
  assert.equal(drv.queue.notifications, 3);
});

test('FLUSH waits for earlier writes to complete, then fsyncs; later writes are not waited for', async () => {
  const disk = new DeferredBackend(new MemoryBlockBackend(MiB));
  const dev = new VirtioBlk({ backend: disk });
  const drv = new MockDriver();
  dev.activate(drv.context(dev.features));
  const w1 = drv.request(VIRTIO_BLK_T_OUT, 0, { out: pattern(512, 3) });
  const wz = drv.request(VIRTIO_BLK_T_WRITE_ZEROES, 0, { out: segments({ sector: 4, numSectors: 2 }) });
  const f = drv.request(VIRTIO_BLK_T_FLUSH, 0);
  dev.queueNotify(0);
  const w2 = drv.request(VIRTIO_BLK_T_OUT, 1, { out: pattern(512, 4) });
  dev.queueNotify(0);
  await settle();
  assert.equal(disk.pending('flush').length, 0, 'no fsync while earlier writes are in flight');
  disk.pending('write')[0].release();
  await settle();
  assert.equal(disk.pending('flush').length, 0, 'the write-zeroes is still in flight');
  disk.pending('writeZeroes')[0].release();
  await settle();
  assert.equal(disk.pending('flush').length, 1, 'fsync once every earlier write completed');
  assert.equal(drv.status(f), 0xff, 'FLUSH completes only after the fsync');
  disk.pending('flush')[0].release();
  await settle();
  assert.equal(drv.status(f), VIRTIO_BLK_S_OK);
  assert.equal(drv.status(w1), VIRTIO_BLK_S_OK);
  assert.equal(drv.status(wz), VIRTIO_BLK_S_OK);
  assert.equal(drv.status(w2), 0xff, 'the later write was not waited for');
  disk.pending('write')[0].release();
  await settle();
  assert.equal(drv.status(w2), VIRTIO_BLK_S_OK);
});

test('without VIRTIO_BLK_F_FLUSH negotiated every write is fsynced before it completes', async () => {
  const disk = new DeferredBackend(new MemoryBlockBackend(MiB));
  const dev = new VirtioBlk({ backend: disk });
  const drv = new MockDriver();
  dev.activate(drv.context(dev.features & ~bit(VIRTIO_BLK_F_FLUSH)));
  const w = drv.request(VIRTIO_BLK_T_OUT, 0, { out: pattern(512, 5) });
  dev.queueNotify(0);
  disk.pending('write')[0].release();
  await settle();
  assert.equal(drv.status(w), 0xff);
  assert.equal(disk.pending('flush').length, 1);
  disk.pending('flush')[0].release();
  await settle();
  assert.equal(drv.status(w), VIRTIO_BLK_S_OK);
});

test('DISCARD and WRITE_ZEROES over several segments leave zeros; unmap is accepted on write-zeroes', async () => {
  const { dev, drv, disk } = rig();
  disk.bytes.fill(0x5a);
  const d = drv.request(VIRTIO_BLK_T_DISCARD, 0, {
    out: segments({ sector: 0, numSectors: 8 }, { sector: 100, numSectors: 1 }),
  });
  const z = drv.request(VIRTIO_BLK_T_WRITE_ZEROES, 0, {
    out: segments({ sector: 20, numSectors: 3, flags: VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP }),
  });
  dev.queueNotify(0);
  await settle();
  assert.equal(drv.status(d), VIRTIO_BLK_S_OK);
  assert.equal(drv.status(z), VIRTIO_BLK_S_OK);
  const zero = (from: number, n: number): boolean =>
    disk.bytes.subarray(from * 512, (from + n) * 512).every((b) => b === 0);
  assert.ok(zero(0, 8) && zero(100, 1) && zero(20, 3));
  assert.equal(disk.bytes[8 * 512], 0x5a);
  assert.equal(disk.bytes[23 * 512], 0x5a);
  const r = drv.request(VIRTIO_BLK_T_IN, 20, { inLen: 3 * 512 });
  dev.queueNotify(0);
  await settle();
  assert.ok(drv.data(r).every((b) => b === 0));
  assert.equal(dev.metrics.discardRequests, 1);
  assert.equal(dev.metrics.writeZeroesRequests, 1);
});

test('a read-only disk refuses writes with IOERR and writes nothing; reads and FLUSH work', async () => {
  const contents = pattern(MiB, 9);
  const disk = new MemoryBlockBackend(MiB, true, contents);
  const dev = new VirtioBlk({ backend: disk });
  const drv = new MockDriver();
  dev.activate(drv.context(dev.features));
  const w = drv.request(VIRTIO_BLK_T_OUT, 0, { out: new Uint8Array(512) });
  const z = drv.request(VIRTIO_BLK_T_WRITE_ZEROES, 0, { out: segments({ sector: 0, numSectors: 1 }) });
  const d = drv.request(VIRTIO_BLK_T_DISCARD, 0, { out: segments({ sector: 0, numSectors: 1 }) });
  const f = drv.request(VIRTIO_BLK_T_FLUSH, 0);
  const r = drv.request(VIRTIO_BLK_T_IN, 0, { inLen: 512 });
  dev.queueNotify(0);
  await settle();
  assert.equal(drv.status(w), VIRTIO_BLK_S_IOERR);
  assert.equal(drv.status(z), VIRTIO_BLK_S_IOERR);
  assert.equal(drv.status(d), VIRTIO_BLK_S_IOERR);
  assert.equal(drv.status(f), VIRTIO_BLK_S_OK);
  assert.equal(drv.status(r), VIRTIO_BLK_S_OK);
  assert.deepEqual(drv.data(r), contents.subarray(0, 512));
  assert.deepEqual(disk.bytes, contents);
});

test('a backend failure completes the request with IOERR and zeroes the IN data area', async () => {
  const disk = new DeferredBackend(new MemoryBlockBackend(MiB));
  const dev = new VirtioBlk({ backend: disk });
  const drv = new MockDriver();
  dev.activate(drv.context(dev.features));
  const r = drv.request(VIRTIO_BLK_T_IN, 0, { inLen: 1024 });
  const w = drv.request(VIRTIO_BLK_T_OUT, 0, { out: new Uint8Array(512) });
  dev.queueNotify(0);
  disk.pending('read')[0].fail();
  disk.pending('write')[0].fail();
  await settle();
  assert.equal(drv.status(r), VIRTIO_BLK_S_IOERR);
  assert.equal(drv.status(w), VIRTIO_BLK_S_IOERR);
  assert.ok(
    drv.data(r).every((b) => b === 0),
    'no stale guest bytes reported as written',
  );
  assert.equal(drv.usedLen(r), 1025);
  assert.equal(dev.metrics.backendErrors, 2);
});

test('reset drops in-flight requests: their completion touches neither memory nor the queue', async () => {
  const disk = new DeferredBackend(new MemoryBlockBackend(MiB, false, pattern(MiB, 1)));
  const dev = new VirtioBlk({ backend: disk });
  const drv = new MockDriver();
  dev.activate(drv.context(dev.features));
  const r = drv.request(VIRTIO_BLK_T_IN, 0, { inLen: 512 });
  const r0 = drv.request(VIRTIO_BLK_T_IN, 1, { inLen: 512 });
  dev.queueNotify(0);
  dev.reset();
  disk.pending('read')[1].release();
  // Notifications before re-activation are ignored.
  dev.queueNotify(0);
  await settle();
  // The driver re-initialises the device; the old request completes only now.
  dev.activate(drv.context(dev.features));
  disk.pending('read')[0].release();
  await settle();
  for (const s of [r, r0]) {
    assert.equal(drv.status(s), 0xff);
    assert.ok(drv.data(s).every((b) => b === 0xaa));
  }
  assert.equal(drv.queue.used.length, 0);
  assert.equal(dev.inFlight, 0);
  const r2 = drv.request(VIRTIO_BLK_T_IN, 0, { inLen: 512 });
  dev.queueNotify(0);
  disk.pending('read')[0].release();
  await settle();
  assert.equal(drv.status(r2), VIRTIO_BLK_S_OK);
  assert.deepEqual(
    drv.queue.used.map((u) => u.head),
    [r2.head],
  );
});

test('two devices are independent', async () => {
  const a = rig({ serial: 'a' });
  const b = rig({ serial: 'b' });
  const w = a.drv.request(VIRTIO_BLK_T_OUT, 0, { out: pattern(512, 1) });
  a.dev.queueNotify(0);
  b.dev.queueNotify(0);
  await settle();
  assert.equal(a.drv.status(w), VIRTIO_BLK_S_OK);
  assert.ok(b.disk.bytes.every((x) => x === 0));
  assert.equal(b.dev.metrics.writeRequests, 0);
});

test('snapshot mid-operation: quiesce drains in-flight I/O, save/restore round-trips, queued work resumes', async () => {
  const inner = new MemoryBlockBackend(MiB);
  const disk = new DeferredBackend(inner);
  const dev = new VirtioBlk({ backend: disk, serial: 'snap' });
  const drv = new MockDriver();
  const features = dev.features | bit(VIRTIO_F_VERSION_1);
  dev.activate(drv.context(features));
  const w = drv.request(VIRTIO_BLK_T_OUT, 2, { out: pattern(1024, 6) });
  const r = drv.request(VIRTIO_BLK_T_IN, 10, { inLen: 512 });
  dev.queueNotify(0);
  assert.equal(dev.inFlight, 2);
  assert.throws(() => dev.save(), /in flight/);

  const quiesced = dev.quiesce();
  // The driver keeps submitting while the VMM pauses the device: nothing new is taken.
  const late = drv.request(VIRTIO_BLK_T_IN, 2, { inLen: 1024 });
  dev.queueNotify(0);
  assert.equal(drv.queue.avail.length, 1);
  for (const op of disk.pending()) op.release();
  await quiesced;
  assert.equal(dev.inFlight, 0);
  assert.equal(drv.status(w), VIRTIO_BLK_S_OK);
  assert.equal(drv.status(r), VIRTIO_BLK_S_OK);
  assert.ok(drv.queue.notifications >= 1, 'the due notification went out before the snapshot');

  const state = JSON.parse(JSON.stringify(dev.save())) as VirtioBlkState;
  assert.equal(state.version, 1);
  assert.equal(state.capacitySectors, 2048);
  assert.equal(state.metrics.writeRequests, 1);

  const restored = VirtioBlk.restore({ backend: inner }, state);
  assert.equal(restored.serial, 'snap');
  assert.equal(restored.features, dev.features);
  assert.equal(restored.metrics.readRequests, 1);
  for (let off = 0; off < 64; off += 4) assert.equal(restored.readConfig(off, 4), dev.readConfig(off, 4));
  restored.activate(drv.context(features));
  await settle();
  assert.equal(drv.status(late), VIRTIO_BLK_S_OK, 'the request queued during the pause is served');
  assert.deepEqual(drv.data(late), pattern(1024, 6));
  assert.deepEqual(JSON.parse(JSON.stringify(restored.save())).metrics.readRequests, 2);
});

test('resume after quiesce takes the requests queued meanwhile', async () => {
  const { dev, drv } = rig();
  await dev.quiesce();
  assert.equal(dev.isPaused, true);
  const r = drv.request(VIRTIO_BLK_T_IN, 0, { inLen: 512 });
  dev.queueNotify(0);
  await settle();
  assert.equal(drv.status(r), 0xff);
  dev.resume();
  await settle();
  assert.equal(drv.status(r), VIRTIO_BLK_S_OK);
});

test('restore refuses a snapshot of another disk or version', () => {
  const dev = new VirtioBlk({ backend: new MemoryBlockBackend(MiB) });
  const state = dev.save();
  assert.throws(() => VirtioBlk.restore({ backend: new MemoryBlockBackend(2 * MiB) }, state), /2048/);
  assert.throws(() => VirtioBlk.restore({ backend: new MemoryBlockBackend(MiB, true) }, state), /read-only/);
  assert.throws(
    () => VirtioBlk.restore({ backend: new MemoryBlockBackend(MiB) }, { ...state, version: 2 as 1 }),
    /version 2/,
  );
  assert.throws(
    () =>
      VirtioBlk.restore(
        { backend: new MemoryBlockBackend(MiB) },
        { ...state, metrics: { ...state.metrics, bytesRead: -1 } },
      ),
    /bytesRead/,
  );
});

test('unsupported request types and non-negotiated features get UNSUPP', async () => {
  const { dev, drv } = rig({ features: bit(VIRTIO_BLK_F_FLUSH) });
  const types = [2, 10, 14, 16, 0xffffffff];
  const reqs = types.map((t) => drv.request(t, 0, { inLen: 0 }));
  const d = drv.request(VIRTIO_BLK_T_DISCARD, 0, { out: segments({ sector: 0, numSectors: 1 }) });
  const z = drv.request(VIRTIO_BLK_T_WRITE_ZEROES, 0, { out: segments({ sector: 0, numSectors: 1 }) });
  dev.queueNotify(0);
  await settle();
  for (const s of [...reqs, d, z]) assert.equal(drv.status(s), VIRTIO_BLK_S_UNSUPP);
  assert.equal(dev.metrics.unsupportedRequests, 7);
});
