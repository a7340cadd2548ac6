// RV64A: load-reserved/store-conditional and atomic memory operations (unprivileged ISA, "A"
// chapter). The aq/rl bits (26:25) are free in the mask; every access here is sequentially
// consistent. The hart carries out the operation (amo.ts) because it needs the MMU and reservation.

import { semInsn } from './sem.js';
import type { AmoOp, InsnSpec } from './types.js';

/** The AMOs by funct5 (bits 31:27), in the manual's order. */
const AMOS: [AmoOp, number][] = [
  ['add', 0b00000],
  ['swap', 0b00001],
  ['xor', 0b00100],
  ['or', 0b01000],
  ['and', 0b01100],
  ['min', 0b10000],
  ['max', 0b10100],
  ['minu', 0b11000],
  ['maxu', 0b11100],
];

/** LR/SC and the AMOs of one width (funct3 2: word, 3: doubleword). */
function width(suffix: 'w' | 'd'): InsnSpec[] {
  const f3 = suffix === 'w' ? 0x2000 : 0x3000;
  const bytes = suffix === 'w' ? 4 : 8;
  return [
    semInsn(`lr.${suffix}`, 0x1000002f | f3, 0xf9f0707f, 'A', 'AMO', { kind: 'lr', bytes }),
    semInsn(`sc.${suffix}`, 0x1800002f | f3, 0xf800707f, 'A', 'AMO', { kind: 'sc', bytes }),
    ...AMOS.map(([op, f5]) =>
      semInsn(`amo${op}.${suffix}`, ((f5 << 27) | 0x2f | f3) >>> 0, 0xf800707f, 'A', 'AMO', {
        kind: 'amo',
        op,
        bytes,
      }),
    ),
  ];
}

export const RV64A: InsnSpec[] = [...width('w'), ...width('d')];
