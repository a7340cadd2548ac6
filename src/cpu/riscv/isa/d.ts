// RV64D: double-precision floating point (unprivileged ISA, "D" Standard Extension, and the RV32D/RV64D
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
  ext: 'D',
  format,
  exec,
});

/** Every RV64D instruction. */
export const D_INSNS: InsnSpec[] = [
  f('fld', 0x00003007, MASK_LS, 'I', (h, i) => {
    if (!h.fpOn()) return;
    h.loadFp(rd(i), h.addr(rs1(i), immI(i)), 8);
    h.fpDirty();
  }),
  f('fsd', 0x00003027, MASK_LS, 'S', (h, i) => {
    if (!h.fpOn()) return;
    h.storeFp(h.addr(rs1(i), immS(i)), 8, rs2(i));
  }),

  f('fmadd.d', 0x02000043, MASK_R4, 'R4', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.fmaD(rd(i), rs1(i), rs2(i), rs3(i), m, false, false);
    h.fpDirty();
  }),
  f('fmsub.d', 0x02000047, MASK_R4, 'R4', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.fmaD(rd(i), rs1(i), rs2(i), rs3(i), m, false, true);
    h.fpDirty();
  }),
  f('fnmsub.d', 0x0200004b, MASK_R4, 'R4', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.fmaD(rd(i), rs1(i), rs2(i), rs3(i), m, true, false);
    h.fpDirty();
  }),
  f('fnmadd.d', 0x0200004f, MASK_R4, 'R4', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.fmaD(rd(i), rs1(i), rs2(i), rs3(i), m, true, true);
    h.fpDirty();
  }),

  f('fadd.d', 0x02000053, MASK_OP, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.addD(rd(i), rs1(i), rs2(i), m);
    h.fpDirty();
  }),
  f('fsub.d', 0x0a000053, MASK_OP, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.subD(rd(i), rs1(i), rs2(i), m);
    h.fpDirty();
  }),
  f('fmul.d', 0x12000053, MASK_OP, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.mulD(rd(i), rs1(i), rs2(i), m);
    h.fpDirty();
  }),
  f('fdiv.d', 0x1a000053, MASK_OP, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.divD(rd(i), rs1(i), rs2(i), m);
    h.fpDirty();
  }),
  f('fsqrt.d', 0x5a000053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.sqrtD(rd(i), rs1(i), m);
    h.fpDirty();
  }),
  f('fcvt.s.d', 0x40100053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.cvtSD(rd(i), rs1(i), m);
    h.fpDirty();
  }),
  f('fcvt.d.s', 0x42000053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.cvtDS(rd(i), rs1(i));
    h.fpDirty();
  }),

  f('fsgnj.d', 0x22000053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.fpu.sgnjD(rd(i), rs1(i), rs2(i), 0);
    h.fpDirty();
  }),
  f('fsgnjn.d', 0x22001053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.fpu.sgnjD(rd(i), rs1(i), rs2(i), 1);
    h.fpDirty();
  }),
  f('fsgnjx.d', 0x22002053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.fpu.sgnjD(rd(i), rs1(i), rs2(i), 2);
    h.fpDirty();
  }),
  f('fmin.d', 0x2a000053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.fpu.minMaxD(rd(i), rs1(i), rs2(i), false);
    h.fpDirty();
  }),
  f('fmax.d', 0x2a001053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.fpu.minMaxD(rd(i), rs1(i), rs2(i), true);
    h.fpDirty();
  }),

  f('fcvt.w.d', 0xc2000053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    const fl = h.fpu.fflags;
    h.fpu.cvtIntD(rs1(i), 0, m);
    h.setX(rd(i), h.fpu.xlo, h.fpu.xhi);
    if (h.fpu.fflags !== fl) h.fpDirty();
  }),
  f('fcvt.wu.d', 0xc2100053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    const fl = h.fpu.fflags;
    h.fpu.cvtIntD(rs1(i), 1, m);
    h.setX(rd(i), h.fpu.xlo, h.fpu.xhi);
    if (h.fpu.fflags !== fl) h.fpDirty();
  }),
  f('fcvt.l.d', 0xc2200053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    const fl = h.fpu.fflags;
    h.fpu.cvtIntD(rs1(i), 2, m);
    h.setX(rd(i), h.fpu.xlo, h.fpu.xhi);
    if (h.fpu.fflags !== fl) h.fpDirty();
  }),
  f('fcvt.lu.d', 0xc2300053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    const fl = h.fpu.fflags;
    h.fpu.cvtIntD(rs1(i), 3, m);
    h.setX(rd(i), h.fpu.xlo, h.fpu.xhi);
    if (h.fpu.fflags !== fl) h.fpDirty();
  }),
  f('fcvt.d.w', 0xd2000053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.cvtDInt(rd(i), h.x[2 * rs1(i)], h.x[2 * rs1(i) + 1], 0, m);
    h.fpDirty();
  }),
  f('fcvt.d.wu', 0xd2100053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.cvtDInt(rd(i), h.x[2 * rs1(i)], h.x[2 * rs1(i) + 1], 1, m);
    h.fpDirty();
  }),
  f('fcvt.d.l', 0xd2200053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.cvtDInt(rd(i), h.x[2 * rs1(i)], h.x[2 * rs1(i) + 1], 2, m);
    h.fpDirty();
  }),
  f('fcvt.d.lu', 0xd2300053, MASK_OP_RS2, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const m = h.fpu.resolveRm(rmField(i));
    if (m < 0) return h.illegal();
    h.fpu.cvtDInt(rd(i), h.x[2 * rs1(i)], h.x[2 * rs1(i) + 1], 3, m);
    h.fpDirty();
  }),

  f('fmv.x.d', 0xe2000053, MASK_OP_RS2_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.setX(rd(i), h.fpu.bits[2 * rs1(i)], h.fpu.bits[2 * rs1(i) + 1]);
  }),
  f('fmv.d.x', 0xf2000053, MASK_OP_RS2_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.fpu.setD(rd(i), h.x[2 * rs1(i)], h.x[2 * rs1(i) + 1]);
    h.fpDirty();
  }),
  f('feq.d', 0xa2002053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const fl = h.fpu.fflags;
    h.setX32(rd(i), h.fpu.eqD(rs1(i), rs2(i)));
    if (h.fpu.fflags !== fl) h.fpDirty();
  }),
  f('flt.d', 0xa2001053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const fl = h.fpu.fflags;
    h.setX32(rd(i), h.fpu.ltD(rs1(i), rs2(i)));
    if (h.fpu.fflags !== fl) h.fpDirty();
  }),
  f('fle.d', 0xa2000053, MASK_OP_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    const fl = h.fpu.fflags;
    h.setX32(rd(i), h.fpu.leD(rs1(i), rs2(i)));
    if (h.fpu.fflags !== fl) h.fpDirty();
  }),
  f('fclass.d', 0xe2001053, MASK_OP_RS2_F3, 'R', (h, i) => {
    if (!h.fpOn()) return;
    h.setX32(rd(i), h.fpu.classD(rs1(i)));
  }),
];
