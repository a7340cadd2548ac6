// RV64M: integer multiplication and division (unprivileged ISA, "M" chapter). Division by zero
// and signed overflow give the results of the chapter's table, never a trap (each backend's
// primitive implements that table; see isa/sem.ts).

import { semInsn } from './sem.js';
import type { InsnSpec } from './types.js';

const R_TYPE = 0xfe00707f;

export const RV64M: InsnSpec[] = [
  semInsn('mul', 0x02000033, R_TYPE, 'M', 'R', { kind: 'op', prim: 'mul', rhs: 'rs2' }),
  semInsn('mulh', 0x02001033, R_TYPE, 'M', 'R', { kind: 'op', prim: 'mulh', rhs: 'rs2' }),
  semInsn('mulhsu', 0x02002033, R_TYPE, 'M', 'R', { kind: 'op', prim: 'mulhsu', rhs: 'rs2' }),
  semInsn('mulhu', 0x02003033, R_TYPE, 'M', 'R', { kind: 'op', prim: 'mulhu', rhs: 'rs2' }),
  semInsn('div', 0x02004033, R_TYPE, 'M', 'R', { kind: 'op', prim: 'div', rhs: 'rs2' }),
  semInsn('divu', 0x02005033, R_TYPE, 'M', 'R', { kind: 'op', prim: 'divu', rhs: 'rs2' }),
  semInsn('rem', 0x02006033, R_TYPE, 'M', 'R', { kind: 'op', prim: 'rem', rhs: 'rs2' }),
  semInsn('remu', 0x02007033, R_TYPE, 'M', 'R', { kind: 'op', prim: 'remu', rhs: 'rs2' }),
  semInsn('mulw', 0x0200003b, R_TYPE, 'M', 'R', { kind: 'op32', prim: 'mul', rhs: 'rs2' }),
  semInsn('divw', 0x0200403b, R_TYPE, 'M', 'R', { kind: 'op32', prim: 'div', rhs: 'rs2' }),
  semInsn('divuw', 0x0200503b, R_TYPE, 'M', 'R', { kind: 'op32', prim: 'divu', rhs: 'rs2' }),
  semInsn('remw', 0x0200603b, R_TYPE, 'M', 'R', { kind: 'op32', prim: 'rem', rhs: 'rs2' }),
  semInsn('remuw', 0x0200703b, R_TYPE, 'M', 'R', { kind: 'op32', prim: 'remu', rhs: 'rs2' }),
];
