// The facts engines need about an instruction (types.ts InsnFacts), derived from its semantics so
// that no engine keeps its own list of instruction names or opcodes.

import type { Fmt, FSem, InsnFacts, Sem } from './types.js';

const fact = (f: Partial<InsnFacts>): InsnFacts => ({
  endsBlock: false,
  branch: false,
  directJump: false,
  traps: 'any',
  access: 'none',
  bytes: 0,
  readsRs1: false,
  readsRs2: false,
  writesRd: false,
  ...f,
});

/** The facts of an integer or system instruction. */
export function semFacts(sem: Sem): InsnFacts {
  switch (sem.kind) {
    case 'op':
    case 'op32':
      return fact({ traps: 'never', readsRs1: true, readsRs2: sem.rhs === 'rs2', writesRd: true });
    case 'lui':
      return fact({ traps: 'never', writesRd: true });
    case 'auipc':
      // Reads pc, so a block publishes it; it cannot trap.
      return fact({ writesRd: true });
    case 'jal':
      return fact({ endsBlock: true, directJump: true, writesRd: true });
    case 'jalr':
      return fact({ endsBlock: true, readsRs1: true, writesRd: true });
    case 'branch':
      return fact({ endsBlock: true, branch: true, readsRs1: true, readsRs2: true });
    case 'load':
      return fact({ traps: 'memory', access: 'load', bytes: sem.bytes, readsRs1: true, writesRd: true });
    case 'store':
      return fact({ traps: 'memory', access: 'store', bytes: sem.bytes, readsRs1: true, readsRs2: true });
    case 'nop':
      return fact({ traps: 'never' });
    case 'amo':
    case 'sc':
      return fact({ access: 'amo', bytes: sem.bytes, readsRs1: true, readsRs2: true, writesRd: true });
    case 'lr':
      return fact({ access: 'amo', bytes: sem.bytes, readsRs1: true, writesRd: true });
    case 'cbo':
      // Illegal-instruction (envcfg) or a store fault; CBO.ZERO writes (maybe translated code).
      return fact({ access: 'store', bytes: 64, readsRs1: true });
    case 'system':
    case 'hlv':
    case 'hsv':
      // The hart reads their operands from its state; they all end a block.
      return fact({ endsBlock: true });
  }
}

/** Bytes of a format's encoding: FLH/FSH, FLW/FSW, FLD/FSD move that many. */
export const FMT_BYTES: Readonly<Record<Fmt, 2 | 4 | 8>> = { H: 2, S: 4, D: 8 };

/** The facts of a floating-point instruction: its memory access, the integer registers it reads or writes. */
export function fpFacts(sem: FSem): InsnFacts {
  switch (sem.kind) {
    case 'load':
      return fact({ access: 'load', bytes: FMT_BYTES[sem.fmt], readsRs1: true });
    case 'store':
      return fact({ access: 'store', bytes: FMT_BYTES[sem.fmt], readsRs1: true });
    case 'fromInt':
    case 'mvFromX':
      return fact({ readsRs1: true });
    case 'cmp':
    case 'cmpq':
    case 'cvtmod':
    case 'toInt':
    case 'mvToX':
    case 'class':
      return fact({ writesRd: true });
    default:
      return fact({});
  }
}
