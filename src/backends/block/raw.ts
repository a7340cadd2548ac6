// A raw disk image: the file's bytes are the disk's bytes, through positional reads and writes on
// a node:fs/promises FileHandle (libuv's thread pool, so the CPU thread never waits on the disk).

import {
  BlockReadOnlyError,
  checkRange,
  FlushFailedError,
  SECTOR_BYTES,
  type BlockBackend,
} from './backend.js';
import { openHostFile, readFully, writeFully, type HostFile, type OpenHostFile } from './host-file.js';

/** Largest single zero-fill write, in bytes (bounds the memory a huge writeZeroes needs). */
const ZERO_CHUNK_BYTES = 1024 * 1024;

/** Options of {@link RawFileBackend.open}. */
export interface RawOpenOptions {
  /** Open the file read-only: writes reject and the file is never modified. */
  readOnly: boolean;
  /** How to open the file (tests inject faults here); default node:fs/promises open. */
  openFile?: OpenHostFile;
}

/**
 * A raw image file. The disk is the first `floor(fileSize / 512) * 512` bytes of the file: a
 * trailing partial sector cannot be addressed by a virtio-blk driver, so it is left untouched.
 * The file does not grow or shrink.
 */
export class RawFileBackend implements BlockBackend {
  readonly discardGranularityBytes = 4096;
  private zeros: Uint8Array | undefined;
  /** Set by the first failed fdatasync: every later flush rejects (see FlushFailedError). */
  private flushFailure: unknown;

  private constructor(
    private readonly file: HostFile,
    readonly path: string,
    readonly sizeBytes: number,
    readonly readOnly: boolean,
  ) {}

  /** Open `path` (which must exist); rejects with the host error (ENOENT, EACCES...) otherwise. */
  static async open(path: string, opts: RawOpenOptions): Promise<RawFileBackend> {
    const file = await (opts.openFile ?? openHostFile)(path, opts.readOnly ? 'r' : 'r+');
    try {
      const st = await file.stat();
      if (!st.isFile()) throw new Error(`${path}: not a regular file`);
      const sizeBytes = Math.floor(st.size / SECTOR_BYTES) * SECTOR_BYTES;
      return new RawFileBackend(file, path, sizeBytes, opts.readOnly);
    } catch (e) {
      await file.close();
      throw e;
    }
  }

  async read(offset: number, buf: Uint8Array): Promise<void> {
    checkRange('read', offset, buf.length, this.sizeBytes);
    await readFully(this.file, offset, buf);
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    this.writable('write');
    checkRange('write', offset, data.length, this.sizeBytes);
    await writeFully(this.file, offset, data);
  }

  /** fdatasync; after one has failed, rejects for good with {@link FlushFailedError}. */
  async flush(): Promise<void> {
    if (this.readOnly) return;
    if (this.flushFailure !== undefined) throw new FlushFailedError(this.path, this.flushFailure);
    try {
      await this.file.datasync();
    } catch (e) {
      this.flushFailure = e;
      throw e;
    }
  }

  /**
   * A no-op. Node has no fallocate(FALLOC_FL_PUNCH_HOLE), and zero-writing instead would turn a
   * cheap hint into a full write of the range (often gigabytes for a filesystem trim). The virtio
   * spec lets a device ignore discard: the driver must not assume anything about the data read
   * afterwards (virtio 1.2 section 5.2.6.1), and reads here simply return the old data.
   */
  async discard(offset: number, lenBytes: number): Promise<void> {
    this.writable('discard');
    checkRange('discard', offset, lenBytes, this.sizeBytes);
  }

  /** Writes zero buffers in chunks of at most ZERO_CHUNK_BYTES; the file keeps its allocation. */
  async writeZeroes(offset: number, lenBytes: number): Promise<void> {
    this.writable('writeZeroes');
    checkRange('writeZeroes', offset, lenBytes, this.sizeBytes);
    this.zeros ??= new Uint8Array(ZERO_CHUNK_BYTES);
    for (let done = 0; done < lenBytes;) {
      const n = Math.min(ZERO_CHUNK_BYTES, lenBytes - done);
      await writeFully(this.file, offset + done, this.zeros.subarray(0, n));
      done += n;
    }
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.file.close();
    }
  }

  private writable(op: string): void {
    if (this.readOnly) throw new BlockReadOnlyError(op);
  }
}
