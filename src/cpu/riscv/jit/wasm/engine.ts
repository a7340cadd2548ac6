// The WebAssembly translator's runtime: a dispatcher written in WebAssembly that finds the block
// for pc (instruction TLB, then a hash table in the shared memory) and calls it through a
// function table, so that hot code runs block after block without returning to JavaScript. On a
// miss it returns; JavaScript then translates the block once it is hot or interprets it.

import { fromNum, out } from '../../../../core/u64.js';
import type { GuestMemory } from '../../../../memory/guest-memory.js';
import type { Decoder } from '../../decode.js';
import type { RiscvHart } from '../../hart.js';
import { runInterpreter } from '../../interp.js';
import type { InsnSpec } from '../../isa/types.js';
import type { Breakpoints } from '../../memory.js';
import { TLB_ENTRIES } from '../../mmu.js';
import { CodeCache } from '../cache.js';
import { type Insn, MAX_BLOCK_INSNS, scanBlock, span } from '../translate.js';
import { COLD_LOCALS, coldInterpreter, DECODE_BYTES, EXPAND_BYTES, fillColdTables } from './cold.js';
import { Code, encodeModule, I32, I64, Op } from '../../../../core/wasm/encode.js';
import {
  BREAK_FILTER_BYTES,
  codePageBytes,
  HASH_BYTES,
  HASH_ENTRIES,
  HEAT_BYTES,
  LINK_BYTES,
  LINK_SLOTS,
  LINKS,
} from './layout.js';
import {
  AREA_BUDGET,
  AREA_COLD,
  AREA_FETCH_BASE,
  AREA_PC,
  AREA_DONE,
  AREA_EPOCH,
  AREA_LINK,
  AREA_RETIRED,
  AREA_STOP,
  AREA_TLB,
  TLB_OFF,
  TLB_TAG,
} from '../../area.js';
import { TYPE_BLOCK, TYPE_EXIT, TYPE_HELPER, TYPES } from './builder.js';
import { blocksModule, compileBlock } from './translate.js';

/** A translated block: its virtual pc, what its instructions cover, its slot in the function table. */
interface WasmBlock {
  readonly pc: number;
  readonly lo: number;
  readonly hi: number;
  readonly slot: number;
}

export interface WasmJitOptions {
  maxBlocks?: number;
  threshold?: number;
  /** Blocks compiled together in one module (see blocksModule). */
  batch?: number;
  /** Instructions interpreted while hot blocks wait, before a partial batch is compiled. */
  maxWait?: number;
  /** Run cold code in the dispatcher's interpreter (cold.ts), not only in JavaScript's. */
  cold?: boolean;
}

/**
 * What the helper needs of a block's instructions, kept for as long as the block may run: the
 * block's page, and for each instruction its offset in the page | length << 12, then its bits
 * (16 for a compressed one). Insn objects would be ~90 bytes each on V8's heap, ~40 MB in a
 * Debian boot; these are 8, and decoding again is cheap next to a helper call.
 */
interface Sites {
  readonly page: number;
  readonly at: Int32Array;
}

function sitesOf(insns: readonly Insn[]): Sites {
  const page = insns[0].pc - (insns[0].pc & 4095);
  const at = new Int32Array(insns.length * 2);
  insns.forEach((i, k) => {
    at[2 * k] = (i.pc & 4095) | (i.len << 12);
    at[2 * k + 1] = i.raw;
  });
  return { page, at };
}

/** Where the translator's tables are in the memory (byte offsets). */
interface HostTables {
  hash: number;
  link: number;
  decode: number;
  expand: number;
  heat: number;
  codePage: number;
  breakFilter: number;
}

/** A hot block waiting for its batch. */
interface Pending {
  readonly pc: number;
  readonly ramOff: number;
  readonly insns: Insn[];
}

/** Translated WebAssembly code for one machine (shared by its harts). */
export class WasmJit {
  readonly cache: CodeCache<WasmBlock>;
  private readonly table: WebAssembly.Table;
  private readonly dispatch: (area: number, budget: number, coldMax: number) => number;
  /** Instructions the cold interpreter runs per call (0: none). */
  private readonly coldMax: number;
  private readonly freeSlots: number[] = [];
  /**
   * The instructions of the block in each table slot, for the helper (translate.ts `siteOf`).
   * Kept after the block is dropped: it may still be running, and the slot's next block
   * replaces them.
   */
  private readonly sites: (Sites | undefined)[] = [];
  /** The decoder of the current `run` (its hart's), which the helper decodes sites with. */
  private dec: Decoder;
  private readonly hashAt: number;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;
  private readonly imports: WebAssembly.Imports;
  /** The hart running WebAssembly now (helpers act on it). */
  private cur: RiscvHart | undefined = undefined;
  /** Set by a helper that left pc where an i64 cannot say it (an address beyond 2^53). */
  private wildPc = false;
  private pending: Pending[] = [];
  private readonly pendingAt = new Set<number>();
  /** Instructions interpreted since the oldest pending block was queued. */
  private waited = 0;
  private readonly batch: number;
  private readonly maxWait: number;
  /** Instructions the cold interpreter ran (tests read it). */
  coldInsns = 0;
  /** The dispatcher's breakpoint filter (layout.ts BREAK_FILTER_BYTES), and what it was made from. */
  private readonly breakFilter: Uint8Array;
  private filterOf: Breakpoints | undefined = undefined;
  private filterVersion = 0;

  /** Undefined when the machine's RAM is not in a WebAssembly memory. */
  static create(mem: GuestMemory, dec: Decoder, opts: WasmJitOptions = {}): WasmJit | undefined {
    const at: HostTables = {
      hash: mem.allocHost(HASH_BYTES),
      link: mem.allocHost(LINK_BYTES),
      decode: mem.allocHost(DECODE_BYTES),
      expand: mem.allocHost(EXPAND_BYTES),
      heat: mem.allocHost(HEAT_BYTES),
      codePage: mem.allocHost(codePageBytes(mem.sizeBytes)),
      breakFilter: mem.allocHost(BREAK_FILTER_BYTES),
    };
    if (mem.wasm === undefined || Object.values(at).some((a) => a < 0)) return undefined;
    return new WasmJit(mem, mem.wasm, at, dec, opts);
  }

  private readonly linkAt: number;

  /** The decoder the cold interpreter's tables were made from (its harts'). */
  private readonly coldDecoder: Decoder;

  private constructor(
    mem: GuestMemory,
    wasmMem: WebAssembly.Memory,
    at: HostTables,
    dec: Decoder,
    opts: WasmJitOptions,
  ) {
    this.dec = this.coldDecoder = dec;
    const buf = wasmMem.buffer;
    // A block is compiled after 512 executions of its start. Cold code runs in WebAssembly too
    // (cold.ts), so waiting longer costs little, and compiling (~60 us a block) much: in a Debian
    // boot the emulation thread's time was 0.97x at 128 than at 64, then 0.97x at 256, 0.98x at
    // 512, the same at 1024 and 1.01x at 2048. (Before the cold interpreter, 64 was best.)
    const threshold = opts.threshold ?? 512;
    this.cache = new CodeCache<WasmBlock>(mem.sizeBytes, opts.maxBlocks, threshold, {
      codePage: new Uint8Array(buf, at.codePage, codePageBytes(mem.sizeBytes)),
      heat: new Uint16Array(buf, at.heat, HEAT_BYTES / 2),
    });
    fillColdTables(buf, at.decode, at.expand, dec);
    this.coldMax = (opts.cold ?? true) ? MAX_BLOCK_INSNS : 0;
    this.linkAt = at.link;
    const hashAt = at.hash;
    this.cache.onDrop = (ramOff, b) => this.drop(ramOff, b);
    this.batch = opts.batch ?? 256;
    // A module costs V8 more than its functions: in a Debian boot, waiting 100 k interpreted
    // instructions rather than 20 k made 194 modules instead of 473 and interpreted 18 M
    // instructions instead of 12 M, for 0.96x the main thread's CPU time.
    this.maxWait = opts.maxWait ?? 100_000;
    this.hashAt = hashAt;
    this.breakFilter = new Uint8Array(buf, at.breakFilter, BREAK_FILTER_BYTES);
    this.i32 = new Int32Array(wasmMem.buffer);
    this.f64 = new Float64Array(wasmMem.buffer);
    // Every entry starts empty: no RAM offset is -1. (The table is past RAM, beyond 2 GiB with
    // 2 GiB of RAM: an unsigned shift.)
    for (let e = 0; e < HASH_ENTRIES; e++) this.i32[(hashAt >>> 2) + e * 4 + 2] = -1;
    this.table = new WebAssembly.Table({ element: 'anyfunc', initial: 0 });
    const inst = new WebAssembly.Instance(
      new WebAssembly.Module(dispatcherModule(at, threshold, dec.insns)),
      {
        e: { mem: wasmMem, tab: this.table, helper: this.helper },
      },
    );
    this.dispatch = inst.exports.run as (area: number, budget: number, coldMax: number) => number;
    // The helper and the exit (translate.ts F_HELPER, F_EXIT), imported by every block module.
    const fn = (name: string): WebAssembly.ImportValue => inst.exports[name] as WebAssembly.ImportValue;
    this.imports = { e: { mem: wasmMem, helper: fn('helper'), exit: fn('exit') } };
  }

  /** Attach the harts: their TLBs must drop writable mappings of code pages. */
  attach(h: RiscvHart): void {
    h.codeCache = this.cache;
    this.cache.attach(h.tlb);
  }

  /**
   * Runs one instruction that has no WebAssembly emitter (or whose fast path failed) with the
   * interpreter's semantics. `k` instructions of the block retired before it.
   */
  private readonly helper = (site: number, k: number): number => {
    const h = this.cur as RiscvHart;
    const sites = this.sites[Math.floor(site / MAX_BLOCK_INSNS)] as Sites;
    const k2 = (site % MAX_BLOCK_INSNS) * 2;
    const where = sites.at[k2];
    const raw = sites.at[k2 + 1];
    const len = where >>> 12;
    const pc = sites.page + (where & 4095);
    const word = len === 2 ? this.dec.expand(raw) : raw;
    const spec = this.dec.find(word) as InsnSpec;
    h.pc = pc;
    h.npc = pc + len;
    h.insnBits = raw;
    const ends = spec.facts.endsBlock;
    // Only system instructions read minstret/mcycle (and they end blocks).
    if (ends) h.retired = this.f64[(h.area + AREA_RETIRED) >>> 3] + this.i32[(h.area + AREA_DONE) >>> 2] + k;
    spec.exec(h, word);
    h.syncFpMode();
    // Go on (0), or leave with the instructions the block executed, this one included.
    let leave = 0;
    if (h.trapped) {
      h.trapped = false;
      leave = k + 1;
      // The block counts it as executed, and so does the dispatcher: take it off the base.
      this.f64[(h.area + AREA_RETIRED) >>> 3] -= 1;
    } else if (h.yieldLoop) leave = k + 1;
    const next = h.npc;
    if (Number.isNaN(next)) {
      // A jump beyond 2^53: JavaScript keeps the pc; the interpreter raises the fetch fault.
      h.pc = next;
      this.wildPc = true;
      this.i32[(h.area + AREA_STOP) >>> 2] = 1;
      return k + 1;
    }
    // The block continues after an instruction that does not end it, unless it stopped.
    if (ends || leave !== 0) this.setPc(h, next);
    if (h.yieldLoop) this.i32[(h.area + AREA_STOP) >>> 2] = 1;
    return leave;
  };

  private setPc(h: RiscvHart, pc: number): void {
    const at = (h.area + AREA_PC) >>> 2;
    this.i32[at] = fromNum(pc);
    this.i32[at + 1] = out.hi;
  }

  private getPc(h: RiscvHart): number {
    const at = (h.area + AREA_PC) >>> 2;
    return this.i32[at + 1] * 4294967296 + (this.i32[at] >>> 0);
  }

  /**
   * Run about `budget` instructions on `h`: WebAssembly while blocks are found, the interpreter
   * for cold code. Stops early when an instruction asks the loop to re-examine interrupts.
   */
  run(h: RiscvHart, budget: number): number {
    const dec = h.decoder;
    const tlb = h.tlb;
    const u16 = h.mem.halfwords;
    const read = (off: number): number => u16[off >>> 1];
    const stop = (h.area + AREA_STOP) >>> 2;
    const retired = (h.area + AREA_RETIRED) >>> 3;
    const coldRan = (h.area + AREA_COLD) >>> 2;
    // The cold interpreter decodes with its own tables: only for harts of the same decoder. It
    // knows nothing of a debugger's breakpoints: it leaves pages that may hold one to the
    // JavaScript interpreter, which stops before them (translated blocks end before them).
    const coldMax = dec === this.coldDecoder ? this.coldMax : 0;
    const breakpoints = h.breakpoints;
    if (
      breakpoints !== this.filterOf ||
      (breakpoints !== undefined && breakpoints.version !== this.filterVersion)
    )
      this.fillBreakFilter(breakpoints);
    let n = 0;
    let installed = NaN;
    h.yieldLoop = false;
    this.cur = h;
    this.dec = dec;
    while (n < budget) {
      if (!Number.isNaN(h.pc)) {
        this.setPc(h, h.pc);
        this.i32[stop] = 0;
        this.f64[retired] = h.retired;
        h.syncFpMode();
        this.wildPc = false;
        const r = this.dispatch(h.area, budget - n, coldMax);
        n += r;
        h.retired = this.f64[retired] + r;
        if (!this.wildPc) h.pc = this.getPc(h);
        const cold = this.i32[coldRan];
        this.cache.translatedInsns += r - cold;
        if (cold !== 0) {
          this.i32[coldRan] = 0;
          this.coldInsns += cold;
          if (this.pending.length > 0) {
            this.waited += cold;
            if (this.waited >= this.maxWait) this.compilePending(read);
          }
        }
        if (h.yieldLoop || n >= budget) break;
        if (r === 0 && h.pc === installed) installed = NaN;
        else {
          // A miss: find or make the block, unless it was just installed and still missed.
          const pc = h.pc;
          const pgoff = pc & 4095;
          const idx = h.fetchBase + ((pc >>> 12) & (TLB_ENTRIES - 1));
          if (tlb.tag[idx] === pc - pgoff) {
            const ramOff = tlb.off[idx] + pgoff;
            let b = this.cache.get(ramOff, pc);
            // Counted even while the block waits for its batch: that starts the dispatcher's
            // count (the same counters) again, rather than sending every run here.
            if (
              b === undefined &&
              this.cache.hot(ramOff) &&
              !(this.pending.length > 0 && this.pendingAt.has(ramOff))
            ) {
              this.enqueue(pc, ramOff, read, dec, h.breakpoints);
              b = this.cache.get(ramOff, pc);
            }
            if (b !== undefined) {
              this.install(ramOff, b);
              installed = pc;
              continue;
            }
          }
        }
      }
      // A TLB miss, a page crossing, an instruction the cold interpreter does not run, a block
      // that left before a load or store's slow path, or cold code: interpret. With the cold
      // interpreter, one instruction, and the rest of the basic block back in WebAssembly (in a
      // Debian boot, 0.97x the time of interpreting to its end here); without, to its end.
      const alone = coldMax === 0 || (breakpoints !== undefined && breakpoints.inPage(h.pc - (h.pc & 4095)));
      const m = runInterpreter(h, alone ? Math.min(MAX_BLOCK_INSNS, budget - n) : 1, true);
      n += m;
      if (this.pending.length > 0) {
        this.waited += m;
        if (this.waited >= this.maxWait) this.compilePending(read);
      }
      if (h.yieldLoop) break;
    }
    this.cur = undefined;
    return n;
  }

  /** Mark the pages of `breakpoints` in the dispatcher's filter. */
  private fillBreakFilter(breakpoints: Breakpoints | undefined): void {
    this.breakFilter.fill(0);
    if (breakpoints !== undefined)
      for (const page of breakpoints.pages()) this.breakFilter[(page / 4096) & (BREAK_FILTER_BYTES - 1)] = 1;
    this.filterOf = breakpoints;
    this.filterVersion = breakpoints?.version ?? 0;
  }

  /**
   * Queue the block at `pc` for translation, ending before any of `breakpoints`; compile the batch
   * when it is full.
   */
  private enqueue(
    pc: number,
    ramOff: number,
    read: (off: number) => number,
    dec: Decoder,
    breakpoints: Breakpoints | undefined,
  ): void {
    const insns = scanBlock(pc, ramOff, read, dec, true, breakpoints);
    if (insns.length === 0) return;
    if (this.pending.length === 0) this.waited = 0;
    this.pending.push({ pc, ramOff, insns });
    this.pendingAt.add(ramOff);
    if (this.pending.length >= this.batch) this.compilePending(read);
  }

  /** Compile every pending block whose bytes are still those it was scanned from. */
  private compilePending(read: (off: number) => number): void {
    // Until a block is in the cache its page is not watched, so a store may have changed it; and
    // a debugger may have set a breakpoint in it since it was scanned (it then ends before it).
    const breakpoints = this.cur?.breakpoints;
    const ok = this.pending.filter((p) => {
      if (breakpoints !== undefined) {
        const cut = p.insns.findIndex((i) => breakpoints.has(i.pc));
        if (cut >= 0) p.insns.length = cut;
      }
      return (
        p.insns.length > 0 &&
        p.insns.every((i) => {
          const off = p.ramOff + (i.pc - p.pc);
          const now = i.len === 2 ? read(off) : read(off) | (read(off + 2) << 16);
          return now === (i.len === 2 ? i.raw : i.raw | 0);
        })
      );
    });
    this.pending = [];
    this.pendingAt.clear();
    if (ok.length === 0) return;
    // Slots first: a block's link cells, which its exits read, belong to its slot.
    const slots = ok.map(() => this.freeSlots.pop() ?? this.table.grow(1));
    const bodies = ok.map((p, k) => {
      this.sites[slots[k]] = sitesOf(p.insns);
      return compileBlock(
        p.insns,
        slots[k],
        slots[k] < LINK_SLOTS ? this.linkAt + slots[k] * LINKS * 16 : -1,
      );
    });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(blocksModule(bodies)), this.imports);
    ok.forEach((p, k) => {
      this.clearLinks(slots[k]);
      this.table.set(slots[k], inst.exports[`b${k}`]);
      const [lo, hi] = span(p.insns);
      const b = { pc: p.pc, lo, hi, slot: slots[k] };
      this.cache.put(p.ramOff, b);
      // Entered now: the dispatcher would run the block's code cold until it came back here.
      this.install(p.ramOff, b);
    });
  }

  private entry(ramOff: number): number {
    return (this.hashAt >>> 2) + ((ramOff >>> 1) & (HASH_ENTRIES - 1)) * 4;
  }

  /** Enter `b` in the dispatcher's table (replacing whatever shared its entry). */
  private install(ramOff: number, b: WasmBlock): void {
    const e = this.entry(ramOff);
    this.i32[e] = fromNum(b.pc);
    this.i32[e + 1] = out.hi;
    this.i32[e + 2] = ramOff;
    this.i32[e + 3] = b.slot;
  }

  private drop(ramOff: number, b: WasmBlock): void {
    const e = this.entry(ramOff);
    if (this.i32[e + 2] === ramOff && this.i32[e + 3] === b.slot) this.i32[e + 2] = -1;
    this.table.set(b.slot, null);
    this.freeSlots.push(b.slot);
    this.clearLinks(b.slot);
  }

  /**
   * Void the link cells of a table slot (epoch 0 is never current): when its block is dropped, and
   * again when a new block takes the slot, because the dispatcher may link the exit a block took
   * after that block dropped itself (a store to its own page).
   */
  private clearLinks(slot: number): void {
    if (slot < LINK_SLOTS)
      for (let k = 0; k < LINKS; k++) this.f64[(this.linkAt + (slot * LINKS + k) * 16) >>> 3] = 0;
  }
}

/**
 * The dispatcher: run(area, budget, coldMax) -> instructions executed; returns on a miss or a
 * stop. It finds the block for pc (instruction TLB, then the hash table) and calls it. Blocks chain
 * to the next block themselves through link cells (layout.ts) with tail calls while the budget
 * lasts; a block that could not leaves its exit's cell in AREA_LINK, and the dispatcher fills that
 * cell with the block it finds, for this TLB epoch and fetch context. Where no block is found it
 * counts the start's executions (as CodeCache.hot, in the same counters) and runs the basic block
 * with the cold interpreter (cold.ts, up to coldMax instructions); it returns to JavaScript when
 * the start is hot, when the cold interpreter cannot run its first instruction, and when the
 * entry holds another block and pc's page has translations (the block may be in the cache).
 */
function dispatcherModule(at: HostTables, threshold: number, insns: readonly InsnSpec[]): Uint8Array {
  const H = 0,
    BUDGET = 1,
    COLD = 2,
    N = 3,
    PC = 4,
    TI = 5,
    RO = 6,
    E = 7,
    CELL = 8,
    NEXT = 9,
    HK = 10,
    R = 11;
  const F_COLD = 4;
  const c = new Code();
  const leave = (): void => {
    c.begin(Op.if).get(N).op(Op.return).op(Op.end);
  };
  c.get(H).get(BUDGET).mem(Op.i32_store, AREA_BUDGET);
  c.get(H).i32(0).mem(Op.i32_store, AREA_LINK);
  c.begin(Op.loop);
  const loop = c.depth;
  c.get(N).get(BUDGET).op(Op.i32_ge_s);
  leave();
  c.get(H).mem(Op.i32_load, AREA_LINK).set(CELL);
  c.get(H).mem(Op.i64_load, AREA_PC).set(PC);
  // The instruction TLB entry for pc.
  c.get(H).mem(Op.i32_load, AREA_FETCH_BASE);
  c.get(PC)
    .op(Op.i32_wrap_i64)
    .i32(12)
    .op(Op.i32_shr_u)
    .i32(TLB_ENTRIES - 1)
    .op(Op.i32_and)
    .op(Op.i32_add);
  c.i32(4)
    .op(Op.i32_shl)
    .get(H)
    .op(Op.i32_add)
    .tee(TI)
    .mem(Op.i64_load, AREA_TLB + TLB_TAG);
  c.get(PC).i64(-4096).op(Op.i64_and).op(Op.i64_ne);
  leave();
  // The block whose code is at that RAM offset, if it was made for this pc.
  c.get(TI).mem(Op.i32_load, AREA_TLB + TLB_OFF);
  c.get(PC).op(Op.i32_wrap_i64).i32(4095).op(Op.i32_and).op(Op.i32_add).tee(RO);
  c.i32(1)
    .op(Op.i32_shr_u)
    .i32(HASH_ENTRIES - 1)
    .op(Op.i32_and)
    .i32(4)
    .op(Op.i32_shl)
    .i32(at.hash)
    .op(Op.i32_add)
    .tee(E);
  c.mem(Op.i32_load, 8).get(RO).op(Op.i32_ne);
  c.get(E).mem(Op.i64_load, 0).get(PC).op(Op.i64_ne);
  c.op(Op.i32_or).begin(Op.if);
  {
    c.get(COLD).op(Op.i32_eqz);
    leave();
    // A page that may hold a debugger's breakpoint: JavaScript interprets it.
    c.get(PC)
      .i64(12)
      .op(Op.i64_shr_u)
      .op(Op.i32_wrap_i64)
      .i32(BREAK_FILTER_BYTES - 1)
      .op(Op.i32_and)
      .mem(Op.i32_load8_u, at.breakFilter);
    leave();
    c.get(E).mem(Op.i32_load, 8).i32(-1).op(Op.i32_ne);
    c.get(RO).i32(12).op(Op.i32_shr_u).mem(Op.i32_load8_u, at.codePage).op(Op.i32_and);
    leave();
    // One more execution of this start; JavaScript takes the one that makes it hot.
    c.get(RO).i32(0x9e3779b1).op(Op.i32_mul).i32(16).op(Op.i32_shr_u).i32(1).op(Op.i32_shl).tee(HK);
    c.mem(Op.i32_load16_u, at.heat).i32(1).op(Op.i32_add).tee(R).i32(threshold).op(Op.i32_ge_u);
    leave();
    c.get(HK).get(R).mem(Op.i32_store16, at.heat);
    // What runs next is not the block the last exit's cell was left for.
    c.get(H).i32(0).mem(Op.i32_store, AREA_LINK);
    c.get(H)
      .get(COLD)
      .get(BUDGET)
      .get(N)
      .op(Op.i32_sub)
      .tee(R)
      .get(COLD)
      .get(R)
      .op(Op.i32_lt_u)
      .op(Op.select);
    c.get(TI).call(F_COLD).tee(R).op(Op.i32_eqz);
    leave();
    c.get(N).get(R).op(Op.i32_add).set(N);
    c.get(H).get(H).mem(Op.i32_load, AREA_COLD).get(R).op(Op.i32_add).mem(Op.i32_store, AREA_COLD);
    c.br(Op.br, c.depth - loop);
  }
  c.op(Op.end);
  c.get(E).mem(Op.i32_load, 12).set(NEXT);
  // Link the exit the last block took to it, for this epoch and fetch context.
  c.get(CELL).begin(Op.if);
  c.get(CELL).get(H).mem(Op.f64_load, AREA_EPOCH).mem(Op.f64_store, 0);
  c.get(CELL).get(H).mem(Op.i32_load, AREA_FETCH_BASE).mem(Op.i32_store, 8);
  c.get(CELL).get(NEXT).mem(Op.i32_store, 12);
  c.get(H).i32(0).mem(Op.i32_store, AREA_LINK);
  c.op(Op.end);
  // Instructions retired = the base JavaScript left in AREA_RETIRED + those run since.
  c.get(H).get(N).mem(Op.i32_store, AREA_DONE);
  c.get(H).get(N).get(NEXT).callIndirect(TYPE_BLOCK).set(N);
  c.get(H).mem(Op.i32_load, AREA_STOP);
  leave();
  c.br(Op.br, 0).op(Op.end);
  c.get(N);
  // exit(area, pc, total, cell): see translate.ts.
  const [EH, EPC, ENX, ECELL] = [0, 1, 2, 3];
  const exit = new Code();
  exit.get(EH).get(EPC).mem(Op.i64_store, AREA_PC);
  exit.get(ENX).get(EH).mem(Op.i32_load, AREA_BUDGET).op(Op.i32_lt_u);
  exit.get(ECELL).mem(Op.f64_load, 0).get(EH).mem(Op.f64_load, AREA_EPOCH).op(Op.f64_eq).op(Op.i32_and);
  exit.get(ECELL).mem(Op.i32_load, 8).get(EH).mem(Op.i32_load, AREA_FETCH_BASE).op(Op.i32_eq).op(Op.i32_and);
  exit.begin(Op.if);
  exit.get(EH).get(ENX).mem(Op.i32_store, AREA_DONE);
  exit.get(EH).get(ENX).get(ECELL).mem(Op.i32_load, 12).callIndirect(TYPE_BLOCK, 0, true);
  exit.op(Op.end);
  exit.get(EH).get(ECELL).mem(Op.i32_store, AREA_LINK);
  exit.get(ENX);
  // The helper, passed on: blocks import it from here rather than from JavaScript.
  const helper = new Code().get(0).get(1).call(0);
  return encodeModule({
    types: [...TYPES, { params: [I32, I32, I32], results: [I32] }],
    importFuncs: [{ name: 'helper', type: TYPE_HELPER }],
    importMemory: true,
    importTable: true,
    funcs: [
      {
        type: TYPES.length,
        locals: [I32, I64, I32, I32, I32, I32, I32, I32, I32],
        code: c,
        export: 'run',
      },
      { type: TYPE_HELPER, locals: [], code: helper, export: 'helper' },
      { type: TYPE_EXIT, locals: [], code: exit, export: 'exit' },
      { type: TYPES.length, locals: COLD_LOCALS, code: coldInterpreter(at.decode, at.expand, insns) },
    ],
  });
}
