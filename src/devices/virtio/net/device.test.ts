// virtio-net checked with a mock driver: descriptor chains built in fake guest RAM and consumed
// through the real split virtqueue, against virtio 1.2 section 5.1 (header layout, num_buffers,
// config space, MTU) and against hostile chains (short, oversized, GSO, write-only).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FRAME_BYTES, newNetBackendMetrics, type NetBackend } from '../../../backends/net/backend.js';
import { MemoryNetBackend } from '../../../backends/net/memory.js';
import { GuestMemory } from '../../../memory/guest-memory.js';
import { arrayBufferBytesNow, liveArrayBufferBytes } from '../../../testing/devices/virtio/memory-probe.js';
import { SplitVirtqueue, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE, type QueueHost } from '../queue.js';
import { VIRTIO_F_VERSION_1, VIRTIO_ID_NET, type VirtioContext } from '../types.js';
import {
  VIRTIO_NET_F_MAC,
  VIRTIO_NET_F_MTU,
  VIRTIO_NET_F_STATUS,
  VIRTIO_NET_RX_QUEUE_BYTES,
  VirtioNet,
  type VirtioNetOptions,
  type VirtioNetState,
} from './device.js';

const RAM_BASE = 0x8000_0000;
const RAM_BYTES = 1024 * 1024;
const QUEUE_NUM = 16;
const HDR = 12;
const MAC = Uint8Array.of(0x52, 0x54, 0x00, 0x12, 0x34, 0x56);
const BIT = (n: bigint): bigint => 1n << n;
const MODERN = BIT(VIRTIO_F_VERSION_1) | BIT(VIRTIO_NET_F_MAC) | BIT(VIRTIO_NET_F_STATUS);

/** The driver side of one split queue: descriptor table, available ring, used ring in `mem`. */
class DriverQueue {
  readonly q: SplitVirtqueue;
  private availIdx = 0;
  private usedSeen = 0;
  private nextDesc = 0;
  /** Writable buffers of each outstanding head, to read back what the device wrote. */
  readonly writable = new Map<number, { addr: number; len: number }[]>();

  constructor(
    private readonly drv: MockDriver,
    index: number,
  ) {
    this.q = new SplitVirtqueue(index, 256, drv.host);
    this.q.num = QUEUE_NUM;
    this.q.descAddr = drv.alloc(16 * QUEUE_NUM, 16);
    this.q.driverAddr = drv.alloc(6 + 2 * QUEUE_NUM, 2);
    this.q.deviceAddr = drv.alloc(6 + 8 * QUEUE_NUM, 4);
    assert.equal(this.q.enable(), undefined);
    this.q.activate(false, false);
  }

  /** Post a chain of buffers at the given places, as is (for chains that alias memory). */
  addRaw(bufs: { addr: number; len: number; write?: boolean }[]): number {
    const mem = this.drv.mem;
    const head = this.nextDesc;
    bufs.forEach((b, k) => {
      const i = (head + k) % QUEUE_NUM;
      const d = this.q.descAddr + 16 * i;
      mem.write64(d, BigInt(b.addr));
      mem.write32(d + 8, b.len);
      const flags = (k < bufs.length - 1 ? VIRTQ_DESC_F_NEXT : 0) | (b.write ? VIRTQ_DESC_F_WRITE : 0);
      mem.view.setUint16(d + 12 - RAM_BASE, flags, true);
      mem.view.setUint16(d + 14 - RAM_BASE, (i + 1) % QUEUE_NUM, true);
    });
    this.nextDesc = (head + bufs.length) % QUEUE_NUM;
    this.writable.set(
      head,
      bufs.filter((b) => b.write),
    );
    const ring = this.q.driverAddr + 4 + 2 * (this.availIdx % QUEUE_NUM);
    mem.view.setUint16(ring - RAM_BASE, head, true);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    mem.view.setUint16(this.q.driverAddr + 2 - RAM_BASE, this.availIdx, true);
    return head;
  }

  /** Post a chain: device-readable `out` buffers (contents), then device-writable `inLens`. */
  add(out: Uint8Array[], inLens: number[] = []): number {
    const mem = this.drv.mem;
    const head = this.nextDesc;
    const n = out.length + inLens.length;
    const wbufs: { addr: number; len: number }[] = [];
    for (let k = 0; k < n; k++) {
      const i = (head + k) % QUEUE_NUM;
      const isOut = k < out.length;
      const len = isOut ? out[k].length : inLens[k - out.length];
      const addr = this.drv.alloc(Math.max(len, 1), 1);
      if (isOut) mem.write(addr, out[k]);
      else wbufs.push({ addr, len });
      const d = this.q.descAddr + 16 * i;
      mem.write64(d, BigInt(addr));
      mem.write32(d + 8, len);
      const flags = (k < n - 1 ? VIRTQ_DESC_F_NEXT : 0) | (isOut ? 0 : VIRTQ_DESC_F_WRITE);
      mem.view.setUint16(d + 12 - RAM_BASE, flags, true);
      mem.view.setUint16(d + 14 - RAM_BASE, (i + 1) % QUEUE_NUM, true);
    }
    this.nextDesc = (head + n) % QUEUE_NUM;
    this.writable.set(head, wbufs);
    const ring = this.q.driverAddr + 4 + 2 * (this.availIdx % QUEUE_NUM);
    mem.view.setUint16(ring - RAM_BASE, head, true);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    mem.view.setUint16(this.q.driverAddr + 2 - RAM_BASE, this.availIdx, true);
    return head;
  }

  /** Used entries not seen before, with the bytes written into each chain. */
  used(): { head: number; len: number; data: Uint8Array }[] {
    const mem = this.drv.mem;
    const idx = mem.view.getUint16(this.q.deviceAddr + 2 - RAM_BASE, true);
    const out: { head: number; len: number; data: Uint8Array }[] = [];
    for (; this.usedSeen !== idx; this.usedSeen = (this.usedSeen + 1) & 0xffff) {
      const e = this.q.deviceAddr + 4 + 8 * (this.usedSeen % QUEUE_NUM);
      const head = mem.read32(e);
      const len = mem.read32(e + 4);
      const data = new Uint8Array(len);
      let pos = 0;
      for (const b of this.writable.get(head) ?? []) {
        const k = Math.min(b.len, len - pos);
        data.set(mem.slice(b.addr, k), pos);
        pos += k;
      }
      out.push({ head, len, data });
    }
    return out;
  }
}

/** Guest RAM, the two queues and the VirtioContext a transport would hand the device. */
class MockDriver {
  readonly mem = new GuestMemory(RAM_BASE, RAM_BYTES);
  interrupts = 0;
  configChanges = 0;
  readonly resets: string[] = [];
  readonly host: QueueHost = {
    mem: this.mem,
    usedBufferNotification: () => this.interrupts++,
    needsReset: (r) => this.resets.push(r),
  };
  private top = RAM_BASE;
  readonly rx: DriverQueue;
  readonly tx: DriverQueue;

  constructor() {
    this.rx = new DriverQueue(this, 0);
    this.tx = new DriverQueue(this, 1);
  }

  alloc(bytes: number, align: number): number {
    this.top = Math.ceil(this.top / align) * align;
    const addr = this.top;
    this.top += bytes;
    assert.ok(this.top <= RAM_BASE + RAM_BYTES, 'mock driver out of RAM');
    return addr;
  }

  context(features = MODERN): VirtioContext {
    return {
      mem: this.mem,
      queues: [this.rx.q, this.tx.q],
      features,
      configChanged: () => this.configChanges++,
      needsReset: (r) => this.resets.push(r),
    };
  }
}

function setup(opts: Partial<VirtioNetOptions> = {}, features = MODERN) {
  const backend = new MemoryNetBackend();
  const dev = new VirtioNet({ backend, mac: MAC, ...opts });
  const drv = new MockDriver();
  dev.activate(drv.context(features));
  return { dev, drv, backend };
}

/** An Ethernet frame of `len` bytes with a recognisable pattern. */
function frame(len: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: len }, (_, i) => (i * 7 + seed) & 0xff);
}

/** A TX header: gso_type and flags as given, num_buffers 0. */
function txHeader(gsoType = 0, flags = 0, bytes = HDR): Uint8Array {
  const h = new Uint8Array(bytes);
  h[0] = flags;
  h[1] = gsoType;
  return h;
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
};

test('identity: device ID 1, two queues, MAC and STATUS offered, MTU only when configured', () => {
  const { dev } = setup();
  assert.equal(dev.deviceId, VIRTIO_ID_NET);
  assert.deepEqual(dev.queueMaxSizes, [256, 256]);
  assert.equal(dev.features, BIT(VIRTIO_NET_F_MAC) | BIT(VIRTIO_NET_F_STATUS));
  const withMtu = new VirtioNet({ backend: new MemoryNetBackend(), mac: MAC, mtu: 1500 });
  assert.equal(withMtu.features & BIT(VIRTIO_NET_F_MTU), BIT(VIRTIO_NET_F_MTU));
});

test('config space: mac, status (link up), max_virtqueue_pairs, mtu; read-only', () => {
  const dev = new VirtioNet({ backend: new MemoryNetBackend(), mac: MAC, mtu: 9000 });
  assert.deepEqual(
    Array.from({ length: 6 }, (_, i) => dev.readConfig(i, 1)),
    Array.from(MAC),
  );
  assert.equal(dev.readConfig(0, 4), 0x12005452);
  assert.equal(dev.readConfig(4, 2), 0x5634);
  assert.equal(dev.readConfig(6, 2), 1);
  assert.equal(dev.readConfig(8, 2), 1);
  assert.equal(dev.readConfig(10, 2), 9000);
  assert.equal(dev.readConfig(8, 4), (9000 << 16) | 1);
  assert.equal(dev.readConfig(12, 4), 0, 'speed/duplex are not offered');
  assert.equal(dev.readConfig(0x100, 4), 0);
  assert.equal(dev.writeConfig(0, 1, 0xff), false);
  assert.equal(dev.readConfig(0, 1), 0x52);
});

test('constructor rejects a multicast or short MAC and an MTU outside 68..65535', () => {
  const backend = new MemoryNetBackend();
  assert.throws(() => new VirtioNet({ backend, mac: Uint8Array.of(1, 0, 0, 0, 0, 1) }), RangeError);
  assert.throws(() => new VirtioNet({ backend, mac: Uint8Array.of(0x52, 0x54) }), RangeError);
  assert.throws(() => new VirtioNet({ backend, mac: MAC, mtu: 67 }), RangeError);
  assert.throws(() => new VirtioNet({ backend, mac: MAC, mtu: 65536 }), RangeError);
});

test('TX: header stripped, frame sent, chain returned with 0 bytes, driver interrupted', () => {
  const { dev, drv, backend } = setup();
  const f = frame(60);
  const head = drv.tx.add([concat(txHeader(), f)]);
  dev.queueNotify(1);
  assert.deepEqual(backend.sent, [f]);
  assert.deepEqual(
    drv.tx.used().map((u) => [u.head, u.len]),
    [[head, 0]],
  );
  assert.equal(drv.interrupts, 1);
  assert.equal(dev.metrics.txFrames, 1);
  assert.equal(dev.metrics.txBytes, 60);
});

test('TX: header and frame spread over buffers at any boundary', () => {
  const { dev, drv, backend } = setup();
  const f = frame(1514, 3);
  const whole = concat(txHeader(), f);
  drv.tx.add([whole.subarray(0, 5), whole.subarray(5, 12), whole.subarray(12, 100), whole.subarray(100)]);
  drv.tx.add([whole.subarray(0, 20), whole.subarray(20)]);
  dev.queueNotify(1);
  assert.deepEqual(backend.sent, [f, f]);
  assert.equal(drv.tx.used().length, 2);
  assert.equal(drv.interrupts, 1, 'one interrupt per batch');
});

test('TX: hostile chains are dropped and counted, returned, and never throw', () => {
  const { dev, drv, backend } = setup();
  drv.tx.add([new Uint8Array(8)]); // shorter than the header
  drv.tx.add([txHeader()]); // header only
  drv.tx.add([txHeader(), frame(13)]); // runt frame
  drv.tx.add([txHeader(1, 1), frame(60)]); // GSO TCPv4 without HOST_TSO4
  drv.tx.add([], [HDR + 60]); // write-only chain on the transmit queue
  drv.tx.add([txHeader(), new Uint8Array(MAX_FRAME_BYTES + 1)]); // oversized
  drv.tx.add([txHeader(0, 1), frame(60)]); // NEEDS_CSUM without CSUM: flags are ignored
  assert.doesNotThrow(() => dev.queueNotify(1));
  assert.equal(drv.tx.used().length, 7);
  assert.equal(dev.metrics.txDroppedMalformed, 5);
  assert.equal(dev.metrics.txDroppedOversize, 1);
  assert.equal(backend.sent.length, 1);
  assert.deepEqual(drv.resets, []);
});

test('TX: the largest frame passes; with VIRTIO_NET_F_MTU the limit is mtu + Ethernet/VLAN header', () => {
  const big = setup();
  big.drv.tx.add([txHeader(), new Uint8Array(MAX_FRAME_BYTES)]);
  big.dev.queueNotify(1);
  assert.equal(big.backend.sent[0].length, MAX_FRAME_BYTES);

  const { dev, drv, backend } = setup({ mtu: 1500 }, MODERN | BIT(VIRTIO_NET_F_MTU));
  drv.tx.add([txHeader(), frame(1518)]);
  drv.tx.add([txHeader(), frame(1519)]);
  dev.queueNotify(1);
  assert.deepEqual(
    backend.sent.map((f) => f.length),
    [1518],
  );
  assert.equal(dev.metrics.txDroppedOversize, 1);
});

test('RX: a zeroed header with num_buffers = 1, then the frame', () => {
  const { dev, drv, backend } = setup();
  const head = drv.rx.add([], [1526]);
  dev.queueNotify(0);
  const f = frame(98, 5);
  backend.inject(f);
  const [u] = drv.rx.used();
  assert.equal(u.head, head);
  assert.equal(u.len, HDR + 98);
  assert.deepEqual(u.data.subarray(0, HDR), Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0));
  assert.deepEqual(u.data.subarray(HDR), f);
  assert.equal(drv.interrupts, 1);
  assert.equal(dev.metrics.rxFrames, 1);
});

test('RX: the header and the frame may land in separate descriptors of one chain', () => {
  const { drv, backend } = setup();
  drv.rx.add([], [HDR, 1514]);
  const f = frame(1514, 9);
  backend.inject(f);
  const [u] = drv.rx.used();
  assert.equal(u.len, HDR + 1514);
  assert.deepEqual(u.data.subarray(HDR), f);
});

test('RX: frames wait for buffers and arrive in order once the driver posts some', () => {
  const { dev, drv, backend } = setup();
  const frames = [frame(60, 1), frame(70, 2), frame(80, 3)];
  for (const f of frames) backend.inject(f);
  assert.equal(dev.rxQueuedFrames, 3);
  assert.equal(drv.interrupts, 0);
  drv.rx.add([], [2048]);
  drv.rx.add([], [2048]);
  dev.queueNotify(0);
  assert.equal(dev.rxQueuedFrames, 1);
  drv.rx.add([], [2048]);
  dev.queueNotify(0);
  assert.deepEqual(
    drv.rx.used().map((u) => u.data.subarray(HDR)),
    frames,
  );
  assert.equal(dev.rxQueuedFrames, 0);
});

test('RX: a chain too small for header + frame is returned empty and the frame dropped', () => {
  const { dev, drv, backend } = setup();
  drv.rx.add([], [HDR + 59]);
  drv.rx.add([], [HDR + 60]);
  backend.inject(frame(60, 1));
  backend.inject(frame(60, 2));
  const used = drv.rx.used();
  assert.deepEqual(
    used.map((u) => u.len),
    [0, HDR + 60],
  );
  assert.deepEqual(used[1].data.subarray(HDR), frame(60, 2));
  assert.equal(dev.metrics.rxDroppedNoRoom, 1);
});

test('RX: runt frames and frames above the negotiated MTU are dropped', () => {
  const { dev, drv, backend } = setup({ mtu: 1500 }, MODERN | BIT(VIRTIO_NET_F_MTU));
  drv.rx.add([], [4096]);
  backend.inject(frame(13));
  backend.inject(frame(1519));
  backend.inject(frame(1518));
  assert.deepEqual(
    drv.rx.used().map((u) => u.len),
    [HDR + 1518],
  );
  assert.equal(dev.metrics.rxDroppedMalformed, 2);
});

test('RX backpressure: the queue fills to its bound, pauses the backend, resumes at half', () => {
  const { dev, drv, backend } = setup({ rxQueueFrames: 4 });
  for (let i = 0; i < 6; i++) backend.inject(frame(60, i));
  assert.equal(dev.rxQueuedFrames, 4);
  assert.equal(backend.paused, true);
  assert.equal(backend.heldCount, 2, 'the backend holds what the device cannot queue');
  for (let i = 0; i < 3; i++) drv.rx.add([], [2048]);
  dev.queueNotify(0);
  // 3 delivered leaves 1 <= 4/2: resumed, and the 2 held frames join the queue.
  assert.equal(backend.paused, false);
  assert.equal(dev.rxQueuedFrames, 3);
  for (let i = 0; i < 3; i++) drv.rx.add([], [2048]);
  dev.queueNotify(0);
  assert.deepEqual(
    drv.rx.used().map((u) => u.data[HDR]),
    [0, 1, 2, 3, 4, 5].map((i) => frame(60, i)[0]),
  );
  assert.equal(dev.metrics.rxDroppedQueueFull, 0);
});

test('RX overflow: without flow control the backend keeps delivering and the device drops', () => {
  const sent: Uint8Array[] = [];
  let receiver: ((f: Uint8Array) => void) | undefined;
  const backend: NetBackend = {
    metrics: newNetBackendMetrics(),
    send: (f) => sent.push(f),
    onReceive: (r) => (receiver = r),
    close: () => {},
  };
  const dev = new VirtioNet({ backend, mac: MAC, rxQueueFrames: 2 });
  dev.activate(new MockDriver().context());
  for (let i = 0; i < 5; i++) receiver?.(frame(60, i));
  assert.equal(dev.rxQueuedFrames, 2);
  assert.equal(dev.metrics.rxDroppedQueueFull, 3);
});

test('RX bound in bytes: the largest frames fill 1 MiB at most, the rest is dropped', async () => {
  let receiver: ((f: Uint8Array) => void) | undefined;
  const backend: NetBackend = {
    metrics: newNetBackendMetrics(),
    send: () => {},
    onReceive: (r) => (receiver = r),
    close: () => {},
  };
  const dev = new VirtioNet({ backend, mac: MAC });
  const drv = new MockDriver();
  dev.activate(drv.context());
  const before = await liveArrayBufferBytes();
  // A peer floods 64 frames of the largest size while the guest posts no receive buffers.
  for (let i = 0; i < 64; i++) receiver?.(frame(MAX_FRAME_BYTES, i));
  const fit = Math.floor(VIRTIO_NET_RX_QUEUE_BYTES / MAX_FRAME_BYTES);
  assert.equal(dev.rxQueuedFrames, fit);
  assert.ok(dev.rxQueuedBytes <= VIRTIO_NET_RX_QUEUE_BYTES);
  assert.equal(dev.metrics.rxDroppedQueueFull, 64 - fit);
  const grown = (await liveArrayBufferBytes()) - before;
  assert.ok(grown <= VIRTIO_NET_RX_QUEUE_BYTES + 64 * 1024, `host memory grew by ${grown} bytes`);
  // The queued frames are delivered once buffers come (all into one region: the last stays).
  const region = drv.alloc(HDR + MAX_FRAME_BYTES, 16);
  for (let i = 0; i < fit; i++) drv.rx.addRaw([{ addr: region, len: HDR + MAX_FRAME_BYTES, write: true }]);
  dev.queueNotify(0);
  const got = drv.rx.used();
  assert.equal(got.length, fit);
  assert.deepEqual(got[fit - 1].data.subarray(HDR), frame(MAX_FRAME_BYTES, fit - 1));
  assert.equal(dev.rxQueuedBytes, 0);
  assert.throws(
    () => new VirtioNet({ backend, mac: MAC, rxQueueBytes: MAX_FRAME_BYTES - 1 }),
    /largest frame/,
  );
});

test('RX bound in bytes with flow control: the backend is paused before a frame could be lost', () => {
  const { dev, backend } = setup();
  for (let i = 0; i < 40; i++) backend.inject(frame(MAX_FRAME_BYTES, i));
  assert.equal(backend.paused, true);
  assert.ok(dev.rxQueuedBytes <= VIRTIO_NET_RX_QUEUE_BYTES);
  assert.equal(dev.metrics.rxDroppedQueueFull, 0, 'paused in time: nothing dropped');
  assert.equal(dev.rxQueuedFrames + backend.heldCount, 40);
});

test('TX: a chain describing 8 MiB over one region is dropped as oversized without being copied', () => {
  const { dev, drv, backend } = setup();
  const region = drv.alloc(512 * 1024, 16);
  const bufs = Array.from({ length: QUEUE_NUM }, () => ({ addr: region, len: 512 * 1024 }));
  drv.tx.addRaw(bufs);
  const before = arrayBufferBytesNow();
  dev.queueNotify(1);
  // Read before any collection could hide a copy.
  assert.ok(arrayBufferBytesNow() - before < 1024 * 1024, 'the frame was not copied');
  assert.equal(dev.metrics.txDroppedOversize, 1);
  assert.equal(backend.sent.length, 0);
  assert.equal(drv.tx.used().length, 1, 'the chain is returned');
});

test('frames before DRIVER_OK and after reset are dropped; reset empties the queue', () => {
  const backend = new MemoryNetBackend();
  const dev = new VirtioNet({ backend, mac: MAC, rxQueueFrames: 2 });
  backend.inject(frame(60));
  assert.equal(dev.metrics.rxDroppedInactive, 1);
  const drv = new MockDriver();
  dev.activate(drv.context());
  backend.inject(frame(60));
  backend.inject(frame(60));
  assert.equal(backend.paused, true);
  dev.reset();
  assert.equal(dev.rxQueuedFrames, 0);
  assert.equal(dev.metrics.rxDroppedInactive, 3);
  assert.equal(backend.paused, false);
  drv.tx.add([txHeader(), frame(60)]);
  dev.queueNotify(1);
  assert.deepEqual(drv.tx.used(), [], 'no queue access after reset');
});

test('link down: status reads 0, a config interrupt is raised, traffic is dropped', () => {
  const { dev, drv, backend } = setup();
  drv.rx.add([], [2048]);
  dev.setLinkUp(false);
  assert.equal(drv.configChanges, 1);
  assert.equal(dev.readConfig(6, 2), 0);
  backend.inject(frame(60));
  drv.tx.add([txHeader(), frame(60)]);
  dev.queueNotify(1);
  assert.equal(backend.sent.length, 0);
  assert.equal(dev.metrics.txDroppedLinkDown, 1);
  assert.equal(dev.metrics.rxDroppedInactive, 1);
  dev.setLinkUp(true);
  assert.equal(drv.configChanges, 2);
  backend.inject(frame(60));
  assert.equal(drv.rx.used().length, 1);
});

test('legacy driver without VERSION_1: 10-byte header both ways', () => {
  const { dev, drv, backend } = setup({}, BIT(VIRTIO_NET_F_MAC));
  const f = frame(60);
  drv.tx.add([txHeader(0, 0, 10), f]);
  dev.queueNotify(1);
  assert.deepEqual(backend.sent, [f]);
  drv.rx.add([], [2048]);
  backend.inject(f);
  const [u] = drv.rx.used();
  assert.equal(u.len, 10 + 60);
  assert.deepEqual(u.data.subarray(10), f);
});

test('two NICs wired back to back exchange frames (a two-port hub)', () => {
  const a = setup();
  const b = setup({ mac: Uint8Array.of(0x52, 0x54, 0, 0, 0, 2) });
  b.drv.rx.add([], [2048]);
  const f = frame(64, 42);
  a.drv.tx.add([txHeader(), f]);
  a.dev.queueNotify(1);
  for (const sent of a.backend.sent) b.backend.inject(sent);
  assert.deepEqual(b.drv.rx.used()[0].data.subarray(HDR), f);
});

test('save/restore with frames queued for RX: JSON round trip, then delivered in order', () => {
  const { dev, drv, backend } = setup({ mtu: 1500 }, MODERN | BIT(VIRTIO_NET_F_MTU));
  drv.tx.add([txHeader(), frame(60)]);
  dev.queueNotify(1);
  const frames = [frame(60, 1), frame(1514, 2), frame(99, 3)];
  for (const f of frames) backend.inject(f);
  const state = JSON.parse(JSON.stringify(dev.save())) as VirtioNetState;
  assert.equal(state.version, 1);
  assert.equal(state.mac, '52:54:00:12:34:56');
  assert.equal(state.rxQueue.length, 3);

  const backend2 = new MemoryNetBackend();
  const restored = VirtioNet.restore({ backend: backend2 }, state);
  assert.deepEqual(restored.save(), state);
  assert.equal(restored.readConfig(10, 2), 1500);
  assert.equal(restored.metrics.txFrames, 1);
  const drv2 = new MockDriver();
  for (let i = 0; i < 3; i++) drv2.rx.add([], [2048]);
  restored.activate(drv2.context(MODERN | BIT(VIRTIO_NET_F_MTU)));
  assert.deepEqual(
    drv2.rx.used().map((u) => u.data.subarray(HDR)),
    frames,
  );
  assert.equal(restored.metrics.rxFrames, 3);
});

test('restore under smaller RX bounds keeps the oldest frames that fit and counts the rest', () => {
  const { dev, backend } = setup();
  for (let i = 0; i < 3; i++) backend.inject(frame(60, i));
  const state = dev.save();
  const restored = VirtioNet.restore({ backend: new MemoryNetBackend(), rxQueueFrames: 2 }, state);
  assert.equal(restored.rxQueuedFrames, 2);
  assert.equal(restored.metrics.rxDroppedQueueFull, 1);
  assert.deepEqual(restored.save().rxQueue, state.rxQueue.slice(0, 2));
});

test('restore rejects snapshots it cannot have written', () => {
  const { dev } = setup();
  const good = dev.save();
  const backend = new MemoryNetBackend();
  const bad: unknown[] = [
    { ...good, version: 2 },
    { ...good, mac: '52:54:00:12:34' },
    { ...good, rxQueue: ['abc'] },
    { ...good, rxQueue: ['00'] },
    { ...good, linkUp: 'yes' },
    { ...good, metrics: { ...good.metrics, rxFrames: -1 } },
    { ...good, metrics: {} },
  ];
  for (const s of bad) assert.throws(() => VirtioNet.restore({ backend }, s as VirtioNetState));
});

test('random TX chains never throw and every chain is returned', () => {
  const { dev, drv } = setup();
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  let posted = 0;
  for (let round = 0; round < 40; round++) {
    const count = 1 + rand(3); // at most 3 chains of 5 descriptors: fits QUEUE_NUM
    for (let c = 0; c < count; c++) {
      const out = Array.from({ length: rand(4) }, () =>
        Uint8Array.from({ length: rand(40) }, () => rand(256)),
      );
      const inLens = Array.from({ length: rand(2) }, () => 1 + rand(30));
      if (out.length + inLens.length === 0) out.push(new Uint8Array(1));
      drv.tx.add(out, inLens);
      posted++;
    }
    assert.doesNotThrow(() => dev.queueNotify(1));
    drv.tx.used();
  }
  const m = dev.metrics;
  assert.equal(m.txFrames + m.txDroppedMalformed + m.txDroppedOversize + m.txDroppedLinkDown, posted);
  assert.deepEqual(drv.resets, []);
});
