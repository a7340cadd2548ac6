// The messages between a page (createVm, index.ts) and the Web Worker that runs the machine
// (worker.ts). Structured-cloneable plain objects only; byte arrays are transferred, not copied.

/** What the page asks the worker to boot. URLs are fetched by the worker, relative to the page. */
export interface StartConfig {
  /** The kernel: its bytes, or a URL. */
  kernel: Uint8Array | string;
  /** The initramfs: its bytes, or a URL; none when absent. */
  initrd?: Uint8Array | string;
  /** Guest RAM in bytes (default 512 MiB). */
  memoryBytes?: number;
  /** Harts (default 1). */
  harts?: number;
  /** ISA profile text as `--cpu` takes it (default max). */
  cpu?: string;
  /** Translator: wasm (default), js, or off. */
  jit?: 'wasm' | 'js' | 'off';
  /** Kernel command line (default console=ttyS0). */
  append?: string;
  /** Start again on a guest reboot (default true), as a real machine does. */
  rebootOnRequest?: boolean;
}

/** The machine's run state as the page shows it. */
export type RunState = 'loading' | 'running' | 'paused' | 'off' | 'failed';

/** Page to worker. */
export type ToWorker =
  | { type: 'start'; config: StartConfig }
  | { type: 'input'; bytes: Uint8Array }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'powerOff' }
  | { type: 'reset' };

/** How a run ended: the guest stopped it, or the host powered it off. */
export type ExitInfo =
  | { kind: 'poweroff' }
  | { kind: 'fail'; code: number }
  | { kind: 'stopped' }
  | { kind: 'error'; message: string };

/** Worker to page. */
export type FromWorker =
  /** Bytes of `what` arrived; `totalBytes` is 0 when the server did not say. */
  | { type: 'progress'; what: 'kernel' | 'initrd'; loadedBytes: number; totalBytes: number }
  /** The machine is built and its first instruction is about to run. */
  | { type: 'booted'; crossOriginIsolated: boolean; sharedMemory: boolean; jit: string }
  | { type: 'output'; bytes: Uint8Array }
  | { type: 'state'; state: RunState }
  /** Sent every STATS_INTERVAL_MS while the machine exists. */
  | { type: 'stats'; instructions: number; hostMs: number }
  | { type: 'exit'; exit: ExitInfo };

/** How often the worker reports the instructions retired. */
export const STATS_INTERVAL_MS = 500;
