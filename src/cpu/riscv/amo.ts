// The A extension's memory operations: LR/SC with a reservation, and the AMOs in word and
// doubleword form (unprivileged ISA, "A" chapter). Misaligned addresses trap: AMOs need natural
// alignment (LR raises load-address-misaligned, SC and AMOs store/AMO-address-misaligned).

import { lt, ltu } from '../../core/u64.js';
import * as C from './csr-defs.js';
import type { Sem } from './isa/types.js';
import { ACCESS_LOAD, ACCESS_STORE } from './mmu.js';

/** The hart as the A extension sees it (RiscvHart is one); stated here so as not to import it. */
export interface AmoHart {
  readonly x: Int32Array;
  /** Scratch (lo, hi) that readPhys fills. */
  readonly scratch: Int32Array;
  reservation: number;
  addr(rs1: number, imm: number): number;
  setX(rd: number, lo: number, hi: number): void;
  illegal(): void;
  trap(cause: number, tval: number): void;
  translate(va: number, access: number): number;
  readPhys(pa: number, bytes: number, access: number, va: number): boolean;
  writePhys(pa: number, bytes: number, lo: number, hi: number, va: number): boolean;
}

/** The LR, SC or AMO that `sem` describes (isa/a.ts). */
export function amo(h: AmoHart, i: number, sem: Sem): void {
  if (sem.kind !== 'amo' && sem.kind !== 'lr' && sem.kind !== 'sc') return h.illegal();
  const lr = sem.kind === 'lr';
  const bytes = sem.bytes;
  const rd = (i >>> 7) & 31;
  const rs2 = (i >>> 20) & 31;
  const addr = h.addr((i >>> 15) & 31, 0);
  if (Number.isNaN(addr) || addr % bytes !== 0) {
    h.trap(lr ? C.CAUSE_MISALIGNED_LOAD : C.CAUSE_MISALIGNED_STORE, addr);
    return;
  }
  const pa = h.translate(addr, lr ? ACCESS_LOAD : ACCESS_STORE);
  if (pa < 0) return;
  if (sem.kind === 'sc') {
    const ok = h.reservation === pa;
    // A refused store (a fault, or a debugger's watchpoint, after which the same SC runs again)
    // leaves the reservation: a trap need not clear it (Linux clears it on exception return).
    if (ok && !h.writePhys(pa, bytes, h.x[2 * rs2], h.x[2 * rs2 + 1], addr)) return;
    h.reservation = -1;
    h.setX(rd, ok ? 0 : 1, 0);
    return;
  }
  if (!h.readPhys(pa, bytes, lr ? ACCESS_LOAD : ACCESS_STORE, addr)) return;
  const oLo = h.scratch[0];
  const oHi = bytes === 4 ? oLo >> 31 : h.scratch[1];
  if (lr) {
    h.reservation = pa;
    h.setX(rd, oLo, oHi);
    return;
  }
  const op = sem.op;
  const bLo = h.x[2 * rs2];
  let bHi = h.x[2 * rs2 + 1];
  if (bytes === 4) bHi = bLo >> 31;
  let nLo: number, nHi: number;
  switch (op) {
    case 'swap':
      nLo = bLo;
      nHi = bHi;
      break;
    case 'add':
      nLo = (oLo + bLo) | 0;
      nHi = (oHi + bHi + (nLo >>> 0 < oLo >>> 0 ? 1 : 0)) | 0;
      break;
    case 'xor':
      nLo = oLo ^ bLo;
      nHi = oHi ^ bHi;
      break;
    case 'and':
      nLo = oLo & bLo;
      nHi = oHi & bHi;
      break;
    case 'or':
      nLo = oLo | bLo;
      nHi = oHi | bHi;
      break;
    case 'min':
    case 'max':
    case 'minu':
    case 'maxu': {
      // Word forms compare the sign-extended (min/max) or zero-extended (minu/maxu) 32-bit values.
      let aH = oHi;
      const unsigned = op === 'minu' || op === 'maxu';
      if (bytes === 4 && unsigned) {
        aH = 0;
        bHi = 0;
      }
      const less = unsigned ? ltu(oLo, aH, bLo, bHi) : lt(oLo, aH, bLo, bHi);
      const takeOld = op === 'min' || op === 'minu' ? less : !less;
      nLo = takeOld ? oLo : bLo;
      nHi = takeOld ? oHi : h.x[2 * rs2 + 1];
      break;
    }
  }
  if (!h.writePhys(pa, bytes, nLo, nHi, addr)) return;
  h.setX(rd, oLo, oHi);
}
