// The RV64 F/D floating-point unit: register file f0-f31 (FLEN = 64), fcsr (fflags, frm) and the
// register-level operations the F, D, Zfh and Zfa instruction bodies call (unprivileged ISA, F
// chapter §Floating-Point Register State, §NaN Boxing of Narrower Values; D, Zfh and Zfa chapters).

import {
  BINARY16,
  BINARY32,
  BINARY64,
  CANON_NAN_H,
  CANON_NAN_S,
  CANON_NAN_D_HI,
  DYN,
  NV,
  NX,
  RNE,
} from './bits.js';
import { decode16, fclass16, fclass32, fclass64, isNaN16, isNaN32, isNaN64 } from './bits.js';
import { isSNaN16, isSNaN32, isSNaN64 } from './bits.js';
import { FLI_H, fliValue } from './fli.js';
import { twoProdErr, twoSumErr } from './exact.js';
import { divFast, mulFast, rneF32, sqrtFast } from './fast.js';
import { addN, mulN, divN, sqrtN, fmaN, fromDoubleN, fromInt64N } from './narrow.js';
import { add64, mul64, div64, sqrt64, fmaFast64, fmaSlow, fromInt64 } from './ops64.js';
import { CVT_W, CVT_WU, CVT_L, type IntSink, roundIntegral, toInt } from './cvt.js';

/** Snapshot of the FPU: raw register words (f[r] = f[2r+1]:f[2r]) and fcsr fields. */
export interface FpuState {
  version: 1;
  /** 64 int32 words, low word first. */
  f: number[];
  fflags: number;
  frm: number;
}

/** fcsr field layout (F chapter, "Floating-point control and status register"). */
const FRM_SHIFT = 5;

/**
 * FPU state and operations. Register operands are register numbers; rounding-mode operands are
 * effective modes 0..4 from `resolveRm`. Operations accrue into `fflags`; the caller marks FS dirty.
 * Single- and half-precision reads of a register that is not NaN-boxed see the canonical NaN of
 * their format; their writes NaN-box (binary16 values have the upper 48 bits all ones).
 */
export class Fpu implements IntSink {
  /** Raw register file: f[r] low word at bits[2r], high word at bits[2r+1]. */
  readonly bits: Int32Array;
  /** f[r] as a double (f64[r]) over the same storage; moves must use `bits` (NaN payloads). */
  readonly f64: Float64Array;
  /** Low halves as binary32 (f32[2r]) over the same storage; valid only where NaN-boxed. */
  readonly f32: Float32Array;
  private readonly flagWord: Int32Array;

  /**
   * The registers and fflags live in `buf` at byte offsets `regsAt` (256 bytes) and `flagsAt`
   * when given (the WebAssembly translator's shared memory), else in memory of their own.
   */
  constructor(buf?: ArrayBufferLike, regsAt = 0, flagsAt = 0) {
    this.bits = buf === undefined ? new Int32Array(64) : new Int32Array(buf, regsAt, 64);
    this.f64 = new Float64Array(this.bits.buffer, this.bits.byteOffset, 32);
    this.f32 = new Float32Array(this.bits.buffer, this.bits.byteOffset, 64);
    this.flagWord = buf === undefined ? new Int32Array(1) : new Int32Array(buf, flagsAt, 1);
  }

  /** Accrued exceptions NV DZ OF UF NX (bits 4..0). */
  get fflags(): number {
    return this.flagWord[0];
  }
  set fflags(v: number) {
    this.flagWord[0] = v;
  }
  /** Dynamic rounding mode (3 bits; 5..7 are stored but make dynamic-rm instructions illegal). */
  frm = 0;
  /** 64-bit integer result of the last `cvtIntS`/`cvtIntD` (sign-extended for the 32-bit kinds). */
  xlo = 0;
  xhi = 0;

  reset(): void {
    this.bits.fill(0);
    this.fflags = 0;
    this.frm = 0;
    this.xlo = 0;
    this.xhi = 0;
  }

  save(): FpuState {
    return { version: 1, f: Array.from(this.bits), fflags: this.fflags, frm: this.frm };
  }

  /** Load a snapshot into this FPU. */
  restore(s: FpuState): void {
    if (s.version !== 1) throw new Error(`FpuState: unsupported version ${s.version}`);
    if (s.f.length !== 64) throw new Error(`FpuState: expected 64 register words, got ${s.f.length}`);
    this.bits.set(s.f);
    this.fflags = s.fflags & 31;
    this.frm = s.frm & 7;
  }

  /** A new FPU holding a snapshot. */
  static restore(s: FpuState): Fpu {
    const f = new Fpu();
    f.restore(s);
    return f;
  }

  /** fcsr = frm << 5 | fflags. */
  readFcsr(): number {
    return (this.frm << FRM_SHIFT) | this.fflags;
  }
  writeFcsr(v: number): void {
    this.fflags = v & 31;
    this.frm = (v >>> FRM_SHIFT) & 7;
  }

  /** Effective rounding mode 0..4 for an instruction's rm field, or -1 if illegal (rm 5, 6; rm 7 with frm >= 5). */
  resolveRm(rm: number): number {
    if (rm === DYN) rm = this.frm;
    return rm < 5 ? rm : -1;
  }

  // --- register access -------------------------------------------------------------------------

  /** Raw binary32 bits of f[r], or the canonical NaN if f[r] is not NaN-boxed. */
  getS(r: number): number {
    return this.bits[2 * r + 1] === -1 ? this.bits[2 * r] : CANON_NAN_S;
  }
  /** f[r] = NaN-boxed binary32 bits w. */
  setS(r: number, w: number): void {
    this.bits[2 * r] = w;
    this.bits[2 * r + 1] = -1;
  }
  /** Raw binary16 bits of f[r] (0..0xffff), or the canonical NaN if f[r] is not NaN-boxed. */
  getH(r: number): number {
    const lo = this.bits[2 * r];
    return this.bits[2 * r + 1] === -1 && lo >>> 16 === 0xffff ? lo & 0xffff : CANON_NAN_H;
  }
  /** f[r] = NaN-boxed binary16 bits w (0..0xffff). */
  setH(r: number, w: number): void {
    this.bits[2 * r] = w | 0xffff0000;
    this.bits[2 * r + 1] = -1;
  }
  /** f[r] = (hi:lo), bit-exact. */
  setD(r: number, lo: number, hi: number): void {
    this.bits[2 * r] = lo;
    this.bits[2 * r + 1] = hi;
  }

  private s(r: number): number {
    return this.bits[2 * r + 1] === -1 ? this.f32[2 * r] : NaN;
  }
  private sigS(r: number): boolean {
    return this.bits[2 * r + 1] === -1 && isSNaN32(this.bits[2 * r]);
  }
  private sigD(r: number): boolean {
    return isSNaN64(this.bits[2 * r], this.bits[2 * r + 1]);
  }
  private h(r: number): number {
    return decode16(this.getH(r));
  }
  private sigH(r: number): boolean {
    return isSNaN16(this.getH(r));
  }
  /** f[rd] = the binary32 value r (a double holding a non-NaN binary32 value); NX if inexact. */
  private putS(rd: number, r: number, inexact: boolean): void {
    if (inexact) this.fflags |= NX;
    this.f32[2 * rd] = r;
    this.bits[2 * rd + 1] = -1;
  }
  /** f[rd] = the non-NaN double r; NX if inexact. */
  private putD(rd: number, r: number, inexact: boolean): void {
    if (inexact) this.fflags |= NX;
    this.f64[rd] = r;
  }
  private setDv(r: number, v: number): void {
    if (v === v) this.f64[r] = v;
    else this.setD(r, 0, CANON_NAN_D_HI);
  }
  /** Canonical NaN result of a binary32 operation with a NaN operand; NV if one is signaling. */
  private nanS(r1: number, r2: number): number {
    if (this.sigS(r1) || this.sigS(r2)) this.fflags |= NV;
    return CANON_NAN_S;
  }
  private nanH(r1: number, r2: number): number {
    if (this.sigH(r1) || this.sigH(r2)) this.fflags |= NV;
    return CANON_NAN_H;
  }
  private nanD(r1: number, r2: number): number {
    if (this.sigD(r1) || this.sigD(r2)) this.fflags |= NV;
    return NaN;
  }

  // --- arithmetic ------------------------------------------------------------------------------
  // Each operation first tries an inline round-to-nearest-even fast path for normal results
  // (native arithmetic plus an exact error term; see fast.ts; fmaD's covers every mode), then falls
  // back to the complete implementation in ops32.ts / ops64.ts, which handles every mode, NaN,
  // infinity and subnormal.

  addS(rd: number, r1: number, r2: number, rm: number): void {
    const a = this.s(r1);
    const b = this.s(r2);
    if (rm === RNE) {
      const v = a + b;
      const err = twoSumErr(a, b, v);
      const r = rneF32(v, err);
      if (r === r) return this.putS(rd, r, r !== v || err !== 0);
    }
    this.setS(rd, a !== a || b !== b ? this.nanS(r1, r2) : addN(this, a, b, rm, BINARY32));
  }
  subS(rd: number, r1: number, r2: number, rm: number): void {
    const a = this.s(r1);
    const b = -this.s(r2);
    if (rm === RNE) {
      const v = a + b;
      const err = twoSumErr(a, b, v);
      const r = rneF32(v, err);
      if (r === r) return this.putS(rd, r, r !== v || err !== 0);
    }
    this.setS(rd, a !== a || b !== b ? this.nanS(r1, r2) : addN(this, a, b, rm, BINARY32));
  }
  mulS(rd: number, r1: number, r2: number, rm: number): void {
    const a = this.s(r1);
    const b = this.s(r2);
    if (rm === RNE) {
      const v = a * b;
      const r = rneF32(v, 0);
      if (r === r) return this.putS(rd, r, r !== v);
    }
    this.setS(rd, a !== a || b !== b ? this.nanS(r1, r2) : mulN(this, a, b, rm, BINARY32));
  }
  divS(rd: number, r1: number, r2: number, rm: number): void {
    const a = this.s(r1);
    const b = this.s(r2);
    if (rm === RNE) {
      const v = a / b;
      const p = v * b;
      const rem = a - p - twoProdErr(v, b, p);
      const r = rneF32(v, rem);
      if (r === r) return this.putS(rd, r, r !== v || rem !== 0);
    }
    this.setS(rd, a !== a || b !== b ? this.nanS(r1, r2) : divN(this, a, b, rm, BINARY32));
  }
  sqrtS(rd: number, r1: number, rm: number): void {
    const a = this.s(r1);
    if (rm === RNE) {
      const v = Math.sqrt(a);
      const p = v * v;
      const rem = a - p - twoProdErr(v, v, p);
      const r = rneF32(v, rem);
      if (r === r) return this.putS(rd, r, r !== v || rem !== 0);
    }
    this.setS(rd, a !== a ? this.nanS(r1, r1) : sqrtN(this, a, rm, BINARY32));
  }
  addD(rd: number, r1: number, r2: number, rm: number): void {
    const a = this.f64[r1];
    const b = this.f64[r2];
    const r = a + b;
    // A NaN error term (TwoSum overflow near +-MAX) still means inexact, as does any nonzero one.
    if (rm === RNE && r - r === 0 && r !== 0) return this.putD(rd, r, twoSumErr(a, b, r) !== 0);
    this.setDv(rd, a !== a || b !== b ? this.nanD(r1, r2) : add64(this, a, b, rm));
  }
  subD(rd: number, r1: number, r2: number, rm: number): void {
    const a = this.f64[r1];
    const b = -this.f64[r2];
    const r = a + b;
    if (rm === RNE && r - r === 0 && r !== 0) return this.putD(rd, r, twoSumErr(a, b, r) !== 0);
    this.setDv(rd, a !== a || b !== b ? this.nanD(r1, r2) : add64(this, a, b, rm));
  }
  mulD(rd: number, r1: number, r2: number, rm: number): void {
    const a = this.f64[r1];
    const b = this.f64[r2];
    const p = a * b;
    if (rm === RNE && mulFast(a, b, p)) return this.putD(rd, p, twoProdErr(a, b, p) !== 0);
    this.setDv(rd, a !== a || b !== b ? this.nanD(r1, r2) : mul64(this, a, b, rm));
  }
  divD(rd: number, r1: number, r2: number, rm: number): void {
    const a = this.f64[r1];
    const b = this.f64[r2];
    const q = a / b;
    if (rm === RNE && divFast(a, b, q)) {
      const p = q * b;
      return this.putD(rd, q, a - p - twoProdErr(q, b, p) !== 0);
    }
    this.setDv(rd, a !== a || b !== b ? this.nanD(r1, r2) : div64(this, a, b, rm));
  }
  sqrtD(rd: number, r1: number, rm: number): void {
    const a = this.f64[r1];
    if (rm === RNE && sqrtFast(a)) {
      const r = Math.sqrt(a);
      const p = r * r;
      return this.putD(rd, r, a - p - twoProdErr(r, r, p) !== 0);
    }
    this.setDv(rd, a !== a ? this.nanD(r1, r1) : sqrt64(this, a, rm));
  }

  /**
   * Fused multiply-add with one rounding: f[rd] = (negProd ? -1 : 1) * f[r1] * f[r2] + (negAdd ? -1 : 1) * f[r3]
   * (FMADD negProd=0 negAdd=0, FMSUB 0 1, FNMSUB 1 0, FNMADD 1 1). Inf * 0 raises NV even when the
   * addend is a quiet NaN (F chapter, §Single-Precision Floating-Point Computational Instructions).
   */
  fmaS(rd: number, r1: number, r2: number, r3: number, rm: number, negProd: boolean, negAdd: boolean): void {
    const a = negProd ? -this.s(r1) : this.s(r1);
    const b = this.s(r2);
    const c = negAdd ? -this.s(r3) : this.s(r3);
    const p = a * b;
    if (rm === RNE) {
      const v = p + c;
      const err = twoSumErr(p, c, v);
      const r = rneF32(v, err);
      if (r === r) return this.putS(rd, r, r !== v || err !== 0);
    }
    if (a !== a || b !== b || c !== c) {
      if (this.sigS(r3) || infTimesZero(a, b)) this.fflags |= NV;
      return this.setS(rd, this.nanS(r1, r2));
    }
    this.setS(rd, fmaN(this, a, b, c, rm, BINARY32));
  }
  fmaD(rd: number, r1: number, r2: number, r3: number, rm: number, negProd: boolean, negAdd: boolean): void {
    const a = negProd ? -this.f64[r1] : this.f64[r1];
    const b = this.f64[r2];
    const c = negAdd ? -this.f64[r3] : this.f64[r3];
    // Every rounding mode, zero products and exact zero sums are decided with doubles (ops64.ts).
    const r = fmaFast64(this, a, b, c, rm);
    if (r === r) return this.putD(rd, r, false);
    if (a !== a || b !== b || c !== c) {
      if (this.sigD(r3) || infTimesZero(a, b)) this.fflags |= NV;
      return this.setDv(rd, this.nanD(r1, r2));
    }
    this.setDv(rd, fmaSlow(this, a, b, c, rm));
  }

  // Half precision (Zfh) has no fast path: it is rounded from exact binary64 values (narrow.ts).
  addH(rd: number, r1: number, r2: number, rm: number): void {
    const a = this.h(r1);
    const b = this.h(r2);
    this.setH(rd, a !== a || b !== b ? this.nanH(r1, r2) : addN(this, a, b, rm, BINARY16));
  }
  subH(rd: number, r1: number, r2: number, rm: number): void {
    const a = this.h(r1);
    const b = -this.h(r2);
    this.setH(rd, a !== a || b !== b ? this.nanH(r1, r2) : addN(this, a, b, rm, BINARY16));
  }
  mulH(rd: number, r1: number, r2: number, rm: number): void {
    const a = this.h(r1);
    const b = this.h(r2);
    this.setH(rd, a !== a || b !== b ? this.nanH(r1, r2) : mulN(this, a, b, rm, BINARY16));
  }
  divH(rd: number, r1: number, r2: number, rm: number): void {
    const a = this.h(r1);
    const b = this.h(r2);
    this.setH(rd, a !== a || b !== b ? this.nanH(r1, r2) : divN(this, a, b, rm, BINARY16));
  }
  sqrtH(rd: number, r1: number, rm: number): void {
    const a = this.h(r1);
    this.setH(rd, a !== a ? this.nanH(r1, r1) : sqrtN(this, a, rm, BINARY16));
  }
  fmaH(rd: number, r1: number, r2: number, r3: number, rm: number, negProd: boolean, negAdd: boolean): void {
    const a = negProd ? -this.h(r1) : this.h(r1);
    const b = this.h(r2);
    const c = negAdd ? -this.h(r3) : this.h(r3);
    if (a !== a || b !== b || c !== c) {
      if (this.sigH(r3) || infTimesZero(a, b)) this.fflags |= NV;
      return this.setH(rd, this.nanH(r1, r2));
    }
    this.setH(rd, fmaN(this, a, b, c, rm, BINARY16));
  }

  // --- sign injection, min/max, compare, classify ------------------------------------------------

  /** FSGNJ.S (kind 0), FSGNJN.S (1), FSGNJX.S (2): bit operations only, never NV. */
  sgnjS(rd: number, r1: number, r2: number, kind: number): void {
    const a = this.getS(r1);
    const b = this.getS(r2);
    const sign = kind === 0 ? b : kind === 1 ? ~b : a ^ b;
    this.setS(rd, (a & 0x7fffffff) | (sign & 0x80000000));
  }
  sgnjH(rd: number, r1: number, r2: number, kind: number): void {
    const a = this.getH(r1);
    const b = this.getH(r2);
    const sign = kind === 0 ? b : kind === 1 ? ~b : a ^ b;
    this.setH(rd, (a & 0x7fff) | (sign & 0x8000));
  }
  sgnjD(rd: number, r1: number, r2: number, kind: number): void {
    const a = this.bits[2 * r1 + 1];
    const b = this.bits[2 * r2 + 1];
    const sign = kind === 0 ? b : kind === 1 ? ~b : a ^ b;
    this.setD(rd, this.bits[2 * r1], (a & 0x7fffffff) | (sign & 0x80000000));
  }

  /**
   * FMIN.S / FMAX.S (IEEE 754-2019 minimumNumber/maximumNumber): a NaN operand yields the other
   * operand, two NaNs the canonical NaN, -0 < +0, and a signaling NaN raises NV. With `nanOut`,
   * Zfa's FMINM.S / FMAXM.S (IEEE 754-2019 minimum/maximum): any NaN operand gives the canonical NaN.
   */
  minMaxS(rd: number, r1: number, r2: number, max: boolean, nanOut = false): void {
    const wa = this.getS(r1);
    const wb = this.getS(r2);
    if (isSNaN32(wa) || isSNaN32(wb)) this.fflags |= NV;
    let w: number;
    if (isNaN32(wa)) w = isNaN32(wb) || nanOut ? CANON_NAN_S : wb;
    else if (isNaN32(wb)) w = nanOut ? CANON_NAN_S : wa;
    else {
      const a = this.f32[2 * r1];
      const b = this.f32[2 * r2];
      // Equal values differ at most in the sign of zero: AND keeps +0 for max, OR keeps -0 for min.
      w = a === b ? (max ? wa & wb : wa | wb) : a < b !== max ? wa : wb;
    }
    this.setS(rd, w);
  }
  minMaxH(rd: number, r1: number, r2: number, max: boolean, nanOut = false): void {
    const wa = this.getH(r1);
    const wb = this.getH(r2);
    if (isSNaN16(wa) || isSNaN16(wb)) this.fflags |= NV;
    let w: number;
    if (isNaN16(wa)) w = isNaN16(wb) || nanOut ? CANON_NAN_H : wb;
    else if (isNaN16(wb)) w = nanOut ? CANON_NAN_H : wa;
    else {
      const a = decode16(wa);
      const b = decode16(wb);
      w = a === b ? (max ? wa & wb : wa | wb) : a < b !== max ? wa : wb;
    }
    this.setH(rd, w);
  }
  minMaxD(rd: number, r1: number, r2: number, max: boolean, nanOut = false): void {
    const la = this.bits[2 * r1];
    const ha = this.bits[2 * r1 + 1];
    const lb = this.bits[2 * r2];
    const hb = this.bits[2 * r2 + 1];
    const na = isNaN64(la, ha);
    const nb = isNaN64(lb, hb);
    if (isSNaN64(la, ha) || isSNaN64(lb, hb)) this.fflags |= NV;
    if ((na && nb) || ((na || nb) && nanOut)) this.setD(rd, 0, CANON_NAN_D_HI);
    else if (na) this.setD(rd, lb, hb);
    else if (nb) this.setD(rd, la, ha);
    else {
      const a = this.f64[r1];
      const b = this.f64[r2];
      if (a === b) this.setD(rd, la, max ? ha & hb : ha | hb);
      else if (a < b !== max) this.setD(rd, la, ha);
      else this.setD(rd, lb, hb);
    }
  }

  /** FEQ.S: 1 if equal; quiet, NV only for a signaling NaN operand. */
  eqS(r1: number, r2: number): number {
    const a = this.s(r1);
    const b = this.s(r2);
    if (a !== a || b !== b) this.nanS(r1, r2);
    return a === b ? 1 : 0;
  }
  /** FLT.S: 1 if f[r1] < f[r2]; signaling, NV for any NaN operand. */
  ltS(r1: number, r2: number): number {
    const a = this.s(r1);
    const b = this.s(r2);
    if (a !== a || b !== b) this.fflags |= NV;
    return a < b ? 1 : 0;
  }
  /** FLE.S: 1 if f[r1] <= f[r2]; signaling, NV for any NaN operand. */
  leS(r1: number, r2: number): number {
    const a = this.s(r1);
    const b = this.s(r2);
    if (a !== a || b !== b) this.fflags |= NV;
    return a <= b ? 1 : 0;
  }
  eqH(r1: number, r2: number): number {
    const a = this.h(r1);
    const b = this.h(r2);
    if (a !== a || b !== b) this.nanH(r1, r2);
    return a === b ? 1 : 0;
  }
  ltH(r1: number, r2: number): number {
    const a = this.h(r1);
    const b = this.h(r2);
    if (a !== a || b !== b) this.fflags |= NV;
    return a < b ? 1 : 0;
  }
  leH(r1: number, r2: number): number {
    const a = this.h(r1);
    const b = this.h(r2);
    if (a !== a || b !== b) this.fflags |= NV;
    return a <= b ? 1 : 0;
  }
  eqD(r1: number, r2: number): number {
    const a = this.f64[r1];
    const b = this.f64[r2];
    if (a !== a || b !== b) this.nanD(r1, r2);
    return a === b ? 1 : 0;
  }
  ltD(r1: number, r2: number): number {
    const a = this.f64[r1];
    const b = this.f64[r2];
    if (a !== a || b !== b) this.fflags |= NV;
    return a < b ? 1 : 0;
  }
  leD(r1: number, r2: number): number {
    const a = this.f64[r1];
    const b = this.f64[r2];
    if (a !== a || b !== b) this.fflags |= NV;
    return a <= b ? 1 : 0;
  }

  // Zfa's quiet comparisons FLTQ and FLEQ: like FLT and FLE, but NV only for a signaling NaN.
  ltqS(r1: number, r2: number): number {
    const a = this.s(r1);
    const b = this.s(r2);
    if (a !== a || b !== b) this.nanS(r1, r2);
    return a < b ? 1 : 0;
  }
  leqS(r1: number, r2: number): number {
    const a = this.s(r1);
    const b = this.s(r2);
    if (a !== a || b !== b) this.nanS(r1, r2);
    return a <= b ? 1 : 0;
  }
  ltqD(r1: number, r2: number): number {
    const a = this.f64[r1];
    const b = this.f64[r2];
    if (a !== a || b !== b) this.nanD(r1, r2);
    return a < b ? 1 : 0;
  }
  leqD(r1: number, r2: number): number {
    const a = this.f64[r1];
    const b = this.f64[r2];
    if (a !== a || b !== b) this.nanD(r1, r2);
    return a <= b ? 1 : 0;
  }
  ltqH(r1: number, r2: number): number {
    const a = this.h(r1);
    const b = this.h(r2);
    if (a !== a || b !== b) this.nanH(r1, r2);
    return a < b ? 1 : 0;
  }
  leqH(r1: number, r2: number): number {
    const a = this.h(r1);
    const b = this.h(r2);
    if (a !== a || b !== b) this.nanH(r1, r2);
    return a <= b ? 1 : 0;
  }

  /** FCLASS.S / FCLASS.D / FCLASS.H: one-hot class mask (bits 0..9). */
  classS(r: number): number {
    return fclass32(this.getS(r));
  }
  classH(r: number): number {
    return fclass16(this.getH(r));
  }
  classD(r: number): number {
    return fclass64(this.bits[2 * r], this.bits[2 * r + 1]);
  }

  // --- conversions -----------------------------------------------------------------------------

  /** FCVT.{W,WU,L,LU}.S (kind = rs2 field 0..3); result in xlo/xhi. */
  cvtIntS(r1: number, kind: number, rm: number): void {
    toInt(this, this.s(r1), kind, rm);
  }
  /** FCVT.{W,WU,L,LU}.D (kind = rs2 field 0..3); result in xlo/xhi. */
  cvtIntD(r1: number, kind: number, rm: number): void {
    toInt(this, this.f64[r1], kind, rm);
  }
  /** FCVT.{W,WU,L,LU}.H (kind = rs2 field 0..3); result in xlo/xhi. */
  cvtIntH(r1: number, kind: number, rm: number): void {
    toInt(this, this.h(r1), kind, rm);
  }
  /**
   * FCVTMOD.W.D (Zfa): f[r1] truncated, taken modulo 2^32 as a signed 32-bit result (0 for NaN
   * and infinities); the flags are FCVT.W.D's in RTZ: NV out of range, else NX if inexact.
   */
  cvtmodWD(r1: number): number {
    const v = this.f64[r1];
    const t = Math.trunc(v);
    if (!(t >= -2147483648 && t <= 2147483647)) this.fflags |= NV;
    else if (t !== v) this.fflags |= NX;
    // ToInt32 is exactly "modulo 2^32" for every finite double, and 0 for NaN and infinities.
    return t | 0;
  }
  /** FCVT.H.{W,WU,L,LU} from the integer register value (hi:lo). */
  cvtHInt(rd: number, lo: number, hi: number, kind: number, rm: number): void {
    const v = kind === CVT_W ? lo : lo >>> 0;
    this.setH(
      rd,
      kind <= CVT_WU
        ? fromDoubleN(this, v, 0, rm, BINARY16)
        : fromInt64N(this, lo, hi, kind === CVT_L, rm, BINARY16),
    );
  }
  /** FCVT.S.{W,WU,L,LU} from the integer register value (hi:lo). */
  cvtSInt(rd: number, lo: number, hi: number, kind: number, rm: number): void {
    const v = kind === CVT_W ? lo : lo >>> 0;
    this.setS(
      rd,
      kind <= CVT_WU
        ? fromDoubleN(this, v, 0, rm, BINARY32)
        : fromInt64N(this, lo, hi, kind === CVT_L, rm, BINARY32),
    );
  }
  /** FCVT.D.{W,WU,L,LU} from the integer register value (hi:lo). */
  cvtDInt(rd: number, lo: number, hi: number, kind: number, rm: number): void {
    const v = kind === CVT_W ? lo : lo >>> 0;
    this.f64[rd] = kind <= CVT_WU ? v : fromInt64(this, lo, hi, kind === CVT_L, rm);
  }
  /** FCVT.S.D: round to single. */
  cvtSD(rd: number, r1: number, rm: number): void {
    const v = this.f64[r1];
    if (v !== v) {
      this.nanD(r1, r1);
      this.setS(rd, CANON_NAN_S);
    } else this.setS(rd, fromDoubleN(this, v, 0, rm, BINARY32));
  }
  /** FCVT.D.S: exact widening. */
  cvtDS(rd: number, r1: number): void {
    const v = this.s(r1);
    if (v !== v) this.nanS(r1, r1);
    this.setDv(rd, v);
  }
  /** FCVT.S.H: exact widening; a NaN gives the canonical NaN (NV if signaling). */
  cvtSH(rd: number, r1: number): void {
    const v = this.h(r1);
    if (v !== v) {
      this.nanH(r1, r1);
      this.setS(rd, CANON_NAN_S);
    } else this.putS(rd, v, false);
  }
  /** FCVT.D.H: exact widening. */
  cvtDH(rd: number, r1: number): void {
    const v = this.h(r1);
    if (v !== v) this.nanH(r1, r1);
    this.setDv(rd, v);
  }
  /** FCVT.H.S: round to half. */
  cvtHS(rd: number, r1: number, rm: number): void {
    const v = this.s(r1);
    this.setH(rd, v !== v ? (this.nanS(r1, r1), CANON_NAN_H) : fromDoubleN(this, v, 0, rm, BINARY16));
  }
  /** FCVT.H.D: round to half. */
  cvtHD(rd: number, r1: number, rm: number): void {
    const v = this.f64[r1];
    this.setH(rd, v !== v ? (this.nanD(r1, r1), CANON_NAN_H) : fromDoubleN(this, v, 0, rm, BINARY16));
  }

  // --- Zfa: load-immediate and round-to-integer -------------------------------------------------

  /** FLI.S / FLI.D / FLI.H: f[rd] = entry i of the constant table (fli.ts); never any flag. */
  fliS(rd: number, i: number): void {
    const v = fliValue(i, BINARY32);
    if (v === v) this.putS(rd, v, false);
    else this.setS(rd, CANON_NAN_S);
  }
  fliD(rd: number, i: number): void {
    this.setDv(rd, fliValue(i, BINARY64));
  }
  fliH(rd: number, i: number): void {
    this.setH(rd, FLI_H[i]);
  }

  /**
   * FROUND.S (IEEE 754-2019 roundToIntegral in mode rm) and, with `exact`, FROUNDNX.S
   * (roundToIntegralExact: NX when the result differs from the operand). Zeros and infinities are
   * copied, the sign of a zero result is the operand's, a NaN gives the canonical NaN (NV if
   * signaling) and no other flag is ever raised: an integral value of a format is in that format.
   */
  roundS(rd: number, r1: number, rm: number, exact: boolean): void {
    const v = this.s(r1);
    if (v !== v) return this.setS(rd, this.nanS(r1, r1));
    const r = roundIntegral(v, rm);
    this.putS(rd, r, exact && r !== v);
  }
  roundD(rd: number, r1: number, rm: number, exact: boolean): void {
    const v = this.f64[r1];
    if (v !== v) return this.setDv(rd, this.nanD(r1, r1));
    const r = roundIntegral(v, rm);
    this.putD(rd, r, exact && r !== v);
  }
  roundH(rd: number, r1: number, rm: number, exact: boolean): void {
    const v = this.h(r1);
    if (v !== v) return this.setH(rd, this.nanH(r1, r1));
    const r = roundIntegral(v, rm);
    if (exact && r !== v) this.fflags |= NX;
    this.setH(rd, fromDoubleN(this, r, 0, rm, BINARY16));
  }
}

/** Infinity times zero, in either order (both operands non-NaN or NaN; NaN never matches). */
function infTimesZero(a: number, b: number): boolean {
  return (Math.abs(a) === Infinity && b === 0) || (a === 0 && Math.abs(b) === Infinity);
}
