// The builder of one translated block (translate.ts drives it): the guest registers the block
// touches live in i64 locals, guest RAM is loaded and stored through the software TLB in the
// shared memory, and instructions without WebAssembly code go to the interpreter's own `exec`
// through one helper call. Exits are precise: before a helper runs or the block leaves, every
// register the block changed is back in the hart's state area.

import { immB, immI, immJ, immS, immU, rd, rs1, rs2 } from '../../isa/fields.js';
import type { Insn } from '../translate.js';
import { Code, F64, type FuncType, I32, I64, Op, type ValType } from '../../../../core/wasm/encode.js';
import { LINKS } from './layout.js';
import {
  AREA_F,
  AREA_LOAD_BASE,
  AREA_PC,
  AREA_RESERVATION,
  AREA_STORE_BASE,
  AREA_TLB,
  AREA_X,
  TLB_DELTA,
  TLB_TAG,
} from '../../area.js';
import { TLB_ENTRIES } from '../../mmu.js';
import type { ImmField, WasmTarget } from './ops.js';

/** The x register an instruction writes (0 for none), from its facts. */
export const xWrites = (i: Insn): number => (i.spec.facts.writesRd ? rd(i.word) : 0);

/** An emitter of the translator: for an instruction with semantics, or an F/D one (fops.ts). */
export type Emit = (b: BlockBuilder) => void;

/** An immediate of the instruction word `w`, as the translator folds it into a constant. */
function immOf(f: ImmField, w: number): number {
  switch (f) {
    case 'I':
      return immI(w);
    case 'S':
      return immS(w);
    case 'B':
      return immB(w);
    case 'U':
      return immU(w);
    case 'J':
      return immJ(w);
    case 'shamt5':
      return (w >>> 20) & 31;
    case 'shamt6':
      return (w >>> 20) & 63;
  }
}

/**
 * The shared integer emitters (ops.ts) see the block's builder through this: every operand of
 * the instruction being translated is a constant taken from its word.
 */
class ConstOperands implements WasmTarget {
  constructor(private readonly b: BlockBuilder) {}
  get c(): Code {
    return this.b.c;
  }
  tmp(n: number): number {
    return this.b.tmp(n);
  }
  x(f: 'rs1' | 'rs2'): void {
    this.b.x(f === 'rs1' ? rs1(this.b.word) : rs2(this.b.word));
  }
  imm(f: ImmField, w: boolean): void {
    const v = immOf(f, this.b.word);
    if (w) this.b.c.i32(v);
    else this.b.c.i64(v);
  }
  pc(): void {
    this.b.c.i64(this.b.pc);
  }
  setRd(value: () => void): void {
    this.b.setX(rd(this.b.word), value);
  }
  branch(cond: () => void): void {
    this.b.branch(cond, immB(this.b.word));
  }
  jump(direct: boolean): void {
    const b = this.b;
    const w = b.word;
    if (direct) return b.jump(rd(w), b.pc + immJ(w));
    b.x(rs1(w));
    b.c.i64(immI(w)).op(Op.i64_add).i64(-2).op(Op.i64_and);
    b.setT0();
    b.jump(rd(w), undefined);
  }
  load(bytes: 1 | 2 | 4 | 8, signed: boolean): void {
    const w = this.b.word;
    this.b.load(rd(w), rs1(w), immI(w), bytes, signed);
  }
  store(bytes: 1 | 2 | 4 | 8): void {
    const w = this.b.word;
    this.b.store(rs1(w), rs2(w), immS(w), bytes);
  }
  readonly atomics = {
    amo: (bytes: 4 | 8, combine: (old: number, src: number) => void): void => {
      const w = this.b.word;
      this.b.amo(rd(w), rs1(w), rs2(w), bytes, combine);
    },
    lr: (bytes: 4 | 8): void => {
      const w = this.b.word;
      this.b.lr(rd(w), rs1(w), bytes);
    },
    sc: (bytes: 4 | 8): void => {
      const w = this.b.word;
      this.b.sc(rd(w), rs1(w), rs2(w), bytes);
    },
  };
}

/**
 * The parameters: the hart's area base, and the instructions the dispatcher and the blocks
 * chained before this one have run in this call of the dispatcher (which blocks add theirs to
 * and return, or pass on to the next block).
 */
const L_H = 0;
const L_N = 1;

/** Function types shared by every block module and the dispatcher (structurally equal). */
export const TYPE_BLOCK = 0;
export const TYPE_HELPER = 1;
export const TYPE_EXIT = 2;
export const TYPES: FuncType[] = [
  { params: [I32, I32], results: [I32] },
  // helper(site, instructions before it in the block) -> status
  { params: [I32, I32], results: [I32] },
  // exit(area, pc, instructions so far, link cell) -> what the block returns
  { params: [I32, I64, I32, I32], results: [I32] },
];
/**
 * Blocks import the helper and the exit from the dispatcher module (engine.ts) as functions 0
 * and 1. Both are WebAssembly functions, so V8 calls them directly, with no JavaScript wrapper:
 * a call site is less than half the machine code of a call through a table (measured with
 * Liftoff, which compiles most blocks).
 */
const F_HELPER = 0;
/**
 * The dispatcher module's exit, which stores pc and chains to the block that the exit's link
 * cell names (a tail call through the block table), or returns. Blocks do not import the block
 * table itself: V8 gives every instance that imports a table its own copy of the dispatch table,
 * kept up to date on every `Table.set` (measured: a boot spent more time there than it saved).
 */
const F_EXIT = 1;
/** Instructions a looping block runs before it returns to the dispatcher (interrupt latency). */
const LOOP_LIMIT = 4096;

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

/** 2^53 and 2^54, the bounds of a JavaScript pc (numbers: BigInt encoding is slow). */
const TWO_53 = 2 ** 53;
const TWO_54 = 2 ** 54;

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
 * What an instruction emitter sees: the operands of the instruction being translated and the
 * services every emitter shares (register access, memory access through the TLB, exits).
 */
export class BlockBuilder {
  readonly c = new Code();
  private readonly loaded = fresh(SCRATCH.loaded);
  /** Bit r: x[r]'s local holds a value the state area does not have yet. */
  private dirty = 0;
  insn!: Insn;
  /** Position of the instruction in its block (instructions retired before it, in the block). */
  k = 0;
  /** The instruction is the block's last. */
  last = false;
  /** Guest pc of the instruction after this one in the block (a followed jump's target). */
  following = NaN;
  ended = false;
  /** Guest pc of the block's first instruction, and whether branches to it loop in place. */
  start = 0;
  loops = false;
  /**
   * Indices of the instructions that branches earlier in the block jump to, whose `block`
   * constructs are still open (innermost, the nearest target, first).
   */
  open: number[] = [];
  /** `done` counts instructions (loops, and skips by forward branches) rather than staying 0. */
  counted = false;
  /** Guest pc of the block's instruction `j`. */
  insnPc: (j: number) => number = () => NaN;

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
   * @param firstSite the helper's site of the block's first instruction (`siteOf`)
   * @param cells address of the block's first link cell (layout.ts), or -1 when its table slot
   *   has none
   */
  constructor(
    private readonly firstSite: number,
    private readonly cells = -1,
  ) {}

  /** This builder as the shared integer emitters see it (ops.ts). */
  readonly operands: WasmTarget = new ConstOperands(this);

  private alloc(type: ValType): number {
    this.locals.push(type);
    return this.locals.length + 1; // after the two parameters
  }

  /** The local of scratch slot `slot` (one per slot and block), of type `type`. */
  private scratch(slot: number, type: ValType): number {
    if (this.scratchLocal[slot] === 0) this.scratchLocal[slot] = this.alloc(type);
    return this.scratchLocal[slot];
  }

  private reg(r: number): number {
    if (this.regLocal[r] === 0) this.regLocal[r] = this.alloc(I64);
    return this.regLocal[r];
  }

  private get t0(): number {
    return this.scratch(S_T0, I64);
  }
  private get ta(): number {
    return this.scratch(S_TA, I32);
  }
  private get ti(): number {
    return this.scratch(S_TI, I32);
  }
  private get st(): number {
    return this.scratch(S_ST, I32);
  }
  private get done(): number {
    return this.scratch(S_DONE, I32);
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

  /**
   * A fast path that may give up: `body` runs at depth 0 of a block that its `br_if 0` leaves
   * for the helper, and must not change any state before its last such branch. `uses` are the
   * x registers the body reads (loaded first, so that both paths see them in their locals);
   * `writes` is the x register it sets (0 if none), which the helper's path reloads.
   */
  fastOrHelper(uses: readonly number[], writes: number, body: () => void): void {
    const c = this.c;
    for (const r of uses) this.use(r);
    c.begin(Op.block).begin(Op.block);
    body();
    c.br(Op.br, 1).op(Op.end);
    this.sideHelper(writes);
    c.op(Op.end);
    this.wrote(writes);
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

  /**
   * 1 for registers that go to the state area as they change (write-through): those a block that
   * does not loop writes once or twice. Exits and helper calls then have few registers to write
   * back first (write-backs were ~30% of the code), for about the same stores. Looping blocks,
   * and registers written more often (straight-line arithmetic such as SHA-256's rounds), stay
   * in locals until an exit or a helper call.
   */
  readonly through = fresh(SCRATCH.through);

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
  private wrote(r: number): void {
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
  private writeBack(): void {
    // Lowest register first.
    for (let m = this.dirty; m !== 0; m &= m - 1) {
      const r = 31 - Math.clz32(m & -m);
      this.c
        .get(L_H)
        .get(this.reg(r))
        .mem(Op.i64_store, AREA_X + 8 * r);
    }
  }

  /** Push `count` plus what earlier iterations executed: instructions since the block began. */
  private executed(count: number): void {
    this.c.i32(count);
    if (this.counted) this.c.get(this.done).op(Op.i32_add);
  }

  /** Return `count` (plus earlier iterations) instructions executed, plus those before the block. */
  private ret(count: number): void {
    this.executed(count);
    this.c.get(L_N).op(Op.i32_add).op(Op.return);
  }

  /**
   * Locals holding the addresses of the load and store TLBs (from AREA_LOAD_BASE and
   * AREA_STORE_BASE) in blocks that access memory, 0 in others, computed on entry: each access
   * then finds its TLB in a register. They stay valid while the block runs, because what changes
   * them (privilege, MPRV, satp) is done only by instructions that end a block (ENDS_BLOCK), and
   * a helper that traps or asks to leave ends it too.
   */
  private bases = [0, 0];

  /** Push the address of the TLB whose slot base is at `base` in the area, less AREA_TLB. */
  private slotBase(base: number): void {
    this.c.get(L_H).mem(Op.i32_load, base).i32(4).op(Op.i32_shl).get(L_H).op(Op.i32_add);
  }

  /** Compute both TLB addresses into locals on entry (blocks that load or store). */
  loadBases(): void {
    this.bases = [this.alloc(I32), this.alloc(I32)];
    this.slotBase(AREA_LOAD_BASE);
    this.c.set(this.bases[0]);
    this.slotBase(AREA_STORE_BASE);
    this.c.set(this.bases[1]);
  }

  /** Exits given a link cell so far (at most LINKS). */
  private links = 0;

  /** The link number of a new exit to a constant pc, or 0 when the block has used them all. */
  private newLink(): number {
    return this.cells >= 0 && this.links < LINKS ? ++this.links : 0;
  }

  /**
   * Leave by the dispatcher module's exit with pc = what `pc` pushes, the total so far = what
   * `total` pushes, and the link cell of `link` (the exit's link number, or code that pushes it).
   * It chains to the block the cell names if the cell was made in this TLB epoch and fetch
   * context and the budget is not spent; otherwise it leaves the cell's address for the
   * dispatcher, which looks pc up and fills the cell.
   */
  private exitTo(pc: () => void, total: () => void, link: number | (() => void)): void {
    const c = this.c;
    c.get(L_H);
    pc();
    total();
    if (typeof link === 'number') c.i32(this.cells + (link - 1) * 16);
    else {
      link();
      c.i32(16)
        .op(Op.i32_mul)
        .i32(this.cells - 16)
        .op(Op.i32_add);
    }
    c.call(F_EXIT, true);
  }

  /**
   * Leave the block: registers back, pc = what `pc` pushes (i64), `count` instructions retired.
   * `link` is the exit's link number when it goes to a constant pc (0 for none), or pushes it.
   */
  private leaveBy(pc: () => void, count: number, link: number | (() => void)): void {
    const c = this.c;
    if (this.exitDepth > 0) {
      pc();
      c.set(this.scratch(S_PCX, I64));
      this.executed(count);
      c.set(this.scratch(S_CNT, I32));
      if (typeof link === 'number') c.i32(link);
      else link();
      c.set(this.scratch(S_LNK, I32)).br(Op.br, c.depth - this.exitDepth);
      return;
    }
    this.writeBack();
    if (link === 0) {
      c.get(L_H);
      pc();
      c.mem(Op.i64_store, AREA_PC);
      this.ret(count);
      return;
    }
    this.exitTo(
      pc,
      () => {
        this.executed(count);
        c.get(L_N).op(Op.i32_add);
      },
      link,
    );
  }

  /**
   * Leave the block: registers back, pc = what `pc` pushes (i64), `count` instructions retired.
   * `target` is the pc when it is a constant (the exit may be chained to the block there).
   */
  exit(pc: () => void, count: number, target?: number): void {
    this.leaveBy(pc, count, target === undefined ? 0 : this.newLink());
  }

  /**
   * Depth of the `block` whose end is the block's one exit path (0: each exit writes registers
   * back itself). Blocks whose control flow meets inside them (loops, forward branches) have
   * it: `preload` loaded every register they write on entry, so the exit path can store them all
   * whatever the way out, and each exit is a few bytes.
   */
  private exitDepth = 0;

  /** Open the shared exit path (after `preload`). */
  openExit(): void {
    this.c.begin(Op.block);
    this.exitDepth = this.c.depth;
  }

  /** Close it: write back, pc = the exit's, then chain or return its count. */
  closeExit(): void {
    const c = this.c;
    c.op(Op.end);
    this.exitDepth = 0;
    this.writeBack();
    const pcx = this.scratch(S_PCX, I64);
    const total = (): void => {
      c.get(this.scratch(S_CNT, I32)).get(L_N).op(Op.i32_add);
    };
    if (this.links > 0) {
      const lnk = this.scratch(S_LNK, I32);
      c.get(lnk).begin(Op.if);
      this.exitTo(
        () => c.get(pcx),
        total,
        () => c.get(lnk),
      );
      c.op(Op.end);
    }
    c.get(L_H).get(pcx).mem(Op.i64_store, AREA_PC);
    total();
    c.op(Op.return);
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

  /**
   * Run this instruction through the interpreter's semantics; code after it runs only when the
   * helper returns 0 (go on). Any register may have changed: they are reloaded as needed
   * afterwards.
   */
  helper(): void {
    this.callHelper();
    this.dirty = 0;
    this.loaded.fill(0);
  }

  /**
   * The helper as a rare side path (inside an `if` or after a failed fast path): registers are
   * written back but the compile-time state is kept, because the other path continues with it.
   * `reload` is a register the helper writes, reloaded into its local afterwards.
   */
  private sideHelper(reload: number): void {
    this.callHelper();
    if (reload !== 0)
      this.c
        .get(L_H)
        .mem(Op.i64_load, AREA_X + 8 * reload)
        .set(this.reg(reload));
  }

  /**
   * Write the changed registers back, call the helper for this instruction, and leave when it
   * trapped or asked to. The helper returns 0 to go on, or else the instructions the block has
   * executed with this one (its second argument + 1; a trapped instruction counts, as the
   * interpreter counts it, and the helper took it off the retired count), which the block
   * returns: that saves each call site computing it.
   */
  private callHelper(): void {
    const c = this.c;
    this.writeBack();
    c.i32(this.firstSite + this.k);
    this.executed(this.k);
    c.call(F_HELPER).tee(this.st).begin(Op.if);
    c.get(this.st).get(L_N).op(Op.i32_add).op(Op.return);
    c.op(Op.end);
  }

  /**
   * Compute the effective address x[rs1] + imm into T0, then, if the TLB of `base` maps its page
   * to RAM and the address is aligned to `bytes`, leave the RAM offset on the stack and run
   * `fast`; otherwise run the instruction through the helper, or with `leave`, unless it is the
   * block's first, leave the block before it for the interpreter to run it (a helper call's
   * code, with the register spills and reloads around it, was most of a memory access's machine
   * code). One compare checks both: the tag is the page base, and the address is masked to its
   * page bits and the bits below `bytes`. (An aligned access stays in its page; misaligned ones
   * are rare, and take the slow path.)
   */
  private access(
    rs1: number,
    imm: number,
    bytes: number,
    base: number,
    fast: () => void,
    reload: number,
    guard?: () => void,
    leave = false,
  ): void {
    const c = this.c;
    this.use(rs1);
    this.x(rs1);
    if (imm !== 0) c.i64(imm).op(Op.i64_add);
    c.tee(this.t0).op(Op.i32_wrap_i64).set(this.ta);
    c.begin(Op.block).begin(Op.block);
    guard?.();
    // The TLB entry (16 bytes) and its tag.
    const local = this.bases[base === AREA_LOAD_BASE ? 0 : 1];
    if (local !== 0) c.get(local);
    else this.slotBase(base);
    c.get(this.ta)
      .i32(12 - 4)
      .op(Op.i32_shr_u)
      .i32((TLB_ENTRIES - 1) << 4)
      .op(Op.i32_and)
      .op(Op.i32_add)
      .tee(this.ti)
      .mem(Op.i64_load, AREA_TLB + TLB_TAG);
    c.get(this.t0)
      .i64(-4096 | (bytes - 1))
      .op(Op.i64_and)
      .op(Op.i64_ne)
      .br(Op.br_if, 0);
    c.get(this.ti)
      .mem(Op.i32_load, AREA_TLB + TLB_DELTA)
      .get(this.ta)
      .op(Op.i32_add);
    fast();
    c.br(Op.br, 1).op(Op.end);
    if (leave && this.k > 0) this.exit(() => c.i64(this.pc), this.k);
    else this.sideHelper(reload);
    c.op(Op.end);
  }

  /** Load `bytes` at x[rs1] + imm into x[rd]. */
  load(rd: number, rs1: number, imm: number, bytes: number, signed: boolean): void {
    const op =
      bytes === 8
        ? Op.i64_load
        : bytes === 4
          ? signed
            ? Op.i64_load32_s
            : Op.i64_load32_u
          : bytes === 2
            ? signed
              ? Op.i64_load16_s
              : Op.i64_load16_u
            : signed
              ? Op.i64_load8_s
              : Op.i64_load8_u;
    this.access(
      rs1,
      imm,
      bytes,
      AREA_LOAD_BASE,
      () => {
        if (rd === 0) {
          this.c.op(Op.drop);
          return;
        }
        this.c.mem(op).set(this.reg(rd));
      },
      rd,
      undefined,
      true,
    );
    this.wrote(rd);
  }

  /** Store the low `bytes` of x[rs2] at x[rs1] + imm. */
  store(rs1: number, rs2: number, imm: number, bytes: number): void {
    const op =
      bytes === 8
        ? Op.i64_store
        : bytes === 4
          ? Op.i64_store32
          : bytes === 2
            ? Op.i64_store16
            : Op.i64_store8;
    this.use(rs2); // before the fast path, so that both paths see it loaded
    this.access(
      rs1,
      imm,
      bytes,
      AREA_STORE_BASE,
      () => {
        this.x(rs2);
        this.c.mem(op);
      },
      0,
      undefined,
      true,
    );
  }

  /**
   * An AMO of `bytes` at x[rs1]: through the store TLB (which leaves out pages it must not write
   * directly), when naturally aligned; x[rd] = the old value, sign-extended, and memory = what
   * `combine` pushes from the locals it is given (the old value, x[rs2]). Anything else, a
   * misaligned address or a TLB miss, goes through the helper, which raises the fault.
   */
  amo(rd: number, rs1: number, rs2: number, bytes: 4 | 8, combine: (old: number, src: number) => void): void {
    const c = this.c;
    const old = this.tmp(2);
    this.use(rs2);
    this.access(
      rs1,
      0,
      bytes,
      AREA_STORE_BASE,
      () => {
        c.set(this.ta);
        c.get(this.ta)
          .mem(bytes === 8 ? Op.i64_load : Op.i64_load32_s)
          .set(old);
        c.get(this.ta);
        this.x(rs2);
        c.set(this.tmp(3));
        combine(old, this.tmp(3));
        c.mem(bytes === 8 ? Op.i64_store : Op.i64_store32);
        if (rd !== 0) c.get(old).set(this.reg(rd));
      },
      rd,
    );
    this.wrote(rd);
  }

  /**
   * LR of `bytes` at x[rs1] into x[rd] (sign-extended), reserving the address (its RAM offset in
   * AREA_RESERVATION), when the load TLB maps it and it is aligned; otherwise the helper.
   */
  lr(rd: number, rs1: number, bytes: 4 | 8): void {
    const c = this.c;
    this.access(
      rs1,
      0,
      bytes,
      AREA_LOAD_BASE,
      () => {
        c.set(this.ta);
        c.get(L_H).get(this.ta).mem(Op.i32_store, AREA_RESERVATION);
        c.get(this.ta).mem(bytes === 8 ? Op.i64_load : Op.i64_load32_s);
        this.popX(rd);
      },
      rd,
    );
    this.wrote(rd);
  }

  /**
   * SC of x[rs2]'s low `bytes` at x[rs1]: stored, and x[rd] = 0, if the reservation is that
   * address, else x[rd] = 1; no reservation after either way. Through the store TLB, which
   * leaves out pages it must not write directly, when aligned; otherwise the helper.
   */
  sc(rd: number, rs1: number, rs2: number, bytes: 4 | 8): void {
    const c = this.c;
    this.use(rs2);
    this.access(
      rs1,
      0,
      bytes,
      AREA_STORE_BASE,
      () => {
        c.set(this.ta);
        c.get(L_H).mem(Op.i32_load, AREA_RESERVATION).get(this.ta).op(Op.i32_eq);
        c.begin(Op.if, I64).get(this.ta);
        this.x(rs2);
        c.mem(bytes === 8 ? Op.i64_store : Op.i64_store32).i64(0);
        c.op(Op.else).i64(1).op(Op.end);
        this.popX(rd);
        c.get(L_H).i32(-1).mem(Op.i32_store, AREA_RESERVATION);
      },
      rd,
    );
    this.wrote(rd);
  }

  /**
   * FLD/FLW into f[frd] (FLW NaN-boxes), or FSD/FSW from f[frs] (the low word for FSW), when
   * `guard` (branching out at depth 0 when the fast path may not run) lets it.
   */
  fpLoad(frd: number, rs1: number, imm: number, bytes: 4 | 8, guard: () => void): void {
    const c = this.c;
    this.access(
      rs1,
      imm,
      bytes,
      AREA_LOAD_BASE,
      () => {
        c.set(this.ta);
        c.get(L_H).get(this.ta);
        if (bytes === 8) c.mem(Op.i64_load);
        else
          c.mem(Op.i64_load32_u)
            .i64(-(2 ** 32))
            .op(Op.i64_or);
        c.mem(Op.i64_store, AREA_F + 8 * frd);
      },
      0,
      guard,
    );
  }

  fpStore(rs1: number, frs: number, imm: number, bytes: 4 | 8, guard: () => void): void {
    this.access(
      rs1,
      imm,
      bytes,
      AREA_STORE_BASE,
      () => {
        this.c.get(L_H);
        if (bytes === 8) this.c.mem(Op.i64_load, AREA_F + 8 * frs).mem(Op.i64_store);
        else this.c.mem(Op.i32_load, AREA_F + 8 * frs).mem(Op.i32_store);
      },
      0,
      guard,
    );
  }

  /**
   * A conditional branch (`cond` pushes an i32) to pc + offset. A branch back to the start of a
   * looping block stays in the function (a bounded number of times); any other taken branch
   * leaves the block; not taken, the block goes on, or ends here if this is its last instruction.
   */
  branch(cond: () => void, offset: number): void {
    const c = this.c;
    const target = this.pc + offset;
    const inside = this.open.findIndex((j) => this.insnPc(j) === target);
    if (this.loops && target === this.start) {
      cond();
      c.begin(Op.if);
      this.backEdge(1 + this.open.length);
      c.op(Op.end);
    } else if (inside >= 0) {
      // Forward within the block: skip to the target; the instructions skipped do not count.
      cond();
      c.begin(Op.if);
      const skipped = this.open[inside] - this.k - 1;
      if (skipped > 0) c.get(this.done).i32(skipped).op(Op.i32_sub).set(this.done);
      c.br(Op.br, 1 + inside).op(Op.end);
    } else if (this.last) {
      // Both ways are linked, or neither (a link number of 0 would name no cell).
      const both = this.cells >= 0 && this.links + 2 <= LINKS;
      const [taken, notTaken] = both ? [this.newLink(), this.newLink()] : [0, 0];
      this.leaveBy(
        () => {
          c.i64(target).i64(this.next);
          cond();
          c.op(Op.select);
        },
        this.k + 1,
        both
          ? () => {
              c.i32(taken).i32(notTaken);
              cond();
              c.op(Op.select);
            }
          : 0,
      );
      this.ended = true;
      return;
    } else {
      cond();
      c.begin(Op.if);
      this.exit(() => c.i64(target), this.k + 1, target);
      c.op(Op.end);
    }
    if (this.last) {
      this.exit(() => c.i64(this.next), this.k + 1, this.next);
      this.ended = true;
    }
  }

  /**
   * A jump to `target` (i64 in T0 when `target` is undefined). It ends the block unless the block
   * goes on at the target (a followed direct jump) or loops back to its start.
   */
  jump(rd: number, target: number | undefined): void {
    const c = this.c;
    if (target !== undefined && target === this.following) {
      this.setX(rd, () => c.i64(this.next));
      return;
    }
    if (target !== undefined && this.loops && target === this.start) {
      this.setX(rd, () => c.i64(this.next));
      this.backEdge(this.open.length);
      this.ended = true;
      return;
    }
    if (target === undefined) {
      // A target beyond +-2^53 cannot be a JavaScript pc: the interpreter's jalr takes it.
      c.get(this.t0).i64(TWO_53).op(Op.i64_add).i64(TWO_54).op(Op.i64_gt_u).begin(Op.if);
      this.sideHelper(0);
      this.ret(this.k + 1);
      c.op(Op.end);
    }
    this.setX(rd, () => c.i64(this.next));
    this.exit(() => (target === undefined ? c.get(this.t0) : c.i64(target)), this.k + 1, target);
    this.ended = true;
  }

  /**
   * Go back to the start of a looping block, `depth` constructs inside the loop, unless the block
   * has run long enough: then leave it, at its start.
   */
  private backEdge(depth = 0): void {
    const c = this.c;
    c.get(this.done)
      .i32(this.k + 1)
      .op(Op.i32_add)
      .tee(this.done)
      .i32(LOOP_LIMIT)
      .op(Op.i32_lt_u)
      .br(Op.br_if, depth);
    this.exit(() => c.i64(this.start), 0, this.start);
  }

  /** End the block after a helper that left pc in the state area. */
  leave(count: number): void {
    this.ret(count);
    this.ended = true;
  }

  /** Fall off the end of the block into the next instruction. */
  finish(count: number): void {
    if (!this.ended) this.exit(() => this.c.i64(this.next), count, this.next);
  }
}
