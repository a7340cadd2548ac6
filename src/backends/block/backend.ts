// Block backends: the host side of a virtual disk (a raw image file, a copy-on-write overlay over
// a read-only base, memory for tests). Devices issue byte-addressed, asynchronous I/O through this
// interface only; no implementation detail (files, fsync, formats) leaks into the device model.

/** Sector size of the virtio-blk protocol (virtio 1.2 section 5.2.6), in bytes. */
export const SECTOR_BYTES = 512;

/**
 * A disk image. Every operation is asynchronous and never blocks the CPU thread. Errors are
 * reported as rejected promises (never thrown synchronously); the device turns them into
 * VIRTIO_BLK_S_IOERR. Offsets and lengths are byte counts, safe integers, and every operation
 * stays inside [0, sizeBytes): a backend rejects anything else with {@link BlockRangeError}.
 *
 * Concurrency: callers may start several operations at once. A backend keeps its own metadata
 * consistent under concurrency, but does not order overlapping data operations that are in flight
 * together (neither does a disk); a caller that needs ordering waits for completion first.
 *
 * Durability: a completed write may sit in a host cache. `flush` completes only after every
 * operation that completed before `flush` was called is on stable storage (`fdatasync`),
 * metadata included. Once a flush has failed, every later flush rejects too
 * ({@link FlushFailedError}): the data it should have covered may be gone from the host's cache.
 */
export interface BlockBackend {
  /** Size of the disk in bytes; constant for the life of the backend. */
  readonly sizeBytes: number;
  /** True when every write-like operation (write, discard, writeZeroes) rejects. */
  readonly readOnly: boolean;
  /**
   * Granularity at which `discard` and `writeZeroes` are cheapest, in bytes (a power of two that
   * is a multiple of 512): the device advertises it as discard_sector_alignment.
   */
  readonly discardGranularityBytes: number;
  /** Fill all of `buf` with the bytes at [offset, offset + buf.length). */
  read(offset: number, buf: Uint8Array): Promise<void>;
  /** Store `data` at `offset`. The caller must not modify `data` until the promise settles. */
  write(offset: number, data: Uint8Array): Promise<void>;
  /** Make every operation that completed before this call durable, then resolve. */
  flush(): Promise<void>;
  /**
   * A hint that [offset, offset + lenBytes) is no longer needed: its contents become undefined
   * (each backend documents what reads then return).
   */
  discard(offset: number, lenBytes: number): Promise<void>;
  /** Afterwards, reads of [offset, offset + lenBytes) return zeros. */
  writeZeroes(offset: number, lenBytes: number): Promise<void>;
  /**
   * Flush when writable, then release host resources. No other call may be in flight or follow.
   */
  close(): Promise<void>;
}

/** An operation outside the disk. */
export class BlockRangeError extends RangeError {
  constructor(op: string, offset: number, lenBytes: number, sizeBytes: number) {
    super(`block ${op}: [${offset}, +${lenBytes}) is outside the disk of ${sizeBytes} bytes`);
  }
}

/** A write-like operation on a read-only disk. */
export class BlockReadOnlyError extends Error {
  constructor(op: string) {
    super(`block ${op}: the disk is read-only`);
  }
}

/**
 * A flush after an earlier fdatasync failed. The kernel may have dropped the dirty pages that
 * failed to reach the disk and cleared the error, so a later fdatasync can succeed although
 * acknowledged writes are lost: no flush may succeed again (PostgreSQL and QEMU do the same).
 */
export class FlushFailedError extends Error {
  constructor(what: string, cause: unknown) {
    super(
      `${what}: an earlier flush failed (${cause instanceof Error ? cause.message : String(cause)}); ` +
        'writes since the last good flush may be lost, so no later flush can succeed',
      { cause },
    );
  }
}

/** Reject (by throwing inside an async function) an operation outside [0, sizeBytes). */
export function checkRange(op: string, offset: number, lenBytes: number, sizeBytes: number): void {
  if (
    !Number.isSafeInteger(offset) ||
    !Number.isSafeInteger(lenBytes) ||
    offset < 0 ||
    lenBytes < 0 ||
    offset + lenBytes > sizeBytes
  ) {
    throw new BlockRangeError(op, offset, lenBytes, sizeBytes);
  }
}

/**
 * A disk held in memory: for tests and for hosts without files. `flush` is a no-op, discard
 * zeroes the range (reads after discard return zeros).
 */
export class MemoryBlockBackend implements BlockBackend {
  readonly bytes: Uint8Array;
  readonly discardGranularityBytes = 4096;

  constructor(
    readonly sizeBytes: number,
    readonly readOnly = false,
    contents?: Uint8Array,
  ) {
    this.bytes = new Uint8Array(sizeBytes);
    if (contents !== undefined) this.bytes.set(contents.subarray(0, sizeBytes));
  }

  async read(offset: number, buf: Uint8Array): Promise<void> {
    checkRange('read', offset, buf.length, this.sizeBytes);
    buf.set(this.bytes.subarray(offset, offset + buf.length));
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    this.writable('write');
    checkRange('write', offset, data.length, this.sizeBytes);
    this.bytes.set(data, offset);
  }

  async flush(): Promise<void> {}

  async discard(offset: number, lenBytes: number): Promise<void> {
    return this.writeZeroes(offset, lenBytes);
  }

  async writeZeroes(offset: number, lenBytes: number): Promise<void> {
    this.writable('writeZeroes');
    checkRange('writeZeroes', offset, lenBytes, this.sizeBytes);
    this.bytes.fill(0, offset, offset + lenBytes);
  }

  async close(): Promise<void> {}

  private writable(op: string): void {
    if (this.readOnly) throw new BlockReadOnlyError(op);
  }
}
