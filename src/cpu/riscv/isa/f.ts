// RV64F: single-precision floating point (unprivileged ISA, "F" Standard Extension, and the RV32F/RV64F
// rows of "RV32/64G Instruction Set Listings"). Semantics live in fpu/fpu.ts; bodies only decode.

import { rd, rs1, rs2, rs3, rmField, immI, immS } from './fields.js';
import type { Exec, Format, InsnSpec } from './types.js';

/** funct7 and opcode fixed; rm (funct3) free. */
const MASK_OP = 0xfe00007f;
/** funct7, funct3 and opcode fixed. */
const MASK_OP_F3 = 0xfe00707f;
/** funct7, rs2 and opcode fixed; rm free. */
const MASK_OP_RS2 = 0xfff0007f;
/** funct7, rs2, funct3 and opcode fixed. */
const MASK_OP_RS2_F3 = 0xfff0707f;
/** fmt (bits 26:25) and opcode fixed: the R4 fused multiply-adds. */
const MASK_R4 = 0x0600007f;
/** funct3 and opcode fixed: loads and stores. */
const MASK_LS = 0x0000707f;

const f = (name: string, match: number, mask: number, format: Format, exec: Exec): InsnSpec => ({
  name,
  match,
  mask,
  ext: 'F',
  format,
  exec,
});

/** Every RV64F instruction. */
export const F_INSNS: InsnSpec[] = [
  f('flw', 0x00002007, MASK_LS, 'I', (h, i) => {
    if (!h.fpOn()) return;
    h.loadFp(rd(i), h.addr(rs1(i), immI(i)), 4);
    h.fpDirty();
  }),
  f('fsw', 0x00002027, MASK_LS, 'S', (h, i) => {
    if (!h.fpOn()) return;
    h.storeFp(h.addr(rs1(i), immS(i)), 4, rs2(i));
  }),

  f('fmadd.s', 0x00000043, MASK_R4, 'R4', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.fmaS(rd(i), rs1(i), rs2(i), rs3(i), m, false, false);
    h.fpDirty();
  }),
  f('fmsub.s', 0x00000047, MASK_R4, 'R4', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.fmaS(rd(i), rs1(i), rs2(i), rs3(i), m, false, true);
    h.fpDirty();
  }),
  f('fnmsub.s', 0x0000004b, MASK_R4, 'R4', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.fmaS(rd(i), rs1(i), rs2(i), rs3(i), m, true, false);
    h.fpDirty();
  }),
  f('fnmadd.s', 0x0000004f, MASK_R4, 'R4', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.fmaS(rd(i), rs1(i), rs2(i), rs3(i), m, true, true);
    h.fpDirty();
  }),

  f('fadd.s', 0x00000053, MASK_OP, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.addS(rd(i), rs1(i), rs2(i), m);
    h.fpDirty();
  }),
  f('fsub.s', 0x08000053, MASK_OP, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.subS(rd(i), rs1(i), rs2(i), m);
    h.fpDirty();
  }),
  f('fmul.s', 0x10000053, MASK_OP, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.mulS(rd(i), rs1(i), rs2(i), m);
    h.fpDirty();
  }),
  f('fdiv.s', 0x18000053, MASK_OP, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.divS(rd(i), rs1(i), rs2(i), m);
    h.fpDirty();
  }),
  f('fsqrt.s', 0x58000053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.sqrtS(rd(i), rs1(i), m);
    h.fpDirty();
  }),

  f('fsgnj.s', 0x20000053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.fpu.sgnjS(rd(i), rs1(i), rs2(i), 0);
    h.fpDirty();
  }),
  f('fsgnjn.s', 0x20001053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.fpu.sgnjS(rd(i), rs1(i), rs2(i), 1);
    h.fpDirty();
  }),
  f('fsgnjx.s', 0x20002053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.fpu.sgnjS(rd(i), rs1(i), rs2(i), 2);
    h.fpDirty();
  }),
  f('fmin.s', 0x28000053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.fpu.minMaxS(rd(i), rs1(i), rs2(i), false);
    h.fpDirty();
  }),
  f('fmax.s', 0x28001053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.fpu.minMaxS(rd(i), rs1(i), rs2(i), true);
    h.fpDirty();
  }),

  f('fcvt.w.s', 0xc0000053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    const fl = h.fpu.fflags;
    h.fpu.cvtIntS(rs1(i), 0, m);
    h.setX(rd(i), h.fpu.xlo, h.fpu.xhi);
    if (h.fpu.fflags !== fl) h.fpDirty();
  }),
  f('fcvt.wu.s', 0xc0100053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    const fl = h.fpu.fflags;
    h.fpu.cvtIntS(rs1(i), 1, m);
    h.setX(rd(i), h.fpu.xlo, h.fpu.xhi);
    if (h.fpu.fflags !== fl) h.fpDirty();
  }),
  f('fcvt.l.s', 0xc0200053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    const fl = h.fpu.fflags;
    h.fpu.cvtIntS(rs1(i), 2, m);
    h.setX(rd(i), h.fpu.xlo, h.fpu.xhi);
    if (h.fpu.fflags !== fl) h.fpDirty();
  }),
  f('fcvt.lu.s', 0xc0300053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    const fl = h.fpu.fflags;
    h.fpu.cvtIntS(rs1(i), 3, m);
    h.setX(rd(i), h.fpu.xlo, h.fpu.xhi);
    if (h.fpu.fflags !== fl) h.fpDirty();
  }),
  f('fcvt.s.w', 0xd0000053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.cvtSInt(rd(i), h.x[2 * rs1(i)], h.x[2 * rs1(i) + 1], 0, m);
    h.fpDirty();
  }),
  f('fcvt.s.wu', 0xd0100053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.cvtSInt(rd(i), h.x[2 * rs1(i)], h.x[2 * rs1(i) + 1], 1, m);
    h.fpDirty();
  }),
  f('fcvt.s.l', 0xd0200053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.cvtSInt(rd(i), h.x[2 * rs1(i)], h.x[2 * rs1(i) + 1], 2, m);
    h.fpDirty();
  }),
  f('fcvt.s.lu', 0xd0300053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.cvtSInt(rd(i), h.x[2 * rs1(i)], h.x[2 * rs1(i) + 1], 3, m);
    h.fpDirty();
  }),

  f('fmv.x.w', 0xe0000053, MASK_OP_RS2_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.setX32(rd(i), h.fpu.bits[2 * rs1(i)]);
  }),
  f('fmv.w.x', 0xf0000053, MASK_OP_RS2_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.fpu.setS(rd(i), h.x[2 * rs1(i)]);
    h.fpDirty();
  }),
  f('feq.s', 0xa0002053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const fl = h.fpu.fflags;
    h.setX32(rd(i), h.fpu.eqS(rs1(i), rs2(i)));
    if (h.fpu.fflags !== fl) h.fpDirty();
  }),
  f('flt.s', 0xa0001053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const fl = h.fpu.fflags;
    h.setX32(rd(i), h.fpu.ltS(rs1(i), rs2(i)));
    if (h.fpu.fflags !== fl) h.fpDirty();
  }),
  f('fle.s', 0xa0000053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const fl = h.fpu.fflags;
    h.setX32(rd(i), h.fpu.leS(rs1(i), rs2(i)));
    if (h.fpu.fflags !== fl) h.fpDirty();
  }),
  f('fclass.s', 0xe0001053, MASK_OP_RS2_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.setX32(rd(i), h.fpu.classS(rs1(i)));
  }),
];
