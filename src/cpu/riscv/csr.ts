// Zicsr instructions and the CSR file (privileged spec chapter 2 and 3.1; Sstc for stimecmp).
// CSR values travel as int32 pairs: reads leave the low word in `rd.lo`, the high one in `rd.hi`.

import { fromBig, fromNum, out, toBig, toNumU } from '../../core/u64.js';
import * as C from './csr-defs.js';
import type { Fpu } from './fpu/fpu.js';
import type { IsaProfile } from './isa/profile.js';
import type { Tlb } from './mmu.js';
import type { Pmp } from './pmp.js';
import { type Pmu, pmuMode } from './pmu.js';
import { type HypCsrHart, legalTvec, readH, setPair, writeH } from './csr-h.js';

/**
 * The hart as the CSR file sees it (RiscvHart is one): its privileged state and the few
 * operations a CSR write sets off. Stated here so that the CSR file does not import the hart.
 */
export interface CsrHart extends HypCsrHart {
  readonly hartId: number;
  readonly isa: IsaProfile;
  /** The raw bits of the instruction being executed (the virtual-instruction tval). */
  readonly insnBits: number;
  trap(cause: number, tval: number): void;
  readonly env: { mtime(): number; mtime64(): bigint };
  readonly x: Int32Array;
  readonly fpu: Fpu;
  readonly tlb: Tlb;
  priv: number;
  retired: number;
  yieldLoop: boolean;
  mstatus: number;
  mie: number;
  mip: number;
  medeleg: number;
  mideleg: number;
  mtvec: number;
  stvec: number;
  mcounteren: number;
  scounteren: number;
  mcountinhibit: number;
  menvcfgLo: number;
  menvcfgHi: number;
  senvcfg: number;
  satpMode: number;
  satpPpn: number;
  readonly asid: number;
  stimecmpNum: number;
  cycleOffset: bigint;
  instretOffset: bigint;
  cycleFrozen: bigint | undefined;
  instretFrozen: bigint | undefined;
  readonly mepc: Int32Array;
  readonly sepc: Int32Array;
  readonly mcause: Int32Array;
  readonly scause: Int32Array;
  readonly mtval: Int32Array;
  readonly stval: Int32Array;
  readonly mscratch: Int32Array;
  readonly sscratch: Int32Array;
  readonly stimecmp: Int32Array;
  readonly pmp: Pmp;
  readonly pmu: Pmu;
  /** The PMP registers changed: rebuild the regions and drop cached translations. */
  pmpChanged(): void;
  setX(rd: number, lo: number, hi: number): void;
  illegal(): void;
  fpDirty(): void;
  fpuEnabled(): boolean;
  pendingBits(): number;
  interruptDeliverable(): boolean;
  updateContext(): void;
  selectAsid(asid: number): void;
  writeMenvcfg(lo: number, hi: number): void;
}

const val = { lo: 0, hi: 0 };
/**
 * Set by a read that failed because V = 1 forbids it where HS-mode would allow it: the access
 * raises virtual-instruction rather than illegal-instruction (the hypervisor chapter's list).
 */
let virtualFault = false;

function ret(lo: number, hi: number): boolean {
  val.lo = lo;
  val.hi = hi;
  return true;
}

function pair(p: Int32Array): boolean {
  return ret(p[0], p[1]);
}

/**
 * Counters visible to the current privilege (mcounteren/scounteren, 3.1.11; with V = 1,
 * hcounteren, whose refusal is a virtual-instruction exception).
 */
function counterAllowed(h: CsrHart, bit: number): boolean {
  if (h.priv === C.PRV_M) return true;
  if (((h.mcounteren >>> bit) & 1) === 0) return false;
  const virt = h.hyp.virt;
  if (virt && ((h.hyp.hcounteren >>> bit) & 1) === 0) {
    virtualFault = true;
    return false;
  }
  if (h.priv === C.PRV_S || ((h.scounteren >>> bit) & 1) !== 0) return true;
  virtualFault = virt;
  return false;
}

function counterValue(h: CsrHart, which: 'cycle' | 'instret'): bigint {
  const frozen = which === 'cycle' ? h.cycleFrozen : h.instretFrozen;
  if (frozen !== undefined) return frozen;
  return BigInt.asUintN(64, BigInt(h.retired) + (which === 'cycle' ? h.cycleOffset : h.instretOffset));
}

function retBig(v: bigint): boolean {
  const lo = fromBig(v);
  return ret(lo, out.hi);
}

function mstatusHi(h: CsrHart): number {
  const sd = (h.mstatus & C.MSTATUS_FS) === C.MSTATUS_FS ? C.STATUS_HI_SD : 0;
  const y = h.hyp;
  return C.MSTATUS_HI_XL | sd | (y.mpv ? C.MSTATUS_HI_MPV : 0) | (y.mgva ? C.MSTATUS_HI_GVA : 0);
}

/** LCOFIP's bit where Sscofpmf makes it exist (mip, mie, mideleg, sip, sie), else 0. */
const lcofip = (h: CsrHart): number => (h.isa.has('sscofpmf') ? C.MIP_LCOFIP : 0);

/**
 * scountovf's visible bits (Sscofpmf): in M- and S-mode those mcounteren enables, in VS-mode
 * those mcounteren and hcounteren both enable.
 */
function overflowMask(h: CsrHart): number {
  return h.hyp.virt ? h.mcounteren & h.hyp.hcounteren : h.mcounteren;
}

/** mideleg's bits that are read-only one: the VS-level interrupts and SGEI, with H. */
const midelegFixed = (h: CsrHart): number => (h.isa.has('h') ? C.VS_INTERRUPTS | C.MIP_SGEIP : 0);

/** Read CSR `csr` into `val`; false when it does not exist or is not accessible. */
function read(h: CsrHart, csr: number): boolean {
  if ((csr >= 0x200 && csr < 0x700) || csr === C.CSR_HGEIP) {
    const r = h.isa.has('h') ? readH(h, csr, val) : undefined;
    if (r !== undefined) {
      if (csr === C.CSR_HGATP && h.priv === C.PRV_S && (h.mstatus & C.MSTATUS_TVM) !== 0) return false;
      if (csr === C.CSR_VSTIMECMP) return vstimecmpAllowed(h);
      return r;
    }
  }
  switch (csr) {
    case C.CSR_FFLAGS:
      return h.fpuEnabled() && ret(h.fpu.fflags, 0);
    case C.CSR_FRM:
      return h.fpuEnabled() && ret(h.fpu.frm, 0);
    case C.CSR_FCSR:
      return h.fpuEnabled() && ret((h.fpu.frm << 5) | h.fpu.fflags, 0);
    case C.CSR_CYCLE:
      return counterAllowed(h, 0) && retBig(counterValue(h, 'cycle'));
    case C.CSR_TIME:
      return counterAllowed(h, 1) && retBig(h.env.mtime64() + (h.hyp.virt ? h.hyp.htimedelta : 0n));
    case C.CSR_INSTRET:
      return counterAllowed(h, 2) && retBig(counterValue(h, 'instret'));
    case C.CSR_SSTATUS: {
      const sd = (h.mstatus & C.MSTATUS_FS) === C.MSTATUS_FS ? C.STATUS_HI_SD : 0;
      return ret(h.mstatus & C.SSTATUS_MASK, C.SSTATUS_HI_XL | sd);
    }
    case C.CSR_SIE:
      return ret(h.mie & h.mideleg, 0);
    case C.CSR_STVEC:
      return retNum(h.stvec);
    case C.CSR_SCOUNTEREN:
      return ret(h.scounteren, 0);
    case C.CSR_SENVCFG:
      return ret(h.senvcfg, 0);
    case C.CSR_SSCRATCH:
      return pair(h.sscratch);
    case C.CSR_SEPC:
      return pair(h.sepc);
    case C.CSR_SCAUSE:
      return pair(h.scause);
    case C.CSR_STVAL:
      return pair(h.stval);
    case C.CSR_SIP:
      return ret(h.pendingBits() & h.mideleg, 0);
    case C.CSR_STIMECMP:
      return stimecmpAllowed(h) && pair(h.stimecmp);
    case C.CSR_SATP:
      if (h.priv === C.PRV_S && (h.mstatus & C.MSTATUS_TVM) !== 0) return false;
      return ret(h.satpPpn | 0, (h.satpMode << 28) | (h.asid << 12) | Math.floor(h.satpPpn / 4294967296));
    case C.CSR_MVENDORID:
    case C.CSR_MARCHID:
    case C.CSR_MIMPID:
    case C.CSR_MCONFIGPTR:
      return ret(0, 0);
    case C.CSR_MHARTID:
      return ret(h.hartId, 0);
    case C.CSR_MSTATUS:
      return ret(h.mstatus, mstatusHi(h));
    case C.CSR_MISA:
      return ret(h.isa.misaLo, C.MISA_HI);
    case C.CSR_MEDELEG:
      return ret(h.medeleg, 0);
    case C.CSR_MIDELEG:
      return ret(h.mideleg | midelegFixed(h), 0);
    case C.CSR_MIE:
      return ret(h.mie, 0);
    case C.CSR_MTVEC:
      return retNum(h.mtvec);
    case C.CSR_MCOUNTEREN:
      return ret(h.mcounteren, 0);
    case C.CSR_MENVCFG:
      return ret(h.menvcfgLo, h.menvcfgHi);
    case C.CSR_MCOUNTINHIBIT:
      return ret(h.mcountinhibit, 0);
    case C.CSR_MSCRATCH:
      return pair(h.mscratch);
    case C.CSR_MEPC:
      return pair(h.mepc);
    case C.CSR_MCAUSE:
      return pair(h.mcause);
    case C.CSR_MTVAL:
      return pair(h.mtval);
    case C.CSR_MIP:
      return ret(h.pendingBits(), 0);
    case C.CSR_MCYCLE:
      return retBig(counterValue(h, 'cycle'));
    case C.CSR_MINSTRET:
      return retBig(counterValue(h, 'instret'));
    case C.CSR_SCOUNTOVF:
      return h.isa.has('sscofpmf') && ret(h.pmu.overflowBits() & overflowMask(h), 0);
    case C.CSR_TSELECT:
    case C.CSR_TDATA1:
    case C.CSR_TDATA2:
    case C.CSR_TDATA3:
    case C.CSR_MSECCFG:
      return ret(0, 0);
  }
  // The unprivileged counters are Zihpm's; the M-mode ones below exist whatever (3.1.10).
  if (csr >= C.CSR_HPMCOUNTER3 && csr <= C.CSR_HPMCOUNTER31 && h.isa.has('zihpm'))
    return counterAllowed(h, csr - C.CSR_CYCLE) && retBig(h.pmu.value(csr - C.CSR_HPMCOUNTER3, h.retired));
  if (csr >= C.CSR_MHPMCOUNTER3 && csr <= C.CSR_MHPMCOUNTER31)
    return retBig(h.pmu.value(csr - C.CSR_MHPMCOUNTER3, h.retired));
  if (csr >= C.CSR_MHPMEVENT3 && csr <= C.CSR_MHPMEVENT31)
    return retBig(h.pmu.eventOf(csr - C.CSR_MHPMEVENT3));
  if (csr >= C.CSR_PMPCFG0 && csr <= C.CSR_PMPCFG15) {
    if (csr & 1) return false; // odd pmpcfg registers do not exist on RV64
    const n = (csr - C.CSR_PMPCFG0) * 4;
    if (n >= 16) return ret(0, 0);
    const c = h.pmp.cfg;
    return ret(
      c[n] | (c[n + 1] << 8) | (c[n + 2] << 16) | (c[n + 3] << 24),
      c[n + 4] | (c[n + 5] << 8) | (c[n + 6] << 16) | (c[n + 7] << 24),
    );
  }
  if (csr >= C.CSR_PMPADDR0 && csr <= C.CSR_PMPADDR63) {
    const n = csr - C.CSR_PMPADDR0;
    return n < 16 ? ret(h.pmp.addr[2 * n], h.pmp.addr[2 * n + 1]) : ret(0, 0);
  }
  return false;
}

function retNum(v: number): boolean {
  const lo = fromNum(v);
  return ret(lo, out.hi);
}

/**
 * vstimecmp (stimecmp when V = 1): as stimecmp for HS, and then henvcfg.STCE and hcounteren.TM
 * for VS, whose refusal is virtual-instruction.
 */
function vstimecmpAllowed(h: CsrHart): boolean {
  if (!stimecmpAllowed(h)) return false;
  if (!h.hyp.virt) return true;
  if ((h.hyp.henvcfgHi & C.MENVCFG_HI_STCE) !== 0 && (h.hyp.hcounteren & 2) !== 0) return true;
  virtualFault = true;
  return false;
}

function stimecmpAllowed(h: CsrHart): boolean {
  if (!h.isa.has('sstc')) return false;
  if (h.priv === C.PRV_M) return true;
  if (h.priv === C.PRV_U) return false;
  return (h.menvcfgHi & C.MENVCFG_HI_STCE) !== 0 && (h.mcounteren & 2) !== 0;
}

/** Write CSR `csr`; WARL fields keep legal values. Returns false for a non-writable CSR. */
function write(h: CsrHart, csr: number, lo: number, hi: number): boolean {
  if (csr >= 0x200 && csr < 0x700) {
    const r = h.isa.has('h') ? writeH(h, csr, lo, hi) : undefined;
    if (r !== undefined) return r;
  }
  switch (csr) {
    case C.CSR_FFLAGS:
      h.fpu.fflags = lo & 0x1f;
      h.fpDirty();
      return true;
    case C.CSR_FRM:
      h.fpu.frm = lo & 7;
      h.fpDirty();
      return true;
    case C.CSR_FCSR:
      h.fpu.fflags = lo & 0x1f;
      h.fpu.frm = (lo >>> 5) & 7;
      h.fpDirty();
      return true;
    case C.CSR_SSTATUS:
      writeMstatus(h, (h.mstatus & ~C.SSTATUS_MASK) | (lo & C.SSTATUS_MASK));
      return true;
    case C.CSR_SIE:
      h.mie = (h.mie & ~h.mideleg) | (lo & h.mideleg);
      return true;
    case C.CSR_STVEC:
      h.stvec = legalTvec(lo, hi);
      return true;
    case C.CSR_SCOUNTEREN:
      h.scounteren = lo;
      return true;
    case C.CSR_SENVCFG:
      h.senvcfg = envcfgLo(h.isa, h.senvcfg, lo);
      // Its CBZE decides what translated CBO.ZERO may do (AREA_CBZE).
      h.updateContext();
      return true;
    case C.CSR_SSCRATCH:
      return setPair(h.sscratch, lo, hi);
    case C.CSR_SEPC:
      return setPair(h.sepc, lo & ~1, hi);
    case C.CSR_SCAUSE:
      return setPair(h.scause, lo, hi);
    case C.CSR_STVAL:
      return setPair(h.stval, lo, hi);
    case C.CSR_SIP: {
      // Only SSIP (and Sscofpmf's LCOFIP) is writable through sip, and only when delegated.
      const writable = (C.MIP_SSIP | lcofip(h)) & h.mideleg;
      h.mip = (h.mip & ~writable) | (lo & writable);
      return true;
    }
    case C.CSR_STIMECMP:
      setPair(h.stimecmp, lo, hi);
      h.stimecmpNum = toNumU(lo, hi);
      return true;
    case C.CSR_SATP: {
      const mode = hi >>> 28;
      // Writes of an unsupported mode have no effect (4.1.11). ASIDLEN is 16: the TLB keeps
      // each address space's translations apart (mmu.ts ASID_BANKS), so a write flushes nothing;
      // software fences what it changed, as 4.2.1 requires.
      if (mode !== C.SATP_MODE_BARE && mode !== C.SATP_MODE_SV39 && mode !== C.SATP_MODE_SV48) return true;
      // Turning translation on or off changes what the S and U contexts hold.
      if (mode !== h.satpMode) h.tlb.flush();
      h.satpMode = mode;
      h.satpPpn = toNumU(lo, hi & 0xfff);
      h.selectAsid((hi >>> 12) & 0xffff);
      h.updateContext();
      return true;
    }
    case C.CSR_MSTATUS:
      writeMstatus(h, lo);
      if (h.isa.has('h')) {
        h.hyp.mpv = (hi & C.MSTATUS_HI_MPV) !== 0;
        h.hyp.mgva = (hi & C.MSTATUS_HI_GVA) !== 0;
        h.updateContext();
      }
      return true;
    case C.CSR_MISA:
      return true; // WARL: the extensions cannot be switched off
    case C.CSR_MEDELEG:
      h.medeleg = lo & (C.MEDELEG_WRITABLE | (h.isa.has('h') ? C.MEDELEG_H : 0));
      return true;
    case C.CSR_MIDELEG:
      h.mideleg = lo & (C.S_INTERRUPTS | lcofip(h));
      return true;
    case C.CSR_MIE:
      h.mie = lo & (C.ALL_INTERRUPTS | lcofip(h) | midelegFixed(h));
      return true;
    case C.CSR_MTVEC:
      h.mtvec = legalTvec(lo, hi);
      return true;
    case C.CSR_MCOUNTEREN:
      h.mcounteren = lo;
      return true;
    case C.CSR_MENVCFG:
      h.writeMenvcfg(lo, hi);
      return true;
    case C.CSR_MCOUNTINHIBIT:
      // Bit 1 (time) is read-only zero: time is not this hart's to stop.
      setInhibit(h, lo & ~2);
      return true;
    case C.CSR_MSCRATCH:
      return setPair(h.mscratch, lo, hi);
    case C.CSR_MEPC:
      return setPair(h.mepc, lo & ~1, hi);
    case C.CSR_MCAUSE:
      return setPair(h.mcause, lo, hi);
    case C.CSR_MTVAL:
      return setPair(h.mtval, lo, hi);
    case C.CSR_MIP: {
      const writable =
        C.MIP_SSIP | C.MIP_SEIP | lcofip(h) | ((h.menvcfgHi & C.MENVCFG_HI_STCE) !== 0 ? 0 : C.MIP_STIP);
      h.mip = (h.mip & ~writable) | (lo & writable);
      // mip.VSSIP is hvip.VSSIP (VSTIP and VSEIP are read-only here).
      if (h.isa.has('h')) h.hyp.hvip = (h.hyp.hvip & ~C.MIP_VSSIP) | (lo & C.MIP_VSSIP);
      return true;
    }
    case C.CSR_MCYCLE:
    case C.CSR_MINSTRET: {
      // The writing instruction itself is not counted (3.3.1): it retires after this write.
      const v = toBig(lo, hi);
      const which = csr === C.CSR_MCYCLE ? 'cycle' : 'instret';
      const frozen = which === 'cycle' ? h.cycleFrozen : h.instretFrozen;
      if (frozen !== undefined) {
        if (which === 'cycle') h.cycleFrozen = BigInt.asUintN(64, v);
        else h.instretFrozen = BigInt.asUintN(64, v);
      } else {
        const off = v - BigInt(h.retired) - 1n;
        if (which === 'cycle') h.cycleOffset = off;
        else h.instretOffset = off;
      }
      return true;
    }
    case C.CSR_TSELECT:
    case C.CSR_TDATA1:
    case C.CSR_TDATA2:
    case C.CSR_TDATA3:
    case C.CSR_MSECCFG:
      return true; // no triggers: tselect stays 0 and tdata1 reads 0 (type 0, "no trigger")
  }
  // As for minstret, the writing instruction is not counted: values apply from the next one.
  if (csr >= C.CSR_MHPMCOUNTER3 && csr <= C.CSR_MHPMCOUNTER31) {
    h.pmu.setValue(csr - C.CSR_MHPMCOUNTER3, toBig(lo, hi), h.retired + 1);
    return true;
  }
  if (csr >= C.CSR_MHPMEVENT3 && csr <= C.CSR_MHPMEVENT31) {
    h.pmu.setEvent(csr - C.CSR_MHPMEVENT3, toBig(lo, hi), pmuMode(h), h.retired + 1);
    return true;
  }
  if (csr >= C.CSR_PMPCFG0 && csr <= C.CSR_PMPCFG15) {
    if (csr & 1) return false;
    const n = (csr - C.CSR_PMPCFG0) * 4;
    if (n < 16) {
      for (let k = 0; k < 8; k++)
        writePmpcfg(h, n + k, (k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4))) & 0xff);
      h.pmpChanged();
    }
    return true;
  }
  if (csr >= C.CSR_PMPADDR0 && csr <= C.CSR_PMPADDR63) {
    const n = csr - C.CSR_PMPADDR0;
    const cfg = h.pmp.cfg;
    // A locked entry's address is fixed, and so is the one below a locked TOR entry (3.7.1.3).
    const locked =
      n < 16 &&
      ((cfg[n] & 0x80) !== 0 || (n < 15 && (cfg[n + 1] & 0x80) !== 0 && ((cfg[n + 1] >>> 3) & 3) === 1));
    // pmpaddr holds bits 55:2 of the address (54 bits) on RV64.
    if (n < 16 && !locked) {
      h.pmp.addr[2 * n] = lo;
      h.pmp.addr[2 * n + 1] = hi & 0x3fffff;
      h.pmpChanged();
    }
    return true;
  }
  return false;
}

/**
 * The low word of menvcfg or senvcfg after writing `v` over `old`: FIOM, and the cache-block
 * enables of the extensions the profile has (read-only zero otherwise). CBIE is WARL: the reserved
 * 10 keeps the field's previous value.
 */
export function envcfgLo(isa: IsaProfile, old: number, v: number): number {
  let writable = C.ENVCFG_FIOM;
  if (isa.has('zicbom')) writable |= C.ENVCFG_CBIE | C.ENVCFG_CBCFE;
  if (isa.has('zicboz')) writable |= C.ENVCFG_CBZE;
  const n = v & writable;
  return (n & C.ENVCFG_CBIE) === C.ENVCFG_CBIE_RESERVED ? (n & ~C.ENVCFG_CBIE) | (old & C.ENVCFG_CBIE) : n;
}

function writePmpcfg(h: CsrHart, n: number, v: number): void {
  const cfg = h.pmp.cfg;
  if ((cfg[n] & 0x80) !== 0) return; // locked
  // R=0 with W=1 is reserved: keep the entry's previous permissions.
  if ((v & 3) === 2) v = (v & ~3) | (cfg[n] & 3);
  cfg[n] = v & 0x9f;
}

function setInhibit(h: CsrHart, v: number): void {
  const freeze = (bit: number, which: 'cycle' | 'instret'): void => {
    const was = ((h.mcountinhibit >>> bit) & 1) !== 0;
    const now = ((v >>> bit) & 1) !== 0;
    if (was === now) return;
    if (now) {
      // Freeze the value as of this instruction's retirement.
      const cur = counterValue(h, which) + 1n;
      if (which === 'cycle') h.cycleFrozen = cur;
      else h.instretFrozen = cur;
    } else {
      const frozen = (which === 'cycle' ? h.cycleFrozen : h.instretFrozen) ?? 0n;
      const off = frozen - BigInt(h.retired) - 1n;
      if (which === 'cycle') {
        h.cycleFrozen = undefined;
        h.cycleOffset = off;
      } else {
        h.instretFrozen = undefined;
        h.instretOffset = off;
      }
    }
  };
  freeze(0, 'cycle');
  freeze(2, 'instret');
  h.mcountinhibit = v;
  h.pmu.sync(pmuMode(h), v, h.retired + 1);
}

function writeMstatus(h: CsrHart, lo: number): void {
  let v = (h.mstatus & ~C.MSTATUS_WRITABLE) | (lo & C.MSTATUS_WRITABLE);
  // MPP is WARL: the reserved value 2 keeps the previous mode.
  if (((v >>> C.MSTATUS_MPP_SHIFT) & 3) === 2) v = (v & ~C.MSTATUS_MPP) | (h.mstatus & C.MSTATUS_MPP);
  h.mstatus = v;
  h.updateContext();
}

/** The supervisor CSRs that V = 1 turns into their VS-level stand-ins (the hypervisor chapter). */
const VS_ALIAS = new Map([
  [C.CSR_SSTATUS, C.CSR_VSSTATUS],
  [C.CSR_SIE, C.CSR_VSIE],
  [C.CSR_STVEC, C.CSR_VSTVEC],
  [C.CSR_SSCRATCH, C.CSR_VSSCRATCH],
  [C.CSR_SEPC, C.CSR_VSEPC],
  [C.CSR_SCAUSE, C.CSR_VSCAUSE],
  [C.CSR_STVAL, C.CSR_VSTVAL],
  [C.CSR_SIP, C.CSR_VSIP],
  [C.CSR_STIMECMP, C.CSR_VSTIMECMP],
  [C.CSR_SATP, C.CSR_VSATP],
]);

function virtualInstruction(h: CsrHart): void {
  h.trap(C.CAUSE_VIRTUAL_INSTRUCTION, h.insnBits >>> 0);
}

/** Whether HS-mode, with mstatus.TVM = 0, could read `csr` (which then exists). */
function existsInHs(h: CsrHart, csr: number): boolean {
  const y = h.hyp;
  const { priv, mstatus } = h;
  y.virt = false;
  h.priv = C.PRV_S;
  h.mstatus = mstatus & ~C.MSTATUS_TVM;
  const ok = ((csr >>> 8) & 3) <= C.PRV_H_LEVEL && read(h, csr);
  y.virt = true;
  h.priv = priv;
  h.mstatus = mstatus;
  virtualFault = false;
  return ok;
}

/**
 * Execute csrrw/csrrs/csrrc and their immediate forms (Zicsr chapter): access checks, then read
 * the old value, then write the new one, as one atomic step.
 */
export function csrOp(h: CsrHart, i: number): void {
  let csr = i >>> 20;
  const rs1 = (i >>> 15) & 31;
  const rd = (i >>> 7) & 31;
  const f3 = (i >>> 12) & 7;
  const op = f3 & 3;
  const writes = op === 1 || rs1 !== 0;
  const level = (csr >>> 8) & 3;
  virtualFault = false;
  if (writes && csr >>> 10 === 3) return h.illegal();
  if (h.hyp.virt) {
    if (level === C.PRV_M) return h.illegal();
    // A hypervisor or VS CSR from VS or VU, or a supervisor CSR from VU: virtual-instruction when
    // HS-mode could make the same access (with mstatus.TVM = 0), else illegal-instruction.
    if (level > h.priv) return existsInHs(h, csr) ? virtualInstruction(h) : h.illegal();
    if (csr === C.CSR_SATP && (h.hyp.hstatus & C.HSTATUS_VTVM) !== 0) return virtualInstruction(h);
    csr = VS_ALIAS.get(csr) ?? csr;
  } else if (level > (h.priv === C.PRV_S && h.isa.has('h') ? C.PRV_H_LEVEL : h.priv)) return h.illegal();
  if (!read(h, csr)) return virtualFault ? virtualInstruction(h) : h.illegal();
  const oldLo = val.lo,
    oldHi = val.hi;
  if (writes) {
    const sLo = f3 & 4 ? rs1 : h.x[2 * rs1];
    const sHi = f3 & 4 ? 0 : h.x[2 * rs1 + 1];
    let nLo = sLo,
      nHi = sHi;
    // mip.SEIP reads as the software bit OR the interrupt controller's line, but a CSRRS/CSRRC
    // must modify the software bit alone (privileged spec 3.1.9); otherwise firmware setting
    // mip.SSIP while a device interrupt is pending latches SEIP on for good (an interrupt storm).
    const baseLo = csr === C.CSR_MIP ? (oldLo & ~C.MIP_SEIP) | (h.mip & C.MIP_SEIP) : oldLo;
    if (op === 2) {
      nLo = baseLo | sLo;
      nHi = oldHi | sHi;
    } else if (op === 3) {
      nLo = baseLo & ~sLo;
      nHi = oldHi & ~sHi;
    }
    if (!write(h, csr, nLo, nHi)) return h.illegal();
    // End the slice only when the write may let an interrupt in or changed the translation: Linux
    // toggles sstatus.SIE around every spinlock, so yielding on each CSR write costs dearly.
    if (csr === C.CSR_SATP || h.interruptDeliverable()) h.yieldLoop = true;
  }
  h.setX(rd, oldLo, oldHi);
}

/**
 * What M-mode firmware reads from an M-level CSR (the built-in SBI stands in for firmware): no
 * privilege checks; undefined when the CSR does not exist.
 */
export function firmwareRead(h: CsrHart, csr: number): bigint | undefined {
  return read(h, csr) ? BigInt.asUintN(64, toBig(val.lo, val.hi)) : undefined;
}

/** Firmware's write of an M-level CSR, with its WARL rules; false when the CSR does not exist. */
export function firmwareWrite(h: CsrHart, csr: number, v: bigint): boolean {
  const lo = fromBig(v);
  return write(h, csr, lo, out.hi);
}
