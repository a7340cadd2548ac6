// Reading guest RAM's dirty log (GuestMemory.dirty) for live migration: which pages were written
// since the last read, with the harts' store mappings dropped so that the next store to each page
// is seen again (the TLB enters a store mapping only for a page it marks dirty).

import { type GuestMemory } from './guest-memory.js';

/** What the log needs of a hart: its TLB, to drop the store mappings (RiscvHart is one). */
export interface DirtyLogHart {
  readonly tlb: { flushStores(): void };
}

/**
 * The RAM pages (numbers, ascending) marked dirty since the last call, or since RAM was made (every
 * page counts as written until the first call); clears the log and drops every hart's store
 * mappings. Call with no hart running (between slices, or paused): the clear and the drop must be
 * one step for the harts. With harts in worker threads (issue 25) each must drop its mappings
 * while stopped at the same point, before it stores again.
 */
export function takeDirtyPages(mem: GuestMemory, harts: readonly DirtyLogHart[]): Uint32Array {
  const d = mem.dirty;
  let n = 0;
  for (let p = 0; p < d.length; p++) n += d[p];
  const out = new Uint32Array(n);
  let k = 0;
  for (let p = 0; p < d.length; p++) if (d[p] !== 0) out[k++] = p;
  d.fill(0);
  for (const h of harts) h.tlb.flushStores();
  return out;
}

/** How many pages are dirty now (without clearing anything). */
export function countDirtyPages(mem: GuestMemory): number {
  const d = mem.dirty;
  let n = 0;
  for (let p = 0; p < d.length; p++) n += d[p];
  return n;
}
