// qcow2 internal snapshots (QEMU's docs/interop/qcow2.txt, "Snapshots"): creating one with a VM
// state stored past the disk's end, applying (reverting the disk to) one, deleting one, reading
// its VM state. The image's tables, refcounts and flush come from the backend (qcow2.ts).

import { readFully, writeFully, type HostFile } from './host-file.js';
import {
  decodeL2,
  decodeTableEntry,
  H,
  l1EntriesFor,
  Qcow2Error,
  setEntry,
  type L2Entry,
  type Qcow2Header,
} from './qcow2-format.js';
import type { Qcow2Refcounts } from './qcow2-refcounts.js';
import { encodeSnapshotTable, MAX_SNAPSHOTS, type Qcow2Snapshot } from './qcow2-snapshot.js';

/** Options of {@link Qcow2Snapshots.create}. */
export interface SnapshotOptions {
  /** The VM state to store with the snapshot, as the parts of one blob (none: disk only). */
  vmState?: readonly Uint8Array[];
  /** How long the guest had run, in ns (the entry's vm_clock_nsec). */
  vmClockNs?: bigint;
  /** The time of the snapshot, ms since the Epoch (default: now). */
  nowMs?: number;
}

/** What the snapshot operations use of the image (the backend gives its own). */
export interface Qcow2Image {
  readonly path: string;
  readonly header: Qcow2Header;
  readonly file: HostFile;
  /** The active L1 table (header.l1Size entries). */
  readonly l1: DataView;
  readonly refs: Qcow2Refcounts;
  /** Where the next cluster would be appended: a bound on every valid offset. */
  fileEnd(): number;
  /** The L2 table at `host`, cached and checked. */
  l2Table(host: number): Promise<DataView>;
  /** Entry `k` of the active L1 table, or the L2 table at `host`, changed: written at the next flush. */
  markL1(k: number): void;
  markL2(host: number): void;
  /** Take `clusters` new clusters in a row at the end of the file (not yet counted). */
  take(clusters: number): number;
  /** Drop one reference from `cluster` once no table on disk uses it (the next flush). */
  retire(cluster: number): void;
  /** Make everything written durable in the backend's order (data, refcounts, tables, frees). */
  flush(): Promise<void>;
  /** Run `op`, which changes the image: a failure part-way fails the image like a failed flush. */
  mutating(op: () => Promise<void>): Promise<void>;
  readHost(host: number, dst: Uint8Array): Promise<void>;
  decompress(host: number, lenBytes: number): Promise<Uint8Array>;
}

/** The batch that a VM state's small parts are gathered into before they are written. */
const WRITE_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * The snapshots of one image and the operations on them. The backend runs one operation at a
 * time, writable, after flushing what was pending. The path to a cluster from each L1 table (the
 * active one and each snapshot's) counts one reference, as `qemu-img check` counts: an L2 table
 * shared by the disk and a snapshot counts twice, and so do the clusters it maps. Bit 63 (sole
 * owner) is never set in an active table on a cluster whose refcount is above 1, at any step.
 */
export class Qcow2Snapshots {
  private readonly cb: number;
  private readonly l2PerTable: number;
  private tableBytes: number;

  constructor(
    private readonly img: Qcow2Image,
    /** The snapshot table as read at open, in order. */
    private snapshots: Qcow2Snapshot[],
    private tableOffset: number,
  ) {
    this.cb = img.header.clusterBytes;
    this.l2PerTable = this.cb / 8;
    this.tableBytes = encodeSnapshotTable(snapshots).length;
  }

  /** The snapshots, in table order. */
  get list(): readonly Qcow2Snapshot[] {
    return this.snapshots;
  }

  /** The snapshot named `tag`, else the one whose ID is `tag` (as QEMU looks them up). */
  find(tag: string): Qcow2Snapshot | undefined {
    return this.snapshots.find((s) => s.name === tag) ?? this.snapshots.find((s) => s.id === tag);
  }

  /**
   * Take an internal snapshot named `name` of the disk as it is now (writes submitted before
   * are in it), with `opts.vmState` (one blob in parts) stored past the disk's end, where
   * qcow2.txt puts a snapshot's VM state. Rejects with {@link Qcow2Error} when the name is taken
   * or invalid. Crash-safe: bit 63 (sole owner) is cleared in the active tables first; the
   * header names the new snapshot table only once the VM state, the snapshot's L1 table and the
   * raised refcounts are durable; a crash before leaves leaks at worst.
   */
  async create(name: string, opts: SnapshotOptions): Promise<Qcow2Snapshot> {
    const nameBytes = new TextEncoder().encode(name).length;
    if (nameBytes === 0 || nameBytes > 0xffff)
      throw new Qcow2Error(this.img.path, `snapshot name '${name}' is empty or longer than 65535 bytes`);
    if (this.snapshots.some((s) => s.name === name))
      throw new Qcow2Error(this.img.path, `a snapshot named '${name}' exists already`);
    if (this.snapshots.length >= MAX_SNAPSHOTS)
      throw new Qcow2Error(this.img.path, `has ${MAX_SNAPSHOTS} snapshots, the most qcow2 allows`);
    const needed = this.diskL1Entries();
    // Everything the active disk reaches, the snapshot reaches too: one more reference each.
    const shared = await this.treeClusters(this.img.l1, needed, 'L1');
    await this.checkRefcountRoom(shared);
    await this.img.mutating(async () => {
      // Bit 63 (sole owner) goes off on all of it, durably, before any refcount rises.
      await this.clearCopied(this.img.l1, needed, 'L1', true);
      await this.img.flush();
      for (const c of shared) await this.img.refs.set(c, (await this.img.refs.get(c)) + 1);
      const parts = opts.vmState ?? [];
      const vmBytes = parts.reduce((n, p) => n + p.length, 0);
      const dataClusters = Math.ceil(vmBytes / this.cb);
      const dataAt = dataClusters > 0 ? await this.allocRun(dataClusters) : 0;
      await this.writeParts(dataAt, parts);
      const vmL2s = Math.ceil(dataClusters / this.l2PerTable);
      const l1 = new DataView(new ArrayBuffer((needed + vmL2s) * 8));
      for (let k = 0; k < needed; k++) setEntry(l1, k, this.activeEntry(k).host, false);
      for (let t = 0; t < vmL2s; t++) {
        const table = new DataView(new ArrayBuffer(this.cb));
        for (let j = 0; j < this.l2PerTable && t * this.l2PerTable + j < dataClusters; j++)
          setEntry(table, j, dataAt + (t * this.l2PerTable + j) * this.cb, true);
        const host = await this.allocRun(1);
        await writeFully(this.img.file, host, new Uint8Array(table.buffer));
        setEntry(l1, needed + t, host, false);
      }
      const l1At = await this.allocRun(Math.ceil(l1.byteLength / this.cb));
      await writeFully(this.img.file, l1At, new Uint8Array(l1.buffer));
      const nowMs = opts.nowMs ?? Date.now();
      const id = 1 + Math.max(0, ...this.snapshots.map((s) => Number(s.id)).filter(Number.isSafeInteger));
      const snap: Qcow2Snapshot = {
        id: String(id),
        name,
        l1TableOffset: l1At,
        l1Size: needed + vmL2s,
        dateSec: Math.floor(nowMs / 1000),
        dateNsec: Math.floor(nowMs % 1000) * 1_000_000,
        vmClockNs: opts.vmClockNs ?? 0n,
        vmStateBytes: vmBytes,
        diskSizeBytes: this.img.header.sizeBytes,
        icount: -1n,
        extra: new Uint8Array(0),
      };
      await this.replaceSnapshotTable([...this.snapshots, snap], []);
    });
    return this.snapshots[this.snapshots.length - 1];
  }

  /**
   * Revert the disk to snapshot `tag` (qemu-img snapshot -a): the active L1 table becomes a copy
   * of the snapshot's, the snapshot's clusters gain a reference and the disk's old ones lose
   * one. The snapshot stays. Rejects with {@link Qcow2Error} for an unknown tag or a snapshot of
   * another disk size. Order: bit 63 cleared in the snapshot's L2 tables, refcounts raised, the
   * L1 table written, the old references dropped, bit 63 set where a cluster is the disk's alone,
   * each durable before the next.
   */
  async apply(tag: string): Promise<void> {
    const sn = this.requireSnapshot(tag);
    if (sn.diskSizeBytes !== undefined && sn.diskSizeBytes !== this.img.header.sizeBytes)
      throw new Qcow2Error(
        this.img.path,
        `snapshot '${sn.name}' is of a ${sn.diskSizeBytes}-byte disk, but the disk is ${this.img.header.sizeBytes} bytes now`,
      );
    const needed = this.diskL1Entries();
    const snapL1 = await this.readSnapshotL1(sn);
    const n = Math.min(needed, sn.l1Size);
    const gained = await this.treeClusters(snapL1, n, `snapshot '${sn.name}' L1`);
    const lost = await this.treeClusters(this.img.l1, needed, 'L1');
    await this.checkRefcountRoom(gained);
    await this.img.mutating(async () => {
      // The snapshot's L2 tables become shared with the active disk: bit 63 off first.
      await this.clearCopied(snapL1, n, `snapshot '${sn.name}' L1`, false);
      await this.img.flush();
      for (const c of gained) await this.img.refs.set(c, (await this.img.refs.get(c)) + 1);
      for (let k = 0; k < needed; k++) {
        setEntry(this.img.l1, k, k < n ? this.entryOf(snapL1, k, sn).host : 0, false);
        this.img.markL1(k);
      }
      await this.img.flush();
      for (const c of lost) this.img.retire(c);
      await this.img.flush();
      await this.fixCopiedFlags(needed);
      await this.img.flush();
    });
  }

  /**
   * Delete snapshot `tag`: the header names a table without it, then every cluster it reached
   * loses that reference (clusters left with none are free; this writer never reuses them), and
   * the active tables regain bit 63 where they are sole owners again.
   */
  async delete(tag: string): Promise<void> {
    const sn = this.requireSnapshot(tag);
    const snapL1 = await this.readSnapshotL1(sn);
    const lost = await this.treeClusters(snapL1, sn.l1Size, `snapshot '${sn.name}' L1`);
    const l1First = sn.l1TableOffset / this.cb;
    for (let c = 0; c < Math.ceil((sn.l1Size * 8) / this.cb); c++) lost.push(l1First + c);
    await this.img.mutating(async () => {
      await this.replaceSnapshotTable(
        this.snapshots.filter((s) => s !== sn),
        lost,
      );
      await this.fixCopiedFlags(this.diskL1Entries());
      await this.img.flush();
    });
  }

  /**
   * The VM state stored with snapshot `tag`. Rejects with {@link Qcow2Error} when it has none, is
   * larger than `maxBytes` (the caller's bound: the state of the VM it restores), or is not
   * mapped by the snapshot's L1 table.
   */
  async readVmState(tag: string, maxBytes: number): Promise<Uint8Array> {
    const sn = this.requireSnapshot(tag);
    const fail = (why: string): Qcow2Error => new Qcow2Error(this.img.path, `snapshot '${sn.name}': ${why}`);
    if (sn.vmStateBytes === 0) throw fail('it has no VM state (a disk-only snapshot)');
    if (sn.vmStateBytes > maxBytes)
      throw fail(`its VM state of ${sn.vmStateBytes} bytes is larger than this VM's can be (${maxBytes})`);
    const l1 = await this.readSnapshotL1(sn);
    const diskBytes = sn.diskSizeBytes ?? this.img.header.sizeBytes;
    const first = l1EntriesFor(diskBytes, this.img.header.clusterBits) * this.l2PerTable;
    const out = new Uint8Array(sn.vmStateBytes);
    // Data clusters that follow each other in the file are read in one go.
    let run = { pos: 0, host: 0, bytes: 0 };
    const readRun = async (): Promise<void> => {
      if (run.bytes > 0) await this.img.readHost(run.host, out.subarray(run.pos, run.pos + run.bytes));
      run = { pos: 0, host: 0, bytes: 0 };
    };
    for (let pos = 0; pos < out.length; pos += this.cb) {
      const gc = first + pos / this.cb;
      const n = Math.min(this.cb, out.length - pos);
      const l1i = Math.floor(gc / this.l2PerTable);
      if (l1i >= sn.l1Size) throw fail('its VM state runs past the end of its L1 table');
      const { host } = this.entryOf(l1, l1i, sn);
      const e: L2Entry =
        host === 0
          ? { kind: 'unallocated' }
          : decodeL2(
              this.img.path,
              await this.img.l2Table(host),
              gc % this.l2PerTable,
              this.img.header,
              this.img.fileEnd(),
            );
      if (e.kind === 'data' && run.bytes > 0 && e.host === run.host + run.bytes && run.bytes < 1 << 24) {
        run.bytes += n;
        continue;
      }
      await readRun();
      if (e.kind === 'data') run = { pos, host: e.host, bytes: n };
      else if (e.kind === 'compressed')
        out.set((await this.img.decompress(e.host, e.lenBytes)).subarray(0, n), pos);
    }
    await readRun();
    return out;
  }

  private requireSnapshot(tag: string): Qcow2Snapshot {
    const sn = this.find(tag);
    if (sn === undefined) throw new Qcow2Error(this.img.path, `has no snapshot '${tag}'`);
    return sn;
  }

  /** L1 entries that map the virtual disk (a snapshot's VM state starts at the next one). */
  private diskL1Entries(): number {
    return l1EntriesFor(this.img.header.sizeBytes, this.img.header.clusterBits);
  }

  /** Entry `k` of snapshot `sn`'s L1 table, checked. */
  private entryOf(l1: DataView, k: number, sn: Qcow2Snapshot): { host: number; copied: boolean } {
    return decodeTableEntry(
      this.img.path,
      `snapshot '${sn.name}' L1`,
      l1,
      k,
      this.img.header,
      this.img.fileEnd(),
      true,
    );
  }

  /** Snapshot `sn`'s L1 table (bounded and inside the file: decodeSnapshotTable checked it). */
  private async readSnapshotL1(sn: Qcow2Snapshot): Promise<DataView> {
    const bytes = new Uint8Array(sn.l1Size * 8);
    await readFully(this.img.file, sn.l1TableOffset, bytes);
    const l1 = new DataView(bytes.buffer);
    for (let k = 0; k < sn.l1Size; k++) this.entryOf(l1, k, sn);
    return l1;
  }

  /**
   * Every cluster that entries [0, n) of `l1` reach, once per path: the L2 tables and the data
   * (a compressed cluster's every host cluster). The refcount of a cluster is the number of such
   * paths from all L1 tables, the active one and each snapshot's (as `qemu-img check` counts).
   */
  private async treeClusters(l1: DataView, n: number, name: string): Promise<number[]> {
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      const { host } = decodeTableEntry(
        this.img.path,
        name,
        l1,
        k,
        this.img.header,
        this.img.fileEnd(),
        true,
      );
      if (host === 0) continue;
      out.push(host / this.cb);
      const t = await this.img.l2Table(host);
      for (let j = 0; j < this.l2PerTable; j++) {
        const e = decodeL2(this.img.path, t, j, this.img.header, this.img.fileEnd());
        if (e.kind === 'compressed') {
          const last = Math.floor((e.host + e.lenBytes - 1) / this.cb);
          for (let c = Math.floor(e.host / this.cb); c <= last; c++) out.push(c);
        } else if ((e.kind === 'data' || e.kind === 'zero') && e.host !== 0) {
          out.push(e.host / this.cb);
        }
      }
    }
    return out;
  }

  /** Throws before anything changes when one more reference to each of `clusters` overflows. */
  private async checkRefcountRoom(clusters: readonly number[]): Promise<void> {
    const bits = 2 ** this.img.header.refcountOrder;
    const max = bits >= 53 ? Number.MAX_SAFE_INTEGER : 2 ** bits - 1;
    const adds = new Map<number, number>();
    for (const c of clusters) adds.set(c, (adds.get(c) ?? 0) + 1);
    for (const [c, n] of adds) {
      if ((await this.img.refs.get(c)) + n > max)
        throw new Qcow2Error(
          this.img.path,
          `cluster ${c} would be shared more than ${max} times (refcount_order ${this.img.header.refcountOrder})`,
        );
    }
  }

  /**
   * Write `parts` one after another from `at`, small ones gathered into writes of up to
   * WRITE_BATCH_BYTES (a VM state comes as one part per run of RAM pages: many are 4 KiB).
   */
  private async writeParts(at: number, parts: readonly Uint8Array[]): Promise<void> {
    const batch = new Uint8Array(
      Math.min(
        WRITE_BATCH_BYTES,
        parts.reduce((n, p) => n + p.length, 0),
      ),
    );
    let used = 0;
    const drain = async (): Promise<void> => {
      if (used > 0) await writeFully(this.img.file, at - used, batch.subarray(0, used));
      used = 0;
    };
    for (const p of parts) {
      if (used + p.length > batch.length) await drain();
      if (p.length >= batch.length) {
        await writeFully(this.img.file, at, p);
      } else {
        batch.set(p, used);
        used += p.length;
      }
      at += p.length;
    }
    await drain();
  }

  /** `clusters` new clusters in a row at the end of the file, each with refcount 1. */
  private async allocRun(clusters: number): Promise<number> {
    const at = this.img.take(clusters);
    for (let c = 0; c < clusters; c++) await this.img.refs.set(at / this.cb + c, 1);
    return at;
  }

  /**
   * Clear bit 63 in the L2 tables that entries [0, n) of `l1` reach (and in those entries, for
   * the `active` L1 table): written at the next flush. A clear bit only costs a needless copy;
   * a set bit on a shared cluster would let a write change every sharer.
   */
  private async clearCopied(l1: DataView, n: number, name: string, active: boolean): Promise<void> {
    for (let k = 0; k < n; k++) {
      const e = decodeTableEntry(this.img.path, name, l1, k, this.img.header, this.img.fileEnd(), true);
      if (e.host === 0) continue;
      if (active && e.copied) {
        setEntry(l1, k, e.host, false);
        this.img.markL1(k);
      }
      const t = await this.img.l2Table(e.host);
      for (let j = 0; j < this.l2PerTable; j++) {
        const d = decodeL2(this.img.path, t, j, this.img.header, this.img.fileEnd());
        if ((d.kind !== 'data' && d.kind !== 'zero') || d.host === 0 || !d.copied) continue;
        setEntry(t, j, d.host, false, d.kind === 'zero');
        this.img.markL2(e.host);
      }
    }
  }

  /** Set bit 63 of the active L1 entries [0, n) and their L2 entries exactly where refcount is 1. */
  private async fixCopiedFlags(n: number): Promise<void> {
    for (let k = 0; k < n; k++) {
      const e = this.activeEntry(k);
      if (e.host === 0) continue;
      const own = (await this.img.refs.get(e.host / this.cb)) === 1;
      if (own !== e.copied) {
        setEntry(this.img.l1, k, e.host, own);
        this.img.markL1(k);
      }
      const t = await this.img.l2Table(e.host);
      for (let j = 0; j < this.l2PerTable; j++) {
        const d = decodeL2(this.img.path, t, j, this.img.header, this.img.fileEnd());
        if ((d.kind !== 'data' && d.kind !== 'zero') || d.host === 0) continue;
        const mine = (await this.img.refs.get(d.host / this.cb)) === 1;
        if (mine !== d.copied) {
          setEntry(t, j, d.host, mine, d.kind === 'zero');
          this.img.markL2(e.host);
        }
      }
    }
  }

  /**
   * Write the table of `list` to new clusters, make everything before durable (flushNow), point
   * the header at it, then drop one reference from the old table's clusters and from `release`.
   */
  private async replaceSnapshotTable(list: Qcow2Snapshot[], release: readonly number[]): Promise<void> {
    const bytes = encodeSnapshotTable(list);
    const at = list.length === 0 ? 0 : await this.allocRun(Math.ceil(bytes.length / this.cb));
    if (at !== 0) await writeFully(this.img.file, at, bytes);
    await this.img.flush();
    const fields = new DataView(new ArrayBuffer(12));
    fields.setUint32(0, list.length);
    fields.setBigUint64(4, BigInt(at));
    await writeFully(this.img.file, H.nbSnapshots, new Uint8Array(fields.buffer));
    await this.img.file.datasync();
    const oldAt = this.tableOffset;
    const oldClusters = Math.ceil(this.tableBytes / this.cb);
    this.snapshots = list;
    this.tableOffset = at;
    this.tableBytes = bytes.length;
    for (let c = 0; c < oldClusters; c++) this.img.retire(oldAt / this.cb + c);
    for (const c of release) this.img.retire(c);
    await this.img.flush();
  }

  /** Entry `k` of the active L1 table. */
  private activeEntry(k: number): { host: number; copied: boolean } {
    return decodeTableEntry(
      this.img.path,
      'L1',
      this.img.l1,
      k,
      this.img.header,
      Number.MAX_SAFE_INTEGER,
      true,
    );
  }
}
