// RV64I base integer instructions and Zifencei (unprivileged ISA, chapters "RV32I" and "RV64I";
// encodings from the "RV32/64G Instruction Set Listings").

import { carry, fromNum, lt, ltu, out, sll, sra, srl } from '../../../core/u64.js';
import { immB, immI, immJ, immS, immU, rd, rs1, rs2, shamt5, shamt6 } from './fields.js';
import type { InsnSpec } from './types.js';

const OPCODE_FUNCT3 = 0x0000707f;
const R_TYPE = 0xfe00707f;
const SHIFT64 = 0xfc00707f;

export const RV64I: InsnSpec[] = [
  { name: 'lui', match: 0x37, mask: 0x7f, ext: 'I', format: 'U', exec: (h, i) => h.setX32(rd(i), immU(i)) },
  {
    name: 'auipc',
    match: 0x17,
    mask: 0x7f,
    ext: 'I',
    format: 'U',
    exec: (h, i) => h.setX(rd(i), fromNum(h.pc + immU(i)), out.hi),
  },
  {
    name: 'jal',
    match: 0x6f,
    mask: 0x7f,
    ext: 'I',
    format: 'J',
    exec: (h, i) => {
      const link = h.npc;
      h.npc = h.pc + immJ(i);
      h.setX(rd(i), fromNum(link), out.hi);
    },
  },
  {
    name: 'jalr',
    match: 0x67,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => {
      const t = h.addr(rs1(i), immI(i));
      const link = h.npc;
      h.npc = t - (t & 1);
      h.setX(rd(i), fromNum(link), out.hi);
    },
  },
  {
    name: 'beq',
    match: 0x63,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'B',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      if (x[a] === x[b] && x[a + 1] === x[b + 1]) h.npc = h.pc + immB(i);
    },
  },
  {
    name: 'bne',
    match: 0x1063,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'B',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      if (x[a] !== x[b] || x[a + 1] !== x[b + 1]) h.npc = h.pc + immB(i);
    },
  },
  {
    name: 'blt',
    match: 0x4063,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'B',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      if (lt(x[a], x[a + 1], x[b], x[b + 1])) h.npc = h.pc + immB(i);
    },
  },
  {
    name: 'bge',
    match: 0x5063,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'B',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      if (!lt(x[a], x[a + 1], x[b], x[b + 1])) h.npc = h.pc + immB(i);
    },
  },
  {
    name: 'bltu',
    match: 0x6063,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'B',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      if (ltu(x[a], x[a + 1], x[b], x[b + 1])) h.npc = h.pc + immB(i);
    },
  },
  {
    name: 'bgeu',
    match: 0x7063,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'B',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      if (!ltu(x[a], x[a + 1], x[b], x[b + 1])) h.npc = h.pc + immB(i);
    },
  },
  {
    name: 'lb',
    match: 0x0003,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => h.load(rd(i), h.addr(rs1(i), immI(i)), 1, true),
  },
  {
    name: 'lh',
    match: 0x1003,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => h.load(rd(i), h.addr(rs1(i), immI(i)), 2, true),
  },
  {
    name: 'lw',
    match: 0x2003,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => h.load(rd(i), h.addr(rs1(i), immI(i)), 4, true),
  },
  {
    name: 'ld',
    match: 0x3003,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => h.load(rd(i), h.addr(rs1(i), immI(i)), 8, true),
  },
  {
    name: 'lbu',
    match: 0x4003,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => h.load(rd(i), h.addr(rs1(i), immI(i)), 1, false),
  },
  {
    name: 'lhu',
    match: 0x5003,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => h.load(rd(i), h.addr(rs1(i), immI(i)), 2, false),
  },
  {
    name: 'lwu',
    match: 0x6003,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => h.load(rd(i), h.addr(rs1(i), immI(i)), 4, false),
  },
  {
    name: 'sb',
    match: 0x0023,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'S',
    exec: (h, i) => h.store(h.addr(rs1(i), immS(i)), 1, h.x[rs2(i) << 1], 0),
  },
  {
    name: 'sh',
    match: 0x1023,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'S',
    exec: (h, i) => h.store(h.addr(rs1(i), immS(i)), 2, h.x[rs2(i) << 1], 0),
  },
  {
    name: 'sw',
    match: 0x2023,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'S',
    exec: (h, i) => h.store(h.addr(rs1(i), immS(i)), 4, h.x[rs2(i) << 1], 0),
  },
  {
    name: 'sd',
    match: 0x3023,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'S',
    exec: (h, i) => {
      const b = rs2(i) << 1;
      h.store(h.addr(rs1(i), immS(i)), 8, h.x[b], h.x[b + 1]);
    },
  },
  {
    name: 'addi',
    match: 0x13,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        imm = immI(i),
        lo = (x[a] + imm) | 0;
      h.setX(rd(i), lo, (x[a + 1] + (imm >> 31) + carry(lo, x[a])) | 0);
    },
  },
  {
    name: 'slti',
    match: 0x2013,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        imm = immI(i);
      h.setX(rd(i), lt(x[a], x[a + 1], imm, imm >> 31) ? 1 : 0, 0);
    },
  },
  {
    name: 'sltiu',
    match: 0x3013,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        imm = immI(i);
      h.setX(rd(i), ltu(x[a], x[a + 1], imm, imm >> 31) ? 1 : 0, 0);
    },
  },
  {
    name: 'xori',
    match: 0x4013,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        imm = immI(i);
      h.setX(rd(i), x[a] ^ imm, x[a + 1] ^ (imm >> 31));
    },
  },
  {
    name: 'ori',
    match: 0x6013,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        imm = immI(i);
      h.setX(rd(i), x[a] | imm, x[a + 1] | (imm >> 31));
    },
  },
  {
    name: 'andi',
    match: 0x7013,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        imm = immI(i);
      h.setX(rd(i), x[a] & imm, x[a + 1] & (imm >> 31));
    },
  },
  {
    name: 'slli',
    match: 0x1013,
    mask: SHIFT64,
    ext: 'I',
    format: 'I',
    exec: (h, i) => {
      const a = rs1(i) << 1;
      h.setX(rd(i), sll(h.x[a], h.x[a + 1], shamt6(i)), out.hi);
    },
  },
  {
    name: 'srli',
    match: 0x5013,
    mask: SHIFT64,
    ext: 'I',
    format: 'I',
    exec: (h, i) => {
      const a = rs1(i) << 1;
      h.setX(rd(i), srl(h.x[a], h.x[a + 1], shamt6(i)), out.hi);
    },
  },
  {
    name: 'srai',
    match: 0x40005013,
    mask: SHIFT64,
    ext: 'I',
    format: 'I',
    exec: (h, i) => {
      const a = rs1(i) << 1;
      h.setX(rd(i), sra(h.x[a], h.x[a + 1], shamt6(i)), out.hi);
    },
  },
  {
    name: 'add',
    match: 0x33,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1,
        lo = (x[a] + x[b]) | 0;
      h.setX(rd(i), lo, (x[a + 1] + x[b + 1] + carry(lo, x[a])) | 0);
    },
  },
  {
    name: 'sub',
    match: 0x40000033,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      h.setX(rd(i), (x[a] - x[b]) | 0, (x[a + 1] - x[b + 1] - (x[a] >>> 0 < x[b] >>> 0 ? 1 : 0)) | 0);
    },
  },
  {
    name: 'sll',
    match: 0x1033,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => {
      const a = rs1(i) << 1;
      h.setX(rd(i), sll(h.x[a], h.x[a + 1], h.x[rs2(i) << 1]), out.hi);
    },
  },
  {
    name: 'slt',
    match: 0x2033,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      h.setX(rd(i), lt(x[a], x[a + 1], x[b], x[b + 1]) ? 1 : 0, 0);
    },
  },
  {
    name: 'sltu',
    match: 0x3033,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      h.setX(rd(i), ltu(x[a], x[a + 1], x[b], x[b + 1]) ? 1 : 0, 0);
    },
  },
  {
    name: 'xor',
    match: 0x4033,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      h.setX(rd(i), x[a] ^ x[b], x[a + 1] ^ x[b + 1]);
    },
  },
  {
    name: 'srl',
    match: 0x5033,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => {
      const a = rs1(i) << 1;
      h.setX(rd(i), srl(h.x[a], h.x[a + 1], h.x[rs2(i) << 1]), out.hi);
    },
  },
  {
    name: 'sra',
    match: 0x40005033,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => {
      const a = rs1(i) << 1;
      h.setX(rd(i), sra(h.x[a], h.x[a + 1], h.x[rs2(i) << 1]), out.hi);
    },
  },
  {
    name: 'or',
    match: 0x6033,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      h.setX(rd(i), x[a] | x[b], x[a + 1] | x[b + 1]);
    },
  },
  {
    name: 'and',
    match: 0x7033,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => {
      const x = h.x,
        a = rs1(i) << 1,
        b = rs2(i) << 1;
      h.setX(rd(i), x[a] & x[b], x[a + 1] & x[b + 1]);
    },
  },
  // FENCE orders memory for other harts and devices; this implementation executes every access in
  // program order, so it has no effect (the same holds for FENCE.TSO and PAUSE, which are FENCEs).
  { name: 'fence', match: 0x0f, mask: OPCODE_FUNCT3, ext: 'I', format: 'FENCE', exec: () => {} },
  {
    name: 'fence.i',
    match: 0x100f,
    mask: OPCODE_FUNCT3,
    ext: 'Zifencei',
    format: 'I',
    exec: (h) => h.fenceI(),
  },
  { name: 'ecall', match: 0x73, mask: 0xffffffff, ext: 'I', format: 'NONE', exec: (h) => h.ecall() },
  { name: 'ebreak', match: 0x100073, mask: 0xffffffff, ext: 'I', format: 'NONE', exec: (h) => h.ebreak() },
  {
    name: 'addiw',
    match: 0x1b,
    mask: OPCODE_FUNCT3,
    ext: 'I',
    format: 'I',
    exec: (h, i) => h.setX32(rd(i), (h.x[rs1(i) << 1] + immI(i)) | 0),
  },
  {
    name: 'slliw',
    match: 0x101b,
    mask: R_TYPE,
    ext: 'I',
    format: 'I',
    exec: (h, i) => h.setX32(rd(i), h.x[rs1(i) << 1] << shamt5(i)),
  },
  {
    name: 'srliw',
    match: 0x501b,
    mask: R_TYPE,
    ext: 'I',
    format: 'I',
    exec: (h, i) => h.setX32(rd(i), (h.x[rs1(i) << 1] >>> shamt5(i)) | 0),
  },
  {
    name: 'sraiw',
    match: 0x4000501b,
    mask: R_TYPE,
    ext: 'I',
    format: 'I',
    exec: (h, i) => h.setX32(rd(i), h.x[rs1(i) << 1] >> shamt5(i)),
  },
  {
    name: 'addw',
    match: 0x3b,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => h.setX32(rd(i), (h.x[rs1(i) << 1] + h.x[rs2(i) << 1]) | 0),
  },
  {
    name: 'subw',
    match: 0x4000003b,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => h.setX32(rd(i), (h.x[rs1(i) << 1] - h.x[rs2(i) << 1]) | 0),
  },
  {
    name: 'sllw',
    match: 0x103b,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => h.setX32(rd(i), h.x[rs1(i) << 1] << (h.x[rs2(i) << 1] & 31)),
  },
  {
    name: 'srlw',
    match: 0x503b,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => h.setX32(rd(i), (h.x[rs1(i) << 1] >>> (h.x[rs2(i) << 1] & 31)) | 0),
  },
  {
    name: 'sraw',
    match: 0x4000503b,
    mask: R_TYPE,
    ext: 'I',
    format: 'R',
    exec: (h, i) => h.setX32(rd(i), h.x[rs1(i) << 1] >> (h.x[rs2(i) << 1] & 31)),
  },
];
