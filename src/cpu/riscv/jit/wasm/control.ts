// Control flow of a translated block being built, the layer of BlockBuilder (builder.ts) above its
// registers: exits, which are precise (every changed register is back in the hart's state area
// first) and chain to the next block through link cells, branches, jumps, loops, and the helper.

import { Op } from '../../../../core/wasm/encode.js';
import { AREA_PC } from '../../area.js';
import { LINKS } from './layout.js';
import { BlockRegisters, L_H, L_N } from './registers.js';

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

/** 2^53 and 2^54, the bounds of a JavaScript pc (numbers: BigInt encoding is slow). */
const TWO_53 = 2 ** 53;
const TWO_54 = 2 ** 54;

/**
 * The block's shape (set by translate.ts before the instructions are emitted) and the ways out
 * of it. The exits and the link cells given out so far are private to this layer; `sideHelper`
 * is there for the memory accesses' slow paths (access.ts).
 */
export class BlockControl extends BlockRegisters {
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
  /** Guest pc of the block's instruction `j`. */
  insnPc: (j: number) => number = () => NaN;

  /**
   * @param firstSite the helper's site of the block's first instruction (`siteOf`)
   * @param cells address of the block's first link cell (layout.ts), or -1 when its table slot
   *   has none
   */
  constructor(
    private readonly firstSite: number,
    private readonly cells = -1,
  ) {
    super();
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
      c.set(this.pcx);
      this.executed(count);
      c.set(this.cnt);
      if (typeof link === 'number') c.i32(link);
      else link();
      c.set(this.lnk).br(Op.br, c.depth - this.exitDepth);
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
    const pcx = this.pcx;
    const total = (): void => {
      c.get(this.cnt).get(L_N).op(Op.i32_add);
    };
    if (this.links > 0) {
      const lnk = this.lnk;
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
   * Run this instruction through the interpreter's semantics; code after it runs only when the
   * helper returns 0 (go on). Any register may have changed: they are reloaded as needed
   * afterwards.
   */
  helper(): void {
    this.callHelper();
    this.forget();
  }

  /**
   * The helper as a rare side path (inside an `if` or after a failed fast path): registers are
   * written back but the compile-time state is kept, because the other path continues with it.
   * `reload` is a register the helper writes, reloaded into its local afterwards.
   */
  protected sideHelper(reload: number): void {
    this.callHelper();
    if (reload !== 0) this.refresh(reload);
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
