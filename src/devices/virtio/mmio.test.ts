// virtio-mmio version 2 (virtio 1.2 §4.2): the register file, the initialization sequence of
// §3.1.1 and §4.2.3 driven as a driver would, feature negotiation, the status state machine,
// queue configuration checks, interrupts, the config space and snapshots.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GuestMemory } from '../../memory/guest-memory.js';
import { MockMmioDriver, RecordingIrq } from '../../testing/devices/virtio/mock-driver.js';
import {
  TSVIRT_VIRTIO_VENDOR_ID,
  VIRTIO_MMIO_CONFIG,
  VIRTIO_MMIO_CONFIG_GENERATION,
  VIRTIO_MMIO_DEVICE_FEATURES,
  VIRTIO_MMIO_DEVICE_FEATURES_SEL,
  VIRTIO_MMIO_DEVICE_ID,
  VIRTIO_MMIO_DRIVER_FEATURES,
  VIRTIO_MMIO_DRIVER_FEATURES_SEL,
  VIRTIO_MMIO_INTERRUPT_ACK,
  VIRTIO_MMIO_INTERRUPT_STATUS,
  VIRTIO_MMIO_INT_CONFIG,
  VIRTIO_MMIO_INT_USED_BUFFER,
  VIRTIO_MMIO_MAGIC,
  VIRTIO_MMIO_MAGIC_VALUE,
  VIRTIO_MMIO_QUEUE_DESC_HIGH,
  VIRTIO_MMIO_QUEUE_DESC_LOW,
  VIRTIO_MMIO_QUEUE_NUM,
  VIRTIO_MMIO_QUEUE_NUM_MAX,
  VIRTIO_MMIO_QUEUE_READY,
  VIRTIO_MMIO_QUEUE_SEL,
  VIRTIO_MMIO_SHM_LEN_HIGH,
  VIRTIO_MMIO_SHM_LEN_LOW,
  VIRTIO_MMIO_STATUS,
  VIRTIO_MMIO_VENDOR_ID,
  VIRTIO_MMIO_VERSION,
  VIRTIO_STATUS_ACKNOWLEDGE,
  VIRTIO_STATUS_DEVICE_NEEDS_RESET,
  VIRTIO_STATUS_DRIVER,
  VIRTIO_STATUS_DRIVER_OK,
  VIRTIO_STATUS_FAILED,
  VIRTIO_STATUS_FEATURES_OK,
  VirtioMmio,
} from './mmio.js';
import {
  VIRTIO_F_EVENT_IDX,
  VIRTIO_F_INDIRECT_DESC,
  VIRTIO_F_VERSION_1,
  type VirtioContext,
  type VirtioDevice,
} from './types.js';

const BASE = 0x8000_0000;
const F_VERSION_1 = 1n << VIRTIO_F_VERSION_1;
const F_INDIRECT = 1n << VIRTIO_F_INDIRECT_DESC;
const F_EVENT_IDX = 1n << VIRTIO_F_EVENT_IDX;
const F_DEVICE_A = 1n << 3n;
const ACK = VIRTIO_STATUS_ACKNOWLEDGE;
const DRIVER = VIRTIO_STATUS_DRIVER;
const FEATURES_OK = VIRTIO_STATUS_FEATURES_OK;
const DRIVER_OK = VIRTIO_STATUS_DRIVER_OK;
const NEEDS_RESET = VIRTIO_STATUS_DEVICE_NEEDS_RESET;

/** A device that echoes each chain's readable bytes into its writable buffers, with 8 config bytes. */
class EchoDevice implements VirtioDevice {
  readonly deviceId = 42;
  readonly queueMaxSizes = [16, 8];
  readonly features = F_DEVICE_A;
  ctx: VirtioContext | undefined;
  notified: number[] = [];
  resets = 0;
  config = new Uint8Array(8);

  readConfig(offset: number, size: number): number {
    if (offset < 0 || offset + size > 8) return 0;
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + this.config[offset + i];
    return v;
  }
  writeConfig(offset: number, size: number, value: number): boolean {
    if (offset < 4 || offset + size > 8) return false; // bytes 0-3 read-only
    for (let i = 0; i < size; i++) this.config[offset + i] = (value >>> (8 * i)) & 0xff;
    return true;
  }
  activate(ctx: VirtioContext): void {
    this.ctx = ctx;
  }
  queueNotify(index: number): void {
    this.notified.push(index);
    const q = this.ctx?.queues[index];
    if (q === undefined || this.ctx === undefined) return;
    for (let c = q.pop(); c !== undefined; c = q.pop()) {
      let n = 0;
      const data: number[] = [];
      for (const b of c.readable) data.push(...this.ctx.mem.slice(b.addr, b.len));
      for (const b of c.writable) {
        const piece = data.slice(n, n + b.len);
        this.ctx.mem.write(b.addr, Uint8Array.from(piece));
        n += piece.length;
      }
      q.push(c, n);
    }
    q.notify();
  }
  reset(): void {
    this.ctx = undefined;
    this.resets++;
  }
}

/** The device's context; fails the test when it has not been activated. */
function activeContext(dev: EchoDevice): VirtioContext {
  assert.ok(dev.ctx, 'device not active');
  return dev.ctx;
}

function setup(): {
  dev: EchoDevice;
  mmio: VirtioMmio;
  drv: MockMmioDriver;
  irq: RecordingIrq;
  mem: GuestMemory;
} {
  const mem = new GuestMemory(BASE, 256 * 1024);
  const dev = new EchoDevice();
  const irq = new RecordingIrq();
  const mmio = new VirtioMmio(dev, mem, irq);
  return { dev, mmio, drv: new MockMmioDriver(mmio, mem), irq, mem };
}

test('identification registers (§4.2.2)', () => {
  const { drv } = setup();
  assert.equal(drv.r(VIRTIO_MMIO_MAGIC_VALUE), VIRTIO_MMIO_MAGIC);
  assert.equal(drv.r(VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
  assert.equal(drv.r(VIRTIO_MMIO_VERSION), 2);
  assert.equal(drv.r(VIRTIO_MMIO_DEVICE_ID), 42);
  assert.equal(drv.r(VIRTIO_MMIO_VENDOR_ID), TSVIRT_VIRTIO_VENDOR_ID);
  assert.equal(drv.r(VIRTIO_MMIO_STATUS), 0);
  // No shared memory regions: length reads as -1.
  assert.equal(drv.r(VIRTIO_MMIO_SHM_LEN_LOW), 0xffffffff);
  assert.equal(drv.r(VIRTIO_MMIO_SHM_LEN_HIGH), 0xffffffff);
});

test('control registers answer only aligned 32-bit accesses; write-only registers read 0', () => {
  const { mmio } = setup();
  assert.equal(mmio.read(VIRTIO_MMIO_MAGIC_VALUE, 2), 0);
  assert.equal(mmio.read(VIRTIO_MMIO_MAGIC_VALUE, 1), 0);
  assert.equal(mmio.read(VIRTIO_MMIO_MAGIC_VALUE + 1, 4), 0);
  assert.equal(mmio.read(0x0e8, 4), 0, 'a hole in the register map');
  assert.equal(mmio.read(VIRTIO_MMIO_QUEUE_NUM, 4), 0);
  mmio.write(VIRTIO_MMIO_STATUS, 1, ACK);
  assert.equal(mmio.read(VIRTIO_MMIO_STATUS, 4), 0, 'a byte write to Status is ignored');
  mmio.write(VIRTIO_MMIO_MAGIC_VALUE, 4, 0);
  assert.equal(mmio.read(VIRTIO_MMIO_MAGIC_VALUE, 4), VIRTIO_MMIO_MAGIC);
});

test('DeviceFeatures words include VERSION_1, INDIRECT_DESC and EVENT_IDX', () => {
  const { drv } = setup();
  assert.equal(drv.deviceFeatures(), F_DEVICE_A | F_VERSION_1 | F_INDIRECT | F_EVENT_IDX);
  drv.w(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
  assert.equal(drv.r(VIRTIO_MMIO_DEVICE_FEATURES), 1, 'bit 32 is bit 0 of word 1');
  drv.w(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 7);
  assert.equal(drv.r(VIRTIO_MMIO_DEVICE_FEATURES), 0);
  drv.w(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0xffffffff);
  assert.equal(drv.r(VIRTIO_MMIO_DEVICE_FEATURES), 0);
});

test('FEATURES_OK needs VERSION_1 and a subset of the offer (§2.2.2, §6.1)', () => {
  const { drv, mmio } = setup();
  assert.equal(drv.negotiate(F_VERSION_1 | F_DEVICE_A), true);
  assert.equal(drv.negotiate(F_DEVICE_A), false, 'no VERSION_1');
  assert.equal(drv.status, ACK | DRIVER, 'FEATURES_OK not set');
  // A bit the device did not offer.
  drv.w(VIRTIO_MMIO_STATUS, 0);
  drv.w(VIRTIO_MMIO_STATUS, ACK | DRIVER);
  drv.writeDriverFeatures(F_VERSION_1 | (1n << 5n));
  drv.w(VIRTIO_MMIO_STATUS, ACK | DRIVER | FEATURES_OK);
  assert.equal(drv.status & FEATURES_OK, 0);
  // A bit beyond the 128 defined ones.
  drv.w(VIRTIO_MMIO_STATUS, 0);
  drv.w(VIRTIO_MMIO_STATUS, ACK | DRIVER);
  drv.writeDriverFeatures(F_VERSION_1);
  drv.w(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 9);
  drv.w(VIRTIO_MMIO_DRIVER_FEATURES, 1);
  drv.w(VIRTIO_MMIO_STATUS, ACK | DRIVER | FEATURES_OK);
  assert.equal(drv.status & FEATURES_OK, 0);
  // After FEATURES_OK, feature writes are dropped.
  assert.equal(drv.negotiate(F_VERSION_1), true);
  drv.writeDriverFeatures(F_VERSION_1 | F_DEVICE_A | F_EVENT_IDX);
  assert.equal(mmio.save().driverFeatures, F_VERSION_1.toString(16));
});

test('status only moves forward, one step at a time (§2.1, §3.1.1)', () => {
  const { drv, dev } = setup();
  drv.w(VIRTIO_MMIO_STATUS, DRIVER);
  assert.equal(drv.status, 0, 'DRIVER needs ACKNOWLEDGE');
  drv.w(VIRTIO_MMIO_STATUS, ACK | DRIVER);
  assert.equal(drv.status, ACK | DRIVER, 'both in one write');
  drv.w(VIRTIO_MMIO_STATUS, ACK | DRIVER | DRIVER_OK);
  assert.equal(drv.status, ACK | DRIVER, 'DRIVER_OK needs FEATURES_OK');
  assert.equal(dev.ctx, undefined);
  drv.writeDriverFeatures(F_VERSION_1);
  drv.w(VIRTIO_MMIO_STATUS, ACK | DRIVER | FEATURES_OK);
  drv.w(VIRTIO_MMIO_STATUS, ACK);
  assert.equal(drv.status, ACK | DRIVER | FEATURES_OK, 'a driver cannot clear bits');
  drv.w(VIRTIO_MMIO_STATUS, ACK | DRIVER | FEATURES_OK | NEEDS_RESET);
  assert.equal(drv.status & NEEDS_RESET, 0, 'DEVICE_NEEDS_RESET is the device’s');
  drv.w(VIRTIO_MMIO_STATUS, ACK | DRIVER | FEATURES_OK | DRIVER_OK);
  assert.equal(activeContext(dev).features, F_VERSION_1, 'activated at DRIVER_OK');
  drv.w(VIRTIO_MMIO_STATUS, drv.status | VIRTIO_STATUS_FAILED);
  assert.equal(drv.status & VIRTIO_STATUS_FAILED, VIRTIO_STATUS_FAILED);
});

test('the full driver sequence moves data through a queue and interrupts (§3.1.1, §4.2.3)', () => {
  const { drv, irq, dev } = setup();
  const [q0] = drv.init(F_VERSION_1 | F_INDIRECT, 2);
  assert.equal(drv.status, ACK | DRIVER | FEATURES_OK | DRIVER_OK);
  const head = q0.add([{ data: Uint8Array.from([9, 8, 7]) }, { len: 4, write: true }]);
  drv.notify(0);
  assert.deepEqual(dev.notified, [0]);
  assert.deepEqual(q0.takeUsed(), [{ id: head, len: 3 }]);
  assert.deepEqual([...q0.bufferBytes(head, 1, 3)], [9, 8, 7]);
  assert.equal(irq.level, true);
  assert.equal(drv.handleInterrupt(), VIRTIO_MMIO_INT_USED_BUFFER);
  assert.equal(irq.level, false);
  // Indirect chains work once INDIRECT_DESC is negotiated.
  const h2 = q0.add([{ data: Uint8Array.from([1]) }, { len: 1, write: true }], { indirect: true });
  drv.notify(0);
  assert.deepEqual(q0.takeUsed(), [{ id: h2, len: 1 }]);
});

test('queue registers: QueueNumMax, QueueReady read-back, absent queues', () => {
  const { drv } = setup();
  drv.negotiate(F_VERSION_1);
  drv.w(VIRTIO_MMIO_QUEUE_SEL, 1);
  assert.equal(drv.r(VIRTIO_MMIO_QUEUE_NUM_MAX), 8);
  drv.w(VIRTIO_MMIO_QUEUE_SEL, 2);
  assert.equal(drv.r(VIRTIO_MMIO_QUEUE_NUM_MAX), 0, 'queue 2 does not exist');
  drv.w(VIRTIO_MMIO_QUEUE_READY, 1);
  assert.equal(drv.r(VIRTIO_MMIO_QUEUE_READY), 0);
  const q = drv.setupQueue(1, 4);
  assert.equal(drv.r(VIRTIO_MMIO_QUEUE_READY), 1);
  // While ready, the size and addresses are frozen.
  drv.w(VIRTIO_MMIO_QUEUE_NUM, 8);
  drv.w(VIRTIO_MMIO_QUEUE_DESC_LOW, 0);
  assert.equal(drv.r(VIRTIO_MMIO_STATUS) & NEEDS_RESET, 0);
  drv.w(VIRTIO_MMIO_QUEUE_READY, 0);
  assert.equal(drv.r(VIRTIO_MMIO_QUEUE_READY), 0, 'stopping a queue reads back 0');
  assert.ok(q);
});

test('bad queue sizes and layouts are refused with DEVICE_NEEDS_RESET (§2.7, §4.2.2.2)', () => {
  const bad: [string, (drv: MockMmioDriver) => void][] = [
    ['size 0', (d) => d.w(VIRTIO_MMIO_QUEUE_NUM, 0)],
    ['size 12', (d) => d.w(VIRTIO_MMIO_QUEUE_NUM, 12)],
    ['size above QueueNumMax', (d) => d.w(VIRTIO_MMIO_QUEUE_NUM, 32)],
    ['misaligned descriptor area', (d) => d.w(VIRTIO_MMIO_QUEUE_DESC_LOW, BASE + 8)],
    ['descriptor area outside RAM', (d) => d.w(VIRTIO_MMIO_QUEUE_DESC_HIGH, 1)],
  ];
  for (const [name, spoil] of bad) {
    const { drv, mmio } = setup();
    drv.negotiate(F_VERSION_1);
    drv.w(VIRTIO_MMIO_QUEUE_SEL, 0);
    drv.w(VIRTIO_MMIO_QUEUE_NUM, 16);
    drv.w(VIRTIO_MMIO_QUEUE_DESC_LOW, BASE + 0x1000);
    drv.w(VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
    drv.w(0x090, BASE + 0x2000);
    drv.w(0x0a0, BASE + 0x3000);
    spoil(drv);
    drv.w(VIRTIO_MMIO_QUEUE_READY, 1);
    assert.equal(drv.r(VIRTIO_MMIO_QUEUE_READY), 0, name);
    assert.equal(drv.status & NEEDS_RESET, NEEDS_RESET, name);
    assert.ok(mmio.lastError, name);
    // Not yet DRIVER_OK: no configuration change notification.
    assert.equal(drv.r(VIRTIO_MMIO_INTERRUPT_STATUS), 0, name);
    // The driver goes on regardless: at DRIVER_OK it gets the notification (§2.1.2).
    drv.w(VIRTIO_MMIO_STATUS, drv.status | DRIVER_OK);
    assert.equal(drv.r(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_CONFIG, name);
  }
});

test('notifications before DRIVER_OK, to absent or disabled queues, or after an error are ignored', () => {
  const { drv, dev, mmio } = setup();
  drv.negotiate(F_VERSION_1);
  const q = drv.setupQueue(0);
  q.add([{ len: 1, write: true }]);
  drv.notify(0);
  assert.deepEqual(dev.notified, [], 'before DRIVER_OK');
  assert.equal(q.usedIdx(), 0);
  drv.w(VIRTIO_MMIO_STATUS, drv.status | DRIVER_OK);
  drv.notify(1);
  drv.notify(7);
  drv.notify(0x10000);
  assert.deepEqual(dev.notified, [0], 'queue 1 not ready, 7 absent; 0x10000 is queue 0 in 16 bits');
  mmio.needsReset('test');
  drv.notify(0);
  assert.deepEqual(dev.notified, [0]);
});

test('a malformed chain sets DEVICE_NEEDS_RESET and sends a config change notification', () => {
  const { drv, irq, mmio } = setup();
  const [q0] = drv.init(F_VERSION_1, 1);
  q0.writeDesc(0, BASE - 4096, 16, 0, 0);
  q0.publish(0);
  drv.notify(0);
  assert.equal(drv.status & NEEDS_RESET, NEEDS_RESET);
  assert.match(mmio.lastError ?? '', /outside guest RAM/);
  assert.equal(irq.level, true);
  assert.equal(drv.handleInterrupt(), VIRTIO_MMIO_INT_CONFIG);
  // Recovery: reset and initialize again.
  drv.w(VIRTIO_MMIO_STATUS, 0);
  assert.equal(drv.status, 0);
  const [again] = drv.init(F_VERSION_1, 1);
  const h = again.add([{ data: Uint8Array.from([5]) }, { len: 1, write: true }]);
  drv.notify(0);
  assert.deepEqual(again.takeUsed(), [{ id: h, len: 1 }]);
});

test('reset (Status = 0) clears status, features, queues, interrupts, and resets the device', () => {
  const { drv, dev, irq, mmio } = setup();
  const [q0] = drv.init(F_VERSION_1 | F_EVENT_IDX, 2);
  q0.add([{ len: 1 }, { len: 1, write: true }]);
  drv.notify(0);
  assert.equal(irq.level, true);
  const staleCtx = dev.ctx;
  assert.ok(staleCtx);
  const resetsBefore = dev.resets;
  drv.w(VIRTIO_MMIO_STATUS, 0);
  assert.equal(drv.status, 0);
  assert.equal(irq.level, false);
  assert.equal(drv.r(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
  assert.equal(dev.resets, resetsBefore + 1);
  for (const i of [0, 1]) {
    drv.w(VIRTIO_MMIO_QUEUE_SEL, i);
    assert.equal(drv.r(VIRTIO_MMIO_QUEUE_READY), 0);
  }
  const s = mmio.save();
  assert.equal(s.driverFeatures, '0');
  assert.equal(s.queues[0].descAddr, 0);
  // A context from before the reset can no longer reach the transport.
  staleCtx.needsReset('late');
  staleCtx.configChanged();
  assert.equal(drv.status, 0);
  assert.equal(irq.level, false);
});

test('config space: pass-through at 0x100, refused writes dropped, generation counter', () => {
  const { drv, dev, mmio, irq } = setup();
  dev.config.set([1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(mmio.read(VIRTIO_MMIO_CONFIG, 4), 0x04030201);
  assert.equal(mmio.read(VIRTIO_MMIO_CONFIG + 6, 2), 0x0807);
  assert.equal(mmio.read(VIRTIO_MMIO_CONFIG + 3, 1), 4);
  assert.equal(mmio.read(VIRTIO_MMIO_CONFIG + 8, 4), 0, 'beyond the config space');
  mmio.write(VIRTIO_MMIO_CONFIG, 4, 0xffffffff);
  mmio.write(VIRTIO_MMIO_CONFIG + 0x40, 4, 0xffffffff);
  assert.deepEqual([...dev.config], [1, 2, 3, 4, 5, 6, 7, 8]);
  mmio.write(VIRTIO_MMIO_CONFIG + 4, 2, 0xbbaa);
  assert.deepEqual([...dev.config.subarray(4)], [0xaa, 0xbb, 7, 8]);

  const gen0 = drv.r(VIRTIO_MMIO_CONFIG_GENERATION);
  drv.init(F_VERSION_1, 0);
  dev.ctx?.configChanged();
  assert.equal(drv.r(VIRTIO_MMIO_CONFIG_GENERATION), gen0 + 1);
  assert.equal(irq.level, true);
  assert.equal(drv.r(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_CONFIG);
  drv.w(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_USED_BUFFER);
  assert.equal(irq.level, true, 'acknowledging another bit leaves the interrupt up');
  drv.w(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_CONFIG);
  assert.equal(irq.level, false);
});

test('snapshot mid-operation: a published but unprocessed request completes after restore', () => {
  const a = setup();
  const [q0, q1] = a.drv.init(F_VERSION_1 | F_EVENT_IDX | F_INDIRECT, 2);
  q0.add([{ data: Uint8Array.from([1, 2]) }, { len: 2, write: true }]);
  a.drv.notify(0);
  assert.equal(q0.takeUsed().length, 1);
  // The driver publishes two more requests; the snapshot is taken before its notify lands.
  q0.setUsedEvent(1);
  const h1 = q0.add([{ data: Uint8Array.from([3]) }, { len: 1, write: true }]);
  const h2 = q0.add([{ data: Uint8Array.from([4]) }, { len: 1, write: true }], { indirect: true });
  q1.add([{ data: Uint8Array.from([6]) }, { len: 1, write: true }]);
  const state = JSON.parse(JSON.stringify(a.mmio.save()));
  assert.equal(state.interruptStatus, VIRTIO_MMIO_INT_USED_BUFFER);

  // Restore into a fresh transport and device over a copy of guest memory.
  const mem = new GuestMemory(BASE, 256 * 1024);
  mem.bytes.set(a.mem.bytes);
  const dev = new EchoDevice();
  const irq = new RecordingIrq();
  const mmio = new VirtioMmio(dev, mem, irq);
  mmio.restore(state);
  assert.equal(irq.level, true, 'pending interrupt restored');
  assert.ok(dev.ctx, 'the device is active again');
  assert.equal(mmio.read(VIRTIO_MMIO_STATUS, 4), ACK | DRIVER | FEATURES_OK | DRIVER_OK);
  mmio.write(VIRTIO_MMIO_INTERRUPT_ACK, 4, 3);
  mmio.write(0x050, 4, 0);
  const used = new Uint8Array(mem.bytes.buffer, q0.used - BASE, 6 + 8 * 16);
  const view = new DataView(used.buffer, used.byteOffset);
  assert.equal(view.getUint16(2, true), 3, 'used idx continues from 1');
  assert.deepEqual([view.getUint32(4 + 8, true), view.getUint32(4 + 16, true)], [h1, h2]);
  assert.equal(irq.level, true, 'used_event 1 was crossed');
  assert.throws(() => mmio.restore({ ...state, version: 2 }), /version/);
  assert.throws(() => mmio.restore({ ...state, deviceId: 1 }), /device ID/);
  assert.throws(() => mmio.restore({ ...state, queues: [] }), /queues/);
});

test('restore of a device in DEVICE_NEEDS_RESET keeps its queues stopped', () => {
  const a = setup();
  const [q0] = a.drv.init(F_VERSION_1, 1);
  q0.publish(99);
  a.drv.notify(0);
  const state = a.mmio.save();
  assert.equal(state.status & NEEDS_RESET, NEEDS_RESET);
  const b = setup();
  b.mem.bytes.set(a.mem.bytes);
  b.mmio.restore(state);
  q0.add([{ data: Uint8Array.from([1]) }, { len: 1, write: true }]);
  b.mmio.write(0x050, 4, 0);
  assert.deepEqual(b.dev.notified, []);
});
