// The interpreter's stopping points when it runs cold code for the translator (`toBlockEnd`): the
// dispatcher must see cold code at the same instruction boundaries where translated blocks
// start, which are after a control transfer and at a page's start (a block never crosses a page).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PhysBus } from '../../memory/bus.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { RiscvHart } from './hart.js';
import { runInterpreter } from './interp.js';

const BASE = 0x80000000;
const ADDI_X5 = 0x00128293; // addi x5, x5, 1
const C_ADDI_X5 = 0x0285; // c.addi x5, 1
const BEQ_X0_X0_8 = 0x00000463; // beq x0, x0, +8

function machine(): RiscvHart {
  const mem = new GuestMemory(BASE, 1 << 16, false);
  const h = new RiscvHart(0, mem, new PhysBus(mem), { mtime: () => 0, mtime64: () => 0n });
  h.pc = BASE;
  return h;
}

/** Fill [from, to) with 4-byte addi x5, x5, 1. */
function addis(h: RiscvHart, from: number, to: number): void {
  for (let a = from; a < to; a += 4) h.mem.write32(a, ADDI_X5);
}

const x5 = (h: RiscvHart): number => h.x[10];

test('toBlockEnd: stops after a branch, which ends a translated block', () => {
  const h = machine();
  addis(h, BASE, BASE + 12);
  h.mem.write32(BASE + 12, BEQ_X0_X0_8);
  addis(h, BASE + 16, BASE + 64);
  assert.equal(runInterpreter(h, 64, true), 4);
  assert.equal(h.pc, BASE + 20);
  assert.equal(x5(h), 3);
});

test('toBlockEnd: stops at the end of a page, where the next block starts', () => {
  const h = machine();
  h.pc = BASE + 4096 - 16;
  addis(h, h.pc, BASE + 4096 + 64);
  assert.equal(runInterpreter(h, 64, true), 4);
  assert.equal(h.pc, BASE + 4096);
  assert.equal(x5(h), 4);
});

test('toBlockEnd: stops after an instruction that straddles two pages', () => {
  const h = machine();
  // c.addi, then a 4-byte addi at offset 4094 whose second half is on the next page.
  h.pc = BASE + 4096 - 4;
  h.mem.write(h.pc, new Uint8Array([C_ADDI_X5 & 0xff, C_ADDI_X5 >> 8]));
  h.mem.write(
    h.pc + 2,
    new Uint8Array([ADDI_X5 & 0xff, (ADDI_X5 >> 8) & 0xff, (ADDI_X5 >> 16) & 0xff, ADDI_X5 >>> 24]),
  );
  addis(h, BASE + 4096 + 2, BASE + 4096 + 66);
  assert.equal(runInterpreter(h, 64, true), 2);
  assert.equal(h.pc, BASE + 4096 + 2);
  assert.equal(x5(h), 2);
});

test('without toBlockEnd, straight-line code runs across pages to the budget', () => {
  const h = machine();
  h.pc = BASE + 4096 - 16;
  addis(h, h.pc, BASE + 4096 + 64);
  assert.equal(runInterpreter(h, 10), 10);
  assert.equal(h.pc, BASE + 4096 + 24);
  assert.equal(x5(h), 10);
});
