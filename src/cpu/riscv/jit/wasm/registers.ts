// The register state of a translated block being built, the lowest layer of BlockBuilder
// (builder.ts): the guest x registers the block touches live in i64 locals, loaded on first use
// and stored back to the hart's state area at exits, or as they change (write-through).

import { rd, rs1, rs2 } from '../../isa/fields.js';
import type { Insn } from '../translate.js';
import { Code, F64, I32, I64, Op, type ValType } from '../../../../core/wasm/encode.js';
import { AREA_X } from '../../area.js';

/** The x register an instruction writes (0 for none), from its facts. */
export const xWrites = (i: Insn): number => (i.spec.facts.writesRd ? rd(i.word) : 0);

/**
 * The parameters: the hart's area base, and the instructions the dispatcher and the blocks
 * chained before this one have run in this call of the dispatcher (which blocks add theirs to
 * and return, or pass on to the next block).
 */
export const L_H = 0;
export const L_N = 1;

/** Scratch locals, by slot: S_TMP.. are `tmp(n)` (n < 4), S_FTMP.. are `ftmp(n)` (n < 24). */
const S_T0 = 0;
const S_TA = 1;
const S_TI = 2;
const S_ST = 3;
const S_DONE = 4;
const S_PCX = 5;
const S_CNT = 6;
const S_LNK = 7;
const S_TMP = 8;
const S_FTMP = 12;
const S_COUNT = S_FTMP + 24;

/**
 * The per-register state of the block being built. Blocks are built one at a time, so every
 * builder takes these over, cleared, rather than allocating its own: a Debian boot builds ~18 k
 * blocks, and the allocations were a tenth of the translator's time.
 */
const SCRATCH = {
  loaded: new Uint8Array(32),
  through: new Uint8Array(32),
  regLocal: new Uint16Array(32),
  scratchLocal: new Uint16Array(S_COUNT),
};
function fresh<T extends Uint8Array | Uint16Array>(a: T): T {
  a.fill(0);
  return a;
}

/**
 * The instruction being translated, the block's locals, and the x registers in them: what every
 * layer above (control.ts, access.ts, builder.ts) emits with. Which registers are loaded and
 * changed is private to this layer; the layers above see it through `use`, `x`, `setX`, `wrote`,
 * `writeBack` and `forget`.
 */
export class BlockRegisters {
  readonly c = new Code();
  private readonly loaded = fresh(SCRATCH.loaded);
  /** Bit r: x[r]'s local holds a value the state area does not have yet. */
  private dirty = 0;
  insn!: Insn;
  /** Position of the instruction in its block (instructions retired before it, in the block). */
  k = 0;
  /** `done` counts instructions (loops, and skips by forward branches) rather than staying 0. */
  counted = false;

  /**
   * Types of the locals after the parameter, allocated on first use: Liftoff, which runs most
   * blocks, zeroes every declared local on each call (40 of them cost ~15 ns a call).
   */
  readonly locals: ValType[] = [];
  /** Local of each guest register, 0 until the block first uses it. */
  private readonly regLocal = fresh(SCRATCH.regLocal);
  /** Local of each scratch slot (S_* above), 0 until first used. */
  private readonly scratchLocal = fresh(SCRATCH.scratchLocal);

  /**
   * 1 for registers that go to the state area as they change (write-through): those a block that
   * does not loop writes once or twice. Exits and helper calls then have few registers to write
   * back first (write-backs were ~30% of the code), for about the same stores. Looping blocks,
   * and registers written more often (straight-line arithmetic such as SHA-256's rounds), stay
   * in locals until an exit or a helper call.
   */
  readonly through = fresh(SCRATCH.through);

  /** A new local of type `type` (its index). */
  protected alloc(type: ValType): number {
    this.locals.push(type);
    return this.locals.length + 1; // after the two parameters
  }

  /** The local of scratch slot `slot` (one per slot and block), of type `type`. */
  private scratch(slot: number, type: ValType): number {
    if (this.scratchLocal[slot] === 0) this.scratchLocal[slot] = this.alloc(type);
    return this.scratchLocal[slot];
  }

  /** The local of x[r] (r > 0). */
  protected reg(r: number): number {
    if (this.regLocal[r] === 0) this.regLocal[r] = this.alloc(I64);
    return this.regLocal[r];
  }

  /** An effective address or a jump target (i64). */
  protected get t0(): number {
    return this.scratch(S_T0, I64);
  }
  /** A memory access's address, then its RAM offset (i32). */
  protected get ta(): number {
    return this.scratch(S_TA, I32);
  }
  /** The address of a memory access's TLB entry (i32). */
  protected get ti(): number {
    return this.scratch(S_TI, I32);
  }
  /** What the helper returned (i32). */
  protected get st(): number {
    return this.scratch(S_ST, I32);
  }
  /** Instructions earlier iterations executed, less those forward branches skipped (i32). */
  protected get done(): number {
    return this.scratch(S_DONE, I32);
  }
  /** The pc the shared exit path (control.ts `openExit`) leaves with (i64). */
  protected get pcx(): number {
    return this.scratch(S_PCX, I64);
  }
  /** The instructions the block executed, for the shared exit path (i32). */
  protected get cnt(): number {
    return this.scratch(S_CNT, I32);
  }
  /** The link number of the shared exit path's way out, 0 for none (i32). */
  protected get lnk(): number {
    return this.scratch(S_LNK, I32);
  }

  get word(): number {
    return this.insn.word;
  }
  get pc(): number {
    return this.insn.pc;
  }
  get next(): number {
    return this.insn.pc + this.insn.len;
  }

  /** Local index of scratch i64 number `n` (0..3), free for an emitter's own use. */
  tmp(n: number): number {
    if (n >= 4) throw new RangeError(`tmp(${n})`);
    return this.scratch(S_TMP + n, I64);
  }

  /** Local index of scratch f64 number `n` (0..23), free for an emitter's own use. */
  ftmp(n: number): number {
    if (n >= 24) throw new RangeError(`ftmp(${n})`);
    return this.scratch(S_FTMP + n, F64);
  }

  /** Push the base of the hart's state area (i32). */
  area(): void {
    this.c.get(L_H);
  }

  /** Pop an i64 into x[rd]'s local inside `fastOrHelper`'s body (dropped for x0). */
  popX(rd: number): void {
    if (rd === 0) this.c.op(Op.drop);
    else this.c.set(this.reg(rd));
  }

  /** Pop an i64 into the scratch local T0 (the jump target of `jump`). */
  setT0(): void {
    this.c.set(this.t0);
  }

  /** Make sure x[r] is in its local, so that code inside a branch may read it with `x`. */
  use(r: number): void {
    if (r !== 0 && this.loaded[r] === 0) {
      this.c
        .get(L_H)
        .mem(Op.i64_load, AREA_X + 8 * r)
        .set(this.reg(r));
      this.loaded[r] = 1;
    }
  }

  /** Push x[r] (i64). */
  x(r: number): void {
    const c = this.c;
    if (r === 0) {
      c.i64(0);
      return;
    }
    if (this.loaded[r] === 0) {
      c.get(L_H)
        .mem(Op.i64_load, AREA_X + 8 * r)
        .set(this.reg(r));
      this.loaded[r] = 1;
    }
    c.get(this.reg(r));
  }

  /** x[r] = the i64 that `value` pushes; writes to x0 are dropped (value is not evaluated). */
  setX(r: number, value: () => void): void {
    if (r === 0) return;
    const c = this.c;
    if (this.through[r] === 1) {
      c.get(L_H);
      value();
      c.tee(this.reg(r)).mem(Op.i64_store, AREA_X + 8 * r);
    } else {
      value();
      c.set(this.reg(r));
      this.dirty |= 1 << r;
    }
    this.loaded[r] = 1;
  }

  /** x[r]'s local was set (by a fast path whose slow path left the same value in the state area). */
  protected wrote(r: number): void {
    if (r === 0) return;
    this.loaded[r] = 1;
    if (this.through[r] === 1)
      this.c
        .get(L_H)
        .get(this.reg(r))
        .mem(Op.i64_store, AREA_X + 8 * r);
    else this.dirty |= 1 << r;
  }

  /** Store every changed register to the state area (the compile-time state is left as it is). */
  protected writeBack(): void {
    // Lowest register first.
    for (let m = this.dirty; m !== 0; m &= m - 1) {
      const r = 31 - Math.clz32(m & -m);
      this.c
        .get(L_H)
        .get(this.reg(r))
        .mem(Op.i64_store, AREA_X + 8 * r);
    }
  }

  /** Load x[r] into its local again: the helper changed it in the state area on a side path. */
  protected refresh(r: number): void {
    this.c
      .get(L_H)
      .mem(Op.i64_load, AREA_X + 8 * r)
      .set(this.reg(r));
  }

  /**
   * Any register may have changed in the state area (the helper ran, after a `writeBack`): none
   * is changed in its local any more, and each is reloaded when next used.
   */
  protected forget(): void {
    this.dirty = 0;
    this.loaded.fill(0);
  }

  /**
   * Load every register the block names into its local and count those it writes and does not
   * write through as changed, so that the compile-time state is the same wherever control flow
   * meets inside the block: at the loop head on every iteration, and at the target of a forward
   * branch on either path.
   */
  preload(insns: readonly Insn[]): void {
    for (const i of insns) {
      const f = i.spec.facts;
      if (f.readsRs1) this.use(rs1(i.word));
      if (f.readsRs2) this.use(rs2(i.word));
      const writes = xWrites(i);
      if (writes !== 0) {
        this.use(writes);
        if (this.through[writes] === 0) this.dirty |= 1 << writes;
      }
    }
    this.counted = true;
    this.c.i32(0).set(this.done);
  }
}
