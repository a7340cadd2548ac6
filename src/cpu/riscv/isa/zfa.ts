// Zfa: additional floating-point instructions (unprivileged ISA, chapter "Zfa Extension for
// Additional Floating-Point Instructions"), RV64: load-immediate, IEEE 754-2019 minimum/maximum,
// round-to-integer, the modular conversion FCVTMOD.W.D and quiet comparisons, for each format
// present (the D forms need D, the H forms need Zfh). FMVH.X.D and FMVP.D.X are RV32-only and the
// Q forms need Q: none of them is here. The operations are in fpu/fpu.ts.

import { fpInsn, MASK_OP_F3, MASK_OP_RS2, MASK_OP_RS2_F3 } from './fsem.js';
import type { FpExt } from './fsem.js';
import type { Fmt, InsnSpec } from './types.js';

const BY_FMT: Readonly<Record<Fmt, FpExt>> = {
  S: { ext: 'Zfa' },
  D: { ext: 'Zfa', needs: ['D'] },
  H: { ext: 'Zfa', needs: ['Zfh'] },
};
/** The fmt field (instruction bits 26:25). */
const FMT_FIELD: Readonly<Record<Fmt, number>> = { S: 0, D: 1, H: 2 };

/** The instructions Zfa defines for every format, encoded as the chapter says. */
function forFmt(fmt: Fmt): InsnSpec[] {
  const n = fmt.toLowerCase();
  const x = BY_FMT[fmt];
  /** The OP-FP word with this funct7 (its fmt bits set to fmt's), rs2 and funct3. */
  const op = (funct7: number, rs2: number, funct3: number): number =>
    ((funct7 << 25) | (FMT_FIELD[fmt] << 25) | (rs2 << 20) | (funct3 << 12) | 0x53) >>> 0;
  return [
    // FLI: FMV.fmt.X (funct7 11110ff) with rs2 = 1; the rs1 field is the table index.
    fpInsn(`fli.${n}`, op(0x78, 1, 0), MASK_OP_RS2_F3, 'R', { kind: 'fli', fmt }, x),
    // FMINM/FMAXM: FMIN/FMAX (funct7 00101ff, funct3 0 and 1) with instruction bit 13 set.
    fpInsn(`fminm.${n}`, op(0x14, 0, 2), MASK_OP_F3, 'R', { kind: 'minmaxm', fmt, max: false }, x),
    fpInsn(`fmaxm.${n}`, op(0x14, 0, 3), MASK_OP_F3, 'R', { kind: 'minmaxm', fmt, max: true }, x),
    // FROUND/FROUNDNX: FCVT.fmt.S, or FCVT.S.D for S (funct7 01000ff), with rs2 = 4 and 5.
    fpInsn(`fround.${n}`, op(0x20, 4, 0), MASK_OP_RS2, 'R', { kind: 'roundInt', fmt, exact: false }, x),
    fpInsn(`froundnx.${n}`, op(0x20, 5, 0), MASK_OP_RS2, 'R', { kind: 'roundInt', fmt, exact: true }, x),
    // FLEQ/FLTQ: FLE/FLT (funct7 10100ff, funct3 0 and 1) with instruction bit 14 set.
    fpInsn(`fleq.${n}`, op(0x50, 0, 4), MASK_OP_F3, 'R', { kind: 'cmpq', fmt, op: 'le' }, x),
    fpInsn(`fltq.${n}`, op(0x50, 0, 5), MASK_OP_F3, 'R', { kind: 'cmpq', fmt, op: 'lt' }, x),
  ];
}

/** Every RV64 Zfa instruction. */
export const ZFA_INSNS: InsnSpec[] = [
  ...forFmt('S'),
  ...forFmt('D'),
  ...forFmt('H'),
  // FCVTMOD.W.D: FCVT.W.D with rs2 = 8 and rm fixed to RTZ (other rm values are reserved).
  fpInsn('fcvtmod.w.d', 0xc2801053, MASK_OP_RS2_F3, 'R', { kind: 'cvtmod' }, BY_FMT.D),
];
