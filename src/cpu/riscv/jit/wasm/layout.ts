// Where the translator's tables shared by all harts live in the WebAssembly memory, after RAM
// and the harts' state areas (area.ts).

import { AREA_BYTES } from '../../area.js';

/** The block lookup table shared by all harts: 16-byte entries {pc i64, ramOff i32, table index i32}. */
export const HASH_ENTRIES = 1 << 16;
export const HASH_BYTES = HASH_ENTRIES * 16;

/**
 * Direct chaining: each block's first LINKS exits to a constant pc have a 16-byte cell {epoch f64,
 * fetchBase i32, next block's table slot i32}, at LINK_CELLS + (slot * LINKS + exit - 1) * 16 for
 * blocks in table slots below LINK_SLOTS.
 */
export const LINKS = 4;
export const LINK_SLOTS = 1 << 16;
export const LINK_BYTES = LINK_SLOTS * LINKS * 16;

/**
 * What the dispatcher reads besides: the decode and compressed-expansion tables of the cold
 * interpreter (cold.ts DECODE_BYTES, EXPAND_BYTES), the execution counts of untranslated block
 * starts (u16, hashed), and a byte per RAM page, 1 where the page holds translated code.
 */
export const COLD_TABLE_BYTES = (1 << 15) + (4 << 16);
export const HEAT_BYTES = 2 << 16;
export const codePageBytes = (ramBytes: number): number => Math.ceil(ramBytes / 4096);

/**
 * A byte per hash of a virtual page number ((va >> 12) mod BREAK_FILTER_BYTES), 1 where a
 * debugger's breakpoint may be in the page: the dispatcher's cold interpreter leaves those pages
 * to JavaScript's, which stops at breakpoints.
 */
export const BREAK_FILTER_BYTES = 4096;

/**
 * Host bytes the WebAssembly translator needs after RAM of `ramBytes`: `harts` hart state areas and
 * its tables. The engine asks for them (engine/tcg/loop.ts engineHostBytes); boards only pass them on.
 */
export const hostBytesFor = (harts: number, ramBytes: number): number =>
  harts * AREA_BYTES +
  HASH_BYTES +
  LINK_BYTES +
  COLD_TABLE_BYTES +
  HEAT_BYTES +
  codePageBytes(ramBytes) +
  BREAK_FILTER_BYTES +
  4096;
