// A built VM: its board, its devices' host backends and the engine's loop, run and stopped as one.
// The only place that watches stop requests (StopRequests), so that a signal, the console's quit
// key and a library call end the CPU loop the same way.

import type { SpikeBoard } from '../boards/spike.js';
import type { VirtBoard } from '../boards/virt/board.js';
import type { RiscvHart } from '../cpu/riscv/hart.js';
import { runLoop, type LoopDebug, type LoopOptions, type TcgBoard } from '../engine/tcg/loop.js';
import type { MachineName } from './config.js';
import type { StopReason, StopRequests } from './stop.js';
import type { GuestMemory } from '../memory/guest-memory.js';
import type { DirtyLogHart } from '../memory/dirty-log.js';
import type { MachineDescription } from './snapshot/format.js';

/** How the guest stopped the machine. */
export type GuestStop =
  /** virt: the test device or SBI system reset asked for poweroff. */
  | { kind: 'poweroff' }
  /** virt: the guest asked for a reboot (the VM stops instead). */
  | { kind: 'reboot' }
  /** virt: the guest reported a failure (test device code, or SBI reset reason failure: 1). */
  | { kind: 'fail'; code: number }
  /** spike: the program's HTIF exit code (0: passed). */
  | { kind: 'exit'; code: number };

/** Why `Vm.run` returned. A stop request counts before the other two when they coincide. */
export type VmEnd =
  | { kind: 'guest'; stop: GuestStop }
  | { kind: 'stopped'; reason: StopReason }
  | { kind: 'instruction-limit' };

/** A host resource the VM releases at close. */
export interface Closer {
  close(): Promise<void>;
}

/** A VM's shutdown failed (a disk's final flush); the message names the device. */
export class VmCloseError extends Error {}

/** What `build` hands the VM. */
export interface VmParts {
  machine: MachineName;
  board: SpikeBoard | VirtBoard;
  guestStop(): GuestStop | undefined;
  stop: StopRequests;
  loop: LoopOptions;
  /** Released in order by `close`. */
  closers: Closer[];
  /** The machine's state as a snapshot file's parts (see Vm.save). */
  snapshot?: () => Promise<Uint8Array[]>;
  /** What live migration reads. */
  migration?: MigrationParts;
}

/** The parts of a machine live migration reads (vm/migration/migrate.ts). */
export interface MigrationParts {
  readonly desc: MachineDescription;
  readonly mem: GuestMemory;
  readonly harts: readonly DirtyLogHart[];
  /**
   * With the VM paused: quiesce the disks, flush them, and return the board's state (the BORD
   * section). `release` must follow, whether the migration completes or not.
   */
  finalState(): Promise<unknown>;
  /** With the VM paused: the NIC backends' states as an SLRP payload, or undefined (none keeps any). */
  netStates?(): Promise<Uint8Array | undefined>;
  /** Let the disks take requests again. */
  release(): void;
}

/**
 * A machine ready to run. `run` once, then `close` (which `run` does not do: the caller may read
 * the guest's RAM or counters in between). `stop` may be called at any time, from any callback.
 */
export class Vm {
  readonly machine: MachineName;
  /** The board: its harts, RAM (`board.mem`) and devices. */
  readonly board: SpikeBoard | VirtBoard;
  private readonly stops: StopRequests;
  private readonly view: TcgBoard;
  private readonly guestStop: () => GuestStop | undefined;
  private readonly loop: LoopOptions;
  private readonly closers: Closer[];
  private readonly snapshot: (() => Promise<Uint8Array[]>) | undefined;
  /** What live migration reads; undefined for a machine that cannot migrate. */
  readonly migration: MigrationParts | undefined;
  private running: Promise<VmEnd> | undefined;
  private closing: Promise<void> | undefined;
  private isPaused = false;
  private isParked = false;
  private loopEnded = false;
  private parkedWaiters: (() => void)[] = [];
  private resumeWaiters: (() => void)[] = [];
  private readonly pauseListeners: ((paused: boolean) => void)[] = [];
  private wakeLoop: (() => void) | undefined;

  /** Made by `build`. */
  constructor(parts: VmParts) {
    this.machine = parts.machine;
    this.board = parts.board;
    this.stops = parts.stop;
    this.guestStop = parts.guestStop;
    this.loop = parts.loop;
    this.closers = parts.closers;
    this.snapshot = parts.snapshot;
    this.migration = parts.migration;
    const board: TcgBoard = parts.board;
    const stops = parts.stop;
    const pausedNow = (): boolean => this.isPaused && stops.reason === undefined;
    const wakeAll = (): void => {
      for (const h of board.harts) h.yieldLoop = true;
      this.wakeLoop?.();
    };
    // The loop sees the board as stopped once a stop was requested; a request also ends the
    // current slice (yieldLoop) or idle sleep (the waker) early.
    this.view = {
      get harts() {
        return board.harts;
      },
      get stopped() {
        return board.stopped || stops.reason !== undefined;
      },
      tick: () => board.tick(),
      afterSlice: () => board.afterSlice(),
      msToNextEvent: () => board.msToNextEvent(),
      setWaker: (w) => {
        this.wakeLoop = w;
        board.setWaker?.(w);
      },
      pause: {
        get paused(): boolean {
          return pausedNow();
        },
        parked: () => {
          this.isParked = true;
          for (const w of this.parkedWaiters.splice(0)) w();
        },
        resumed: () =>
          new Promise<void>((resolve) => {
            if (!this.isPaused || stops.reason !== undefined) resolve();
            else this.resumeWaiters.push(resolve);
          }),
      },
    };
    stops.onRequest(() => {
      wakeAll();
      for (const w of this.resumeWaiters.splice(0)) w();
    });
    this.requestYield = wakeAll;
  }

  get harts(): readonly RiscvHart[] {
    return this.board.harts;
  }

  /** Instructions retired by all harts so far. */
  get instructionsRetired(): number {
    return this.board.harts.reduce((s, h) => s + h.retired, 0);
  }

  /**
   * The extensions the guest has been seen using, in profile order: those of every instruction
   * decoded for execution, and Svpbmt once a page-table entry with a memory type was used.
   */
  get extensionsUsed(): string[] {
    const used = new Set<string>();
    for (const h of this.board.harts) {
      for (const s of h.decoder.decoded)
        for (const e of [s.ext, ...(s.alsoIn ?? [])])
          if (e !== 'priv' && h.isa.has(e.toLowerCase())) used.add(e.toLowerCase());
      if (h.pbmtSeen) used.add('svpbmt');
    }
    return (this.board.harts[0]?.isa.list ?? []).filter((e) => used.has(e));
  }

  /** The first stop request, or undefined. */
  get stopReason(): StopReason | undefined {
    return this.stops.reason;
  }

  /**
   * Let a debugger take over the harts' slices while it is active (see LoopDebug); before `run`.
   */
  setDebug(debug: LoopDebug): void {
    this.loop.debug = debug;
  }

  /** Run the guest until it stops the machine, a stop is requested, or the instruction limit. */
  run(): Promise<VmEnd> {
    if (this.running !== undefined || this.closing !== undefined) {
      return Promise.reject(new Error('Vm.run: a VM runs once, and not after close'));
    }
    this.running = this.runLoop();
    return this.running;
  }

  private async runLoop(): Promise<VmEnd> {
    const end = await runLoop(this.view, this.loop).finally(() => {
      // The loop is over: nothing runs any more, so a pause waiting to park is as good as parked.
      this.loopEnded = true;
      for (const w of this.parkedWaiters.splice(0)) w();
    });
    const reason = this.stops.reason;
    if (reason !== undefined) return { kind: 'stopped', reason };
    if (end === 'instruction-limit') return { kind: 'instruction-limit' };
    const stop = this.guestStop();
    if (stop === undefined) throw new Error('Vm.run: the loop ended while the board runs');
    return { kind: 'guest', stop };
  }

  private readonly requestYield: () => void;

  /** Whether the VM is paused (it may still be finishing its slice: see `pause`). */
  get paused(): boolean {
    return this.isPaused;
  }

  /**
   * Pause the guest: no hart runs until `resume`. Resolves once the loop has stopped between
   * slices, where every hart's state is whole (at once if it already had; a VM not yet running
   * parks as soon as `run` starts). The guest's clock (mtime) keeps following the host's.
   */
  pause(): Promise<void> {
    if (!this.isPaused) {
      this.isPaused = true;
      this.isParked = false;
      this.requestYield();
      for (const l of this.pauseListeners) l(true);
    }
    if (this.isParked || this.stops.reason !== undefined || this.loopEnded) return Promise.resolve();
    return new Promise((resolve) => this.parkedWaiters.push(resolve));
  }

  /** Let a paused guest run again. */
  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    this.isParked = false;
    for (const w of this.resumeWaiters.splice(0)) w();
    for (const l of this.pauseListeners) l(false);
  }

  /** Call `listener` at each change between running and paused (a monitor's STOP and RESUME). */
  onPauseChange(listener: (paused: boolean) => void): void {
    this.pauseListeners.push(listener);
  }

  /**
   * The whole machine's state (docs/snapshot-format.md) as the snapshot file's parts, to be written
   * in order, before the guest runs again (RAM pages are views of guest RAM). The VM must be
   * paused (`pause`), or not yet running, or ended (`run` returned, for any reason); disks are
   * quiesced meanwhile.
   * `build` with `incoming` set to these bytes starts a VM from them. Writing them to a file is the
   * host's part (`saveVmTo` in 'tsvirt/node').
   */
  async save(): Promise<Uint8Array[]> {
    if (this.snapshot === undefined) throw new Error(`Vm.save: this machine cannot be saved`);
    if (this.running !== undefined && !this.isPaused && this.stops.reason === undefined && !this.loopEnded)
      throw new Error('Vm.save: pause the VM first');
    if (this.running !== undefined && this.isPaused) await this.pause();
    return this.snapshot();
  }

  /** Ask `run` to return at the end of the current slice (the first request's reason counts). */
  stop(reason: StopReason = { kind: 'request' }): void {
    this.stops.request(reason);
  }

  /**
   * Release the VM's host resources: quiesce each disk and close it (which flushes it), close the
   * NICs' backends and the console. A running VM is stopped first. Every resource is released even
   * when one fails; the first failure is then thrown (a VmCloseError for a disk). Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  private async closeAll(): Promise<void> {
    if (this.running !== undefined) {
      this.stop();
      await this.running.catch(() => {});
    }
    await closeInOrder(this.closers);
  }
}

/** Close each of `closers` in order, all of them; then throw the first failure. */
export async function closeInOrder(closers: readonly Closer[]): Promise<void> {
  let failure: unknown;
  for (const c of closers) await c.close().catch((e: unknown) => (failure ??= e));
  if (failure !== undefined) throw failure;
}
