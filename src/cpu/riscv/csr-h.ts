// The hypervisor extension's CSRs (privileged spec, "Hypervisor Extension": the HS-level CSRs
// hstatus ... hgatp, the VS-level vsstatus ... vsatp, and mtval2/mtinst), read and written for
// csr.ts, which does the access checks and the V = 1 aliasing of the supervisor CSRs.

import { fromBig, fromNum, out, toBig, toNum, toNumU } from '../../core/u64.js';
import * as C from './csr-defs.js';
import type { HypState } from './hyp.js';

/** The hart as the hypervisor CSRs see it (RiscvHart is one); stated here so as not to import it. */
export interface HypCsrHart {
  readonly hyp: HypState;
  mie: number;
  readonly menvcfgHi: number;
  /** menvcfg's high-word bits this hart implements. */
  readonly envcfgHiMask: number;
  /** All pending interrupt bits, the VS-level ones included. */
  pendingBits(): number;
  /** A write changed what VS or G-stage translation means (vsatp, hgatp, henvcfg, vsstatus). */
  updateContext(): void;
  /** The low word of an envcfg register after a write (csr.ts envcfgLo, by profile). */
  envcfgLo(old: number, v: number): number;
}

/** A CSR value as an int32 pair. */
export interface CsrValue {
  lo: number;
  hi: number;
}

/** xtvec: MODE 0 (direct) or 1 (vectored); reserved modes keep the base and read as direct. */
export function legalTvec(lo: number, hi: number): number {
  const mode = lo & 3;
  return toNum(lo & ~3, hi) + (mode === 1 ? 1 : 0);
}

const HIE_WRITABLE = C.VS_INTERRUPTS | C.MIP_SGEIP;

function set(v: CsrValue, lo: number, hi: number): true {
  v.lo = lo;
  v.hi = hi;
  return true;
}

function setNum(v: CsrValue, n: number): true {
  const lo = fromNum(n);
  return set(v, lo, out.hi);
}

/** VS-level bits (2, 6, 10) as vsip/vsie show them, at the supervisor positions (1, 5, 9). */
const toS = (bits: number): number => (bits & C.VS_INTERRUPTS) >>> 1;

/**
 * Read hypervisor or VS CSR `csr` into `v`. Returns undefined when `csr` is not one of them,
 * else true.
 */
export function readH(h: HypCsrHart, csr: number, v: CsrValue): boolean | undefined {
  const y = h.hyp;
  switch (csr) {
    case C.CSR_HSTATUS:
      return set(v, y.hstatus, C.HSTATUS_HI_VSXL);
    case C.CSR_HEDELEG:
      return set(v, y.hedeleg, 0);
    case C.CSR_HIDELEG:
      return set(v, y.hideleg, 0);
    case C.CSR_HIE:
      return set(v, h.mie & HIE_WRITABLE, 0);
    case C.CSR_HIP:
      return set(v, h.pendingBits() & HIE_WRITABLE, 0);
    case C.CSR_HVIP:
      return set(v, y.hvip, 0);
    case C.CSR_HGEIE:
    case C.CSR_HGEIP:
      return set(v, 0, 0);
    case C.CSR_HCOUNTEREN:
      return set(v, y.hcounteren, 0);
    case C.CSR_HENVCFG:
      return set(v, y.henvcfgLo, y.henvcfgHi);
    case C.CSR_HTIMEDELTA:
      return set(v, fromBig(y.htimedelta), out.hi);
    case C.CSR_HTVAL:
      return set(v, y.htval[0], y.htval[1]);
    case C.CSR_HTINST:
      return set(v, y.htinst[0], y.htinst[1]);
    case C.CSR_MTVAL2:
      return set(v, y.mtval2[0], y.mtval2[1]);
    case C.CSR_MTINST:
      return set(v, y.mtinst[0], y.mtinst[1]);
    case C.CSR_HGATP:
      return set(
        v,
        y.hgatpPpn | 0,
        (y.hgatpMode << 28) | (y.hgatpVmid << 12) | Math.floor(y.hgatpPpn / 4294967296),
      );
    case C.CSR_VSSTATUS: {
      const sd = (y.vsstatus & C.MSTATUS_FS) === C.MSTATUS_FS ? C.STATUS_HI_SD : 0;
      return set(v, y.vsstatus, C.SSTATUS_HI_XL | sd);
    }
    case C.CSR_VSIE:
      return set(v, toS(h.mie & y.hideleg), 0);
    case C.CSR_VSIP:
      return set(v, toS(h.pendingBits() & y.hideleg), 0);
    case C.CSR_VSTVEC:
      return setNum(v, y.vstvec);
    case C.CSR_VSSCRATCH:
      return set(v, y.vsscratch[0], y.vsscratch[1]);
    case C.CSR_VSEPC:
      return set(v, y.vsepc[0], y.vsepc[1]);
    case C.CSR_VSCAUSE:
      return set(v, y.vscause[0], y.vscause[1]);
    case C.CSR_VSTVAL:
      return set(v, y.vstval[0], y.vstval[1]);
    case C.CSR_VSATP:
      return set(
        v,
        y.vsatpPpn | 0,
        (y.vsatpMode << 28) | (y.vsatpAsid << 12) | Math.floor(y.vsatpPpn / 4294967296),
      );
    case C.CSR_VSTIMECMP:
      return set(v, y.vstimecmp[0], y.vstimecmp[1]);
  }
  return undefined;
}

/** Write hypervisor or VS CSR `csr` (WARL fields keep legal values). Undefined when it is not one. */
export function writeH(h: HypCsrHart, csr: number, lo: number, hi: number): boolean | undefined {
  const y = h.hyp;
  switch (csr) {
    case C.CSR_HSTATUS:
      y.hstatus = lo & C.HSTATUS_WRITABLE;
      return true;
    case C.CSR_HEDELEG:
      y.hedeleg = lo & C.HEDELEG_WRITABLE;
      return true;
    case C.CSR_HIDELEG:
      y.hideleg = lo & C.VS_INTERRUPTS;
      return true;
    case C.CSR_HIE:
      h.mie = (h.mie & ~HIE_WRITABLE) | (lo & HIE_WRITABLE);
      return true;
    case C.CSR_HIP:
      // Only VSSIP is writable in hip (an alias of hvip.VSSIP).
      y.hvip = (y.hvip & ~C.MIP_VSSIP) | (lo & C.MIP_VSSIP);
      return true;
    case C.CSR_HVIP:
      y.hvip = lo & C.VS_INTERRUPTS;
      return true;
    case C.CSR_HGEIE:
      return true; // GEILEN = 0: read-only zero
    case C.CSR_HCOUNTEREN:
      y.hcounteren = lo;
      return true;
    case C.CSR_HENVCFG:
      y.henvcfgLo = h.envcfgLo(y.henvcfgLo, lo);
      // STCE, PBMTE and ADUE are read-only zero where menvcfg's are zero.
      y.henvcfgHi = hi & h.envcfgHiMask & h.menvcfgHi;
      h.updateContext();
      return true;
    case C.CSR_HTIMEDELTA:
      y.htimedelta = BigInt.asIntN(64, toBig(lo, hi));
      y.htimedeltaNum = Number(BigInt.asUintN(64, y.htimedelta));
      return true;
    case C.CSR_HTVAL:
      return setPair(y.htval, lo, hi);
    case C.CSR_HTINST:
      return setPair(y.htinst, lo, hi);
    case C.CSR_MTVAL2:
      return setPair(y.mtval2, lo, hi);
    case C.CSR_MTINST:
      return setPair(y.mtinst, lo, hi);
    case C.CSR_HGATP: {
      const mode = hi >>> 28;
      // MODE is WARL: an unsupported one keeps the current mode.
      if (mode === C.SATP_MODE_BARE || mode === C.SATP_MODE_SV39 || mode === C.SATP_MODE_SV48)
        y.hgatpMode = mode;
      y.hgatpVmid = (hi >>> 12) & ((1 << C.HGATP_VMID_BITS) - 1);
      // The root of an x4 table is 16 KiB: PPN[1:0] read as zero.
      y.hgatpPpn = toNumU(lo & ~3, hi & 0xfff);
      h.updateContext();
      return true;
    }
    case C.CSR_VSSTATUS:
      y.vsstatus = lo & C.SSTATUS_MASK;
      h.updateContext();
      return true;
    case C.CSR_VSIE: {
      const m = y.hideleg & C.VS_INTERRUPTS;
      h.mie = (h.mie & ~m) | ((lo << 1) & m);
      return true;
    }
    case C.CSR_VSIP: {
      const m = y.hideleg & C.MIP_VSSIP;
      y.hvip = (y.hvip & ~m) | ((lo << 1) & m);
      return true;
    }
    case C.CSR_VSTVEC:
      y.vstvec = legalTvec(lo, hi);
      return true;
    case C.CSR_VSSCRATCH:
      return setPair(y.vsscratch, lo, hi);
    case C.CSR_VSEPC:
      return setPair(y.vsepc, lo & ~1, hi);
    case C.CSR_VSCAUSE:
      return setPair(y.vscause, lo, hi);
    case C.CSR_VSTVAL:
      return setPair(y.vstval, lo, hi);
    case C.CSR_VSATP: {
      const mode = hi >>> 28;
      // As satp: a write of an unsupported mode has no effect at all.
      if (mode !== C.SATP_MODE_BARE && mode !== C.SATP_MODE_SV39 && mode !== C.SATP_MODE_SV48) return true;
      y.vsatpMode = mode;
      y.vsatpPpn = toNumU(lo, hi & 0xfff);
      y.vsatpAsid = (hi >>> 12) & 0xffff;
      h.updateContext();
      return true;
    }
    case C.CSR_VSTIMECMP:
      setPair(y.vstimecmp, lo, hi);
      y.vstimecmpNum = toNumU(lo, hi);
      return true;
  }
  return undefined;
}

/** Write a 64-bit CSR kept as an int32 pair (csr.ts uses it too). */
export function setPair(p: Int32Array, lo: number, hi: number): true {
  p[0] = lo;
  p[1] = hi;
  return true;
}
