// The hypervisor extension's instructions as the hart carries them out (privileged spec,
// "Hypervisor Instructions"): HFENCE.VVMA and HFENCE.GVMA over the TLB's address-space banks, and
// the virtual-machine loads and stores HLV, HLVX and HSV, made as VS or VU would make them.

import * as C from './csr-defs.js';
import type { HypState } from './hyp.js';
import { ACCESS_LOAD, type Tlb } from './mmu.js';

/**
 * The TLB bank key of V = 1's address space (VMID, vsatp.ASID): apart from every satp ASID
 * (which are below 2^16).
 */
export function vSpaceKey(vmid: number, asid: number): number {
  return (1 << 30) | (vmid << 16) | asid;
}
const isVKey = (key: number): boolean => key >= 1 << 30;
const vmidOf = (key: number): number => (key >>> 16) & ((1 << C.HGATP_VMID_BITS) - 1);

/** The hart as these instructions see it (RiscvHart is one); stated here so as not to import it. */
export interface HypInsnHart {
  readonly hyp: HypState;
  readonly priv: number;
  readonly mstatus: number;
  readonly x: Int32Array;
  readonly tlb: Tlb;
  hlvActive: boolean;
  hlvx: boolean;
  addr(rs1: number, imm: number): number;
  illegal(): void;
  virtualInstruction(): void;
  updateContext(): void;
  flushSpaces(match: (key: number) => boolean): void;
  readSlow(addr: number, bytes: number, access: number): boolean;
  writeSlow(addr: number, bytes: number, lo: number, hi: number): boolean;
  setLoaded(rd: number, bytes: number, signed: boolean): void;
}

/**
 * HFENCE.VVMA and HFENCE.GVMA: virtual-instruction with V = 1, illegal in U-mode, and GVMA also
 * in HS-mode with mstatus.TVM. The TLB holds composed translations (guest virtual to host
 * physical), so a G-stage fence drops every V = 1 bank, and a VS-stage one those of the current
 * VMID, or one guest virtual page everywhere. More than the operands ask, never less.
 */
export function hfence(h: HypInsnHart, gvma: boolean, rs1: number): void {
  if (h.hyp.virt) return h.virtualInstruction();
  if (h.priv === C.PRV_U) return h.illegal();
  if (gvma && h.priv === C.PRV_S && (h.mstatus & C.MSTATUS_TVM) !== 0) return h.illegal();
  if (!gvma && rs1 !== 0) {
    const va = h.addr(rs1, 0);
    if (!Number.isNaN(va)) {
      h.tlb.flushPage(va);
      return;
    }
  }
  const vmid = h.hyp.hgatpVmid;
  h.flushSpaces((key) => isVKey(key) && (gvma || vmidOf(key) === vmid));
}

/**
 * HLV and HLVX (`exec`): x[rd] = the load VS or VU (hstatus.SPVP) would make at x[rs1], from HS
 * or M, or from U with hstatus.HU; virtual-instruction with V = 1. HLVX needs execute permission
 * instead of read. Nothing enters the TLB.
 */
export function hlv(
  h: HypInsnHart,
  rd: number,
  rs1: number,
  bytes: number,
  signed: boolean,
  exec: boolean,
): void {
  if (!allowed(h)) return;
  const addr = h.addr(rs1, 0);
  h.hlvx = exec;
  if (access(h, () => h.readSlow(addr, bytes, ACCESS_LOAD))) h.setLoaded(rd, bytes, signed);
}

/** HSV: the store of x[rs2]'s low `bytes` VS or VU would make at x[rs1]. */
export function hsv(h: HypInsnHart, rs1: number, rs2: number, bytes: number): void {
  if (!allowed(h)) return;
  const addr = h.addr(rs1, 0);
  access(h, () => h.writeSlow(addr, bytes, h.x[2 * rs2], h.x[2 * rs2 + 1]));
}

function allowed(h: HypInsnHart): boolean {
  if (h.hyp.virt) {
    h.virtualInstruction();
    return false;
  }
  if (h.priv === C.PRV_U && (h.hyp.hstatus & C.HSTATUS_HU) === 0) {
    h.illegal();
    return false;
  }
  return true;
}

/** Run `run` with data accesses made as V = 1 would (hart.ts updateContext reads hlvActive). */
function access(h: HypInsnHart, run: () => boolean): boolean {
  h.hlvActive = true;
  h.updateContext();
  try {
    return run();
  } finally {
    h.hlvActive = false;
    h.hlvx = false;
    h.updateContext();
  }
}
