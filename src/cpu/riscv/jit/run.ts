// The translated-code dispatcher: find the block for pc through the instruction TLB, run it, and
// fall back to the interpreter for cold code, MMIO and anything the translator declines.

import type { Decoder } from '../decode.js';
import type { RiscvHart } from '../hart.js';
import { runInterpreter, sharedDecoder } from '../interp.js';
import { TLB_ENTRIES } from '../mmu.js';
import type { CodeCache } from './cache.js';
import { translateBlock } from './translate.js';

/**
 * Run about `budget` instructions on `h` using translated blocks where hot. Stops early when an
 * instruction asks the loop to re-examine interrupts. Returns instructions executed.
 */
export function runJit(h: RiscvHart, cache: CodeCache, budget: number, dec: Decoder = sharedDecoder): number {
  const tag = h.tlb.tag;
  const toff = h.tlb.off;
  const u16 = h.mem.halfwords;
  const read = (off: number): number => u16[off >>> 1];
  let n = 0;
  h.yieldLoop = false;
  while (n < budget) {
    const pc = h.pc;
    const pgoff = pc & 4095;
    const idx = h.fetchBase + ((pc >>> 12) & (TLB_ENTRIES - 1));
    if (tag[idx] === pc - pgoff) {
      const ramOff = toff[idx] + pgoff;
      let fn = cache.get(ramOff, pc);
      if (fn === undefined && cache.hot(ramOff)) {
        fn = translateBlock(pc, ramOff, read, dec);
        if (fn !== undefined) cache.put(ramOff, fn);
      }
      if (fn !== undefined) {
        n += fn(h);
        if (h.yieldLoop) break;
        continue;
      }
    }
    // Cold code, a TLB miss or a page crossing: one interpreted instruction fills the TLB.
    n += runInterpreter(h, 1, dec);
    if (h.yieldLoop) break;
  }
  return n;
}
