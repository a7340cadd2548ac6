// The globals that every JavaScript runtime tsvirt targets (Node, browsers, workers) provides
// beyond ECMAScript, declared for the portable layers (tsconfig.portable.json), which compile
// without @types/node and without the DOM library. Only what those layers use is declared; the
// main build takes the same names from @types/node, so tsconfig.json leaves this file out.

/** Encoding API: UTF-8 only. */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: 'utf-8', options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}

/** High Resolution Time: milliseconds from an arbitrary origin, monotonic. */
declare const performance: { now(): number };

/** Web Crypto: fills `array` (at most 65536 bytes) from the host's CSPRNG and returns it. */
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

/** HTML timers: the handle is opaque (a number in browsers, an object in Node). */
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
