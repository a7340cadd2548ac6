// virtio-entropy (virtio 1.2 §5.4) behind virtio-mmio, driven by a mock driver: filling writable
// buffers, the used length, the per-request cap, hostile chains and a mid-operation snapshot.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostEntropySource, type EntropySource } from '../../../backends/entropy.js';
import { GuestMemory } from '../../../memory/guest-memory.js';
import { MockMmioDriver, RecordingIrq } from '../../../testing/devices/virtio/mock-driver.js';
import {
  VIRTIO_MMIO_CONFIG,
  VIRTIO_MMIO_DEVICE_ID,
  VIRTIO_MMIO_INT_USED_BUFFER,
  VIRTIO_STATUS_DEVICE_NEEDS_RESET,
  VirtioMmio,
} from '../mmio.js';
import { arrayBufferBytesNow } from '../../../testing/devices/virtio/memory-probe.js';
import { VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE } from '../queue.js';
import { VIRTIO_F_EVENT_IDX, VIRTIO_F_INDIRECT_DESC, VIRTIO_F_VERSION_1, VIRTIO_ID_RNG } from '../types.js';
import { VIRTIO_RNG_MAX_REQUEST_BYTES, VirtioRng } from './device.js';

const BASE = 0x8000_0000;
const RAM = 512 * 1024;
const F_VERSION_1 = 1n << VIRTIO_F_VERSION_1;

/** Deterministic "entropy": 1, 2, 3, ... (mod 256), counting calls and bytes. */
class CountingSource implements EntropySource {
  next = 1;
  calls = 0;
  bytes = 0;
  fill(buf: Uint8Array): void {
    this.calls++;
    this.bytes += buf.length;
    for (let i = 0; i < buf.length; i++) buf[i] = this.next++ & 0xff;
  }
}

function setup(mem = new GuestMemory(BASE, RAM)) {
  const source = new CountingSource();
  const rng = new VirtioRng(source);
  const irq = new RecordingIrq();
  const mmio = new VirtioMmio(rng, mem, irq);
  const drv = new MockMmioDriver(mmio, mem);
  return { mem, source, rng, irq, mmio, drv };
}

test('device ID 4, no config space', () => {
  const { drv, mmio } = setup();
  assert.equal(drv.r(VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_RNG);
  assert.equal(mmio.read(VIRTIO_MMIO_CONFIG, 4), 0);
  const rng = new VirtioRng(new CountingSource());
  assert.equal(rng.writeConfig(), false);
  assert.equal(rng.features, 0n);
});

test('every writable buffer of a request is filled and the used length counts the bytes', () => {
  const { drv, irq, source } = setup();
  const [q] = drv.init(F_VERSION_1, 1);
  const head = q.add([
    { len: 5, write: true },
    { len: 3, write: true },
  ]);
  drv.notify(0);
  assert.deepEqual(q.takeUsed(), [{ id: head, len: 8 }]);
  assert.deepEqual([...q.bufferBytes(head, 0)], [1, 2, 3, 4, 5]);
  assert.deepEqual([...q.bufferBytes(head, 1)], [6, 7, 8]);
  assert.equal(source.calls, 1);
  assert.equal(irq.level, true);
  assert.equal(drv.handleInterrupt(), VIRTIO_MMIO_INT_USED_BUFFER);
});

test('several requests in one notification: all served, one interrupt', () => {
  const { drv, irq } = setup();
  const [q] = drv.init(F_VERSION_1 | (1n << VIRTIO_F_INDIRECT_DESC), 1);
  const heads = [q.add([{ len: 4, write: true }]), q.add([{ len: 4, write: true }], { indirect: true })];
  drv.notify(0);
  assert.deepEqual(
    q.takeUsed().map((u) => [u.id, u.len]),
    heads.map((h) => [h, 4]),
  );
  assert.equal(irq.rises, 1);
});

test('requests are capped at 64 KiB; readable buffers are ignored; empty requests get length 0', () => {
  const { drv, mem } = setup();
  const [q] = drv.init(F_VERSION_1, 1);
  const big = q.add([{ len: VIRTIO_RNG_MAX_REQUEST_BYTES + 100, write: true }]);
  const mixed = q.add([{ data: Uint8Array.from([0xee, 0xee]) }, { len: 2, write: true }]);
  const readOnly = q.add([{ data: Uint8Array.from([0xdd]) }]);
  drv.notify(0);
  assert.deepEqual(q.takeUsed(), [
    { id: big, len: VIRTIO_RNG_MAX_REQUEST_BYTES },
    { id: mixed, len: 2 },
    { id: readOnly, len: 0 },
  ]);
  const bigAddr = q.buffers.get(big)?.[0].addr ?? 0;
  assert.equal(mem.bytes[bigAddr - BASE + VIRTIO_RNG_MAX_REQUEST_BYTES], 0, 'nothing past the cap');
  assert.deepEqual([...q.bufferBytes(mixed, 0)], [0xee, 0xee], 'readable buffer untouched');
  assert.deepEqual([...q.bufferBytes(readOnly, 0)], [0xdd]);
});

test('requests describing 16 MiB over one region: 64 KiB each, host memory stays flat', () => {
  const { drv, mem, rng, source } = setup();
  const [q] = drv.init(F_VERSION_1 | (1n << VIRTIO_F_INDIRECT_DESC), 1);
  const region = drv.alloc.alloc(256 * 1024, 16);
  for (let slot = 0; slot < 4; slot++) {
    const table = drv.alloc.alloc(16 * 64, 16);
    for (let k = 0; k < 64; k++) {
      q.writeDesc(k, region, 256 * 1024, VIRTQ_DESC_F_WRITE | (k < 63 ? VIRTQ_DESC_F_NEXT : 0), k + 1, table);
    }
    q.writeDesc(slot, table, 16 * 64, VIRTQ_DESC_F_INDIRECT, 0);
    q.publish(slot);
  }
  const before = arrayBufferBytesNow();
  drv.notify(0);
  assert.ok(arrayBufferBytesNow() - before < 1024 * 1024, 'no buffer the size of a request');
  assert.ok(rng.scratchBytes <= VIRTIO_RNG_MAX_REQUEST_BYTES);
  assert.deepEqual(
    q.takeUsed().map((u) => u.len),
    [0, 1, 2, 3].map(() => VIRTIO_RNG_MAX_REQUEST_BYTES),
  );
  assert.equal(source.bytes, 4 * VIRTIO_RNG_MAX_REQUEST_BYTES);
  assert.equal(mem.bytes[region - BASE + VIRTIO_RNG_MAX_REQUEST_BYTES], 0, 'nothing past the cap');
});

test('hostile requests: DEVICE_NEEDS_RESET, no entropy drawn, nothing thrown', () => {
  const cases: [string, (q: ReturnType<MockMmioDriver['init']>[0]) => void][] = [
    ['buffer outside RAM', (q) => (q.writeDesc(0, BASE + RAM - 2, 4, VIRTQ_DESC_F_WRITE, 0), q.publish(0))],
    [
      'descriptor loop',
      (q) => (q.writeDesc(0, BASE, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0), q.publish(0)),
    ],
    ['head out of range', (q) => q.publish(4096)],
    ['avail idx jump', (q) => q.setAvailIdx(1000)],
    ['indirect not negotiated', (q) => (q.writeDesc(0, BASE, 16, VIRTQ_DESC_F_INDIRECT, 0), q.publish(0))],
  ];
  for (const [name, spoil] of cases) {
    const { drv, source, mmio } = setup();
    const [q] = drv.init(F_VERSION_1, 1);
    spoil(q);
    assert.doesNotThrow(() => drv.notify(0), name);
    assert.equal(drv.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET, VIRTIO_STATUS_DEVICE_NEEDS_RESET, name);
    assert.ok(mmio.lastError, name);
    assert.equal(source.calls, 0, name);
    assert.equal(q.usedIdx(), 0, name);
  }
});

test('snapshot mid-operation: requests published before the snapshot are served after restore', () => {
  const a = setup();
  const [q] = a.drv.init(F_VERSION_1 | (1n << VIRTIO_F_EVENT_IDX), 1);
  q.add([{ len: 2, write: true }]);
  a.drv.notify(0);
  assert.equal(q.takeUsed().length, 1);
  // In flight: two requests in the available ring, the notification not yet delivered.
  const h1 = q.add([{ len: 3, write: true }]);
  const h2 = q.add([{ len: 1, write: true }]);
  const transport = JSON.parse(JSON.stringify(a.mmio.save()));
  const device = JSON.parse(JSON.stringify(a.rng.save()));

  const mem = new GuestMemory(BASE, RAM);
  mem.bytes.set(a.mem.bytes);
  const b = setup(mem);
  b.mmio.restore(transport);
  b.rng.restore(device);
  b.drv.notify(0);
  const used = new DataView(mem.bytes.buffer, q.used - BASE);
  assert.equal(used.getUint16(2, true), 3, 'used idx continues');
  assert.deepEqual(
    [used.getUint32(4 + 8, true), used.getUint32(4 + 8 + 4, true), used.getUint32(4 + 16, true)],
    [h1, 3, h2],
  );
  assert.equal(b.source.bytes, 4);
  assert.throws(() => b.rng.restore({ version: 9 } as never), /version/);
});

test('HostEntropySource fills buffers from the host CSPRNG', () => {
  const src = new HostEntropySource();
  const a = new Uint8Array(64);
  const b = new Uint8Array(64);
  src.fill(a);
  src.fill(b);
  assert.notDeepEqual(a, b);
  assert.ok(a.some((x) => x !== 0));
  const shared = new Uint8Array(new SharedArrayBuffer(32)).subarray(8, 24);
  src.fill(shared);
  assert.ok(
    shared.some((x) => x !== 0),
    'works on shared guest RAM too',
  );
});
