// Where a hart's state lives in its machine's memory (GuestMemory host bytes after RAM), so that
// JavaScript sees it through typed arrays and translated code reads registers and the software
// TLB directly. The hart owns this layout; the translator reads it.

import { TLB_SLOTS } from './mmu.js';

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
/**
 * 1 when CBO.ZERO is enabled at the hart's current privilege (cbo.ts `cboEnabled`), else 0, kept
 * by the hart: translated code zeroes a block through the store TLB only then.
 */
export const AREA_CBZE = 324;
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
