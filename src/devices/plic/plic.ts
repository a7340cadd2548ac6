// RISC-V Platform-Level Interrupt Controller (riscv-plic-1.0.0; devicetree `sifive,plic-1.0.0`)
// with level-triggered gateways, in the standard memory map (spec "Memory Map"): priorities,
// pending bits, per-context enables, per-context threshold and claim/complete.

import type { MmioDevice } from '../../memory/bus.js';
import type { IrqLine } from '../irq.js';

/** The spec's limits: interrupt IDs 1..1023 and 15872 contexts. */
export const PLIC_MAX_SOURCES = 1023;
export const PLIC_MAX_CONTEXTS = 15872;

const PLIC_PRIORITY_BASE = 0x000000;
const PLIC_PENDING_BASE = 0x001000;
const PLIC_ENABLE_BASE = 0x002000;
/** Bytes of enable bits per context (1024 sources / 8). */
const PLIC_ENABLE_STRIDE = 0x80;
const PLIC_CONTEXT_BASE = 0x200000;
/** Bytes per context in the threshold and claim/complete block. */
const PLIC_CONTEXT_STRIDE = 0x1000;
const PLIC_CONTEXT_THRESHOLD = 0x0;
const PLIC_CONTEXT_CLAIM = 0x4;

/** Bytes of MMIO space a PLIC with `contexts` contexts decodes (the rest of the spec map is unused). */
export function plicSize(contexts: number): number {
  return PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * contexts;
}

export interface PlicOptions {
  /** Number of interrupt sources, IDs 1..numSources (the devicetree's `riscv,ndev`). */
  numSources: number;
  /**
   * One output line per context, in context order. The `virt` board uses two per hart:
   * context 2h drives hart h's MEIP, context 2h+1 its SEIP.
   */
  contexts: readonly IrqLine[];
  /** Width of the priority and threshold fields (WARL): priorities 0..2^bits-1. Default 3. */
  priorityBits?: number;
}

/** Snapshot of a {@link Plic}. */
export interface PlicState {
  version: 1;
  numSources: number;
  numContexts: number;
  /** Priority per source ID; index 0 is unused. */
  priority: number[];
  /** Pending words (bit N mod 32 of word N/32). */
  pending: number[];
  /** Enable words per context. */
  enable: number[][];
  threshold: number[];
  /** Level of each source's input line; index 0 is unused. */
  level: boolean[];
  /** Gateway has forwarded a request and waits for its completion; index 0 is unused. */
  inFlight: boolean[];
}

/** A block of the memory map: offsets [base, end), handlers get the offset relative to base. */
interface PlicRegion {
  readonly name: string;
  readonly base: number;
  readonly end: number;
  read(rel: number): number;
  write(rel: number, value: number): void;
}

export class PlicConfigError extends Error {}

/**
 * The PLIC core and its gateways. Registers are 32 bits wide; accesses of another size, unaligned
 * ones and ones to reserved or absent registers read 0 and are ignored. Each context's output is
 * re-evaluated on every change: it is high while some source is pending, enabled for the context
 * and of priority above the context's threshold.
 */
export class Plic implements MmioDevice {
  readonly numSources: number;
  readonly numContexts: number;
  private readonly maxPriority: number;
  /** 32-bit words of pending/enable bits per context. */
  private readonly words: number;
  /** Per word, the bits of sources that exist (ID 0 and IDs above numSources are hardwired 0). */
  private readonly validBits: Uint32Array;

  private readonly priority: Uint8Array;
  private readonly pending: Uint32Array;
  /** Enable words of context c at [c * words, (c + 1) * words). */
  private readonly enable: Uint32Array;
  private readonly threshold: Uint8Array;
  private readonly level: Uint8Array;
  private readonly inFlight: Uint8Array;
  private readonly outputs: readonly IrqLine[];
  private readonly outputLevel: Uint8Array;
  private readonly sourceLines: IrqLine[] = [];

  private readonly regions: readonly PlicRegion[];

  constructor(opts: PlicOptions) {
    const n = opts.numSources;
    const c = opts.contexts.length;
    const bits = opts.priorityBits ?? 3;
    if (!Number.isInteger(n) || n < 1 || n > PLIC_MAX_SOURCES)
      throw new PlicConfigError(`PLIC source count ${n} is outside 1..${PLIC_MAX_SOURCES}`);
    if (c < 1 || c > PLIC_MAX_CONTEXTS)
      throw new PlicConfigError(`PLIC context count ${c} is outside 1..${PLIC_MAX_CONTEXTS}`);
    if (!Number.isInteger(bits) || bits < 1 || bits > 8)
      throw new PlicConfigError(`PLIC priority width ${bits} bits is outside 1..8`);
    this.numSources = n;
    this.numContexts = c;
    this.maxPriority = (1 << bits) - 1;
    this.words = (n >>> 5) + 1;
    this.validBits = new Uint32Array(this.words);
    for (let id = 1; id <= n; id++) this.validBits[id >>> 5] |= 1 << (id & 31);
    this.priority = new Uint8Array(n + 1);
    this.pending = new Uint32Array(this.words);
    this.enable = new Uint32Array(this.words * c);
    this.threshold = new Uint8Array(c);
    this.level = new Uint8Array(n + 1);
    this.inFlight = new Uint8Array(n + 1);
    this.outputs = [...opts.contexts];
    this.outputLevel = new Uint8Array(c);

    const contextsEnd = plicSize(c);
    this.regions = [
      {
        name: 'priority',
        base: PLIC_PRIORITY_BASE,
        end: PLIC_PRIORITY_BASE + 4 * (n + 1),
        read: (rel) => this.priority[rel >>> 2],
        write: (rel, v) => this.writePriority(rel >>> 2, v),
      },
      {
        name: 'pending',
        base: PLIC_PENDING_BASE,
        end: PLIC_PENDING_BASE + 4 * this.words,
        read: (rel) => this.pending[rel >>> 2],
        // Read-only: a pending bit is cleared only by a claim.
        write: () => {},
      },
      {
        name: 'enable',
        base: PLIC_ENABLE_BASE,
        end: PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * c,
        read: (rel) => this.readEnable(rel),
        write: (rel, v) => this.writeEnable(rel, v),
      },
      {
        name: 'context',
        base: PLIC_CONTEXT_BASE,
        end: contextsEnd,
        read: (rel) => this.readContext(rel),
        write: (rel, v) => this.writeContext(rel, v),
      },
    ];
  }

  /**
   * The input line of source `id` (1..numSources), a level-triggered gateway: the first
   * assertion makes the source pending; no further request is forwarded until the source is
   * completed, after which a still-asserted level makes it pending again. Deasserting does not
   * retract a pending request (spec "Interrupt Gateways").
   */
  source(id: number): IrqLine {
    if (!Number.isInteger(id) || id < 1 || id > this.numSources)
      throw new PlicConfigError(`PLIC source ${id} does not exist (sources are 1..${this.numSources})`);
    let line = this.sourceLines[id];
    if (line === undefined) {
      line = { set: (level) => this.setSourceLevel(id, level) };
      this.sourceLines[id] = line;
    }
    return line;
  }

  read(offset: number, size: number): number {
    const r = this.region(offset, size);
    return r === undefined ? 0 : r.read(offset - r.base) >>> 0;
  }

  write(offset: number, size: number, value: number): void {
    const r = this.region(offset, size);
    if (r !== undefined) r.write(offset - r.base, value >>> 0);
  }

  private region(offset: number, size: number): PlicRegion | undefined {
    if (size !== 4 || !Number.isInteger(offset) || offset & 3) return undefined;
    for (const r of this.regions) if (offset >= r.base && offset < r.end) return r;
    return undefined;
  }

  // --- Gateways ---

  private setSourceLevel(id: number, level: boolean): void {
    this.level[id] = level ? 1 : 0;
    if (level && !this.inFlight[id]) this.forward(id);
  }

  /** The gateway forwards a request: the source becomes pending until claimed. */
  private forward(id: number): void {
    this.inFlight[id] = 1;
    this.pending[id >>> 5] |= 1 << (id & 31);
    this.update();
  }

  // --- Registers ---

  private writePriority(id: number, value: number): void {
    if (id === 0) return; // source 0 does not exist
    this.priority[id] = value & this.maxPriority;
    this.update();
  }

  private readEnable(rel: number): number {
    const ctx = Math.floor(rel / PLIC_ENABLE_STRIDE);
    const w = (rel % PLIC_ENABLE_STRIDE) >>> 2;
    return w < this.words ? this.enable[ctx * this.words + w] : 0;
  }

  private writeEnable(rel: number, value: number): void {
    const ctx = Math.floor(rel / PLIC_ENABLE_STRIDE);
    const w = (rel % PLIC_ENABLE_STRIDE) >>> 2;
    if (w >= this.words) return;
    this.enable[ctx * this.words + w] = value & this.validBits[w];
    this.update();
  }

  private readContext(rel: number): number {
    const ctx = Math.floor(rel / PLIC_CONTEXT_STRIDE);
    switch (rel % PLIC_CONTEXT_STRIDE) {
      case PLIC_CONTEXT_THRESHOLD:
        return this.threshold[ctx];
      case PLIC_CONTEXT_CLAIM:
        return this.claim(ctx);
      default:
        return 0;
    }
  }

  private writeContext(rel: number, value: number): void {
    const ctx = Math.floor(rel / PLIC_CONTEXT_STRIDE);
    switch (rel % PLIC_CONTEXT_STRIDE) {
      case PLIC_CONTEXT_THRESHOLD:
        this.threshold[ctx] = value & this.maxPriority;
        this.update();
        break;
      case PLIC_CONTEXT_CLAIM:
        this.complete(ctx, value);
        break;
    }
  }

  private isEnabled(ctx: number, id: number): boolean {
    return ((this.enable[ctx * this.words + (id >>> 5)] >>> (id & 31)) & 1) !== 0;
  }

  /**
   * The highest-priority pending source enabled for `ctx` (ties: lowest ID), or 0. Priority 0
   * means "never interrupt". The threshold is not consulted: the spec says a claim is not
   * affected by it ("Interrupt Claim Process").
   */
  private best(ctx: number): number {
    let bestId = 0;
    let bestPriority = 0;
    const base = ctx * this.words;
    for (let w = 0; w < this.words; w++) {
      let bits = this.pending[w] & this.enable[base + w];
      while (bits !== 0) {
        const b = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const id = w * 32 + b;
        // Strictly greater: scanning in ascending ID order keeps the lowest ID on a tie.
        if (this.priority[id] > bestPriority) {
          bestPriority = this.priority[id];
          bestId = id;
        }
      }
    }
    return bestId;
  }

  private claim(ctx: number): number {
    const id = this.best(ctx);
    if (id !== 0) {
      this.pending[id >>> 5] &= ~(1 << (id & 31));
      this.update();
    }
    return id;
  }

  /** A completion for a source not enabled for `ctx` (or not existing) is ignored (spec). */
  private complete(ctx: number, id: number): void {
    if (id < 1 || id > this.numSources || !this.isEnabled(ctx, id)) return;
    this.inFlight[id] = 0;
    if (this.level[id]) this.forward(id);
  }

  // --- Outputs ---

  /** True when `ctx` has a pending, enabled source whose priority exceeds its threshold. */
  private eip(ctx: number): boolean {
    const base = ctx * this.words;
    const thr = this.threshold[ctx];
    for (let w = 0; w < this.words; w++) {
      let bits = this.pending[w] & this.enable[base + w];
      while (bits !== 0) {
        const b = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        if (this.priority[w * 32 + b] > thr) return true;
      }
    }
    return false;
  }

  private update(force = false): void {
    for (let ctx = 0; ctx < this.numContexts; ctx++) {
      const level = this.eip(ctx) ? 1 : 0;
      if (level !== this.outputLevel[ctx] || force) {
        this.outputLevel[ctx] = level;
        this.outputs[ctx].set(level === 1);
      }
    }
  }

  // --- Snapshot ---

  save(): PlicState {
    const enable: number[][] = [];
    for (let ctx = 0; ctx < this.numContexts; ctx++)
      enable.push([...this.enable.subarray(ctx * this.words, (ctx + 1) * this.words)]);
    return {
      version: 1,
      numSources: this.numSources,
      numContexts: this.numContexts,
      priority: [...this.priority],
      pending: [...this.pending],
      enable,
      threshold: [...this.threshold],
      level: [...this.level].map((v) => v !== 0),
      inFlight: [...this.inFlight].map((v) => v !== 0),
    };
  }

  /** Load a snapshot from a PLIC of the same shape; drives every output to its restored level. */
  restore(s: PlicState): void {
    const n = this.numSources;
    if (
      s.version !== 1 ||
      s.numSources !== n ||
      s.numContexts !== this.numContexts ||
      s.priority.length !== n + 1 ||
      s.pending.length !== this.words ||
      s.enable.length !== this.numContexts ||
      s.enable.some((e) => e.length !== this.words) ||
      s.threshold.length !== this.numContexts ||
      s.level.length !== n + 1 ||
      s.inFlight.length !== n + 1
    )
      throw new PlicConfigError('PLIC state does not fit this PLIC');
    for (let id = 0; id <= n; id++) {
      this.priority[id] = id === 0 ? 0 : s.priority[id] & this.maxPriority;
      this.level[id] = id !== 0 && s.level[id] ? 1 : 0;
      this.inFlight[id] = id !== 0 && s.inFlight[id] ? 1 : 0;
    }
    for (let w = 0; w < this.words; w++) this.pending[w] = s.pending[w] & this.validBits[w];
    s.enable.forEach((words, ctx) =>
      words.forEach((v, w) => (this.enable[ctx * this.words + w] = v & this.validBits[w])),
    );
    s.threshold.forEach((v, ctx) => (this.threshold[ctx] = v & this.maxPriority));
    this.update(true);
  }
}
