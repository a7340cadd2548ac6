// SBI Performance Monitoring Unit extension (EID 0x504D55 "PMU", SBI v2.0 chapter 11): the
// supervisor asks firmware to pick, program, start and stop hardware counters, then reads them
// itself through the hpmcounter CSRs (mcounteren lets it). The counters are the hart's own
// (cpu/riscv/pmu.ts): cycle (0), instret (2) and mhpmcounter3..31, which count event 1 (cycles)
// or 2 (instructions). No firmware counters: there is no firmware code here to count events in.

import { firmwareRead, firmwareWrite } from '../cpu/riscv/csr.js';
import * as C from '../cpu/riscv/csr-defs.js';
import type { RiscvHart } from '../cpu/riscv/hart.js';
import {
  EVENT_MINH,
  EVENT_OF,
  EVENT_SINH,
  EVENT_UINH,
  EVENT_VSINH,
  EVENT_VUINH,
  HPM_EVENT_CYCLES,
  HPM_EVENT_INSTRET,
} from '../cpu/riscv/pmu.js';
import {
  err,
  ok,
  okWide,
  SBI_ERR_ALREADY_STARTED,
  SBI_ERR_ALREADY_STOPPED,
  SBI_ERR_INVALID_PARAM,
  SBI_ERR_NOT_SUPPORTED,
  type SbiCall,
  type SbiExtension,
} from './sbi.js';

export const EID_PMU = 0x504d55;

const FID_NUM_COUNTERS = 0;
const FID_COUNTER_GET_INFO = 1;
const FID_CONFIG_MATCHING = 2;
const FID_COUNTER_START = 3;
const FID_COUNTER_STOP = 4;
const FID_FW_READ = 5;
const FID_FW_READ_HI = 6;

/** Counter indices are CSR offsets from cycle: 0..31, of which 1 (time) is not a counter. */
const NUM_COUNTERS = 32;
const TIME = 1;
const CYCLE = 0;
const INSTRET = 2;

/** Event types in event_idx[19:16] (SBI chapter 11.1). */
const TYPE_HW = 0;
const TYPE_RAW = 2;
/** SBI_PMU_HW_CPU_CYCLES and SBI_PMU_HW_INSTRUCTIONS. */
const HW_CPU_CYCLES = 1;
const HW_INSTRUCTIONS = 2;

/** counter_config_matching's flags. */
const CFG_SKIP_MATCH = 1 << 0;
const CFG_CLEAR_VALUE = 1 << 1;
const CFG_AUTO_START = 1 << 2;
/** SET_VUINH (bit 3) .. SET_MINH (bit 7), in order. */
const CFG_INHIBITS = [EVENT_VUINH, EVENT_VSINH, EVENT_UINH, EVENT_SINH, EVENT_MINH];
const CFG_INHIBIT_MASK = 0x1f << 3;
/** counter_start's and counter_stop's flags. */
const START_SET_INIT_VALUE = 1 << 0;
const STOP_RESET = 1 << 0;

/** Raw events: mhpmevent's selector, the low 48 bits of event_data (SBI 11.1, type 2). */
const RAW_SELECT = (1n << 48n) - 1n;

/** The PMU extension, with its allocation map for snapshots. */
export interface SbiPmuExtension extends SbiExtension {
  /** The counters handed out, as a mask per hart id (harts with none are left out). */
  saveAllocations(): Record<string, number>;
  /** Replace the allocation map with `saved` (hart ids index `harts`); throws on a hart id out of range. */
  restoreAllocations(saved: Record<string, number>, harts: readonly RiscvHart[]): void;
}

export function pmuExtension(): SbiPmuExtension {
  /** Counters handed out by counter_config_matching, per hart, until stopped with RESET. */
  const inUse = new Map<RiscvHart, number>();
  return {
    saveAllocations() {
      const out: Record<string, number> = {};
      for (const [h, mask] of inUse) out[String(h.hartId)] = mask;
      return out;
    },
    restoreAllocations(saved, harts) {
      inUse.clear();
      for (const [id, mask] of Object.entries(saved)) {
        const h = harts[Number(id)];
        if (h === undefined || typeof mask !== 'number' || (mask | 0) !== mask)
          throw new Error(`SBI PMU allocation for hart '${id}' does not fit this machine`);
        inUse.set(h, mask);
      }
    },
    eid: EID_PMU,
    name: 'pmu',
    probe: () => 1,
    call(c) {
      const h = c.hart;
      switch (c.fid) {
        case FID_NUM_COUNTERS:
          return ok(NUM_COUNTERS);
        case FID_COUNTER_GET_INFO: {
          const idx = c.arg(0);
          if (!exists(h, idx)) return err(SBI_ERR_INVALID_PARAM);
          // csr[11:0], width - 1 in [17:12] (all are 64-bit), type 0 (hardware) in bit XLEN-1.
          return ok((C.CSR_CYCLE + idx) | (63 << 12));
        }
        case FID_CONFIG_MATCHING:
          return configMatching(c, inUse);
        case FID_COUNTER_START:
          return startStop(c, inUse, true);
        case FID_COUNTER_STOP:
          return startStop(c, inUse, false);
        case FID_FW_READ:
        case FID_FW_READ_HI:
          return err(SBI_ERR_INVALID_PARAM); // no firmware counters
        default:
          return err(SBI_ERR_NOT_SUPPORTED);
      }
    },
  };
}

function exists(h: RiscvHart, idx: number): boolean {
  if (!Number.isInteger(idx) || idx >= NUM_COUNTERS || idx === TIME) return false;
  return idx < 3 || h.isa.has('zihpm');
}

/** The counters (counter_idx_base, counter_idx_mask) name, or undefined if one does not exist. */
function named(c: SbiCall): number[] | undefined {
  const base = c.arg(0);
  const out: number[] = [];
  for (let bit = 0; bit < 64; bit++) {
    const w = bit < 32 ? c.argLo(1) : c.argHi(1);
    if (((w >>> (bit & 31)) & 1) === 0) continue;
    const idx = base + bit;
    if (!exists(c.hart, idx)) return undefined;
    out.push(idx);
  }
  return out;
}

function configMatching(c: SbiCall, inUse: Map<RiscvHart, number>): ReturnType<SbiExtension['call']> {
  const h = c.hart;
  const flags = c.argLo(2);
  const eventIdx = c.argLo(3);
  const type = (eventIdx >>> 16) & 0xf;
  const code = eventIdx & 0xffff;
  let select: bigint;
  if (type === TYPE_HW && code === HW_CPU_CYCLES) select = HPM_EVENT_CYCLES;
  else if (type === TYPE_HW && code === HW_INSTRUCTIONS) select = HPM_EVENT_INSTRET;
  else if (type === TYPE_RAW)
    select = BigInt.asUintN(64, (BigInt(c.argHi(4)) << 32n) | BigInt(c.argLo(4) >>> 0)) & RAW_SELECT;
  else return err(SBI_ERR_NOT_SUPPORTED);
  const candidates = named(c);
  if (candidates === undefined || candidates.length === 0) return err(SBI_ERR_INVALID_PARAM);
  const used = inUse.get(h) ?? 0;
  const filtered = (flags & CFG_INHIBIT_MASK) !== 0;
  const fixed = select === HPM_EVENT_CYCLES ? CYCLE : select === HPM_EVENT_INSTRET ? INSTRET : -1;
  let idx: number | undefined;
  if ((flags & CFG_SKIP_MATCH) !== 0) idx = candidates[0];
  else {
    // cycle and instret cannot filter by mode (no Smcntrpmf): only an unfiltered request may
    // have one, and it gets it first, keeping the programmable counters for the rest.
    const free = candidates.filter((i) => ((used >>> i) & 1) === 0);
    if (!filtered && free.includes(fixed)) idx = fixed;
    else idx = free.find((i) => i >= 3);
  }
  if (idx === undefined) return err(SBI_ERR_NOT_SUPPORTED);
  setInhibit(h, idx, true);
  if (idx >= 3) {
    let event = select;
    for (let b = 0; b < CFG_INHIBITS.length; b++) if ((flags >>> (3 + b)) & 1) event |= CFG_INHIBITS[b];
    firmwareWrite(h, C.CSR_MHPMEVENT3 + idx - 3, h.isa.has('sscofpmf') ? event : select);
  }
  if ((flags & CFG_CLEAR_VALUE) !== 0) firmwareWrite(h, C.CSR_MCYCLE + idx, 0n);
  inUse.set(h, used | (1 << idx));
  if ((flags & CFG_AUTO_START) !== 0) setInhibit(h, idx, false);
  return ok(idx);
}

function startStop(
  c: SbiCall,
  inUse: Map<RiscvHart, number>,
  start: boolean,
): ReturnType<SbiExtension['call']> {
  const h = c.hart;
  const counters = named(c);
  if (counters === undefined) return err(SBI_ERR_INVALID_PARAM);
  const flags = c.argLo(2);
  const inhibit = Number(firmwareRead(h, C.CSR_MCOUNTINHIBIT) ?? 0n);
  for (const idx of counters) {
    const stopped = ((inhibit >>> idx) & 1) !== 0;
    if (start && !stopped) return err(SBI_ERR_ALREADY_STARTED);
    if (!start && stopped) return err(SBI_ERR_ALREADY_STOPPED);
  }
  for (const idx of counters) {
    if (start) {
      if ((flags & START_SET_INIT_VALUE) !== 0) {
        const v = BigInt.asUintN(64, (BigInt(c.argHi(3)) << 32n) | BigInt(c.argLo(3) >>> 0));
        firmwareWrite(h, C.CSR_MCYCLE + idx, v);
      }
      // A restarted counter may overflow again: its OF goes, as the overflow handler expects.
      if (idx >= 3) {
        const csr = C.CSR_MHPMEVENT3 + idx - 3;
        firmwareWrite(h, csr, (firmwareRead(h, csr) ?? 0n) & ~EVENT_OF);
      }
      setInhibit(h, idx, false);
    } else {
      setInhibit(h, idx, true);
      if ((flags & STOP_RESET) !== 0) {
        inUse.set(h, (inUse.get(h) ?? 0) & ~(1 << idx));
        if (idx >= 3) firmwareWrite(h, C.CSR_MHPMEVENT3 + idx - 3, 0n);
      }
    }
  }
  return okWide(0, 0);
}

function setInhibit(h: RiscvHart, idx: number, on: boolean): void {
  const v = firmwareRead(h, C.CSR_MCOUNTINHIBIT) ?? 0n;
  const bit = 1n << BigInt(idx);
  firmwareWrite(h, C.CSR_MCOUNTINHIBIT, on ? v | bit : v & ~bit);
}
