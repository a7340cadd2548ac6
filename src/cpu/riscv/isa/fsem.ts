// Declarative semantics for the floating-point instructions (F, D, Zfh, Zfa): which FPU operation
// each one performs, in which format, on which operands, said once. The interpreter's `exec` is made from it here (the
// operation itself is the FPU's, fpu/fpu.ts), and so is the WebAssembly translator's code
// (jit/wasm/fops.ts), which computes the common cases in place and falls back to `exec`.

import { immI, immS } from './fields.js';
import { FMT_BYTES, fpFacts } from './facts.js';
import type { Exec, Ext, Fmt, Format, FSem, InsnSpec } from './types.js';

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

/** Which extensions an entry belongs to (InsnSpec.ext, alsoIn, needs). */
export interface FpExt {
  readonly ext: Ext;
  readonly alsoIn?: readonly Ext[];
  readonly needs?: readonly Ext[];
}

/**
 * A table entry of a floating-point extension whose `exec` is made from its semantics. It belongs
 * to `x`, by default F for single-precision semantics and D for the rest.
 */
export function fpInsn(
  name: string,
  match: number,
  mask: number,
  format: Format,
  sem: FSem,
  x: FpExt = { ext: 'fmt' in sem && sem.fmt === 'S' ? 'F' : 'D' },
): InsnSpec {
  return { name, match, mask, ...x, format, fsem: sem, exec: interpExec(name, sem), facts: fpFacts(sem) };
}

/** Formats from narrowest to widest, for conversions. */
const WIDTH_ORDER: readonly Fmt[] = ['H', 'S', 'D'];

/** Resolve the instruction's rounding mode into `m`, or raise illegal-instruction (rm 5, 6, bad frm). */
const RM = 'const m = h.fpu.resolveRm((i >>> 12) & 7);\nif (m < 0) return h.illegal();';
/** Mark FS dirty when the operation accrued a flag (instructions that write only x). */
const FLAGS_BEFORE = 'const fl = h.fpu.fflags;';
const DIRTY_IF_FLAGS = 'if (h.fpu.fflags !== fl) h.fpDirty();';

/** Body of `exec` after the FS gate, with d, a, b, c = rd, rs1, rs2, rs3. */
function body(sem: FSem): string {
  switch (sem.kind) {
    case 'load':
      return `h.loadFp(d, h.addr(a, immI(i)), ${FMT_BYTES[sem.fmt]});\nh.fpDirty();`;
    case 'store':
      return `h.storeFp(h.addr(a, immS(i)), ${FMT_BYTES[sem.fmt]}, b);`;
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
    case 'minmaxm':
      return `h.fpu.minMax${sem.fmt}(d, a, b, ${sem.max}, true);\nh.fpDirty();`;
    case 'cmp':
      return `${FLAGS_BEFORE}\nh.setX32(d, h.fpu.${sem.op}${sem.fmt}(a, b));\n${DIRTY_IF_FLAGS}`;
    case 'cmpq':
      return `${FLAGS_BEFORE}\nh.setX32(d, h.fpu.${sem.op}q${sem.fmt}(a, b));\n${DIRTY_IF_FLAGS}`;
    case 'class':
      return `h.setX32(d, h.fpu.class${sem.fmt}(a));`;
    case 'toInt':
      return `${RM}\n${FLAGS_BEFORE}\nh.fpu.cvtInt${sem.fmt}(a, ${sem.int}, m);\nh.setX(d, h.fpu.xlo, h.fpu.xhi);\n${DIRTY_IF_FLAGS}`;
    case 'fromInt':
      return `${RM}\nh.fpu.cvt${sem.fmt}Int(d, h.x[2 * a], h.x[2 * a + 1], ${sem.int}, m);\nh.fpDirty();`;
    case 'cvtmod':
      // The rm field is fixed to RTZ by the encoding.
      return `${FLAGS_BEFORE}\nh.setX32(d, h.fpu.cvtmodWD(a));\n${DIRTY_IF_FLAGS}`;
    case 'cvtFmt': {
      const widen = WIDTH_ORDER.indexOf(sem.to) > WIDTH_ORDER.indexOf(sem.from);
      return `${RM}\nh.fpu.cvt${sem.to}${sem.from}(d, a${widen ? '' : ', m'});\nh.fpDirty();`;
    }
    case 'roundInt':
      return `${RM}\nh.fpu.round${sem.fmt}(d, a, m, ${sem.exact});\nh.fpDirty();`;
    case 'fli':
      return `h.fpu.fli${sem.fmt}(d, a);\nh.fpDirty();`;
    case 'narrow':
      return `${RM}\nh.fpu.cvtSD(d, a, m);\nh.fpDirty();`;
    case 'widen':
      return `${RM}\nh.fpu.cvtDS(d, a);\nh.fpDirty();`;
    case 'mvToX':
      // The raw bits, the box unchecked, sign-extended from the format's width.
      if (sem.fmt === 'H') return 'h.setX32(d, (h.fpu.bits[2 * a] << 16) >> 16);';
      return sem.fmt === 'S'
        ? 'h.setX32(d, h.fpu.bits[2 * a]);'
        : 'h.setX(d, h.fpu.bits[2 * a], h.fpu.bits[2 * a + 1]);';
    case 'mvFromX':
      if (sem.fmt === 'H') return 'h.fpu.setH(d, h.x[2 * a] & 0xffff);\nh.fpDirty();';
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
