// The host console on the process's stdin/stdout. On a terminal it runs raw, with QEMU's escape
// key: Ctrl-A x quits, Ctrl-A h prints help, Ctrl-A Ctrl-A sends a literal Ctrl-A. On pipes it
// passes bytes through unchanged, so a session can be scripted.

import type { CharBackend } from '../../backends/char.js';

const CTRL_A = 0x01;

export interface StdioConsoleOptions {
  /** Called when the user asks to quit (Ctrl-A x). */
  onQuit(): void;
}

export class StdioConsole implements CharBackend {
  private receiver: ((bytes: Uint8Array) => void) | undefined;
  private escape = false;
  private readonly raw: boolean;
  private readonly pending: Uint8Array[] = [];

  constructor(private readonly opts: StdioConsoleOptions) {
    this.raw = process.stdin.isTTY === true;
    if (this.raw) process.stdin.setRawMode(true);
    process.stdin.on('data', (chunk: Buffer) => this.input(chunk));
    process.stdin.on('error', () => {});
  }

  write(bytes: Uint8Array): void {
    process.stdout.write(bytes);
  }

  onInput(receiver: (bytes: Uint8Array) => void): void {
    this.receiver = receiver;
    for (const p of this.pending.splice(0)) receiver(p);
  }

  /** Put the terminal back the way it was and stop reading. */
  close(): void {
    if (this.raw) process.stdin.setRawMode(false);
    process.stdin.pause();
    (process.stdin as { unref?: () => void }).unref?.();
  }

  private deliver(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.receiver === undefined) this.pending.push(bytes);
    else this.receiver(bytes);
  }

  private input(chunk: Buffer): void {
    if (!this.raw) {
      this.deliver(new Uint8Array(chunk));
      return;
    }
    const out: number[] = [];
    for (const b of chunk) {
      if (this.escape) {
        this.escape = false;
        if (b === 0x78 /* x */) {
          this.deliver(Uint8Array.from(out));
          process.stderr.write('\r\ntsvirt: terminated by Ctrl-A x\r\n');
          this.opts.onQuit();
          return;
        }
        if (b === 0x68 /* h */) {
          process.stderr.write(
            '\r\nC-a h    print this help\r\nC-a x    exit tsvirt\r\nC-a C-a  send C-a\r\n',
          );
          continue;
        }
        if (b === CTRL_A) out.push(CTRL_A);
        continue;
      }
      if (b === CTRL_A) this.escape = true;
      else out.push(b);
    }
    this.deliver(Uint8Array.from(out));
  }
}
