// Declarative semantics for the F and D instructions: which FPU operation each one performs, in
// which format, on which operands, said once. The interpreter's `exec` is made from it here (the
// operation itself is the FPU's, fpu/fpu.ts), and so is the WebAssembly translator's code
// (jit/wasm/fops.ts), which computes the common cases in place and falls back to `exec`.

import { immI, immS } from './fields.js';
import type { Exec, Format, InsnSpec } from './types.js';

/** Operand format: binary32 (NaN-boxed in the 64-bit registers) or binary64. */
export type Fmt = 'S' | 'D';
/** Integer side of a conversion: 0 = w, 1 = wu, 2 = l, 3 = lu (the FPU's `kind`). */
export type IntKind = 0 | 1 | 2 | 3;

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
  | { readonly kind: 'minmax'; readonly fmt: Fmt; readonly max: boolean }
  /** x[rd] = f[rs1] cmp f[rs2] (0 or 1) */
  | { readonly kind: 'cmp'; readonly fmt: Fmt; readonly op: 'eq' | 'lt' | 'le' }
  | { readonly kind: 'class'; readonly fmt: Fmt }
  /** x[rd] = the integer nearest f[rs1] in rm, saturated (FCVT.W.D and friends) */
  | { readonly kind: 'toInt'; readonly fmt: Fmt; readonly int: IntKind }
  /** f[rd] = x[rs1] as an integer of kind `int`, rounded by rm */
  | { readonly kind: 'fromInt'; readonly fmt: Fmt; readonly int: IntKind }
  /** FCVT.S.D, FCVT.D.S */
  | { readonly kind: 'narrow' }
  | { readonly kind: 'widen' }
  /** x[rd] = raw bits of f[rs1] (FMV.X.W sign-extends the low word) */
  | { readonly kind: 'mvToX'; readonly fmt: Fmt }
  /** f[rd] = raw bits of x[rs1] (FMV.W.X NaN-boxes) */
  | { readonly kind: 'mvFromX'; readonly fmt: Fmt };

// Which encoding bits are fixed, for the F and D tables (the fmt field of funct7 tells them apart).
/** funct7 and opcode fixed; rm (funct3) free. */
export const MASK_OP = 0xfe00007f;
/** funct7, funct3 and opcode fixed. */
export const MASK_OP_F3 = 0xfe00707f;
/** funct7, rs2 and opcode fixed; rm free. */
export const MASK_OP_RS2 = 0xfff0007f;
/** funct7, rs2, funct3 and opcode fixed. */
export const MASK_OP_RS2_F3 = 0xfff0707f;
/** fmt (bits 26:25) and opcode fixed: the R4 fused multiply-adds. */
export const MASK_R4 = 0x0600007f;
/** funct3 and opcode fixed: loads and stores. */
export const MASK_LS = 0x0000707f;

/** A table entry of the F or D extension whose `exec` is made from its semantics. */
export function fpInsn(name: string, match: number, mask: number, format: Format, sem: FSem): InsnSpec {
  const ext = 'fmt' in sem && sem.fmt === 'S' ? 'F' : 'D';
  return { name, match, mask, ext, format, fsem: sem, exec: interpExec(name, sem) };
}

/** Resolve the instruction's rounding mode into `m`, or raise illegal-instruction (rm 5, 6, bad frm). */
const RM = 'const m = h.fpu.resolveRm((i >>> 12) & 7);\nif (m < 0) return h.illegal();';
/** Mark FS dirty when the operation accrued a flag (instructions that write only x). */
const FLAGS_BEFORE = 'const fl = h.fpu.fflags;';
const DIRTY_IF_FLAGS = 'if (h.fpu.fflags !== fl) h.fpDirty();';

/** Body of `exec` after the FS gate, with d, a, b, c = rd, rs1, rs2, rs3. */
function body(sem: FSem): string {
  switch (sem.kind) {
    case 'load':
      return `h.loadFp(d, h.addr(a, immI(i)), ${sem.fmt === 'S' ? 4 : 8});\nh.fpDirty();`;
    case 'store':
      return `h.storeFp(h.addr(a, immS(i)), ${sem.fmt === 'S' ? 4 : 8}, b);`;
    case 'arith':
      return `${RM}\nh.fpu.${sem.op}${sem.fmt}(d, a, b, m);\nh.fpDirty();`;
    case 'sqrt':
      return `${RM}\nh.fpu.sqrt${sem.fmt}(d, a, m);\nh.fpDirty();`;
    case 'fma':
      return `${RM}\nh.fpu.fma${sem.fmt}(d, a, b, c, m, ${sem.negProd}, ${sem.negAdd});\nh.fpDirty();`;
    case 'sgnj':
      return `h.fpu.sgnj${sem.fmt}(d, a, b, ${sem.mode});\nh.fpDirty();`;
    case 'minmax':
      return `h.fpu.minMax${sem.fmt}(d, a, b, ${sem.max});\nh.fpDirty();`;
    case 'cmp':
      return `${FLAGS_BEFORE}\nh.setX32(d, h.fpu.${sem.op}${sem.fmt}(a, b));\n${DIRTY_IF_FLAGS}`;
    case 'class':
      return `h.setX32(d, h.fpu.class${sem.fmt}(a));`;
    case 'toInt':
      return `${RM}\n${FLAGS_BEFORE}\nh.fpu.cvtInt${sem.fmt}(a, ${sem.int}, m);\nh.setX(d, h.fpu.xlo, h.fpu.xhi);\n${DIRTY_IF_FLAGS}`;
    case 'fromInt':
      return `${RM}\nh.fpu.cvt${sem.fmt}Int(d, h.x[2 * a], h.x[2 * a + 1], ${sem.int}, m);\nh.fpDirty();`;
    case 'narrow':
      return `${RM}\nh.fpu.cvtSD(d, a, m);\nh.fpDirty();`;
    case 'widen':
      return `${RM}\nh.fpu.cvtDS(d, a);\nh.fpDirty();`;
    case 'mvToX':
      return sem.fmt === 'S'
        ? 'h.setX32(d, h.fpu.bits[2 * a]);'
        : 'h.setX(d, h.fpu.bits[2 * a], h.fpu.bits[2 * a + 1]);';
    case 'mvFromX':
      return sem.fmt === 'S'
        ? 'h.fpu.setS(d, h.x[2 * a]);\nh.fpDirty();'
        : 'h.fpu.setD(d, h.x[2 * a], h.x[2 * a + 1]);\nh.fpDirty();';
  }
}

/**
 * The interpreter's `exec` for `sem`, compiled from its own source text (as in isa/sem.ts) so
 * that each instruction keeps its own type feedback and V8 inlines the FPU call.
 */
function interpExec(name: string, sem: FSem): Exec {
  const id = name.replace(/\W/g, '_');
  const src =
    `return function ${id}(h, i) {\n` +
    'if (!h.fpOn()) return;\n' +
    'const d = (i >>> 7) & 31, a = (i >>> 15) & 31, b = (i >>> 20) & 31, c = i >>> 27;\n' +
    `${body(sem)}\n};`;
  return new Function('immI', 'immS', src)(immI, immS) as Exec;
}
