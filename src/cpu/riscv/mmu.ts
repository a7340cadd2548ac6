// Page-based virtual memory: Sv39 and Sv48 table walks (privileged spec 4.3-4.5) with hardware
// A/D updates, and the software TLB that gives loads, stores and fetches their fast path.

import type { GuestMemory } from '../../memory/guest-memory.js';
import { SATP_MODE_SV39, SATP_MODE_SV48 } from './csr-defs.js';

export const ACCESS_FETCH = 0;
export const ACCESS_LOAD = 1;
export const ACCESS_STORE = 2;

/**
 * Translation kinds: one TLB set per effective privilege (U, S, and M which is untranslated),
 * plus S with mstatus.SUM set, which Linux toggles around every user access: a set of its own
 * avoids a TLB flush each time.
 */
export const CTX_U = 0;
export const CTX_S = 1;
export const CTX_M = 2;
export const CTX_S_SUM = 3;

/**
 * Address spaces whose translations the TLB holds at once, each tagged by its ASID (satp.ASID,
 * privileged spec 4.1.11): switching to a held ASID needs no flush, and SFENCE.VMA with an ASID
 * drops only that one's entries. The translated kinds (U, S, S with SUM) have a set per bank;
 * M's untranslated set is shared. 4 banks: Linux with ASIDs switches among a few processes at a
 * time on a hart; more would cost 590 KiB of TLB per bank and hart.
 */
export const ASID_BANKS = 4;
/** ASIDLEN: satp's whole 16-bit field is writable. */
export const ASID_BITS = 16;

/**
 * Contexts (TLB sets): bank 0's are numbered as the kinds (0..3); bank b > 0 has contexts
 * 4 + 3(b-1) + {0: U, 1: S, 2: S with SUM}.
 */
const CONTEXTS = 4 + 3 * (ASID_BANKS - 1);
/** The kind (CTX_*) of each context. */
export const KIND_OF: readonly number[] = [
  CTX_U,
  CTX_S,
  CTX_M,
  CTX_S_SUM,
  ...Array.from({ length: ASID_BANKS - 1 }, () => [CTX_U, CTX_S, CTX_S_SUM]).flat(),
];
/** The context of translated kind `kind` (not CTX_M) in bank `bank`. */
export function contextOf(kind: number, bank: number): number {
  if (kind === CTX_M || bank === 0) return kind;
  return 4 + 3 * (bank - 1) + (kind === CTX_S_SUM ? 2 : kind);
}
/** The contexts of bank `bank`. */
const bankContexts = (bank: number): number[] =>
  bank === 0 ? [CTX_U, CTX_S, CTX_S_SUM] : [0, 1, 2].map((k) => 4 + 3 * (bank - 1) + k);

const PTE_V = 1;
const PTE_R = 2;
const PTE_W = 4;
const PTE_X = 8;
const PTE_U = 16;
const PTE_A = 64;
const PTE_D = 128;

/**
 * Entries per TLB (one TLB per context and access kind); a power of two. 2048 rather than 1024
 * since the eighth session: fewer conflict misses in a Debian boot, 0.978x the main thread's CPU
 * time (4096 was 1% slower than 2048).
 */
export const TLB_ENTRIES = 2048;
const TLB_MASK = TLB_ENTRIES - 1;
/** Whether TLB entry `i` is a fetch entry. */
const isFetchSlot = (i: number): boolean => Math.floor(i / TLB_ENTRIES) % 3 === ACCESS_FETCH;
/** Entries over all contexts and access kinds. */
export const TLB_SLOTS = CONTEXTS * 3 * TLB_ENTRIES;
const PAGE = 4096;

/** Bytes mapped by one PTE at each level (4 KiB, 2 MiB, 1 GiB, 512 GiB): a table, not `**`. */
const LEVEL_SPAN = [2 ** 12, 2 ** 21, 2 ** 30, 2 ** 39];

/** Result of a walk that failed: the page-fault or access-fault kind to raise. */
export const FAULT_PAGE = -1;
export const FAULT_ACCESS = -2;

let epochs = 0;
function nextEpoch(): number {
  return ++epochs;
}

/**
 * Direct-mapped software TLB. `tag[i]` is the virtual page base, `off[i]` the byte offset of the
 * physical page in guest RAM. Only RAM pages that need no per-access check are ever entered.
 *
 * Translated code reads its own copy of the entries (`words`, 16 bytes each: the tag as an i64,
 * the offset as an i32, and the offset less the page's low 32 bits, as an i32, which turns an
 * address into its RAM offset with one add): converting the f64 fields in WebAssembly took a
 * rounding, a range check and a conversion on every guest load and store. An empty entry's tag
 * is -1: no address masked to its page and alignment bits (translate.ts `access`) equals it.
 */
export class Tlb {
  readonly tag = new Float64Array(TLB_SLOTS);
  readonly off = new Float64Array(TLB_SLOTS);
  /** Per entry: tag low, tag high, offset, offset - tag low (int32 words). */
  readonly words: Int32Array;

  /** The epoch, mirrored where translated code reads it (see `renew`). */
  private readonly epochWord: Float64Array;
  /**
   * Contexts that may hold entries: flushes clear only those. With a bank per ASID the TLB is
   * 13 contexts (1.3 MB a hart), most of them empty at any time, and Linux flushes often: filling
   * all of it each time made a Debian boot 5% slower.
   */
  private readonly used = new Uint8Array(CONTEXTS);

  /** Entries live in `buf` at byte offset `wordsAt` when given, and the epoch at `epochAt`. */
  constructor(buf?: ArrayBufferLike, wordsAt = 0, epochAt = 0) {
    this.words =
      buf === undefined ? new Int32Array(TLB_SLOTS * 4) : new Int32Array(buf, wordsAt, TLB_SLOTS * 4);
    this.epochWord = buf === undefined ? new Float64Array(1) : new Float64Array(buf, epochAt, 1);
    this.epochWord[0] = this.epoch;
    this.tag.fill(NaN);
    this.words.fill(-1);
  }
  /**
   * Changes at every flush, to a number no TLB has had before. Whatever was derived from a
   * translation (a chained jump between translated blocks) is valid only while the epoch it was
   * made in lasts, and only on this TLB's hart.
   */
  epoch = nextEpoch();

  /** Void everything derived from the current contents (flushes, and dropped translations). */
  renew(): void {
    this.epoch = nextEpoch();
    this.epochWord[0] = this.epoch;
  }

  /** Index of the entry for `va` in the TLB of (ctx, access). */
  static index(ctx: number, access: number, va: number): number {
    return (ctx * 3 + access) * TLB_ENTRIES + ((va >>> 12) & TLB_MASK);
  }

  /** Map the virtual page `page` (a page base) to the RAM page at `ramOff` in entry `i`. */
  set(i: number, page: number, ramOff: number): void {
    // A fetch entry that gave way to another mapping takes the links made through it along.
    const old = this.tag[i];
    if (!Number.isNaN(old) && (old !== page || this.off[i] !== ramOff) && isFetchSlot(i)) this.renew();
    this.tag[i] = page;
    this.off[i] = ramOff;
    this.used[Math.floor(i / (3 * TLB_ENTRIES))] = 1;
    const w = i * 4;
    this.words[w] = (page % 4294967296) | 0;
    this.words[w + 1] = Math.floor(page / 4294967296);
    this.words[w + 2] = ramOff;
    this.words[w + 3] = ramOff - this.words[w];
  }

  private drop(i: number): void {
    this.tag[i] = NaN;
    this.words[i * 4] = -1;
    this.words[i * 4 + 1] = -1;
  }

  flush(): void {
    this.renew();
    for (let ctx = 0; ctx < CONTEXTS; ctx++) this.clearContext(ctx);
  }

  /** Drop every entry of address-space bank `bank` (SFENCE.VMA for one ASID, or a bank reused). */
  flushBank(bank: number): void {
    this.renew();
    for (const ctx of bankContexts(bank)) this.clearContext(ctx);
  }

  private clearContext(ctx: number): void {
    if (this.used[ctx] === 0) return;
    this.used[ctx] = 0;
    const first = ctx * 3 * TLB_ENTRIES;
    this.tag.fill(NaN, first, first + 3 * TLB_ENTRIES);
    this.words.fill(-1, first * 4, (first + 3 * TLB_ENTRIES) * 4);
  }

  /**
   * Drop the entries of one virtual page in every context (SFENCE.VMA with rs1 != x0). A link is
   * made only through a fetch entry, and every fetch entry that goes (flushed or replaced) renews
   * the epoch: so while an epoch lasts, the fetch entries of its links' targets are all present,
   * and a page without one has no link to keep from. Linux fences one page after most page
   * faults (~88 k times a boot), almost always a data page.
   */
  flushPage(va: number): void {
    const page = va - (va & 4095);
    const slot = (va >>> 12) & TLB_MASK;
    for (let t = 0; t < CONTEXTS * 3; t++) {
      if (this.used[Math.floor(t / 3)] === 0) continue;
      const i = t * TLB_ENTRIES + slot;
      if (this.tag[i] === page) {
        this.drop(i);
        if (isFetchSlot(i)) this.renew();
      }
    }
  }

  /**
   * Drop every store entry (the dirty log was cleared: the next store to each page must come
   * through the slow path, which marks the page again). Links do not depend on store entries.
   */
  flushStores(): void {
    for (let ctx = 0; ctx < CONTEXTS; ctx++) {
      if (this.used[ctx] === 0) continue;
      const first = (ctx * 3 + ACCESS_STORE) * TLB_ENTRIES;
      this.tag.fill(NaN, first, first + TLB_ENTRIES);
      this.words.fill(-1, first * 4, (first + TLB_ENTRIES) * 4);
    }
  }

  /**
   * Drop every store entry for the physical RAM page at `ramOff` (used when a page becomes
   * watched: stores to it must take the slow path; fetches and loads may stay fast). Links do
   * not depend on store entries: the epoch stays.
   */
  flushRamPage(ramOff: number): void {
    for (let ctx = 0; ctx < CONTEXTS; ctx++) {
      if (this.used[ctx] === 0) continue;
      const first = (ctx * 3 + ACCESS_STORE) * TLB_ENTRIES;
      for (let i = first; i < first + TLB_ENTRIES; i++) if (this.off[i] === ramOff) this.drop(i);
    }
  }
}

/** State the walker needs; owned by the hart. */
export interface MmuContext {
  satpMode: number;
  /** Root page-table physical page number. */
  satpPpn: number;
  /** mstatus.MXR as a boolean (SUM is part of the context, CTX_S_SUM). */
  mxr: boolean;
  /** Svpbmt with menvcfg.PBMTE set: PTE bits 62:61 may name NC (1) or IO (2). */
  pbmte: boolean;
  /** Svnapot: a level-0 leaf with N set and ppn[3:0] = 1000 maps a naturally aligned 64 KiB. */
  napot: boolean;
  /**
   * The walk sets A and D itself (Svadu with menvcfg.ADUE, or a profile naming neither Svadu
   * nor Svade, where the privileged spec allowed either); else a leaf without A, or a store to one without D,
   * is a page fault (Svade), for software to set them.
   */
  hwAd: boolean;
  /** Set once a leaf with a nonzero PBMT has been used (evidence that the guest uses Svpbmt). */
  pbmtSeen: boolean;
  /** PMP's verdict on an implicit page-table read or A/D write (made as S-mode accesses). */
  pteAllowed(pa: number, write: boolean): boolean;
}

/**
 * The G-stage translation of a VS-stage page-table entry's guest physical address, for a walk
 * under V = 1: the host physical address, or FAULT_PAGE / FAULT_ACCESS / FAULT_GUEST.
 */
export type PteTranslate = (gpa: number, write: boolean) => number;

/** A guest-page fault: the G-stage refused a guest physical address (the hart keeps which). */
export const FAULT_GUEST = -3;

/**
 * Translate `va` for `access` in kind `ctx` (CTX_U, CTX_S or CTX_S_SUM, translation on), by the
 * table `c` describes. Returns the physical address, or FAULT_PAGE / FAULT_ACCESS (or a
 * FAULT_GUEST from `g`).
 * - `g`: the VS-stage of a two-stage walk, whose table addresses are guest physical: each goes
 *   through `g` (the hypervisor chapter, "Two-Stage Address Translation").
 * - `x4`: the G-stage (Sv39x4, Sv48x4): `va` is a guest physical address, zero-extended and two
 *   bits wider than the mode's, and the root table four pages; every access is a U-mode one.
 */
export function walk(
  mem: GuestMemory,
  c: MmuContext,
  va: number,
  access: number,
  ctx: number,
  g?: PteTranslate,
  x4 = false,
): number {
  const levels = c.satpMode === SATP_MODE_SV48 ? 4 : c.satpMode === SATP_MODE_SV39 ? 3 : 0;
  if (levels === 0) return va;
  const vaBits = 12 + 9 * levels;
  let uva: number;
  if (x4) {
    if (va < 0 || va >= 2 ** (vaBits + 2)) return FAULT_PAGE;
    uva = va;
  } else {
    // Bits above the virtual-address width must equal its top bit (4.3.1, 4.4.1).
    const limit = 2 ** (vaBits - 1);
    if (va >= limit || va < -limit) return FAULT_PAGE;
    uva = va < 0 ? va + 2 * limit : va;
  }
  let a = c.satpPpn * PAGE;
  const view = mem.view;
  for (let level = levels - 1; level >= 0; level--) {
    const vpn = Math.floor(uva / LEVEL_SPAN[level]) % (x4 && level === levels - 1 ? 2048 : 512);
    let pteAddr = a + vpn * 8;
    if (g !== undefined) {
      pteAddr = g(pteAddr, false);
      if (pteAddr < 0) return pteAddr;
    }
    if (!mem.contains(pteAddr, 8) || !c.pteAllowed(pteAddr, false)) return FAULT_ACCESS;
    const pteOff = pteAddr - mem.base;
    let lo = view.getInt32(pteOff, true);
    const hi = view.getInt32(pteOff + 4, true);
    if ((lo & PTE_V) === 0 || (lo & (PTE_R | PTE_W)) === PTE_W) return FAULT_PAGE;
    // Bits 60:54 are reserved; N (63) and PBMT (62:61) only with Svnapot and Svpbmt (PBMTE),
    // and PBMT 3 is reserved (Svpbmt, Svnapot chapters).
    if (((hi >>> 22) & 0x7f) !== 0) return FAULT_PAGE;
    const napot = hi >>> 31 !== 0;
    const pbmt = (hi >>> 29) & 3;
    if (pbmt !== 0) {
      if (!c.pbmte || pbmt === 3) return FAULT_PAGE;
      c.pbmtSeen = true;
    }
    if (napot && !c.napot) return FAULT_PAGE;
    let ppn = (hi & 0x3fffff) * 4194304 + (lo >>> 10);
    if ((lo & (PTE_R | PTE_X)) === 0) {
      // Non-leaf: A, D, U, N and PBMT are reserved.
      if ((lo & (PTE_A | PTE_D | PTE_U)) !== 0 || napot || pbmt !== 0) return FAULT_PAGE;
      a = ppn * PAGE;
      continue;
    }
    if (napot) {
      // The only NAPOT size defined is 64 KiB, at level 0, encoded as ppn[3:0] = 1000.
      if (level !== 0 || ppn % 16 !== 8) return FAULT_PAGE;
      ppn = ppn - 8 + (Math.floor(uva / PAGE) % 16);
    }
    // Leaf: permissions (4.3.2 step 5).
    if (access === ACCESS_FETCH) {
      if ((lo & PTE_X) === 0) return FAULT_PAGE;
      if (ctx === CTX_U ? (lo & PTE_U) === 0 : (lo & PTE_U) !== 0) return FAULT_PAGE;
    } else {
      if (access === ACCESS_LOAD) {
        if ((lo & PTE_R) === 0 && !(c.mxr && (lo & PTE_X) !== 0)) return FAULT_PAGE;
      } else if ((lo & PTE_W) === 0) return FAULT_PAGE;
      if (ctx === CTX_U ? (lo & PTE_U) === 0 : (lo & PTE_U) !== 0 && ctx !== CTX_S_SUM) return FAULT_PAGE;
    }
    // A superpage's low PPN fields must be zero (misaligned superpage).
    const span = LEVEL_SPAN[level] / PAGE;
    if (ppn % span !== 0) return FAULT_PAGE;
    const need = access === ACCESS_STORE ? PTE_A | PTE_D : PTE_A;
    if ((lo & need) !== need) {
      if (!c.hwAd) return FAULT_PAGE;
      // The A/D update is a store to the entry: under V = 1, a G-stage store too.
      if (g !== undefined) {
        const w = g(a + vpn * 8, true);
        if (w < 0) return w;
      }
      if (!c.pteAllowed(pteAddr, true)) return FAULT_ACCESS;
      lo |= need;
      view.setInt32(pteOff, lo, true);
      mem.dirty[Math.floor(pteOff / PAGE)] = 1;
    }
    return (ppn + (Math.floor(uva / PAGE) % span)) * PAGE + (uva % PAGE);
  }
  return FAULT_PAGE;
}
