// Split virtqueue device side (virtio 1.2 §2.7): chain walking, indirect tables, the used ring,
// notification suppression with and without EVENT_IDX, and every hostile input the device must
// survive with DEVICE_NEEDS_RESET instead of an exception or an access outside RAM.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GuestMemory } from '../../memory/guest-memory.js';
import { DriverQueue, GuestAllocator } from '../../testing/devices/virtio/mock-driver.js';
import {
  SplitVirtqueue,
  VIRTQ_AVAIL_F_NO_INTERRUPT,
  VIRTQ_DESC_F_INDIRECT,
  VIRTQ_DESC_F_NEXT,
  VIRTQ_DESC_F_WRITE,
  type QueueHost,
} from './queue.js';
import type { DescriptorChain } from './types.js';

const BASE = 0x8000_0000;
const RAM = 1 << 20;
const NEXT = VIRTQ_DESC_F_NEXT;
const WRITE = VIRTQ_DESC_F_WRITE;
const INDIRECT = VIRTQ_DESC_F_INDIRECT;

interface Rig {
  mem: GuestMemory;
  q: SplitVirtqueue;
  dq: DriverQueue;
  alloc: GuestAllocator;
  resets: string[];
  interrupts: number;
}

function rig(
  opts: { size?: number; max?: number; eventIdx?: boolean; indirect?: boolean; ram?: number } = {},
): Rig {
  const mem = new GuestMemory(BASE, opts.ram ?? RAM);
  const alloc = new GuestAllocator(mem);
  const size = opts.size ?? 16;
  const r = { mem, alloc, resets: [] as string[], interrupts: 0 } as Rig;
  const host: QueueHost = {
    mem,
    usedBufferNotification: () => r.interrupts++,
    needsReset: (reason) => r.resets.push(reason),
  };
  r.q = new SplitVirtqueue(0, opts.max ?? size, host);
  r.dq = new DriverQueue(mem, alloc, size, opts.eventIdx ?? false);
  r.q.num = size;
  r.q.descAddr = r.dq.desc;
  r.q.driverAddr = r.dq.avail;
  r.q.deviceAddr = r.dq.used;
  assert.equal(r.q.enable(), undefined);
  r.q.activate(opts.eventIdx ?? false, opts.indirect ?? true);
  return r;
}

/** pop() must fail with DEVICE_NEEDS_RESET matching `why`, then stay stopped. */
function expectBroken(r: Rig, why: RegExp): void {
  assert.equal(r.q.pop(), undefined);
  assert.equal(r.resets.length, 1, 'needsReset called once');
  assert.match(r.resets[0], why);
  assert.equal(r.q.pop(), undefined);
  assert.equal(r.resets.length, 1, 'a halted queue stays quiet');
}

/** Place a raw chain at descriptor 0 onwards and publish head `head`. */
function raw(r: Rig, descs: [addr: number, len: number, flags: number, next: number][], head = 0): void {
  descs.forEach(([a, l, f, n], i) => r.dq.writeDesc(i, a, l, f, n));
  r.dq.publish(head);
}

const buf = (r: Rig, len = 16): number => r.alloc.alloc(len, 8);

test('an empty ring pops nothing and is not an error', () => {
  const r = rig();
  assert.equal(r.q.pop(), undefined);
  assert.equal(r.resets.length, 0);
});

test('a chain splits into readable then writable buffers and comes back through the used ring', () => {
  const r = rig();
  const head = r.dq.add([
    { data: Uint8Array.from([1, 2, 3]) },
    { len: 8 },
    { len: 32, write: true },
    { len: 4, write: true },
  ]);
  const c = r.q.pop();
  assert.ok(c);
  assert.equal(c.head, head);
  assert.deepEqual(
    c.readable.map((b) => b.len),
    [3, 8],
  );
  assert.deepEqual(
    c.writable.map((b) => b.len),
    [32, 4],
  );
  assert.equal(c.readable[0].addr, r.dq.buffers.get(head)?.[0].addr);
  r.q.push(c, 20);
  assert.deepEqual(r.dq.takeUsed(), [{ id: head, len: 20 }]);
  assert.equal(r.q.pop(), undefined);
});

test('used len is clamped to the writable bytes; stale and repeated pushes are ignored', () => {
  const r = rig();
  r.dq.add([{ len: 4 }, { len: 10, write: true }]);
  r.dq.add([{ len: 4 }]);
  const a = r.q.pop();
  const b = r.q.pop();
  assert.ok(a && b);
  r.q.push(a, 1000);
  r.q.push(a, 5);
  r.q.push(b, 7);
  assert.deepEqual(
    r.dq.takeUsed().map((e) => e.len),
    [10, 0],
  );
  // A chain from before a reset cannot be pushed into the reconfigured queue.
  r.dq.add([{ len: 1, write: true }]);
  const c = r.q.pop();
  assert.ok(c);
  r.q.disable();
  assert.equal(r.q.enable(), undefined);
  r.q.push(c, 1);
  assert.equal(r.dq.usedIdx(), 2, 'the stale push wrote nothing');
  // A chain object the queue never issued is ignored too.
  r.q.push({ head: 0, readable: [], writable: [] } satisfies DescriptorChain, 0);
  assert.equal(r.dq.usedIdx(), 2);
});

test('indirect table, alone and after direct descriptors; its own WRITE flag is ignored', () => {
  const r = rig();
  const head = r.dq.add([{ len: 8 }, { len: 16, write: true }], { indirect: true });
  const c = r.q.pop();
  assert.ok(c);
  assert.equal(c.head, head);
  assert.equal(c.readable.length, 1);
  assert.equal(c.writable.length, 1);

  // §2.7.5.3.2: zero or more direct descriptors, then one indirect one.
  const r2 = rig();
  const table = r2.alloc.alloc(32, 16);
  const a = buf(r2);
  const b = buf(r2);
  const w = buf(r2);
  r2.dq.writeDesc(0, a, 16, NEXT, 1, table);
  r2.dq.writeDesc(1, w, 16, WRITE, 0, table);
  raw(r2, [
    [b, 16, NEXT, 1],
    [table, 32, INDIRECT | WRITE, 0],
  ]);
  const c2 = r2.q.pop();
  assert.ok(c2);
  assert.deepEqual(
    c2.readable.map((x) => x.addr),
    [b, a],
  );
  assert.deepEqual(
    c2.writable.map((x) => x.addr),
    [w],
  );
});

test('zero-length buffers count for order but are not listed', () => {
  const r = rig();
  const a = buf(r);
  raw(r, [
    [a, 0, NEXT, 1],
    [a, 4, WRITE, 0],
  ]);
  const c = r.q.pop();
  assert.ok(c);
  assert.equal(c.readable.length, 0);
  assert.equal(c.writable.length, 1);
});

test('ring indices wrap at 2^16', () => {
  const r = rig({ size: 4 });
  for (let i = 0; i < 70_000; i++) {
    const head = r.dq.add([{ len: 1, write: true }]);
    const c = r.q.pop();
    assert.ok(c, `pop ${i}`);
    assert.equal(c.head, head);
    r.q.push(c, 1);
    if (r.dq.takeUsed().length !== 1) assert.fail(`used entry ${i}`);
  }
  assert.equal(r.dq.usedIdx(), 70_000 & 0xffff);
  assert.equal(r.resets.length, 0);
});

test('without EVENT_IDX: notify unless VIRTQ_AVAIL_F_NO_INTERRUPT, and only after new used entries', () => {
  const r = rig();
  r.q.notify();
  assert.equal(r.interrupts, 0, 'nothing used yet');
  r.dq.add([{ len: 1, write: true }]);
  r.q.push(r.q.pop()!, 1);
  r.q.notify();
  assert.equal(r.interrupts, 1);
  r.q.notify();
  assert.equal(r.interrupts, 1, 'no new entries');
  r.dq.setAvailFlags(VIRTQ_AVAIL_F_NO_INTERRUPT);
  r.dq.add([{ len: 1, write: true }]);
  r.q.push(r.q.pop()!, 1);
  r.q.notify();
  assert.equal(r.interrupts, 1, 'suppressed');
});

test('with EVENT_IDX: used_event decides (vring_need_event) and avail_event tracks the next entry', () => {
  const r = rig({ eventIdx: true });
  r.dq.setAvailFlags(VIRTQ_AVAIL_F_NO_INTERRUPT); // the lower bit of flags is ignored
  r.dq.setUsedEvent(2); // interrupt when used entry 2 is written (used idx goes 2 -> 3)
  for (let i = 0; i < 4; i++) r.dq.add([{ len: 1, write: true }]);
  const got: number[] = [];
  for (let i = 0; i < 4; i++) {
    const c = r.q.pop();
    assert.ok(c);
    assert.equal(r.dq.availEvent(), i + 1, 'avail_event is the next index the device will read');
    r.q.push(c, 1);
    r.q.notify();
    got.push(r.interrupts);
  }
  assert.deepEqual(got, [0, 0, 1, 1]);
  // Batching: one notify after pushing past used_event still interrupts.
  r.dq.setUsedEvent(5);
  for (let i = 0; i < 3; i++) r.dq.add([{ len: 1, write: true }]);
  for (let i = 0; i < 3; i++) r.q.push(r.q.pop()!, 1);
  r.q.notify();
  assert.equal(r.interrupts, 2);
  // An empty pop asks to be told about the next entry.
  assert.equal(r.q.pop(), undefined);
  assert.equal(r.dq.availEvent(), 7);
});

test('chainAt re-walks an in-flight chain without consuming the ring', () => {
  const r = rig();
  const head = r.dq.add([{ len: 2 }, { len: 3, write: true }]);
  const c = r.q.pop();
  assert.ok(c);
  const again = r.q.chainAt(head);
  assert.ok(again);
  assert.deepEqual(again.writable, c.writable);
  r.q.push(again, 3);
  assert.deepEqual(r.dq.takeUsed(), [{ id: head, len: 3 }]);
  assert.equal(r.q.pop(), undefined);
});

test('undoPop gives the entry back: the next pop walks it again from memory, and only it', () => {
  const r = rig({ eventIdx: true });
  const head = r.dq.add([{ len: 2 }, { len: 3, write: true }]);
  const second = r.dq.add([{ len: 4, write: true }]);
  const c = r.q.pop();
  assert.ok(c);
  assert.equal(r.dq.availEvent(), 1);
  r.q.undoPop(c);
  assert.equal(r.q.save().lastAvailIdx, 0, 'the entry is back with the driver');
  assert.equal(r.dq.availEvent(), 0, 'avail_event does not run ahead of what the device took');
  // The driver may change the chain before the device takes it for real: it is walked again.
  r.dq.writeDesc(head + 1, r.dq.buffers.get(head)![1].addr, 1, WRITE, 0);
  const again = r.q.pop();
  assert.ok(again && again !== c);
  assert.deepEqual(
    again.writable.map((b) => b.len),
    [1],
  );
  // A chain given back can no longer be pushed; the re-popped one can.
  r.q.push(c, 1);
  assert.deepEqual(r.dq.takeUsed(), []);
  r.q.push(again, 1);
  assert.deepEqual(r.dq.takeUsed(), [{ id: head, len: 1 }]);
  const next = r.q.pop();
  assert.equal(next?.head, second);
  assert.deepEqual(r.resets, []);
});

test('undoPop is refused for any chain but the one pop() just returned', () => {
  const r = rig();
  r.dq.add([{ len: 1, write: true }]);
  r.dq.add([{ len: 1, write: true }]);
  const a = r.q.pop()!;
  const b = r.q.pop()!;
  assert.throws(() => r.q.undoPop(a), /undoPop/);
  r.q.push(a, 0);
  assert.throws(() => r.q.undoPop(b), /undoPop/, 'not after a push');
  const c = r.q.chainAt(b.head)!;
  assert.throws(() => r.q.undoPop(c), /undoPop/, 'not a chain from chainAt');
  assert.equal(r.q.save().lastAvailIdx, 2);
  // After a reset the ring is gone: giving back a chain popped before it does nothing.
  r.dq.add([{ len: 1, write: true }]);
  const d = r.q.pop()!;
  r.q.reset();
  assert.doesNotThrow(() => r.q.undoPop(d));
  assert.equal(r.q.save().lastAvailIdx, 0);
});

test('save/restore continues the rings where they were', () => {
  const r = rig({ eventIdx: true });
  for (let i = 0; i < 3; i++) r.dq.add([{ len: 1, write: true }]);
  r.q.push(r.q.pop()!, 1);
  const s = JSON.parse(JSON.stringify(r.q.save()));
  const q2 = new SplitVirtqueue(0, 16, {
    mem: r.mem,
    usedBufferNotification: () => {},
    needsReset: () => {},
  });
  q2.restore(s);
  assert.equal(q2.pop(), undefined, 'inactive until the transport activates it');
  q2.activate(true, true);
  const c = q2.pop();
  assert.ok(c);
  assert.equal(c.head, 1);
  q2.push(c, 1);
  assert.deepEqual(
    r.dq.takeUsed().map((e) => e.id),
    [0, 1],
  );
  assert.throws(() => q2.restore({ ...s, descAddr: BASE + 1 }), /aligned/);
  assert.throws(() => q2.restore({ ...s, lastAvailIdx: 70_000 }), /range/);
});

// --- Queue layout (§2.7: sizes and alignment; the areas must lie in RAM) ---

test('enable() refuses bad sizes and misaligned or out-of-RAM areas', () => {
  const mem = new GuestMemory(BASE, 64 * 1024);
  const host = { mem, usedBufferNotification: () => {}, needsReset: () => {} };
  const q = new SplitVirtqueue(0, 16, host);
  const good = (): void => {
    q.num = 16;
    q.descAddr = BASE;
    q.driverAddr = BASE + 0x1000;
    q.deviceAddr = BASE + 0x2000;
  };
  const cases: [string, () => void, RegExp][] = [
    ['size 0', () => (q.num = 0), /size 0/],
    ['size 3', () => (q.num = 3), /size 3/],
    ['size above QueueNumMax', () => (q.num = 32), /size 32/],
    ['desc misaligned', () => (q.descAddr = BASE + 8), /descriptor area .* aligned/],
    ['avail misaligned', () => (q.driverAddr = BASE + 0x1001), /driver area .* aligned/],
    ['used misaligned', () => (q.deviceAddr = BASE + 0x2002), /device area .* aligned/],
    ['desc below RAM', () => (q.descAddr = BASE - 16), /descriptor area .* outside/],
    ['avail past RAM', () => (q.driverAddr = BASE + 64 * 1024 - 2), /driver area .* outside/],
    ['used straddles the end', () => (q.deviceAddr = BASE + 64 * 1024 - 64), /device area .* outside/],
    ['64-bit address', () => (q.descAddr = 2 ** 40 + BASE), /descriptor area .* outside/],
  ];
  for (const [name, spoil, why] of cases) {
    good();
    spoil();
    assert.match(q.enable() ?? 'accepted', why, name);
    assert.equal(q.ready, false, name);
  }
  good();
  assert.equal(q.enable(), undefined);
  assert.equal(q.ready, true);
  assert.throws(() => new SplitVirtqueue(0, 24, host), /power of two/);
  assert.throws(() => new SplitVirtqueue(0, 65536, host), /power of two/);
});

// --- Hostile chains: each one puts the device in DEVICE_NEEDS_RESET ---

test('hostile: buffer addresses and lengths outside guest RAM', () => {
  const top = BASE + RAM;
  const cases: [string, number, number][] = [
    ['below RAM', BASE - 16, 16],
    ['at the end of RAM', top, 1],
    ['straddling the end', top - 8, 16],
    ['length past RAM', BASE + 0x1000, RAM],
    ['length 0xffffffff', BASE, 0xffffffff],
    ['above 4 GiB', 2 ** 32 + BASE, 16],
    ['far above 2^53', 2 ** 63, 16],
  ];
  for (const [name, addr, len] of cases) {
    const r = rig();
    raw(r, [[addr, len, WRITE, 0]]);
    assert.doesNotThrow(() => expectBroken(r, /outside guest RAM/), name);
  }
});

test('hostile: descriptor loops and chains longer than the queue', () => {
  const r = rig();
  const a = buf(r);
  raw(r, [[a, 16, NEXT, 0]]);
  expectBroken(r, /loop|longer/);

  const r2 = rig();
  raw(r2, [
    [a, 16, NEXT, 1],
    [a, 16, NEXT, 2],
    [a, 16, NEXT, 0],
  ]);
  expectBroken(r2, /loop|longer/);

  // Indirect: a loop inside the table, and a loop-free table chain longer than the queue size.
  const r3 = rig({ size: 4 });
  const t3 = r3.alloc.alloc(32, 16);
  r3.dq.writeDesc(0, a, 16, NEXT, 1, t3);
  r3.dq.writeDesc(1, a, 16, NEXT, 0, t3);
  raw(r3, [[t3, 32, INDIRECT, 0]]);
  expectBroken(r3, /longer/);

  const r4 = rig({ size: 4 });
  const t4 = r4.alloc.alloc(16 * 5, 16);
  for (let i = 0; i < 5; i++) r4.dq.writeDesc(i, a, 16, i < 4 ? NEXT : 0, i + 1, t4);
  raw(r4, [[t4, 16 * 5, INDIRECT, 0]]);
  expectBroken(r4, /longer than the queue size 4/);
});

test('hostile: chain of more than 2^32 bytes', () => {
  // 4097 buffers of 1 MiB each (all over the same RAM) through one indirect table.
  const r = rig({ size: 8192, ram: 2 << 20 });
  const table = r.alloc.alloc(16 * 4097, 16);
  for (let i = 0; i < 4097; i++) r.dq.writeDesc(i, BASE, 1 << 20, i < 4096 ? NEXT : 0, i + 1, table);
  raw(r, [[table, 16 * 4097, INDIRECT, 0]]);
  expectBroken(r, /2\^32/);
});

test('hostile: indirect descriptor misuse (§2.7.5.3.1)', () => {
  const a = 0x1000 + BASE;
  const cases: [string, (r: Rig) => void, RegExp, boolean?][] = [
    [
      'nested indirect',
      (r) => {
        const t = r.alloc.alloc(32, 16);
        r.dq.writeDesc(0, t, 16, INDIRECT, 0, t);
        raw(r, [[t, 32, INDIRECT, 0]]);
      },
      /inside an indirect table/,
    ],
    [
      'INDIRECT with NEXT',
      (r) => {
        const t = r.alloc.alloc(16, 16);
        r.dq.writeDesc(0, a, 16, 0, 0, t);
        raw(r, [
          [t, 16, INDIRECT | NEXT, 1],
          [a, 16, 0, 0],
        ]);
      },
      /both INDIRECT and NEXT/,
    ],
    [
      'without VIRTIO_F_INDIRECT_DESC',
      (r) => {
        const t = r.alloc.alloc(16, 16);
        r.dq.writeDesc(0, a, 16, 0, 0, t);
        raw(r, [[t, 16, INDIRECT, 0]]);
      },
      /without VIRTIO_F_INDIRECT_DESC/,
      false,
    ],
    [
      'table length 0',
      (r) => raw(r, [[r.alloc.alloc(16, 16), 0, INDIRECT, 0]]),
      /not a non-zero multiple of 16/,
    ],
    [
      'table length 24',
      (r) => raw(r, [[r.alloc.alloc(32, 16), 24, INDIRECT, 0]]),
      /not a non-zero multiple of 16/,
    ],
    ['table outside RAM', (r) => raw(r, [[BASE + RAM - 16, 32, INDIRECT, 0]]), /indirect table .* outside/],
    [
      'next beyond the table',
      (r) => {
        const t = r.alloc.alloc(32, 16);
        r.dq.writeDesc(0, a, 16, NEXT, 2, t);
        raw(r, [[t, 32, INDIRECT, 0]]);
      },
      /indirect next index 2 is not below the table size 2/,
    ],
  ];
  for (const [name, build, why, indirect] of cases) {
    const r = rig({ indirect: indirect ?? true });
    build(r);
    assert.doesNotThrow(() => expectBroken(r, why), name);
  }
});

test('hostile: a readable buffer after a writable one, directly and across an indirect table', () => {
  const r = rig();
  const a = buf(r);
  raw(r, [
    [a, 16, WRITE | NEXT, 1],
    [a, 16, 0, 0],
  ]);
  expectBroken(r, /readable buffer after a device-writable/);

  const r2 = rig();
  const t = r2.alloc.alloc(16, 16);
  r2.dq.writeDesc(0, a, 16, 0, 0, t);
  raw(r2, [
    [a, 16, WRITE | NEXT, 1],
    [t, 16, INDIRECT, 0],
  ]);
  expectBroken(r2, /readable buffer after a device-writable/);

  // Even a zero-length writable buffer orders the chain.
  const r3 = rig();
  raw(r3, [
    [a, 0, WRITE | NEXT, 1],
    [a, 16, 0, 0],
  ]);
  expectBroken(r3, /readable buffer after a device-writable/);
});

test('hostile: head and next indexes at or above the queue size', () => {
  const r = rig();
  r.dq.publish(16);
  expectBroken(r, /head index 16/);

  const r2 = rig();
  r2.dq.publish(0xffff);
  expectBroken(r2, /head index 65535/);

  const r3 = rig();
  raw(r3, [[buf(r3), 16, NEXT, 16]]);
  expectBroken(r3, /next index 16 is not below the table size 16/);
});

test('hostile: an available idx more than the queue size ahead', () => {
  const r = rig({ size: 8 });
  r.dq.setAvailIdx(9);
  expectBroken(r, /more than the queue size 8/);

  const r2 = rig({ size: 8 });
  r2.dq.setAvailIdx(0xffff); // "behind" by one = 65535 ahead
  expectBroken(r2, /65535 entries/);

  // Exactly the queue size ahead is a full ring, which is fine.
  const r3 = rig({ size: 8 });
  for (let i = 0; i < 8; i++) r3.dq.writeDesc(i, BASE + 0x10000, 4, WRITE, 0);
  for (let i = 0; i < 8; i++) r3.dq.publish(i);
  for (let i = 0; i < 8; i++) assert.ok(r3.q.pop());
  assert.equal(r3.resets.length, 0);
});

test('a queue that is not ready, not active or halted touches nothing', () => {
  const r = rig();
  r.dq.add([{ len: 1, write: true }]);
  r.q.disable();
  assert.equal(r.q.pop(), undefined);
  r.q.notify();
  const r2 = rig();
  r2.dq.add([{ len: 1, write: true }]);
  r2.q.halt();
  assert.equal(r2.q.pop(), undefined);
  assert.equal(r2.q.chainAt(0), undefined);
  assert.equal(r.resets.length + r2.resets.length, 0);
});
