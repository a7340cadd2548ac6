// RV64D: double-precision floating point (unprivileged ISA, "D" Standard Extension, and the RV32D/RV64D
// rows of "RV32/64G Instruction Set Listings"). What each one computes is
// said in isa/fsem.ts terms; the operations themselves are in fpu/fpu.ts.

import { fpInsn, MASK_LS, MASK_OP, MASK_OP_F3, MASK_OP_RS2, MASK_OP_RS2_F3, MASK_R4 } from './fsem.js';
import type { InsnSpec } from './types.js';

/** Every RV64D instruction. */
export const D_INSNS: InsnSpec[] = [
  fpInsn('fld', 0x00003007, MASK_LS, 'I', { kind: 'load', fmt: 'D' }),
  fpInsn('fsd', 0x00003027, MASK_LS, 'S', { kind: 'store', fmt: 'D' }),
  fpInsn('fmadd.d', 0x02000043, MASK_R4, 'R4', { kind: 'fma', fmt: 'D', negProd: false, negAdd: false }),
  fpInsn('fmsub.d', 0x02000047, MASK_R4, 'R4', { kind: 'fma', fmt: 'D', negProd: false, negAdd: true }),
  fpInsn('fnmsub.d', 0x0200004b, MASK_R4, 'R4', { kind: 'fma', fmt: 'D', negProd: true, negAdd: false }),
  fpInsn('fnmadd.d', 0x0200004f, MASK_R4, 'R4', { kind: 'fma', fmt: 'D', negProd: true, negAdd: true }),
  fpInsn('fadd.d', 0x02000053, MASK_OP, 'R', { kind: 'arith', fmt: 'D', op: 'add' }),
  fpInsn('fsub.d', 0x0a000053, MASK_OP, 'R', { kind: 'arith', fmt: 'D', op: 'sub' }),
  fpInsn('fmul.d', 0x12000053, MASK_OP, 'R', { kind: 'arith', fmt: 'D', op: 'mul' }),
  fpInsn('fdiv.d', 0x1a000053, MASK_OP, 'R', { kind: 'arith', fmt: 'D', op: 'div' }),
  fpInsn('fsqrt.d', 0x5a000053, MASK_OP_RS2, 'R', { kind: 'sqrt', fmt: 'D' }),
  fpInsn('fcvt.s.d', 0x40100053, MASK_OP_RS2, 'R', { kind: 'narrow' }),
  fpInsn('fcvt.d.s', 0x42000053, MASK_OP_RS2, 'R', { kind: 'widen' }),
  fpInsn('fsgnj.d', 0x22000053, MASK_OP_F3, 'R', { kind: 'sgnj', fmt: 'D', mode: 0 }),
  fpInsn('fsgnjn.d', 0x22001053, MASK_OP_F3, 'R', { kind: 'sgnj', fmt: 'D', mode: 1 }),
  fpInsn('fsgnjx.d', 0x22002053, MASK_OP_F3, 'R', { kind: 'sgnj', fmt: 'D', mode: 2 }),
  fpInsn('fmin.d', 0x2a000053, MASK_OP_F3, 'R', { kind: 'minmax', fmt: 'D', max: false }),
  fpInsn('fmax.d', 0x2a001053, MASK_OP_F3, 'R', { kind: 'minmax', fmt: 'D', max: true }),
  fpInsn('fcvt.w.d', 0xc2000053, MASK_OP_RS2, 'R', { kind: 'toInt', fmt: 'D', int: 0 }),
  fpInsn('fcvt.wu.d', 0xc2100053, MASK_OP_RS2, 'R', { kind: 'toInt', fmt: 'D', int: 1 }),
  fpInsn('fcvt.l.d', 0xc2200053, MASK_OP_RS2, 'R', { kind: 'toInt', fmt: 'D', int: 2 }),
  fpInsn('fcvt.lu.d', 0xc2300053, MASK_OP_RS2, 'R', { kind: 'toInt', fmt: 'D', int: 3 }),
  fpInsn('fcvt.d.w', 0xd2000053, MASK_OP_RS2, 'R', { kind: 'fromInt', fmt: 'D', int: 0 }),
  fpInsn('fcvt.d.wu', 0xd2100053, MASK_OP_RS2, 'R', { kind: 'fromInt', fmt: 'D', int: 1 }),
  fpInsn('fcvt.d.l', 0xd2200053, MASK_OP_RS2, 'R', { kind: 'fromInt', fmt: 'D', int: 2 }),
  fpInsn('fcvt.d.lu', 0xd2300053, MASK_OP_RS2, 'R', { kind: 'fromInt', fmt: 'D', int: 3 }),
  fpInsn('fmv.x.d', 0xe2000053, MASK_OP_RS2_F3, 'R', { kind: 'mvToX', fmt: 'D' }),
  fpInsn('fmv.d.x', 0xf2000053, MASK_OP_RS2_F3, 'R', { kind: 'mvFromX', fmt: 'D' }),
  fpInsn('feq.d', 0xa2002053, MASK_OP_F3, 'R', { kind: 'cmp', fmt: 'D', op: 'eq' }),
  fpInsn('flt.d', 0xa2001053, MASK_OP_F3, 'R', { kind: 'cmp', fmt: 'D', op: 'lt' }),
  fpInsn('fle.d', 0xa2000053, MASK_OP_F3, 'R', { kind: 'cmp', fmt: 'D', op: 'le' }),
  fpInsn('fclass.d', 0xe2001053, MASK_OP_RS2_F3, 'R', { kind: 'class', fmt: 'D' }),
];
