// Host memory that virtio devices hold on behalf of guest requests: each device has an account
// with its own limit, and the accounts of one VM draw from one shared budget. A device that cannot
// get the bytes for a request leaves it in the available ring (back-pressure, as QEMU and
// Firecracker do) and is woken once bytes come back; the guest never sees an error for it.

const MiB = 1024 * 1024;

/**
 * Default limit of a VM's shared budget, in bytes: 64 MiB. It is twice virtio-blk's default
 * per-device limit (32 MiB), so two busy disks each get their full limit and more disks share
 * it in turn. Real drivers stay far below it (Linux sends at most max_sectors_kb, 1280 KiB by
 * default, per request); without any bound, 256 maximal requests held 4.1 GB of host memory.
 */
export const DEFAULT_VM_BUDGET_BYTES = 64 * MiB;

/** What the accounts of one budget share. */
interface Pool {
  readonly limitBytes: number;
  usedBytes: number;
  peakBytes: number;
  /** Accounts refused for lack of shared bytes, served first come, first served. */
  readonly waiting: MemoryAccount[];
}

/**
 * The budget of one VM. Create one per VM and {@link open} an account per device.
 *
 * Invariants: the bytes held by all accounts never exceed `limitBytes`; an account's limit is at
 * most the budget's, so a device with nothing held can always get its largest request once the
 * other devices' I/O completes (their bytes come back when it does): no deadlock. Accounts
 * waiting for shared bytes are served in order, so one busy device cannot starve another.
 */
export class MemoryBudget {
  private readonly pool: Pool;

  constructor(readonly limitBytes = DEFAULT_VM_BUDGET_BYTES) {
    if (!Number.isSafeInteger(limitBytes) || limitBytes <= 0)
      throw new RangeError(`memory budget of ${limitBytes} bytes is not a positive integer`);
    this.pool = { limitBytes, usedBytes: 0, peakBytes: 0, waiting: [] };
  }

  /** Bytes held by all accounts now. */
  get usedBytes(): number {
    return this.pool.usedBytes;
  }

  /** Most bytes ever held at once. */
  get peakBytes(): number {
    return this.pool.peakBytes;
  }

  /**
   * A device's account, limited to `limitBytes` of its own. `wake` is called, from a microtask,
   * after a refused {@link MemoryAccount.tryTake} when it may now succeed; the device then tries
   * again (or calls {@link MemoryAccount.cancelWait} if it no longer wants the bytes).
   */
  open(limitBytes: number, wake: () => void): MemoryAccount {
    if (!Number.isSafeInteger(limitBytes) || limitBytes <= 0 || limitBytes > this.limitBytes) {
      throw new RangeError(
        `a device limit of ${limitBytes} bytes does not fit the VM budget of ${this.limitBytes} bytes`,
      );
    }
    return new MemoryAccount(this.pool, limitBytes, wake);
  }
}

/** One device's share of a {@link MemoryBudget}. Single-threaded, like the devices. */
export class MemoryAccount {
  private used = 0;
  private peak = 0;
  /** Refused by the account's own limit: woken by its next release. */
  private waitingOwn = false;
  /** Bytes wanted while in the pool's line. */
  private wantBytes = 0;
  private wakeScheduled = false;

  constructor(
    private readonly pool: Pool,
    readonly limitBytes: number,
    private readonly wake: () => void,
  ) {}

  /** Bytes this account holds now. */
  get usedBytes(): number {
    return this.used;
  }

  /** Most bytes this account ever held at once. */
  get peakBytes(): number {
    return this.peak;
  }

  /** True while the account waits for shared bytes. */
  get waiting(): boolean {
    return this.pool.waiting.includes(this);
  }

  /**
   * Take `bytes` if both the account's limit and the shared budget allow it and no account is
   * ahead in line; otherwise take nothing, remember to wake the device, and return false.
   * `bytes` above the account's limit could never be granted: that is a device bug and throws.
   */
  tryTake(bytes: number): boolean {
    if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > this.limitBytes)
      throw new RangeError(`${bytes} bytes can never fit an account of ${this.limitBytes} bytes`);
    const pool = this.pool;
    if (this.used + bytes > this.limitBytes) {
      // Our own requests hold the bytes and will give them back: no need to hold a place in line.
      this.waitingOwn = true;
      this.leaveLine();
      return false;
    }
    const first = pool.waiting[0];
    if ((first !== undefined && first !== this) || pool.usedBytes + bytes > pool.limitBytes) {
      if (!pool.waiting.includes(this)) pool.waiting.push(this);
      this.wantBytes = bytes;
      return false;
    }
    if (first === this) pool.waiting.shift();
    this.used += bytes;
    this.peak = Math.max(this.peak, this.used);
    pool.usedBytes += bytes;
    pool.peakBytes = Math.max(pool.peakBytes, pool.usedBytes);
    if (first === this) wakeFirst(pool);
    return true;
  }

  /** Give back `bytes` taken by {@link tryTake}. Giving back more than is held is a device bug. */
  release(bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > this.used)
      throw new RangeError(`releasing ${bytes} bytes from an account holding ${this.used}`);
    if (bytes === 0) return;
    this.used -= bytes;
    this.pool.usedBytes -= bytes;
    if (this.waitingOwn) {
      this.waitingOwn = false;
      this.scheduleWake();
    }
    wakeFirst(this.pool);
  }

  /** The device no longer wants bytes (its ring is empty, it was reset or paused). */
  cancelWait(): void {
    this.waitingOwn = false;
    this.leaveLine();
  }

  /** Called by the pool when this account is first in line and its bytes fit. */
  scheduleWake(): void {
    if (this.wakeScheduled) return;
    this.wakeScheduled = true;
    void Promise.resolve().then(() => {
      this.wakeScheduled = false;
      this.wake();
    });
  }

  /** Bytes wanted while waiting in line. */
  get wantedBytes(): number {
    return this.wantBytes;
  }

  private leaveLine(): void {
    const at = this.pool.waiting.indexOf(this);
    if (at < 0) return;
    this.pool.waiting.splice(at, 1);
    if (at === 0) wakeFirst(this.pool);
  }
}

/** Wake the first account in line if what it wants now fits. */
function wakeFirst(pool: Pool): void {
  const first = pool.waiting[0];
  if (first !== undefined && pool.usedBytes + first.wantedBytes <= pool.limitBytes) first.scheduleWake();
}
