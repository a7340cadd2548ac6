// The host signals that stop `tsvirt run` cleanly. They are stop requests of the VM like any other
// (vm/stop.ts); only what a second signal means, and the exit statuses, belong to the process.

import type { StopRequests } from '../vm/stop.js';

/**
 * Signals that stop tsvirt cleanly (the guest stops, in-flight disk requests complete, disks are
 * flushed and closed), with the exit status each gives: 128 + the signal's number, what a shell
 * reports for a process the signal killed.
 */
export const STOP_SIGNALS = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

/** The exit status of a stop by `signal`, or undefined when it is not one of STOP_SIGNALS. */
export function signalStatus(signal: string): number | undefined {
  return Object.hasOwn(STOP_SIGNALS, signal) ? STOP_SIGNALS[signal as StopSignal] : undefined;
}

/**
 * SIGINT, SIGTERM and SIGHUP, while installed: the first one is a stop request of `stop`, so that
 * the VM shuts down in order; a second one, while that is under way, exits at once with the
 * first one's status.
 */
export class StopSignals {
  private first: StopSignal | undefined;
  private readonly handlers = new Map<StopSignal, () => void>();

  constructor(private readonly stop: StopRequests) {
    for (const name of Object.keys(STOP_SIGNALS) as StopSignal[]) {
      const handler = (): void => this.received(name);
      this.handlers.set(name, handler);
      process.on(name, handler);
    }
  }

  uninstall(): void {
    for (const [name, handler] of this.handlers) process.off(name, handler);
  }

  private received(name: StopSignal): void {
    if (this.first !== undefined) {
      process.stderr.write(`tsvirt: ${name} again: exiting without finishing the shutdown\n`);
      process.exit(STOP_SIGNALS[this.first]);
    }
    this.first = name;
    this.stop.request({ kind: 'signal', signal: name });
  }
}
