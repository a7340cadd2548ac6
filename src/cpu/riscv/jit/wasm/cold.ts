// Cold code in WebAssembly: an interpreter for the common integer instructions, run by the
// dispatcher when no translated block starts at pc. Without it every basic block of cold code was
// a return to JavaScript, a lookup there and a call of the JavaScript interpreter: in a Debian boot
// 3.4 M such round trips for 20.7 M instructions, a sixth of the emulation thread's time.
//
// Its code for each instruction is the translator's (ops.ts, one emitter per semantic kind), with
// operands taken from the instruction word at run time rather than as constants.
// Anything else stops it before that instruction, with nothing of it done: CSRs and system
// instructions, floating point, atomics, a load or store that misses the TLB (or is misaligned, or
// goes to a device or a page holding translated code), a jump out of JavaScript's range, an
// instruction at a page's last halfword. The JavaScript interpreter then runs it, as before.

import type { Decoder } from '../../decode.js';
import type { InsnSpec, Sem } from '../../isa/types.js';
import { TLB_ENTRIES } from '../../mmu.js';
import { Code, I32, I64, Op, type ValType } from '../../../../core/wasm/encode.js';
import { COLD_TABLE_BYTES } from './layout.js';
import {
  AREA_LOAD_BASE,
  AREA_PC,
  AREA_STORE_BASE,
  AREA_TLB,
  AREA_X,
  TLB_DELTA,
  TLB_OFF,
  TLB_TAG,
} from '../../area.js';
import { wasmEmitter, type WasmEmit, type WasmTarget } from './ops.js';

/** The bits of an instruction word its decode-table entry is found by: opcode[6:2], funct3, funct7. */
const KEY_BITS = 0xfe00707c | 0;
/** The key of an instruction word (its bits KEY_BITS, packed). */
const wordKey = (w: number): number => ((w >>> 2) & 31) | (((w >>> 12) & 7) << 5) | ((w >>> 25) << 8);
/** Bytes of the decode table (one class per key) and of the compressed-expansion table (i32 each). */
export const DECODE_BYTES = 1 << 15;
export const EXPAND_BYTES = 4 << 16;
if (DECODE_BYTES + EXPAND_BYTES !== COLD_TABLE_BYTES) throw new Error('layout.ts COLD_TABLE_BYTES is stale');

/**
 * What the cold interpreter runs, of a decoder's instructions: those with integer semantics that
 * the shared emitters (ops.ts) give code for without atomics. Class k + 1 is entry k; class 0 is
 * everything else.
 */
function coldInsns(insns: readonly InsnSpec[]): InsnSpec[] {
  return insns.filter((s) => s.sem !== undefined && wasmEmitter(s.sem, false) !== undefined);
}

const tableCache = new WeakMap<Decoder, { decode: Uint8Array; expand: Int32Array }>();

/**
 * The decode table gives the class of every word with a key when the decoder (decode.ts `find`,
 * the first entry of `dec.insns` that matches) picks the same entry for all of them, and that
 * entry is one the cold interpreter runs; otherwise 0. The expansion table holds each compressed
 * halfword's 32-bit instruction in the decoder's profile (decode.ts `expand`; 0 when reserved).
 */
function coldTables(dec: Decoder): { decode: Uint8Array; expand: Int32Array } {
  const known = tableCache.get(dec);
  if (known !== undefined) return known;
  const insns = dec.insns;
  const cold = coldInsns(insns);
  const decode = new Uint8Array(DECODE_BYTES);
  const bits = KEY_BITS | 3;
  // For each key, how many entries can match its words and the first of them. Each entry visits
  // only the keys it matches (its free key bits enumerated), not all 2^15 keys.
  const matches = new Uint16Array(DECODE_BYTES);
  const first = new Int32Array(DECODE_BYTES).fill(-1);
  for (const [k, s] of insns.entries()) {
    if (((3 ^ s.match) & s.mask & 3) !== 0) continue;
    const fixed = wordKey(s.mask & bits);
    const want = wordKey(s.match & s.mask & bits);
    const free = ~fixed & (DECODE_BYTES - 1);
    for (let sub = 0; ; sub = (sub - free) & free) {
      const key = want | sub;
      if (matches[key]++ === 0) first[key] = k;
      if (sub === free) break;
    }
  }
  for (let key = 0; key < DECODE_BYTES; key++) {
    // Only when one entry alone can match words of this key: a more specific entry (rs2 fixed,
    // say) beside a general one would otherwise be decoded as the general one.
    const s = insns[first[key]];
    if (matches[key] === 1 && (s.mask & ~bits) === 0) decode[key] = cold.indexOf(s) + 1;
  }
  const expand = new Int32Array(EXPAND_BYTES / 4);
  for (let c = 0; c < 1 << 16; c++) if ((c & 3) !== 3) expand[c] = dec.expand(c);
  const t = { decode, expand };
  tableCache.set(dec, t);
  return t;
}

/**
 * Write the tables of decoder `dec` (a profile's) where the cold interpreter reads them (byte
 * offsets in the memory).
 */
export function fillColdTables(buf: ArrayBufferLike, decodeAt: number, expandAt: number, dec: Decoder): void {
  const t = coldTables(dec);
  new Uint8Array(buf, decodeAt, DECODE_BYTES).set(t.decode);
  new Int32Array(buf, expandAt, EXPAND_BYTES / 4).set(t.expand);
}

// Parameters and locals of cold(area, max, fetch TLB entry) -> instructions run.
const H = 0;
const MAX = 1;
const TI = 2;
const PC = 3;
const NPC = 4;
const T = 5;
const TMP = 6; // 4 scratch i64 for the primitives
const W = 10;
const N = 11;
const RAM = 12;
const TA = 13;
export const COLD_LOCALS: ValType[] = [I64, I64, I64, I64, I64, I64, I64, I32, I32, I32, I32];

const TWO_53 = 2 ** 53;
const TWO_54 = 2 ** 54;

/**
 * The body of cold(area, max, entry): from the pc in the state area, whose page the instruction
 * TLB entry at `entry` maps (the dispatcher found it there), run at most `max` instructions in
 * that page, up to a jump or a taken branch (the dispatcher then looks up where it went). Leaves
 * pc in the state area and returns the instructions run, 0 when the first could not be.
 */
export function coldInterpreter(decodeAt: number, expandAt: number, insns: readonly InsnSpec[]): Code {
  const cold = coldInsns(insns);
  const c = new Code();
  c.get(H).mem(Op.i64_load, AREA_PC).set(PC);
  c.get(TI)
    .mem(Op.i32_load, AREA_TLB + TLB_OFF)
    .set(RAM);
  c.begin(Op.block);
  const done = c.depth;
  c.begin(Op.loop);
  const next = c.depth;
  const br = (depth: number): void => {
    c.br(Op.br, c.depth - depth);
  };
  const brIf = (depth: number): void => {
    c.br(Op.br_if, c.depth - depth);
  };
  c.get(N).get(MAX).op(Op.i32_ge_u);
  brIf(done);
  // A 32-bit fetch stays in the page; the last halfword is left to JavaScript.
  c.get(PC).op(Op.i32_wrap_i64).i32(4095).op(Op.i32_and).tee(TA).i32(4092).op(Op.i32_gt_u);
  brIf(done);
  c.get(RAM).get(TA).op(Op.i32_add).mem(Op.i32_load).tee(W).i32(3).op(Op.i32_and).i32(3).op(Op.i32_ne);
  c.begin(Op.if);
  c.get(W).i32(0xffff).op(Op.i32_and).i32(2).op(Op.i32_shl).mem(Op.i32_load, expandAt).set(W);
  c.get(PC).i64(2).op(Op.i64_add).set(NPC);
  c.op(Op.else);
  c.get(PC).i64(4).op(Op.i64_add).set(NPC);
  c.op(Op.end);
  c.get(W).op(Op.i32_eqz);
  brIf(done);
  // x registers: x[field at `shift`] as an i64, and x[rd] = what `value` pushes (x0 stays 0).
  const reg = (shift: number): void => {
    c.get(W).i32(shift).op(Op.i32_shr_u).i32(31).op(Op.i32_and).i32(3).op(Op.i32_shl).get(H).op(Op.i32_add);
  };
  const x = (shift: number): void => {
    reg(shift);
    c.mem(Op.i64_load, AREA_X);
  };
  const setRd = (value: () => void): void => {
    reg(7);
    value();
    c.mem(Op.i64_store, AREA_X);
    c.get(H).i64(0).mem(Op.i64_store, AREA_X);
  };
  // Immediates (isa/fields.ts), as i32; `imm64` sign-extends.
  const field = (shift: number, mask: number, at: number): void => {
    c.get(W).i32(shift).op(Op.i32_shr_u).i32(mask).op(Op.i32_and);
    if (at > 0) c.i32(at).op(Op.i32_shl);
    c.op(Op.i32_or);
  };
  const signBits = (at: number): void => {
    c.get(W).i32(31).op(Op.i32_shr_s).i32(at).op(Op.i32_shl);
  };
  const IMM: Record<'I' | 'S' | 'B' | 'U' | 'J', () => void> = {
    I: () => c.get(W).i32(20).op(Op.i32_shr_s),
    S: () => {
      c.get(W).i32(25).op(Op.i32_shr_s).i32(5).op(Op.i32_shl);
      field(7, 31, 0);
    },
    B: () => {
      signBits(12);
      field(7, 1, 11);
      field(25, 63, 5);
      field(8, 15, 1);
    },
    U: () =>
      c
        .get(W)
        .i32(0xfffff000 | 0)
        .op(Op.i32_and),
    J: () => {
      signBits(20);
      field(12, 255, 12);
      field(20, 1, 11);
      field(21, 1023, 1);
    },
  };
  const imm64 = (f: keyof typeof IMM): void => {
    IMM[f]();
    c.op(Op.i64_extend_i32_s);
  };
  /** Stop before the instruction (nothing done) when T, a new pc, is beyond JavaScript's +-2^53. */
  const checkTarget = (): void => {
    c.get(T).i64(TWO_53).op(Op.i64_add).i64(TWO_54).op(Op.i64_gt_u);
    brIf(done);
  };
  /**
   * The instruction is done: count it, go on to the next unless that is in the next page (RAM
   * holds the page found at the start only), or (`end`) stop at pc = T.
   */
  const retire = (end: boolean): void => {
    c.get(N).i32(1).op(Op.i32_add).set(N);
    c.get(end ? T : NPC).set(PC);
    if (!end) {
      c.get(PC).op(Op.i32_wrap_i64).i32(4095).op(Op.i32_and);
      brIf(next);
    }
    br(done);
  };
  /** TI = the TLB entry for address T (TA its low word); stop unless it maps `bytes` there. */
  const tlb = (base: number, bytes: number): void => {
    c.get(T).op(Op.i32_wrap_i64).set(TA);
    c.get(H).mem(Op.i32_load, base).i32(4).op(Op.i32_shl).get(H).op(Op.i32_add);
    c.get(TA)
      .i32(12 - 4)
      .op(Op.i32_shr_u)
      .i32((TLB_ENTRIES - 1) << 4)
      .op(Op.i32_and)
      .op(Op.i32_add)
      .tee(TI);
    c.mem(Op.i64_load, AREA_TLB + TLB_TAG);
    c.get(T)
      .i64(-4096 | (bytes - 1))
      .op(Op.i64_and)
      .op(Op.i64_ne);
    brIf(done);
    c.get(TI)
      .mem(Op.i32_load, AREA_TLB + TLB_DELTA)
      .get(TA)
      .op(Op.i32_add);
  };
  // The operands, read from the instruction word at run time, and the mechanisms of cold code:
  // memory through the TLB or stop; a jump or taken branch ends the run at its target.
  const target: WasmTarget = {
    c,
    tmp: (n) => TMP + n,
    x: (f) => x(f === 'rs1' ? 15 : 20),
    imm: (f, w) => {
      if (f === 'shamt5' || f === 'shamt6') {
        c.get(W)
          .i32(20)
          .op(Op.i32_shr_u)
          .i32(f === 'shamt6' ? 63 : 31)
          .op(Op.i32_and);
        if (!w) c.op(Op.i64_extend_i32_u);
        return;
      }
      IMM[f]();
      if (!w) c.op(Op.i64_extend_i32_s);
    },
    pc: () => c.get(PC),
    setRd,
    // Taken, it stops for the dispatcher to look the target up; not taken, it goes on, as a
    // translated trace does past its side exits (the dispatcher would miss there again).
    branch: (cond) => {
      cond();
      c.begin(Op.if);
      c.get(PC);
      imm64('B');
      c.op(Op.i64_add).set(T);
      checkTarget();
      retire(true);
      c.op(Op.end);
      retire(false);
    },
    jump: (direct) => {
      // The target first: rd may be rs1.
      if (direct) c.get(PC);
      else x(15);
      imm64(direct ? 'J' : 'I');
      c.op(Op.i64_add);
      if (!direct) c.i64(-2).op(Op.i64_and);
      c.set(T);
      checkTarget();
      setRd(() => c.get(NPC));
      retire(true);
    },
    load: (bytes, signed) => {
      const op = {
        1: [Op.i64_load8_u, Op.i64_load8_s],
        2: [Op.i64_load16_u, Op.i64_load16_s],
        4: [Op.i64_load32_u, Op.i64_load32_s],
        8: [Op.i64_load, Op.i64_load],
      }[bytes][signed ? 1 : 0];
      x(15);
      imm64('I');
      c.op(Op.i64_add).set(T);
      tlb(AREA_LOAD_BASE, bytes);
      c.set(TA);
      setRd(() => c.get(TA).mem(op));
      retire(false);
    },
    store: (bytes) => {
      const op = { 1: Op.i64_store8, 2: Op.i64_store16, 4: Op.i64_store32, 8: Op.i64_store }[bytes];
      x(15);
      imm64('S');
      c.op(Op.i64_add).set(T);
      tlb(AREA_STORE_BASE, bytes);
      x(20);
      c.mem(op);
      retire(false);
    },
  };
  // Control transfers and memory accesses retire themselves (they may stop instead).
  const handlers = cold.map((s) => {
    const emit = wasmEmitter(s.sem as Sem, false) as WasmEmit;
    const own = s.facts.endsBlock || s.facts.access !== 'none';
    return (): void => {
      emit(target);
      if (!own) retire(false);
    };
  });
  // A switch on the class: one block per class, innermost first; class 0 (and any other) stops.
  for (let k = 0; k < handlers.length; k++) c.begin(Op.block);
  c.begin(Op.block);
  c.get(W).i32(17).op(Op.i32_shr_u).i32(0x7f00).op(Op.i32_and);
  c.get(W).i32(12).op(Op.i32_shr_u).i32(7).op(Op.i32_and).i32(5).op(Op.i32_shl).op(Op.i32_or);
  c.get(W).i32(2).op(Op.i32_shr_u).i32(31).op(Op.i32_and).op(Op.i32_or);
  c.mem(Op.i32_load8_u, decodeAt);
  c.brTable(
    Array.from({ length: handlers.length + 1 }, (_, k) => k),
    0,
  );
  c.op(Op.end);
  br(done);
  for (const h of handlers) {
    c.op(Op.end);
    h();
  }
  c.op(Op.end); // the loop: every handler leaves by a branch
  c.op(Op.end);
  c.get(H).get(PC).mem(Op.i64_store, AREA_PC);
  c.get(N);
  return c;
}
