// The TCG engine's main loop: round-robin slices of guest instructions on each hart in this
// thread, device time between slices, and host sleep while every hart waits in WFI.

import { runInterpreter } from '../../cpu/riscv/interp.js';
import { CodeCache } from '../../cpu/riscv/jit/cache.js';
import { runJit } from '../../cpu/riscv/jit/run.js';
import { WasmJit } from '../../cpu/riscv/jit/wasm/engine.js';
import type { LoopDebug, LoopEngine, TcgBoard } from './board.js';
import { yieldToHost } from './yield.js';

// The loop's callers name the board contract through the loop; boards import board.ts itself.
export type { LoopDebug, LoopEngine, TcgBoard };
import { hostBytesFor } from '../../cpu/riscv/jit/wasm/layout.js';

/** Which translator runs hot guest code, if any. */
export type JitMode = 'wasm' | 'js' | 'off';

/**
 * Host bytes the engine wants after guest RAM of `ramBytes`, in the same memory, for a machine of
 * `harts` harts running with `jit`: the WebAssembly translator keeps hart state and its tables
 * there (translated code reads them directly); the JavaScript translator and the interpreter want
 * none. A board's GuestMemory is made with this many; with fewer, runLoop translates to
 * JavaScript when asked for WebAssembly.
 */
export function engineHostBytes(jit: JitMode, harts: number, ramBytes: number): number {
  return jit === 'wasm' ? hostBytesFor(harts, ramBytes) : 0;
}

export interface LoopOptions {
  /** A debugger, checked once per slice (see LoopDebug). */
  debug?: LoopDebug;
  /** Stop after about this many instructions (checked per slice). */
  maxInstructions?: number;
  /** Instructions per hart per slice: bounds interrupt latency. */
  sliceInstructions?: number;
  /**
   * Translate hot code to WebAssembly (the default; JavaScript when RAM does not fit a 32-bit
   * WebAssembly memory), to JavaScript, or interpret everything.
   */
  jit?: JitMode;
  /** Most translated blocks kept at once. */
  jitCache?: number;
  /** Tells the user what the loop chose differently from what was asked. */
  warn?: (msg: string) => void;
}

/** Why the loop returned. */
export type LoopEnd = 'stopped' | 'instruction-limit';

/** Host time to run guest code before giving the event loop a turn (console input, I/O). */
const HOST_TURN_MS = 20;
/** Longest idle sleep; devices wake the loop earlier through the board's waker. */
const MAX_IDLE_MS = 1000;

export async function runLoop(board: TcgBoard, opts: LoopOptions = {}): Promise<LoopEnd> {
  const slice = opts.sliceInstructions ?? 20000;
  const max = opts.maxInstructions ?? Infinity;
  let total = 0;
  let cache: CodeCache | undefined;
  const mode = opts.jit ?? 'wasm';
  const wasm =
    mode === 'wasm'
      ? WasmJit.create(board.harts[0].mem, board.harts[0].decoder, { maxBlocks: opts.jitCache })
      : undefined;
  if (mode === 'wasm' && wasm === undefined) {
    opts.warn?.(
      'guest RAM and the translator do not fit one 4 GiB WebAssembly memory: translating to JavaScript instead (slower; use less --memory for WebAssembly)',
    );
  }
  if (wasm !== undefined) {
    board.harts[0].mem.onDeviceWrite = (off, len) => wasm.cache.invalidateRange(off, len);
    for (const h of board.harts) wasm.attach(h);
  } else if (mode !== 'off') {
    const c = (cache = new CodeCache(board.harts[0].mem.sizeBytes, opts.jitCache));
    board.harts[0].mem.onDeviceWrite = (off, len) => c.invalidateRange(off, len);
    for (const h of board.harts) {
      h.codeCache = cache;
      cache.attach(h.tlb);
    }
  }
  const engine: LoopEngine = {
    run: (h, n) =>
      wasm !== undefined ? wasm.run(h, n) : cache !== undefined ? runJit(h, cache, n) : runInterpreter(h, n),
    get translatedInsns() {
      return (wasm?.cache ?? cache)?.translatedInsns ?? 0;
    },
  };
  let wake: (() => void) | undefined;
  board.setWaker?.(() => wake?.());
  const idleSleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  while (!board.stopped) {
    if (board.pause?.paused) {
      // Between slices every hart's state is whole (the translator has written it back).
      board.pause.parked();
      await board.pause.resumed();
      continue;
    }
    const turnEnd = performance.now() + HOST_TURN_MS;
    let idle = false;
    while (!board.stopped && !board.pause?.paused && performance.now() < turnEnd) {
      board.tick();
      let ran = false;
      for (const h of board.harts) {
        if (!h.running) continue;
        const debug = opts.debug;
        if (debug?.active) {
          const r = debug.run(h, slice, engine);
          if (r < 0) continue;
          ran = true;
          total += r;
          if (board.harts.length > 1) h.reservation = -1;
          board.afterSlice();
          // A breakpoint or step paused the machine: no other hart runs past it.
          if (board.stopped || board.pause?.paused) break;
          continue;
        }
        h.checkInterrupts();
        if (h.waiting) continue;
        ran = true;
        total +=
          wasm !== undefined
            ? wasm.run(h, slice)
            : cache !== undefined
              ? runJit(h, cache, slice)
              : runInterpreter(h, slice);
        // Another hart runs next and may store to the reserved address: an LR/SC pair must not
        // span the switch, so the SC fails and the guest's loop retries (always allowed).
        if (board.harts.length > 1) h.reservation = -1;
        board.afterSlice();
        if (board.stopped) break;
      }
      if (total >= max) return 'instruction-limit';
      if (!ran) {
        idle = true;
        break;
      }
    }
    if (idle) await idleSleep(Math.max(0, Math.min(board.msToNextEvent(), MAX_IDLE_MS)));
    else await yieldToHost();
  }
  return 'stopped';
}
