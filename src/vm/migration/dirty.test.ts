// The dirty log (GuestMemory.dirty, memory/dirty-log.ts): every way guest RAM is written marks the
// page, and once the log is read and cleared, the next store to a page is seen again, also when
// the store would have gone through a TLB mapping made before the clear.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PhysBus } from '../../memory/bus.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { countDirtyPages, takeDirtyPages } from '../../memory/dirty-log.js';
import { RiscvHart } from '../../cpu/riscv/hart.js';
import { runInterpreter } from '../../cpu/riscv/interp.js';
import { ACCESS_STORE, CTX_S, walk, type MmuContext } from '../../cpu/riscv/mmu.js';
import { SATP_MODE_SV39 } from '../../cpu/riscv/csr-defs.js';
import { WasmJit } from '../../cpu/riscv/jit/wasm/engine.js';
import { hostBytesFor } from '../../cpu/riscv/jit/wasm/layout.js';
import { writeChain } from '../../devices/virtio/chain.js';

const BASE = 0x80000000;
const RAM = 1 << 20;
const DATA = BASE + 0x40000;
const DATA_PAGE = 0x40;
const JAL_SELF = 0x0000006f;
// Encodings from the unprivileged ISA's opcode map (RV64I S-type, RV64A R-type with funct5).
const SD_X12_X11 = (12 << 20) | (11 << 15) | (3 << 12) | 0x23; // sd x12, 0(x11)
const amo = (funct5: number, rs2: number): number =>
  ((funct5 << 27) | (rs2 << 20) | (11 << 15) | (3 << 12) | (10 << 7) | 0x2f) >>> 0; // .d, rd x10, rs1 x11
const AMOADD_D = amo(0b00000, 12);
const LR_D = amo(0b00010, 0);
const SC_D = amo(0b00011, 12);

function machine(wasm = false): RiscvHart {
  const mem = new GuestMemory(BASE, RAM, false, wasm ? hostBytesFor(1, RAM) : 0);
  const h = new RiscvHart(0, mem, new PhysBus(mem), { mtime: () => 0, mtime64: () => 0n });
  h.pc = BASE;
  return h;
}

function load(h: RiscvHart, words: number[]): void {
  words.forEach((w, k) => h.mem.write32(BASE + 4 * k, w >>> 0));
  h.x[22] = DATA | 0; // x11 low word
  h.x[23] = 0;
  h.x[24] = 0x1234; // x12
  takeDirtyPages(h.mem, [h]);
}

const dirtyNow = (h: RiscvHart): number[] => [...takeDirtyPages(h.mem, [h])];

test('RAM starts all dirty; reading the log clears it', () => {
  const h = machine();
  assert.equal(countDirtyPages(h.mem), RAM / 4096);
  assert.equal(takeDirtyPages(h.mem, [h]).length, RAM / 4096);
  assert.equal(countDirtyPages(h.mem), 0);
});

test('interpreter: a store marks its page, and again after the log is cleared (through the TLB)', () => {
  const h = machine();
  load(h, [SD_X12_X11, SD_X12_X11, SD_X12_X11]);
  runInterpreter(h, 1);
  assert.deepEqual(dirtyNow(h), [DATA_PAGE]);
  // The first store made a store mapping; clearing the log must drop it, or this store is missed.
  runInterpreter(h, 1);
  assert.deepEqual(dirtyNow(h), [DATA_PAGE]);
  runInterpreter(h, 1);
  assert.deepEqual(dirtyNow(h), [DATA_PAGE]);
  assert.equal(h.mem.read64(DATA), 0x1234n);
});

test('interpreter: an AMO and a successful SC mark their page; a load does not', () => {
  const h = machine();
  load(h, [LR_D, SC_D, AMOADD_D, AMOADD_D]);
  runInterpreter(h, 1);
  assert.deepEqual(dirtyNow(h), [], 'LR');
  runInterpreter(h, 1);
  assert.equal(h.x[20], 0, 'the SC succeeded');
  assert.deepEqual(dirtyNow(h), [DATA_PAGE], 'SC');
  runInterpreter(h, 1);
  assert.deepEqual(dirtyNow(h), [DATA_PAGE], 'AMO');
  runInterpreter(h, 1);
  assert.deepEqual(dirtyNow(h), [DATA_PAGE], 'AMO through the TLB after a clear');
});

test('translator: stores and AMOs in translated code mark their page, again after each clear', () => {
  const h = machine(true);
  const jit = WasmJit.create(h.mem, h.decoder, { threshold: 1, batch: 1 });
  assert.ok(jit);
  jit.attach(h);
  load(h, [SD_X12_X11, AMOADD_D, JAL_SELF]);
  for (let round = 0; round < 3; round++) {
    h.pc = BASE;
    const n = jit.run(h, 3);
    assert.ok(n >= 3, `round ${round}: ran the block`);
    assert.deepEqual(dirtyNow(h), [DATA_PAGE], `round ${round}`);
  }
  assert.ok(jit.cache.compiled >= 1, 'the block was translated');
});

test('a page-table walk that sets A and D marks the page of the entry', () => {
  const mem = new GuestMemory(BASE, RAM, false);
  // Sv39: root at page 1, level-1 table at page 2, level-0 table at page 3, leaf for VA 0.
  const root = BASE + 0x1000;
  const l1 = BASE + 0x2000;
  const l0 = BASE + 0x3000;
  const pte = (pa: number, flags: number): bigint => (BigInt(pa / 4096) << 10n) | BigInt(flags);
  mem.write64(root, pte(l1, 1));
  mem.write64(l1, pte(l0, 1));
  mem.write64(l0, pte(DATA, 0x1 | 0x2 | 0x4)); // V R W, A and D clear
  takeDirtyPages(mem, []);
  const c: MmuContext = {
    satpMode: SATP_MODE_SV39,
    satpPpn: root / 4096,
    mxr: false,
    pbmte: false,
    napot: false,
    hwAd: true,
    pbmtSeen: false,
    pteAllowed: () => true,
  };
  assert.equal(walk(mem, c, 0x123, ACCESS_STORE, CTX_S), DATA + 0x123);
  assert.equal(Number(mem.read64(l0) & 0xc0n), 0xc0, 'A and D set');
  assert.deepEqual([...takeDirtyPages(mem, [])], [3]);
});

test('device DMA into a descriptor chain and loader writes mark every page they touch', () => {
  const mem = new GuestMemory(BASE, RAM, false);
  takeDirtyPages(mem, []);
  writeChain(mem, [{ addr: DATA + 4000, len: 200 }], 0, new Uint8Array(200).fill(7));
  assert.deepEqual([...takeDirtyPages(mem, [])], [DATA_PAGE, DATA_PAGE + 1]);
  mem.write(BASE + 0x10000, new Uint8Array(8193));
  assert.deepEqual([...takeDirtyPages(mem, [])], [0x10, 0x11, 0x12]);
  mem.write64(BASE + 0x20ff8, 1n);
  assert.deepEqual([...takeDirtyPages(mem, [])], [0x20]);
});

test('a store mapping is only ever made for a page marked dirty (the TLB_NOTDIRTY invariant)', () => {
  const h = machine();
  takeDirtyPages(h.mem, [h]);
  assert.equal(h.translate(DATA, ACCESS_STORE), DATA);
  assert.deepEqual(dirtyNow(h), [DATA_PAGE]);
});

test('a store that cannot be mapped (the slow path: code pages, watched or PMP-split pages) marks its page', () => {
  const h = machine();
  takeDirtyPages(h.mem, [h]);
  assert.ok(h.writePhys(DATA + 8, 8, 5, 0, DATA + 8));
  assert.deepEqual(dirtyNow(h), [DATA_PAGE]);
});

test('a store to a sign-extended address with translation off is a store access fault, not a host exception', () => {
  const h = machine();
  load(h, [SD_X12_X11]);
  h.x[22] = 0x80800000 | 0; // x11 = 0xffffffff80800000 (lui's sign extension)
  h.x[23] = -1;
  runInterpreter(h, 1);
  assert.deepEqual([...h.mcause], [7, 0], 'store/AMO access fault');
  assert.deepEqual(dirtyNow(h), []);
});
