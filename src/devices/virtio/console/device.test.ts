// virtio-console port 0 (virtio 1.2 §5.3) behind virtio-mmio, driven by a mock driver: output,
// input queued until receive buffers arrive (up to a bound), F_SIZE and emergency write, hostile
// chains, a slow host, and a snapshot taken with input pending.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CharBackend, CharOutputFlow } from '../../../backends/char.js';
import { MemoryCharBackend } from '../../../backends/memory-char.js';
import { GuestMemory } from '../../../memory/guest-memory.js';
import {
  MockMmioDriver,
  RecordingIrq,
  type DriverQueue,
} from '../../../testing/devices/virtio/mock-driver.js';
import { liveArrayBufferBytes } from '../../../testing/devices/virtio/memory-probe.js';
import { VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE } from '../queue.js';
import {
  VIRTIO_MMIO_CONFIG,
  VIRTIO_MMIO_CONFIG_GENERATION,
  VIRTIO_MMIO_DEVICE_ID,
  VIRTIO_MMIO_INT_CONFIG,
  VIRTIO_MMIO_INT_USED_BUFFER,
  VIRTIO_MMIO_STATUS,
  VIRTIO_STATUS_DEVICE_NEEDS_RESET,
  VirtioMmio,
} from '../mmio.js';
import {
  VIRTIO_F_EVENT_IDX,
  VIRTIO_F_INDIRECT_DESC,
  VIRTIO_F_VERSION_1,
  VIRTIO_ID_CONSOLE,
} from '../types.js';
import {
  VIRTIO_CONSOLE_F_EMERG_WRITE,
  VIRTIO_CONSOLE_F_MULTIPORT,
  VIRTIO_CONSOLE_F_SIZE,
  VIRTIO_CONSOLE_INPUT_LIMIT_BYTES,
  VIRTIO_CONSOLE_TX_BACKLOG_BYTES,
  VIRTIO_CONSOLE_TX_CHAIN_MAX_BYTES,
  VirtioConsole,
  type VirtioConsoleOptions,
} from './device.js';

const BASE = 0x8000_0000;
const RAM = 256 * 1024;
const F_VERSION_1 = 1n << VIRTIO_F_VERSION_1;
const F_INDIRECT = 1n << VIRTIO_F_INDIRECT_DESC;
const F_EVENT_IDX = 1n << VIRTIO_F_EVENT_IDX;
const F_SIZE = 1n << VIRTIO_CONSOLE_F_SIZE;
const RX = 0;
const TX = 1;

function setup(opts: VirtioConsoleOptions = {}, mem = new GuestMemory(BASE, RAM)) {
  const host = new MemoryCharBackend();
  const con = new VirtioConsole(host, opts);
  const irq = new RecordingIrq();
  const mmio = new VirtioMmio(con, mem, irq);
  const drv = new MockMmioDriver(mmio, mem);
  return { mem, host, con, irq, mmio, drv };
}

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

/** What the guest has received so far through `rx`, in used-ring order. */
function received(rx: DriverQueue): string {
  return rx
    .takeUsed()
    .map((u) => text(rx.bufferBytes(u.id, 0, u.len)))
    .join('');
}

test('device ID 3 with two queues; EMERG_WRITE always, SIZE only when configured, never MULTIPORT', () => {
  const plain = setup();
  assert.equal(plain.drv.r(VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_CONSOLE);
  assert.deepEqual(plain.con.queueMaxSizes.length, 2);
  const f = plain.drv.deviceFeatures();
  assert.equal(f & (1n << VIRTIO_CONSOLE_F_EMERG_WRITE), 1n << VIRTIO_CONSOLE_F_EMERG_WRITE);
  assert.equal(f & F_SIZE, 0n);
  assert.equal(f & (1n << VIRTIO_CONSOLE_F_MULTIPORT), 0n);
  const sized = setup({ size: { cols: 132, rows: 43 } });
  assert.equal(sized.drv.deviceFeatures() & F_SIZE, F_SIZE);
  // struct virtio_console_config: cols, rows, max_nr_ports; readable before FEATURES_OK.
  assert.equal(sized.mmio.read(VIRTIO_MMIO_CONFIG, 2), 132);
  assert.equal(sized.mmio.read(VIRTIO_MMIO_CONFIG + 2, 2), 43);
  assert.equal(sized.mmio.read(VIRTIO_MMIO_CONFIG, 4), (43 << 16) | 132);
  assert.equal(sized.mmio.read(VIRTIO_MMIO_CONFIG + 4, 4), 1);
  assert.equal(sized.mmio.read(VIRTIO_MMIO_CONFIG + 8, 4), 0, 'emerg_wr reads 0');
  assert.equal(sized.mmio.read(VIRTIO_MMIO_CONFIG + 12, 4), 0, 'past the end');
  assert.equal(sized.mmio.read(VIRTIO_MMIO_CONFIG + 10, 4), 0, 'straddling the end is refused whole');
});

test('transmitq output reaches the backend in order, with used length 0', () => {
  const { drv, host, irq } = setup();
  const [, tx] = drv.init(F_VERSION_1 | F_INDIRECT, 2);
  const h1 = tx.add([{ data: bytes('hello, ') }, { data: bytes('world') }]);
  const h2 = tx.add([{ data: bytes('!\n') }], { indirect: true });
  drv.notify(TX);
  assert.equal(host.text(), 'hello, world!\n');
  assert.deepEqual(tx.takeUsed(), [
    { id: h1, len: 0 },
    { id: h2, len: 0 },
  ]);
  assert.equal(irq.level, true);
  assert.equal(drv.handleInterrupt(), VIRTIO_MMIO_INT_USED_BUFFER);
});

test('transmit copies the bytes: the backend keeps them after the guest reuses the buffer', () => {
  const mem = new GuestMemory(BASE, RAM);
  const kept: Uint8Array[] = [];
  const backend = { write: (b: Uint8Array) => kept.push(b), onInput: () => {} };
  const con = new VirtioConsole(backend);
  const mmio = new VirtioMmio(con, mem, new RecordingIrq());
  const d = new MockMmioDriver(mmio, mem);
  const [, tx] = d.init(F_VERSION_1, 2);
  const h = tx.add([{ data: bytes('abc') }]);
  d.notify(TX);
  mem.write(tx.buffers.get(h)?.[0].addr ?? 0, bytes('xyz'));
  assert.equal(text(kept[0]), 'abc');
});

test('input typed before the driver is ready waits for receive buffers, then arrives whole', () => {
  const { drv, host, con } = setup();
  host.type('early ');
  host.type('bird');
  assert.equal(con.pendingInputBytes, 10);
  const [rx] = drv.init(F_VERSION_1, 2);
  assert.equal(received(rx), '', 'no buffers yet');
  rx.add([{ len: 4, write: true }]);
  rx.add([{ len: 64, write: true }]);
  drv.notify(RX);
  assert.equal(received(rx), 'early bird');
  assert.equal(con.pendingInputBytes, 0);
});

test('input larger than the buffers is split across them and the rest waits; nothing is dropped', () => {
  const { drv, host, con, irq } = setup();
  const [rx] = drv.init(F_VERSION_1 | F_EVENT_IDX, 2);
  rx.add([{ len: 3, write: true }]);
  rx.add([
    { len: 2, write: true },
    { len: 2, write: true },
  ]);
  host.type('0123456789');
  assert.equal(irq.rises, 1);
  const used = rx.takeUsed();
  assert.deepEqual(
    used.map((u) => u.len),
    [3, 4],
  );
  assert.equal(text(rx.bufferBytes(used[0].id, 0)), '012');
  assert.equal(text(rx.bufferBytes(used[1].id, 0)) + text(rx.bufferBytes(used[1].id, 1)), '3456');
  assert.equal(con.pendingInputBytes, 3);
  host.type('ab');
  rx.add([{ len: 100, write: true }]);
  drv.notify(RX);
  assert.equal(received(rx), '789ab');
});

test('emergency write reaches the backend even on an unconfigured device (§5.3.5.1)', () => {
  const { mmio, host } = setup();
  mmio.write(VIRTIO_MMIO_CONFIG + 8, 4, 0x141);
  mmio.write(VIRTIO_MMIO_CONFIG + 0, 2, 0x50);
  assert.equal(host.text(), 'A');
  assert.equal(mmio.read(VIRTIO_MMIO_CONFIG, 2), 0, 'cols is read-only');
});

test('resize: new size, generation bump and a config interrupt when F_SIZE was negotiated', () => {
  const { drv, con, mmio, irq } = setup({ size: { cols: 80, rows: 24 } });
  drv.init(F_VERSION_1 | F_SIZE, 2);
  const gen = drv.r(VIRTIO_MMIO_CONFIG_GENERATION);
  con.resize(100, 30);
  assert.equal(mmio.read(VIRTIO_MMIO_CONFIG, 2), 100);
  assert.equal(mmio.read(VIRTIO_MMIO_CONFIG + 2, 2), 30);
  assert.equal(drv.r(VIRTIO_MMIO_CONFIG_GENERATION), gen + 1);
  assert.equal(irq.level, true);
  assert.equal(drv.handleInterrupt(), VIRTIO_MMIO_INT_CONFIG);

  const other = setup({ size: { cols: 80, rows: 24 } });
  other.drv.init(F_VERSION_1, 2);
  other.con.resize(100, 30);
  assert.equal(other.irq.level, false, 'F_SIZE not negotiated: no notification');
  const none = setup();
  none.con.resize(1, 1);
  assert.equal(none.mmio.read(VIRTIO_MMIO_CONFIG, 2), 0, 'no F_SIZE offered: size stays 0');
});

test('a device reset keeps undelivered input for the next driver', () => {
  const { drv, host } = setup();
  drv.init(F_VERSION_1, 2);
  host.type('kept');
  drv.w(VIRTIO_MMIO_STATUS, 0);
  const [rx] = drv.init(F_VERSION_1, 2);
  rx.add([{ len: 8, write: true }]);
  drv.notify(RX);
  assert.equal(received(rx), 'kept');
});

test('hostile chains: DEVICE_NEEDS_RESET, no exception, and the input survives for recovery', () => {
  const { drv, host, mmio } = setup();
  const [rx, tx] = drv.init(F_VERSION_1, 2);
  rx.writeDesc(0, BASE + RAM - 4, 8, VIRTQ_DESC_F_WRITE, 0);
  rx.publish(0);
  assert.doesNotThrow(() => host.type('precious'));
  assert.equal(drv.status & VIRTIO_STATUS_DEVICE_NEEDS_RESET, VIRTIO_STATUS_DEVICE_NEEDS_RESET);
  assert.match(mmio.lastError ?? '', /outside guest RAM/);
  tx.add([{ data: bytes('lost') }]);
  drv.notify(TX);
  assert.equal(host.text(), '', 'a device needing reset does nothing');

  // Transmit side: a readable buffer after a writable one.
  const b = setup();
  const [, tx2] = b.drv.init(F_VERSION_1, 2);
  tx2.writeDesc(0, BASE + 0x100, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
  tx2.writeDesc(1, BASE + 0x200, 4, 0, 0);
  tx2.publish(0);
  assert.doesNotThrow(() => b.drv.notify(TX));
  assert.match(b.mmio.lastError ?? '', /readable buffer after/);

  // Recovery keeps the input.
  drv.w(VIRTIO_MMIO_STATUS, 0);
  const [rx3] = drv.init(F_VERSION_1, 2);
  rx3.add([{ len: 16, write: true }]);
  drv.notify(RX);
  assert.equal(received(rx3), 'precious');
});

test('snapshot mid-operation: pending input and an unsent transmit chain continue after restore', () => {
  const a = setup({ size: { cols: 90, rows: 20 } });
  const [rx, tx] = a.drv.init(F_VERSION_1 | F_EVENT_IDX | F_SIZE, 2);
  rx.add([{ len: 4, write: true }]);
  a.host.type('snapshot!');
  assert.equal(received(rx), 'snap');
  assert.equal(a.con.pendingInputBytes, 5, 'a chunk half delivered');
  tx.add([{ data: bytes('after restore\n') }]); // published, not yet notified
  a.con.resize(91, 21);
  const transport = JSON.parse(JSON.stringify(a.mmio.save()));
  const device = JSON.parse(JSON.stringify(a.con.save()));
  assert.deepEqual(device.pendingInput, [...bytes('shot!')]);

  // Guest RAM goes through the snapshot too; the mock driver keeps using the same memory object.
  const ram = a.mem.bytes.slice();
  a.mem.bytes.fill(0x5a);
  a.mem.bytes.set(ram);
  const b = setup({ size: { cols: 80, rows: 25 } }, a.mem);
  b.mmio.restore(transport);
  b.con.restore(device);
  assert.equal(b.mmio.read(VIRTIO_MMIO_CONFIG, 2), 91);
  assert.equal(b.irq.level, true, 'the pending config interrupt came back');
  assert.equal(b.con.pendingInputBytes, 5);
  rx.add([{ len: 16, write: true }]);
  b.drv.notify(RX);
  assert.equal(received(rx), 'shot!');
  b.drv.notify(TX);
  assert.equal(b.host.text(), 'after restore\n');
  b.host.type('more');
  assert.equal(b.con.pendingInputBytes, 4, 'no buffers left: queued');
  assert.throws(() => b.con.restore({ ...device, version: 2 }), /version/);
});

/** A host that takes output slower than the guest writes it: it keeps what it was given. */
class SlowHost implements CharBackend, CharOutputFlow {
  private chunks: Uint8Array[] = [];
  pendingOutputBytes = 0;
  peakPendingBytes = 0;
  writtenBytes = 0;
  private drained: (() => void)[] = [];
  write(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.pendingOutputBytes += bytes.length;
    this.peakPendingBytes = Math.max(this.peakPendingBytes, this.pendingOutputBytes);
  }
  onInput(): void {}
  onOutputDrained(drained: () => void): void {
    this.drained.push(drained);
  }
  /** The host caught up: everything is written out. */
  drain(): void {
    for (const c of this.chunks) this.writtenBytes += c.length;
    this.chunks = [];
    this.pendingOutputBytes = 0;
    for (const d of this.drained.splice(0)) d();
  }
}

/** Post a transmit chain of `count` buffers of `len` bytes, all at `addr`, in an indirect table. */
function aliasChain(
  drv: MockMmioDriver,
  q: DriverQueue,
  slot: number,
  addr: number,
  count: number,
  len: number,
): void {
  const table = drv.alloc.alloc(16 * count, 16);
  for (let k = 0; k < count; k++) {
    q.writeDesc(k, addr, len, k < count - 1 ? VIRTQ_DESC_F_NEXT : 0, k + 1, table);
  }
  q.writeDesc(slot, table, 16 * count, VIRTQ_DESC_F_INDIRECT, 0);
  q.publish(slot);
}

test('output to a slow host: chains wait in the ring at the backlog bound, and each is capped', async () => {
  const mem = new GuestMemory(BASE, 4 * 1024 * 1024);
  const host = new SlowHost();
  const con = new VirtioConsole(host, { outputFlow: host });
  const mmio = new VirtioMmio(con, mem, new RecordingIrq());
  const drv = new MockMmioDriver(mmio, mem);
  const [, tx] = drv.init(F_VERSION_1 | F_INDIRECT, 2);
  const region = drv.alloc.alloc(64 * 1024, 16);
  mem.bytes.fill(0x41, region - BASE, region - BASE + 64 * 1024);
  // 128 chains, each describing 1 MiB over one 64 KiB region: 128 MiB of "output".
  for (let k = 0; k < 128; k++) aliasChain(drv, tx, k, region, 16, 64 * 1024);
  const baseline = await liveArrayBufferBytes();
  drv.notify(TX);
  const bound = VIRTIO_CONSOLE_TX_BACKLOG_BYTES + VIRTIO_CONSOLE_TX_CHAIN_MAX_BYTES;
  const consumed = (): number => mmio.queues[TX].save().lastAvailIdx;
  assert.ok(host.pendingOutputBytes <= bound);
  assert.ok(consumed() < 128, 'the rest waits in the ring');
  assert.equal(tx.takeUsed().length, consumed());
  const grown = (await liveArrayBufferBytes()) - baseline;
  assert.ok(grown <= bound + 1024 * 1024, `host memory grew by ${grown} bytes`);
  let rounds = 0;
  while (consumed() < 128) {
    const before = consumed();
    host.drain();
    assert.ok(consumed() > before, 'draining lets the device continue');
    assert.ok(host.pendingOutputBytes <= bound);
    rounds++;
  }
  host.drain();
  assert.ok(rounds > 1);
  assert.ok(host.peakPendingBytes <= bound);
  assert.equal(host.writtenBytes, 128 * VIRTIO_CONSOLE_TX_CHAIN_MAX_BYTES);
  assert.equal(con.droppedOutputBytes, 128 * (1024 * 1024 - VIRTIO_CONSOLE_TX_CHAIN_MAX_BYTES));
});

test('emergency writes to a full backlog are dropped and counted', () => {
  const host = new SlowHost();
  const con = new VirtioConsole(host, { outputFlow: host });
  for (let i = 0; i < VIRTIO_CONSOLE_TX_BACKLOG_BYTES + 10; i++) con.writeConfig(8, 1, 0x21);
  assert.equal(host.pendingOutputBytes, VIRTIO_CONSOLE_TX_BACKLOG_BYTES);
  assert.equal(con.droppedOutputBytes, 10);
});

test('host input for a guest that posts no buffers is kept up to 1 MiB, the rest dropped', async () => {
  const { drv, host, con, mem } = setup({}, new GuestMemory(BASE, 2 * 1024 * 1024));
  const [rx] = drv.init(F_VERSION_1, 2);
  const baseline = await liveArrayBufferBytes();
  const chunk = new Uint8Array(64 * 1024);
  for (let k = 0; k < 48; k++) host.type(chunk.fill(k));
  assert.equal(con.pendingInputBytes, VIRTIO_CONSOLE_INPUT_LIMIT_BYTES);
  assert.equal(con.droppedInputBytes, 48 * 64 * 1024 - VIRTIO_CONSOLE_INPUT_LIMIT_BYTES);
  const grown = (await liveArrayBufferBytes()) - baseline;
  assert.ok(grown <= VIRTIO_CONSOLE_INPUT_LIMIT_BYTES + 256 * 1024, `host memory grew by ${grown} bytes`);
  // What was kept is the oldest input, delivered in order.
  const buf = drv.alloc.alloc(VIRTIO_CONSOLE_INPUT_LIMIT_BYTES, 16);
  rx.writeDesc(rx.size - 1, buf, VIRTIO_CONSOLE_INPUT_LIMIT_BYTES, VIRTQ_DESC_F_WRITE, 0);
  rx.publish(rx.size - 1);
  drv.notify(RX);
  assert.deepEqual(rx.takeUsed(), [{ id: rx.size - 1, len: VIRTIO_CONSOLE_INPUT_LIMIT_BYTES }]);
  const got = mem.slice(buf, VIRTIO_CONSOLE_INPUT_LIMIT_BYTES);
  assert.equal(got[0], 0);
  assert.equal(got[VIRTIO_CONSOLE_INPUT_LIMIT_BYTES - 1], 15);
  assert.equal(con.pendingInputBytes, 0);
});

test('restoring more pending input than the limit keeps the oldest bytes that fit', () => {
  const { con } = setup();
  const pendingInput = Array.from({ length: VIRTIO_CONSOLE_INPUT_LIMIT_BYTES + 5 }, (_, i) => i & 0xff);
  con.restore({ version: 1, cols: 0, rows: 0, pendingInput });
  assert.equal(con.pendingInputBytes, VIRTIO_CONSOLE_INPUT_LIMIT_BYTES);
  assert.equal(con.droppedInputBytes, 5);
  assert.deepEqual(con.save().pendingInput.slice(-2), [0xfe, 0xff]);
});
