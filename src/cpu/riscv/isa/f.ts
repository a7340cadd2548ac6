// RV64F: single-precision floating point (unprivileged ISA, "F" Standard Extension, and the RV32F/RV64F
// rows of "RV32/64G Instruction Set Listings"). What each one computes is
// said in isa/fsem.ts terms; the operations themselves are in fpu/fpu.ts.

import { fpInsn, MASK_LS, MASK_OP, MASK_OP_F3, MASK_OP_RS2, MASK_OP_RS2_F3, MASK_R4 } from './fsem.js';
import type { InsnSpec } from './types.js';

/** Every RV64F instruction. */
export const F_INSNS: InsnSpec[] = [
  fpInsn('flw', 0x00002007, MASK_LS, 'I', { kind: 'load', fmt: 'S' }),
  fpInsn('fsw', 0x00002027, MASK_LS, 'S', { kind: 'store', fmt: 'S' }),
  fpInsn('fmadd.s', 0x00000043, MASK_R4, 'R4', { kind: 'fma', fmt: 'S', negProd: false, negAdd: false }),
  fpInsn('fmsub.s', 0x00000047, MASK_R4, 'R4', { kind: 'fma', fmt: 'S', negProd: false, negAdd: true }),
  fpInsn('fnmsub.s', 0x0000004b, MASK_R4, 'R4', { kind: 'fma', fmt: 'S', negProd: true, negAdd: false }),
  fpInsn('fnmadd.s', 0x0000004f, MASK_R4, 'R4', { kind: 'fma', fmt: 'S', negProd: true, negAdd: true }),
  fpInsn('fadd.s', 0x00000053, MASK_OP, 'R', { kind: 'arith', fmt: 'S', op: 'add' }),
  fpInsn('fsub.s', 0x08000053, MASK_OP, 'R', { kind: 'arith', fmt: 'S', op: 'sub' }),
  fpInsn('fmul.s', 0x10000053, MASK_OP, 'R', { kind: 'arith', fmt: 'S', op: 'mul' }),
  fpInsn('fdiv.s', 0x18000053, MASK_OP, 'R', { kind: 'arith', fmt: 'S', op: 'div' }),
  fpInsn('fsqrt.s', 0x58000053, MASK_OP_RS2, 'R', { kind: 'sqrt', fmt: 'S' }),
  fpInsn('fsgnj.s', 0x20000053, MASK_OP_F3, 'R', { kind: 'sgnj', fmt: 'S', mode: 0 }),
  fpInsn('fsgnjn.s', 0x20001053, MASK_OP_F3, 'R', { kind: 'sgnj', fmt: 'S', mode: 1 }),
  fpInsn('fsgnjx.s', 0x20002053, MASK_OP_F3, 'R', { kind: 'sgnj', fmt: 'S', mode: 2 }),
  fpInsn('fmin.s', 0x28000053, MASK_OP_F3, 'R', { kind: 'minmax', fmt: 'S', max: false }),
  fpInsn('fmax.s', 0x28001053, MASK_OP_F3, 'R', { kind: 'minmax', fmt: 'S', max: true }),
  fpInsn('fcvt.w.s', 0xc0000053, MASK_OP_RS2, 'R', { kind: 'toInt', fmt: 'S', int: 0 }),
  fpInsn('fcvt.wu.s', 0xc0100053, MASK_OP_RS2, 'R', { kind: 'toInt', fmt: 'S', int: 1 }),
  fpInsn('fcvt.l.s', 0xc0200053, MASK_OP_RS2, 'R', { kind: 'toInt', fmt: 'S', int: 2 }),
  fpInsn('fcvt.lu.s', 0xc0300053, MASK_OP_RS2, 'R', { kind: 'toInt', fmt: 'S', int: 3 }),
  fpInsn('fcvt.s.w', 0xd0000053, MASK_OP_RS2, 'R', { kind: 'fromInt', fmt: 'S', int: 0 }),
  fpInsn('fcvt.s.wu', 0xd0100053, MASK_OP_RS2, 'R', { kind: 'fromInt', fmt: 'S', int: 1 }),
  fpInsn('fcvt.s.l', 0xd0200053, MASK_OP_RS2, 'R', { kind: 'fromInt', fmt: 'S', int: 2 }),
  fpInsn('fcvt.s.lu', 0xd0300053, MASK_OP_RS2, 'R', { kind: 'fromInt', fmt: 'S', int: 3 }),
  fpInsn('fmv.x.w', 0xe0000053, MASK_OP_RS2_F3, 'R', { kind: 'mvToX', fmt: 'S' }),
  fpInsn('fmv.w.x', 0xf0000053, MASK_OP_RS2_F3, 'R', { kind: 'mvFromX', fmt: 'S' }),
  fpInsn('feq.s', 0xa0002053, MASK_OP_F3, 'R', { kind: 'cmp', fmt: 'S', op: 'eq' }),
  fpInsn('flt.s', 0xa0001053, MASK_OP_F3, 'R', { kind: 'cmp', fmt: 'S', op: 'lt' }),
  fpInsn('fle.s', 0xa0000053, MASK_OP_F3, 'R', { kind: 'cmp', fmt: 'S', op: 'le' }),
  fpInsn('fclass.s', 0xe0001053, MASK_OP_RS2_F3, 'R', { kind: 'class', fmt: 'S' }),
];
