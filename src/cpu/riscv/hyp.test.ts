// The hypervisor extension where the ISA programs cannot look: that the software TLB caches
// composed (guest virtual to host physical) translations, keyed by VMID, so that a G-stage
// change is seen only after HFENCE.GVMA (the fence is what makes the difference), and that two
// VMIDs' mappings of one guest address never mix.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PhysBus } from '../../memory/bus.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import * as C from './csr-defs.js';
import { RiscvHart } from './hart.js';
import { isaProfile } from './isa/profile.js';

const BASE = 0x80000000;
const PAGE = 4096;
const PTE_V = 1,
  PTE_R = 2,
  PTE_W = 4,
  PTE_X = 8,
  PTE_U = 16,
  PTE_A = 64,
  PTE_D = 128;
const LEAF = PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D;
/** The guest physical address the tests load from (VS-stage Bare: also the guest virtual one). */
const GPA = 0x1000;

function machine() {
  const mem = new GuestMemory(BASE, 1 << 20, false);
  const h = new RiscvHart(0, mem, new PhysBus(mem), {
    mtime: () => 0,
    mtime64: () => 0n,
    isa: isaProfile('max,h=on'),
  });
  h.pmp.openAll();
  h.pmpChanged();
  return { h, mem };
}

const pte = (pa: number, flags: number): bigint => (BigInt(pa / PAGE) << 10n) | BigInt(flags);

/**
 * An Sv39x4 G-stage at `root` (16 KiB) mapping the page of GPA to host page `hpa`, with its
 * level-1 and level-0 tables in the two pages after the root's four. Returns the leaf's address.
 */
function gStage(mem: GuestMemory, root: number, hpa: number): number {
  const l1 = root + 4 * PAGE;
  const l0 = l1 + PAGE;
  mem.view.setBigUint64(root - BASE, pte(l1, PTE_V), true);
  mem.view.setBigUint64(l1 - BASE, pte(l0, PTE_V), true);
  const leaf = l0 + ((GPA / PAGE) % 512) * 8;
  mem.view.setBigUint64(leaf - BASE, pte(hpa, LEAF), true);
  return leaf;
}

/** Enter VS-mode with hgatp = Sv39x4 at `root` with `vmid` (as an HS write of hgatp, then SRET, would). */
function enterVs(h: RiscvHart, root: number, vmid: number): void {
  h.hyp.hgatpMode = C.SATP_MODE_SV39;
  h.hyp.hgatpPpn = root / PAGE;
  h.hyp.hgatpVmid = vmid;
  h.priv = C.PRV_S;
  h.hyp.virt = true;
  h.updateContext();
}

function leaveToHs(h: RiscvHart): void {
  h.hyp.virt = false;
  h.priv = C.PRV_S;
  h.updateContext();
}

/** A doubleword load at GPA in the current mode (through the TLB when it holds the page). */
function load(h: RiscvHart): bigint {
  h.trapped = false;
  h.load(5, GPA, 8, false);
  assert.equal(h.trapped, false, 'the load trapped');
  return (BigInt(h.x[11] >>> 0) << 32n) | BigInt(h.x[10] >>> 0);
}

test('H: a G-stage change is seen after HFENCE.GVMA, and not before (the TLB holds composed translations)', () => {
  const { h, mem } = machine();
  const a = BASE + 0x40000,
    b = BASE + 0x41000;
  mem.view.setBigUint64(a - BASE, 0xaaaan, true);
  mem.view.setBigUint64(b - BASE, 0xbbbbn, true);
  const root = BASE + 0x10000;
  const leaf = gStage(mem, root, a);
  enterVs(h, root, 1);
  assert.equal(load(h), 0xaaaan);
  mem.view.setBigUint64(leaf - BASE, pte(b, LEAF), true);
  assert.equal(load(h), 0xaaaan, 'without a fence the cached translation stays');
  leaveToHs(h);
  h.hfence(true, 0);
  enterVs(h, root, 1);
  assert.equal(load(h), 0xbbbbn);
});

test('H: HFENCE.VVMA of one guest page drops its cached translation', () => {
  const { h, mem } = machine();
  const a = BASE + 0x40000,
    b = BASE + 0x41000;
  mem.view.setBigUint64(a - BASE, 1n, true);
  mem.view.setBigUint64(b - BASE, 2n, true);
  const root = BASE + 0x10000;
  const leaf = gStage(mem, root, a);
  enterVs(h, root, 3);
  assert.equal(load(h), 1n);
  mem.view.setBigUint64(leaf - BASE, pte(b, LEAF), true);
  leaveToHs(h);
  h.setX(7, GPA, 0);
  h.hfence(false, 7);
  enterVs(h, root, 3);
  assert.equal(load(h), 2n);
});

test('H: two VMIDs mapping one guest address to different pages never see each other’s', () => {
  const { h, mem } = machine();
  const a = BASE + 0x40000,
    b = BASE + 0x41000;
  mem.view.setBigUint64(a - BASE, 0x1111n, true);
  mem.view.setBigUint64(b - BASE, 0x2222n, true);
  const root1 = BASE + 0x10000,
    root2 = BASE + 0x20000;
  gStage(mem, root1, a);
  gStage(mem, root2, b);
  for (let round = 0; round < 3; round++) {
    enterVs(h, root1, 1);
    assert.equal(load(h), 0x1111n, `VMID 1, round ${round}`);
    leaveToHs(h);
    enterVs(h, root2, 2);
    assert.equal(load(h), 0x2222n, `VMID 2, round ${round}`);
    leaveToHs(h);
  }
  // HS-mode itself (V = 0, satp Bare) reads host physical GPA, which is not RAM: no V = 1 entry
  // may answer it.
  h.trapped = false;
  h.mtvec = BASE;
  h.load(5, GPA, 8, false);
  assert.equal(h.trapped, true);
});
