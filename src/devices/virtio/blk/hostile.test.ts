// virtio-blk against a hostile or buggy driver (virtio 1.2 section 5.2.6): every malformed request
// completes with VIRTIO_BLK_S_IOERR (or UNSUPP where the spec says so), never throws, never
// reaches the disk, and a chain without a status byte comes back with nothing written. The disk
// is a sparse 2 TiB one, larger than every limit the device advertises (seg_max * size_max,
// max_discard_sectors, max_write_zeroes_sectors), so the device's own checks are what refuse.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arrayBufferBytesNow, liveArrayBufferBytes } from '../../../testing/devices/virtio/memory-probe.js';
import {
  MAX_DISCARD_SECTORS,
  MAX_DISCARD_SEG,
  MAX_REQUEST_BYTES,
  MAX_WRITE_ZEROES_SECTORS,
  MAX_WRITE_ZEROES_SEG,
  SEG_MAX,
  SIZE_MAX_BYTES,
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
  MockDriver,
  SparseDisk,
  pattern,
  segments,
  type Submitted,
} from '../../../testing/devices/virtio/blk/mock-driver.js';

const MiB = 1024 * 1024;
/** 2 TiB: above 32 segments of max_discard_sectors (2 GiB each) and every other limit. */
const DISK_BYTES = 2 ** 41;
const CAPACITY_SECTORS = DISK_BYTES / 512;
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function rig(): { dev: VirtioBlk; drv: MockDriver; disk: SparseDisk } {
  const disk = new SparseDisk(DISK_BYTES, false, pattern(MiB, 42));
  const dev = new VirtioBlk({ backend: disk });
  const drv = new MockDriver();
  dev.activate(drv.context(dev.features));
  return { dev, drv, disk };
}

/** Submit the requests `build` queues, run them, and check each got `status` and none reached the disk. */
async function expectStatus(
  status: number,
  build: (drv: MockDriver) => Submitted[],
): Promise<{ drv: MockDriver; dev: VirtioBlk; reqs: Submitted[] }> {
  const { dev, drv, disk } = rig();
  const reqs = build(drv);
  assert.doesNotThrow(() => dev.queueNotify(0));
  await settle();
  reqs.forEach((s, k) => assert.equal(drv.status(s), status, `request ${k}`));
  assert.deepEqual(disk.ops, [], 'no request reached the disk');
  assert.equal(drv.queue.used.length, reqs.length, 'every chain is returned');
  assert.deepEqual(drv.resets, []);
  return { drv, dev, reqs };
}

/** A header of `type` at `sector`, as raw bytes. */
function header(type: number, sector: bigint): Uint8Array {
  const h = new Uint8Array(16);
  const v = new DataView(h.buffer);
  v.setUint32(0, type, true);
  v.setBigUint64(8, sector, true);
  return h;
}

test('a header shorter than 16 bytes is IOERR', async () => {
  await expectStatus(VIRTIO_BLK_S_IOERR, (drv) => {
    const statusAddr = drv.alloc(1);
    const c = drv.chain(
      [drv.place(header(VIRTIO_BLK_T_IN, 0n).subarray(0, 15))],
      [{ addr: statusAddr, len: 1 }],
    );
    const noHeader = drv.alloc(1);
    const c2 = drv.chain([], [{ addr: noHeader, len: 1 }]);
    return [
      { head: c.head, statusAddr, inAddr: statusAddr, inLen: 0 },
      { head: c2.head, statusAddr: noHeader, inAddr: noHeader, inLen: 0 },
    ];
  });
});

test('a header split over several buffers is accepted', async () => {
  const { dev, drv } = rig();
  const h = header(VIRTIO_BLK_T_IN, 3n);
  const inAddr = drv.alloc(513);
  const c = drv.chain(
    [drv.place(h.subarray(0, 5)), drv.place(h.subarray(5, 12)), drv.place(h.subarray(12))],
    [{ addr: inAddr, len: 513 }],
  );
  dev.queueNotify(0);
  await settle();
  const s = { head: c.head, statusAddr: inAddr + 512, inAddr, inLen: 512 };
  assert.equal(drv.status(s), VIRTIO_BLK_S_OK);
  assert.deepEqual(drv.data(s), pattern(MiB, 42).subarray(3 * 512, 4 * 512));
});

test('a chain with no writable byte is returned with nothing written and nothing done', async () => {
  const { dev, drv, disk } = rig();
  const c = drv.chain([drv.place(header(VIRTIO_BLK_T_OUT, 0n)), drv.place(new Uint8Array(512))], []);
  const c2 = drv.chain([], []);
  dev.queueNotify(0);
  await settle();
  assert.deepEqual(drv.queue.used, [
    { head: c.head, len: 0 },
    { head: c2.head, len: 0 },
  ]);
  assert.deepEqual(disk.ops, []);
  assert.equal(dev.metrics.chainsWithoutStatus, 2);
});

test('IN/OUT data lengths that are not a multiple of 512 are IOERR; the IN data area is zeroed', async () => {
  const { drv, reqs } = await expectStatus(VIRTIO_BLK_S_IOERR, (d) => [
    d.request(VIRTIO_BLK_T_IN, 0, { inLen: 511 }),
    d.request(VIRTIO_BLK_T_IN, 0, { inLen: 513 }),
    d.request(VIRTIO_BLK_T_OUT, 0, { out: new Uint8Array(100) }),
    d.request(VIRTIO_BLK_T_OUT, 0, { out: new Uint8Array(1023) }),
  ]);
  assert.ok(drv.data(reqs[0]).every((b) => b === 0));
  assert.equal(drv.usedLen(reqs[0]), 512, 'data area and status byte written');
  assert.equal(drv.usedLen(reqs[2]), 1);
});

test('transfers beyond the capacity, or whose end overflows 64 bits, are IOERR', async () => {
  await expectStatus(VIRTIO_BLK_S_IOERR, (d) => [
    d.request(VIRTIO_BLK_T_IN, CAPACITY_SECTORS, { inLen: 512 }),
    d.request(VIRTIO_BLK_T_IN, CAPACITY_SECTORS - 1, { inLen: 1024 }),
    d.request(VIRTIO_BLK_T_OUT, CAPACITY_SECTORS - 1, { out: new Uint8Array(1024) }),
    d.request(VIRTIO_BLK_T_OUT, 2n ** 64n - 1n, { out: new Uint8Array(512) }),
    d.request(VIRTIO_BLK_T_IN, 2n ** 63n, { inLen: 512 }),
  ]);
});

test('the last sector and zero-length transfers at the end are accepted', async () => {
  const { dev, drv } = rig();
  const r = drv.request(VIRTIO_BLK_T_IN, CAPACITY_SECTORS - 1, { inLen: 512 });
  const z = drv.request(VIRTIO_BLK_T_IN, CAPACITY_SECTORS, { inLen: 0 });
  dev.queueNotify(0);
  await settle();
  assert.equal(drv.status(r), VIRTIO_BLK_S_OK);
  assert.equal(drv.status(z), VIRTIO_BLK_S_OK);
});

test('data in the wrong direction is IOERR (IN with readable data, OUT with writable data)', async () => {
  await expectStatus(VIRTIO_BLK_S_IOERR, (d) => [
    d.request(VIRTIO_BLK_T_IN, 0, { inLen: 512, out: new Uint8Array(512) }),
    d.request(VIRTIO_BLK_T_OUT, 0, { inLen: 512, out: new Uint8Array(512) }),
    d.request(VIRTIO_BLK_T_DISCARD, 0, { inLen: 16, out: segments({ sector: 0, numSectors: 1 }) }),
  ]);
});

test('GET_ID with a data area other than 20 writable bytes is IOERR', async () => {
  await expectStatus(VIRTIO_BLK_S_IOERR, (d) => [
    d.request(VIRTIO_BLK_T_GET_ID, 0, { inLen: 19 }),
    d.request(VIRTIO_BLK_T_GET_ID, 0, { inLen: 512 }),
    d.request(VIRTIO_BLK_T_GET_ID, 0, { inLen: 0 }),
  ]);
});

test('a request larger than seg_max * size_max is IOERR (buffers may alias one page)', async () => {
  const { dev, drv, disk } = rig();
  const page = drv.alloc(SIZE_MAX_BYTES);
  const segs = Array.from({ length: SEG_MAX + 1 }, () => ({ addr: page, len: SIZE_MAX_BYTES }));
  const inStatus = drv.alloc(1);
  const outStatus = drv.alloc(1);
  const r = drv.chain([drv.place(header(VIRTIO_BLK_T_IN, 0n))], [...segs, { addr: inStatus, len: 1 }]);
  const w = drv.chain([drv.place(header(VIRTIO_BLK_T_OUT, 0n)), ...segs], [{ addr: outStatus, len: 1 }]);
  // One sector less is the largest request: it is served.
  const ok = drv.chain(
    [drv.place(header(VIRTIO_BLK_T_OUT, 0n)), ...segs.slice(0, SEG_MAX)],
    [{ addr: drv.alloc(1), len: 1 }],
  );
  dev.queueNotify(0);
  await settle();
  assert.equal(
    drv.status({ head: r.head, statusAddr: inStatus, inAddr: page, inLen: 0 }),
    VIRTIO_BLK_S_IOERR,
  );
  assert.equal(
    drv.status({ head: w.head, statusAddr: outStatus, inAddr: page, inLen: 0 }),
    VIRTIO_BLK_S_IOERR,
  );
  assert.deepEqual(disk.ops, [{ kind: 'write', offset: 0, lenBytes: MAX_REQUEST_BYTES }]);
  assert.equal(drv.queue.used.length, 3);
  assert.equal(ok.head, drv.queue.used[2].head);
  assert.equal(dev.inFlight, 0);
});

test('buffers aliasing each other or the header do not confuse the device', async () => {
  const { dev, drv } = rig();
  // The IN data buffer is the header's own memory: the header is read before data is written.
  const buf = drv.place(concat(header(VIRTIO_BLK_T_IN, 1n), new Uint8Array(512 - 16)));
  const statusAddr = drv.alloc(1);
  const c = drv.chain([{ addr: buf.addr, len: 16 }], [buf, { addr: statusAddr, len: 1 }]);
  dev.queueNotify(0);
  await settle();
  assert.equal(drv.status({ head: c.head, statusAddr, inAddr: buf.addr, inLen: 512 }), VIRTIO_BLK_S_OK);
  assert.deepEqual(drv.mem.slice(buf.addr, 512), pattern(MiB, 42).subarray(512, 1024));
});

test('discard/write-zeroes segment lists: empty, ragged, too many, too long or out of range are IOERR', async () => {
  const seg = (sector: number | bigint, numSectors: number): Uint8Array => segments({ sector, numSectors });
  const many = segments(
    ...Array.from({ length: MAX_DISCARD_SEG + 1 }, (_, k) => ({ sector: k, numSectors: 1 })),
  );
  await expectStatus(VIRTIO_BLK_S_IOERR, (d) => [
    d.request(VIRTIO_BLK_T_DISCARD, 0, {}),
    d.request(VIRTIO_BLK_T_DISCARD, 0, { out: seg(0, 1).subarray(0, 12) }),
    d.request(VIRTIO_BLK_T_DISCARD, 0, { out: concat(seg(0, 1), new Uint8Array(8)) }),
    d.request(VIRTIO_BLK_T_DISCARD, 0, { out: many }),
    d.request(VIRTIO_BLK_T_WRITE_ZEROES, 0, {
      out: segments(
        ...Array.from({ length: MAX_WRITE_ZEROES_SEG + 1 }, (_, k) => ({ sector: k, numSectors: 1 })),
      ),
    }),
    d.request(VIRTIO_BLK_T_DISCARD, 0, { out: seg(0, MAX_DISCARD_SECTORS + 1) }),
    d.request(VIRTIO_BLK_T_WRITE_ZEROES, 0, { out: seg(0, MAX_WRITE_ZEROES_SECTORS + 1) }),
    d.request(VIRTIO_BLK_T_WRITE_ZEROES, 0, { out: seg(CAPACITY_SECTORS - 1, 2) }),
    d.request(VIRTIO_BLK_T_WRITE_ZEROES, 0, { out: concat(seg(0, 1), seg(2n ** 64n - 1n, 1)) }),
  ]);
});

test('the largest discard and write-zeroes the device advertises reach the disk', async () => {
  const { dev, drv, disk } = rig();
  const full = (numSectors: number, count: number): Uint8Array =>
    segments(...Array.from({ length: count }, (_, k) => ({ sector: k * numSectors, numSectors })));
  const d = drv.request(VIRTIO_BLK_T_DISCARD, 0, { out: full(MAX_DISCARD_SECTORS, MAX_DISCARD_SEG) });
  const z = drv.request(VIRTIO_BLK_T_WRITE_ZEROES, 0, {
    out: full(MAX_WRITE_ZEROES_SECTORS, MAX_WRITE_ZEROES_SEG),
  });
  const end = drv.request(VIRTIO_BLK_T_WRITE_ZEROES, 0, {
    out: segments({ sector: CAPACITY_SECTORS - 1, numSectors: 1 }),
  });
  dev.queueNotify(0);
  await settle();
  for (const s of [d, z, end]) assert.equal(drv.status(s), VIRTIO_BLK_S_OK);
  assert.equal(disk.ops.length, MAX_DISCARD_SEG + MAX_WRITE_ZEROES_SEG + 1);
  assert.equal(disk.ops[0].lenBytes, MAX_DISCARD_SECTORS * 512);
  assert.ok(disk.ops.some((o) => o.kind === 'writeZeroes' && o.offset === DISK_BYTES - 512));
});

test('an oversized segment list is refused before it is copied (it may alias one page)', async () => {
  const { dev, drv, disk } = rig();
  const page = drv.alloc(SIZE_MAX_BYTES);
  const statusAddr = drv.alloc(1);
  // 1024 buffers of 64 KiB over one page: a 64 MiB "segment list" in 64 KiB of guest RAM.
  const list = Array.from({ length: 1024 }, () => ({ addr: page, len: SIZE_MAX_BYTES }));
  const c = drv.chain([drv.place(header(VIRTIO_BLK_T_DISCARD, 0n)), ...list], [{ addr: statusAddr, len: 1 }]);
  const before = await liveArrayBufferBytes();
  dev.queueNotify(0);
  // Measured before any collection could hide a copy made while parsing.
  assert.ok(arrayBufferBytesNow() - before < 4 * MiB, 'the list was not copied');
  await settle();
  assert.equal(drv.status({ head: c.head, statusAddr, inAddr: page, inLen: 0 }), VIRTIO_BLK_S_IOERR);
  assert.deepEqual(disk.ops, []);
});

test('unknown segment flags, and unmap on a discard, are UNSUPP (section 5.2.6.2)', async () => {
  await expectStatus(VIRTIO_BLK_S_UNSUPP, (d) => [
    d.request(VIRTIO_BLK_T_DISCARD, 0, { out: segments({ sector: 0, numSectors: 1, flags: 2 }) }),
    d.request(VIRTIO_BLK_T_DISCARD, 0, {
      out: segments({ sector: 0, numSectors: 1, flags: VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP }),
    }),
    d.request(VIRTIO_BLK_T_WRITE_ZEROES, 0, {
      out: segments({ sector: 0, numSectors: 1, flags: 0x8000_0000 }),
    }),
    // UNSUPP wins over a range error in another segment.
    d.request(VIRTIO_BLK_T_WRITE_ZEROES, 0, {
      out: segments({ sector: 1e9, numSectors: 1 }, { sector: 0, numSectors: 1, flags: 4 }),
    }),
  ]);
});

test('FLUSH tolerates a non-zero sector and stray data (driver SHOULD NOT, device need not care)', async () => {
  const { dev, drv } = rig();
  const f = drv.request(VIRTIO_BLK_T_FLUSH, 99, { out: new Uint8Array(8) });
  dev.queueNotify(0);
  await settle();
  assert.equal(drv.status(f), VIRTIO_BLK_S_OK);
});

test('a flood of malformed requests never throws and every chain comes back', async () => {
  const { dev, drv, disk } = rig();
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let k = 0; k < 500; k++) {
    const bytes = new Uint8Array(rnd(64));
    for (let i = 0; i < bytes.length; i++) bytes[i] = rnd(256);
    // Give half of them a real request type, so parsing goes past the type check.
    if (bytes.length >= 16 && rnd(2) === 0) bytes[0] = [0, 1, 4, 8, 11, 13][rnd(6)];
    const readable = bytes.length > 0 ? [drv.place(bytes)] : [];
    const n = 1 + rnd(40);
    const w = rnd(3) === 0 ? [] : [{ addr: drv.alloc(n), len: n }];
    drv.chain(readable, w);
    if (drv.queue.avail.length >= 32) dev.queueNotify(0);
  }
  dev.queueNotify(0);
  await settle();
  assert.equal(drv.queue.used.length, 500);
  assert.ok(drv.queue.used.every((u) => u.len >= 0));
  // Random OUT requests carry fewer than 512 bytes of data, so none may change the disk.
  assert.deepEqual(
    disk.ops.filter((o) => o.kind !== 'read' && o.kind !== 'flush'),
    [],
  );
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
