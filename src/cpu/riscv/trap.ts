// Trap entry and return, interrupts, and the instructions that wait or call down a privilege
// level (privileged spec 3.1.6-3.1.9, 3.3, 4.1.1). The hypervisor extension will add its modes
// here (hyp.ts has its state); the hart's memory path is memory.ts.

import { fromNum, out, toNum } from '../../core/u64.js';
import * as C from './csr-defs.js';
import type { HypState } from './hyp.js';
import type { Pmu } from './pmu.js';

/** The hart as trap entry and return see it (RiscvHart is one); stated here so as not to import it. */
export interface TrapHart {
  readonly env: { mtime(): number };
  priv: number;
  pc: number;
  npc: number;
  mstatus: number;
  mie: number;
  mip: number;
  irqLines: number;
  medeleg: number;
  mideleg: number;
  mtvec: number;
  stvec: number;
  menvcfgHi: number;
  sbiTimer: boolean;
  stimecmpNum: number;
  waiting: boolean;
  yieldLoop: boolean;
  readonly mepc: Int32Array;
  readonly sepc: Int32Array;
  readonly mcause: Int32Array;
  readonly scause: Int32Array;
  readonly mtval: Int32Array;
  readonly stval: Int32Array;
  trap(cause: number, tval: number): void;
  illegal(): void;
  /** Raise virtual-instruction (cause 22) with the instruction's bits. */
  virtualInstruction(): void;
  /** Whether V = 1. */
  virt(): boolean;
  updateContext(): void;
  readonly hyp: HypState;
  readonly pmu: Pmu;
  readonly retired: number;
  /** The hart implements H. */
  readonly hasH: boolean;
  /** mideleg's read-only-one bits (the VS-level interrupts and SGEI, with H). */
  readonly midelegFixed: number;
  /** An HLV/HSV access is being made (its faults' tval is a guest virtual address). */
  readonly hlvActive: boolean;
  /** Loads and stores are made with V = 1 (MPRV with MPV, in M-mode). */
  readonly dataVirt: boolean;
  /** What the next trap writes to htval/mtval2 and htinst/mtinst; cleared by each trap. */
  trapTval2: number;
  trapTinst: number;
}

/** Causes whose xtval is an address the trapping mode made: with V = 1, a guest virtual one (GVA). */
const ADDRESS_CAUSES =
  (1 << C.CAUSE_MISALIGNED_FETCH) |
  (1 << C.CAUSE_FETCH_ACCESS) |
  (1 << C.CAUSE_BREAKPOINT) |
  (1 << C.CAUSE_MISALIGNED_LOAD) |
  (1 << C.CAUSE_LOAD_ACCESS) |
  (1 << C.CAUSE_MISALIGNED_STORE) |
  (1 << C.CAUSE_STORE_ACCESS) |
  (1 << C.CAUSE_FETCH_PAGE_FAULT) |
  (1 << C.CAUSE_LOAD_PAGE_FAULT) |
  (1 << C.CAUSE_STORE_PAGE_FAULT) |
  (1 << C.CAUSE_FETCH_GUEST_PAGE_FAULT) |
  (1 << C.CAUSE_LOAD_GUEST_PAGE_FAULT) |
  (1 << C.CAUSE_STORE_GUEST_PAGE_FAULT);

const LOAD_STORE_CAUSES =
  (1 << C.CAUSE_MISALIGNED_LOAD) |
  (1 << C.CAUSE_LOAD_ACCESS) |
  (1 << C.CAUSE_MISALIGNED_STORE) |
  (1 << C.CAUSE_STORE_ACCESS) |
  (1 << C.CAUSE_LOAD_PAGE_FAULT) |
  (1 << C.CAUSE_STORE_PAGE_FAULT) |
  (1 << C.CAUSE_LOAD_GUEST_PAGE_FAULT) |
  (1 << C.CAUSE_STORE_GUEST_PAGE_FAULT);

/** Set an int32 pair from a number. */
function setPair(p: Int32Array, v: number): void {
  p[0] = fromNum(v);
  p[1] = out.hi;
}

/**
 * Trap entry (privileged spec 3.1.6.1, 4.1.1, and the hypervisor chapter's "Trap Entry"): pick M,
 * HS or VS by delegation (medeleg/mideleg, then hedeleg/hideleg when V = 1), save epc, cause and
 * tval (and for M and HS, tval2 and tinst, whether tval is a guest virtual address, and the V it
 * came from), stack the interrupt-enable bits, switch mode and jump to the vector (npc).
 */
export function enterTrap(h: TrapHart, cause: number, interrupt: boolean, tval: number, epc: number): void {
  const y = h.hyp;
  const virt = y.virt;
  const deleg = interrupt ? h.mideleg | h.midelegFixed : h.medeleg;
  const toS = h.priv <= C.PRV_S && ((deleg >>> cause) & 1) !== 0;
  const toVs = toS && virt && (((interrupt ? y.hideleg : y.hedeleg) >>> cause) & 1) !== 0;
  // GVA: tval holds a guest virtual address (an access made with V = 1, by HLV/HSV, or by
  // M-mode's loads and stores with MPRV and MPV).
  const gva =
    !interrupt &&
    cause < 32 &&
    ((ADDRESS_CAUSES >>> cause) & 1) !== 0 &&
    (virt || h.hlvActive || (h.dataVirt && ((LOAD_STORE_CAUSES >>> cause) & 1) !== 0));
  const tval2 = h.trapTval2;
  const tinst = h.trapTinst;
  h.trapTval2 = 0;
  h.trapTinst = 0;
  const lo = fromNum(tval);
  const hi = out.hi;
  const elo = fromNum(epc);
  const ehi = out.hi;
  let vec: number;
  let vcause = cause;
  if (toVs) {
    // VS-level interrupts reach VS at the supervisor numbers (VSSIP 2 -> SSIP 1, ...).
    if (interrupt) vcause = cause - 1;
    y.vscause[0] = vcause;
    y.vscause[1] = interrupt ? 1 << 31 : 0;
    y.vsepc[0] = elo;
    y.vsepc[1] = ehi;
    y.vstval[0] = lo;
    y.vstval[1] = hi;
    let s = y.vsstatus;
    s = (s & ~C.MSTATUS_SPIE) | ((s & C.MSTATUS_SIE) !== 0 ? C.MSTATUS_SPIE : 0);
    s = (s & ~(C.MSTATUS_SIE | C.MSTATUS_SPP)) | (h.priv === C.PRV_S ? C.MSTATUS_SPP : 0);
    y.vsstatus = s;
    h.priv = C.PRV_S;
    vec = y.vstvec;
  } else if (toS) {
    h.scause[0] = cause;
    h.scause[1] = interrupt ? 1 << 31 : 0;
    h.sepc[0] = elo;
    h.sepc[1] = ehi;
    h.stval[0] = lo;
    h.stval[1] = hi;
    if (h.hasH) {
      let hs = y.hstatus & ~(C.HSTATUS_SPV | C.HSTATUS_GVA);
      if (virt) hs = (hs & ~C.HSTATUS_SPVP) | C.HSTATUS_SPV | (h.priv === C.PRV_S ? C.HSTATUS_SPVP : 0);
      if (gva) hs |= C.HSTATUS_GVA;
      y.hstatus = hs;
      setPair(y.htval, tval2);
      setPair(y.htinst, tinst);
    }
    let s = h.mstatus;
    s = (s & ~C.MSTATUS_SPIE) | ((s & C.MSTATUS_SIE) !== 0 ? C.MSTATUS_SPIE : 0);
    s = (s & ~(C.MSTATUS_SIE | C.MSTATUS_SPP)) | (h.priv === C.PRV_S ? C.MSTATUS_SPP : 0);
    h.mstatus = s;
    h.priv = C.PRV_S;
    y.virt = false;
    vec = h.stvec;
  } else {
    h.mcause[0] = cause;
    h.mcause[1] = interrupt ? 1 << 31 : 0;
    h.mepc[0] = elo;
    h.mepc[1] = ehi;
    h.mtval[0] = lo;
    h.mtval[1] = hi;
    if (h.hasH) {
      y.mpv = virt;
      y.mgva = gva;
      setPair(y.mtval2, tval2);
      setPair(y.mtinst, tinst);
    }
    let s = h.mstatus;
    s = (s & ~C.MSTATUS_MPIE) | ((s & C.MSTATUS_MIE) !== 0 ? C.MSTATUS_MPIE : 0);
    s = (s & ~(C.MSTATUS_MIE | C.MSTATUS_MPP)) | (h.priv << C.MSTATUS_MPP_SHIFT);
    h.mstatus = s;
    h.priv = C.PRV_M;
    y.virt = false;
    vec = h.mtvec;
  }
  const base = vec - (vec & 3);
  h.npc = interrupt && (vec & 3) === 1 ? base + 4 * vcause : base;
  h.waiting = false;
  h.updateContext();
}

/**
 * All pending interrupt bits: software-written, device lines, and the Sstc comparator; with H,
 * the VS-level ones (hvip, and the VS timer).
 */
export function pendingBits(h: TrapHart): number {
  // A counter's overflow is seen here, where interrupts are looked for, not at each instruction.
  if (h.retired >= h.pmu.nextOverflow && h.pmu.overflow(h.retired)) h.mip |= C.MIP_LCOFIP;
  let p = h.mip | h.irqLines;
  const now = h.env.mtime();
  if (h.sbiTimer || (h.menvcfgHi & C.MENVCFG_HI_STCE) !== 0) {
    p = (p & ~C.MIP_STIP) | (now >= h.stimecmpNum ? C.MIP_STIP : 0);
  }
  return h.hasH ? p | h.hyp.vsPending(now) : p;
}

/**
 * The interrupt to take now, by the privileged spec's rules (3.1.9) and the hypervisor chapter's:
 * M-level ones when M's are enabled, then those delegated to HS (not in hideleg) when HS's are,
 * then, with V = 1, those delegated on to VS; the highest priority of the first nonempty set.
 * -1 when none.
 */
export function pickInterrupt(h: TrapHart): number {
  const pending = pendingBits(h) & h.mie;
  if (pending === 0) return -1;
  const y = h.hyp;
  const virt = y.virt;
  const mideleg = h.mideleg | h.midelegFixed;
  const mEnabled = h.priv < C.PRV_M || (h.mstatus & C.MSTATUS_MIE) !== 0;
  let take = mEnabled ? pending & ~mideleg : 0;
  if (take === 0) {
    const sEnabled = virt || h.priv < C.PRV_S || (h.priv === C.PRV_S && (h.mstatus & C.MSTATUS_SIE) !== 0);
    if (sEnabled) take = pending & mideleg & ~y.hideleg;
  }
  if (take === 0 && virt) {
    const vsEnabled = h.priv < C.PRV_S || (y.vsstatus & C.MSTATUS_SIE) !== 0;
    if (vsEnabled) take = pending & mideleg & y.hideleg;
  }
  if (take === 0) return -1;
  for (const irq of C.IRQ_PRIORITY_H) if ((take >>> irq) & 1) return irq;
  return -1;
}

/**
 * Take the highest-priority enabled pending interrupt, if any (privileged spec 3.1.9).
 * Returns true when one was taken; pc is then the handler.
 */
export function takeInterrupt(h: TrapHart): boolean {
  if ((pendingBits(h) & h.mie) === 0) return false;
  h.waiting = false;
  const irq = pickInterrupt(h);
  if (irq < 0) return false;
  enterTrap(h, irq, true, 0, h.pc);
  h.pc = h.npc;
  return true;
}

/** ECALL's exception, by the mode it is made from (the built-in SBI answers HS's first). */
export function ecall(h: TrapHart): void {
  const cause =
    h.priv === C.PRV_M
      ? C.CAUSE_MACHINE_ECALL
      : h.priv === C.PRV_S
        ? h.hyp.virt
          ? C.CAUSE_VS_ECALL
          : C.CAUSE_SUPERVISOR_ECALL
        : C.CAUSE_USER_ECALL;
  h.trap(cause, 0);
}

/** MRET: back to mstatus.MPP, and with H to V = MPV when that is below M. */
export function mret(h: TrapHart): void {
  if (h.priv !== C.PRV_M) return h.virt() ? h.virtualInstruction() : h.illegal();
  let s = h.mstatus;
  const mpp = (s >>> C.MSTATUS_MPP_SHIFT) & 3;
  s = (s & ~C.MSTATUS_MIE) | ((s & C.MSTATUS_MPIE) !== 0 ? C.MSTATUS_MIE : 0);
  s |= C.MSTATUS_MPIE;
  s &= ~C.MSTATUS_MPP; // MPP := U (least-privileged mode)
  if (mpp !== C.PRV_M) s &= ~C.MSTATUS_MPRV;
  h.mstatus = s;
  h.hyp.virt = mpp !== C.PRV_M && h.hyp.mpv;
  h.hyp.mpv = false;
  h.priv = mpp;
  h.npc = toNum(h.mepc[0] & ~1, h.mepc[1]);
  h.yieldLoop = true;
  h.updateContext();
}

/**
 * SRET: from HS (or M), back to sstatus.SPP with V = hstatus.SPV; from VS, back to vsstatus.SPP,
 * V staying 1. In VU, or in VS with hstatus.VTSR, a virtual-instruction exception.
 */
export function sret(h: TrapHart): void {
  const y = h.hyp;
  if (y.virt) {
    if (h.priv === C.PRV_U || (y.hstatus & C.HSTATUS_VTSR) !== 0) return h.virtualInstruction();
    let s = y.vsstatus;
    const spp = (s & C.MSTATUS_SPP) !== 0 ? C.PRV_S : C.PRV_U;
    s = (s & ~C.MSTATUS_SIE) | ((s & C.MSTATUS_SPIE) !== 0 ? C.MSTATUS_SIE : 0);
    s = (s | C.MSTATUS_SPIE) & ~C.MSTATUS_SPP;
    y.vsstatus = s;
    h.priv = spp;
    h.npc = toNum(y.vsepc[0] & ~1, y.vsepc[1]);
  } else {
    if (h.priv < C.PRV_S || (h.priv === C.PRV_S && (h.mstatus & C.MSTATUS_TSR) !== 0)) {
      return h.illegal();
    }
    let s = h.mstatus;
    const spp = (s & C.MSTATUS_SPP) !== 0 ? C.PRV_S : C.PRV_U;
    s = (s & ~C.MSTATUS_SIE) | ((s & C.MSTATUS_SPIE) !== 0 ? C.MSTATUS_SIE : 0);
    s |= C.MSTATUS_SPIE;
    s &= ~C.MSTATUS_SPP;
    s &= ~C.MSTATUS_MPRV; // returning to a mode below M
    h.mstatus = s;
    if (h.hasH) {
      y.virt = (y.hstatus & C.HSTATUS_SPV) !== 0;
      y.hstatus &= ~C.HSTATUS_SPV;
    }
    h.priv = spp;
    h.npc = toNum(h.sepc[0] & ~1, h.sepc[1]);
  }
  h.yieldLoop = true;
  h.updateContext();
}

/**
 * WFI: illegal below M with mstatus.TW, and in (non-virtual) U-mode; with V = 1 and TW = 0, a
 * virtual-instruction exception in VU, and in VS with hstatus.VTW (its time limit is zero).
 */
export function wfi(h: TrapHart): void {
  if (h.priv < C.PRV_M && (h.mstatus & C.MSTATUS_TW) !== 0) return h.illegal();
  if (h.hyp.virt) {
    if (h.priv === C.PRV_U || (h.hyp.hstatus & C.HSTATUS_VTW) !== 0) return h.virtualInstruction();
  } else if (h.priv === C.PRV_U) return h.illegal();
  // WFI resumes when any interrupt is pending and enabled in mie, whatever the global enables.
  if ((pendingBits(h) & h.mie) === 0) h.waiting = true;
  h.yieldLoop = true;
}
