// Operand fields of the 32-bit base formats (unprivileged ISA, "Base Instruction Formats" and
// "Immediate Encoding Variants"). Immediates come back sign-extended as int32.

export const rd = (i: number): number => (i >>> 7) & 31;
export const rs1 = (i: number): number => (i >>> 15) & 31;
export const rs2 = (i: number): number => (i >>> 20) & 31;
export const rs3 = (i: number): number => i >>> 27;
export const funct3 = (i: number): number => (i >>> 12) & 7;
/** Rounding-mode field of F/D instructions (same bits as funct3). */
export const rmField = funct3;
export const csrNum = (i: number): number => i >>> 20;

export const immI = (i: number): number => i >> 20;
export const immS = (i: number): number => ((i >> 25) << 5) | ((i >>> 7) & 31);
export const immB = (i: number): number =>
  ((i >> 31) << 12) | (((i >>> 7) & 1) << 11) | (((i >>> 25) & 63) << 5) | (((i >>> 8) & 15) << 1);
export const immU = (i: number): number => i & 0xfffff000;
export const immJ = (i: number): number =>
  ((i >> 31) << 20) | (((i >>> 12) & 255) << 12) | (((i >>> 20) & 1) << 11) | (((i >>> 21) & 1023) << 1);
/** Shift amount of RV64 shifts (6 bits) and of the *W shifts (5 bits). */
export const shamt6 = (i: number): number => (i >>> 20) & 63;
export const shamt5 = (i: number): number => (i >>> 20) & 31;
