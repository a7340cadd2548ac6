// The web globals the worker (worker.ts) uses beyond those of every runtime (src/host/runtime.d.ts),
// declared for its type check (tsconfig.portable.json), which has neither the DOM library nor
// @types/node: the worker is checked exactly like the portable layers it runs.

declare const self: unknown;

/** Fetch: only what fetchBytes reads. */
declare function fetch(url: string): Promise<{
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  body: {
    getReader(): { read(): Promise<{ done: true; value?: undefined } | { done: false; value: Uint8Array }> };
  } | null;
}>;

declare function queueMicrotask(callback: () => void): void;
declare function setInterval(callback: () => void, ms: number): unknown;
declare function clearInterval(handle: unknown): void;
