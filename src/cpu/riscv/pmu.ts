// The programmable counters mhpmcounter3..31 (Zihpm) and Sscofpmf: per-mode filtering, the
// overflow flag mhpmevent.OF, scountovf, and the local counter-overflow interrupt (LCOFI, 13).
// Two events count, with the encodings QEMU's virt machine gives them (its device tree tells
// firmware so): 1, cycles, and 2, instructions retired. tsvirt's cycles are its instructions,
// as mcycle is minstret here.

/** mhpmevent values that count. */
export const HPM_EVENT_CYCLES = 1n;
export const HPM_EVENT_INSTRET = 2n;

/** Sscofpmf's mhpmevent bits. */
export const EVENT_OF = 1n << 63n;
export const EVENT_MINH = 1n << 62n;
export const EVENT_SINH = 1n << 61n;
export const EVENT_UINH = 1n << 60n;
export const EVENT_VSINH = 1n << 59n;
export const EVENT_VUINH = 1n << 58n;
/** The event selector: what lies below Sscofpmf's bits. */
const EVENT_SELECT = (1n << 56n) - 1n;

/** Privilege modes as the inhibit bits see them. */
export const enum PmuMode {
  M,
  S,
  U,
  VS,
  VU,
}
/** The mode of a hart at privilege `priv` (0 U, 1 S, 3 M) with V = `virt`. */
export function pmuMode(h: { priv: number; hyp: { virt: boolean } }): PmuMode {
  if (h.priv === 3) return PmuMode.M;
  if (h.hyp.virt) return h.priv === 1 ? PmuMode.VS : PmuMode.VU;
  return h.priv === 1 ? PmuMode.S : PmuMode.U;
}
const INHIBIT = [EVENT_MINH, EVENT_SINH, EVENT_UINH, EVENT_VSINH, EVENT_VUINH];

/** A Pmu's state in a snapshot: per counter (29), 64-bit values as decimal strings. */
export interface PmuState {
  event: string[];
  offset: string[];
  frozen: string[];
  running: boolean[];
  mode: PmuMode;
  inhibit: number;
}

/** First programmable counter's number, and how many there are (3..31). */
export const HPM_FIRST = 3;
export const HPM_COUNT = 29;
const MOD = 1n << 64n;

/**
 * The counters of one hart. Values are kept as `retired + offset` (mod 2^64) while a counter
 * counts and as a frozen value while it does not, so nothing is done per instruction; a change of
 * mode, inhibit or event re-decides which count (`sync`). `at` arguments are the instruction count
 * the change takes effect at (a CSR write's own instruction is not counted, as for minstret).
 */
export class Pmu {
  private readonly event = new Array<bigint>(HPM_COUNT).fill(0n);
  private readonly offset = new Array<bigint>(HPM_COUNT).fill(0n);
  private readonly frozen = new Array<bigint>(HPM_COUNT).fill(0n);
  private readonly running = new Array<boolean>(HPM_COUNT).fill(false);
  /** The instruction count at which each counting counter next wraps to 0. */
  private readonly wrapAt = new Array<number>(HPM_COUNT).fill(Infinity);
  /** The instruction count at which a counting counter with OF clear wraps first (or Infinity). */
  nextOverflow = Infinity;
  /** Whether any counter may count: only then do mode changes need a look. */
  active = false;
  private mode = PmuMode.M;
  private inhibit = 0;

  constructor(
    /** Sscofpmf: the top six bits of mhpmevent are OF and the inhibits rather than the selector. */
    private readonly sscofpmf: boolean,
    private readonly hasH: boolean,
  ) {}

  /** Every event 0 (nothing counts), every counter 0. */
  reset(): void {
    this.event.fill(0n);
    this.frozen.fill(0n);
    this.running.fill(false);
    this.wrapAt.fill(Infinity);
    this.nextOverflow = Infinity;
    this.active = false;
  }

  /** mhpmcounter(3 + i). */
  value(i: number, at: number): bigint {
    return this.running[i] ? BigInt.asUintN(64, BigInt(at) + this.offset[i]) : this.frozen[i];
  }

  setValue(i: number, v: bigint, at: number): void {
    if (this.running[i]) this.offset[i] = BigInt.asUintN(64, v - BigInt(at));
    else this.frozen[i] = BigInt.asUintN(64, v);
    this.rearm(at);
  }

  /** mhpmevent(3 + i). */
  eventOf(i: number): bigint {
    return this.event[i];
  }

  /** `mode`: the hart's mode now (the last one seen is stale while no counter counts). */
  setEvent(i: number, v: bigint, mode: PmuMode, at: number): void {
    // WARL: VSINH and VUINH are read-only zero without H.
    if (this.sscofpmf && !this.hasH) v &= ~(EVENT_VSINH | EVENT_VUINH);
    this.event[i] = BigInt.asUintN(64, v);
    this.sync(mode, this.inhibit, at);
  }

  /** scountovf's bits before the counter-enable masks: OF of each counter, at its own bit. */
  overflowBits(): number {
    let bits = 0;
    if (!this.sscofpmf) return 0;
    for (let i = 0; i < HPM_COUNT; i++) if ((this.event[i] & EVENT_OF) !== 0n) bits |= 1 << (HPM_FIRST + i);
    return bits;
  }

  private counts(i: number): boolean {
    if ((this.inhibit >>> (HPM_FIRST + i)) & 1) return false;
    const e = this.event[i];
    const select = this.sscofpmf ? e & EVENT_SELECT : e;
    if (select !== HPM_EVENT_CYCLES && select !== HPM_EVENT_INSTRET) return false;
    return !this.sscofpmf || (e & INHIBIT[this.mode]) === 0n;
  }

  /** The mode or mcountinhibit changed (or an event did): start and stop counters at `at`. */
  sync(mode: PmuMode, inhibit: number, at: number): void {
    this.mode = mode;
    this.inhibit = inhibit;
    const now = BigInt(at);
    let active = false;
    for (let i = 0; i < HPM_COUNT; i++) {
      const e = this.event[i];
      if (e !== 0n) active = true;
      const should = this.counts(i);
      if (should === this.running[i]) continue;
      if (should) this.offset[i] = BigInt.asUintN(64, this.frozen[i] - now);
      else this.frozen[i] = BigInt.asUintN(64, now + this.offset[i]);
      this.running[i] = should;
    }
    this.active = active;
    this.rearm(at);
  }

  /** A mode change: only worth the walk when some counter has an event. */
  modeChanged(mode: PmuMode, at: number): void {
    if (this.active && mode !== this.mode) this.sync(mode, this.inhibit, at);
  }

  private rearm(at: number): void {
    let next = Infinity;
    for (let i = 0; i < HPM_COUNT; i++) {
      let w = Infinity;
      if (this.sscofpmf && this.running[i] && (this.event[i] & EVENT_OF) === 0n)
        w = at + Number(MOD - this.value(i, at));
      this.wrapAt[i] = w;
      if (w < next) next = w;
    }
    this.nextOverflow = next;
  }

  /** The counters' whole state, for a snapshot (cpu/riscv/state.ts); values as decimal strings. */
  save(): PmuState {
    return {
      event: this.event.map(String),
      offset: this.offset.map(String),
      frozen: this.frozen.map(String),
      running: [...this.running],
      mode: this.mode,
      inhibit: this.inhibit,
    };
  }

  /**
   * Load `s` (from `save`, already checked for shape by the caller); `at` is the hart's restored
   * instruction count, from which the next overflow is re-armed.
   */
  restore(s: PmuState, at: number): void {
    for (let i = 0; i < HPM_COUNT; i++) {
      this.event[i] = BigInt.asUintN(64, BigInt(s.event[i]));
      this.offset[i] = BigInt.asUintN(64, BigInt(s.offset[i]));
      this.frozen[i] = BigInt.asUintN(64, BigInt(s.frozen[i]));
      this.running[i] = s.running[i];
    }
    this.mode = s.mode;
    this.inhibit = s.inhibit;
    this.active = this.event.some((e) => e !== 0n);
    this.rearm(at);
  }

  /**
   * Counters that wrapped by `at` set their OF; true when one did so from 0, which raises LCOFI
   * (Sscofpmf: the interrupt comes only with OF's change from 0 to 1).
   */
  overflow(at: number): boolean {
    let raised = false;
    for (let i = 0; i < HPM_COUNT; i++) {
      if (at < this.wrapAt[i]) continue;
      this.event[i] |= EVENT_OF;
      raised = true;
    }
    this.rearm(at);
    return raised;
  }
}
