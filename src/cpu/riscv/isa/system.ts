// Zicsr instructions and the privileged instructions (privileged spec 3.3, 4.2.1). The hart
// carries them out (types.ts `SysOp`): they read and change privileged state.

import { semInsn } from './sem.js';
import type { InsnSpec } from './types.js';

const OPCODE_FUNCT3 = 0x0000707f;
const EXACT = 0xffffffff;

const csr = (name: string, funct3: number, format: 'CSR' | 'CSRI'): InsnSpec =>
  semInsn(name, 0x73 | (funct3 << 12), OPCODE_FUNCT3, 'Zicsr', format, { kind: 'system', op: 'csr' });

export const ZICSR: InsnSpec[] = [
  csr('csrrw', 1, 'CSR'),
  csr('csrrs', 2, 'CSR'),
  csr('csrrc', 3, 'CSR'),
  csr('csrrwi', 5, 'CSRI'),
  csr('csrrsi', 6, 'CSRI'),
  csr('csrrci', 7, 'CSRI'),
];

export const PRIV: InsnSpec[] = [
  semInsn('mret', 0x30200073, EXACT, 'priv', 'NONE', { kind: 'system', op: 'mret' }),
  semInsn('sret', 0x10200073, EXACT, 'priv', 'NONE', { kind: 'system', op: 'sret' }),
  semInsn('wfi', 0x10500073, EXACT, 'priv', 'NONE', { kind: 'system', op: 'wfi' }),
  semInsn('sfence.vma', 0x12000073, 0xfe007fff, 'priv', 'R', { kind: 'system', op: 'sfence.vma' }),
];

/**
 * Svinval: SINVAL.VMA invalidates as SFENCE.VMA does (each one is complete here, so the two
 * fences that order a batch of them have nothing left to order).
 */
export const SVINVAL: InsnSpec[] = [
  semInsn('sinval.vma', 0x16000073, 0xfe007fff, 'Svinval', 'R', { kind: 'system', op: 'sfence.vma' }),
  semInsn('sfence.w.inval', 0x18000073, EXACT, 'Svinval', 'NONE', { kind: 'system', op: 'sfence.inval' }),
  semInsn('sfence.inval.ir', 0x18100073, EXACT, 'Svinval', 'NONE', { kind: 'system', op: 'sfence.inval' }),
];
