// Instruction fetch from a device region (privileged spec 3.6.1, physical memory attributes: I/O
// regions are not executable): the fetch raises an instruction access fault and the device never
// sees a read, since device reads have side effects (a PLIC claim, a UART byte popped).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PhysBus } from '../../memory/bus.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { CAUSE_FETCH_ACCESS } from './csr-defs.js';
import { RiscvHart } from './hart.js';
import { runInterpreter } from './interp.js';

const RAM_BASE = 0x80000000;
const DEV_BASE = 0x10000000;
const ADDI_X5 = 0x00128293; // addi x5, x5, 1: what the device would hand a fetch

test('a fetch from a device region is an access fault and does not read the device', () => {
  const mem = new GuestMemory(RAM_BASE, 1 << 16, false);
  const bus = new PhysBus(mem);
  let reads = 0;
  bus.map('dev', DEV_BASE, 0x1000, {
    read: () => {
      reads++;
      return ADDI_X5;
    },
    write: () => {},
  });
  const h = new RiscvHart(0, mem, bus, { mtime: () => 0, mtime64: () => 0n });
  h.mtvec = RAM_BASE + 0x100;
  h.pc = DEV_BASE + 0x10;
  runInterpreter(h, 1);
  assert.equal(reads, 0, 'the device was not read');
  assert.equal(h.mcause[0], CAUSE_FETCH_ACCESS);
  assert.equal(h.mtval[0], DEV_BASE + 0x10);
  assert.equal(h.mepc[0], DEV_BASE + 0x10);
  assert.equal(h.x[10], 0, 'nothing executed');
  // Loads from the same device still work: only execution is refused.
  assert.equal(h.readSlow(DEV_BASE, 4, 1), true);
  assert.equal(reads, 1);
});
