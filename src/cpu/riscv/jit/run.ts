// The translated-code dispatcher: follow block links where they hold, else find the block for pc
// through the instruction TLB, run it, and fall back to the interpreter for cold code, MMIO and
// anything the translator declines.

import type { Decoder } from '../decode.js';
import type { RiscvHart } from '../hart.js';
import { runInterpreter, sharedDecoder } from '../interp.js';
import { TLB_ENTRIES } from '../mmu.js';
import type { BlockFn, CodeCache } from './cache.js';
import { MAX_BLOCK_INSNS, translateBlock } from './translate.js';

/**
 * Run about `budget` instructions on `h` using translated blocks where hot. Stops early when an
 * instruction asks the loop to re-examine interrupts. Returns instructions executed.
 */
export function runJit(h: RiscvHart, cache: CodeCache, budget: number, dec: Decoder = sharedDecoder): number {
  const tlb = h.tlb;
  const tag = tlb.tag;
  const toff = tlb.off;
  const u16 = h.mem.halfwords;
  const read = (off: number): number => u16[off >>> 1];
  let n = 0;
  h.yieldLoop = false;
  // The block that just ran, if it ran in the translation context and TLB epoch it started in:
  // a block it links to is then valid without a lookup (same page, so the same mapping).
  let prev = h.jitPrev;
  while (n < budget) {
    const pc = h.pc;
    let fn: BlockFn | undefined;
    if (prev !== undefined) {
      const ctx = h.fetchBase;
      const epoch = tlb.epoch;
      const a = prev.next0;
      if (a !== undefined && a.pc === pc && !a.dead && prev.next0Ctx === ctx && prev.next0Epoch === epoch)
        fn = a;
      else {
        const b = prev.next1;
        if (b !== undefined && b.pc === pc && !b.dead && prev.next1Ctx === ctx && prev.next1Epoch === epoch)
          fn = b;
      }
    }
    if (fn === undefined) {
      const pgoff = pc & 4095;
      const idx = h.fetchBase + ((pc >>> 12) & (TLB_ENTRIES - 1));
      if (tag[idx] === pc - pgoff) {
        const ramOff = toff[idx] + pgoff;
        fn = cache.get(ramOff, pc);
        if (fn === undefined && cache.hot(ramOff)) {
          fn = translateBlock(pc, ramOff, read, dec);
          if (fn !== undefined) cache.put(ramOff, fn);
        }
      }
      if (fn === undefined) {
        // Cold code, a TLB miss or a page crossing: interpret up to the end of the basic block
        // (as far as a translated block would reach), which also fills the TLB.
        n += runInterpreter(h, Math.min(MAX_BLOCK_INSNS, budget - n), dec, true);
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
  h.jitPrev = prev;
  return n;
}

/** Remember `to` as a successor of `from`: the empty slot, else the older one. */
function link(from: BlockFn, to: BlockFn, h: RiscvHart): void {
  if (from.next0 === undefined || from.next0.dead) {
    from.next0 = to;
    from.next0Ctx = h.fetchBase;
    from.next0Epoch = h.tlb.epoch;
  } else {
    from.next1 = from.next0;
    from.next1Ctx = from.next0Ctx;
    from.next1Epoch = from.next0Epoch;
    from.next0 = to;
    from.next0Ctx = h.fetchBase;
    from.next0Epoch = h.tlb.epoch;
  }
}
