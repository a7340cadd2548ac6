// Zicbom and Zicboz v1.0 (unprivileged ISA, "Cache Management Operations"): CBO.CLEAN, CBO.FLUSH
// and CBO.INVAL, and CBO.ZERO, on the cache block holding x[rs1]. The hart carries them out
// (cbo.ts): they need the envcfg enables and the MMU. Zicbop's PREFETCH.I/R/W are ORI with rd = x0
// (HINTs that never trap), so they need no entries of their own.

import { semInsn } from './sem.js';
import type { CboOp, Ext, InsnSpec } from './types.js';

/** MISC-MEM, funct3 010 (CBO), rd = 0; imm[11:0] names the operation, rs1 is free. */
const CBO = 0x0000200f;
const CBO_MASK = 0xfff07fff;

const cboInsn = (name: string, operation: number, ext: Ext, op: CboOp): InsnSpec =>
  semInsn(name, CBO | (operation << 20), CBO_MASK, ext, 'I', { kind: 'cbo', op });

export const ZICBOM: InsnSpec[] = [
  cboInsn('cbo.inval', 0x000, 'Zicbom', 'inval'),
  cboInsn('cbo.clean', 0x001, 'Zicbom', 'clean'),
  cboInsn('cbo.flush', 0x002, 'Zicbom', 'flush'),
];

export const ZICBOZ: InsnSpec[] = [cboInsn('cbo.zero', 0x004, 'Zicboz', 'zero')];
