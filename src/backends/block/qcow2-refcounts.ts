// qcow2's reference counts (QEMU's docs/interop/qcow2.txt, "Host cluster management"): the
// refcount table and its blocks, held in memory and written back when the backend (qcow2.ts)
// flushes, which orders them before any table that points at a counted cluster.

import { writeFully, type HostFile } from './host-file.js';
import { decodeTableEntry, getRefcount, setEntry, setRefcount, type Qcow2Header } from './qcow2-format.js';

/** What the refcounts need from the image: new clusters, deferred frees, reads. */
export interface ClusterSpace {
  /** Take `clusters` new clusters in a row at the end of the file; returns the first's offset. */
  take(clusters: number): number;
  /** Drop one reference from `cluster` once no table on disk uses it (the next flush). */
  retire(cluster: number): void;
  /** Read the file's bytes at `host` into `dst` (zeros past its end). */
  read(host: number, dst: Uint8Array): Promise<void>;
}

/**
 * The refcounts of one image. A block missing from the table is made (and counted, possibly in
 * itself) on first use; a table too small for a cluster is copied into a larger one, the old one
 * retired, and `moved` set until the header names the new one.
 */
export class Qcow2Refcounts {
  private table: DataView;
  private tableOffset: number;
  private tableDirty = false;
  private readonly blocks = new Map<number, Uint8Array>();
  private readonly blocksDirty = new Set<number>();
  /** The table moved: the header's refcount_table_offset and _clusters must be written. */
  moved = false;
  private readonly cb: number;

  constructor(
    private readonly file: HostFile,
    private readonly path: string,
    private readonly header: Qcow2Header,
    table: Uint8Array,
    private readonly space: ClusterSpace,
  ) {
    this.cb = header.clusterBytes;
    this.table = new DataView(table.buffer, table.byteOffset, table.byteLength);
    this.tableOffset = header.refcountTableOffset;
  }

  /** Whether blocks or the table changed since the last `write`. */
  get dirty(): boolean {
    return this.blocksDirty.size > 0 || this.tableDirty;
  }

  /** The refcount of `cluster` (0 past the table). */
  async get(cluster: number): Promise<number> {
    const { ti, k } = this.index(cluster);
    if (ti >= this.table.byteLength / 8) return 0;
    return getRefcount(await this.block(ti), k, this.header.refcountOrder);
  }

  /** Set the refcount of `cluster` to `value` (which fits the entry width), in memory. */
  async set(cluster: number, value: number): Promise<void> {
    const { ti, k } = this.index(cluster);
    if (ti >= this.table.byteLength / 8) await this.grow(ti + 1);
    const block = await this.block(ti);
    setRefcount(block, k, this.header.refcountOrder, value);
    this.blocksDirty.add(ti);
  }

  /** Write the changed blocks, then the table if it changed (the caller syncs). */
  async write(): Promise<void> {
    for (const ti of [...this.blocksDirty].sort((a, b) => a - b)) {
      await writeFully(this.file, this.blockHost(ti), this.blocks.get(ti)!);
    }
    this.blocksDirty.clear();
    if (this.tableDirty) {
      await writeFully(
        this.file,
        this.tableOffset,
        new Uint8Array(this.table.buffer, this.table.byteOffset, this.table.byteLength),
      );
      this.tableDirty = false;
    }
  }

  /** The header's refcount_table_offset and refcount_table_clusters (12 bytes) for the table now. */
  headerFields(): Uint8Array {
    const fields = new DataView(new ArrayBuffer(12));
    fields.setBigUint64(0, BigInt(this.tableOffset));
    fields.setUint32(8, this.table.byteLength / this.cb);
    return new Uint8Array(fields.buffer);
  }

  /** The table entry `ti`: its block's offset, 0 for none. */
  private blockHost(ti: number): number {
    return decodeTableEntry(
      this.path,
      'refcount table',
      this.table,
      ti,
      this.header,
      Number.MAX_SAFE_INTEGER,
      false,
    ).host;
  }

  /** Table index and block entry of `cluster` (qcow2.txt, Reference counts). */
  private index(cluster: number): { ti: number; k: number } {
    const perBlock = (this.cb * 8) / 2 ** this.header.refcountOrder;
    return { ti: Math.floor(cluster / perBlock), k: cluster % perBlock };
  }

  /** Block `ti`, read from the file or, when there is none, a new one. */
  private async block(ti: number): Promise<Uint8Array> {
    let block = this.blocks.get(ti);
    if (block !== undefined) return block;
    block = new Uint8Array(this.cb);
    const blockHost = this.blockHost(ti);
    this.blocks.set(ti, block);
    if (blockHost !== 0) {
      await this.space.read(blockHost, block);
    } else {
      // A new block, itself counted (possibly in itself).
      const at = this.space.take(1);
      setEntry(this.table, ti, at, false);
      this.tableDirty = true;
      this.blocksDirty.add(ti);
      await this.set(at / this.cb, 1);
    }
    return block;
  }

  /** A table with room for `entries`: a copy in new clusters, the old one retired. */
  private async grow(entries: number): Promise<void> {
    const oldBytes = this.table.byteLength;
    const clusters = Math.ceil(Math.max(entries * 8, oldBytes * 2) / this.cb);
    const bytes = new Uint8Array(clusters * this.cb);
    bytes.set(new Uint8Array(this.table.buffer, this.table.byteOffset, oldBytes));
    const oldAt = this.tableOffset;
    for (let c = 0; c < oldBytes / this.cb; c++) this.space.retire(oldAt / this.cb + c);
    const at = this.space.take(clusters);
    this.table = new DataView(bytes.buffer);
    this.tableOffset = at;
    this.tableDirty = true;
    this.moved = true;
    for (let c = 0; c < clusters; c++) await this.set(at / this.cb + c, 1);
  }
}
