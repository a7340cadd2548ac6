// Guest time sources. The platform timer of every board counts at a fixed frequency derived from
// host monotonic time, so guest `date` and timeouts follow the wall clock.

/** A monotonic tick counter. */
export interface Clock {
  readonly freqHz: number;
  /** Current tick count (an integer). */
  ticks(): number;
}

/** Ticks at `freqHz` since construction, from the host's monotonic clock. */
export class HostClock implements Clock {
  private readonly startMs = performance.now();
  constructor(readonly freqHz: number) {}
  ticks(): number {
    return Math.floor((performance.now() - this.startMs) * (this.freqHz / 1000));
  }
}
