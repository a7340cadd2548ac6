// The WebAssembly code of every integer semantic kind (isa/types.ts `Sem`), written once for
// both users: the translator, which has the instruction word at translation time and gives
// operands as constants, and the cold interpreter, which reads the fields at run time. Each kind
// says here which operands it takes and which primitive (isa/prim.ts) combines them; a target
// supplies the operands and the mechanisms that differ (register locals or the state area,
// exits, the TLB paths).

import type { Temps } from '../../isa/prim.js';
import type { AmoOp, Rhs, Sem } from '../../isa/types.js';
import { type Code, Op } from '../../../../core/wasm/encode.js';

/** An instruction's register and immediate fields (isa/fields.ts). */
export type RegField = 'rs1' | 'rs2';
export type ImmField = 'I' | 'S' | 'B' | 'U' | 'J' | 'shamt5' | 'shamt6';

/** What a kind's code is written against. */
export interface WasmTarget extends Temps {
  readonly c: Code;
  /** Push x[field] (i64). */
  x(f: RegField): void;
  /** Push an immediate: I/S/B/U/J sign-extended, shift amounts zero-extended; i64, or i32 with `w`. */
  imm(f: ImmField, w: boolean): void;
  /** Push the instruction's pc (i64). */
  pc(): void;
  /** x[rd] = the i64 `value` pushes; nothing for x0. */
  setRd(value: () => void): void;
  /** pc = pc + immB when `cond` pushes a nonzero i32, else go on. */
  branch(cond: () => void): void;
  /** x[rd] = the next instruction's pc; pc = pc + immJ (direct) or (x[rs1] + immI) & ~1. */
  jump(direct: boolean): void;
  /** x[rd] = mem[x[rs1] + immI], `bytes` wide, sign- or zero-extended. */
  load(bytes: 1 | 2 | 4 | 8, signed: boolean): void;
  /** mem[x[rs1] + immS] = the low `bytes` of x[rs2]. */
  store(bytes: 1 | 2 | 4 | 8): void;
  /** The A extension; a target without it leaves those instructions to the interpreter. */
  readonly atomics?: {
    /** x[rd] = old mem[x[rs1]] (sign-extended words); memory = what `combine` pushes from (old, x[rs2]). */
    amo(bytes: 4 | 8, combine: (old: number, src: number) => void): void;
    lr(bytes: 4 | 8): void;
    sc(bytes: 4 | 8): void;
  };
  /** CBO.ZERO of the 64-byte block holding x[rs1]; a target without it leaves it to the interpreter. */
  readonly cboZero?: () => void;
}

/** A kind's code, for one target. */
export type WasmEmit = (t: WasmTarget) => void;

/** Push the second operand as an i64 (w: as an i32). */
function pushRhs(t: WasmTarget, rhs: Rhs, w: boolean): void {
  switch (rhs) {
    case 'rs2':
      t.x('rs2');
      if (w) t.c.op(Op.i32_wrap_i64);
      return;
    case 'immI':
      return t.imm('I', w);
    case 'shamt5':
    case 'shamt6':
      return t.imm(rhs, w);
    case 'none':
      if (w) t.c.i32(0);
      else t.c.i64(0);
  }
}

/**
 * The code of semantics `sem`, or undefined when it has none here (the hart carries out system
 * instructions and the cache-block operations but CBO.ZERO; the interpreter's `exec` runs them
 * through the target's helper or fallback).
 * `memoryOps`: whether the target has the memory operations beyond loads and stores (`atomics`
 * and `cboZero`).
 */
export function wasmEmitter(sem: Sem, memoryOps: boolean): WasmEmit | undefined {
  const atomics = memoryOps;
  switch (sem.kind) {
    case 'op': {
      const prim = sem.prim.wasm;
      return (t) =>
        t.setRd(() => {
          t.x('rs1');
          pushRhs(t, sem.rhs, false);
          prim(t.c, t);
        });
    }
    case 'op32': {
      const prim = sem.prim.wasm;
      return (t) =>
        t.setRd(() => {
          t.x('rs1');
          t.c.op(Op.i32_wrap_i64);
          pushRhs(t, sem.rhs, true);
          prim(t.c, t);
          t.c.op(Op.i64_extend_i32_s);
        });
    }
    case 'lui':
      return (t) => t.setRd(() => t.imm('U', false));
    case 'auipc':
      return (t) =>
        t.setRd(() => {
          t.pc();
          t.imm('U', false);
          t.c.op(Op.i64_add);
        });
    case 'jal':
      return (t) => t.jump(true);
    case 'jalr':
      return (t) => t.jump(false);
    case 'branch': {
      const cmp = sem.cmp.wasm;
      return (t) =>
        t.branch(() => {
          t.x('rs1');
          t.x('rs2');
          cmp(t.c, t);
        });
    }
    case 'load':
      return (t) => t.load(sem.bytes, sem.signed);
    case 'store':
      return (t) => t.store(sem.bytes);
    case 'nop':
      return () => {};
    case 'amo': {
      if (!atomics) return undefined;
      const combine = AMO[sem.op];
      const w = sem.bytes === 4;
      return (t) => t.atomics?.amo(sem.bytes, (old, src) => combine(t.c, old, src, w));
    }
    case 'lr':
      return atomics ? (t) => t.atomics?.lr(sem.bytes) : undefined;
    case 'sc':
      return atomics ? (t) => t.atomics?.sc(sem.bytes) : undefined;
    case 'cbo':
      return memoryOps && sem.op === 'zero' ? (t) => t.cboZero?.() : undefined;
    case 'system':
    case 'hlv':
    case 'hsv':
      return undefined;
  }
}

/**
 * The value an AMO stores, pushed from locals `a` (the old value, sign-extended for words) and
 * `b` (x[rs2]); `w`: the word forms, which compare the low 32 bits.
 */
type AmoEmit = (c: Code, a: number, b: number, w: boolean) => void;

/** Push a if `cmp`(a, b) holds, else b: on i64, or on the low words (w). */
const pick =
  (cmp64: Op, cmp32: Op): AmoEmit =>
  (c, a, b, w) => {
    c.get(a).get(b).get(a);
    if (w) c.op(Op.i32_wrap_i64);
    c.get(b);
    if (w) c.op(Op.i32_wrap_i64);
    c.op(w ? cmp32 : cmp64).op(Op.select);
  };

const AMO: Record<AmoOp, AmoEmit> = {
  swap: (c, _a, b) => c.get(b),
  add: (c, a, b) => c.get(a).get(b).op(Op.i64_add),
  xor: (c, a, b) => c.get(a).get(b).op(Op.i64_xor),
  and: (c, a, b) => c.get(a).get(b).op(Op.i64_and),
  or: (c, a, b) => c.get(a).get(b).op(Op.i64_or),
  min: pick(Op.i64_lt_s, Op.i32_lt_s),
  max: pick(Op.i64_gt_s, Op.i32_gt_s),
  minu: pick(Op.i64_lt_u, Op.i32_lt_u),
  maxu: pick(Op.i64_gt_u, Op.i32_gt_u),
};
