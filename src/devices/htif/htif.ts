// HTIF, the host-target interface of the Spike simulator: the guest writes a command to the
// `tohost` doubleword in RAM; the host answers in `fromhost`. Layout of a command:
// device (63:56), command (55:48), payload (47:0). Device 0 command 0 with an odd payload ends the
// run with exit code payload >> 1 (1 = pass); device 1 command 1 writes a character to the console.

import type { GuestMemory } from '../../memory/guest-memory.js';

/** What HTIF does to the outside world. */
export interface HtifHost {
  putchar(byte: number): void;
  /** The guest asked to stop: 0 means pass, n > 0 means test case n failed. */
  exit(code: number): void;
  /** The guest used a command this host does not provide. */
  unsupported(device: number, command: number, payload: bigint): void;
}

/** HTIF's state in a snapshot: where its mailboxes are, and a low-word store not yet completed. */
export interface HtifState {
  tohost: number;
  fromhost: number | null;
  pendingLow: boolean;
}

export class Htif {
  /** A 32-bit store to the low word waits for its high word (RV32-style split write). */
  private pendingLow = false;

  constructor(
    private readonly mem: GuestMemory,
    readonly tohost: number,
    readonly fromhost: number | undefined,
    private readonly host: HtifHost,
  ) {}

  /** Watched physical range: the 8 bytes of tohost. */
  get start(): number {
    return this.tohost;
  }
  get end(): number {
    return this.tohost + 8;
  }

  /**
   * A store touched tohost. A whole-doubleword store, or one that reaches the high word, completes
   * a command; a store of the low word alone is held until the high word arrives or `poll()`.
   */
  onStore(pa: number, bytes: number): void {
    if (pa + bytes > this.tohost + 4) {
      this.pendingLow = false;
      this.process();
    } else {
      this.pendingLow = true;
    }
  }

  /** Complete a held low-word write (called between instruction slices). */
  poll(): void {
    if (this.pendingLow) {
      this.pendingLow = false;
      this.process();
    }
  }

  save(): HtifState {
    return { tohost: this.tohost, fromhost: this.fromhost ?? null, pendingLow: this.pendingLow };
  }

  /**
   * Load `s` (untrusted). The mailboxes are the program's (its ELF symbols): a state whose
   * addresses differ is of another program, and is refused naming both.
   */
  restore(s: HtifState): void {
    if (typeof s !== 'object' || s === null || typeof s.pendingLow !== 'boolean')
      throw new Error('not an HTIF state');
    const hex = (v: number | null | undefined): string =>
      typeof v === 'number' ? `0x${v.toString(16)}` : 'none';
    if (s.tohost !== this.tohost || (s.fromhost ?? undefined) !== this.fromhost)
      throw new Error(
        `the snapshot's tohost/fromhost are at ${hex(s.tohost)}/${hex(s.fromhost)}, this program's at ` +
          `${hex(this.tohost)}/${hex(this.fromhost)}: it is of another program`,
      );
    this.pendingLow = s.pendingLow;
  }

  private process(): void {
    const v = this.mem.read64(this.tohost);
    if (v === 0n) return;
    const device = Number(v >> 56n);
    const command = Number((v >> 48n) & 0xffn);
    const payload = v & 0xffffffffffffn;
    if (device === 0 && command === 0 && (payload & 1n) === 1n) {
      this.host.exit(Number(payload >> 1n));
      return;
    }
    if (device === 1 && command === 1) {
      this.host.putchar(Number(payload & 0xffn));
    } else {
      this.host.unsupported(device, command, payload);
    }
    // Acknowledge: clear tohost and post a response, or the guest spins forever.
    this.mem.write64(this.tohost, 0n);
    if (this.fromhost !== undefined)
      this.mem.write64(this.fromhost, (BigInt(device) << 56n) | (BigInt(command) << 48n));
  }
}
