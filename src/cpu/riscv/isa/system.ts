// Zicsr instructions and the privileged instructions (privileged spec 3.3, 4.2.1).

import type { InsnSpec } from './types.js';

const OPCODE_FUNCT3 = 0x0000707f;

export const ZICSR: InsnSpec[] = [
  {
    name: 'csrrw',
    match: 0x1073,
    mask: OPCODE_FUNCT3,
    ext: 'Zicsr',
    format: 'CSR',
    exec: (h, i) => h.csrOp(i),
  },
  {
    name: 'csrrs',
    match: 0x2073,
    mask: OPCODE_FUNCT3,
    ext: 'Zicsr',
    format: 'CSR',
    exec: (h, i) => h.csrOp(i),
  },
  {
    name: 'csrrc',
    match: 0x3073,
    mask: OPCODE_FUNCT3,
    ext: 'Zicsr',
    format: 'CSR',
    exec: (h, i) => h.csrOp(i),
  },
  {
    name: 'csrrwi',
    match: 0x5073,
    mask: OPCODE_FUNCT3,
    ext: 'Zicsr',
    format: 'CSRI',
    exec: (h, i) => h.csrOp(i),
  },
  {
    name: 'csrrsi',
    match: 0x6073,
    mask: OPCODE_FUNCT3,
    ext: 'Zicsr',
    format: 'CSRI',
    exec: (h, i) => h.csrOp(i),
  },
  {
    name: 'csrrci',
    match: 0x7073,
    mask: OPCODE_FUNCT3,
    ext: 'Zicsr',
    format: 'CSRI',
    exec: (h, i) => h.csrOp(i),
  },
];

export const PRIV: InsnSpec[] = [
  { name: 'mret', match: 0x30200073, mask: 0xffffffff, ext: 'priv', format: 'NONE', exec: (h) => h.mret() },
  { name: 'sret', match: 0x10200073, mask: 0xffffffff, ext: 'priv', format: 'NONE', exec: (h) => h.sret() },
  { name: 'wfi', match: 0x10500073, mask: 0xffffffff, ext: 'priv', format: 'NONE', exec: (h) => h.wfi() },
  {
    name: 'sfence.vma',
    match: 0x12000073,
    mask: 0xfe007fff,
    ext: 'priv',
    format: 'R',
    exec: (h, i) => h.sfenceVma((i >>> 15) & 31, (i >>> 20) & 31),
  },
];
