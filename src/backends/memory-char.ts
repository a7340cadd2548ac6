// A character backend for tests: it records what the device writes and lets the test type input,
// and shows the flow-control requests the device makes.

import type { CharBackend } from './char.js';

/** A backend that records output and lets a test inject input. */
export class MemoryCharBackend implements CharBackend {
  readonly output: number[] = [];
  /** The device's latest flow-control request. */
  inputPaused = false;
  private receiver: ((bytes: Uint8Array) => void) | undefined;
  pauseInput(paused: boolean): void {
    this.inputPaused = paused;
  }
  write(bytes: Uint8Array): void {
    for (const b of bytes) this.output.push(b);
  }
  onInput(receiver: (bytes: Uint8Array) => void): void {
    this.receiver = receiver;
  }
  /** Deliver `text` as if typed by the user. */
  type(text: string | Uint8Array): void {
    this.receiver?.(typeof text === 'string' ? new TextEncoder().encode(text) : text);
  }
  text(): string {
    return new TextDecoder().decode(Uint8Array.from(this.output));
  }
}
