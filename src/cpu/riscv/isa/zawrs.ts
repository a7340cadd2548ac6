// Zawrs v1.01: WRS.NTO and WRS.STO, which wait (a bounded time, for WRS.STO) while the hart's LR
// reservation is valid, for a polling loop to sleep until a store may have changed what it polls.
// The hart carries them out (hart.ts `wrs`): they read the reservation, the interrupts and TW.

import { semInsn } from './sem.js';
import type { InsnSpec } from './types.js';

const EXACT = 0xffffffff;

export const ZAWRS: InsnSpec[] = [
  semInsn('wrs.nto', 0x00d00073, EXACT, 'Zawrs', 'NONE', { kind: 'system', op: 'wrs.nto' }),
  semInsn('wrs.sto', 0x01d00073, EXACT, 'Zawrs', 'NONE', { kind: 'system', op: 'wrs.sto' }),
];
