// The builder of one translated block (translate.ts drives it): the guest registers the block
// touches live in i64 locals, guest RAM is loaded and stored through the software TLB in the
// shared memory, and instructions without WebAssembly code go to the interpreter's own `exec`
// through one helper call. Exits are precise: before a helper runs or the block leaves, every
// register the block changed is back in the hart's state area.

import { immB, immI, immJ, immS, immU, rd, rs1, rs2 } from '../../isa/fields.js';
import { type Code, type FuncType, I32, I64, Op } from '../../../../core/wasm/encode.js';
import { BlockAccess } from './access.js';
import type { ImmField, WasmTarget } from './ops.js';

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
  readonly cboZero = (): void => this.b.cboZero(rs1(this.b.word));
}

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
 * What an instruction emitter sees: the operands of the instruction being translated and the
 * services every emitter shares (register access, memory access through the TLB, exits).
 *
 * It is built in layers, one class and file each, every one extending the one below:
 * BlockRegisters (registers.ts: the x registers in locals, the locals) <- BlockControl
 * (control.ts: exits, links, branches, jumps, the helper) <- BlockAccess (access.ts: guest memory
 * through the TLB) <- BlockBuilder. Inheritance rather than composition: every layer emits into
 * the same code and reads the same per-instruction state at almost every step, and translation
 * is on a boot's hot path, so the emitters keep calling one object's methods, as before the
 * split, with no forwarding calls and no extra objects per block. What a layer shares with those
 * above it is `protected`; the rest stays `private` to its layer.
 */
export class BlockBuilder extends BlockAccess {
  /** This builder as the shared integer emitters see it (ops.ts). */
  readonly operands: WasmTarget = new ConstOperands(this);
}
