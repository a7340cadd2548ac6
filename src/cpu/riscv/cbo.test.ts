// Cache-block operations and WRS where the ISA programs cannot look: the store TLB path against the
// slow one, translated code and watched ranges that CBO.ZERO writes, device regions (the PMA
// choice: management allowed, CBO.ZERO refused), addresses beyond 2^53 in xtval, and the hart's
// side of WRS (when it ends the slice, when TW makes WRS.NTO illegal).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PhysBus } from '../../memory/bus.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import * as C from './csr-defs.js';
import { RiscvHart, type HartEnv } from './hart.js';
import { runInterpreter } from './interp.js';
import { ACCESS_STORE } from './mmu.js';

const BASE = 0x80000000;
const DATA = BASE + 0x3000;
const DEV = 0x10000000;
const TRAP = BASE + 0x100;
/** cbo.* (a1): MISC-MEM funct3 010, rs1 = x11. */
const CBO_ZERO_A1 = 0x0045a00f;
const CBO_CLEAN_A1 = 0x0015a00f;
const CBO_INVAL_A1 = 0x0005a00f;
const WRS_NTO = 0x00d00073;
const WRS_STO = 0x01d00073;

function machine(env: Partial<HartEnv> = {}) {
  const mem = new GuestMemory(BASE, 1 << 16, false);
  const bus = new PhysBus(mem);
  const devWrites: number[] = [];
  let devReads = 0;
  bus.map('dev', DEV, 0x1000, {
    read: () => devReads++,
    write: (off) => {
      devWrites.push(off);
    },
  });
  const h = new RiscvHart(0, mem, bus, { mtime: () => 0, mtime64: () => 0n, ...env });
  h.mtvec = TRAP;
  // What firmware does before S or U runs: PMP open over everything.
  h.pmp.openAll();
  h.pmpChanged();
  return { h, mem, devWrites, devReads: () => devReads };
}

/** Run the instruction `w` once at BASE in mode `priv` with a1 = `a1`; true when it trapped. */
function exec(h: RiscvHart, w: number, a1: number, priv = C.PRV_M): boolean {
  h.mem.write32(BASE, w >>> 0);
  h.priv = priv;
  h.updateContext();
  h.setX(11, a1 | 0, Math.floor(a1 / 2 ** 32));
  h.pc = BASE;
  h.mcause[0] = -1;
  runInterpreter(h, 1);
  return h.pc === TRAP;
}

function fill(mem: GuestMemory, at: number, n: number): void {
  for (let k = 0; k < n; k++) mem.bytes[at - BASE + k] = 0xa5;
}

test('CBO.ZERO zeroes the same block through the store TLB and without it', () => {
  for (const viaTlb of [false, true]) {
    const { h, mem } = machine();
    fill(mem, DATA, 256);
    if (viaTlb) assert.ok(h.translate(DATA, ACCESS_STORE) > 0, 'the store TLB maps the page');
    assert.equal(exec(h, CBO_ZERO_A1, DATA + 0x47), false);
    const bytes = mem.slice(DATA, 256);
    for (let k = 0; k < 256; k++)
      assert.equal(bytes[k], k >= 0x40 && k < 0x80 ? 0 : 0xa5, `byte ${k} (${viaTlb})`);
  }
});

test('CBO.ZERO over translated code drops it and ends the block; a watched range sees the stores', () => {
  const stores: [number, number][] = [];
  const { h, mem } = machine({
    watch: { start: DATA, end: DATA + 8, onStore: (pa, n) => stores.push([pa, n]) },
  });
  const dropped: number[] = [];
  const codePage = new Uint8Array(16);
  codePage[(DATA + 0x1000 - BASE) / 4096] = 1;
  h.codeCache = { codePage, invalidatePage: (p) => dropped.push(p), invalidateAt: () => {} };
  fill(mem, DATA + 0x1000, 64);
  assert.equal(exec(h, CBO_ZERO_A1, DATA + 0x1000 + 9), false);
  assert.deepEqual(dropped.slice(0, 1), [(DATA + 0x1000 - BASE) / 4096]);
  assert.ok(h.yieldLoop, 'the running block ends after it');
  assert.deepEqual([...mem.slice(DATA + 0x1000, 64)], new Array<number>(64).fill(0));
  assert.equal(exec(h, CBO_ZERO_A1, DATA + 0x3f), false);
  assert.deepEqual(stores[0], [DATA, 8], 'the watched doubleword was stored to');
});

test('device regions: clean/flush/inval are permitted, CBO.ZERO is a store access fault with mtval = x[rs1]', () => {
  const { h, devWrites, devReads } = machine();
  assert.equal(exec(h, CBO_CLEAN_A1, DEV + 0x13), false);
  assert.equal(exec(h, CBO_INVAL_A1, DEV + 0x13), false);
  assert.equal(exec(h, CBO_ZERO_A1, DEV + 0x13), true);
  assert.equal(h.mcause[0], C.CAUSE_STORE_ACCESS);
  assert.equal(h.mtval[0], DEV + 0x13);
  assert.deepEqual(devWrites, [], 'the device saw no store');
  assert.equal(devReads(), 0, 'nor a load');
  // Nothing at all there: every CBO is a store access fault.
  for (const w of [CBO_CLEAN_A1, CBO_INVAL_A1, CBO_ZERO_A1]) {
    assert.equal(exec(h, w, 0x20000005), true);
    assert.equal(h.mcause[0], C.CAUSE_STORE_ACCESS);
    assert.equal(h.mtval[0], 0x20000005);
  }
});

test('an address beyond 2^53 faults with its exact value in mtval', () => {
  const { h } = machine();
  for (const w of [CBO_ZERO_A1, CBO_CLEAN_A1]) {
    h.setX(11, 0x12345679, 0x40000000); // 0x4000000012345679
    h.mem.write32(BASE, w);
    h.pc = BASE;
    runInterpreter(h, 1);
    assert.equal(h.pc, TRAP);
    assert.equal(h.mcause[0], C.CAUSE_STORE_ACCESS);
    assert.deepEqual([h.mtval[0], h.mtval[1]], [0x12345679, 0x40000000]);
  }
});

test('CBO enables: S-mode needs menvcfg, U-mode menvcfg and senvcfg', () => {
  const { h } = machine();
  const all = C.ENVCFG_CBIE | C.ENVCFG_CBCFE | C.ENVCFG_CBZE;
  for (const [menv, senv, priv, trapped] of [
    [0, all, C.PRV_S, true],
    [all, 0, C.PRV_S, false],
    [all, 0, C.PRV_U, true],
    [0, all, C.PRV_U, true],
    [all, all, C.PRV_U, false],
    [0, 0, C.PRV_M, false],
  ] as const) {
    h.menvcfgLo = menv;
    h.senvcfg = senv;
    for (const w of [CBO_ZERO_A1, CBO_CLEAN_A1, CBO_INVAL_A1]) {
      assert.equal(exec(h, w, DATA, priv), trapped, `0x${w.toString(16)} ${menv}/${senv} in ${priv}`);
      if (trapped) assert.equal(h.mcause[0], C.CAUSE_ILLEGAL_INSTRUCTION);
    }
  }
});

test('WRS: ends the slice only while it would stall; WRS.NTO with TW below M-mode is illegal then', () => {
  const { h } = machine();
  const run = (w: number, priv: number, reserved: boolean, tw: boolean, pending = false): string => {
    h.reservation = reserved ? DATA : -1;
    h.mstatus = tw ? C.MSTATUS_TW : 0;
    h.mie = pending ? C.MIP_MSIP : 0;
    h.mip = pending ? C.MIP_MSIP : 0;
    h.yieldLoop = false;
    const trapped = exec(h, w, 0, priv);
    return trapped ? `trap ${h.mcause[0]}` : h.yieldLoop ? 'yield' : 'done';
  };
  const illegal = `trap ${C.CAUSE_ILLEGAL_INSTRUCTION}`;
  // No reservation, or a locally enabled interrupt pending: no stall, so no TW trap either.
  assert.equal(run(WRS_NTO, C.PRV_S, false, true), 'done');
  assert.equal(run(WRS_NTO, C.PRV_U, true, true, true), 'done');
  // It would stall: TW (below M) makes WRS.NTO illegal; otherwise it yields.
  assert.equal(run(WRS_NTO, C.PRV_S, true, true), illegal);
  assert.equal(run(WRS_NTO, C.PRV_U, true, true), illegal);
  assert.equal(run(WRS_NTO, C.PRV_M, true, true), 'yield');
  assert.equal(run(WRS_NTO, C.PRV_U, true, false), 'yield');
  assert.equal(run(WRS_STO, C.PRV_U, true, true), 'yield');
  assert.equal(run(WRS_STO, C.PRV_S, false, true), 'done');
  // The reservation survives it.
  run(WRS_STO, C.PRV_M, true, false);
  assert.equal(h.reservation, DATA);
});
