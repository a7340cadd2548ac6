// Live migration in one process: a guest that keeps storing a counter is migrated through an
// in-memory channel into RAM made beforehand, as `--incoming tcp:` does; the destination built from
// it must hold exactly the source's RAM and state. A failing channel and a cancel leave the source
// running.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryCharBackend } from '../../backends/memory-char.js';
import { VIRT_MAP } from '../../boards/virt/memory-map.js';
import type { VirtBoard } from '../../boards/virt/board.js';
import { saveVirtBoard } from '../../boards/virt/state.js';
import { engineHostBytes } from '../../engine/tcg/loop.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { build } from '../build.js';
import type { VirtConfig } from '../config.js';
import type { MachineDescription, ParsedSnapshot } from '../snapshot/format.js';
import {
  DEFAULT_MIGRATION_PARAMETERS,
  LiveMigration,
  type MigrationSink,
  type MigrationStatus,
} from './migrate.js';
import { applyPages, MigrationStreamReader } from './stream.js';

const MiB = 1024 * 1024;
const RAM = 16 * MiB;
const COUNTER = 0x80800000;

/** A Linux Image header whose code0 jumps to `program` (see build.test.ts). */
function image(program: readonly number[]): Uint8Array {
  const img = new Uint8Array(4096);
  const v = new DataView(img.buffer);
  v.setUint32(0, 0x0400006f, true); // j 64
  v.setBigUint64(8, 0x200000n, true);
  v.setBigUint64(16, 4096n, true);
  img.set(new TextEncoder().encode('RISCV\0\0\0'), 48);
  img.set(new TextEncoder().encode('RSC\x05'), 56);
  program.forEach((insn, k) => v.setUint32(64 + 4 * k, insn, true));
  return img;
}

/**
 * t0 = COUNTER; t2 = t0; loop: t1 += 1; sd t1, 0(t0); sd t1, 8(t2); t2 = t0 + ((t1 & 63) << 12);
 * j loop. One page is stored to all the time (through the store TLB), 64 others in turn.
 */
const PROGRAM = [
  0x808002b7, // lui  t0, 0x80800
  0x02029293, // slli t0, t0, 32
  0x0202d293, // srli t0, t0, 32
  0x00028393, // mv   t2, t0
  0x00130313, // loop: addi t1, t1, 1
  0x0062b023, // sd   t1, 0(t0)
  0x0063b423, // sd   t1, 8(t2)
  0x03f37393, // andi t2, t1, 63
  0x00c39393, // slli t2, t2, 12
  0x005383b3, // add  t2, t2, t0
  0xfe9ff06f, // j    loop
];

const config = (): VirtConfig => ({
  machine: 'virt',
  memoryBytes: RAM,
  kernel: image(PROGRAM),
  console: new MemoryCharBackend(),
});

/** A channel into `mem` through the stream reader, as the destination's socket handler does. */
function channel(mem: GuestMemory, failAfterBytes = Infinity) {
  const reader = new MigrationStreamReader(RAM);
  const got: { desc?: MachineDescription; board?: unknown; bytes: number } = { bytes: 0 };
  const sink: MigrationSink = {
    write: async (b) => {
      got.bytes += b.length;
      if (got.bytes > failAfterBytes) throw new Error('connection reset by peer');
      for (const ev of reader.push(b)) {
        if (ev.kind === 'description') got.desc = ev.desc;
        else if (ev.kind === 'pages') applyPages(mem.bytes, ev.pages, ev.data);
        else if (ev.kind === 'board') got.board = ev.board;
      }
      await new Promise((r) => setImmediate(r));
    },
    end: async () => reader.finish(),
    destroy: () => {},
  };
  return { sink, got };
}

const hooks = (log: MigrationStatus[], passes: number[] = []) => ({
  status: (s: MigrationStatus) => log.push(s),
  pass: (n: number) => passes.push(n),
});

test('a running guest migrates: the destination has the source RAM and state exactly, and runs on', async () => {
  const src = await build(config());
  const running = src.run();
  await new Promise((r) => setTimeout(r, 100));
  const mem = new GuestMemory(VIRT_MAP.ram.base, RAM, false, engineHostBytes('wasm', 1, RAM));
  const { sink, got } = channel(mem);
  const log: MigrationStatus[] = [];
  const passes: number[] = [];
  const m = new LiveMigration(src, sink, DEFAULT_MIGRATION_PARAMETERS, hooks(log, passes));
  await m.run();
  assert.deepEqual(log, ['active', 'device', 'completed'], JSON.stringify(m.info()));
  assert.ok(src.paused, 'the source stays paused (postmigrate)');
  assert.ok(passes.length >= 2 && passes[0] === 1, `passes ${passes}`);
  const board = src.board as VirtBoard;
  const counter = board.mem.read64(COUNTER);
  assert.ok(counter > 1000n, 'the guest ran');
  assert.ok(Buffer.compare(mem.bytes, board.mem.bytes) === 0, 'the destination RAM is the source RAM');
  const info = m.info() as { ram: Record<string, number>; downtime: number };
  assert.equal(info.ram.remaining, 0);
  assert.ok(info.ram.transferred > 64 * 4096 && info.downtime >= 0);
  // The guest clock follows the host's while paused: mtime is compared apart.
  const withoutMtime = (state: unknown): { clint: { mtime?: string } } => {
    const s = JSON.parse(JSON.stringify(state)) as { clint: { mtime?: string } };
    delete s.clint.mtime;
    return s;
  };
  const state = saveVirtBoard(board);
  assert.deepEqual(withoutMtime(got.board), withoutMtime(state), 'the state sent is the source state');
  src.stop();
  await running;
  await src.close();
  const snap: ParsedSnapshot = {
    version: 1,
    desc: got.desc as MachineDescription,
    board: got.board,
    ramPages: new Uint32Array(0),
    ramData: new Uint8Array(0),
    ramDataOffset: 0,
    ramMemory: mem,
  };
  const dst = await build({ ...config(), incoming: snap });
  const dboard = dst.board as VirtBoard;
  const restored = saveVirtBoard(dboard);
  assert.deepEqual(withoutMtime(restored), withoutMtime(state), 'the same board and hart state');
  const sentMtime = BigInt((got.board as { clint: { mtime: string } }).clint.mtime);
  assert.ok(BigInt(restored.clint.mtime) >= sentMtime, 'guest time does not go back');
  dst.run().catch(() => {});
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(dboard.mem.read64(COUNTER) > counter, 'the destination counts on');
  await dst.close();
});

test('a channel that fails mid-stream: failed, with the reason, and the source runs on', async () => {
  const src = await build(config());
  const running = src.run();
  const mem = new GuestMemory(VIRT_MAP.ram.base, RAM, false);
  const { sink } = channel(mem, 100_000);
  const log: MigrationStatus[] = [];
  const m = new LiveMigration(src, sink, DEFAULT_MIGRATION_PARAMETERS, hooks(log));
  await m.run();
  assert.equal(m.status, 'failed');
  assert.match(String(m.info()['error-desc']), /connection reset/);
  assert.ok(!src.paused);
  const board = src.board as VirtBoard;
  const c0 = board.mem.read64(COUNTER);
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(board.mem.read64(COUNTER) > c0, 'the guest still runs');
  src.stop();
  await running;
  await src.close();
});

test('migrate_cancel during the passes: cancelled, and the source runs on', async () => {
  const src = await build(config());
  const running = src.run();
  const mem = new GuestMemory(VIRT_MAP.ram.base, RAM, false);
  const { sink } = channel(mem);
  const log: MigrationStatus[] = [];
  // A limit no pass can meet: the migration would go on for ever.
  const m = new LiveMigration(src, sink, { ...DEFAULT_MIGRATION_PARAMETERS, downtimeLimitMs: 0 }, hooks(log));
  const done = m.run();
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(m.status, 'active');
  m.cancel();
  await done;
  assert.deepEqual(log.slice(-2), ['cancelling', 'cancelled']);
  assert.ok(!src.paused);
  src.stop();
  await running;
  await src.close();
});
