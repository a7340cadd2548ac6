// A qcow2 disk image (QEMU's docs/interop/qcow2.txt), read and written: guest clusters map through
// L1 and L2 tables to host clusters, unallocated clusters read from the backing file (or zeros),
// new clusters are appended to the file and counted in the refcount tables.

import { inflateRawSync } from 'node:zlib';
import {
  BlockReadOnlyError,
  checkRange,
  FlushFailedError,
  SECTOR_BYTES,
  type BlockBackend,
} from './backend.js';
import { openHostFile, readFully, writeFully, type HostFile, type OpenHostFile } from './host-file.js';
import {
  decodeHeader,
  decodeL2,
  decodeTableEntry,
  H,
  INCOMPAT_COMPRESSION,
  INCOMPAT_CORRUPT,
  INCOMPAT_DIRTY,
  l2Entries,
  newImage,
  Qcow2Error,
  setEntry,
  type L2Entry,
  type Qcow2CreateSpec,
  type Qcow2Header,
} from './qcow2-format.js';
import { Qcow2Refcounts } from './qcow2-refcounts.js';
import { readSnapshotTable, type Qcow2Snapshot } from './qcow2-snapshot.js';
import { Qcow2Snapshots, type SnapshotOptions } from './qcow2-snapshots.js';

export type { SnapshotOptions };

/** Bytes of L1 table written back per dirty page. */
const L1_PAGE_BYTES = 4096;

/** Options of {@link Qcow2Backend.open}. */
export interface Qcow2OpenOptions {
  /** Open read-only: writes reject and the file is never modified. */
  readOnly: boolean;
  /** How to open the image file (tests inject faults here); default node:fs/promises open. */
  openFile?: OpenHostFile;
  /**
   * Opens the backing file (read-only), which the image then owns, given its name as stored and
   * the format extension's value. The caller resolves the name (QEMU resolves a relative name
   * against the image's directory). Required when the image has a backing file.
   */
  openBacking?: (name: string, format: string | undefined) => Promise<BlockBackend>;
}

/**
 * A qcow2 image. Operations run one at a time in submission order, so allocation and table
 * updates never race.
 *
 * Durability (the same rule as the overlay): writes into clusters the image already owns go to
 * their place at once; a new cluster is appended to the file and the metadata that makes it
 * reachable (refcount blocks, the refcount table, L2 tables, the L1 table, the header) is only
 * written by `flush`, in an order that keeps the on-disk image valid at every step: data, then
 * refcounts, then the tables that point at the data, each step made durable (fdatasync) before
 * the next starts. A crash at any point leaves the image as of the last completed flush, plus
 * at worst clusters with a refcount but no user (leaks, which `qemu-img check` reports and
 * `-r leaks` repairs), never a table entry pointing at a cluster with a zero refcount.
 *
 * Clusters are never freed or reused (a discarded cluster becomes a zero cluster that keeps its
 * storage), so nothing written before a crash can be overwritten by a later allocation.
 */
export class Qcow2Backend implements BlockBackend {
  readonly sizeBytes: number;
  readonly discardGranularityBytes: number;
  private readonly cb: number;
  private readonly l2PerTable: number;
  private readonly l1: DataView;
  private readonly l1Dirty = new Set<number>();
  /** L2 tables by host offset, loaded and checked on first use. */
  private readonly l2 = new Map<number, DataView>();
  private readonly l2Dirty = new Set<number>();
  private readonly refs: Qcow2Refcounts;
  /**
   * Clusters whose refcount drops by one once the tables no longer point at them (replaced
   * shared or compressed clusters, a copied L2 table, the old refcount table after it moved).
   */
  private pendingDecrements: number[] = [];
  /** Something was written since the last completed flush (data or metadata in memory). */
  private unflushed = false;
  /** The next cluster to allocate: the end of the file, cluster-aligned. */
  private nextFree: number;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private flushFailure: unknown;
  private zeros: Uint8Array | undefined;
  private readonly snaps: Qcow2Snapshots;

  private constructor(
    private readonly file: HostFile,
    readonly path: string,
    readonly header: Qcow2Header,
    /** The file size at open: offsets read from the file must lie below it. */
    fileBytesAtOpen: number,
    l1: Uint8Array,
    refTable: Uint8Array,
    readonly readOnly: boolean,
    readonly backing: BlockBackend | undefined,
    snapshots: Qcow2Snapshot[],
  ) {
    this.cb = header.clusterBytes;
    this.l2PerTable = l2Entries(header.clusterBits);
    this.sizeBytes = Math.floor(header.sizeBytes / SECTOR_BYTES) * SECTOR_BYTES;
    this.discardGranularityBytes = Math.max(4096, this.cb);
    this.l1 = new DataView(l1.buffer, l1.byteOffset, l1.byteLength);
    this.nextFree = Math.ceil(fileBytesAtOpen / this.cb) * this.cb;
    const take = (clusters: number): number => {
      const at = this.nextFree;
      this.nextFree += clusters * this.cb;
      return at;
    };
    const retire = (cluster: number): void => void this.pendingDecrements.push(cluster);
    this.refs = new Qcow2Refcounts(file, path, header, refTable, {
      take,
      retire,
      read: (host, dst) => this.readHost(host, dst),
    });
    this.snaps = new Qcow2Snapshots(
      {
        path,
        header,
        file,
        l1: this.l1,
        refs: this.refs,
        fileEnd: () => this.nextFree,
        l2Table: (host) => this.l2Table(host),
        markL1: (k) => {
          this.l1Dirty.add(Math.floor((k * 8) / L1_PAGE_BYTES));
          this.unflushed = true;
        },
        markL2: (host) => {
          this.l2Dirty.add(host);
          this.unflushed = true;
        },
        take,
        retire,
        flush: () => {
          this.unflushed = true;
          return this.flushNow();
        },
        mutating: (op) => this.mutating(op),
        readHost: (host, dst) => this.readHost(host, dst),
        decompress: (host, lenBytes) => this.decompress(host, lenBytes),
      },
      snapshots,
      header.snapshotsOffset,
    );
  }

  /**
   * Open the image at `path`. Rejects with {@link Qcow2Error} when the header or the L1 or
   * refcount table is invalid (every entry is checked here; L2 tables when first used), with the
   * host error when the file cannot be opened, and when the snapshot table is corrupt. Writable
   * opening also refuses images marked dirty or corrupt (their refcounts cannot be trusted, and
   * copy-on-write of clusters shared with internal snapshots depends on them).
   */
  static async open(path: string, opts: Qcow2OpenOptions): Promise<Qcow2Backend> {
    const file = await (opts.openFile ?? openHostFile)(path, opts.readOnly ? 'r' : 'r+');
    let backing: BlockBackend | undefined;
    try {
      const st = await file.stat();
      if (!st.isFile()) throw new Error(`${path}: not a regular file`);
      const fileBytes = st.size;
      const head = new Uint8Array(Math.min(fileBytes, 2 ** 21));
      await readFully(file, 0, head);
      const h = decodeHeader(path, head, fileBytes);
      if (!opts.readOnly) {
        const refuse = (why: string): Qcow2Error =>
          new Qcow2Error(path, `${why}; tsvirt opens it only read-only (add ',readonly' or ',snapshot')`);
        if (h.incompatibleFeatures & INCOMPAT_CORRUPT)
          throw refuse('marked corrupt (qemu-img check -r all repairs it)');
        if (h.incompatibleFeatures & INCOMPAT_DIRTY)
          throw refuse('marked dirty: its refcounts may be stale (qemu-img check -r all repairs them)');
      }
      const l1 = new Uint8Array(h.l1Size * 8);
      await readFully(file, h.l1TableOffset, l1);
      const l1View = new DataView(l1.buffer);
      for (let k = 0; k < h.l1Size; k++) decodeTableEntry(path, 'L1', l1View, k, h, fileBytes, true);
      const refTable = new Uint8Array(h.refcountTableClusters * h.clusterBytes);
      await readFully(file, h.refcountTableOffset, refTable);
      const refView = new DataView(refTable.buffer);
      for (let k = 0; k < refTable.length / 8; k++)
        decodeTableEntry(path, 'refcount table', refView, k, h, fileBytes, false);
      const snapshots = await readSnapshotTable(file, path, h, fileBytes);
      if (h.backingFile !== undefined) {
        if (opts.openBacking === undefined)
          throw new Qcow2Error(path, 'has a backing file but none can be opened here');
        backing = await opts.openBacking(h.backingFile, h.backingFormat);
      }
      const img = new Qcow2Backend(file, path, h, fileBytes, l1, refTable, opts.readOnly, backing, snapshots);
      if (!opts.readOnly && h.autoclearFeatures !== 0n) {
        // Auto-clear features (bitmaps...) that this writer does not keep up to date must be
        // cleared before anything else is written (qcow2.txt, autoclear_features).
        await writeFully(file, H.autoclearFeatures, new Uint8Array(8));
        await file.datasync();
      }
      return img;
    } catch (e) {
      await backing?.close().catch(() => undefined);
      await file.close();
      throw e;
    }
  }

  /**
   * Write a new, empty image to `file` (opened empty, 'wx+'), per `spec`, and make it durable.
   * The caller gives the file its final name once this resolves.
   */
  static async format(file: HostFile, spec: Qcow2CreateSpec): Promise<void> {
    const bytes = newImage(spec);
    await writeFully(file, 0, bytes);
    await file.truncate(bytes.length);
    await file.datasync();
  }

  read(offset: number, buf: Uint8Array): Promise<void> {
    return this.exclusive(async () => {
      checkRange('read', offset, buf.length, this.sizeBytes);
      for (let pos = 0; pos < buf.length;) {
        const at = offset + pos;
        const n = Math.min(this.cb - (at % this.cb), buf.length - pos);
        await this.readPiece(at, buf.subarray(pos, pos + n));
        pos += n;
      }
    });
  }

  write(offset: number, data: Uint8Array): Promise<void> {
    return this.exclusive(async () => {
      this.writable('write');
      checkRange('write', offset, data.length, this.sizeBytes);
      for (let pos = 0; pos < data.length;) {
        const at = offset + pos;
        const n = Math.min(this.cb - (at % this.cb), data.length - pos);
        await this.writePiece(at, data.subarray(pos, pos + n));
        pos += n;
      }
    });
  }

  /** As writeZeroes: reads of a discarded range return zeros. */
  discard(offset: number, lenBytes: number): Promise<void> {
    return this.zeroRange('discard', offset, lenBytes);
  }

  /**
   * Whole clusters become zero clusters (version 3: the L2 entry's bit 0, keeping any storage);
   * partial clusters, and every cluster of a version 2 image, get zeros written.
   */
  writeZeroes(offset: number, lenBytes: number): Promise<void> {
    return this.zeroRange('writeZeroes', offset, lenBytes);
  }

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
        await this.backing?.close();
      }
    });
  }

  /** The L2 entry of guest cluster `gc`. */
  private async lookup(gc: number): Promise<L2Entry> {
    const l1i = Math.floor(gc / this.l2PerTable);
    const { host } = this.l1Entry(l1i);
    if (host === 0) return { kind: 'unallocated' };
    const table = await this.l2Table(host);
    // Entries read from the file were checked against its size at load; those written since point
    // at clusters appended since, all below nextFree.
    return decodeL2(this.path, table, gc % this.l2PerTable, this.header, this.nextFree);
  }

  private l1Entry(k: number): { host: number; copied: boolean } {
    return decodeTableEntry(this.path, 'L1', this.l1, k, this.header, Number.MAX_SAFE_INTEGER, true);
  }

  private async l2Table(host: number): Promise<DataView> {
    let t = this.l2.get(host);
    if (t === undefined) {
      const bytes = new Uint8Array(this.cb);
      await readFully(this.file, host, bytes);
      t = new DataView(bytes.buffer);
      // Check every entry now, so that a corrupt table fails on first use with a clear error. A
      // table read later may be one this writer made (a snapshot's): the bound is the file now.
      for (let k = 0; k < this.l2PerTable; k++) decodeL2(this.path, t, k, this.header, this.nextFree);
      this.l2.set(host, t);
    }
    return t;
  }

  private async readPiece(at: number, dst: Uint8Array): Promise<void> {
    const gc = Math.floor(at / this.cb);
    const inner = at - gc * this.cb;
    const e = await this.lookup(gc);
    switch (e.kind) {
      case 'unallocated':
        return this.readBacking(at, dst);
      case 'zero':
        dst.fill(0);
        return;
      case 'data':
        return this.readHost(e.host + inner, dst);
      case 'compressed': {
        const cluster = await this.decompress(e.host, e.lenBytes);
        dst.set(cluster.subarray(inner, inner + dst.length));
      }
    }
  }

  /** Bytes of the file; what lies past its end reads as zeros (as on a sparse host file). */
  private async readHost(host: number, dst: Uint8Array): Promise<void> {
    const inFile = Math.max(0, Math.min(dst.length, this.nextFree - host));
    if (inFile > 0)
      await readFully(this.file, host, dst.subarray(0, inFile)).catch(() => this.readSparse(host, dst));
    dst.fill(0, inFile);
  }

  /** A read that met the end of the file (a crash left the last appended cluster short). */
  private async readSparse(host: number, dst: Uint8Array): Promise<void> {
    const size = (await this.file.stat()).size;
    const n = Math.max(0, Math.min(dst.length, size - host));
    if (n > 0) await readFully(this.file, host, dst.subarray(0, n));
    dst.fill(0, n);
  }

  /** The backing file's bytes, zeros past its end or without one. */
  private async readBacking(at: number, dst: Uint8Array): Promise<void> {
    const b = this.backing;
    const n = b === undefined ? 0 : Math.max(0, Math.min(dst.length, b.sizeBytes - at));
    if (n > 0) await b!.read(at, dst.subarray(0, n));
    dst.fill(0, n);
  }

  private async decompress(host: number, lenBytes: number): Promise<Uint8Array> {
    if (this.header.incompatibleFeatures & INCOMPAT_COMPRESSION) {
      throw new Qcow2Error(this.path, 'compressed clusters use zstd, which tsvirt does not support');
    }
    const src = new Uint8Array(lenBytes);
    await this.readHost(host, src);
    let out: Buffer;
    try {
      // A raw deflate stream (no zlib header) that expands to exactly one cluster.
      out = inflateRawSync(src, { maxOutputLength: this.cb, finishFlush: 2 /* Z_SYNC_FLUSH */ });
    } catch (e) {
      throw new Qcow2Error(
        this.path,
        `compressed cluster at ${host} does not decompress: ${(e as Error).message}`,
      );
    }
    const cluster = new Uint8Array(this.cb);
    cluster.set(out.subarray(0, this.cb));
    return cluster;
  }

  private async writePiece(at: number, piece: Uint8Array): Promise<void> {
    const gc = Math.floor(at / this.cb);
    const inner = at - gc * this.cb;
    const e = await this.lookup(gc);
    if (e.kind === 'data' && e.copied) {
      this.unflushed = true;
      await writeFully(this.file, e.host + inner, piece);
      return;
    }
    // A new cluster: the old contents around the new bytes, then the new bytes.
    const image = new Uint8Array(this.cb);
    const span = Math.min(this.cb, this.sizeBytes - gc * this.cb);
    if (piece.length < span) {
      if (e.kind === 'unallocated') await this.readBacking(gc * this.cb, image.subarray(0, span));
      else if (e.kind === 'data') await this.readHost(e.host, image);
      else if (e.kind === 'compressed') image.set(await this.decompress(e.host, e.lenBytes));
    }
    image.set(piece, inner);
    // A preallocated zero cluster that is ours alone keeps its storage.
    const keep = e.kind === 'zero' && e.copied && e.host !== 0;
    const host = keep ? e.host : await this.allocCluster();
    if (!keep) this.release(e);
    this.unflushed = true;
    await writeFully(this.file, host, image);
    await this.setL2(gc, host, false);
  }

  private zeroRange(op: string, offset: number, lenBytes: number): Promise<void> {
    return this.exclusive(async () => {
      this.writable(op);
      checkRange(op, offset, lenBytes, this.sizeBytes);
      for (let pos = 0; pos < lenBytes;) {
        const at = offset + pos;
        const gc = Math.floor(at / this.cb);
        const n = Math.min(this.cb - (at % this.cb), lenBytes - pos);
        const span = Math.min(this.cb, this.sizeBytes - gc * this.cb);
        const e = await this.lookup(gc);
        if (e.kind === 'zero') {
          // Reads as zeros already.
        } else if (n === span && this.header.version === 3) {
          const keep = e.kind === 'data' && e.copied ? e.host : 0;
          await this.setL2(gc, keep, true);
          if (keep === 0) this.release(e);
        } else if (e.kind !== 'unallocated' || this.backing !== undefined) {
          this.zeros ??= new Uint8Array(this.cb);
          await this.writePiece(at, this.zeros.subarray(0, n));
        }
        pos += n;
      }
    });
  }

  /**
   * The host clusters of an entry that is being replaced lose its reference (at the next flush,
   * once no table on disk points at them): shared data, compressed data (whose bytes may span two
   * clusters), a preallocated zero cluster.
   */
  private release(e: L2Entry): void {
    if (e.kind === 'compressed') {
      const first = Math.floor(e.host / this.cb);
      const last = Math.floor((e.host + e.lenBytes - 1) / this.cb);
      for (let c = first; c <= last; c++) this.pendingDecrements.push(c);
    } else if ((e.kind === 'data' || e.kind === 'zero') && e.host !== 0) {
      this.pendingDecrements.push(e.host / this.cb);
    }
  }

  /** Point guest cluster `gc` at `host` (0: none), making its L2 table ours first. */
  private async setL2(gc: number, host: number, zero: boolean): Promise<void> {
    const l1i = Math.floor(gc / this.l2PerTable);
    const cur = this.l1Entry(l1i);
    let table: DataView;
    let tableHost = cur.host;
    if (cur.host !== 0 && cur.copied) {
      table = await this.l2Table(cur.host);
    } else {
      // No table yet, or a shared one (copy on write): a new table in a new cluster.
      const bytes = new Uint8Array(this.cb);
      if (cur.host !== 0) {
        bytes.set(new Uint8Array((await this.l2Table(cur.host)).buffer));
        this.pendingDecrements.push(cur.host / this.cb);
      }
      tableHost = await this.allocCluster();
      table = new DataView(bytes.buffer);
      this.l2.set(tableHost, table);
      setEntry(this.l1, l1i, tableHost, true);
      this.l1Dirty.add(Math.floor((l1i * 8) / L1_PAGE_BYTES));
    }
    setEntry(table, gc % this.l2PerTable, host, host !== 0, zero);
    this.l2Dirty.add(tableHost);
    this.unflushed = true;
  }

  /** A new cluster at the end of the file, with refcount 1 (in memory until flush). */
  private async allocCluster(): Promise<number> {
    const host = this.nextFree;
    this.nextFree += this.cb;
    await this.refs.set(host / this.cb, 1);
    return host;
  }

  /**
   * Data, refcounts, then tables, each made durable before the next is written (see the class
   * comment), and last the refcount decrements of clusters no table on disk uses any more.
   */
  private async flushNow(): Promise<void> {
    if (this.readOnly) return;
    if (this.flushFailure !== undefined)
      throw new FlushFailedError(`qcow2 image '${this.path}'`, this.flushFailure);
    // Nothing written since the last flush: nothing to make durable.
    if (!this.unflushed) return;
    try {
      await this.file.datasync();
      if (this.refs.dirty) {
        await this.refs.write();
        await this.file.datasync();
      }
      if (this.l2Dirty.size > 0 || this.l1Dirty.size > 0 || this.refs.moved) {
        for (const host of [...this.l2Dirty].sort((a, b) => a - b)) {
          const t = this.l2.get(host)!;
          await writeFully(this.file, host, new Uint8Array(t.buffer, t.byteOffset, t.byteLength));
        }
        this.l2Dirty.clear();
        for (const page of [...this.l1Dirty].sort((a, b) => a - b)) {
          const from = page * L1_PAGE_BYTES;
          const to = Math.min(from + L1_PAGE_BYTES, this.l1.byteLength);
          await writeFully(
            this.file,
            this.header.l1TableOffset + from,
            new Uint8Array(this.l1.buffer, from, to - from),
          );
        }
        this.l1Dirty.clear();
        if (this.refs.moved) {
          await writeFully(this.file, H.refcountTableOffset, this.refs.headerFields());
          this.refs.moved = false;
        }
        await this.file.datasync();
      }
      if (this.pendingDecrements.length > 0) {
        for (const c of this.pendingDecrements.splice(0))
          await this.refs.set(c, Math.max(0, (await this.refs.get(c)) - 1));
        await this.refs.write();
        await this.file.datasync();
      }
      this.unflushed = false;
    } catch (e) {
      this.flushFailure = e;
      throw e;
    }
  }

  /** The internal snapshots, in table order. */
  snapshots(): readonly Qcow2Snapshot[] {
    return this.snaps.list;
  }

  /** The snapshot named `tag`, else the one whose ID is `tag` (as QEMU looks them up). */
  findSnapshot(tag: string): Qcow2Snapshot | undefined {
    return this.snaps.find(tag);
  }

  /** See {@link Qcow2Snapshots.create}; pending writes are flushed first (they are in it). */
  createSnapshot(name: string, opts: SnapshotOptions = {}): Promise<Qcow2Snapshot> {
    return this.snapshotOp(() => this.snaps.create(name, opts));
  }

  /** See {@link Qcow2Snapshots.apply}. */
  applySnapshot(tag: string): Promise<void> {
    return this.snapshotOp(() => this.snaps.apply(tag));
  }

  /** See {@link Qcow2Snapshots.delete}. */
  deleteSnapshot(tag: string): Promise<void> {
    return this.snapshotOp(() => this.snaps.delete(tag));
  }

  /** See {@link Qcow2Snapshots.readVmState}. */
  readVmState(tag: string, maxBytes: number): Promise<Uint8Array> {
    return this.exclusive(() => this.snaps.readVmState(tag, maxBytes));
  }

  /** A snapshot operation: on a writable image, after a flush, failing the image if it fails part-way. */
  private snapshotOp<T>(op: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      this.writable('snapshot');
      await this.flushNow();
      return op();
    });
  }

  /** Run `op`, which changes the image; a failure part-way leaves it failed like a flush. */
  private async mutating(op: () => Promise<void>): Promise<void> {
    try {
      this.unflushed = true;
      await op();
    } catch (e) {
      this.flushFailure ??= e;
      throw e;
    }
  }

  private writable(op: string): void {
    if (this.readOnly) throw new BlockReadOnlyError(op);
  }

  private exclusive<T>(op: () => Promise<T>): Promise<T> {
    const result = this.tail.then(() => {
      if (this.closed) throw new Error(`qcow2 image ${this.path}: the disk is closed`);
      return op();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }
}
