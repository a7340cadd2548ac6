// Entropy backends: where virtio-rng's random bytes come from. The interface is what the device
// sees; HostEntropySource draws from the host's CSPRNG through the Web Crypto API, which Node
// (globalThis.crypto, from version 19) and browsers both provide.

/** A source of random bytes for the guest. */
export interface EntropySource {
  /** Fill `buf` completely with random bytes. `buf` is at most 64 KiB and may be reused. */
  fill(buf: Uint8Array): void;
}

/** getRandomValues fills at most this many bytes per call (Web Crypto, QuotaExceededError). */
const GET_RANDOM_VALUES_MAX_BYTES = 65536;

/** The host's cryptographically secure generator (`crypto.getRandomValues`). */
export class HostEntropySource implements EntropySource {
  fill(buf: Uint8Array): void {
    for (let at = 0; at < buf.length; at += GET_RANDOM_VALUES_MAX_BYTES) {
      crypto.getRandomValues(buf.subarray(at, at + GET_RANDOM_VALUES_MAX_BYTES));
    }
  }
}
