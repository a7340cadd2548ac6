// Zimop v1.0: may-be-operations. MOP.R.n (n = 0..31) and MOP.RR.n (n = 0..7) write 0 to x[rd]
// until another extension redefines them (the Zicfiss shadow-stack instructions are some of them),
// so that code using such an extension still runs, with the checks ignored, where it is absent.

import { out } from '../../../core/u64.js';
import { Op } from '../../../core/wasm/encode.js';
import { prim } from './prim.js';
import { semInsn } from './sem.js';
import type { InsnSpec } from './types.js';

/** (a, b) -> 0: the operands are not read ("no syntactic dependency from x[rs1] or x[rs2]"). */
export const ZERO = prim(
  'zero',
  () => {
    out.hi = 0;
    return 0;
  },
  (c) => {
    c.op(Op.drop).op(Op.drop).i64(0);
  },
);

/** SYSTEM, funct3 100, bit 31 set: MOP.R.n has bits 29:28 = 00 and 25:22 = 0111. */
const MOP_R = 0x81c04073;
/** MOP.RR.n has bits 29:28 = 00 and bit 25 set. */
const MOP_RR = 0x82004073;
/** Everything but rd and rs1 (MOP.R) or rd, rs1 and rs2 (MOP.RR) is fixed for one n. */
const MOP_R_MASK = 0xfff0707f;
const MOP_RR_MASK = 0xfe00707f;

/** MOP.R.n: n[4] at bit 30, n[3:2] at bits 27:26, n[1:0] at bits 21:20. */
const mopR = (n: number): InsnSpec =>
  semInsn(
    `mop.r.${n}`,
    MOP_R | (((n >> 4) & 1) << 30) | (((n >> 2) & 3) << 26) | ((n & 3) << 20),
    MOP_R_MASK,
    'Zimop',
    'I',
    { kind: 'op', prim: ZERO, rhs: 'none' },
  );

/** MOP.RR.n: n[2] at bit 30, n[1:0] at bits 27:26. */
const mopRR = (n: number): InsnSpec =>
  semInsn(`mop.rr.${n}`, MOP_RR | (((n >> 2) & 1) << 30) | ((n & 3) << 26), MOP_RR_MASK, 'Zimop', 'R', {
    kind: 'op',
    prim: ZERO,
    rhs: 'rs2',
  });

export const ZIMOP: InsnSpec[] = [
  ...Array.from({ length: 32 }, (_, n) => mopR(n)),
  ...Array.from({ length: 8 }, (_, n) => mopRR(n)),
];
