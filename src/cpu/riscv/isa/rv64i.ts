// RV64I base integer instructions and Zifencei (unprivileged ISA, chapters "RV32I" and "RV64I";
// encodings from the "RV32/64G Instruction Set Listings"). What the integer instructions compute
// is said in isa/sem.ts terms, once, for the interpreter and the translators.

import { CMP, P, P32 } from './prim.js';
import { semInsn } from './sem.js';
import type { InsnSpec } from './types.js';

const OPCODE = 0x7f;
const OPCODE_FUNCT3 = 0x0000707f;
const R_TYPE = 0xfe00707f;
const SHIFT64 = 0xfc00707f;

export const RV64I: InsnSpec[] = [
  semInsn('lui', 0x37, OPCODE, 'I', 'U', { kind: 'lui' }),
  semInsn('auipc', 0x17, OPCODE, 'I', 'U', { kind: 'auipc' }),
  semInsn('jal', 0x6f, OPCODE, 'I', 'J', { kind: 'jal' }),
  semInsn('jalr', 0x67, OPCODE_FUNCT3, 'I', 'I', { kind: 'jalr' }),
  semInsn('beq', 0x63, OPCODE_FUNCT3, 'I', 'B', { kind: 'branch', cmp: CMP.eq }),
  semInsn('bne', 0x1063, OPCODE_FUNCT3, 'I', 'B', { kind: 'branch', cmp: CMP.ne }),
  semInsn('blt', 0x4063, OPCODE_FUNCT3, 'I', 'B', { kind: 'branch', cmp: CMP.lt }),
  semInsn('bge', 0x5063, OPCODE_FUNCT3, 'I', 'B', { kind: 'branch', cmp: CMP.ge }),
  semInsn('bltu', 0x6063, OPCODE_FUNCT3, 'I', 'B', { kind: 'branch', cmp: CMP.ltu }),
  semInsn('bgeu', 0x7063, OPCODE_FUNCT3, 'I', 'B', { kind: 'branch', cmp: CMP.geu }),
  semInsn('lb', 0x0003, OPCODE_FUNCT3, 'I', 'I', { kind: 'load', bytes: 1, signed: true }),
  semInsn('lh', 0x1003, OPCODE_FUNCT3, 'I', 'I', { kind: 'load', bytes: 2, signed: true }),
  semInsn('lw', 0x2003, OPCODE_FUNCT3, 'I', 'I', { kind: 'load', bytes: 4, signed: true }),
  semInsn('ld', 0x3003, OPCODE_FUNCT3, 'I', 'I', { kind: 'load', bytes: 8, signed: true }),
  semInsn('lbu', 0x4003, OPCODE_FUNCT3, 'I', 'I', { kind: 'load', bytes: 1, signed: false }),
  semInsn('lhu', 0x5003, OPCODE_FUNCT3, 'I', 'I', { kind: 'load', bytes: 2, signed: false }),
  semInsn('lwu', 0x6003, OPCODE_FUNCT3, 'I', 'I', { kind: 'load', bytes: 4, signed: false }),
  semInsn('sb', 0x0023, OPCODE_FUNCT3, 'I', 'S', { kind: 'store', bytes: 1 }),
  semInsn('sh', 0x1023, OPCODE_FUNCT3, 'I', 'S', { kind: 'store', bytes: 2 }),
  semInsn('sw', 0x2023, OPCODE_FUNCT3, 'I', 'S', { kind: 'store', bytes: 4 }),
  semInsn('sd', 0x3023, OPCODE_FUNCT3, 'I', 'S', { kind: 'store', bytes: 8 }),
  semInsn('addi', 0x13, OPCODE_FUNCT3, 'I', 'I', { kind: 'op', prim: P.add, rhs: 'immI' }),
  semInsn('slti', 0x2013, OPCODE_FUNCT3, 'I', 'I', { kind: 'op', prim: P.slt, rhs: 'immI' }),
  semInsn('sltiu', 0x3013, OPCODE_FUNCT3, 'I', 'I', { kind: 'op', prim: P.sltu, rhs: 'immI' }),
  semInsn('xori', 0x4013, OPCODE_FUNCT3, 'I', 'I', { kind: 'op', prim: P.xor, rhs: 'immI' }),
  semInsn('ori', 0x6013, OPCODE_FUNCT3, 'I', 'I', { kind: 'op', prim: P.or, rhs: 'immI' }),
  semInsn('andi', 0x7013, OPCODE_FUNCT3, 'I', 'I', { kind: 'op', prim: P.and, rhs: 'immI' }),
  semInsn('slli', 0x1013, SHIFT64, 'I', 'I', { kind: 'op', prim: P.sll, rhs: 'shamt6' }),
  semInsn('srli', 0x5013, SHIFT64, 'I', 'I', { kind: 'op', prim: P.srl, rhs: 'shamt6' }),
  semInsn('srai', 0x40005013, SHIFT64, 'I', 'I', { kind: 'op', prim: P.sra, rhs: 'shamt6' }),
  semInsn('add', 0x33, R_TYPE, 'I', 'R', { kind: 'op', prim: P.add, rhs: 'rs2' }),
  semInsn('sub', 0x40000033, R_TYPE, 'I', 'R', { kind: 'op', prim: P.sub, rhs: 'rs2' }),
  semInsn('sll', 0x1033, R_TYPE, 'I', 'R', { kind: 'op', prim: P.sll, rhs: 'rs2' }),
  semInsn('slt', 0x2033, R_TYPE, 'I', 'R', { kind: 'op', prim: P.slt, rhs: 'rs2' }),
  semInsn('sltu', 0x3033, R_TYPE, 'I', 'R', { kind: 'op', prim: P.sltu, rhs: 'rs2' }),
  semInsn('xor', 0x4033, R_TYPE, 'I', 'R', { kind: 'op', prim: P.xor, rhs: 'rs2' }),
  semInsn('srl', 0x5033, R_TYPE, 'I', 'R', { kind: 'op', prim: P.srl, rhs: 'rs2' }),
  semInsn('sra', 0x40005033, R_TYPE, 'I', 'R', { kind: 'op', prim: P.sra, rhs: 'rs2' }),
  semInsn('or', 0x6033, R_TYPE, 'I', 'R', { kind: 'op', prim: P.or, rhs: 'rs2' }),
  semInsn('and', 0x7033, R_TYPE, 'I', 'R', { kind: 'op', prim: P.and, rhs: 'rs2' }),
  // FENCE orders memory for other harts and devices; this implementation executes every access in
  // program order, so it has no effect (the same holds for FENCE.TSO and PAUSE, which are FENCEs).
  semInsn('fence', 0x0f, OPCODE_FUNCT3, 'I', 'FENCE', { kind: 'nop' }),
  semInsn('fence.i', 0x100f, OPCODE_FUNCT3, 'Zifencei', 'I', { kind: 'system', op: 'fence.i' }),
  semInsn('ecall', 0x73, 0xffffffff, 'I', 'NONE', { kind: 'system', op: 'ecall' }),
  semInsn('ebreak', 0x100073, 0xffffffff, 'I', 'NONE', { kind: 'system', op: 'ebreak' }),
  semInsn('addiw', 0x1b, OPCODE_FUNCT3, 'I', 'I', { kind: 'op32', prim: P32.add, rhs: 'immI' }),
  semInsn('slliw', 0x101b, R_TYPE, 'I', 'I', { kind: 'op32', prim: P32.sll, rhs: 'shamt5' }),
  semInsn('srliw', 0x501b, R_TYPE, 'I', 'I', { kind: 'op32', prim: P32.srl, rhs: 'shamt5' }),
  semInsn('sraiw', 0x4000501b, R_TYPE, 'I', 'I', { kind: 'op32', prim: P32.sra, rhs: 'shamt5' }),
  semInsn('addw', 0x3b, R_TYPE, 'I', 'R', { kind: 'op32', prim: P32.add, rhs: 'rs2' }),
  semInsn('subw', 0x4000003b, R_TYPE, 'I', 'R', { kind: 'op32', prim: P32.sub, rhs: 'rs2' }),
  semInsn('sllw', 0x103b, R_TYPE, 'I', 'R', { kind: 'op32', prim: P32.sll, rhs: 'rs2' }),
  semInsn('srlw', 0x503b, R_TYPE, 'I', 'R', { kind: 'op32', prim: P32.srl, rhs: 'rs2' }),
  semInsn('sraw', 0x4000503b, R_TYPE, 'I', 'R', { kind: 'op32', prim: P32.sra, rhs: 'rs2' }),
];
