// Snapshot state of a virtio-blk device (STYLE section 6): a plain, versioned object. Queue state
// belongs to the transport; the disk contents belong to the backend.

import type { VirtioBlkMetrics } from './metrics.js';

/**
 * Snapshot of a {@link VirtioBlk}, taken with no request in flight (see `VirtioBlk.quiesce`), so
 * it holds only what identifies the disk the guest saw and the counters.
 */
export interface VirtioBlkState {
  version: 1;
  /** Capacity the guest read, in 512-byte sectors: the restored backend must match it. */
  capacitySectors: number;
  readOnly: boolean;
  /** GET_ID string. */
  serial: string;
  /** Offered device features, as hex: the guest negotiated from these. */
  features: string;
  metrics: VirtioBlkMetrics;
}

/** A snapshot that cannot be restored, or that does not fit the backend it is restored onto. */
export class VirtioBlkStateError extends Error {
  constructor(problem: string) {
    super(`virtio-blk snapshot: ${problem}`);
  }
}
