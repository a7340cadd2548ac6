// What the two lockstep tools (tools/jit-lockstep.mjs on the ISA programs, and
// tools/jit-lockstep-boot.mjs on the Debian boot) share: the translated side of a pair of boards,
// and one step of the pair. Board A interprets (the reference), board B translates.

import { runInterpreter } from '../dist/cpu/riscv/interp.js';
import { CodeCache } from '../dist/cpu/riscv/jit/cache.js';
import { runJit } from '../dist/cpu/riscv/jit/run.js';
import { WasmJit } from '../dist/cpu/riscv/jit/wasm/engine.js';

/**
 * Make `board` translate, with the WebAssembly translator (`wasm`) or the JavaScript one, a block
 * once its start ran `threshold` times. Returns the block cache and a function that runs one
 * block (or one interpreted instruction) on the board's first hart, or with `budget` > 1 blocks
 * until about that many instructions ran: chained blocks then follow each other without a stop.
 */
export function translatedSide(board, { wasm, threshold, budget = 1 }) {
  const h = board.harts[0];
  let cache;
  let runBlock;
  if (wasm) {
    // Batches of one: a block is translated as soon as it is hot, as on the JavaScript side.
    const jit = WasmJit.create(board.mem, board.harts[0].decoder, { threshold, batch: 1 });
    jit.attach(h);
    cache = jit.cache;
    runBlock = () => jit.run(h, budget);
  } else {
    cache = new CodeCache(board.mem.sizeBytes, 65536, threshold);
    h.codeCache = cache;
    cache.attach(h.tlb);
    runBlock = () => runJit(h, cache, budget);
  }
  board.mem.onDeviceWrite = (off, len) => cache.invalidateRange(off, len);
  return { cache, runBlock };
}

/** Bring both boards' timers and interrupt lines up to date, as the TCG loop does before a slice. */
export function beginStep(A, B) {
  A.tick();
  B.tick();
  A.harts[0].checkInterrupts();
  B.harts[0].checkInterrupts();
}

/** One block on B, then as many instructions on A: returns [B's count, A's count]. */
export function runPair(A, B, runBlock) {
  const n = runBlock();
  const m = runInterpreter(A.harts[0], n);
  A.afterSlice();
  B.afterSlice();
  return [n, m];
}
