// Giving the host's event loop a turn between the CPU loop's turns, on any runtime: Node's
// setImmediate where there is one, else a MessageChannel message (browsers and workers), because a
// browser clamps nested setTimeout(0) to 4 ms, which would idle the guest for a fifth of every
// 20 ms turn. Both run after the I/O and messages already queued (console input, a pause).

/** Resolves once the host has had a turn of its event loop. */
export const yieldToHost: () => Promise<void> = makeYield(globalThis as unknown as YieldGlobals);

/** The host functions makeYield picks from (globalThis's, or a test's). */
export interface YieldGlobals {
  setImmediate?: (callback: () => void) => unknown;
  MessageChannel?: new () => {
    port1: { onmessage: ((ev: unknown) => void) | null; close?(): void };
    port2: { postMessage(message: unknown): void };
  };
}

/** A yield over `g`'s setImmediate, else its MessageChannel, else setTimeout(0). */
export function makeYield(g: YieldGlobals): () => Promise<void> {
  const immediate = g.setImmediate;
  if (immediate !== undefined) return () => new Promise((resolve) => immediate(resolve));
  if (g.MessageChannel === undefined) return () => new Promise((resolve) => setTimeout(resolve, 0));
  // One channel for the loop's whole life: each message wakes the oldest waiter. The port stays
  // open, which in a browser keeps nothing alive that the page does not already.
  const channel = new g.MessageChannel();
  const waiters: (() => void)[] = [];
  channel.port1.onmessage = () => waiters.shift()?.();
  return () =>
    new Promise((resolve) => {
      waiters.push(resolve);
      channel.port2.postMessage(0);
    });
}
