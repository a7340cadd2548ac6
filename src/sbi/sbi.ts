// The SBI implementation tsvirt answers itself in PV mode (`--sbi builtin`): the supervisor's
// ECALLs become calls into this module instead of traps into M-mode firmware (RISC-V SBI
// specification v2.0, chapter 3 "Binary Encoding": EID in a7, FID in a6, arguments in a0-a5, error
// in a0 and value in a1).

import type { RiscvHart } from '../cpu/riscv/hart.js';

/** Standard SBI error codes (SBI v2.0, Table 1). */
export const SBI_SUCCESS = 0;
export const SBI_ERR_FAILED = -1;
export const SBI_ERR_NOT_SUPPORTED = -2;
export const SBI_ERR_INVALID_PARAM = -3;
export const SBI_ERR_DENIED = -4;
export const SBI_ERR_INVALID_ADDRESS = -5;
export const SBI_ERR_ALREADY_AVAILABLE = -6;
export const SBI_ERR_ALREADY_STARTED = -7;
export const SBI_ERR_ALREADY_STOPPED = -8;

/** The arguments of one call, as 64-bit values split into words, and its result. */
export interface SbiCall {
  readonly hart: RiscvHart;
  readonly fid: number;
  /** Low and high words of a0..a5. */
  argLo(n: number): number;
  argHi(n: number): number;
  /** a0..a5 as unsigned numbers (exact below 2^53; callers check `argFits` where it matters). */
  arg(n: number): number;
}

/** Result of a call: error code (a0) and value (a1, as words). */
export interface SbiResult {
  error: number;
  valueLo: number;
  valueHi: number;
}

/** One SBI extension (one EID). */
export interface SbiExtension {
  readonly eid: number;
  readonly name: string;
  /** The value `sbi_probe_extension` returns for it (non-zero = available). */
  probe(): number;
  call(c: SbiCall): SbiResult;
}

export const ok = (value = 0): SbiResult => ({ error: SBI_SUCCESS, valueLo: value | 0, valueHi: 0 });
export const okWide = (lo: number, hi: number): SbiResult => ({
  error: SBI_SUCCESS,
  valueLo: lo,
  valueHi: hi,
});
export const err = (code: number): SbiResult => ({ error: code, valueLo: 0, valueHi: 0 });

const A0 = 10;

/** Dispatches ECALLs from S-mode to the registered extensions. */
export class Sbi {
  private readonly byEid = new Map<number, SbiExtension>();

  constructor(extensions: SbiExtension[]) {
    for (const e of extensions) this.byEid.set(e.eid, e);
  }

  has(eid: number): boolean {
    return this.byEid.has(eid);
  }

  probe(eid: number): number {
    return this.byEid.get(eid)?.probe() ?? 0;
  }

  /** Handle the ECALL `h` just executed from S-mode; sets a0/a1. */
  handle(h: RiscvHart): void {
    const x = h.x;
    const eid = x[2 * 17] >>> 0; // a7
    const fid = x[2 * 16] >>> 0; // a6
    const call: SbiCall = {
      hart: h,
      fid,
      argLo: (n) => x[2 * (A0 + n)],
      argHi: (n) => x[2 * (A0 + n) + 1],
      arg: (n) => (x[2 * (A0 + n) + 1] >>> 0) * 4294967296 + (x[2 * (A0 + n)] >>> 0),
    };
    const ext = x[2 * 17 + 1] === 0 ? this.byEid.get(eid) : undefined;
    const r = ext === undefined ? err(SBI_ERR_NOT_SUPPORTED) : ext.call(call);
    h.setX(A0, r.error, r.error >> 31);
    // a1 carries the value only on success for most calls, but writing it always is allowed.
    h.setX(A0 + 1, r.valueLo, r.valueHi);
  }
}

/** What the SBI extensions need from the machine. */
export interface SbiPlatform {
  readonly harts: readonly RiscvHart[];
  /** Start a stopped hart in S-mode at `startAddr` with a0 = hart id, a1 = opaque. */
  startHart(hartId: number, startAddr: number, opaqueLo: number, opaqueHi: number): void;
  /** Stop the calling hart (HSM hart_stop). */
  stopHart(hartId: number): void;
  /** System reset: 0 = shutdown, 1 = cold reboot, 2 = warm reboot; `reason` 0 = none, 1 = failure. */
  reset(type: number, reason: number): void;
  /** Debug console output. */
  consoleWrite(bytes: Uint8Array): void;
  /**
   * Guest RAM at [addr, addr+len), live; undefined when any of it lies outside RAM (devices
   * included). The debug console reads through it, and HSM checks start addresses with it.
   */
  physSlice(addr: number, len: number): Uint8Array | undefined;
}

/**
 * Harts named by (hart_mask, hart_mask_base) (SBI v2.0 section 3.1): bit i of the mask means hart
 * base + i; base = -1 means every hart. Returns undefined when the mask names a hart that does not
 * exist (SBI_ERR_INVALID_PARAM).
 */
export function maskedHarts(
  p: SbiPlatform,
  c: SbiCall,
  maskArg: number,
  baseArg: number,
): RiscvHart[] | undefined {
  if (c.argLo(baseArg) === -1 && c.argHi(baseArg) === -1) return [...p.harts];
  const base = c.arg(baseArg);
  const out: RiscvHart[] = [];
  for (let bit = 0; bit < 64; bit++) {
    const set = bit < 32 ? (c.argLo(maskArg) >>> bit) & 1 : (c.argHi(maskArg) >>> (bit - 32)) & 1;
    if (!set) continue;
    const h = p.harts[base + bit];
    if (h === undefined) return undefined;
    out.push(h);
  }
  return out;
}
