// The host console on the process's stdin/stdout. On a terminal it runs raw, with QEMU's escape
// key: Ctrl-A x quits, Ctrl-A h prints help, Ctrl-A Ctrl-A sends a literal Ctrl-A. On pipes it
// passes bytes through unchanged, so a session can be scripted.

import type { CharBackend, CharOutputFlow } from '../../backends/char.js';

const CTRL_A = 0x01;

export interface StdioConsoleOptions {
  /** Called when the user asks to quit (Ctrl-A x). */
  onQuit(): void;
}

export class StdioConsole implements CharBackend, CharOutputFlow {
  private receiver: ((bytes: Uint8Array) => void) | undefined;
  private escape = false;
  private readonly raw: boolean;
  private readonly pending: Uint8Array[] = [];
  /**
   * Output not yet written: the guest's UART sends a byte at a time, and every stdout write is a
   * system call (synchronous on Linux pipes and terminals), ~12 k of them during a Debian boot.
   * Written at the next turn of the event loop (the CPU loop yields every few milliseconds), when
   * full, and on close.
   */
  private out = new Uint8Array(4096);
  private outLen = 0;
  private flushQueued = false;
  private readonly flushNow = (): void => {
    this.flushQueued = false;
    this.flush();
  };
  private drainWaiters: (() => void)[] = [];
  private readonly callDrained = (): void => {
    for (const w of this.drainWaiters.splice(0)) w();
  };

  constructor(private readonly opts: StdioConsoleOptions) {
    this.raw = process.stdin.isTTY === true;
    if (this.raw) process.stdin.setRawMode(true);
    process.stdin.on('data', this.onData);
    process.stdin.on('error', ignoreError);
  }

  private readonly onData = (chunk: Buffer): void => this.input(chunk);

  write(bytes: Uint8Array): void {
    if (this.outLen + bytes.length > this.out.length) this.flush();
    if (bytes.length > this.out.length) {
      process.stdout.write(bytes);
      return;
    }
    this.out.set(bytes, this.outLen);
    this.outLen += bytes.length;
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(this.flushNow);
    }
  }

  /** Write out what the guest has sent so far. */
  flush(): void {
    if (this.outLen === 0) return;
    process.stdout.write(Buffer.from(this.out.subarray(0, this.outLen)));
    this.outLen = 0;
  }

  /** Stop reading stdin while the guest leaves input unread: pipes then wait, nothing is lost. */
  pauseInput(paused: boolean): void {
    if (paused) process.stdin.pause();
    else process.stdin.resume();
  }

  /**
   * Output not yet written out (virtio-console's CharOutputFlow). Linux pipes and terminals take
   * stdout writes synchronously, so this is mostly the coalescing buffer; where stdout is
   * asynchronous (a socket, other OSes), its queue counts too and a slow reader holds the guest
   * back instead of growing our memory.
   */
  get pendingOutputBytes(): number {
    return this.outLen + process.stdout.writableLength;
  }

  onOutputDrained(drained: () => void): void {
    this.drainWaiters.push(drained);
    if (this.drainWaiters.length > 1) return;
    if (process.stdout.writableLength > 0) process.stdout.once('drain', this.callDrained);
    // Otherwise only the coalescing buffer holds bytes, and its flush is already queued.
    else setImmediate(this.callDrained);
  }

  onInput(receiver: (bytes: Uint8Array) => void): void {
    this.receiver = receiver;
    for (const p of this.pending.splice(0)) receiver(p);
  }

  /** Put the terminal back the way it was and stop reading. */
  close(): void {
    this.flush();
    if (this.raw) process.stdin.setRawMode(false);
    process.stdin.pause();
    // stdin outlives the console: a listener left on it would keep this console and the whole VM
    // reachable, one more per --reboot or system_reset.
    process.stdin.off('data', this.onData);
    process.stdin.off('error', ignoreError);
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

/** Read errors on stdin (a closed terminal) end input, not tsvirt. */
function ignoreError(): void {}
