// RV64M: integer multiplication and division (unprivileged ISA, "M" chapter). Division by zero
// and signed overflow give the results of the chapter's table, never a trap.

import { div, divu, mul, mulh, mulhsu, mulhu, out, rem, remu } from '../../../core/u64.js';
import { rd, rs1, rs2 } from './fields.js';
import type { InsnSpec } from './types.js';

const R_TYPE = 0xfe00707f;

export const RV64M: InsnSpec[] = [
  {
    name: 'mul',
    match: 0x02000033,
    mask: R_TYPE,
    ext: 'M',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      h.setX(rd(i), mul(x[a], x[a + 1], x[b], x[b + 1]), out.hi);
    },
  },
  {
    name: 'mulh',
    match: 0x02001033,
    mask: R_TYPE,
    ext: 'M',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      h.setX(rd(i), mulh(x[a], x[a + 1], x[b], x[b + 1]), out.hi);
    },
  },
  {
    name: 'mulhsu',
    match: 0x02002033,
    mask: R_TYPE,
    ext: 'M',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      h.setX(rd(i), mulhsu(x[a], x[a + 1], x[b], x[b + 1]), out.hi);
    },
  },
  {
    name: 'mulhu',
    match: 0x02003033,
    mask: R_TYPE,
    ext: 'M',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      h.setX(rd(i), mulhu(x[a], x[a + 1], x[b], x[b + 1]), out.hi);
    },
  },
  {
    name: 'div',
    match: 0x02004033,
    mask: R_TYPE,
    ext: 'M',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      h.setX(rd(i), div(x[a], x[a + 1], x[b], x[b + 1]), out.hi);
    },
  },
  {
    name: 'divu',
    match: 0x02005033,
    mask: R_TYPE,
    ext: 'M',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      h.setX(rd(i), divu(x[a], x[a + 1], x[b], x[b + 1]), out.hi);
    },
  },
  {
    name: 'rem',
    match: 0x02006033,
    mask: R_TYPE,
    ext: 'M',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      h.setX(rd(i), rem(x[a], x[a + 1], x[b], x[b + 1]), out.hi);
    },
  },
  {
    name: 'remu',
    match: 0x02007033,
    mask: R_TYPE,
    ext: 'M',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      h.setX(rd(i), remu(x[a], x[a + 1], x[b], x[b + 1]), out.hi);
    },
  },
  {
    name: 'mulw',
    match: 0x0200003b,
    mask: R_TYPE,
    ext: 'M',
    format: 'R',
    exec: (h, i) => h.setX32(rd(i), Math.imul(h.x[rs1(i) << 1], h.x[rs2(i) << 1])),
  },
  {
    name: 'divw',
    match: 0x0200403b,
    mask: R_TYPE,
    ext: 'M',
    format: 'R',
    exec: (h, i) => {
      const a = h.x[rs1(i) << 1],
        b = h.x[rs2(i) << 1];
      h.setX32(rd(i), b === 0 ? -1 : b === -1 ? -a | 0 : (a / b) | 0);
    },
  },
  {
    name: 'divuw',
    match: 0x0200503b,
    mask: R_TYPE,
    ext: 'M',
    format: 'R',
    exec: (h, i) => {
      const a = h.x[rs1(i) << 1] >>> 0,
        b = h.x[rs2(i) << 1] >>> 0;
      h.setX32(rd(i), b === 0 ? -1 : Math.floor(a / b) | 0);
    },
  },
  {
    name: 'remw',
    match: 0x0200603b,
    mask: R_TYPE,
    ext: 'M',
    format: 'R',
    exec: (h, i) => {
      const a = h.x[rs1(i) << 1],
        b = h.x[rs2(i) << 1];
      h.setX32(rd(i), b === 0 ? a : b === -1 ? 0 : (a % b) | 0);
    },
  },
  {
    name: 'remuw',
    match: 0x0200703b,
    mask: R_TYPE,
    ext: 'M',
    format: 'R',
    exec: (h, i) => {
      const a = h.x[rs1(i) << 1] >>> 0,
        b = h.x[rs2(i) << 1] >>> 0;
      h.setX32(rd(i), b === 0 ? a | 0 : (a % b) | 0);
    },
  },
];
