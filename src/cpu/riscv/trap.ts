// Trap entry and return, interrupts, and the instructions that wait or call down a privilege
// level (privileged spec 3.1.6-3.1.9, 3.3, 4.1.1). The hypervisor extension will add its modes
// here; the hart's memory path is memory.ts.

import { fromNum, out, toNum } from '../../core/u64.js';
import * as C from './csr-defs.js';

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
  updateContext(): void;
}

/**
 * Trap entry (privileged spec 3.1.6.1, 4.1.1): pick M or S by delegation, save epc/cause/tval,
 * stack the interrupt-enable bits, switch privilege and jump to the vector (npc).
 */
export function enterTrap(h: TrapHart, cause: number, interrupt: boolean, tval: number, epc: number): void {
  const deleg = interrupt ? h.mideleg : h.medeleg;
  const toS = h.priv <= C.PRV_S && ((deleg >>> cause) & 1) !== 0;
  const lo = fromNum(tval);
  const hi = out.hi;
  const elo = fromNum(epc);
  const ehi = out.hi;
  let s = h.mstatus;
  let vec: number;
  if (toS) {
    h.scause[0] = cause;
    h.scause[1] = interrupt ? 1 << 31 : 0;
    h.sepc[0] = elo;
    h.sepc[1] = ehi;
    h.stval[0] = lo;
    h.stval[1] = hi;
    s = (s & ~C.MSTATUS_SPIE) | ((s & C.MSTATUS_SIE) !== 0 ? C.MSTATUS_SPIE : 0);
    s = (s & ~(C.MSTATUS_SIE | C.MSTATUS_SPP)) | (h.priv === C.PRV_S ? C.MSTATUS_SPP : 0);
    h.priv = C.PRV_S;
    vec = h.stvec;
  } else {
    h.mcause[0] = cause;
    h.mcause[1] = interrupt ? 1 << 31 : 0;
    h.mepc[0] = elo;
    h.mepc[1] = ehi;
    h.mtval[0] = lo;
    h.mtval[1] = hi;
    s = (s & ~C.MSTATUS_MPIE) | ((s & C.MSTATUS_MIE) !== 0 ? C.MSTATUS_MPIE : 0);
    s = (s & ~(C.MSTATUS_MIE | C.MSTATUS_MPP)) | (h.priv << C.MSTATUS_MPP_SHIFT);
    h.priv = C.PRV_M;
    vec = h.mtvec;
  }
  h.mstatus = s;
  const base = vec - (vec & 3);
  h.npc = interrupt && (vec & 3) === 1 ? base + 4 * cause : base;
  h.waiting = false;
  h.updateContext();
}

/** All pending interrupt bits: software-written, device lines, and the Sstc comparator. */
export function pendingBits(h: TrapHart): number {
  let p = h.mip | h.irqLines;
  if (h.sbiTimer || (h.menvcfgHi & C.MENVCFG_HI_STCE) !== 0) {
    p = (p & ~C.MIP_STIP) | (h.env.mtime() >= h.stimecmpNum ? C.MIP_STIP : 0);
  }
  return p;
}

/**
 * Take the highest-priority enabled pending interrupt, if any (privileged spec 3.1.9).
 * Returns true when one was taken; pc is then the handler.
 */
export function takeInterrupt(h: TrapHart): boolean {
  const pending = pendingBits(h) & h.mie;
  if (pending === 0) return false;
  h.waiting = false;
  const mEnabled = h.priv < C.PRV_M || (h.mstatus & C.MSTATUS_MIE) !== 0;
  const sEnabled = h.priv < C.PRV_S || (h.priv === C.PRV_S && (h.mstatus & C.MSTATUS_SIE) !== 0);
  let take = 0;
  if (mEnabled) take = pending & ~h.mideleg;
  if (take === 0 && sEnabled) take = pending & h.mideleg;
  if (take === 0) return false;
  for (const irq of C.IRQ_PRIORITY) {
    if ((take >>> irq) & 1) {
      enterTrap(h, irq, true, 0, h.pc);
      h.pc = h.npc;
      return true;
    }
  }
  return false;
}

/** ECALL's exception, by the privilege it is made from (the built-in SBI answers S's first). */
export function ecall(h: TrapHart): void {
  const cause =
    h.priv === C.PRV_M
      ? C.CAUSE_MACHINE_ECALL
      : h.priv === C.PRV_S
        ? C.CAUSE_SUPERVISOR_ECALL
        : C.CAUSE_USER_ECALL;
  h.trap(cause, 0);
}

export function mret(h: TrapHart): void {
  if (h.priv !== C.PRV_M) return h.illegal();
  let s = h.mstatus;
  const mpp = (s >>> C.MSTATUS_MPP_SHIFT) & 3;
  s = (s & ~C.MSTATUS_MIE) | ((s & C.MSTATUS_MPIE) !== 0 ? C.MSTATUS_MIE : 0);
  s |= C.MSTATUS_MPIE;
  s &= ~C.MSTATUS_MPP; // MPP := U (least-privileged mode)
  if (mpp !== C.PRV_M) s &= ~C.MSTATUS_MPRV;
  h.mstatus = s;
  h.priv = mpp;
  h.npc = toNum(h.mepc[0] & ~1, h.mepc[1]);
  h.yieldLoop = true;
  h.updateContext();
}

export function sret(h: TrapHart): void {
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
  h.priv = spp;
  h.npc = toNum(h.sepc[0] & ~1, h.sepc[1]);
  h.yieldLoop = true;
  h.updateContext();
}

export function wfi(h: TrapHart): void {
  if (h.priv === C.PRV_U || (h.priv === C.PRV_S && (h.mstatus & C.MSTATUS_TW) !== 0)) {
    return h.illegal();
  }
  // WFI resumes when any interrupt is pending and enabled in mie, whatever the global enables.
  if ((pendingBits(h) & h.mie) === 0) h.waiting = true;
  h.yieldLoop = true;
}
