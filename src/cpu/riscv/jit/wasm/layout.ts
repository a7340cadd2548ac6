// Where a hart's state lives in the WebAssembly memory, so that translated WebAssembly code reads
// registers and the software TLB directly and JavaScript sees the same bytes through typed arrays.

import { TLB_SLOTS } from '../../mmu.js';

/** x0..x31 as little-endian i64 (the interpreter's int32 pairs are the same bytes). */
export const AREA_X = 0;
/** The pc as an i64, valid only across a call into WebAssembly. */
export const AREA_PC = 256;
/** i32 mirrors of the hart's fetchBase, loadBase, storeBase (TLB slot bases). */
export const AREA_FETCH_BASE = 264;
export const AREA_LOAD_BASE = 268;
export const AREA_STORE_BASE = 272;
/** Nonzero when translated code must return to JavaScript (a trap or a yield in a helper). */
export const AREA_STOP = 276;
/** Instructions retired (f64) before the dispatcher was called, less the traps since. */
export const AREA_RETIRED = 280;
/** Instructions the dispatcher has run (i32) before the block running now. */
export const AREA_DONE = 296;
/** The link cell of the exit the last block left by, when it could not chain (i32 address, or 0). */
export const AREA_LINK = 300;
/** The TLB's epoch (f64, Tlb.epoch): links made in another epoch are void. */
export const AREA_EPOCH = 304;
/** The budget of the dispatcher's current call (i32): chained blocks stop when it is spent. */
export const AREA_BUDGET = 312;
/**
 * The LR/SC reservation (i32): the RAM offset of the reserved address, -1 for none, -2 for an
 * address outside RAM (the hart keeps it). Reserved addresses are aligned: no RAM offset is -1
 * or -2 (mod 2^32).
 */
export const AREA_RESERVATION = 316;
/** Instructions the cold interpreter (cold.ts) ran since JavaScript last took the count (i32). */
export const AREA_COLD = 320;
/** fflags (i32, bits 4..0), shared by the FPU in JavaScript and translated code. */
export const AREA_FFLAGS = 288;
/**
 * What translated F/D code may assume, refreshed by JavaScript before WebAssembly runs and after
 * every helper: frm (0..7) when mstatus.FS is Dirty (nothing to mark), else -1.
 */
export const AREA_FPMODE = 292;
/** f0..f31 as little-endian i64 (the FPU's int32 pairs are the same bytes). */
export const AREA_F = 512;
/** The TLB's entries as translated code reads them (Tlb.words): 16 bytes each. */
export const AREA_TLB = 768;
/**
 * In an entry: the virtual page base (i64; -1 when the entry is empty), the RAM offset (i32), and
 * the RAM offset less the page base's low 32 bits (i32: address + it = RAM offset, mod 2^32).
 */
export const TLB_TAG = 0;
export const TLB_OFF = 8;
export const TLB_DELTA = 12;
export const AREA_BYTES = AREA_TLB + TLB_SLOTS * 16;

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
  4096;
