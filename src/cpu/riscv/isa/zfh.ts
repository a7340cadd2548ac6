// Zfhmin and Zfh: half-precision floating point (unprivileged ISA, chapter "Zfh and Zfhmin Standard
// Extensions for Half-Precision Floating-Point"): the fmt field value 10 (H) of OP-FP and the R4
// opcodes, and LOAD-FP/STORE-FP with funct3 = 001. Zfhmin is the transfers and the conversions
// between H and S (and D when D is present); Zfh adds everything else. What each one computes is
// said in isa/fsem.ts terms; the operations themselves are in fpu/fpu.ts (binary16 in fpu/narrow.ts).

import { fpInsn, MASK_LS, MASK_OP, MASK_OP_F3, MASK_OP_RS2, MASK_OP_RS2_F3, MASK_R4 } from './fsem.js';
import type { FpExt } from './fsem.js';
import type { InsnSpec } from './types.js';

/** In Zfhmin, hence in Zfh (which requires it, and lists them too). */
const MIN: FpExt = { ext: 'Zfhmin', alsoIn: ['Zfh'] };
/** In Zfhmin "if the D extension is present". */
const MIN_D: FpExt = { ext: 'Zfhmin', alsoIn: ['Zfh'], needs: ['D'] };
const ZFH: FpExt = { ext: 'Zfh' };

/** Every RV64 Zfhmin and Zfh instruction. */
export const ZFH_INSNS: InsnSpec[] = [
  fpInsn('flh', 0x00001007, MASK_LS, 'I', { kind: 'load', fmt: 'H' }, MIN),
  fpInsn('fsh', 0x00001027, MASK_LS, 'S', { kind: 'store', fmt: 'H' }, MIN),
  fpInsn('fmv.x.h', 0xe4000053, MASK_OP_RS2_F3, 'R', { kind: 'mvToX', fmt: 'H' }, MIN),
  fpInsn('fmv.h.x', 0xf4000053, MASK_OP_RS2_F3, 'R', { kind: 'mvFromX', fmt: 'H' }, MIN),
  fpInsn('fcvt.s.h', 0x40200053, MASK_OP_RS2, 'R', { kind: 'cvtFmt', to: 'S', from: 'H' }, MIN),
  fpInsn('fcvt.h.s', 0x44000053, MASK_OP_RS2, 'R', { kind: 'cvtFmt', to: 'H', from: 'S' }, MIN),
  fpInsn('fcvt.d.h', 0x42200053, MASK_OP_RS2, 'R', { kind: 'cvtFmt', to: 'D', from: 'H' }, MIN_D),
  fpInsn('fcvt.h.d', 0x44100053, MASK_OP_RS2, 'R', { kind: 'cvtFmt', to: 'H', from: 'D' }, MIN_D),
  fpInsn('fmadd.h', 0x04000043, MASK_R4, 'R4', { kind: 'fma', fmt: 'H', negProd: false, negAdd: false }, ZFH),
  fpInsn('fmsub.h', 0x04000047, MASK_R4, 'R4', { kind: 'fma', fmt: 'H', negProd: false, negAdd: true }, ZFH),
  fpInsn('fnmsub.h', 0x0400004b, MASK_R4, 'R4', { kind: 'fma', fmt: 'H', negProd: true, negAdd: false }, ZFH),
  fpInsn('fnmadd.h', 0x0400004f, MASK_R4, 'R4', { kind: 'fma', fmt: 'H', negProd: true, negAdd: true }, ZFH),
  fpInsn('fadd.h', 0x04000053, MASK_OP, 'R', { kind: 'arith', fmt: 'H', op: 'add' }, ZFH),
  fpInsn('fsub.h', 0x0c000053, MASK_OP, 'R', { kind: 'arith', fmt: 'H', op: 'sub' }, ZFH),
  fpInsn('fmul.h', 0x14000053, MASK_OP, 'R', { kind: 'arith', fmt: 'H', op: 'mul' }, ZFH),
  fpInsn('fdiv.h', 0x1c000053, MASK_OP, 'R', { kind: 'arith', fmt: 'H', op: 'div' }, ZFH),
  fpInsn('fsqrt.h', 0x5c000053, MASK_OP_RS2, 'R', { kind: 'sqrt', fmt: 'H' }, ZFH),
  fpInsn('fsgnj.h', 0x24000053, MASK_OP_F3, 'R', { kind: 'sgnj', fmt: 'H', mode: 0 }, ZFH),
  fpInsn('fsgnjn.h', 0x24001053, MASK_OP_F3, 'R', { kind: 'sgnj', fmt: 'H', mode: 1 }, ZFH),
  fpInsn('fsgnjx.h', 0x24002053, MASK_OP_F3, 'R', { kind: 'sgnj', fmt: 'H', mode: 2 }, ZFH),
  fpInsn('fmin.h', 0x2c000053, MASK_OP_F3, 'R', { kind: 'minmax', fmt: 'H', max: false }, ZFH),
  fpInsn('fmax.h', 0x2c001053, MASK_OP_F3, 'R', { kind: 'minmax', fmt: 'H', max: true }, ZFH),
  fpInsn('fcvt.w.h', 0xc4000053, MASK_OP_RS2, 'R', { kind: 'toInt', fmt: 'H', int: 0 }, ZFH),
  fpInsn('fcvt.wu.h', 0xc4100053, MASK_OP_RS2, 'R', { kind: 'toInt', fmt: 'H', int: 1 }, ZFH),
  fpInsn('fcvt.l.h', 0xc4200053, MASK_OP_RS2, 'R', { kind: 'toInt', fmt: 'H', int: 2 }, ZFH),
  fpInsn('fcvt.lu.h', 0xc4300053, MASK_OP_RS2, 'R', { kind: 'toInt', fmt: 'H', int: 3 }, ZFH),
  fpInsn('fcvt.h.w', 0xd4000053, MASK_OP_RS2, 'R', { kind: 'fromInt', fmt: 'H', int: 0 }, ZFH),
  fpInsn('fcvt.h.wu', 0xd4100053, MASK_OP_RS2, 'R', { kind: 'fromInt', fmt: 'H', int: 1 }, ZFH),
  fpInsn('fcvt.h.l', 0xd4200053, MASK_OP_RS2, 'R', { kind: 'fromInt', fmt: 'H', int: 2 }, ZFH),
  fpInsn('fcvt.h.lu', 0xd4300053, MASK_OP_RS2, 'R', { kind: 'fromInt', fmt: 'H', int: 3 }, ZFH),
  fpInsn('feq.h', 0xa4002053, MASK_OP_F3, 'R', { kind: 'cmp', fmt: 'H', op: 'eq' }, ZFH),
  fpInsn('flt.h', 0xa4001053, MASK_OP_F3, 'R', { kind: 'cmp', fmt: 'H', op: 'lt' }, ZFH),
  fpInsn('fle.h', 0xa4000053, MASK_OP_F3, 'R', { kind: 'cmp', fmt: 'H', op: 'le' }, ZFH),
  fpInsn('fclass.h', 0xe4001053, MASK_OP_RS2_F3, 'R', { kind: 'class', fmt: 'H' }, ZFH),
];
