// The interpreter: fetch through the instruction TLB, expand compressed instructions (through the
// profile's RVC table, decode.ts), look up the
// semantics in the decode cache and execute. It is the reference the translator is checked against.

import { Decoder } from './decode.js';
import type { RiscvHart } from './hart.js';
import { TLB_ENTRIES } from './mmu.js';

const PAGE_MASK = 4095;

/**
 * Run up to `budget` instructions on `h`. Stops early when an instruction asks the loop to
 * re-examine interrupts (CSR writes, xRET, WFI, SFENCE.VMA), and with `toBlockEnd` after an
 * instruction that would end a translated block, at a page's end, or after a trap, so the
 * translator's dispatcher sees cold code at the same block starts as hot code. Stops before an
 * instruction at one of a debugger's breakpoints (h.breakpoints), with yieldLoop set. Returns the
 * number of instructions executed (retired or trapped).
 */
export function runInterpreter(h: RiscvHart, budget: number, toBlockEnd = false): number {
  const dec = h.decoder;
  const rvc = dec.rvc;
  const tag = h.tlb.tag;
  const toff = h.tlb.off;
  const u16 = h.mem.halfwords;
  const keys = dec.keys;
  const fns = dec.fns;
  const ends = dec.ends;
  // The page of the last fetch, so that straight-line code skips the TLB. Any trap may change the
  // translation context, so a trap forgets it; TLB flushes end the loop (yieldLoop).
  let curPage = NaN;
  let curHalf = 0;
  // The page whose breakpoints were looked up last, and whether it has any.
  const breakpoints = h.breakpoints;
  let bpPage = NaN;
  let bpHere = false;
  let n = 0;
  if (budget > 1) h.yieldLoop = false;
  while (n < budget) {
    const pc = h.pc;
    if (breakpoints !== undefined) {
      const page = pc - (pc & PAGE_MASK);
      if (page !== bpPage) {
        bpPage = page;
        bpHere = breakpoints.inPage(page);
      }
      if (bpHere && breakpoints.has(pc)) {
        h.yieldLoop = true;
        break;
      }
    }
    n++;
    const pgoff = pc & PAGE_MASK;
    const page = pc - pgoff;
    let w: number;
    if (page === curPage && pgoff <= 4092) {
      const k = curHalf + (pgoff >>> 1);
      w = u16[k] | (u16[k + 1] << 16);
    } else {
      const idx = h.fetchBase + ((pc >>> 12) & (TLB_ENTRIES - 1));
      if (pgoff <= 4092 && tag[idx] === page) {
        curPage = page;
        curHalf = toff[idx] >>> 1;
        const k = curHalf + (pgoff >>> 1);
        w = u16[k] | (u16[k + 1] << 16);
      } else {
        const f = h.fetchSlow(pc);
        if (f === undefined) {
          // The fetch faulted: the trap is taken and nothing retires.
          h.trapped = false;
          h.pc = h.npc;
          curPage = NaN;
          if (toBlockEnd) break;
          continue;
        }
        w = f;
      }
    }
    let len = 4;
    if ((w & 3) !== 3) {
      w &= 0xffff;
      h.insnBits = w;
      h.npc = pc + 2;
      w = rvc.expand(w);
      len = 2;
    } else {
      h.insnBits = w;
      h.npc = pc + 4;
    }
    const k = Decoder.hash(w);
    const fn = keys[k] === w ? fns[k] : dec.lookup(w);
    // Read before running: the instruction may fill its cache slot with another word.
    const endsBlock = ends[k];
    fn(h, w);
    let trapped = false;
    if (h.trapped) {
      h.trapped = false;
      curPage = NaN;
      trapped = true;
    } else h.retired++;
    h.pc = h.npc;
    if (h.yieldLoop) break;
    // A translated block ends at its page's end too. Straight-line code whose instruction
    // straddles two pages (never translated) would otherwise be interpreted on into the next
    // page, every time: in a Debian boot, 4 M instructions of BLAKE2s ran so.
    if (toBlockEnd && (trapped || endsBlock !== 0 || pgoff + len >= 4096)) break;
  }
  return n;
}
