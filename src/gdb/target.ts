// The debugger's view of a machine: registers (GDB's RISC-V numbering), memory through the
// selected hart's current translation without side effects, breakpoints, watchpoints and run
// control. While it has breakpoints, watchpoints or a step to do, the loop hands it every slice
// (engine/tcg/loop.ts LoopDebug) and it runs them with the loop's engine, translator included.

import * as C from '../cpu/riscv/csr-defs.js';
import { firmwareRead, firmwareWrite } from '../cpu/riscv/csr.js';
import type { RiscvHart } from '../cpu/riscv/hart.js';
import { runInterpreter } from '../cpu/riscv/interp.js';
import type { Breakpoints, CodePages, DebugWatch } from '../cpu/riscv/memory.js';
import { ACCESS_STORE } from '../cpu/riscv/mmu.js';
import type { LoopDebug, LoopEngine } from '../engine/tcg/board.js';

/** What the target needs of the VM (vm/vm.ts Vm is one). */
export interface DebugMachine {
  readonly harts: readonly RiscvHart[];
  /** Stop every hart between slices; resolves once they have stopped. */
  pause(): Promise<void>;
  resume(): void;
  /** End the VM (GDB's kill). */
  stop(): void;
}

/** GDB's RISC-V register numbers (gdb/riscv-tdep.h; the target description says them too). */
export const REG_PC = 32;
export const REG_F0 = 33;
export const REG_CSR0 = 65;
export const REG_PRIV = REG_CSR0 + 4096;

/** GDB's signal numbers in stop replies (gdb/signals.def). */
export const SIGINT = 2;
export const SIGTRAP = 5;

export type WatchKind = 'write' | 'read' | 'access';

/** Why the machine stopped, for the stop reply. */
export interface StopEvent {
  readonly hart: number;
  readonly signal: number;
  /** A watchpoint hit: its kind and the data address GDB should look at. */
  readonly watch?: { readonly kind: WatchKind; readonly addr: bigint };
}

interface Watch {
  /** First byte, in the harts' signed address representation (see `toAddr`). */
  readonly start: number;
  readonly len: number;
  readonly kind: WatchKind;
}

const PAGE = 4096;

/**
 * A 64-bit address from GDB as the harts hold addresses: a number, negative for the upper half
 * (sign-extended virtual addresses); exact for every canonical Sv39/Sv48 address.
 */
export function toAddr(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

/** A hart's address (pc, say) as GDB's unsigned 64-bit value. */
export function fromAddr(a: number): bigint {
  return BigInt.asUintN(64, BigInt(a));
}

function u64Bytes(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  for (let k = 0; k < 8; k++) out[k] = Number((v >> BigInt(8 * k)) & 0xffn);
  return out;
}

function pairBytes(lo: number, hi: number): Uint8Array {
  const out = new Uint8Array(8);
  const dv = new DataView(out.buffer);
  dv.setInt32(0, lo, true);
  dv.setInt32(4, hi, true);
  return out;
}

function bytesU64(b: Uint8Array): bigint {
  let v = 0n;
  for (let k = b.length - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[k]);
  return v;
}

/** The CSRs by number, named as in the privileged spec (from csr-defs.ts; ranges filled in). */
export function csrNames(): Map<number, string> {
  const byName = new Map<string, number>();
  for (const [k, v] of Object.entries(C)) {
    if (k.startsWith('CSR_') && typeof v === 'number') byName.set(k.slice(4).toLowerCase(), v);
  }
  const out = new Map<number, string>();
  const ranges = new Map<string, { first: number; firstN: number; lastN: number }>();
  for (const [name, num] of byName) {
    out.set(num, name);
    const m = /^([a-z]+)(\d+)$/.exec(name);
    if (m === null) continue;
    const r = ranges.get(m[1]);
    const n = Number(m[2]);
    if (r === undefined) ranges.set(m[1], { first: num - n, firstN: n, lastN: n });
    else {
      r.firstN = Math.min(r.firstN, n);
      r.lastN = Math.max(r.lastN, n);
    }
  }
  for (const [prefix, r] of ranges)
    for (let n = r.firstN; n <= r.lastN; n++) out.set(r.first + n, `${prefix}${n}`);
  return out;
}

/** Instructions run while the debugger was active, and how many of them translated code ran. */
export interface DebugStats {
  readonly executed: number;
  readonly translated: number;
}

/** Breakpoint pcs, and how many are in each virtual page (what the harts' engines ask). */
class BreakpointSet implements Breakpoints {
  private readonly pcs = new Set<number>();
  private readonly perPage = new Map<number, number>();
  version = 0;

  get size(): number {
    return this.pcs.size;
  }

  has(pc: number): boolean {
    return this.pcs.has(pc);
  }

  /** The page asked about last, and the answer: most questions are about the same page. */
  private lastPage = NaN;
  private lastAnswer = false;

  inPage(page: number): boolean {
    if (page !== this.lastPage) {
      this.lastPage = page;
      this.lastAnswer = this.perPage.has(page);
    }
    return this.lastAnswer;
  }

  pages(): Iterable<number> {
    return this.perPage.keys();
  }

  all(): number[] {
    return [...this.pcs];
  }

  /** False when it was there already. */
  add(pc: number): boolean {
    if (this.pcs.has(pc)) return false;
    this.pcs.add(pc);
    this.version++;
    this.lastPage = NaN;
    const page = pc - (pc & (PAGE - 1));
    this.perPage.set(page, (this.perPage.get(page) ?? 0) + 1);
    return true;
  }

  /** False when it was not there. */
  delete(pc: number): boolean {
    if (!this.pcs.delete(pc)) return false;
    this.version++;
    this.lastPage = NaN;
    const page = pc - (pc & (PAGE - 1));
    const n = (this.perPage.get(page) ?? 1) - 1;
    if (n === 0) this.perPage.delete(page);
    else this.perPage.set(page, n);
    return true;
  }
}

/**
 * A machine under a debugger. Breakpoints and watchpoints are kept here, not in guest memory,
 * and work with every engine (QEMU's TCG does it so too): the harts share the breakpoint set,
 * which the translators end blocks before and the interpreter checks before each instruction;
 * watched pages get no data mappings in the TLB, so that every access to them, translated or
 * not, reaches `accessed`, which ends the instruction before the access. While any is set the
 * loop gives this target the harts' slices (`run`), which runs them with the loop's engine and
 * stops the machine at a hit. Without any, the loop runs as it would without a debugger.
 */
export class GdbTarget implements LoopDebug, DebugWatch {
  private readonly breakpoints = new BreakpointSet();
  /** The harts a continue of named threads lets run (undefined: all). */
  private only: Set<RiscvHart> | undefined;
  private watches: Watch[] = [];
  /** The hart a single step is for. */
  private stepping: RiscvHart | undefined;
  /** The first watchpoint the current instruction hit. */
  private hit: { watch: Watch; va: number } | undefined;
  /**
   * The hart that stopped last, where, and its LR/SC reservation then: resumed there, it runs
   * that instruction even at a breakpoint (a continue steps over the breakpoint it stopped at),
   * and, if it alone runs (GDB stepping over a watched SC), with its reservation, which the loop
   * drops after every slice on a multi-hart machine.
   */
  private stoppedAt: { h: RiscvHart; pc: number; reservation: number } | undefined;
  /** Set between a stop's detection and the next resume: nothing more runs. */
  private halting = false;
  private executed = 0;
  private translated = 0;
  /** Called once the machine has stopped for a breakpoint, watchpoint, step or interrupt. */
  onStop: (e: StopEvent) => void = () => {};
  /** The CSRs the harts implement that the description lists (numbers). */
  readonly csrs: readonly number[];
  readonly csrNames: ReadonlyMap<number, string>;

  constructor(readonly machine: DebugMachine) {
    this.csrNames = csrNames();
    const h0 = machine.harts[0];
    this.csrs = [...this.csrNames.keys()]
      .filter((n) => n > C.CSR_FCSR && firmwareRead(h0, n) !== undefined)
      .sort((a, b) => a - b);
  }

  get harts(): readonly RiscvHart[] {
    return this.machine.harts;
  }

  /** Breakpoints and watchpoints set. */
  get points(): number {
    return this.breakpoints.size + this.watches.length;
  }

  get active(): boolean {
    return (
      this.breakpoints.size > 0 ||
      this.watches.length > 0 ||
      this.stepping !== undefined ||
      this.only !== undefined
    );
  }

  /** Instructions run since the debugger was created while it was active (GDB's `monitor info jit`). */
  get stats(): DebugStats {
    return { executed: this.executed, translated: this.translated };
  }

  // ---- Run control ------------------------------------------------------------------------

  /**
   * LoopDebug: run `h` with `engine`, which stops before an instruction at a breakpoint and
   * before an access to a watched byte (the instruction then has not run, pc on it); stop the
   * machine if it did. A single step runs one instruction in the interpreter.
   */
  run(h: RiscvHart, budget: number, engine: LoopEngine): number {
    if (this.halting) return -1;
    h.yieldLoop = false;
    const step = this.stepping;
    if (step !== undefined) {
      if (h !== step) return -1;
      // Interrupts stay masked while stepping (as QEMU does by default): the step executes the
      // instruction at pc, not the first of a handler.
      this.restoreReservation(h);
      const n = this.runOne(h);
      this.executed += n;
      this.stop(h, SIGTRAP);
      return n;
    }
    if (this.only !== undefined && !this.only.has(h)) return -1;
    if (this.only !== undefined && this.only.size === 1) this.restoreReservation(h);
    h.checkInterrupts();
    if (h.waiting) return -1;
    let n = 0;
    const from = this.stoppedAt;
    if (from !== undefined && from.h === h) {
      this.stoppedAt = undefined;
      if (h.pc === from.pc && this.breakpoints.has(h.pc)) n = this.runOne(h);
    }
    if (this.hit === undefined && !h.yieldLoop && h.running) {
      const before = engine.translatedInsns;
      n += engine.run(h, budget - n);
      this.translated += engine.translatedInsns - before;
    }
    this.executed += n;
    if (this.hit !== undefined || (h.running && this.breakpoints.has(h.pc))) this.stop(h, SIGTRAP);
    return n;
  }

  /** Run the instruction at pc in the interpreter, breakpoints aside (watchpoints still stop it). */
  private runOne(h: RiscvHart): number {
    const breakpoints = h.breakpoints;
    h.breakpoints = undefined;
    const n = runInterpreter(h, 1);
    h.breakpoints = breakpoints;
    return n;
  }

  /** A hart resumed alone where it stopped gets its reservation back (see `stoppedAt`). */
  private restoreReservation(h: RiscvHart): void {
    const from = this.stoppedAt;
    if (from !== undefined && from.h === h && h.pc === from.pc) h.reservation = from.reservation;
  }

  private stop(h: RiscvHart, signal: number): void {
    const hit = this.hit;
    this.hit = undefined;
    this.stepping = undefined;
    this.halting = true;
    this.stoppedAt = { h, pc: h.pc, reservation: h.reservation };
    const e: StopEvent = {
      hart: this.harts.indexOf(h),
      signal,
      ...(hit === undefined
        ? {}
        : { watch: { kind: hit.watch.kind, addr: fromAddr(Math.max(hit.va, hit.watch.start)) } }),
    };
    void this.machine.pause().then(() => this.onStop(e));
  }

  /** Stop every hart (GDB's Ctrl-C, or a new connection); resolves once they have stopped. */
  halt(): Promise<void> {
    this.halting = true;
    this.stoppedAt = undefined;
    return this.machine.pause();
  }

  /** Let every hart (or those of `only`) run until a breakpoint, watchpoint or `halt`. */
  resume(only?: readonly RiscvHart[]): void {
    this.halting = false;
    this.hit = undefined;
    this.only = only === undefined ? undefined : new Set(only);
    this.machine.resume();
  }

  /**
   * Execute one instruction on `h` with the others held, then stop. A hart that cannot run (HSM
   * stopped, or waiting in WFI with interrupts masked) stops at once, its pc unchanged.
   */
  step(h: RiscvHart): void {
    if (!h.running || h.waiting) {
      const e: StopEvent = { hart: this.harts.indexOf(h), signal: SIGTRAP };
      void Promise.resolve().then(() => this.onStop(e));
      return;
    }
    this.stepping = h;
    this.resume();
  }

  /** End the VM. */
  kill(): void {
    this.halting = false;
    this.machine.stop();
    this.machine.resume();
  }

  /** Forget every breakpoint and watchpoint and let the machine run (GDB's detach). */
  detach(): void {
    for (const pc of this.breakpoints.all()) this.removeBreakpoint(fromAddr(pc));
    this.setWatches([]);
    this.resume();
  }

  // ---- Breakpoints and watchpoints ----------------------------------------------------------

  /** Z0/Z1: stop before executing the instruction at `addr` (any hart, any context). */
  addBreakpoint(addr: bigint): void {
    const pc = toAddr(addr);
    if (this.breakpoints.add(pc)) this.breakpointsChanged(pc, false);
  }

  removeBreakpoint(addr: bigint): void {
    const pc = toAddr(addr);
    if (this.breakpoints.delete(pc)) this.breakpointsChanged(pc, true);
  }

  /**
   * Give the harts the breakpoints, and drop the translated blocks that `pc` changes: those that
   * span it (a new breakpoint must begin a block), or those it cut short (a removed one).
   */
  private breakpointsChanged(pc: number, removed: boolean): void {
    const set = this.breakpoints.size > 0 ? this.breakpoints : undefined;
    const caches = new Set<CodePages>();
    for (const h of this.harts) {
      h.breakpoints = set;
      if (h.codeCache !== undefined) caches.add(h.codeCache);
    }
    for (const c of caches) c.invalidateAt(pc, removed);
  }

  /**
   * Z2/Z3/Z4: stop before an instruction that would access a byte of [addr, addr + len), with pc
   * on it (GDB's RISC-V architecture expects watchpoints that trigger before the access).
   */
  addWatchpoint(kind: WatchKind, addr: bigint, len: number): void {
    this.setWatches([...this.watches, { start: toAddr(addr), len, kind }]);
  }

  removeWatchpoint(kind: WatchKind, addr: bigint, len: number): void {
    const start = toAddr(addr);
    const k = this.watches.findIndex((w) => w.kind === kind && w.start === start && w.len === len);
    if (k >= 0) this.setWatches(this.watches.filter((_, i) => i !== k));
  }

  private setWatches(ws: Watch[]): void {
    this.watches = ws;
    for (const h of this.harts) {
      h.debugWatch = ws.length > 0 ? this : undefined;
      // Pages now watched must leave the TLB (and pages no longer watched may come back).
      h.tlb.flush();
    }
  }

  /**
   * DebugWatch: whether accesses of kind `access` to the virtual page at `page` may hit a
   * watchpoint: loads only a read or access one, stores (and AMOs) any.
   */
  pageWatched(page: number, access: number): boolean {
    return this.watches.some(
      (w) =>
        (access === ACCESS_STORE || w.kind !== 'write') && w.start < page + PAGE && page < w.start + w.len,
    );
  }

  /** DebugWatch: whether an access is to stop before it; remembers the first watchpoint hit. */
  accessed(va: number, bytes: number, write: boolean): boolean {
    if (this.hit !== undefined) return true;
    for (const w of this.watches) {
      if (w.kind === (write ? 'read' : 'write')) continue;
      if (w.start < va + bytes && va < w.start + w.len) {
        this.hit = { watch: w, va };
        return true;
      }
    }
    return false;
  }

  // ---- Registers ----------------------------------------------------------------------------

  /** Register `n` of `h` in target byte order, or undefined when there is no such register. */
  readRegister(h: RiscvHart, n: number): Uint8Array | undefined {
    if (n >= 0 && n < 32) return pairBytes(h.x[2 * n], h.x[2 * n + 1]);
    if (n === REG_PC) return u64Bytes(fromAddr(h.pc));
    if (n >= REG_F0 && n < REG_F0 + 32) {
      const r = n - REG_F0;
      return pairBytes(h.fpu.bits[2 * r], h.fpu.bits[2 * r + 1]);
    }
    if (n === REG_PRIV) return u64Bytes(BigInt(h.priv));
    const csr = n - REG_CSR0;
    if (csr === C.CSR_FFLAGS) return u64Bytes(BigInt(h.fpu.fflags)).slice(0, 4);
    if (csr === C.CSR_FRM) return u64Bytes(BigInt(h.fpu.frm)).slice(0, 4);
    if (csr === C.CSR_FCSR) return u64Bytes(BigInt((h.fpu.frm << 5) | h.fpu.fflags)).slice(0, 4);
    if (!this.csrs.includes(csr)) return undefined;
    const v = firmwareRead(h, csr);
    return v === undefined ? undefined : u64Bytes(v);
  }

  /** Write register `n` of `h`; false when it does not exist or the value is refused. */
  writeRegister(h: RiscvHart, n: number, bytes: Uint8Array): boolean {
    const v = bytesU64(bytes);
    const lo = Number(v & 0xffffffffn) | 0;
    const hi = Number((v >> 32n) & 0xffffffffn) | 0;
    if (n >= 0 && n < 32) {
      h.setX(n, lo, hi);
      return true;
    }
    if (n === REG_PC) {
      h.pc = h.npc = toAddr(v);
      return true;
    }
    if (n >= REG_F0 && n < REG_F0 + 32) {
      const r = n - REG_F0;
      h.fpu.bits[2 * r] = lo;
      h.fpu.bits[2 * r + 1] = hi;
      return true;
    }
    if (n === REG_PRIV) {
      if (v !== BigInt(C.PRV_U) && v !== BigInt(C.PRV_S) && v !== BigInt(C.PRV_M)) return false;
      h.priv = Number(v);
      h.updateContext();
      return true;
    }
    const csr = n - REG_CSR0;
    if (csr === C.CSR_FFLAGS) h.fpu.fflags = lo & 0x1f;
    else if (csr === C.CSR_FRM) h.fpu.frm = lo & 7;
    else if (csr === C.CSR_FCSR) {
      h.fpu.fflags = lo & 0x1f;
      h.fpu.frm = (lo >>> 5) & 7;
    } else if (!this.csrs.includes(csr) || !firmwareWrite(h, csr, v)) return false;
    h.syncFpMode();
    h.updateContext();
    return true;
  }

  // ---- Memory -------------------------------------------------------------------------------

  /**
   * The physical address of virtual `va` as `h` sees it now: satp's table below M-mode (mstatus.MPRV
   * and the hypervisor's two stages aside), read without setting A/D and without permission
   * checks. -1 when unmapped.
   */
  translate(h: RiscvHart, va: number): number {
    const levels =
      h.priv === C.PRV_M ? 0 : h.satpMode === C.SATP_MODE_SV48 ? 4 : h.satpMode === C.SATP_MODE_SV39 ? 3 : 0;
    if (levels === 0) return va;
    const limit = 2 ** (12 + 9 * levels - 1);
    if (va >= limit || va < -limit) return -1;
    const uva = va < 0 ? va + 2 * limit : va;
    const mem = h.mem;
    let table = h.satpPpn * PAGE;
    for (let level = levels - 1; level >= 0; level--) {
      const span = 2 ** (12 + 9 * level);
      const pteAddr = table + (Math.floor(uva / span) % 512) * 8;
      if (!mem.contains(pteAddr, 8)) return -1;
      const lo = mem.view.getInt32(pteAddr - mem.base, true);
      const hi = mem.view.getInt32(pteAddr - mem.base + 4, true);
      if ((lo & 1) === 0) return -1;
      const ppn = (hi & 0x3fffff) * 4194304 + (lo >>> 10);
      if ((lo & 0xa) === 0) {
        table = ppn * PAGE;
        continue;
      }
      // A NAPOT entry (Svnapot, bit 63) maps 64 KiB: its ppn's low four bits are not address bits.
      const size = hi < 0 && level === 0 ? 16 * PAGE : span;
      const base = ppn * PAGE;
      return base - (base % size) + (uva % size);
    }
    return -1;
  }

  /** Up to `len` bytes at virtual `addr` (fewer where a page is unmapped or not RAM); no side effects. */
  readMemory(h: RiscvHart, addr: bigint, len: number): Uint8Array {
    const out: number[] = [];
    let va = toAddr(addr);
    while (out.length < len) {
      const n = Math.min(len - out.length, PAGE - (((va % PAGE) + PAGE) % PAGE));
      const pa = this.translate(h, va);
      if (pa < 0 || !h.mem.contains(pa, n)) break;
      const off = pa - h.mem.base;
      for (let k = 0; k < n; k++) out.push(h.mem.view.getUint8(off + k));
      va += n;
    }
    return Uint8Array.from(out);
  }

  /** Write `data` at virtual `addr` (RAM only, all or nothing); drops translated code there. */
  writeMemory(h: RiscvHart, addr: bigint, data: Uint8Array): boolean {
    const pieces: { off: number; from: number; n: number }[] = [];
    let va = toAddr(addr);
    for (let done = 0; done < data.length;) {
      const n = Math.min(data.length - done, PAGE - (((va % PAGE) + PAGE) % PAGE));
      const pa = this.translate(h, va);
      if (pa < 0 || !h.mem.contains(pa, n)) return false;
      pieces.push({ off: pa - h.mem.base, from: done, n });
      va += n;
      done += n;
    }
    for (const p of pieces) {
      for (let k = 0; k < p.n; k++) h.mem.view.setUint8(p.off + k, data[p.from + k]);
      h.mem.deviceWrote(p.off, p.n);
    }
    return true;
  }
}
