// The shape of one instruction description, shared by the decoder, the interpreter and (later) the
// translator. Encodings follow the RISC-V unprivileged ISA manual, chapter "RV32/64G Instruction Set
// Listings" (match/mask as in riscv-opcodes).

import type { Fpu } from '../fpu/fpu.js';
import type { FSem } from './fsem.js';
import type { Sem } from './sem.js';

/** Extension an instruction belongs to, spelled as in the ISA manual. */
export type Ext = 'I' | 'M' | 'A' | 'F' | 'D' | 'C' | 'Zicsr' | 'Zifencei' | 'priv';

/** Operand format, used by the disassembler and to document the fields an `exec` reads. */
export type Format =
  | 'R'
  | 'R4'
  | 'I'
  | 'S'
  | 'B'
  | 'U'
  | 'J'
  | 'CSR'
  | 'CSRI'
  | 'AMO'
  | 'FENCE'
  | 'NONE'
  | 'CR'
  | 'CI'
  | 'CSS'
  | 'CIW'
  | 'CL'
  | 'CS'
  | 'CA'
  | 'CB'
  | 'CJ';

/**
 * What an instruction body may touch. Bodies use only `h`, the 32-bit instruction word `i` and the
 * pure helpers of `core/u64.ts` and `isa/fields.ts`, so that the translator can specialise a body
 * for a constant `i` without a second hand-written copy of the semantics.
 *
 * Integer registers live in `x` as int32 pairs: x[2r] is the low word, x[2r+1] the high word.
 * Addresses and the pc are JS numbers holding the *signed* 64-bit value (exact within +-2^53; every
 * legal Sv39/Sv48 or physical address fits).
 */
export interface Hart {
  readonly x: Int32Array;
  /** Address of the instruction being executed. */
  pc: number;
  /** Address of the next instruction; preset to pc + length, branches overwrite it. */
  npc: number;
  readonly fpu: Fpu;

  /** Write x[rd] = (hi:lo); writes to x0 are dropped. */
  setX(rd: number, lo: number, hi: number): void;
  /** Write x[rd] = sign-extension of the int32 `lo`. */
  setX32(rd: number, lo: number): void;
  /** Effective address x[rs1] + imm as a signed number. */
  addr(rs1: number, imm: number): number;

  /** Load `bytes` (1, 2, 4, 8) into x[rd], sign- or zero-extended. Traps leave rd unchanged. */
  load(rd: number, addr: number, bytes: number, signed: boolean): void;
  /** Store the low `bytes` of (hi:lo). */
  store(addr: number, bytes: number, lo: number, hi: number): void;
  /** Load 4 or 8 bytes into f[frd]; 4-byte loads are NaN-boxed. */
  loadFp(frd: number, addr: number, bytes: number): void;
  /** Store the low 4 or 8 bytes of f[frs]. */
  storeFp(addr: number, bytes: number, frs: number): void;

  /** Raise illegal-instruction; tval is the original instruction bits (16-bit for compressed). */
  illegal(): void;
  /** Raise exception `cause` with trap value `tval`. */
  trap(cause: number, tval: number): void;

  /**
   * Gate for every F/D instruction: returns false (and raises illegal-instruction) when
   * mstatus.FS is Off. Call `fpDirty()` after writing f registers or fflags.
   */
  fpOn(): boolean;
  fpDirty(): void;

  /** Privileged and system operations, implemented by the hart. */
  csrOp(i: number): void;
  /** LR/SC, or the AMO `sem` describes. */
  amo(i: number, sem?: Sem): void;
  ecall(): void;
  ebreak(): void;
  mret(): void;
  sret(): void;
  wfi(): void;
  sfenceVma(rs1: number, rs2: number): void;
  fenceI(): void;
}

/** Semantics of one instruction: reads the instruction word `i`, updates the hart. */
export type Exec = (h: Hart, i: number) => void;

/** One row of the instruction table. `match`/`mask` are over the 32-bit (or 16-bit) encoding. */
export interface InsnSpec {
  readonly name: string;
  readonly match: number;
  readonly mask: number;
  readonly ext: Ext;
  readonly format: Format;
  readonly exec: Exec;
  /**
   * What the instruction computes, for the integer instructions (isa/sem.ts): `exec` is made
   * from it, and so is the WebAssembly translator's code.
   */
  readonly sem?: Sem;
  /** The same for the F and D instructions (isa/fsem.ts). */
  readonly fsem?: FSem;
}

/**
 * A compressed instruction, defined by its expansion into the 32-bit instruction it stands for
 * (unprivileged ISA, chapter "C" Standard Extension: every C instruction expands to a base one).
 * `expand` returns 0 (an illegal 32-bit word) for reserved encodings.
 */
export interface CInsnSpec {
  readonly name: string;
  readonly match: number;
  readonly mask: number;
  readonly ext: 'C';
  readonly format: Format;
  readonly expand: (c: number) => number;
}
