// Character backends: the host side of a serial console (a terminal, pipes, a socket, a test).
// Devices write bytes out and receive bytes in through this interface only.

export interface CharBackend {
  /** Bytes from the guest to the host. Never blocks the CPU thread. */
  write(bytes: Uint8Array): void;
  /** Register the receiver of host input; the backend calls it with each chunk typed. */
  onInput(receiver: (bytes: Uint8Array) => void): void;
  /**
   * Flow control: the device holds as much unread input as it may, so the backend should stop
   * delivering (true) until called again with false. Backends that cannot wait (a terminal
   * where the user types) may leave it out; the device then drops what does not fit.
   */
  pauseInput?(paused: boolean): void;
}

/**
 * Output flow control a console backend may offer: how much it has accepted but not yet passed
 * on to the host, and a call when that shrinks (Node: `writableLength` and the 'drain' event).
 * A device cannot see a slow host otherwise.
 */
export interface CharOutputFlow {
  /** Bytes given to `write` and not yet written out. */
  readonly pendingOutputBytes: number;
  /** Call `drained` once, the next time `pendingOutputBytes` falls. */
  onOutputDrained(drained: () => void): void;
}
