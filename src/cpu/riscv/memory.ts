// The hart's memory accesses that the software TLB does not answer (privileged spec 3.6, 3.7,
// 4.3-4.4): address translation and what enters the TLB, PMP, page crossings, RAM against
// devices, the stores that must drop translated code or reach a watched range, and the faults.
// The hart's fast paths (hart.ts, and translated code) come here on a miss. The hypervisor
// extension's G-stage belongs here.

import type { GuestMemory } from '../../memory/guest-memory.js';
import type { PhysBus } from '../../memory/bus.js';
import * as C from './csr-defs.js';
import {
  ACCESS_FETCH,
  ACCESS_LOAD,
  ACCESS_STORE,
  CTX_M,
  CTX_U,
  FAULT_ACCESS,
  FAULT_GUEST,
  FAULT_PAGE,
  KIND_OF,
  TLB_ENTRIES,
  type MmuContext,
  type PteTranslate,
  type Tlb,
  walk,
} from './mmu.js';
import type { Pmp } from './pmp.js';

const PAGE = 4096;
/** The cause of a walk's fault (FAULT_PAGE, FAULT_ACCESS, FAULT_GUEST: -1, -2, -3) by access kind. */
const FAULT_CAUSE = [
  [C.CAUSE_FETCH_PAGE_FAULT, C.CAUSE_LOAD_PAGE_FAULT, C.CAUSE_STORE_PAGE_FAULT],
  [C.CAUSE_FETCH_ACCESS, C.CAUSE_LOAD_ACCESS, C.CAUSE_STORE_ACCESS],
  [C.CAUSE_FETCH_GUEST_PAGE_FAULT, C.CAUSE_LOAD_GUEST_PAGE_FAULT, C.CAUSE_STORE_GUEST_PAGE_FAULT],
];
/** htinst's pseudoinstructions for a guest-page fault on a VS-stage table access (64-bit read, write). */
const TINST_PTE_READ = 0x3000;
const TINST_PTE_WRITE = 0x3020;

/**
 * What a store path needs of a translator's cache: which RAM pages hold translated code (1), and a
 * way to drop one; and what a debugger needs of it: a way to drop the blocks around a breakpoint.
 */
export interface CodePages {
  readonly codePage: Uint8Array;
  invalidatePage(page: number): void;
  /**
   * Drop every block whose instructions span virtual address `pc` (a breakpoint set there), and
   * with `endingAt` also those that end at `pc` (cut short by a breakpoint now removed).
   */
  invalidateAt(pc: number, endingAt: boolean): void;
}

/** A physical range whose stores must be reported (HTIF's tohost, say). */
export interface StoreWatch {
  readonly start: number;
  readonly end: number;
  onStore(pa: number, bytes: number): void;
}

/**
 * A debugger's watchpoints (src/gdb): their pages get no data mappings in the TLB (as QEMU's
 * TLB_WATCHPOINT), so every data access to them, from the interpreter or translated code, comes
 * through the slow path, which asks here first.
 */
export interface DebugWatch {
  /**
   * Whether accesses of kind `access` (ACCESS_LOAD or ACCESS_STORE: AMOs and SC read through
   * store mappings too) to the virtual page at `page` may reach a watched byte.
   */
  pageWatched(page: number, access: number): boolean;
  /**
   * A data access of `bytes` at virtual `va` to RAM is about to be made (`write`: a store). True
   * when it hit a watchpoint: the access is then not made, and the instruction ends (`watchHit`;
   * GDB's RISC-V watchpoints stop before the access).
   */
  accessed(va: number, bytes: number, write: boolean): boolean;
}

/**
 * A debugger's breakpoints (src/gdb), virtual pcs: the interpreter stops before an instruction at
 * one, the translators end blocks before them.
 */
export interface Breakpoints {
  has(pc: number): boolean;
  /** Whether one is in the virtual page at `page` (the interpreter checks pcs only there). */
  inPage(page: number): boolean;
  /** The virtual pages (bases) that hold one. */
  pages(): Iterable<number>;
  /** Changes whenever one is set or removed. */
  readonly version: number;
}

/**
 * Whether a data access of `bytes` at virtual `va` hit a watchpoint. If so the instruction ends
 * with nothing of it done: it "traps" to itself, so that every engine (interpreter, translated
 * JavaScript or WebAssembly) leaves with pc on it, its registers untouched and it not retired, as
 * after a trap, but with no CSR written. (Every engine keeps h.pc on an instruction that accesses
 * memory: a trap needs it too.)
 */
export function watchHit(h: MemoryHart, va: number, bytes: number, write: boolean): boolean {
  const w = h.debugWatch;
  if (w === undefined || !w.accessed(va, bytes, write)) return false;
  h.npc = h.pc;
  h.trapped = true;
  h.yieldLoop = true;
  return true;
}

/** The hart as its memory path sees it (RiscvHart is one); stated here so as not to import it. */
export interface MemoryHart extends MmuContext {
  readonly mem: GuestMemory;
  readonly bus: PhysBus;
  readonly env: { readonly watch?: StoreWatch };
  readonly tlb: Tlb;
  readonly pmp: Pmp;
  readonly codeCache: CodePages | undefined;
  /** A debugger's watchpoints, or undefined (no cost then beyond this check on slow paths). */
  readonly debugWatch: DebugWatch | undefined;
  /** The TLB slot bases of the current contexts (hart.ts updateContext). */
  readonly fetchBase: number;
  readonly loadBase: number;
  readonly storeBase: number;
  /** The privilege fetches and data accesses are made with (data: MPRV), for PMP. */
  readonly fetchPriv: number;
  readonly dataPriv: number;
  readonly priv: number;
  /** Scratch (lo, hi) that reads fill. */
  readonly scratch: Int32Array;
  /** The exact 64-bit value of the last address that did not fit a JS number (hart.ts addr). */
  readonly wildLo: number;
  readonly wildHi: number;
  readonly mtval: Int32Array;
  readonly stval: Int32Array;
  readonly mepc: Int32Array;
  readonly sepc: Int32Array;
  /** The instruction being executed, the next pc, and whether it trapped (see watchHit). */
  readonly pc: number;
  npc: number;
  trapped: boolean;
  yieldLoop: boolean;
  trap(cause: number, tval: number): void;
  /** Whether fetches and data accesses are made with V = 1 (data: MPRV with MPV too). */
  readonly fetchVirt: boolean;
  readonly dataVirt: boolean;
  /** The VS-stage (vsatp, vsstatus, henvcfg) and G-stage (hgatp) tables, as walks read them. */
  readonly vsStage: MmuContext;
  readonly gStage: MmuContext;
  /** The G-stage translation of VS-stage table addresses (`gTranslate` on this hart). */
  readonly pteG: PteTranslate;
  /** After a FAULT_GUEST: the guest physical address refused, and what accessed it. */
  gpaFault: number;
  gpaImplicit: number;
  /** An HLV/HSV is accessing (no TLB fill), HLVX by execute permission. */
  readonly hlvActive: boolean;
  readonly hlvx: boolean;
  /** What the next trap writes to htval/mtval2 and htinst/mtinst (trap.ts clears them). */
  trapTval2: number;
  trapTinst: number;
  /** The raw bits of the instruction being executed (16-bit for compressed), and their expansion. */
  readonly insnBits: number;
  readonly decoder: { expand(c: number): number };
  readonly x: Int32Array;
}

const OP_LOAD = 0x03;
const OP_LOAD_FP = 0x07;
const OP_STORE = 0x23;
const OP_STORE_FP = 0x27;
const OP_AMO = 0x2f;
const OP_SYSTEM = 0x73;

/**
 * The transformed instruction a guest-page fault of an explicit load or store writes to htinst
 * or mtinst (the hypervisor chapter, "Transformed Instruction or Pseudoinstruction for mtinst or
 * htinst"): the instruction with its rs1 field holding the faulting address's offset from the
 * access's first byte, its immediate fields zero, and bit 1 clear when it was a compressed one
 * (the 32-bit form it expands to). 0 for anything else (which the spec allows).
 */
function transformedInsn(h: MemoryHart, va: number): number {
  const raw = h.insnBits;
  const compressed = (raw & 3) !== 3;
  const w = compressed ? h.decoder.expand(raw & 0xffff) : raw;
  const opcode = w & 0x7f;
  const rs1 = (w >>> 15) & 31;
  const base = h.x[2 * rs1 + 1] * 4294967296 + (h.x[2 * rs1] >>> 0);
  let imm = 0;
  let t: number;
  switch (opcode) {
    case OP_LOAD:
    case OP_LOAD_FP:
      imm = w >> 20;
      t = w & 0x000fffff;
      break;
    case OP_STORE:
    case OP_STORE_FP:
      imm = ((w >> 25) << 5) | ((w >>> 7) & 31);
      t = w & 0x01f07fff & ~0xf80;
      break;
    case OP_AMO:
      t = w;
      break;
    case OP_SYSTEM:
      if (((w >>> 12) & 7) !== 4) return 0; // HLV, HLVX, HSV
      t = w;
      break;
    default:
      return 0;
  }
  // The offset is below the access's width; the rest of the arithmetic is on the low bits.
  const offset = (va - base - imm) & 31;
  t = (t & ~(31 << 15)) | (offset << 15);
  return compressed ? t & ~2 : t;
}

/**
 * The G-stage translation of guest physical `gpa` (hgatp; the hypervisor chapter): the host
 * physical address, FAULT_ACCESS, or FAULT_GUEST with `gpaFault` set. `implicit`: 0 for the
 * access itself, else the htinst pseudoinstruction of the VS-stage table access making it.
 */
export function gTranslate(h: MemoryHart, gpa: number, access: number, implicit: number): number {
  const g = h.gStage;
  if (g.satpMode === C.SATP_MODE_BARE) return gpa < 0 ? FAULT_ACCESS : gpa;
  const hpa = walk(h.mem, g, gpa, access, CTX_U, undefined, true);
  if (hpa !== FAULT_PAGE) return hpa;
  h.gpaFault = gpa;
  h.gpaImplicit = implicit;
  return FAULT_GUEST;
}

/** The G-stage translation of a VS-stage table entry's address (MemoryHart.pteG). */
export function pteTranslate(h: MemoryHart, gpa: number, write: boolean): number {
  return gTranslate(h, gpa, write ? ACCESS_STORE : ACCESS_LOAD, write ? TINST_PTE_WRITE : TINST_PTE_READ);
}

/**
 * Two-stage translation of guest virtual `va` (V = 1) in kind `kind` (CTX_U or CTX_S[_SUM] of
 * VU or VS): the VS-stage to a guest physical address, then the G-stage. Returns the host
 * physical address or a walk's fault code.
 */
export function translateV(h: MemoryHart, va: number, access: number, kind: number): number {
  const vs = h.vsStage;
  // HLVX reads what execute permission allows, in both stages.
  const perm = h.hlvx ? ACCESS_FETCH : access;
  const gpa = vs.satpMode === C.SATP_MODE_BARE ? va : walk(h.mem, vs, va, perm, kind, h.pteG);
  if (gpa < 0 && vs.satpMode !== C.SATP_MODE_BARE) return gpa;
  return gTranslate(h, gpa, perm, 0);
}

/** Raise the fault of walk result `code` for an access of kind `access` at `va`. */
export function raiseFault(h: MemoryHart, code: number, access: number, va: number): void {
  if (code === FAULT_GUEST) {
    // htval and mtval2 hold the guest physical address shifted right by 2.
    h.trapTval2 = Math.floor(h.gpaFault / 4);
    h.trapTinst = h.gpaImplicit;
  }
  // A load or store made with V = 1 tells the hypervisor what it was (KVM emulates MMIO by it).
  if (h.trapTinst === 0 && access !== ACCESS_FETCH && h.dataVirt) h.trapTinst = transformedInsn(h, va);
  h.trap(FAULT_CAUSE[-1 - code][access], va);
}

/**
 * Translate `va` for an access (all in one page). Returns the physical address, or -1 after
 * raising the fault. RAM pages outside the watched range, which PMP allows whole, enter the TLB.
 */
export function translate(h: MemoryHart, va: number, access: number): number {
  const ctx = access === ACCESS_FETCH ? h.fetchBase : access === ACCESS_LOAD ? h.loadBase : h.storeBase;
  const c = KIND_OF[Math.floor(ctx / TLB_ENTRIES / 3)];
  if (Number.isNaN(va)) {
    raiseWild(h, access, c);
    return -1;
  }
  const priv = access === ACCESS_FETCH ? h.fetchPriv : h.dataPriv;
  const pa =
    c === CTX_M
      ? untranslated(va)
      : (access === ACCESS_FETCH ? h.fetchVirt : h.dataVirt)
        ? translateV(h, va, access, c)
        : h.satpMode === C.SATP_MODE_BARE
          ? untranslated(va)
          : walk(h.mem, h, va, access, c);
  if (pa < 0) {
    raiseFault(h, pa, access, va);
    return -1;
  }
  const pageOff = pa - (pa % PAGE) - h.mem.base;
  const code = h.codeCache;
  if (
    pageOff >= 0 &&
    pageOff < h.mem.sizeBytes &&
    !h.hlvActive &&
    !isWatchedPage(h, pa) &&
    !(
      access !== ACCESS_FETCH &&
      h.debugWatch !== undefined &&
      h.debugWatch.pageWatched(va - (va % PAGE), access)
    ) &&
    h.pmp.allowsPage(pa - (pa % PAGE), access, priv) &&
    // Stores to pages with translated code must reach writePhys, which invalidates them.
    !(access === ACCESS_STORE && code !== undefined && code.codePage[pageOff / PAGE] === 1)
  ) {
    const idx = ctx + ((va >>> 12) & (TLB_ENTRIES - 1));
    h.tlb.set(idx, va - (va & 4095), pageOff);
    // Stores through a store mapping are not logged one by one: the page counts as written from
    // the moment the mapping exists (clearing the log drops the mappings: GuestMemory.dirty).
    if (access === ACCESS_STORE) h.mem.dirty[pageOff / PAGE] = 1;
  }
  return pa;
}

/**
 * An address used as a physical one (M-mode, Bare): one with the top bits set (a negative number)
 * is beyond any physical address, an access fault, not a walk's fault code to decode.
 */
function untranslated(va: number): number {
  return va < 0 ? FAULT_ACCESS : va;
}

/** The fault of an address beyond 2^53: its tval (and a fetch's epc) must be exact. */
function raiseWild(h: MemoryHart, access: number, ctx: number): void {
  const cause = FAULT_CAUSE[ctx === CTX_M || h.satpMode === C.SATP_MODE_BARE ? 1 : 0][access];
  h.trap(cause, 0);
  const toS = h.priv === C.PRV_S;
  const tval = toS ? h.stval : h.mtval;
  tval[0] = h.wildLo;
  tval[1] = h.wildHi;
  if (access === ACCESS_FETCH) {
    // A jump to such an address faults on the fetch, and epc is the target itself.
    const epc = toS ? h.sepc : h.mepc;
    epc[0] = h.wildLo;
    epc[1] = h.wildHi;
  }
}

function isWatchedPage(h: MemoryHart, pa: number): boolean {
  const w = h.env.watch;
  if (w === undefined) return false;
  const page = pa - (pa % PAGE);
  return page < w.end && w.start < page + PAGE;
}

/** Whether a page-crossing access to `pa0` and `pa1` may reach a watchpoint (it touches RAM). */
function mayWatch(h: MemoryHart, pa0: number, pa1: number): boolean {
  return h.debugWatch !== undefined && (h.mem.contains(pa0, 1) || h.mem.contains(pa1, 1));
}

/** PMP's verdict on an access the TLB did not answer; a denied one is an access fault (tval va). */
function pmpAllows(h: MemoryHart, pa: number, bytes: number, access: number, va: number): boolean {
  if (h.pmp.allows(pa, bytes, access, access === ACCESS_FETCH ? h.fetchPriv : h.dataPriv)) return true;
  raiseFault(h, FAULT_ACCESS, access, va);
  return false;
}

/** Read `bytes` at virtual `addr` into scratch; handles page crossings, devices and faults. */
export function readSlow(h: MemoryHart, addr: number, bytes: number, access: number): boolean {
  const pgoff = addr & 4095;
  if (pgoff + bytes > PAGE) {
    // Misaligned across a page: translate both pages before touching anything.
    const pa0 = translate(h, addr, access);
    if (pa0 < 0) return false;
    const pa1 = translate(h, addr - pgoff + PAGE, access);
    if (pa1 < 0) return false;
    // The whole access is checked against watchpoints once (each byte's read below passes `addr`).
    if (access !== ACCESS_FETCH && mayWatch(h, pa0, pa1) && watchHit(h, addr, bytes, false)) return false;
    let lo = 0,
      hi = 0;
    for (let k = 0; k < bytes; k++) {
      const pa = k < PAGE - pgoff ? pa0 + k : pa1 + (k - (PAGE - pgoff));
      if (!readPhys(h, pa, 1, access, addr)) return false;
      const b = h.scratch[0] & 0xff;
      if (k < 4) lo |= b << (8 * k);
      else hi |= b << (8 * (k - 4));
    }
    h.scratch[0] = lo;
    h.scratch[1] = hi;
    return true;
  }
  const pa = translate(h, addr, access);
  if (pa < 0) return false;
  return readPhys(h, pa, bytes, access, addr);
}

/** Physical read into scratch; raises an access fault (tval = va) when nothing answers. */
export function readPhys(h: MemoryHart, pa: number, bytes: number, access: number, va: number): boolean {
  if (!pmpAllows(h, pa, bytes, access, va)) return false;
  const mem = h.mem;
  if (mem.contains(pa, bytes)) {
    if (access !== ACCESS_FETCH && watchHit(h, va, bytes, false)) return false;
    const off = pa - mem.base;
    const v = mem.view;
    switch (bytes) {
      case 1:
        h.scratch[0] = v.getUint8(off);
        break;
      case 2:
        h.scratch[0] = v.getUint16(off, true);
        break;
      case 4:
        h.scratch[0] = v.getInt32(off, true);
        break;
      default:
        h.scratch[0] = v.getInt32(off, true);
        h.scratch[1] = v.getInt32(off + 4, true);
    }
    return true;
  }
  // Device regions are not executable (privileged spec 3.6.1, physical memory attributes): a
  // fetch there faults before the device sees a read, which may have side effects (a PLIC
  // claim, a UART byte popped).
  if (access !== ACCESS_FETCH && h.bus.mmioRead(pa, bytes, h.scratch)) return true;
  raiseFault(h, FAULT_ACCESS, access, va);
  return false;
}

/** Write the low `bytes` of (hi:lo) at virtual `addr`; handles page crossings, devices and faults. */
export function writeSlow(h: MemoryHart, addr: number, bytes: number, lo: number, hi: number): boolean {
  const pgoff = addr & 4095;
  if (pgoff + bytes > PAGE) {
    const pa0 = translate(h, addr, ACCESS_STORE);
    if (pa0 < 0) return false;
    const pa1 = translate(h, addr - pgoff + PAGE, ACCESS_STORE);
    if (pa1 < 0) return false;
    // Before any byte is written: a store straddling a watched range's start is refused whole.
    if (mayWatch(h, pa0, pa1) && watchHit(h, addr, bytes, true)) return false;
    for (let k = 0; k < bytes; k++) {
      const pa = k < PAGE - pgoff ? pa0 + k : pa1 + (k - (PAGE - pgoff));
      const b = k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4));
      if (!writePhys(h, pa, 1, b & 0xff, 0, addr)) return false;
    }
    return true;
  }
  const pa = translate(h, addr, ACCESS_STORE);
  if (pa < 0) return false;
  return writePhys(h, pa, bytes, lo, hi, addr);
}

/**
 * Physical write; raises a store access fault (tval = va) when nothing answers. A store to RAM
 * reaches the watch, and drops translated code of the pages it writes.
 */
export function writePhys(
  h: MemoryHart,
  pa: number,
  bytes: number,
  lo: number,
  hi: number,
  va: number,
): boolean {
  if (!pmpAllows(h, pa, bytes, ACCESS_STORE, va)) return false;
  const mem = h.mem;
  if (mem.contains(pa, bytes)) {
    if (watchHit(h, va, bytes, true)) return false;
    const off = pa - mem.base;
    const v = mem.view;
    if (bytes === 1) v.setInt8(off, lo);
    else if (bytes === 2) v.setInt16(off, lo, true);
    else {
      v.setInt32(off, lo, true);
      if (bytes === 8) v.setInt32(off + 4, hi, true);
    }
    // An aligned access (all but the byte-wise page crossers) stays in one page.
    mem.dirty[Math.floor(off / PAGE)] = 1;
    const w = h.env.watch;
    if (w !== undefined && pa < w.end && w.start < pa + bytes) w.onStore(pa, bytes);
    const code = h.codeCache;
    if (code !== undefined) {
      const first = Math.floor(off / PAGE);
      const last = Math.floor((off + bytes - 1) / PAGE);
      for (let p = first; p <= last; p++) {
        if (code.codePage[p] === 1) {
          code.invalidatePage(p);
          // The block running now may be the one just dropped; end it at this instruction.
          h.yieldLoop = true;
        }
      }
    }
    return true;
  }
  if (h.bus.mmioWrite(pa, bytes, lo, hi)) return true;
  raiseFault(h, FAULT_ACCESS, ACCESS_STORE, va);
  return false;
}

/**
 * Fetch the instruction at pc the slow way (TLB miss, page crossing). Returns the raw 32-bit word
 * (or 16-bit halfword for compressed), or undefined after raising a fault.
 */
export function fetchSlow(h: MemoryHart, pc: number): number | undefined {
  const pa0 = translate(h, pc, ACCESS_FETCH);
  if (pa0 < 0 || !readPhys(h, pa0, 2, ACCESS_FETCH, pc)) return undefined;
  const low = h.scratch[0] & 0xffff;
  if ((low & 3) !== 3) return low;
  const next = pc + 2;
  const pa1 = (next & 4095) === 0 ? translate(h, next, ACCESS_FETCH) : pa0 + 2;
  if (pa1 < 0 || !readPhys(h, pa1, 2, ACCESS_FETCH, next)) return undefined;
  return low | (h.scratch[0] << 16);
}

/**
 * Translate `va` for a cache-block management instruction (Zicbom): permitted wherever a load
 * or a store is, so by the load rules (a page that allows stores allows loads), setting A but
 * never D; a refusal is a store page fault or store access fault with tval = va (CMO spec,
 * "Page-Fault, Guest-Page-Fault, and Access-Fault Exceptions"). Returns the physical address,
 * or -1 after the fault. Nothing enters the TLB.
 */
export function cboTranslate(h: MemoryHart, va: number): number {
  const c = KIND_OF[Math.floor(h.loadBase / TLB_ENTRIES / 3)];
  if (Number.isNaN(va)) {
    raiseWild(h, ACCESS_STORE, c);
    return -1;
  }
  const pa =
    c === CTX_M
      ? untranslated(va)
      : h.dataVirt
        ? translateV(h, va, ACCESS_LOAD, c)
        : h.satpMode === C.SATP_MODE_BARE
          ? untranslated(va)
          : walk(h.mem, h, va, ACCESS_LOAD, c);
  if (pa < 0) {
    raiseFault(h, pa, ACCESS_STORE, va);
    return -1;
  }
  // PMP, as for the page: the block must be readable or writable (CMO spec, "permissions").
  const block = pa - (pa % 64);
  if (
    !h.pmp.allows(block, 64, ACCESS_LOAD, h.dataPriv) &&
    !h.pmp.allows(block, 64, ACCESS_STORE, h.dataPriv)
  ) {
    h.trap(C.CAUSE_STORE_ACCESS, va);
    return -1;
  }
  return pa;
}
