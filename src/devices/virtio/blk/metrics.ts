// Counters of a virtio-blk device: requests by type, bytes moved, and why requests failed.

/** Counters of a virtio-blk device; they only grow (a snapshot carries them over). */
export interface VirtioBlkMetrics {
  readRequests: number;
  writeRequests: number;
  flushRequests: number;
  discardRequests: number;
  writeZeroesRequests: number;
  getIdRequests: number;
  /** Bytes read from the backend into guest buffers. */
  bytesRead: number;
  /** Bytes written to the backend by OUT requests. */
  bytesWritten: number;
  /** Requests refused by validation with VIRTIO_BLK_S_IOERR (bad header, range, length...). */
  invalidRequests: number;
  /** Requests completed with VIRTIO_BLK_S_UNSUPP. */
  unsupportedRequests: number;
  /** Valid requests the backend failed (completed with VIRTIO_BLK_S_IOERR). */
  backendErrors: number;
  /** Chains without a status byte: returned with nothing written. */
  chainsWithoutStatus: number;
}

/** Fresh zeroed counters. */
export function newVirtioBlkMetrics(): VirtioBlkMetrics {
  return {
    readRequests: 0,
    writeRequests: 0,
    flushRequests: 0,
    discardRequests: 0,
    writeZeroesRequests: 0,
    getIdRequests: 0,
    bytesRead: 0,
    bytesWritten: 0,
    invalidRequests: 0,
    unsupportedRequests: 0,
    backendErrors: 0,
    chainsWithoutStatus: 0,
  };
}
