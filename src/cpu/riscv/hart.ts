// One RISC-V hart: architectural state, its translation contexts, and memory access through the
// software TLB. What the TLB misses goes to memory.ts, traps and interrupts to trap.ts, CSRs to
// csr.ts; the fetch-execute loop is interp.ts.

import type { GuestMemory } from '../../memory/guest-memory.js';
import type { PhysBus } from '../../memory/bus.js';
import { out, fromBig, toBig } from '../../core/u64.js';
import { Fpu } from './fpu/fpu.js';
import type { Decoder } from './decode.js';
import { isaProfile, type IsaProfile } from './isa/profile.js';
import type { CboOp, Hart, Sem } from './isa/types.js';
import * as C from './csr-defs.js';
import {
  ACCESS_FETCH,
  ACCESS_LOAD,
  ACCESS_STORE,
  CTX_M,
  CTX_S,
  CTX_S_SUM,
  TLB_ENTRIES,
  Tlb,
  ASID_BANKS,
  ASID_BITS,
  contextOf,
  type MmuContext,
} from './mmu.js';
import { csrOp, envcfgLo } from './csr.js';
import { ecall, enterTrap, mret, pendingBits, pickInterrupt, sret, takeInterrupt, wfi } from './trap.js';
import { HypState } from './hyp.js';
import { hfence, hlv, hsv, vSpaceKey } from './hyp-insn.js';
import { Pmu, pmuMode } from './pmu.js';
import { Pmp } from './pmp.js';
import {
  cboTranslate,
  fetchSlow,
  pteTranslate,
  readPhys,
  readSlow,
  translate,
  watchHit,
  writePhys,
  writeSlow,
} from './memory.js';
import type { Breakpoints, CodePages, DebugWatch, MemoryHart, StoreWatch } from './memory.js';
import { amo } from './amo.js';
import { cbo, cboEnabled } from './cbo.js';
import {
  AREA_BYTES,
  AREA_CBZE,
  AREA_EPOCH,
  AREA_F,
  AREA_FETCH_BASE,
  AREA_FFLAGS,
  AREA_FPMODE,
  AREA_RESERVATION,
  AREA_TLB,
  AREA_X,
} from './area.js';

/** What the board gives a hart: the platform timer and a physical-store watch (HTIF, code pages). */
export interface HartEnv {
  /** Current value of the platform timer (mtime), in ticks; exact below 2^53. */
  mtime(): number;
  /** The same, exact (the `time` CSR). */
  mtime64(): bigint;
  /** Physical range whose stores must be reported, or undefined. */
  readonly watch?: StoreWatch;
  /** The extensions this hart implements (default: isa/profile.ts DEFAULT_CPU). */
  readonly isa?: IsaProfile;
}

const PAGE = 4096;

export class RiscvHart implements Hart, MemoryHart {
  readonly x: Int32Array;
  /** The extensions it implements, and the decoder of their instructions. */
  readonly isa: IsaProfile;
  readonly decoder: Decoder;
  pc = 0;
  npc = 0;
  readonly fpu: Fpu;
  priv = C.PRV_M;
  /** Raw bits of the instruction being executed (16-bit for compressed): the illegal-instruction tval. */
  insnBits = 0;
  /** Set when the current instruction trapped; the loop clears it. */
  trapped = false;
  /** Set by instructions after which pending interrupts must be re-examined (CSR writes, xRET, WFI). */
  yieldLoop = false;
  /** True while the hart waits in WFI for an interrupt. */
  waiting = false;
  /** HSM state: false while the hart is stopped (not scheduled at all). */
  running = true;
  /**
   * Supervisor-mode ECALLs go here instead of trapping to M-mode when tsvirt itself is the SBI
   * implementation (PV mode). Returns nothing; the handler sets a0/a1.
   */
  sbiHandler: ((h: RiscvHart) => void) | undefined = undefined;
  /** The SBI timer (PV mode) drives STIP from stimecmp as Sstc would. */
  sbiTimer = false;
  /** Instructions retired (the basis of minstret and mcycle). */
  retired = 0;

  /** The hypervisor extension's state (V, the HS and VS CSRs); unused without H. */
  readonly hyp = new HypState();
  readonly hasH: boolean;
  /** mideleg's read-only-one bits: the VS-level interrupts and SGEI, with H. */
  readonly midelegFixed: number;
  /** An HLV or HSV is accessing memory (memory.ts; its faults' tval is a guest virtual address). */
  hlvActive = false;
  /** Whether fetches and data accesses are made with V = 1 (data: M-mode's MPRV with MPV too). */
  fetchVirt = false;
  dataVirt = false;
  /** The VS-stage and G-stage tables as the walk reads them (kept by `updateContext`). */
  readonly vsStage: MmuContext;
  readonly gStage: MmuContext;
  readonly pteG = (gpa: number, write: boolean): number => pteTranslate(this, gpa, write);
  gpaFault = 0;
  gpaImplicit = 0;
  trapTval2 = 0;
  trapTinst = 0;

  // CSR state. 64-bit registers that software may fill with any value are int32 pairs.
  mstatus = 0;
  mie = 0;
  /** Software-writable mip bits (SSIP, STIP, SEIP); device lines are in `irqLines`. */
  mip = 0;
  /** Interrupt lines driven by devices (MTIP, MSIP, MEIP, SEIP). */
  irqLines = 0;
  medeleg = 0;
  mideleg = 0;
  mtvec = 0;
  stvec = 0;
  readonly mepc = new Int32Array(2);
  readonly sepc = new Int32Array(2);
  readonly mcause = new Int32Array(2);
  readonly scause = new Int32Array(2);
  readonly mtval = new Int32Array(2);
  readonly stval = new Int32Array(2);
  readonly mscratch = new Int32Array(2);
  readonly sscratch = new Int32Array(2);
  mcounteren = 0;
  scounteren = 0;
  mcountinhibit = 0;
  menvcfgLo = 0;
  menvcfgHi = 0;
  senvcfg = 0;
  /** stimecmp, exact, and as a number for comparisons (values >= 2^53 never fire anyway). */
  readonly stimecmp = new Int32Array([-1, -1]);
  stimecmpNum = 2 ** 64;
  /** minstret/mcycle = retired + offset (mod 2^64); frozen values while inhibited. */
  instretOffset = 0n;
  cycleOffset = 0n;
  instretFrozen: bigint | undefined = undefined;
  cycleFrozen: bigint | undefined = undefined;
  /** Physical memory protection (pmpcfg, pmpaddr), checked on every access the TLB does not hold. */
  readonly pmp = new Pmp();
  readonly pmu: Pmu;
  /** The privilege that instruction fetches and data accesses are made with (MPRV), for PMP. */
  fetchPriv: number = C.PRV_M;
  dataPriv: number = C.PRV_M;
  satpMode = 0;
  satpPpn = 0;
  /** The page-table walk's rules (mmu.ts MmuContext), from the profile and menvcfg. */
  pbmte = false;
  pbmtSeen = false;
  readonly napot: boolean;
  hwAd = true;
  /** satp.ASID, and the TLB bank (mmu.ts ASID_BANKS) that holds its translations. */
  asid = 0;
  bank = 0;
  /** The ASID each bank holds (-1: none), and when each was last selected (for LRU reuse). */
  private readonly bankAsid = new Int32Array(ASID_BANKS).fill(-1);
  private readonly bankUsed = new Float64Array(ASID_BANKS);
  private bankClock = 0;
  mxr = false;

  /** Translated code of this machine, when the translator is on (shared by all harts). */
  codeCache: CodePages | undefined = undefined;
  /** A debugger's watchpoints (memory.ts DebugWatch), set while it has any. */
  debugWatch: DebugWatch | undefined = undefined;
  /**
   * A debugger's breakpoints (virtual pcs, shared by every hart), set while it has any: the
   * interpreter stops before an instruction at one, and the translators end blocks before them.
   */
  breakpoints: Breakpoints | undefined = undefined;

  /** The reservation as translated code reads and sets it (AREA_RESERVATION). */
  private readonly reserved: Int32Array;
  /** A reserved physical address outside RAM (AREA_RESERVATION says -2). */
  private reservedElsewhere = 0;

  /** The LR/SC reservation: a physical address, or -1. */
  get reservation(): number {
    const o = this.reserved[0];
    return o === -1 ? -1 : o === -2 ? this.reservedElsewhere : (o >>> 0) + this.mem.base;
  }
  set reservation(pa: number) {
    if (pa < 0) this.reserved[0] = -1;
    else if (this.mem.contains(pa, 1)) this.reserved[0] = pa - this.mem.base;
    else {
      this.reserved[0] = -2;
      this.reservedElsewhere = pa;
    }
  }

  // Memory fast path.
  readonly tlb: Tlb;
  readonly view: DataView;
  /**
   * Byte offset of this hart's state area in the WebAssembly memory (jit/wasm/layout.ts), or -1
   * when RAM is not in one: x and the TLB live there, and `ctl` mirrors the TLB slot bases.
   */
  readonly area: number;
  private readonly ctl: Int32Array;
  /** The AREA_FPMODE word (see `syncFpMode`). */
  private readonly fpMode: Int32Array;
  /** The AREA_CBZE word: whether CBO.ZERO is enabled now (kept by `updateContext`). */
  private readonly cbze: Int32Array;
  fetchBase = 0;
  loadBase = 0;
  storeBase = 0;
  /** Scratch for MMIO results and wide values. */
  readonly scratch = new Int32Array(2);
  /** Exact 64-bit value of the last address that did not fit a JS number. */
  wildLo = 0;
  wildHi = 0;

  constructor(
    readonly hartId: number,
    readonly mem: GuestMemory,
    readonly bus: PhysBus,
    readonly env: HartEnv,
  ) {
    this.isa = env.isa ?? isaProfile();
    this.decoder = this.isa.decoder;
    this.napot = this.isa.has('svnapot');
    this.hasH = this.isa.has('h');
    this.pmu = new Pmu(this.isa.has('sscofpmf'), this.hasH);
    this.midelegFixed = this.hasH ? C.VS_INTERRUPTS | C.MIP_SGEIP : 0;
    const stage = (): MmuContext => ({
      satpMode: 0,
      satpPpn: 0,
      mxr: false,
      pbmte: false,
      napot: this.napot,
      hwAd: true,
      pbmtSeen: false,
      pteAllowed: (pa, write) => this.pteAllowed(pa, write),
    });
    this.vsStage = stage();
    this.gStage = stage();
    this.envcfgHiMask =
      (this.isa.has('sstc') ? C.MENVCFG_HI_STCE : 0) |
      (this.isa.has('svpbmt') ? C.MENVCFG_HI_PBMTE : 0) |
      (this.isa.has('svadu') ? C.MENVCFG_HI_ADUE : 0);
    this.view = mem.view;
    this.area = mem.allocHost(AREA_BYTES);
    const buf = mem.wasm?.buffer;
    if (this.area >= 0 && buf !== undefined) {
      this.x = new Int32Array(buf, this.area + AREA_X, 64);
      this.ctl = new Int32Array(buf, this.area + AREA_FETCH_BASE, 3);
      this.tlb = new Tlb(buf, this.area + AREA_TLB, this.area + AREA_EPOCH);
      this.fpu = new Fpu(buf, this.area + AREA_F, this.area + AREA_FFLAGS);
      this.fpMode = new Int32Array(buf, this.area + AREA_FPMODE, 1);
      this.reserved = new Int32Array(buf, this.area + AREA_RESERVATION, 1);
      this.cbze = new Int32Array(buf, this.area + AREA_CBZE, 1);
    } else {
      this.x = new Int32Array(64);
      this.ctl = new Int32Array(3);
      this.tlb = new Tlb();
      this.fpu = new Fpu();
      this.fpMode = new Int32Array(1);
      this.reserved = new Int32Array(1);
      this.cbze = new Int32Array(1);
    }
    this.reset(0);
  }

  /** Reset state (privileged spec 3.4): M-mode, pc = resetVector, mstatus.MIE = 0. */
  reset(resetVector: number): void {
    this.x.fill(0);
    this.fpu.reset();
    this.priv = C.PRV_M;
    this.pc = this.npc = resetVector;
    this.mstatus = 0;
    this.mie = this.mip = 0;
    this.medeleg = this.mideleg = 0;
    this.satpMode = this.satpPpn = 0;
    // pmpcfg's A and L fields reset to 0 (3.7.1): no entry matches, M-mode may do anything.
    this.pmp.cfg.fill(0);
    this.pmp.update();
    this.hyp.reset();
    this.pmu.reset();
    this.tlb.flush();
    this.bankAsid.fill(-1);
    this.asid = 0;
    this.writeMenvcfg(0, 0);
    this.reservation = -1;
    this.waiting = false;
    this.updateContext();
  }

  // ---- Register helpers used by instruction bodies -------------------------------------------

  setX(rd: number, lo: number, hi: number): void {
    if (rd !== 0) {
      this.x[2 * rd] = lo;
      this.x[2 * rd + 1] = hi;
    }
  }

  setX32(rd: number, lo: number): void {
    if (rd !== 0) {
      this.x[2 * rd] = lo;
      this.x[2 * rd + 1] = lo >> 31;
    }
  }

  addr(rs1: number, imm: number): number {
    const lo = this.x[2 * rs1],
      hi = this.x[2 * rs1 + 1];
    if (hi >= -0x100000 && hi <= 0xfffff) return hi * 4294967296 + (lo >>> 0) + imm;
    // Beyond 2^52: keep the exact value for the fault's tval; no legal address lives there.
    const v = BigInt.asIntN(64, toBig(lo, hi) + BigInt(imm));
    const n = Number(v);
    if (Math.abs(n) <= 2 ** 53 && BigInt(n) === v) return n;
    this.wildLo = fromBig(v);
    this.wildHi = out.hi;
    return NaN;
  }

  // ---- Context (which TLB applies) -------------------------------------------------------------

  /** menvcfg's high-word bits this hart implements (STCE, PBMTE, ADUE by profile). */
  readonly envcfgHiMask: number;

  /** The low word of an envcfg register after writing `v` over `old`, by profile (csr.ts). */
  envcfgLo(old: number, v: number): number {
    return envcfgLo(this.isa, old, v);
  }

  /**
   * Write menvcfg (privileged spec 3.1.18), keeping the bits the profile implements. A change of
   * PBMTE or ADUE changes what page tables mean: the TLB is flushed.
   */
  writeMenvcfg(lo: number, hi: number): void {
    this.menvcfgLo = envcfgLo(this.isa, this.menvcfgLo, lo);
    this.menvcfgHi = hi & this.envcfgHiMask;
    const pbmte = (this.menvcfgHi & C.MENVCFG_HI_PBMTE) !== 0;
    // Svadu: ADUE decides. Without it, Svade means faults, and a profile naming neither (rv64gc)
    // keeps the hardware updates the privileged spec allowed before either was ratified.
    const hwAd = this.isa.has('svadu') ? (this.menvcfgHi & C.MENVCFG_HI_ADUE) !== 0 : !this.isa.has('svade');
    if (pbmte !== this.pbmte || hwAd !== this.hwAd) {
      this.pbmte = pbmte;
      this.hwAd = hwAd;
      this.tlb.flush();
    }
    this.cbze[0] = cboEnabled(this, 'zero') ? 1 : 0;
  }

  /** satp.ASID changed (a satp write); `updateContext` then selects its bank. */
  selectAsid(asid: number): void {
    this.asid = asid;
  }

  /**
   * Make address space `key` current: its bank if one holds it, else the least recently used
   * bank, emptied. No other bank is flushed: the translations of other address spaces stay.
   * Keys: satp's ASID (V = 0), or V = 1's VMID and vsatp.ASID (`vKey`).
   */
  private selectSpace(key: number): void {
    let b = this.bank;
    if (this.bankAsid[b] !== key) {
      b = this.bankAsid.indexOf(key);
      if (b < 0) {
        b = 0;
        for (let k = 1; k < ASID_BANKS; k++) if (this.bankUsed[k] < this.bankUsed[b]) b = k;
        this.tlb.flushBank(b);
        this.bankAsid[b] = key;
      }
    }
    this.bankUsed[b] = ++this.bankClock;
    this.bank = b;
  }

  /** The address-space key of V = 1 with vsatp.ASID `asid`: apart from every satp ASID. */
  private vKey(asid = this.hyp.vsatpAsid): number {
    return vSpaceKey(this.hyp.hgatpVmid, asid);
  }

  /**
   * Recompute the translation contexts after a change of priv, V, satp, vsatp, hgatp, or
   * mstatus/vsstatus MPRV, MPP, MPV, SUM, MXR, and what translated code may assume of them
   * (CBO.ZERO's enable, after an envcfg write too).
   */
  updateContext(): void {
    const y = this.hyp;
    let dataPriv = this.priv;
    let dataVirt = y.virt;
    if (this.priv === C.PRV_M && (this.mstatus & C.MSTATUS_MPRV) !== 0) {
      dataPriv = (this.mstatus >>> C.MSTATUS_MPP_SHIFT) & 3;
      dataVirt = dataPriv !== C.PRV_M && y.mpv;
    }
    if (this.hlvActive) {
      // HLV and HSV: as VS or VU (hstatus.SPVP) would.
      dataPriv = (y.hstatus & C.HSTATUS_SPVP) !== 0 ? C.PRV_S : C.PRV_U;
      dataVirt = true;
    }
    this.fetchPriv = this.priv;
    this.dataPriv = dataPriv;
    this.fetchVirt = y.virt;
    this.dataVirt = dataVirt;
    // Fetches and data share a bank: they differ only with MPRV, where fetches are M's.
    this.selectSpace(dataVirt ? this.vKey() : this.asid);
    // S and U have contexts of their own even without translation: PMP treats them apart from M.
    const fetchCtx = this.priv === C.PRV_M ? CTX_M : contextOf(this.priv, this.bank);
    let dataKind = dataPriv === C.PRV_M ? CTX_M : dataPriv;
    const sum = ((dataVirt ? y.vsstatus : this.mstatus) & C.MSTATUS_SUM) !== 0;
    if (dataKind === CTX_S && sum) dataKind = CTX_S_SUM;
    const dataCtx = contextOf(dataKind, this.bank);
    this.fetchBase = (fetchCtx * 3 + ACCESS_FETCH) * TLB_ENTRIES;
    this.loadBase = (dataCtx * 3 + ACCESS_LOAD) * TLB_ENTRIES;
    this.storeBase = (dataCtx * 3 + ACCESS_STORE) * TLB_ENTRIES;
    this.ctl[0] = this.fetchBase;
    this.ctl[1] = this.loadBase;
    this.ctl[2] = this.storeBase;
    const mxr = (this.mstatus & C.MSTATUS_MXR) !== 0;
    if (mxr !== this.mxr) {
      this.mxr = mxr;
      this.tlb.flush();
    }
    if (this.hasH) this.updateStages();
    if (this.pmu.active) this.pmu.modeChanged(pmuMode(this), this.retired);
    this.cbze[0] = cboEnabled(this, 'zero') ? 1 : 0;
  }

  /** What V = 1's walks read (vsStage, gStage); a change of what they mean flushes the TLB. */
  private updateStages(): void {
    const y = this.hyp;
    const vs = this.vsStage;
    const g = this.gStage;
    const vsMxr = this.mxr || (y.vsstatus & C.MSTATUS_MXR) !== 0;
    const vsPbmte = (y.henvcfgHi & C.MENVCFG_HI_PBMTE) !== 0;
    const vsHwAd = this.isa.has('svadu') ? (y.henvcfgHi & C.MENVCFG_HI_ADUE) !== 0 : !this.isa.has('svade');
    if (
      vs.satpMode !== y.vsatpMode ||
      g.satpMode !== y.hgatpMode ||
      vs.mxr !== vsMxr ||
      vs.pbmte !== vsPbmte ||
      vs.hwAd !== vsHwAd ||
      g.pbmte !== this.pbmte ||
      g.hwAd !== this.hwAd
    ) {
      this.tlb.flush();
    }
    vs.satpMode = y.vsatpMode;
    vs.satpPpn = y.vsatpPpn;
    vs.mxr = vsMxr;
    vs.pbmte = vsPbmte;
    vs.hwAd = vsHwAd;
    g.satpMode = y.hgatpMode;
    g.satpPpn = y.hgatpPpn;
    g.mxr = this.mxr;
    g.pbmte = this.pbmte;
    g.hwAd = this.hwAd;
  }

  // ---- Memory ----------------------------------------------------------------------------------

  load(rd: number, addr: number, bytes: number, signed: boolean): void {
    const pgoff = addr & 4095;
    if (pgoff + bytes <= PAGE) {
      const idx = this.loadBase + ((addr >>> 12) & (TLB_ENTRIES - 1));
      if (this.tlb.tag[idx] === addr - pgoff) {
        this.loadRam(rd, this.tlb.off[idx] + pgoff, bytes, signed);
        return;
      }
    }
    if (this.readSlow(addr, bytes, ACCESS_LOAD)) this.setLoaded(rd, bytes, signed);
  }

  private loadRam(rd: number, off: number, bytes: number, signed: boolean): void {
    const v = this.view;
    if (rd === 0) return;
    const x = this.x;
    switch (bytes) {
      case 1: {
        const b = signed ? v.getInt8(off) : v.getUint8(off);
        x[2 * rd] = b;
        x[2 * rd + 1] = b >> 31;
        return;
      }
      case 2: {
        const b = signed ? v.getInt16(off, true) : v.getUint16(off, true);
        x[2 * rd] = b;
        x[2 * rd + 1] = b >> 31;
        return;
      }
      case 4: {
        const b = v.getInt32(off, true);
        x[2 * rd] = b;
        x[2 * rd + 1] = signed ? b >> 31 : 0;
        return;
      }
      default:
        x[2 * rd] = v.getInt32(off, true);
        x[2 * rd + 1] = v.getInt32(off + 4, true);
    }
  }

  /** Extend the value in `scratch` into x[rd]. */
  setLoaded(rd: number, bytes: number, signed: boolean): void {
    const lo = this.scratch[0];
    if (bytes === 8) this.setX(rd, lo, this.scratch[1]);
    else if (bytes === 4) this.setX(rd, lo, signed ? lo >> 31 : 0);
    else {
      const sh = 32 - bytes * 8;
      const v = signed ? (lo << sh) >> sh : (lo << sh) >>> sh;
      this.setX(rd, v, v >> 31);
    }
  }

  store(addr: number, bytes: number, lo: number, hi: number): void {
    const pgoff = addr & 4095;
    if (pgoff + bytes <= PAGE) {
      const idx = this.storeBase + ((addr >>> 12) & (TLB_ENTRIES - 1));
      if (this.tlb.tag[idx] === addr - pgoff) {
        const off = this.tlb.off[idx] + pgoff;
        const v = this.view;
        switch (bytes) {
          case 1:
            v.setInt8(off, lo);
            break;
          case 2:
            v.setInt16(off, lo, true);
            break;
          case 4:
            v.setInt32(off, lo, true);
            break;
          default:
            v.setInt32(off, lo, true);
            v.setInt32(off + 4, hi, true);
        }
        return;
      }
    }
    this.writeSlow(addr, bytes, lo, hi);
  }

  loadFp(frd: number, addr: number, bytes: number): void {
    if (!this.readSlowOrFast(addr, bytes)) return;
    const f = this.fpu.bits;
    // FLW and FLH NaN-box: every bit above the value is set.
    f[2 * frd] = bytes === 2 ? this.scratch[0] | 0xffff0000 : this.scratch[0];
    f[2 * frd + 1] = bytes === 8 ? this.scratch[1] : -1;
  }

  storeFp(addr: number, bytes: number, frs: number): void {
    const f = this.fpu.bits;
    this.store(addr, bytes, f[2 * frs], f[2 * frs + 1]);
  }

  /** Read `bytes` at virtual `addr` into scratch, through the TLB when possible. */
  private readSlowOrFast(addr: number, bytes: number): boolean {
    const pgoff = addr & 4095;
    if (pgoff + bytes <= PAGE) {
      const idx = this.loadBase + ((addr >>> 12) & (TLB_ENTRIES - 1));
      if (this.tlb.tag[idx] === addr - pgoff) {
        const off = this.tlb.off[idx] + pgoff;
        // Only the bytes asked for: a 2-byte read may be the last one of RAM.
        this.scratch[0] = bytes === 2 ? this.view.getUint16(off, true) : this.view.getInt32(off, true);
        this.scratch[1] = bytes === 8 ? this.view.getInt32(off + 4, true) : 0;
        return true;
      }
    }
    return this.readSlow(addr, bytes, ACCESS_LOAD);
  }

  // The paths the TLB does not answer (memory.ts).
  translate(va: number, access: number): number {
    return translate(this, va, access);
  }
  readSlow(addr: number, bytes: number, access: number): boolean {
    return readSlow(this, addr, bytes, access);
  }
  readPhys(pa: number, bytes: number, access: number, va: number): boolean {
    return readPhys(this, pa, bytes, access, va);
  }
  writeSlow(addr: number, bytes: number, lo: number, hi: number): boolean {
    return writeSlow(this, addr, bytes, lo, hi);
  }
  writePhys(pa: number, bytes: number, lo: number, hi: number, va: number): boolean {
    return writePhys(this, pa, bytes, lo, hi, va);
  }
  fetchSlow(pc: number): number | undefined {
    return fetchSlow(this, pc);
  }
  /** Whether a store of `bytes` at virtual `va` hit a debugger's watchpoint (memory.ts watchHit). */
  watchedStore(va: number, bytes: number): boolean {
    return this.debugWatch !== undefined && watchHit(this, va, bytes, true);
  }

  // ---- Traps -----------------------------------------------------------------------------------

  illegal(): void {
    this.trap(C.CAUSE_ILLEGAL_INSTRUCTION, this.insnBits >>> 0);
  }

  /** Take exception `cause` at the current instruction (pc). */
  trap(cause: number, tval: number): void {
    this.trapped = true;
    this.enterTrap(cause, false, tval, this.pc);
  }

  /** Trap entry (trap.ts): M or S by delegation; pc goes to the vector (left in npc). */
  enterTrap(cause: number, interrupt: boolean, tval: number, epc: number): void {
    enterTrap(this, cause, interrupt, tval, epc);
  }

  /** All pending interrupt bits: software-written, device lines, and the Sstc comparator. */
  pendingBits(): number {
    return pendingBits(this);
  }

  /** Take the highest-priority enabled pending interrupt, if any; true when one was taken. */
  checkInterrupts(): boolean {
    return takeInterrupt(this);
  }

  // ---- System instructions (trap.ts) ----------------------------------------------------------

  ecall(): void {
    if (this.priv === C.PRV_S && !this.hyp.virt && this.sbiHandler !== undefined) {
      this.sbiHandler(this);
      return;
    }
    ecall(this);
  }

  ebreak(): void {
    this.trap(C.CAUSE_BREAKPOINT, this.pc);
  }

  mret(): void {
    mret(this);
  }

  sret(): void {
    sret(this);
  }

  wfi(): void {
    wfi(this);
  }

  sfenceVma(rs1: number, rs2: number): void {
    const virt = this.hyp.virt;
    if (virt && (this.priv === C.PRV_U || (this.hyp.hstatus & C.HSTATUS_VTVM) !== 0)) {
      return this.virtualInstruction();
    }
    if (this.priv === C.PRV_U || (this.priv === C.PRV_S && !virt && (this.mstatus & C.MSTATUS_TVM) !== 0)) {
      return this.illegal();
    }
    // rs1 names one page (dropped in every address space, more than the spec asks); rs2 alone,
    // one address space (its bank, if one holds it; with V = 1, of the current VMID). No yield:
    // every engine looks translations up afresh, and a flush renews the TLB's epoch, which
    // translated code's links check (the kernel patching its text does this thousands of times
    // a boot).
    if (rs1 === 0 && rs2 !== 0) {
      const asid = this.x[2 * rs2] & ((1 << ASID_BITS) - 1);
      const b = this.bankAsid.indexOf(virt ? this.vKey(asid) : asid);
      if (b >= 0) this.tlb.flushBank(b);
      return;
    }
    if (rs1 !== 0) {
      const va = this.addr(rs1, 0);
      if (!Number.isNaN(va)) {
        this.tlb.flushPage(va);
        return;
      }
    }
    this.tlb.flush();
  }

  // The hypervisor's fences and virtual-machine loads and stores (hyp-insn.ts).
  hfence(gvma: boolean, rs1: number): void {
    hfence(this, gvma, rs1);
  }
  hlv(rd: number, rs1: number, bytes: number, signed: boolean, exec: boolean): void {
    hlv(this, rd, rs1, bytes, signed, exec);
  }
  hsv(rs1: number, rs2: number, bytes: number): void {
    hsv(this, rs1, rs2, bytes);
  }
  /** HLVX's access: permission by X (memory.ts translateV). */
  hlvx = false;

  /** Drop the TLB banks whose address-space key (`selectSpace`) satisfies `match`. */
  flushSpaces(match: (key: number) => boolean): void {
    for (let b = 0; b < ASID_BANKS; b++)
      if (this.bankAsid[b] >= 0 && match(this.bankAsid[b])) this.tlb.flushBank(b);
  }

  /** Raise virtual-instruction (cause 22); tval is the instruction's bits, as for illegal-instruction. */
  virtualInstruction(): void {
    this.trap(C.CAUSE_VIRTUAL_INSTRUCTION, this.insnBits >>> 0);
  }

  virt(): boolean {
    return this.hyp.virt;
  }

  /** Implicit page-table accesses are S-mode accesses for PMP (privileged spec 3.7.1). */
  pteAllowed(pa: number, write: boolean): boolean {
    return this.pmp.allows(pa, 8, write ? ACCESS_STORE : ACCESS_LOAD, C.PRV_S);
  }

  pmpChanged(): void {
    this.pmp.update();
    this.tlb.flush();
  }

  sfenceInval(): void {
    if (this.priv === C.PRV_U) return this.hyp.virt ? this.virtualInstruction() : this.illegal();
  }

  /** Whether checkInterrupts() would take an interrupt now (used to end a slice early). */
  interruptDeliverable(): boolean {
    return (this.pendingBits() & this.mie) !== 0 && pickInterrupt(this) >= 0;
  }

  /** SBI set_timer: the next supervisor timer event at mtime >= (hi:lo); clears a pending one. */
  setSupervisorTimer(lo: number, hi: number): void {
    this.sbiTimer = true;
    this.stimecmp[0] = lo;
    this.stimecmp[1] = hi;
    this.stimecmpNum = (hi >>> 0) * 4294967296 + (lo >>> 0);
  }

  /** A remote SFENCE.VMA requested by another hart through SBI. */
  /** A remote HFENCE.GVMA or HFENCE.VVMA requested through SBI: every V = 1 translation goes. */
  remoteHfence(): void {
    this.flushSpaces((key) => key >= vSpaceKey(0, 0));
    this.yieldLoop = true;
  }

  remoteSfence(): void {
    this.tlb.flush();
    this.yieldLoop = true;
  }

  fenceI(): void {
    // Instruction fetch reads memory every time and decoded instructions are keyed by their bits,
    // so there is nothing to synchronise yet; the translator will hook its invalidation here.
  }

  csrOp(i: number): void {
    csrOp(this, i);
  }

  amo(i: number, sem: Sem): void {
    amo(this, i, sem);
  }

  /** F/D may run: mstatus.FS is not Off, nor with V = 1 vsstatus.FS (else illegal-instruction). */
  fpOn(): boolean {
    if (!this.fpuEnabled()) {
      this.illegal();
      return false;
    }
    return true;
  }

  /** mstatus.FS is not Off, nor with V = 1 vsstatus.FS. */
  fpuEnabled(): boolean {
    return (
      (this.mstatus & C.MSTATUS_FS) !== 0 && (!this.hyp.virt || (this.hyp.vsstatus & C.MSTATUS_FS) !== 0)
    );
  }

  /** FP state changed: mstatus.FS is Dirty, and with V = 1 vsstatus.FS too. */
  fpDirty(): void {
    this.mstatus |= C.MSTATUS_FS;
    if (this.hyp.virt) this.hyp.vsstatus |= C.MSTATUS_FS;
  }

  /**
   * Tell translated code what it may assume about the FPU: frm while mstatus.FS (and with V = 1,
   * vsstatus.FS) is Dirty, so that an F/D instruction has nothing to mark and only the rounding
   * mode to check; -1 otherwise. Called before WebAssembly runs and after each helper, the only
   * places mstatus and frm change.
   */
  syncFpMode(): void {
    const dirty =
      (this.mstatus & C.MSTATUS_FS) === C.MSTATUS_FS &&
      (!this.hyp.virt || (this.hyp.vsstatus & C.MSTATUS_FS) === C.MSTATUS_FS);
    this.fpMode[0] = dirty ? this.fpu.frm : -1;
  }

  // ---- Cache-block operations and WRS (cbo.ts; Zawrs) ------------------------------------------

  cbo(op: CboOp, rs1: number): void {
    cbo(this, op, rs1);
  }

  cboTranslate(va: number): number {
    return cboTranslate(this, va);
  }

  /**
   * WRS.NTO and WRS.STO (Zawrs): the hart may stall while its reservation is valid and no locally
   * enabled interrupt is pending (whatever the global enables, as for WFI), and may end a stall
   * at any time. It does not stall: it ends the slice, so that other harts run (and a slice end
   * drops the reservation when there are several, as their store would). WRS.NTO below M-mode
   * with mstatus.TW set, when it would stall, raises illegal-instruction: its bounded time limit
   * is zero, as WFI's is here.
   */
  wrs(shortTimeout: boolean): void {
    if (this.reservation < 0 || (this.pendingBits() & this.mie) !== 0) return;
    if (!shortTimeout && this.priv !== C.PRV_M && (this.mstatus & C.MSTATUS_TW) !== 0) return this.illegal();
    this.yieldLoop = true;
  }

  /** Whether physical `pa` is RAM or a device's: where a load or store may go (its PMA). */
  accessible(pa: number): boolean {
    return this.mem.contains(pa, 1) || this.bus.isMmio(pa, 1);
  }
}
