// Entropy backends: where virtio-rng's random bytes come from. The interface is what the device
// sees; HostEntropySource draws from the host's CSPRNG through node:crypto.

import { randomFillSync } from 'node:crypto';

/** A source of random bytes for the guest. */
export interface EntropySource {
  /** Fill `buf` completely with random bytes. `buf` is at most 64 KiB and may be reused. */
  fill(buf: Uint8Array): void;
}

/** The host's cryptographically secure generator (`crypto.randomFillSync`). */
export class HostEntropySource implements EntropySource {
  fill(buf: Uint8Array): void {
    randomFillSync(buf);
  }
}
