// virtio-entropy (virtio-rng), virtio 1.2 §5.4: one request queue whose device-writable buffers
// the device fills with random bytes from an injected entropy source.

import type { EntropySource } from '../../../backends/entropy.js';
import { chainLength, writeChain } from '../chain.js';
import { VIRTIO_ID_RNG, type VirtioContext, type VirtioDevice } from '../types.js';

/** QueueNumMax of the request queue. */
export const VIRTIO_RNG_QUEUE_SIZE = 256;
/** Most random bytes served per request; §5.4.6.2 lets the device fill less than offered. */
export const VIRTIO_RNG_MAX_REQUEST_BYTES = 64 * 1024;

const REQUESTQ = 0;

/** Snapshot of a {@link VirtioRng}: requests are served synchronously, so nothing else is kept. */
export interface VirtioRngState {
  version: 1;
}

/**
 * The entropy device. Each chain on the request queue is answered at once: its writable buffers
 * get up to {@link VIRTIO_RNG_MAX_REQUEST_BYTES} random bytes, the used length says how many.
 * Device-readable buffers (which the driver MUST NOT supply, §5.4.6.1) are ignored, and a chain
 * with no writable bytes is returned with length 0.
 *
 * Host memory: nothing waits for entropy (the source is synchronous), and the one scratch buffer
 * never exceeds the per-request cap, whatever length a chain describes (up to 4 GiB over one
 * page). A notification serves at most one queue's worth of requests (256 * 64 KiB).
 */
export class VirtioRng implements VirtioDevice {
  readonly deviceId = VIRTIO_ID_RNG;
  readonly queueMaxSizes: readonly number[] = [VIRTIO_RNG_QUEUE_SIZE];
  /** No feature bits are defined for this device (§5.4.3). */
  readonly features = 0n;

  private ctx: VirtioContext | undefined;
  private scratch = new Uint8Array(0);

  constructor(private readonly source: EntropySource) {}

  /** No configuration space (§5.4.4): reads 0. */
  readConfig(): number {
    return 0;
  }

  writeConfig(): boolean {
    return false;
  }

  activate(ctx: VirtioContext): void {
    this.ctx = ctx;
    this.serve();
  }

  queueNotify(index: number): void {
    if (index === REQUESTQ) this.serve();
  }

  reset(): void {
    this.ctx = undefined;
  }

  /** Bytes of the scratch buffer requests are filled from. */
  get scratchBytes(): number {
    return this.scratch.length;
  }

  /** Answer every chain on the request queue, then notify the driver once. */
  private serve(): void {
    const ctx = this.ctx;
    const q = ctx?.queues[REQUESTQ];
    if (ctx === undefined || q === undefined) return;
    let served = false;
    for (let chain = q.pop(); chain !== undefined; chain = q.pop()) {
      const n = Math.min(chainLength(chain.writable), VIRTIO_RNG_MAX_REQUEST_BYTES);
      if (this.scratch.length < n) this.scratch = new Uint8Array(n);
      const bytes = this.scratch.subarray(0, n);
      this.source.fill(bytes);
      q.push(chain, writeChain(ctx.mem, chain.writable, 0, bytes));
      served = true;
    }
    if (served) q.notify();
  }

  // --- Snapshot ---

  save(): VirtioRngState {
    return { version: 1 };
  }

  /** Load a snapshot taken by {@link save}; call after the transport's restore. */
  restore(s: VirtioRngState): void {
    if (s.version !== 1) throw new Error(`virtio-rng state version ${String(s.version)} is not supported`);
  }
}
