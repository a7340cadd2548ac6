// RV64M: integer multiplication and division (unprivileged ISA, "M" chapter). Division by zero
// and signed overflow give the results of the chapter's table, never a trap (each backend's
// primitive implements that table; see isa/sem.ts).

import { P, P32 } from './prim.js';
import { semInsn } from './sem.js';
import type { InsnSpec } from './types.js';

const R_TYPE = 0xfe00707f;

export const RV64M: InsnSpec[] = [
  semInsn('mul', 0x02000033, R_TYPE, 'M', 'R', { kind: 'op', prim: P.mul, rhs: 'rs2' }),
  semInsn('mulh', 0x02001033, R_TYPE, 'M', 'R', { kind: 'op', prim: P.mulh, rhs: 'rs2' }),
  semInsn('mulhsu', 0x02002033, R_TYPE, 'M', 'R', { kind: 'op', prim: P.mulhsu, rhs: 'rs2' }),
  semInsn('mulhu', 0x02003033, R_TYPE, 'M', 'R', { kind: 'op', prim: P.mulhu, rhs: 'rs2' }),
  semInsn('div', 0x02004033, R_TYPE, 'M', 'R', { kind: 'op', prim: P.div, rhs: 'rs2' }),
  semInsn('divu', 0x02005033, R_TYPE, 'M', 'R', { kind: 'op', prim: P.divu, rhs: 'rs2' }),
  semInsn('rem', 0x02006033, R_TYPE, 'M', 'R', { kind: 'op', prim: P.rem, rhs: 'rs2' }),
  semInsn('remu', 0x02007033, R_TYPE, 'M', 'R', { kind: 'op', prim: P.remu, rhs: 'rs2' }),
  semInsn('mulw', 0x0200003b, R_TYPE, 'M', 'R', { kind: 'op32', prim: P32.mul, rhs: 'rs2' }),
  semInsn('divw', 0x0200403b, R_TYPE, 'M', 'R', { kind: 'op32', prim: P32.div, rhs: 'rs2' }),
  semInsn('divuw', 0x0200503b, R_TYPE, 'M', 'R', { kind: 'op32', prim: P32.divu, rhs: 'rs2' }),
  semInsn('remw', 0x0200603b, R_TYPE, 'M', 'R', { kind: 'op32', prim: P32.rem, rhs: 'rs2' }),
  semInsn('remuw', 0x0200703b, R_TYPE, 'M', 'R', { kind: 'op32', prim: P32.remu, rhs: 'rs2' }),
];
