// Requests to stop a VM from outside the guest: a host signal, the console's quit key (Ctrl-A x), a
// library call. One mechanism for all of them, so that each stops the same way: the CPU loop ends
// at the next slice, then the VM closes its devices in order.

/** Why the VM was asked to stop. */
export type StopReason =
  /** A host signal (SIGINT, SIGTERM, SIGHUP: the host layer decides which ones stop the VM). */
  | { kind: 'signal'; signal: string }
  /** The user's quit key on the console (Ctrl-A x). */
  | { kind: 'quit' }
  /** `Vm.stop` by a program. */
  | { kind: 'request' }
  /**
   * A monitor command (QMP): `quit` ends tsvirt, `reset` boots the guest again, `loadvm` builds
   * the VM again from a snapshot (snapshot-load).
   */
  | { kind: 'monitor'; action: 'quit' | 'reset' | 'loadvm' };

/**
 * The stop requests of one VM. The first request is the reason the VM stops; later ones change
 * nothing (the host layer decides what a repeated signal means). Requests made before the VM
 * exists are kept, and its `run` then returns at once.
 */
export class StopRequests {
  private first: StopReason | undefined;
  private readonly listeners: (() => void)[] = [];

  /** The first request, or undefined while none was made. */
  get reason(): StopReason | undefined {
    return this.first;
  }

  /** Ask the VM to stop; true when this is the first request (the one that counts). */
  request(reason: StopReason): boolean {
    if (this.first !== undefined) return false;
    this.first = reason;
    for (const l of this.listeners) l();
    return true;
  }

  /** Call `listener` at the first request (at once if it was made already). */
  onRequest(listener: () => void): void {
    this.listeners.push(listener);
    if (this.first !== undefined) listener();
  }
}
