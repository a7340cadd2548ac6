// A network backend for tests: it records the frames the guest sends and injects frames as the
// host side would, honouring pause and resume, with no event loop of its own.

import { newNetBackendMetrics, type NetBackend } from './backend.js';

/**
 * A backend that records what the guest sends and lets a test (or an in-process hub) inject
 * frames. `inject` honours `pause`: frames injected while paused wait until `resume`, which
 * delivers them synchronously (this backend has no event loop of its own).
 */
export class MemoryNetBackend implements NetBackend {
  readonly sent: Uint8Array[] = [];
  readonly metrics = newNetBackendMetrics();
  paused = false;
  closed = false;
  private receiver: ((frame: Uint8Array) => void) | undefined;
  private readonly held: Uint8Array[] = [];

  send(frame: Uint8Array): void {
    if (this.closed) {
      this.metrics.txDropped++;
      return;
    }
    this.metrics.txFrames++;
    this.metrics.txBytes += frame.length;
    this.sent.push(frame);
  }
  onReceive(receiver: (frame: Uint8Array) => void): void {
    this.receiver = receiver;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    while (!this.paused && this.held.length > 0) this.deliver(this.held.shift() as Uint8Array);
  }
  close(): void {
    this.closed = true;
    this.receiver = undefined;
    this.held.length = 0;
  }
  /** Deliver `frame` to the receiver as if it came from the host side. */
  inject(frame: Uint8Array): void {
    if (this.paused) this.held.push(frame);
    else this.deliver(frame);
  }
  /** Frames held back by `pause`. */
  get heldCount(): number {
    return this.held.length;
  }
  private deliver(frame: Uint8Array): void {
    if (this.receiver === undefined || this.closed) {
      this.metrics.rxDropped++;
      return;
    }
    this.metrics.rxFrames++;
    this.metrics.rxBytes += frame.length;
    this.receiver(frame);
  }
}
