// A copy-on-write overlay over a read-only base disk (format: docs/overlay-format.md). Writes go
// to clusters in the overlay file; reads come from the overlay where a cluster is present, else
// from the base. The base is never written.

import { randomBytes } from 'node:crypto';
import { link, mkdtemp, open, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { checkRange, FlushFailedError, type BlockBackend } from './backend.js';
import { openHostFile, readFully, writeFully, type HostFile, type OpenHostFile } from './host-file.js';
import {
  baseFingerprint,
  decodeHeader,
  decodeTable,
  DEFAULT_CLUSTER_BYTES,
  encodeEntries,
  encodeHeader,
  ENTRY_BYTES,
  ENTRY_ZERO,
  entryIsZero,
  entryStorage,
  equalBytes,
  MAX_TABLE_ENTRIES,
  OVERLAY_HEADER_BYTES,
  OverlayError,
  overlayLayout,
  tableEntriesFor,
  validClusterBytes,
  type OverlayHeader,
} from './overlay-format.js';

/** Table entries written back per dirty table page (4 KiB of table). */
const ENTRIES_PER_PAGE = 4096 / ENTRY_BYTES;

/** Options for creating a new overlay. */
export interface OverlayCreateOptions {
  /** Cluster size in bytes: a power of two from 4 KiB to 2 MiB (default 64 KiB). */
  clusterBytes?: number;
  /** How to open the overlay file (tests inject faults here); default node:fs/promises open. */
  openFile?: OpenHostFile;
}

/**
 * A copy-on-write disk: `base` (opened read-only, owned by the overlay and closed with it) plus an
 * overlay file holding the clusters written so far.
 *
 * Operations run one at a time in submission order (a promise chain), so cluster allocation and
 * table updates never race. The table lives in memory; the on-disk table is only updated by
 * `flush`, after an fdatasync of the data, so a crash leaves the overlay in the state of the last
 * completed flush plus possibly some later in-place overwrites of clusters that flush already
 * recorded (see the crash-safety section of the format document).
 */
export class OverlayBackend implements BlockBackend {
  readonly readOnly = false;
  readonly sizeBytes: number;
  readonly discardGranularityBytes: number;
  private readonly clusterBytes: number;
  /** Next free storage offset in the overlay file (the file grows a whole cluster at a time). */
  private nextFree: number;
  /** Table pages changed since the last flush. */
  private readonly dirtyPages = new Set<number>();
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Set by the first failed fdatasync: every later flush rejects (see FlushFailedError). */
  private flushFailure: unknown;
  /** Removes the temporary directory at close when it could not be removed at open. */
  private cleanup: (() => Promise<void>) | undefined;

  private constructor(
    private readonly base: BlockBackend,
    private readonly file: HostFile,
    /** Overlay file path, for messages; may no longer exist (snapshot mode). */
    readonly path: string,
    private readonly header: OverlayHeader,
    private readonly entries: Float64Array,
    fileBytes: number,
    /** False in snapshot mode: nothing survives the process, so flush skips fdatasync. */
    private readonly durable: boolean,
  ) {
    this.sizeBytes = base.sizeBytes;
    this.clusterBytes = header.clusterBytes;
    this.discardGranularityBytes = header.clusterBytes;
    this.nextFree = Math.max(header.dataOffset, Math.ceil(fileBytes / this.clusterBytes) * this.clusterBytes);
  }

  /**
   * Open the overlay at `path` over `base`, creating it when missing. An existing overlay must
   * have a valid header and table and match the base (size and fingerprint), or this rejects
   * with an {@link OverlayError} that says what is wrong. Closes `base` on failure.
   *
   * A new overlay is made under a temporary name and linked to `path` only once its header and
   * table are durable, so a crash (even `kill -9`) never leaves a half-made overlay at `path`.
   */
  static async open(
    base: BlockBackend,
    path: string,
    opts: OverlayCreateOptions = {},
  ): Promise<OverlayBackend> {
    try {
      let file: HostFile;
      try {
        file = await (opts.openFile ?? openHostFile)(path, 'r+');
      } catch (e) {
        if ((e as { code?: string }).code !== 'ENOENT') throw e;
        return await OverlayBackend.create(base, path, opts, true);
      }
      return await OverlayBackend.load(base, path, file);
    } catch (e) {
      await base.close();
      throw e;
    }
  }

  /**
   * A throw-away overlay over `base` in a temporary file that is unlinked at once (the open
   * handle keeps it alive, and the host deletes it when the process exits, even on a crash).
   * Nothing is fsynced. Closes `base` on failure.
   */
  static async openSnapshot(base: BlockBackend, opts: OverlayCreateOptions = {}): Promise<OverlayBackend> {
    let dir: string | undefined;
    try {
      dir = await mkdtemp(join(tmpdir(), 'tsvirt-snapshot-'));
      const overlay = await OverlayBackend.create(base, join(dir, 'overlay'), opts, false);
      const tempDir = dir;
      const removed = await rm(tempDir, { recursive: true }).then(
        () => true,
        () => false,
      );
      // Hosts that cannot unlink an open file (Windows) remove it at close instead.
      if (!removed) overlay.cleanup = () => rm(tempDir, { recursive: true, force: true });
      return overlay;
    } catch (e) {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      await base.close();
      throw e;
    }
  }

  private static async create(
    base: BlockBackend,
    path: string,
    opts: OverlayCreateOptions,
    durable: boolean,
  ): Promise<OverlayBackend> {
    const clusterBytes = opts.clusterBytes ?? DEFAULT_CLUSTER_BYTES;
    if (!validClusterBytes(clusterBytes)) {
      throw new OverlayError(path, `cluster size ${clusterBytes} is not a power of two from 4 KiB to 2 MiB`);
    }
    const entries = tableEntriesFor(base.sizeBytes, clusterBytes);
    if (entries > MAX_TABLE_ENTRIES) {
      throw new OverlayError(
        path,
        `a base of ${base.sizeBytes} bytes needs ${entries} table entries of ${clusterBytes} bytes; ` +
          `the most is ${MAX_TABLE_ENTRIES}`,
      );
    }
    const header = overlayLayout(base.sizeBytes, clusterBytes, await baseFingerprint(base));
    const openFile = opts.openFile ?? openHostFile;
    // A durable overlay is made under a temporary name in the same directory, then linked.
    const made = durable
      ? join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.new`)
      : path;
    // 'wx+' fails if the file exists (a leftover, or another process got there first).
    const file = await openFile(made, 'wx+').catch((e: unknown) => {
      // Named after the overlay, not the temporary file the user never asked for.
      throw new Error(`cannot create ${path}: ${(e as { code?: string }).code ?? (e as Error).message}`, {
        cause: e,
      });
    });
    try {
      await writeFully(file, 0, encodeHeader(header));
      await file.truncate(header.dataOffset);
      if (durable) {
        await file.datasync();
        await publish(made, path);
        await syncDirectory(dirname(path));
      }
      return new OverlayBackend(
        base,
        file,
        path,
        header,
        new Float64Array(header.tableEntries),
        header.dataOffset,
        durable,
      );
    } catch (e) {
      await file.close();
      await rm(made, { force: true });
      throw e;
    }
  }

  private static async load(base: BlockBackend, path: string, file: HostFile): Promise<OverlayBackend> {
    try {
      const fileBytes = (await file.stat()).size;
      const headBytes = new Uint8Array(Math.min(fileBytes, OVERLAY_HEADER_BYTES));
      await readFully(file, 0, headBytes);
      const header = decodeHeader(path, headBytes);
      if (header.baseSizeBytes !== base.sizeBytes) {
        throw new OverlayError(
          path,
          `made for a base of ${header.baseSizeBytes} bytes (header field base_size), ` +
            `but the base is ${base.sizeBytes} bytes`,
        );
      }
      if (!equalBytes(header.fingerprint, await baseFingerprint(base))) {
        throw new OverlayError(
          path,
          'made for a different base image (header field base_fingerprint does not match)',
        );
      }
      if (fileBytes < header.dataOffset) {
        throw new OverlayError(
          path,
          `truncated: the file is ${fileBytes} bytes, but data_offset is ${header.dataOffset} ` +
            '(the table is incomplete)',
        );
      }
      const table = new Uint8Array(header.tableEntries * ENTRY_BYTES);
      await readFully(file, header.tableOffset, table);
      const entries = decodeTable(path, header, table, fileBytes);
      return new OverlayBackend(base, file, path, header, entries, fileBytes, true);
    } catch (e) {
      await file.close();
      throw e;
    }
  }

  read(offset: number, buf: Uint8Array): Promise<void> {
    return this.exclusive(async () => {
      checkRange('read', offset, buf.length, this.sizeBytes);
      for (let pos = 0; pos < buf.length;) {
        const run = this.run(offset + pos, buf.length - pos);
        const dst = buf.subarray(pos, pos + run.lenBytes);
        if (run.entry === 0) await this.base.read(offset + pos, dst);
        else if (entryIsZero(run.entry)) dst.fill(0);
        else await readFully(this.file, entryStorage(run.entry) + run.inner, dst);
        pos += run.lenBytes;
      }
    });
  }

  write(offset: number, data: Uint8Array): Promise<void> {
    return this.exclusive(async () => {
      checkRange('write', offset, data.length, this.sizeBytes);
      for (let pos = 0; pos < data.length;) {
        const n = this.pieceBytes(offset + pos, data.length - pos);
        await this.writePiece(offset + pos, data.subarray(pos, pos + n));
        pos += n;
      }
    });
  }

  /** Same as writeZeroes: reads of a discarded range return zeros. */
  discard(offset: number, lenBytes: number): Promise<void> {
    return this.zeroRange('discard', offset, lenBytes);
  }

  /**
   * Whole clusters become zero clusters in the table (no data written, storage kept for reuse);
   * partial clusters get zeros written into their overlay copy.
   */
  writeZeroes(offset: number, lenBytes: number): Promise<void> {
    return this.zeroRange('writeZeroes', offset, lenBytes);
  }

  /** Data first, then the table (see the class comment); a no-op for a snapshot overlay. */
  flush(): Promise<void> {
    return this.exclusive(() => this.flushNow());
  }

  close(): Promise<void> {
    return this.exclusive(async () => {
      this.closed = true;
      try {
        await this.flushNow();
      } finally {
        await this.file.close();
        await this.base.close();
        await this.cleanup?.();
      }
    });
  }

  /** Clusters currently stored in the overlay (test and diagnostics aid). */
  get allocatedClusters(): number {
    let n = 0;
    for (const e of this.entries) if (entryStorage(e) !== 0) n++;
    return n;
  }

  /**
   * Data, then table: the first fdatasync makes every stored cluster durable before any table
   * entry that points at it reaches the file, and the second makes the entries durable.
   */
  private async flushNow(): Promise<void> {
    if (!this.durable) return;
    await this.datasync();
    if (this.dirtyPages.size === 0) return;
    const pages = [...this.dirtyPages].sort((a, b) => a - b);
    this.dirtyPages.clear();
    try {
      for (const page of pages) {
        const first = page * ENTRIES_PER_PAGE;
        const count = Math.min(ENTRIES_PER_PAGE, this.header.tableEntries - first);
        const at = this.header.tableOffset + first * ENTRY_BYTES;
        await writeFully(this.file, at, encodeEntries(this.entries, first, count));
      }
      await this.datasync();
    } catch (e) {
      for (const page of pages) this.dirtyPages.add(page);
      throw e;
    }
  }

  /** fdatasync, which once failed fails for good (see FlushFailedError). */
  private async datasync(): Promise<void> {
    if (this.flushFailure !== undefined) {
      throw new FlushFailedError(`overlay '${this.path}'`, this.flushFailure);
    }
    try {
      await this.file.datasync();
    } catch (e) {
      this.flushFailure = e;
      throw e;
    }
  }

  private zeroRange(op: string, offset: number, lenBytes: number): Promise<void> {
    return this.exclusive(async () => {
      checkRange(op, offset, lenBytes, this.sizeBytes);
      for (let pos = 0; pos < lenBytes;) {
        const at = offset + pos;
        const n = this.pieceBytes(at, lenBytes - pos);
        const c = Math.floor(at / this.clusterBytes);
        const entry = this.entries[c];
        if (entryIsZero(entry)) {
          // Already reads as zeros.
        } else if (n === this.clusterSpan(c)) {
          this.setEntry(c, entryStorage(entry) + ENTRY_ZERO);
        } else {
          await this.writePiece(at, new Uint8Array(n));
        }
        pos += n;
      }
    });
  }

  /** Write `piece`, which lies inside one cluster, copying the cluster on first write. */
  private async writePiece(at: number, piece: Uint8Array): Promise<void> {
    const c = Math.floor(at / this.clusterBytes);
    const inner = at - c * this.clusterBytes;
    const entry = this.entries[c];
    if (entry !== 0 && !entryIsZero(entry)) {
      await writeFully(this.file, entryStorage(entry) + inner, piece);
      return;
    }
    // The cluster needs a complete image: base bytes (absent cluster) or zeros (zero cluster)
    // around the new data. Always a whole cluster, even the last one of an odd-sized base.
    const image = new Uint8Array(this.clusterBytes);
    if (entry === 0 && piece.length !== this.clusterSpan(c)) {
      await this.base.read(c * this.clusterBytes, image.subarray(0, this.clusterSpan(c)));
    }
    image.set(piece, inner);
    let storage = entryStorage(entry);
    if (storage === 0) {
      storage = this.nextFree;
      this.nextFree += this.clusterBytes;
    }
    // Data before metadata: the entry changes only once the data write has completed.
    await writeFully(this.file, storage, image);
    this.setEntry(c, storage);
  }

  /**
   * The longest run from `at` (at most `lenBytes`) whose clusters read alike: all from the base,
   * all zeros, or stored contiguously in the overlay file.
   */
  private run(at: number, lenBytes: number): { entry: number; inner: number; lenBytes: number } {
    const c = Math.floor(at / this.clusterBytes);
    const inner = at - c * this.clusterBytes;
    const entry = this.entries[c];
    let n = Math.min(this.clusterBytes - inner, lenBytes);
    for (let next = c + 1; n < lenBytes; next++) {
      const e = this.entries[next];
      const alike =
        kindOf(e) === kindOf(entry) &&
        (kindOf(entry) !== 'stored' || e === entry + (next - c) * this.clusterBytes);
      if (!alike) break;
      n = Math.min(n + this.clusterBytes, lenBytes);
    }
    return { entry, inner, lenBytes: n };
  }

  /** Bytes from `at` to the end of its cluster, at most `lenBytes`. */
  private pieceBytes(at: number, lenBytes: number): number {
    return Math.min(this.clusterBytes - (at % this.clusterBytes), lenBytes);
  }

  /** Bytes of the disk that cluster `c` covers (less than a cluster only for the last one). */
  private clusterSpan(c: number): number {
    return Math.min(this.clusterBytes, this.sizeBytes - c * this.clusterBytes);
  }

  private setEntry(c: number, entry: number): void {
    this.entries[c] = entry;
    this.dirtyPages.add(Math.floor(c / ENTRIES_PER_PAGE));
  }

  /** Run `op` after every operation submitted before it has settled; reject once closed. */
  private exclusive<T>(op: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => {
      if (this.closed) throw new Error(`overlay ${this.path}: the disk is closed`);
      return op();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** How a table entry reads: from the base, as zeros, or from overlay storage. */
function kindOf(entry: number): 'base' | 'zero' | 'stored' {
  return entry === 0 ? 'base' : entryIsZero(entry) ? 'zero' : 'stored';
}

/**
 * Give the finished file `made` its name `path`: a hard link, which fails if `path` appeared
 * meanwhile, then drop the temporary name. Hosts without hard links (some network and FAT file
 * systems) rename instead, which would replace a file another process created in between.
 */
export async function publish(made: string, path: string): Promise<void> {
  try {
    await link(made, path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
    await rename(made, path);
    return;
  }
  await unlink(made);
}

/** fsync a directory so a newly created file's name is durable; best effort (not on all hosts). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some hosts cannot open or fsync a directory; the file data itself is already synced.
  } finally {
    await handle?.close();
  }
}
