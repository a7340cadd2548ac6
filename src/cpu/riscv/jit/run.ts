// The translated-code dispatcher: follow block links where they hold, else find the block for pc
// through the instruction TLB, run it, and fall back to the interpreter for cold code, MMIO and
// anything the translator declines.

import type { RiscvHart } from '../hart.js';
import { runInterpreter } from '../interp.js';
import { TLB_ENTRIES } from '../mmu.js';
import type { BlockFn, CodeCache } from './cache.js';
import { MAX_BLOCK_INSNS, translateBlock } from './translate.js';

/** The translated block each hart ran last, whose links may lead to the next. */
const lastBlock = new WeakMap<RiscvHart, BlockFn | undefined>();

/**
 * Run about `budget` instructions on `h` using translated blocks where hot. Stops early when an
 * instruction asks the loop to re-examine interrupts. Returns instructions executed.
 */
export function runJit(h: RiscvHart, cache: CodeCache, budget: number): number {
  const dec = h.decoder;
  const tlb = h.tlb;
  const tag = tlb.tag;
  const toff = tlb.off;
  const u16 = h.mem.halfwords;
  const read = (off: number): number => u16[off >>> 1];
  let n = 0;
  let interpreted = 0;
  const breakpoints = h.breakpoints;
  h.yieldLoop = false;
  // The block that just ran, if it ran in the translation context and TLB epoch it started in:
  // a block it links to is then valid without a lookup (same page, so the same mapping).
  let prev = lastBlock.get(h);
  while (n < budget) {
    const pc = h.pc;
    let fn: BlockFn | undefined;
    if (prev !== undefined) {
      // Everything is checked on prev (one object): the target's pc, context and epoch.
      const ctx = h.fetchBase;
      const epoch = tlb.epoch;
      if (prev.next0Pc === pc && prev.next0Epoch === epoch && prev.next0Ctx === ctx) fn = prev.next0;
      else if (prev.next1Pc === pc && prev.next1Epoch === epoch && prev.next1Ctx === ctx) fn = prev.next1;
    }
    if (fn === undefined) {
      const pgoff = pc & 4095;
      const idx = h.fetchBase + ((pc >>> 12) & (TLB_ENTRIES - 1));
      if (tag[idx] === pc - pgoff) {
        const ramOff = toff[idx] + pgoff;
        fn = cache.get(ramOff, pc);
        if (fn === undefined && cache.hot(ramOff)) {
          fn = translateBlock(pc, ramOff, read, dec, breakpoints);
          if (fn !== undefined) cache.put(ramOff, fn);
        }
      }
      if (fn === undefined) {
        // Cold code, a TLB miss or a page crossing: interpret up to the end of the basic block
        // (as far as a translated block would reach), which also fills the TLB.
        // It stops before a debugger's breakpoint (never inside a translated block).
        const m = runInterpreter(h, Math.min(MAX_BLOCK_INSNS, budget - n), true);
        n += m;
        interpreted += m;
        prev = undefined;
        if (h.yieldLoop) break;
        continue;
      }
      if (prev !== undefined && pc - (pc & 4095) === prev.pc - (prev.pc & 4095)) link(prev, fn, h);
    }
    const epoch = tlb.epoch;
    const ctx = h.fetchBase;
    n += fn(h);
    prev = tlb.epoch === epoch && h.fetchBase === ctx ? fn : undefined;
    if (h.yieldLoop) break;
  }
  lastBlock.set(h, prev);
  cache.translatedInsns += n - interpreted;
  return n;
}

/** Remember `to` as the newest successor of `from`, keeping the previous one. */
function link(from: BlockFn, to: BlockFn, h: RiscvHart): void {
  from.next1 = from.next0;
  from.next1Pc = from.next0Pc;
  from.next1Ctx = from.next0Ctx;
  from.next1Epoch = from.next0Epoch;
  from.next0 = to;
  from.next0Pc = to.pc;
  from.next0Ctx = h.fetchBase;
  from.next0Epoch = h.tlb.epoch;
}
