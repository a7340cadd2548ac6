// The hypervisor extension's instructions (privileged spec, "Hypervisor Extension"): the
// hypervisor virtual-machine loads and stores HLV, HLVX and HSV, and the fences HFENCE.VVMA and
// HFENCE.GVMA. The hart carries them out (hart.ts hlv, hsv, hfence): they need V's translation.

import { semInsn } from './sem.js';
import type { InsnSpec } from './types.js';

/** funct7, rs2 (or rd), funct3 = 100 and the SYSTEM opcode. */
const LOAD_MASK = 0xfff0707f;
const STORE_MASK = 0xfe007fff;
const FENCE_MASK = 0xfe007fff;
const SYSTEM = 0x73 | (4 << 12);

const hlv = (name: string, funct7: number, rs2: number, bytes: 1 | 2 | 4 | 8, signed: boolean): InsnSpec =>
  semInsn(name, SYSTEM | (funct7 << 25) | (rs2 << 20), LOAD_MASK, 'H', 'R', {
    kind: 'hlv',
    bytes,
    signed,
    exec: rs2 === 3,
  });
const hsv = (name: string, funct7: number, bytes: 1 | 2 | 4 | 8): InsnSpec =>
  semInsn(name, SYSTEM | (funct7 << 25), STORE_MASK, 'H', 'R', { kind: 'hsv', bytes });

export const H_INSNS: InsnSpec[] = [
  hlv('hlv.b', 0x30, 0, 1, true),
  hlv('hlv.bu', 0x30, 1, 1, false),
  hlv('hlv.h', 0x32, 0, 2, true),
  hlv('hlv.hu', 0x32, 1, 2, false),
  hlv('hlvx.hu', 0x32, 3, 2, false),
  hlv('hlv.w', 0x34, 0, 4, true),
  hlv('hlv.wu', 0x34, 1, 4, false),
  hlv('hlvx.wu', 0x34, 3, 4, false),
  hlv('hlv.d', 0x36, 0, 8, true),
  hsv('hsv.b', 0x31, 1),
  hsv('hsv.h', 0x33, 2),
  hsv('hsv.w', 0x35, 4),
  hsv('hsv.d', 0x37, 8),
  semInsn('hfence.vvma', 0x22000073, FENCE_MASK, 'H', 'R', { kind: 'system', op: 'hfence.vvma' }),
  semInsn('hfence.gvma', 0x62000073, FENCE_MASK, 'H', 'R', { kind: 'system', op: 'hfence.gvma' }),
  // Svinval's hypervisor fences exist when H does too; each is complete, as SINVAL.VMA is.
  {
    ...semInsn('hinval.vvma', 0x26000073, FENCE_MASK, 'Svinval', 'R', { kind: 'system', op: 'hfence.vvma' }),
    needs: ['H'],
  },
  {
    ...semInsn('hinval.gvma', 0x66000073, FENCE_MASK, 'Svinval', 'R', { kind: 'system', op: 'hfence.gvma' }),
    needs: ['H'],
  },
];
