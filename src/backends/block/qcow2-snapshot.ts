// qcow2's internal snapshot table (QEMU's docs/interop/qcow2.txt, "Snapshots"): decoding and
// checking it (an image is untrusted input: every offset, count and length is bounded before
// use) and encoding a new one. The backend (qcow2.ts) creates, applies and deletes snapshots.

import { readFully, type HostFile } from './host-file.js';
import { Qcow2Error, type Qcow2Header } from './qcow2-format.js';

/** QEMU's bounds (QCOW_MAX_SNAPSHOTS, the table's size, QCOW_MAX_SNAPSHOT_EXTRA_DATA, QCOW_MAX_L1_SIZE). */
export const MAX_SNAPSHOTS = 65536;
export const MAX_SNAPSHOT_TABLE_BYTES = 64 * 1024 * 1024;
export const MAX_SNAPSHOT_EXTRA_BYTES = 1024;
export const MAX_L1_ENTRIES = (32 * 1024 * 1024) / 8;
/** The fixed part of a table entry, before its extra data, ID and name. */
const ENTRY_FIXED_BYTES = 40;
/** The extra data tsvirt writes: 64-bit VM state size, disk size, icount (qcow2.txt). */
const EXTRA_WRITTEN_BYTES = 24;

/** One snapshot table entry, decoded and checked. */
export interface Qcow2Snapshot {
  /** The unique ID string (QEMU numbers them "1", "2", ...). */
  readonly id: string;
  /** The name (QMP's and HMP's tag). */
  readonly name: string;
  readonly l1TableOffset: number;
  readonly l1Size: number;
  /** When it was taken: seconds since the Epoch and the nanoseconds within that second. */
  readonly dateSec: number;
  readonly dateNsec: number;
  /** How long the guest had run, in ns. */
  readonly vmClockNs: bigint;
  /** Bytes of VM state stored after the disk's clusters (0: a disk-only snapshot). */
  readonly vmStateBytes: number;
  /** The virtual disk size when it was taken (absent from old version 2 entries). */
  readonly diskSizeBytes: number | undefined;
  /** Instructions the guest had run, or -1 when unknown. */
  readonly icount: bigint;
  /** The entry's extra data as stored: fields tsvirt does not know are kept on rewrite. */
  readonly extra: Uint8Array;
}

/** What to decode: the header's table position and the file's size and active tables. */
export type TableDecode = { snapshots: Qcow2Snapshot[] } | { needBytes: number };

/**
 * Decode the `h.nbSnapshots` entries of the table in `bytes` (read from `h.snapshotsOffset`, the
 * rest of the file or less). Returns `needBytes` when `bytes` is too short to hold the table (the
 * caller reads that much and calls again). Throws {@link Qcow2Error} naming the entry and field for
 * counts or lengths out of bounds, a table or L1 table outside the file or overlapping the
 * header, the active L1 table, the refcount table or the snapshot table, and misalignment.
 */
export function decodeSnapshotTable(
  path: string,
  bytes: Uint8Array,
  h: Qcow2Header,
  fileBytes: number,
): TableDecode {
  const fail = (why: string): Qcow2Error => new Qcow2Error(path, why);
  const n = h.nbSnapshots;
  if (n === 0) return { snapshots: [] };
  if (n > MAX_SNAPSHOTS) throw fail(`header field nb_snapshots = ${n} is above ${MAX_SNAPSHOTS}`);
  const start = h.snapshotsOffset;
  if (start % h.clusterBytes !== 0 || start === 0)
    throw fail(`header field snapshots_offset = ${start} is not a cluster-aligned offset past the header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Qcow2Snapshot[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let at = 0;
  for (let k = 0; k < n; k++) {
    const bad = (why: string): Qcow2Error => fail(`snapshot table entry ${k}: ${why}`);
    const need = (len: number): TableDecode | undefined => {
      if (at + len > MAX_SNAPSHOT_TABLE_BYTES)
        throw bad(`the table is larger than ${MAX_SNAPSHOT_TABLE_BYTES} bytes`);
      if (start + at + len > fileBytes)
        throw bad(`runs past the end of the file (${fileBytes} bytes) at ${start + at + len}`);
      return at + len > bytes.length ? { needBytes: Math.max(at + len, bytes.length * 2) } : undefined;
    };
    const short = need(ENTRY_FIXED_BYTES);
    if (short !== undefined) return short;
    const l1TableOffset = v.getBigUint64(at);
    const l1Size = v.getUint32(at + 8);
    const idLen = v.getUint16(at + 12);
    const nameLen = v.getUint16(at + 14);
    const dateSec = v.getUint32(at + 16);
    const dateNsec = v.getUint32(at + 20);
    const vmClockNs = v.getBigUint64(at + 24);
    const vm32 = v.getUint32(at + 32);
    const extraLen = v.getUint32(at + 36);
    if (extraLen > MAX_SNAPSHOT_EXTRA_BYTES)
      throw bad(`extra_data_size = ${extraLen} is above ${MAX_SNAPSHOT_EXTRA_BYTES}`);
    // The last entry's padding may be missing at the end of the file (QEMU writes none there).
    const content = ENTRY_FIXED_BYTES + extraLen + idLen + nameLen;
    const whole = Math.ceil(content / 8) * 8;
    const shortAll = need(content);
    if (shortAll !== undefined) return shortAll;
    const extra = bytes.slice(at + ENTRY_FIXED_BYTES, at + ENTRY_FIXED_BYTES + extraLen);
    const ev = new DataView(extra.buffer);
    let vmStateBytes = vm32;
    if (extraLen >= 8) {
      const big = ev.getBigUint64(0);
      if (big > BigInt(fileBytes) * 1024n || big > BigInt(Number.MAX_SAFE_INTEGER))
        throw bad(`vm_state_size = ${big} is implausibly large`);
      vmStateBytes = Number(big);
    }
    let diskSizeBytes: number | undefined;
    if (extraLen >= 16) {
      const size = ev.getBigUint64(8);
      if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(`disk_size = ${size} is too large`);
      diskSizeBytes = Number(size);
    }
    const icount = extraLen >= 24 ? BigInt.asIntN(64, ev.getBigUint64(16)) : -1n;
    let id: string;
    let name: string;
    try {
      const strAt = at + ENTRY_FIXED_BYTES + extraLen;
      id = decoder.decode(bytes.subarray(strAt, strAt + idLen));
      name = decoder.decode(bytes.subarray(strAt + idLen, strAt + idLen + nameLen));
    } catch {
      throw bad('the ID or name is not valid UTF-8');
    }
    if (l1Size > MAX_L1_ENTRIES) throw bad(`l1_size = ${l1Size} is above ${MAX_L1_ENTRIES}`);
    if (l1TableOffset % BigInt(h.clusterBytes) !== 0n || (l1TableOffset === 0n && l1Size > 0))
      throw bad(`l1_table_offset = ${l1TableOffset} is not a cluster-aligned offset past the header`);
    if (l1TableOffset + BigInt(l1Size) * 8n > BigInt(fileBytes))
      throw bad(`its L1 table (${l1Size} entries at ${l1TableOffset}) runs past the end of the file`);
    const l1At = Number(l1TableOffset);
    const l1Bytes = l1Size * 8;
    const clash = overlap(l1At, l1Bytes, h);
    if (clash !== undefined) throw bad(`its L1 table overlaps ${clash}`);
    if (l1Bytes > 0 && l1At < start + whole + at && start < l1At + l1Bytes)
      throw bad('its L1 table overlaps the snapshot table');
    out.push({
      id,
      name,
      l1TableOffset: l1At,
      l1Size,
      dateSec,
      dateNsec,
      vmClockNs,
      vmStateBytes,
      diskSizeBytes,
      icount,
      extra,
    });
    at += whole;
  }
  const clash = overlap(start, at, h);
  if (clash !== undefined) throw fail(`the snapshot table (${at} bytes at ${start}) overlaps ${clash}`);
  for (const s of out)
    if (s.l1Size > 0 && s.l1TableOffset < start + at && start < s.l1TableOffset + s.l1Size * 8)
      throw fail(`snapshot '${s.name}': its L1 table overlaps the snapshot table`);
  return { snapshots: out };
}

/** Which of the image's fixed structures [at, at + len) overlaps, if any. */
function overlap(at: number, len: number, h: Qcow2Header): string | undefined {
  const hits = (from: number, bytes: number): boolean => len > 0 && at < from + bytes && from < at + len;
  if (hits(0, h.clusterBytes)) return 'the header cluster';
  if (hits(h.l1TableOffset, h.l1Size * 8)) return 'the active L1 table';
  if (hits(h.refcountTableOffset, h.refcountTableClusters * h.clusterBytes)) return 'the refcount table';
  return undefined;
}

/** The snapshot table holding `list`, in order (its size is a multiple of 8). */
export function encodeSnapshotTable(list: readonly Qcow2Snapshot[]): Uint8Array {
  const enc = new TextEncoder();
  const parts = list.map((s) => {
    const id = enc.encode(s.id);
    const name = enc.encode(s.name);
    const extraLen = Math.max(s.extra.length, EXTRA_WRITTEN_BYTES);
    const bytes = new Uint8Array(Math.ceil((ENTRY_FIXED_BYTES + extraLen + id.length + name.length) / 8) * 8);
    const v = new DataView(bytes.buffer);
    v.setBigUint64(0, BigInt(s.l1TableOffset));
    v.setUint32(8, s.l1Size);
    v.setUint16(12, id.length);
    v.setUint16(14, name.length);
    v.setUint32(16, s.dateSec);
    v.setUint32(20, s.dateNsec);
    v.setBigUint64(24, s.vmClockNs);
    // The 32-bit size is ignored when the 64-bit one is present; older readers see at most 4 GiB - 1.
    v.setUint32(32, Math.min(s.vmStateBytes, 0xffff_ffff));
    v.setUint32(36, extraLen);
    bytes.set(s.extra, ENTRY_FIXED_BYTES);
    v.setBigUint64(40, BigInt(s.vmStateBytes));
    v.setBigUint64(48, BigInt(s.diskSizeBytes ?? 0));
    v.setBigUint64(56, BigInt.asUintN(64, s.icount));
    bytes.set(id, ENTRY_FIXED_BYTES + extraLen);
    bytes.set(name, ENTRY_FIXED_BYTES + extraLen + id.length);
    return bytes;
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The snapshot table of the image being opened, read as far as it goes and checked. */
export async function readSnapshotTable(
  file: HostFile,
  path: string,
  h: Qcow2Header,
  fileBytes: number,
): Promise<Qcow2Snapshot[]> {
  if (h.nbSnapshots === 0) return [];
  let bytes = new Uint8Array(Math.min(h.clusterBytes, fileBytes - h.snapshotsOffset));
  await readFully(file, h.snapshotsOffset, bytes);
  for (;;) {
    const r = decodeSnapshotTable(path, bytes, h, fileBytes);
    if ('snapshots' in r) return r.snapshots;
    // decodeSnapshotTable bounds needBytes by the file and MAX_SNAPSHOT_TABLE_BYTES.
    bytes = new Uint8Array(Math.min(r.needBytes, fileBytes - h.snapshotsOffset));
    await readFully(file, h.snapshotsOffset, bytes);
  }
}
