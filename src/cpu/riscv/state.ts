// A hart's architectural state as plain data, for whole-VM snapshots (docs/snapshot-format.md):
// registers, FPU, every CSR (H, PMU and PMP included), privilege, V, the LR reservation and the
// WFI/HSM flags. TLBs and translated code are not state: `restoreHart` flushes them.

import type { FpuState } from './fpu/fpu.js';
import { HPM_COUNT, type PmuState } from './pmu.js';
import { PMP_ENTRIES } from './pmp.js';
import type { RiscvHart } from './hart.js';

/** A field the saved state gets wrong: the message names it (`hart 2: mstatus: ...`). */
export class HartStateError extends Error {}

/** Plain numbers of the hart (int32 words, counts, or exact doubles such as stimecmpNum). */
// npc is not saved: it is scratch of the instruction being executed (the translator leaves it).
const HART_NUMBERS = [
  'pc',
  'priv',
  'retired',
  'mstatus',
  'mie',
  'mip',
  'irqLines',
  'medeleg',
  'mideleg',
  'mtvec',
  'stvec',
  'mcounteren',
  'scounteren',
  'mcountinhibit',
  'menvcfgLo',
  'menvcfgHi',
  'senvcfg',
  'stimecmpNum',
  'satpMode',
  'satpPpn',
  'asid',
  'gpaFault',
  'gpaImplicit',
  'trapTval2',
  'trapTinst',
] as const;
const HART_FLAGS = ['waiting', 'running', 'sbiTimer', 'pbmtSeen'] as const;
/** 64-bit CSRs kept as int32 pairs. */
const HART_PAIRS = [
  'mepc',
  'sepc',
  'mcause',
  'scause',
  'mtval',
  'stval',
  'mscratch',
  'sscratch',
  'stimecmp',
] as const;
const HART_BIGS = ['instretOffset', 'cycleOffset'] as const;

export const HYP_NUMBERS = [
  'hstatus',
  'hedeleg',
  'hideleg',
  'hvip',
  'hcounteren',
  'henvcfgLo',
  'henvcfgHi',
  'htimedeltaNum',
  'hgatpMode',
  'hgatpVmid',
  'hgatpPpn',
  'vsstatus',
  'vstvec',
  'vsatpMode',
  'vsatpAsid',
  'vsatpPpn',
  'vstimecmpNum',
] as const;
export const HYP_FLAGS = ['virt', 'mpv', 'mgva'] as const;
export const HYP_PAIRS = [
  'htval',
  'htinst',
  'mtval2',
  'mtinst',
  'vsscratch',
  'vsepc',
  'vscause',
  'vstval',
  'vstimecmp',
] as const;

/** One hart in a snapshot. 64-bit values that are not int32 pairs are decimal strings. */
export interface HartState {
  hartId: number;
  /** x0..x31 as 64 int32 words, low word first. */
  x: number[];
  fpu: FpuState;
  num: Record<(typeof HART_NUMBERS)[number], number>;
  flag: Record<(typeof HART_FLAGS)[number], boolean>;
  pair: Record<(typeof HART_PAIRS)[number], [number, number]>;
  big: Record<(typeof HART_BIGS)[number], string>;
  /** minstret/mcycle while mcountinhibit freezes them, else null. */
  instretFrozen: string | null;
  cycleFrozen: string | null;
  /** The LR/SC reservation: a physical address, or -1. */
  reservation: number;
  pmpCfg: number[];
  pmpAddr: number[];
  hyp: {
    num: Record<(typeof HYP_NUMBERS)[number], number>;
    flag: Record<(typeof HYP_FLAGS)[number], boolean>;
    pair: Record<(typeof HYP_PAIRS)[number], [number, number]>;
    htimedelta: string;
  };
  pmu: PmuState;
}

type Bag = Record<string, unknown>;

function pick<K extends string, V>(src: object, keys: readonly K[], f: (v: unknown) => V): Record<K, V> {
  const out = {} as Record<K, V>;
  for (const k of keys) out[k] = f((src as Bag)[k]);
  return out;
}
const asPair = (v: unknown): [number, number] => {
  const a = v as Int32Array;
  return [a[0], a[1]];
};

/** The state of `h`, taken between slices (where it is whole: Vm.pause). */
export function saveHart(h: RiscvHart): HartState {
  const y = h.hyp;
  return {
    hartId: h.hartId,
    x: Array.from(h.x),
    fpu: h.fpu.save(),
    num: pick(h, HART_NUMBERS, (v) => v as number),
    flag: pick(h, HART_FLAGS, (v) => v as boolean),
    pair: pick(h, HART_PAIRS, asPair),
    big: pick(h, HART_BIGS, (v) => String(v)),
    instretFrozen: h.instretFrozen === undefined ? null : String(h.instretFrozen),
    cycleFrozen: h.cycleFrozen === undefined ? null : String(h.cycleFrozen),
    reservation: h.reservation,
    pmpCfg: Array.from(h.pmp.cfg),
    pmpAddr: Array.from(h.pmp.addr),
    hyp: {
      num: pick(y, HYP_NUMBERS, (v) => v as number),
      flag: pick(y, HYP_FLAGS, (v) => v as boolean),
      pair: pick(y, HYP_PAIRS, asPair),
      htimedelta: String(y.htimedelta),
    },
    pmu: h.pmu.save(),
  };
}

/** Checks of untrusted saved data; each failure names its field. */
class Check {
  constructor(private readonly where: string) {}
  fail(field: string, what: string): never {
    throw new HartStateError(`${this.where}: ${field}: ${what}`);
  }
  obj(v: unknown, field: string): Bag {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, 'not an object');
    return v as Bag;
  }
  num(v: unknown, field: string): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, 'not a number');
    return v;
  }
  int32(v: unknown, field: string): number {
    const n = this.num(v, field);
    if ((n | 0) !== n) this.fail(field, 'not an int32 word');
    return n;
  }
  flag(v: unknown, field: string): boolean {
    if (typeof v !== 'boolean') this.fail(field, 'not a boolean');
    return v;
  }
  big(v: unknown, field: string): bigint {
    if (typeof v !== 'string' || !/^-?[0-9]{1,20}$/.test(v)) this.fail(field, 'not a decimal integer');
    return BigInt(v);
  }
  words(v: unknown, field: string, n: number): number[] {
    if (!Array.isArray(v) || v.length !== n) this.fail(field, `not ${n} words`);
    return v.map((w, i) => this.int32(w, `${field}[${i}]`));
  }
}

/** Check the shape of `raw` (from an untrusted file) as the state of hart `id`; throws HartStateError. */
export function checkHartState(raw: unknown, id: number): HartState {
  const c = new Check(`hart ${id}`);
  const s = c.obj(raw, 'state');
  if (s.hartId !== id) c.fail('hartId', `is ${String(s.hartId)}`);
  c.words(s.x, 'x', 64);
  const fpu = c.obj(s.fpu, 'fpu');
  if (fpu.version !== 1) c.fail('fpu.version', 'is not 1');
  c.words(fpu.f, 'fpu.f', 64);
  c.int32(fpu.fflags, 'fpu.fflags');
  c.int32(fpu.frm, 'fpu.frm');
  const num = c.obj(s.num, 'num');
  for (const k of HART_NUMBERS) c.num(num[k], k);
  const flag = c.obj(s.flag, 'flag');
  for (const k of HART_FLAGS) c.flag(flag[k], k);
  const pair = c.obj(s.pair, 'pair');
  for (const k of HART_PAIRS) c.words(pair[k], k, 2);
  const big = c.obj(s.big, 'big');
  for (const k of HART_BIGS) c.big(big[k], k);
  if (s.instretFrozen !== null) c.big(s.instretFrozen, 'instretFrozen');
  if (s.cycleFrozen !== null) c.big(s.cycleFrozen, 'cycleFrozen');
  c.num(s.reservation, 'reservation');
  c.words(s.pmpCfg, 'pmpCfg', PMP_ENTRIES);
  c.words(s.pmpAddr, 'pmpAddr', 2 * PMP_ENTRIES);
  const hyp = c.obj(s.hyp, 'hyp');
  const hn = c.obj(hyp.num, 'hyp.num');
  for (const k of HYP_NUMBERS) c.num(hn[k], `hyp.${k}`);
  const hf = c.obj(hyp.flag, 'hyp.flag');
  for (const k of HYP_FLAGS) c.flag(hf[k], `hyp.${k}`);
  const hp = c.obj(hyp.pair, 'hyp.pair');
  for (const k of HYP_PAIRS) c.words(hp[k], `hyp.${k}`, 2);
  c.big(hyp.htimedelta, 'hyp.htimedelta');
  const pmu = c.obj(s.pmu, 'pmu');
  for (const k of ['event', 'offset', 'frozen'] as const) {
    const a = pmu[k];
    if (!Array.isArray(a) || a.length !== HPM_COUNT) c.fail(`pmu.${k}`, `not ${HPM_COUNT} values`);
    (a as unknown[]).forEach((v, i) => c.big(v, `pmu.${k}[${i}]`));
  }
  const running = pmu.running;
  if (!Array.isArray(running) || running.length !== HPM_COUNT) c.fail('pmu.running', 'bad length');
  (running as unknown[]).forEach((v, i) => c.flag(v, `pmu.running[${i}]`));
  const mode = c.int32(pmu.mode, 'pmu.mode');
  if (mode < 0 || mode > 4) c.fail('pmu.mode', 'out of range');
  c.int32(pmu.inhibit, 'pmu.inhibit');
  const priv = num.priv as number;
  if (priv !== 0 && priv !== 1 && priv !== 3) c.fail('priv', `${priv} is not U, S or M`);
  const retired = num.retired as number;
  if (!Number.isSafeInteger(retired) || retired < 0) c.fail('retired', 'not a count');
  return s as unknown as HartState;
}

/**
 * Load `s` (checked by `checkHartState`) into `h`, a hart of the same profile. The TLB is flushed
 * and every derived value (translation contexts, PMP regions, the translator's FPU mode) rebuilt.
 */
export function restoreHart(h: RiscvHart, s: HartState): void {
  h.reset(0);
  h.x.set(s.x);
  h.fpu.restore(s.fpu);
  const hb = h as unknown as Bag;
  for (const k of HART_NUMBERS) hb[k] = s.num[k];
  for (const k of HART_FLAGS) hb[k] = s.flag[k];
  for (const k of HART_PAIRS) (hb[k] as Int32Array).set(s.pair[k]);
  for (const k of HART_BIGS) hb[k] = BigInt(s.big[k]);
  h.instretFrozen = s.instretFrozen === null ? undefined : BigInt(s.instretFrozen);
  h.cycleFrozen = s.cycleFrozen === null ? undefined : BigInt(s.cycleFrozen);
  const y = h.hyp;
  const yb = y as unknown as Bag;
  for (const k of HYP_NUMBERS) yb[k] = s.hyp.num[k];
  for (const k of HYP_FLAGS) yb[k] = s.hyp.flag[k];
  for (const k of HYP_PAIRS) (yb[k] as Int32Array).set(s.hyp.pair[k]);
  y.htimedelta = BigInt(s.hyp.htimedelta);
  h.pmp.cfg.set(s.pmpCfg);
  h.pmp.addr.set(s.pmpAddr);
  h.pmp.update();
  // menvcfg's derived walk rules (PBMTE, ADUE) come from the write; the fields were set above.
  const lo = s.num.menvcfgLo;
  h.menvcfgLo = lo;
  h.writeMenvcfg(lo, s.num.menvcfgHi);
  h.pmu.restore(s.pmu, h.retired);
  h.reservation = s.reservation;
  h.tlb.flush();
  h.updateContext();
  h.syncFpMode();
  h.npc = h.pc;
  h.yieldLoop = true;
}
