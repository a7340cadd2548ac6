// CSR read-modify-write semantics that the ISA programs cannot reach on the spike board, because
// they need an interrupt line from a platform interrupt controller or another ISA profile.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GuestMemory } from '../../memory/guest-memory.js';
import { PhysBus } from '../../memory/bus.js';
import * as C from './csr-defs.js';
import { csrOp } from './csr.js';
import { RiscvHart } from './hart.js';
import { isaProfile } from './isa/profile.js';

function hart(cpu = 'max'): RiscvHart {
  const mem = new GuestMemory(0x80000000, 64 * 1024);
  return new RiscvHart(0, mem, new PhysBus(mem), { mtime: () => 0, mtime64: () => 0n, isa: isaProfile(cpu) });
}

/** csrrs/csrrc rd, csr, rs1 (Zicsr encoding: csr[31:20] rs1[19:15] funct3[14:12] rd[11:7] 1110011). */
function csrInsn(f3: number, rd: number, csr: number, rs1: number): number {
  return ((csr << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x73) >>> 0;
}
const CSRRS = 2;
const CSRRC = 3;

test('CSRRS/CSRRC on mip modify the software SEIP bit, not the external line (priv 3.1.9)', () => {
  const h = hart();
  h.irqLines = C.MIP_SEIP; // the PLIC's S-mode context is asserting
  h.setX(6, C.MIP_SSIP, 0);
  csrOp(h, csrInsn(CSRRS, 5, C.CSR_MIP, 6));
  assert.equal(h.trapped, false);
  assert.equal(h.x[10] & C.MIP_SEIP, C.MIP_SEIP, 'the read shows the line');
  assert.equal(h.mip & C.MIP_SEIP, 0, 'csrs must not latch the line into the software bit');
  assert.equal(h.mip & C.MIP_SSIP, C.MIP_SSIP);
  h.irqLines = 0; // the device's interrupt is handled
  assert.equal(h.pendingBits() & C.MIP_SEIP, 0, 'SEIP must drop with the line');

  // csrc of another bit must not latch it either.
  h.irqLines = C.MIP_SEIP;
  csrOp(h, csrInsn(CSRRC, 5, C.CSR_MIP, 6));
  assert.equal(h.mip & (C.MIP_SEIP | C.MIP_SSIP), 0);

  // Software may still set and clear its own SEIP bit.
  h.irqLines = 0;
  h.setX(7, C.MIP_SEIP, 0);
  csrOp(h, csrInsn(CSRRS, 0, C.CSR_MIP, 7));
  assert.equal(h.pendingBits() & C.MIP_SEIP, C.MIP_SEIP);
  csrOp(h, csrInsn(CSRRC, 0, C.CSR_MIP, 7));
  assert.equal(h.pendingBits() & C.MIP_SEIP, 0);
});

const CSRRW = 1;
/** Write `v` to `csr` with CSRRW (x6 = v) and read it back with CSRRS x5, csr, x0. */
function writeRead(h: RiscvHart, csr: number, v: number): number {
  h.setX(6, v, 0);
  csrOp(h, csrInsn(CSRRW, 0, csr, 6));
  csrOp(h, csrInsn(CSRRS, 5, csr, 0));
  assert.equal(h.trapped, false);
  return h.x[10];
}

test('menvcfg and senvcfg: CBIE, CBCFE and CBZE are writable with Zicbom and Zicboz, else read-only zero', () => {
  const CMO = C.ENVCFG_CBIE | C.ENVCFG_CBCFE | C.ENVCFG_CBZE;
  const cases: [string, number][] = [
    ['max', CMO],
    ['max,zicbom=off', C.ENVCFG_CBZE],
    ['max,zicboz=off', C.ENVCFG_CBIE | C.ENVCFG_CBCFE],
    ['rv64gc', 0],
  ];
  for (const [cpu, writable] of cases)
    for (const csr of [C.CSR_MENVCFG, C.CSR_SENVCFG]) {
      const h = hart(cpu);
      assert.equal(writeRead(h, csr, 0xff) & CMO, writable, `${cpu} 0x${csr.toString(16)}`);
      assert.equal(writeRead(h, csr, 0) & CMO, 0, `${cpu} 0x${csr.toString(16)} cleared`);
    }
});

test('envcfg CBIE is WARL: the reserved 10 keeps the previous value', () => {
  for (const csr of [C.CSR_MENVCFG, C.CSR_SENVCFG]) {
    const h = hart();
    for (const before of [0x00, 0x10, 0x30]) {
      writeRead(h, csr, before);
      assert.equal(
        writeRead(h, csr, 0x20 | C.ENVCFG_CBZE) & 0xf0,
        before | C.ENVCFG_CBZE,
        `from 0x${before.toString(16)}`,
      );
    }
  }
});
