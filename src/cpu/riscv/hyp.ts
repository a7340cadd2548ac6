// The hypervisor extension's state (privileged spec, "Hypervisor Extension"): the virtualization
// mode V, the HS-level CSRs that control VS and VU, and the VS-level CSRs that stand in for the
// supervisor ones while V = 1. Its CSR accesses are csr-h.ts; its traps trap.ts; its two-stage
// translation mmu.ts and memory.ts.

import * as C from './csr-defs.js';

/**
 * One hart's hypervisor state. GEILEN is 0: tsvirt has no guest external interrupt files (its
 * interrupt controller is a PLIC), so hgeie and hgeip are read-only zero and hstatus.VGEIN too.
 */
export class HypState {
  /** The virtualization mode: true in VS and VU. */
  virt = false;
  hstatus = 0;
  hedeleg = 0;
  hideleg = 0;
  /** hvip's VSSIP, VSTIP and VSEIP: the interrupts the hypervisor injects (VSSIP is mip.VSSIP). */
  hvip = 0;
  hcounteren = 0;
  henvcfgLo = 0;
  henvcfgHi = 0;
  /**
   * htimedelta, exact, and as an unsigned number for the timer's comparisons: the VS time is
   * mtime + htimedelta modulo 2^64 (comparisons near 2^64 are as exact as a double is).
   */
  htimedelta = 0n;
  htimedeltaNum = 0;
  readonly htval = new Int32Array(2);
  readonly htinst = new Int32Array(2);
  readonly mtval2 = new Int32Array(2);
  readonly mtinst = new Int32Array(2);
  /** mstatus.MPV and mstatus.GVA (the high word's bits 39 and 38). */
  mpv = false;
  mgva = false;
  hgatpMode = 0;
  hgatpVmid = 0;
  hgatpPpn = 0;
  /** vsstatus's low word (SIE, SPIE, SPP, FS, SUM, MXR); UXL is fixed at 2. */
  vsstatus = 0;
  vstvec = 0;
  readonly vsscratch = new Int32Array(2);
  readonly vsepc = new Int32Array(2);
  readonly vscause = new Int32Array(2);
  readonly vstval = new Int32Array(2);
  vsatpMode = 0;
  vsatpAsid = 0;
  vsatpPpn = 0;
  readonly vstimecmp = new Int32Array([-1, -1]);
  vstimecmpNum = 2 ** 64;

  reset(): void {
    this.virt = false;
    this.hstatus = this.hedeleg = this.hideleg = this.hvip = this.hcounteren = 0;
    this.henvcfgLo = this.henvcfgHi = 0;
    this.htimedelta = 0n;
    this.htimedeltaNum = 0;
    this.mpv = this.mgva = false;
    this.hgatpMode = this.hgatpVmid = this.hgatpPpn = 0;
    this.vsstatus = 0;
    this.vsatpMode = this.vsatpAsid = this.vsatpPpn = 0;
  }

  /** VS-level interrupts pending from hvip and the VS timer (Sstc with henvcfg.STCE), at mtime `now`. */
  vsPending(now: number): number {
    let p = this.hvip & C.VS_INTERRUPTS;
    // With STCE, VSTIP is hvip.VSTIP or the comparator.
    if ((this.henvcfgHi & C.MENVCFG_HI_STCE) !== 0) {
      let t = now + this.htimedeltaNum;
      if (t >= 2 ** 64) t -= 2 ** 64;
      if (t >= this.vstimecmpNum) p |= C.MIP_VSTIP;
    }
    return p;
  }
}
