// The shape of one instruction description, shared by the decoder, the interpreter and (later) the
// translator. Encodings follow the RISC-V unprivileged ISA manual, chapter "RV32/64G Instruction Set
// Listings" (match/mask as in riscv-opcodes).

import type { Fpu } from '../fpu/fpu.js';
import type { Cmp, Prim, Prim32 } from './prim.js';

/**
 * Extension an instruction belongs to, spelled as in the ISA manual (`Zba`); lower-cased, it is
 * an isa/profile.ts EXTENSIONS name, which profile.test.ts checks for every table entry (`priv`:
 * the privileged architecture's own instructions, always present). A string rather than a union,
 * so that a new extension is registered in one place.
 */
export type Ext = string;

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
  | 'CJ'
  /** Zcb's unary format: rd'/rs1' at bits 9:7, the operation in bits 4:2. */
  | 'CU';

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
  /** Load 2, 4 or 8 bytes into f[frd]; 2- and 4-byte loads are NaN-boxed (upper bits all ones). */
  loadFp(frd: number, addr: number, bytes: number): void;
  /** Store the low 2, 4 or 8 bytes of f[frs]. */
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
  /** A cache-block operation (Zicbom, Zicboz) on the block holding x[rs1]. */
  cbo(op: CboOp, rs1: number): void;
  ecall(): void;
  ebreak(): void;
  mret(): void;
  sret(): void;
  wfi(): void;
  /** WRS.NTO (`shortTimeout` false) or WRS.STO (Zawrs). */
  wrs(shortTimeout: boolean): void;
  sfenceVma(rs1: number, rs2: number): void;
  /** HFENCE.VVMA (`gvma` false) or HFENCE.GVMA with operands x[rs1] (0: all). */
  hfence(gvma: boolean, rs1: number): void;
  hlv(rd: number, rs1: number, bytes: number, signed: boolean, exec: boolean): void;
  hsv(rs1: number, rs2: number, bytes: number): void;
  /** SFENCE.W.INVAL and SFENCE.INVAL.IR: illegal in U-mode, else no effect here. */
  sfenceInval(): void;
  fenceI(): void;
}

/** Semantics of one instruction: reads the instruction word `i`, updates the hart. */
export type Exec = (h: Hart, i: number) => void;

/**
 * What an AMO stores, from the old memory value a and x[rs2] b: b, a + b, ..., the signed or
 * unsigned minimum or maximum. The word forms work on the low 32 bits, sign-extended.
 */
export type AmoOp = 'swap' | 'add' | 'xor' | 'and' | 'or' | 'min' | 'max' | 'minu' | 'maxu';

/** The second operand: x[rs2], the I-immediate, a shift amount field, or none (unary operations). */
export type Rhs = 'rs2' | 'immI' | 'shamt6' | 'shamt5' | 'none';

/** Instructions the hart carries out itself: they need privileged state. */
export type SysOp =
  | 'ecall'
  | 'ebreak'
  | 'mret'
  | 'sret'
  | 'wfi'
  | 'sfence.vma'
  | 'fence.i'
  | 'csr'
  | 'wrs.nto'
  | 'wrs.sto'
  /** SFENCE.W.INVAL, SFENCE.INVAL.IR (Svinval): order around SINVAL.VMA. */
  | 'sfence.inval'
  /** The hypervisor extension's fences of VS-stage and G-stage translations. */
  | 'hfence.vvma'
  | 'hfence.gvma';

/** The cache-block operations: CBO.CLEAN, CBO.FLUSH, CBO.INVAL (Zicbom) and CBO.ZERO (Zicboz). */
export type CboOp = 'clean' | 'flush' | 'inval' | 'zero';

/**
 * What an integer or system instruction computes (isa/sem.ts makes the interpreter's code from
 * it, jit/wasm/ops.ts the translator's and cold interpreter's).
 */
export type Sem =
  /** x[rd] = prim(x[rs1], rhs) */
  | { readonly kind: 'op'; readonly prim: Prim; readonly rhs: Rhs }
  /** x[rd] = sext32(prim32(x[rs1][31:0], rhs[31:0])) */
  | { readonly kind: 'op32'; readonly prim: Prim32; readonly rhs: Rhs }
  | { readonly kind: 'lui' }
  | { readonly kind: 'auipc' }
  | { readonly kind: 'jal' }
  | { readonly kind: 'jalr' }
  /** pc = pc + immB when cmp(x[rs1], x[rs2]) */
  | { readonly kind: 'branch'; readonly cmp: Cmp }
  /** x[rd] = extend(mem[x[rs1] + immI], bytes) */
  | { readonly kind: 'load'; readonly bytes: 1 | 2 | 4 | 8; readonly signed: boolean }
  /** mem[x[rs1] + immS] = x[rs2][bytes*8-1:0] */
  | { readonly kind: 'store'; readonly bytes: 1 | 2 | 4 | 8 }
  /** No architectural effect in this implementation (FENCE: every access is in program order). */
  | { readonly kind: 'nop' }
  /** Atomically: t = sext(mem[x[rs1]], bytes); mem[x[rs1]] = op(t, x[rs2]); x[rd] = t (naturally aligned) */
  | { readonly kind: 'amo'; readonly op: AmoOp; readonly bytes: 4 | 8 }
  /** x[rd] = sext(mem[x[rs1]], bytes); reserve that address (naturally aligned) */
  | { readonly kind: 'lr'; readonly bytes: 4 | 8 }
  /** If the address x[rs1] is reserved: mem[x[rs1]] = x[rs2], x[rd] = 0; else x[rd] = 1. No reservation after. */
  | { readonly kind: 'sc'; readonly bytes: 4 | 8 }
  /**
   * Carried out by the hart, without ending a block: a cache-block operation on the block that
   * holds x[rs1] (it needs the envcfg enables and the MMU; its faults are store faults).
   */
  | { readonly kind: 'cbo'; readonly op: CboOp }
  /** Carried out by the hart (CSR access, traps and returns, fences of translations or code). */
  | { readonly kind: 'system'; readonly op: SysOp }
  /**
   * HLV/HLVX (`exec`): x[rd] = extend(mem[x[rs1]], bytes) as VS or VU would load it (the
   * hypervisor extension); carried out by the hart, ending a block.
   */
  | { readonly kind: 'hlv'; readonly bytes: 1 | 2 | 4 | 8; readonly signed: boolean; readonly exec: boolean }
  /** HSV: mem[x[rs1]] = x[rs2][bytes*8-1:0] as VS or VU would store it; by the hart. */
  | { readonly kind: 'hsv'; readonly bytes: 1 | 2 | 4 | 8 };

/**
 * Floating-point operand format, named as the fmt field's mnemonic: binary32 and binary16
 * (NaN-boxed in the 64-bit registers) or binary64.
 */
export type Fmt = 'S' | 'D' | 'H';
/** Integer side of a conversion: 0 = w, 1 = wu, 2 = l, 3 = lu (the FPU's `kind`). */
export type IntKind = 0 | 1 | 2 | 3;

/** Which FPU operation an F, D, Zfh or Zfa instruction performs, in which format, on which operands. */
export type FSem =
  /** f[rd] = mem[x[rs1] + immI] (FLW NaN-boxes) */
  | { readonly kind: 'load'; readonly fmt: Fmt }
  /** mem[x[rs1] + immS] = f[rs2] */
  | { readonly kind: 'store'; readonly fmt: Fmt }
  /** f[rd] = f[rs1] op f[rs2], rounded by rm */
  | { readonly kind: 'arith'; readonly fmt: Fmt; readonly op: 'add' | 'sub' | 'mul' | 'div' }
  | { readonly kind: 'sqrt'; readonly fmt: Fmt }
  /** f[rd] = (negProd ? -1 : 1) * f[rs1] * f[rs2] + (negAdd ? -1 : 1) * f[rs3], one rounding */
  | { readonly kind: 'fma'; readonly fmt: Fmt; readonly negProd: boolean; readonly negAdd: boolean }
  /** Sign injection: 0 = FSGNJ, 1 = FSGNJN, 2 = FSGNJX */
  | { readonly kind: 'sgnj'; readonly fmt: Fmt; readonly mode: 0 | 1 | 2 }
  /** FMIN/FMAX (IEEE 754-2019 minimumNumber/maximumNumber: a NaN operand yields the other one) */
  | { readonly kind: 'minmax'; readonly fmt: Fmt; readonly max: boolean }
  /** Zfa's FMINM/FMAXM (IEEE 754-2019 minimum/maximum: a NaN operand yields the canonical NaN) */
  | { readonly kind: 'minmaxm'; readonly fmt: Fmt; readonly max: boolean }
  /** x[rd] = f[rs1] cmp f[rs2] (0 or 1); NV for any NaN operand but with eq */
  | { readonly kind: 'cmp'; readonly fmt: Fmt; readonly op: 'eq' | 'lt' | 'le' }
  /** Zfa's FLTQ/FLEQ: x[rd] = f[rs1] cmp f[rs2], NV only for a signaling NaN */
  | { readonly kind: 'cmpq'; readonly fmt: Fmt; readonly op: 'lt' | 'le' }
  | { readonly kind: 'class'; readonly fmt: Fmt }
  /** x[rd] = the integer nearest f[rs1] in rm, saturated (FCVT.W.D and friends) */
  | { readonly kind: 'toInt'; readonly fmt: Fmt; readonly int: IntKind }
  /** f[rd] = x[rs1] as an integer of kind `int`, rounded by rm */
  | { readonly kind: 'fromInt'; readonly fmt: Fmt; readonly int: IntKind }
  /** FCVTMOD.W.D (Zfa): x[rd] = sext32(trunc(f[rs1]) mod 2^32), 0 for NaN and infinities */
  | { readonly kind: 'cvtmod' }
  /** FCVT.S.D, FCVT.D.S */
  | { readonly kind: 'narrow' }
  | { readonly kind: 'widen' }
  /** f[rd] = f[rs1] converted from format `from` to `to`, rounded by rm (FCVT.H.S, FCVT.S.H, ...) */
  | { readonly kind: 'cvtFmt'; readonly to: Fmt; readonly from: Fmt }
  /** Zfa's FROUND (exact = false) and FROUNDNX (exact: NX when not integral): f[rd] = f[rs1] rounded to an integer by rm */
  | { readonly kind: 'roundInt'; readonly fmt: Fmt; readonly exact: boolean }
  /** Zfa's FLI: f[rd] = constant number rs1 of the table (fpu/fli.ts) */
  | { readonly kind: 'fli'; readonly fmt: Fmt }
  /** x[rd] = raw bits of f[rs1] (FMV.X.W sign-extends the low word) */
  | { readonly kind: 'mvToX'; readonly fmt: Fmt }
  /** f[rd] = raw bits of x[rs1] (FMV.W.X NaN-boxes) */
  | { readonly kind: 'mvFromX'; readonly fmt: Fmt };

/**
 * What every engine needs to know about an instruction besides its semantics, derived from them
 * (isa/facts.ts) and never listed elsewhere: the interpreter, the JavaScript and WebAssembly
 * translators and the cold interpreter all read these.
 */
export interface InsnFacts {
  /**
   * Ends a translated block: a jump or branch, or an instruction that changes what the following
   * ones mean (privilege, translation, CSRs, fetched code) or stops the hart.
   */
  readonly endsBlock: boolean;
  /** A conditional branch: a trace goes on past it (a side exit). */
  readonly branch: boolean;
  /** A direct jump (JAL), which a trace may follow. */
  readonly directJump: boolean;
  /**
   * How it can trap: never (and it reads neither pc nor npc: a block need not publish them), on a
   * memory access only (it reads pc for epc, but never raises illegal-instruction or reads
   * npc), or any way.
   */
  readonly traps: 'never' | 'memory' | 'any';
  /** The memory access it makes, if any, and its width in bytes (0 for none). */
  readonly access: 'none' | 'load' | 'store' | 'amo';
  readonly bytes: number;
  /** The integer register fields it reads. */
  readonly readsRs1: boolean;
  readonly readsRs2: boolean;
  /** It writes x[rd]. */
  readonly writesRd: boolean;
}

/** One row of the instruction table. `match`/`mask` are over the 32-bit (or 16-bit) encoding. */
export interface InsnSpec {
  readonly name: string;
  readonly match: number;
  readonly mask: number;
  readonly ext: Ext;
  /**
   * Other extensions that have the same instruction (rol is in Zbb and in Zbkb): it decodes when
   * any of them is on.
   */
  readonly alsoIn?: readonly Ext[];
  /**
   * Extensions that must be on as well for it to decode (FLI.D is Zfa's, but only with D;
   * FCVT.D.H is Zfhmin's, but only with D).
   */
  readonly needs?: readonly Ext[];
  readonly format: Format;
  readonly exec: Exec;
  /**
   * What the instruction computes, for the integer and system instructions (isa/sem.ts): `exec`
   * is made from it, and so is the WebAssembly code.
   */
  readonly sem?: Sem;
  /** The same for the floating-point instructions (isa/fsem.ts). Every entry has `sem` or `fsem`. */
  readonly fsem?: FSem;
  readonly facts: InsnFacts;
}

/** The extensions of compressed instructions (isa/c.ts). */
export type CExt = 'C' | 'Zcb' | 'Zcmop';

/**
 * A compressed instruction, defined by its expansion into the 32-bit instruction it stands for
 * (unprivileged ISA, chapter "C" Standard Extension: every C instruction expands to a base one).
 * `expand` returns 0 (an illegal 32-bit word) for reserved encodings.
 */
export interface CInsnSpec {
  readonly name: string;
  readonly match: number;
  readonly mask: number;
  readonly ext: CExt;
  readonly format: Format;
  readonly expand: (c: number) => number;
}
