// The Web Worker that runs a tsvirt machine for a page: the same build() as the Node CLI, with the
// browser's host side (console over postMessage, Web Crypto entropy, performance.now time, the
// kernel and initramfs fetched by URL). The page's thread never runs guest code.

import { HostEntropySource } from '../backends/entropy.js';
import type { CharBackend } from '../backends/char.js';
import { isaProfile } from '../cpu/riscv/isa/profile.js';
import { build } from '../vm/build.js';
import type { Vm, VmEnd } from '../vm/vm.js';
import {
  STATS_INTERVAL_MS,
  type ExitInfo,
  type FromWorker,
  type RunState,
  type StartConfig,
  type ToWorker,
} from './protocol.js';

/** The part of a dedicated worker's global scope used here (worker-globals.d.ts has the rest). */
interface WorkerScope {
  postMessage(message: FromWorker, transfer?: ArrayBufferLike[]): void;
  onmessage: ((ev: { data: ToWorker }) => void) | null;
  crossOriginIsolated?: boolean;
}

const scope = self as WorkerScope;
const post = (m: FromWorker, transfer: ArrayBufferLike[] = []): void => scope.postMessage(m, transfer);

/** Default guest RAM, as `tsvirt run --machine virt`. */
const DEFAULT_MEMORY_BYTES = 512 * 1024 ** 2;
/** Most bytes fetched for a kernel or an initramfs: no server makes the worker hold more. */
const MAX_FILE_BYTES = 1024 ** 3;

/**
 * The console's host side: guest output is gathered over one CPU-loop turn (the loop runs guest
 * code in ~20 ms turns, then yields) and posted as one message; page input goes to the device.
 */
class PostConsole implements CharBackend {
  private pending: Uint8Array[] = [];
  private receiver: (bytes: Uint8Array) => void = () => {};
  write(bytes: Uint8Array): void {
    if (this.pending.length === 0) queueMicrotask(() => this.flush());
    // The device may reuse its buffer: keep a copy.
    this.pending.push(bytes.slice());
  }
  onInput(receiver: (bytes: Uint8Array) => void): void {
    this.receiver = receiver;
  }
  input(bytes: Uint8Array): void {
    this.receiver(bytes);
  }
  flush(): void {
    if (this.pending.length === 0) return;
    const total = this.pending.reduce((s, b) => s + b.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const b of this.pending) {
      out.set(b, at);
      at += b.length;
    }
    this.pending = [];
    post({ type: 'output', bytes: out }, [out.buffer]);
  }
}

/** Fetch `url` whole, reporting progress; bounded by MAX_FILE_BYTES. */
async function fetchBytes(url: string, what: 'kernel' | 'initrd'): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok || res.body === null) throw new Error(`${what}: GET ${url}: HTTP ${res.status}`);
  // Content-Length is of the encoded body when the server compressed it: progress only.
  const totalBytes = Number(res.headers.get('content-length') ?? 0) || 0;
  const chunks: Uint8Array[] = [];
  let loadedBytes = 0;
  const reader = res.body.getReader();
  let lastPostMs = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    loadedBytes += value.length;
    if (loadedBytes > MAX_FILE_BYTES) throw new Error(`${what}: ${url} is larger than 1 GiB`);
    chunks.push(value);
    if (performance.now() - lastPostMs > 50) {
      lastPostMs = performance.now();
      post({ type: 'progress', what, loadedBytes, totalBytes });
    }
  }
  post({ type: 'progress', what, loadedBytes, totalBytes: Math.max(totalBytes, loadedBytes) });
  const out = new Uint8Array(loadedBytes);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

const bytesOf = (x: Uint8Array | string, what: 'kernel' | 'initrd'): Promise<Uint8Array> =>
  typeof x === 'string' ? fetchBytes(x, what) : Promise.resolve(x);

/** The machine's whole life in this worker: boots, reboots on request, ends at power off. */
class Machine {
  private vm: Vm | undefined;
  private state: RunState = 'loading';
  private retiredBefore = 0;
  private resetRequested = false;
  private readonly console = new PostConsole();

  constructor(
    private readonly config: StartConfig,
    private readonly kernel: Uint8Array,
    private readonly initrd: Uint8Array | undefined,
  ) {}

  private setState(state: RunState): void {
    this.state = state;
    post({ type: 'state', state });
  }

  async run(): Promise<void> {
    const timer = setInterval(() => this.postStats(), STATS_INTERVAL_MS);
    let exit: ExitInfo;
    try {
      for (;;) {
        const vm = await this.boot();
        const end = await vm.run();
        this.retiredBefore += vm.instructionsRetired;
        this.vm = undefined;
        await vm.close();
        this.console.flush();
        const reboot =
          end.kind === 'guest' && end.stop.kind === 'reboot' && this.config.rebootOnRequest !== false;
        if (this.resetRequested || reboot) {
          this.resetRequested = false;
          continue;
        }
        exit = exitOf(end);
        break;
      }
    } catch (e) {
      exit = { kind: 'error', message: (e as Error).message };
    }
    clearInterval(timer);
    this.postStats();
    this.setState(exit.kind === 'error' ? 'failed' : 'off');
    post({ type: 'exit', exit });
  }

  private async boot(): Promise<Vm> {
    const c = this.config;
    const vm = await build({
      machine: 'virt',
      memoryBytes: c.memoryBytes ?? DEFAULT_MEMORY_BYTES,
      harts: c.harts,
      cpu: isaProfile(c.cpu),
      jit: c.jit,
      kernel: this.kernel,
      initrd: this.initrd,
      append: c.append,
      console: this.console,
      rng: new HostEntropySource(),
      warn: (msg) => {
        const line = new TextEncoder().encode(`\r\ntsvirt: ${msg}\r\n`);
        post({ type: 'output', bytes: line }, [line.buffer]);
      },
    });
    this.vm = vm;
    post({
      type: 'booted',
      crossOriginIsolated: scope.crossOriginIsolated === true,
      // SharedArrayBuffer is not even defined without cross-origin isolation.
      sharedMemory:
        typeof SharedArrayBuffer !== 'undefined' && vm.board.mem.bytes.buffer instanceof SharedArrayBuffer,
      jit: c.jit ?? 'wasm',
    });
    this.setState('running');
    return vm;
  }

  private postStats(): void {
    const instructions = this.retiredBefore + (this.vm?.instructionsRetired ?? 0);
    post({ type: 'stats', instructions, hostMs: performance.now() });
  }

  async handle(m: ToWorker): Promise<void> {
    const vm = this.vm;
    switch (m.type) {
      case 'input':
        this.console.input(m.bytes);
        return;
      case 'pause':
        if (vm === undefined || this.state !== 'running') return;
        await vm.pause();
        this.setState('paused');
        return;
      case 'resume':
        if (vm === undefined || this.state !== 'paused') return;
        vm.resume();
        this.setState('running');
        return;
      case 'powerOff':
        vm?.stop({ kind: 'request' });
        return;
      case 'reset':
        if (vm === undefined) return;
        this.resetRequested = true;
        vm.stop({ kind: 'request' });
        return;
      case 'start':
        return;
    }
  }
}

function exitOf(end: VmEnd): ExitInfo {
  if (end.kind === 'stopped') return { kind: 'stopped' };
  if (end.kind === 'guest' && end.stop.kind === 'fail') return { kind: 'fail', code: end.stop.code };
  return { kind: 'poweroff' };
}

let machine: Machine | undefined;
const early: ToWorker[] = [];

scope.onmessage = (ev) => {
  const m = ev.data;
  if (m.type === 'start') {
    if (machine !== undefined) return;
    void start(m.config);
  } else if (machine === undefined) {
    early.push(m);
  } else {
    void machine.handle(m);
  }
};

async function start(config: StartConfig): Promise<void> {
  try {
    const [kernel, initrd] = await Promise.all([
      bytesOf(config.kernel, 'kernel'),
      config.initrd === undefined ? undefined : bytesOf(config.initrd, 'initrd'),
    ]);
    machine = new Machine(config, kernel, initrd);
    const run = machine.run();
    for (const m of early.splice(0)) void machine.handle(m);
    await run;
  } catch (e) {
    post({ type: 'state', state: 'failed' });
    post({ type: 'exit', exit: { kind: 'error', message: (e as Error).message } });
  }
}
