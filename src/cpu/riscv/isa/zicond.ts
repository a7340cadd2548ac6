// Zicond v1.0: integer conditional operations. czero.eqz writes 0 when x[rs2] is zero and x[rs1]
// otherwise; czero.nez writes 0 when x[rs2] is nonzero. Together they make branchless selects.

import { out } from '../../../core/u64.js';
import { Op } from '../../../core/wasm/encode.js';
import { prim } from './prim.js';
import { semInsn } from './sem.js';
import type { InsnSpec } from './types.js';

const R_TYPE = 0xfe00707f;

/** The primitives: (a, b) -> b == 0 ? 0 : a, and b != 0 ? 0 : a. */
export const ZICOND_PRIMS = {
  czeroEqz: prim(
    'czero.eqz',
    (al, ah, bl, bh) => {
      const keep = (bl | bh) !== 0;
      out.hi = keep ? ah : 0;
      return keep ? al : 0;
    },
    (c, t) => {
      // select(a, 0, b != 0)
      const B = t.tmp(0);
      c.set(B).i64(0).get(B).i64(0).op(Op.i64_ne).op(Op.select);
    },
  ),
  czeroNez: prim(
    'czero.nez',
    (al, ah, bl, bh) => {
      const keep = (bl | bh) === 0;
      out.hi = keep ? ah : 0;
      return keep ? al : 0;
    },
    (c, t) => {
      // select(a, 0, b == 0)
      const B = t.tmp(0);
      c.set(B).i64(0).get(B).op(Op.i64_eqz).op(Op.select);
    },
  ),
} as const;

export const ZICOND: InsnSpec[] = [
  semInsn('czero.eqz', 0x0e005033, R_TYPE, 'Zicond', 'R', {
    kind: 'op',
    prim: ZICOND_PRIMS.czeroEqz,
    rhs: 'rs2',
  }),
  semInsn('czero.nez', 0x0e007033, R_TYPE, 'Zicond', 'R', {
    kind: 'op',
    prim: ZICOND_PRIMS.czeroNez,
    rhs: 'rs2',
  }),
];
