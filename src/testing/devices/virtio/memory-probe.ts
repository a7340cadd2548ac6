// Test support: the host memory held in ArrayBuffers, measured after a full garbage collection,
// for tests that bound what a hostile guest can make a device hold (issue 18). Node only.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A context created after --expose-gc is set gets a `gc` function, even when the process was
// started without the flag (as `node --test` starts test files).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Bytes of live ArrayBuffers (guest RAM, device buffers...) once garbage has been collected.
 * The count lags a collection: a dead buffer's memory is given back (and leaves the count) a
 * little later, off the main thread, sometimes after a turn of the event loop (measured: within
 * a millisecond). So this collects and reads the count a few times, a few milliseconds apart, and
 * returns the smallest reading: every reading is at least the live bytes.
 */
export async function liveArrayBufferBytes(): Promise<number> {
  let least = Infinity;
  for (let round = 0; round < 3; round++) {
    gc();
    least = Math.min(least, process.memoryUsage().arrayBuffers);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  gc();
  return Math.min(least, process.memoryUsage().arrayBuffers);
}

/** Bytes of ArrayBuffers allocated and not yet collected, garbage included (no collection). */
export function arrayBufferBytesNow(): number {
  return process.memoryUsage().arrayBuffers;
}
