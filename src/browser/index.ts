// tsvirt in a web page (`import { createVm } from 'tsvirt/browser'`): starts the machine in a
// dedicated Web Worker (worker.ts, next to this module once bundled) and hands back a small handle:
// console in and out, pause, resume, power off, reset, run state and guest speed.

import {
  STATS_INTERVAL_MS,
  type ExitInfo,
  type FromWorker,
  type RunState,
  type StartConfig,
  type ToWorker,
} from './protocol.js';

export type { ExitInfo, RunState, StartConfig };

/** What createVm takes: the machine (StartConfig) and where its worker script is. */
export interface CreateVmOptions extends StartConfig {
  /** The worker bundle (default: worker.js beside this module). */
  workerUrl?: string | URL;
}

/** Guest speed over the last stats interval. */
export interface VmStats {
  /** Instructions retired since the first boot (reboots included). */
  instructions: number;
  /** Millions of guest instructions per host second over the last interval (0 while paused). */
  mips: number;
}

/** What the worker said about the machine when it booted. */
export interface BootInfo {
  /** The page is cross-origin isolated (COOP/COEP): SharedArrayBuffer is available. */
  crossOriginIsolated: boolean;
  /** Guest RAM is a SharedArrayBuffer. */
  sharedMemory: boolean;
  jit: string;
}

/** A running machine. Every method may be called at any time; those that do not apply do nothing. */
export interface BrowserVm {
  /** Type into the guest's console (a string is sent as UTF-8). */
  write(input: string | Uint8Array): void;
  /** Receive the guest's console output; returns a function that unsubscribes. */
  onOutput(listener: (bytes: Uint8Array) => void): () => void;
  /** Receive progress of the kernel and initramfs downloads. */
  onProgress(listener: (what: 'kernel' | 'initrd', loadedBytes: number, totalBytes: number) => void): void;
  /** Called at each change of the run state. */
  onState(listener: (state: RunState) => void): void;
  /** Called at every boot (the first, and after a reset or a guest reboot). */
  onBoot(listener: (info: BootInfo) => void): void;
  /** Called every ~0.5 s with the guest's speed. */
  onStats(listener: (stats: VmStats) => void): void;
  /** Resolves when the machine is off for good (guest poweroff, powerOff, or a failure). */
  readonly exited: Promise<ExitInfo>;
  readonly state: RunState;
  pause(): void;
  resume(): void;
  /** Pull the plug: the machine stops at once (the guest is not asked). */
  powerOff(): void;
  /** Start the machine again from its kernel, as a reset button does. */
  reset(): void;
  /** End the worker (after exit, or to drop the machine at once). */
  terminate(): void;
}

/** Start a machine in a new worker. URLs in `options` are fetched by the worker, relative to it. */
export function createVm(options: CreateVmOptions): BrowserVm {
  const { workerUrl, ...config } = options;
  const worker = new Worker(workerUrl ?? new URL('./worker.js', import.meta.url), { type: 'module' });
  const outputs = new Set<(bytes: Uint8Array) => void>();
  const progress: ((what: 'kernel' | 'initrd', loaded: number, total: number) => void)[] = [];
  const states: ((s: RunState) => void)[] = [];
  const boots: ((b: BootInfo) => void)[] = [];
  const statsListeners: ((s: VmStats) => void)[] = [];
  let state: RunState = 'loading';
  let last: { instructions: number; hostMs: number } | undefined;
  let resolveExit: (e: ExitInfo) => void = () => {};
  const exited = new Promise<ExitInfo>((r) => (resolveExit = r));
  const send = (m: ToWorker, transfer: Transferable[] = []): void => worker.postMessage(m, transfer);
  const abs = (x: Uint8Array | string | undefined): Uint8Array | string | undefined =>
    typeof x === 'string' ? new URL(x, document.baseURI).href : x;

  worker.onmessage = (ev: MessageEvent<FromWorker>) => {
    const m = ev.data;
    switch (m.type) {
      case 'output':
        for (const l of outputs) l(m.bytes);
        break;
      case 'progress':
        for (const l of progress) l(m.what, m.loadedBytes, m.totalBytes);
        break;
      case 'state':
        state = m.state;
        for (const l of states) l(m.state);
        break;
      case 'booted':
        for (const l of boots)
          l({ crossOriginIsolated: m.crossOriginIsolated, sharedMemory: m.sharedMemory, jit: m.jit });
        break;
      case 'stats': {
        const dtMs = last === undefined ? STATS_INTERVAL_MS : m.hostMs - last.hostMs;
        const di = last === undefined ? 0 : m.instructions - last.instructions;
        last = { instructions: m.instructions, hostMs: m.hostMs };
        const mips = dtMs > 0 ? di / dtMs / 1000 : 0;
        for (const l of statsListeners) l({ instructions: m.instructions, mips });
        break;
      }
      case 'exit':
        resolveExit(m.exit);
        break;
    }
  };
  worker.onerror = (ev) => {
    state = 'failed';
    for (const l of states) l(state);
    resolveExit({ kind: 'error', message: ev.message || 'the worker failed to load' });
  };
  send({
    type: 'start',
    config: { ...config, kernel: abs(config.kernel) as Uint8Array | string, initrd: abs(config.initrd) },
  });
  const encoder = new TextEncoder();
  return {
    write: (input) => {
      const bytes = typeof input === 'string' ? encoder.encode(input) : input.slice();
      send({ type: 'input', bytes }, [bytes.buffer]);
    },
    onOutput: (l) => {
      outputs.add(l);
      return () => outputs.delete(l);
    },
    onProgress: (l) => progress.push(l),
    onState: (l) => states.push(l),
    onBoot: (l) => boots.push(l),
    onStats: (l) => statsListeners.push(l),
    exited,
    get state() {
      return state;
    },
    pause: () => send({ type: 'pause' }),
    resume: () => send({ type: 'resume' }),
    powerOff: () => send({ type: 'powerOff' }),
    reset: () => send({ type: 'reset' }),
    terminate: () => worker.terminate(),
  };
}
