// What the TCG loop needs from a board: its harts, its timers, and a way to wake the loop. Apart
// from the loop (which uses the host's timers), so that boards depend on this contract alone.

import type { RiscvHart } from '../../cpu/riscv/hart.js';

/** What a board provides to the loop. */
export interface TcgBoard {
  readonly harts: readonly RiscvHart[];
  /** Set when the guest has stopped the machine (poweroff, HTIF exit, fatal error). */
  readonly stopped: boolean;
  /** Bring device-driven interrupt lines up to date (timers). */
  tick(): void;
  /** Work after each slice (HTIF polling). */
  afterSlice(): void;
  /** Milliseconds until the next timer event that could wake a hart, or Infinity. */
  msToNextEvent(): number;
  /**
   * Register the function that ends an idle sleep early: the board calls it when a device raises
   * an interrupt line from host I/O (console input, a completed disk request, a received frame).
   */
  setWaker?(wake: () => void): void;
  /**
   * Set while the machine is paused (a monitor's stop, a debugger's halt, a snapshot being
   * taken): the loop runs no guest code and calls `parked` once it has stopped between slices.
   * `resumed` resolves when the pause ends (or the machine stops).
   */
  readonly pause?: { readonly paused: boolean; parked(): void; resumed(): Promise<void> };
}

/** How the loop runs guest code: the translator it chose, or the interpreter. */
export interface LoopEngine {
  /** Run about `budget` instructions of `h` (interrupts already examined); returns those executed. */
  run(h: RiscvHart, budget: number): number;
  /** Instructions translated code has executed so far (0 without a translator). */
  readonly translatedInsns: number;
}

/**
 * A debugger's hold on the loop (src/gdb): while `active` (breakpoints, watchpoints or a step),
 * the loop hands each hart's slice to `run`, which runs it with `engine` itself (the harts'
 * breakpoints and watchpoints stop every engine), so that the cost of debugging is one check per
 * slice, and none without a debugger.
 */
export interface LoopDebug {
  readonly active: boolean;
  /**
   * Run about `budget` instructions of `h` with `engine` (interrupts examined by `run` itself: a
   * single step masks them). Returns the instructions executed, or -1 when the hart did not run.
   */
  run(h: RiscvHart, budget: number, engine: LoopEngine): number;
}
