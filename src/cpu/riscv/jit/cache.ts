// The translation cache: compiled blocks keyed by the guest-physical RAM offset of their first
// instruction, checked against the virtual pc they were made for (QEMU keys TBs by physical
// address and pc too). Pages holding translated code are "code pages": stores to
// them leave the TLB fast path, and the first store to one drops every block of that page.

import type { Tlb } from '../mmu.js';

/**
 * A translated block: runs on a hart, returns the number of instructions it executed. `pc` is the
 * virtual address it was translated for: pc-relative results are constants in its code, so the
 * same physical bytes reached through another mapping need a block of their own.
 */
export type BlockFn = ((h: import('../hart.js').RiscvHart) => number) & BlockInfo;

/**
 * Bookkeeping on each block. `next0`/`next1` chain it to the blocks that followed it in the same
 * virtual page (QEMU's direct TB links): a jump between them skips the TLB and the cache lookup.
 * A link holds only in the translation context (`fetchBase`) and TLB epoch it was made in; dropping
 * any block starts a new epoch in every attached TLB, so no link leads to a dropped block. Epochs
 * are never reused, so one hart cannot follow a link another made.
 */
export interface BlockInfo {
  pc: number;
  /** The virtual addresses its instructions cover, [lo, hi) (CachedBlock). */
  lo: number;
  hi: number;
  next0: BlockFn | undefined;
  next0Pc: number;
  next0Ctx: number;
  next0Epoch: number;
  next1: BlockFn | undefined;
  next1Pc: number;
  next1Ctx: number;
  next1Epoch: number;
}

/** Give a compiled function its block fields, all in one order so every block shares a shape. */
export function makeBlock(
  fn: (h: import('../hart.js').RiscvHart) => number,
  pc: number,
  lo: number,
  hi: number,
): BlockFn {
  const b = fn as BlockFn;
  b.pc = pc;
  b.lo = lo;
  b.hi = hi;
  b.next0 = undefined;
  b.next0Pc = NaN;
  b.next0Ctx = -1;
  b.next0Epoch = -1;
  b.next1 = undefined;
  b.next1Pc = NaN;
  b.next1Ctx = -1;
  b.next1Epoch = -1;
  return b;
}

const PAGE_SHIFT = 12;
const FAST_ENTRIES = 1 << 14;

/**
 * A translated block of either kind: the virtual pc it was made for, and the virtual addresses
 * its instructions cover, [lo, hi), within one page (a debugger's breakpoint drops it by them).
 */
export interface CachedBlock {
  readonly pc: number;
  readonly lo: number;
  readonly hi: number;
}

export class CodeCache<B extends CachedBlock = BlockFn> {
  private readonly blocks = new Map<number, B>();
  /** Block keys per code page, to drop them when the page is written. */
  private readonly pageBlocks = new Map<number, number[]>();
  /** 1 for pages that hold translated code. */
  readonly codePage: Uint8Array;
  /** Execution counts of untranslated block starts, hashed (a block is compiled once hot). */
  private readonly heat: Uint16Array;
  private readonly tlbs: Tlb[] = [];
  /** Blocks compiled and pages invalidated, for --stats and tests. */
  compiled = 0;
  invalidations = 0;
  /** Instructions executed by translated blocks (not by either interpreter), for a debugger's statistics. */
  translatedInsns = 0;

  /**
   * @param ramBytes size of guest RAM
   * @param maxBlocks bound on cached blocks; the cache is flushed whole when it is reached
   * @param threshold executions of a block start before it is compiled
   * @param shared where to keep the code-page bytes and the execution counts (1 << 16 of them),
   *   when translated code reads them too (the WebAssembly dispatcher)
   */
  constructor(
    ramBytes: number,
    readonly maxBlocks = 65536,
    readonly threshold = 16,
    shared?: { codePage: Uint8Array; heat: Uint16Array },
  ) {
    this.codePage = shared?.codePage ?? new Uint8Array(Math.ceil(ramBytes / 4096));
    this.heat = shared?.heat ?? new Uint16Array(1 << 16);
  }

  /** TLBs that may map code pages writable (one per hart). */
  attach(tlb: Tlb): void {
    this.tlbs.push(tlb);
  }

  /** Direct-mapped front of `blocks`: the dispatcher probes it once per block. */
  private readonly fastKey = new Float64Array(FAST_ENTRIES).fill(-1);
  private readonly fastFn: (B | undefined)[] = new Array<B | undefined>(FAST_ENTRIES).fill(undefined);
  /** Called for every block dropped (replaced, invalidated, or flushed with the whole cache). */
  onDrop: ((ramOff: number, block: B) => void) | undefined = undefined;

  /** The block for `pc` whose code is at `ramOff`, if translated. */
  get(ramOff: number, pc: number): B | undefined {
    // Most lookups that miss are for cold code, in pages without translations.
    if (this.codePage[ramOff >>> PAGE_SHIFT] === 0) return undefined;
    // An entry holds what `blocks` holds for its offset, a block or nothing (code still cold in
    // a page with translations): `put` and the drops clear it. The Map lookups of misses were 2%
    // of a boot.
    const k = (ramOff >>> 1) & (FAST_ENTRIES - 1);
    let b: B | undefined;
    if (this.fastKey[k] === ramOff) b = this.fastFn[k];
    else {
      b = this.blocks.get(ramOff);
      this.fastKey[k] = ramOff;
      this.fastFn[k] = b;
    }
    return b !== undefined && b.pc === pc ? b : undefined;
  }

  /** Count one execution of the block starting at `ramOff`; true when it should be compiled. */
  hot(ramOff: number): boolean {
    const k = Math.imul(ramOff, 0x9e3779b1) >>> 16;
    const n = this.heat[k] + 1;
    if (n >= this.threshold) {
      this.heat[k] = 0;
      return true;
    }
    this.heat[k] = n;
    return false;
  }

  put(ramOff: number, fn: B): void {
    if (this.blocks.size >= this.maxBlocks) this.clear();
    const old = this.blocks.get(ramOff);
    const replaced = old !== undefined;
    if (replaced) {
      this.newEpoch();
      this.onDrop?.(ramOff, old);
    }
    this.blocks.set(ramOff, fn);
    const f = (ramOff >>> 1) & (FAST_ENTRIES - 1);
    if (this.fastKey[f] === ramOff) this.fastKey[f] = -1;
    if (replaced) return;
    this.compiled++;
    const page = ramOff >>> PAGE_SHIFT;
    let list = this.pageBlocks.get(page);
    if (list === undefined) {
      list = [];
      this.pageBlocks.set(page, list);
      this.codePage[page] = 1;
      // Stores to this page must now take the slow path, which invalidates.
      for (const t of this.tlbs) t.flushRamPage(page << PAGE_SHIFT);
    }
    list.push(ramOff);
  }

  /** A store touched RAM page `page` (by offset): drop its translations. */
  invalidatePage(page: number): void {
    const list = this.pageBlocks.get(page);
    this.codePage[page] = 0;
    if (list === undefined) return;
    this.newEpoch();
    for (const k of list) {
      const b = this.blocks.get(k);
      if (b !== undefined) this.onDrop?.(k, b);
      this.blocks.delete(k);
      const f = (k >>> 1) & (FAST_ENTRIES - 1);
      if (this.fastKey[f] === k) this.fastKey[f] = -1;
    }
    this.pageBlocks.delete(page);
    this.invalidations++;
  }

  /**
   * Drop the blocks whose instructions span virtual address `pc` (a breakpoint set there: blocks
   * must end before it), and with `endingAt` those that end at it too (cut short by a breakpoint
   * now removed, so that they grow back). A scan of every block: breakpoints change rarely.
   */
  invalidateAt(pc: number, endingAt: boolean): void {
    const drop: number[] = [];
    for (const [k, b] of this.blocks)
      if (b.lo <= pc && (pc < b.hi || (endingAt && pc === b.hi))) drop.push(k);
    if (drop.length === 0) return;
    this.newEpoch();
    for (const k of drop) {
      const b = this.blocks.get(k) as B;
      this.onDrop?.(k, b);
      this.blocks.delete(k);
      const f = (k >>> 1) & (FAST_ENTRIES - 1);
      if (this.fastKey[f] === k) this.fastKey[f] = -1;
      // The page keeps its other blocks (and stays a code page until a store drops them).
      const list = this.pageBlocks.get(k >>> PAGE_SHIFT);
      if (list !== undefined) list.splice(list.indexOf(k), 1);
    }
  }

  /** RAM bytes [off, off+len) changed behind the CPUs' back (device DMA). */
  invalidateRange(off: number, len: number): void {
    const last = Math.floor((off + len - 1) / 4096);
    for (let p = Math.floor(off / 4096); p <= last; p++) if (this.codePage[p] === 1) this.invalidatePage(p);
  }

  /** Drop everything (cache full). */
  clear(): void {
    this.newEpoch();
    if (this.onDrop !== undefined) for (const [k, b] of this.blocks) this.onDrop(k, b);
    this.blocks.clear();
    this.fastKey.fill(-1);
    this.pageBlocks.clear();
    this.codePage.fill(0);
  }

  /** Links made before now are void (see BlockInfo). */
  private newEpoch(): void {
    for (const t of this.tlbs) t.renew();
  }

  get size(): number {
    return this.blocks.size;
  }
}
