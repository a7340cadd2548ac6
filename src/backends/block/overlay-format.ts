// The on-disk format of a tsvirt copy-on-write overlay, version 1 (docs/overlay-format.md): a
// 4 KiB header, a flat table with one 64-bit entry per cluster of the base, then data clusters.

import { createHash } from 'node:crypto';
import { crc32 } from '../../core/crc32.js';
import type { BlockBackend } from './backend.js';

/** First 8 bytes of every overlay file. */
export const OVERLAY_MAGIC = new TextEncoder().encode('TSVOVRLY');
export const OVERLAY_VERSION = 1;
/** Size of the header block, in bytes; the table starts right after it. */
export const OVERLAY_HEADER_BYTES = 4096;
export const DEFAULT_CLUSTER_BYTES = 64 * 1024;
export const MIN_CLUSTER_BYTES = 4096;
export const MAX_CLUSTER_BYTES = 2 * 1024 * 1024;
/** Size of one table entry, in bytes. */
export const ENTRY_BYTES = 8;
/**
 * Most table entries an overlay may have: the table is held in memory (8 bytes per entry, so at
 * most 256 MiB), and read whole at open. That is a 2 TiB base with the default 64 KiB clusters,
 * 64 TiB with 2 MiB clusters. Also keeps every offset of the layout a safe integer.
 */
export const MAX_TABLE_ENTRIES = 2 ** 25;
/** The base is a whole number of virtio-blk sectors. */
const BASE_SECTOR_BYTES = 512;

/** Entry flag: the cluster reads as zeros (whatever its storage holds). */
export const ENTRY_ZERO = 1;
/** Entry bits 1..11 are reserved and must be zero; bits 12..63 hold the storage offset. */
const ENTRY_RESERVED_MASK = 0xffen;
const ENTRY_OFFSET_MASK = ~0xfffn & 0xffff_ffff_ffff_ffffn;
const ENTRY_OFFSET_ALIGN = 4096;

/** Header field offsets, in bytes. */
const H_MAGIC = 0;
const H_VERSION = 8;
const H_HEADER_BYTES = 12;
const H_BASE_SIZE = 16;
const H_CLUSTER_BYTES = 24;
const H_FLAGS = 28;
const H_TABLE_OFFSET = 32;
const H_TABLE_ENTRIES = 40;
const H_DATA_OFFSET = 48;
const H_FINGERPRINT = 56;
const FINGERPRINT_BYTES = 32;
const H_CRC = H_FINGERPRINT + FINGERPRINT_BYTES;
/** First reserved header byte: bytes from here to the end of the header are zero. */
const H_RESERVED = H_CRC + 4;

/** Number of base blocks hashed into the fingerprint, and their size in bytes. */
const FINGERPRINT_SAMPLES = 16;
const FINGERPRINT_SAMPLE_BYTES = 4096;

/**
 * An overlay file that is corrupt, of another version, or made for another base. `problem` names
 * the header field or table entry at fault and its value.
 */
export class OverlayError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`overlay '${path}': ${problem}`);
  }
}

/** The decoded header of an overlay. */
export interface OverlayHeader {
  readonly baseSizeBytes: number;
  readonly clusterBytes: number;
  readonly tableOffset: number;
  readonly tableEntries: number;
  /** First byte of the data area: the table end rounded up to a cluster. */
  readonly dataOffset: number;
  /** SHA-256 identity of the base (see {@link baseFingerprint}). */
  readonly fingerprint: Uint8Array;
}

/**
 * The layout of a new overlay for a base of `baseSizeBytes` bytes. The caller checks
 * {@link validClusterBytes} and {@link tableEntriesFor} first.
 */
export function overlayLayout(
  baseSizeBytes: number,
  clusterBytes: number,
  fingerprint: Uint8Array,
): OverlayHeader {
  const tableEntries = tableEntriesFor(baseSizeBytes, clusterBytes);
  const tableOffset = OVERLAY_HEADER_BYTES;
  const dataOffset = alignUp(tableOffset + tableEntries * ENTRY_BYTES, clusterBytes);
  return { baseSizeBytes, clusterBytes, tableOffset, tableEntries, dataOffset, fingerprint };
}

/** Table entries for a base of `baseSizeBytes`: one per cluster, the last one maybe partial. */
export function tableEntriesFor(baseSizeBytes: number, clusterBytes: number): number {
  return Math.ceil(baseSizeBytes / clusterBytes);
}

/** True for a power of two in [MIN_CLUSTER_BYTES, MAX_CLUSTER_BYTES]. */
export function validClusterBytes(n: number): boolean {
  return Number.isInteger(n) && n >= MIN_CLUSTER_BYTES && n <= MAX_CLUSTER_BYTES && (n & (n - 1)) === 0;
}

export function encodeHeader(h: OverlayHeader): Uint8Array {
  const bytes = new Uint8Array(OVERLAY_HEADER_BYTES);
  const v = new DataView(bytes.buffer);
  bytes.set(OVERLAY_MAGIC, H_MAGIC);
  v.setUint32(H_VERSION, OVERLAY_VERSION, true);
  v.setUint32(H_HEADER_BYTES, OVERLAY_HEADER_BYTES, true);
  v.setBigUint64(H_BASE_SIZE, BigInt(h.baseSizeBytes), true);
  v.setUint32(H_CLUSTER_BYTES, h.clusterBytes, true);
  v.setUint32(H_FLAGS, 0, true);
  v.setBigUint64(H_TABLE_OFFSET, BigInt(h.tableOffset), true);
  v.setBigUint64(H_TABLE_ENTRIES, BigInt(h.tableEntries), true);
  v.setBigUint64(H_DATA_OFFSET, BigInt(h.dataOffset), true);
  bytes.set(h.fingerprint, H_FINGERPRINT);
  v.setUint32(H_CRC, crc32(bytes.subarray(0, H_CRC)), true);
  return bytes;
}

/**
 * Decode and check a header block: magic, version, checksum, every field's range and the fields
 * that follow from others. The match with the base (size, fingerprint) is checked by the caller,
 * which knows the base. Throws {@link OverlayError} naming the field and its value; never
 * anything else. Every offset of the result is a safe integer.
 */
export function decodeHeader(path: string, bytes: Uint8Array): OverlayHeader {
  const fail = (problem: string): OverlayError => new OverlayError(path, problem);
  if (bytes.length < OVERLAY_HEADER_BYTES) {
    throw fail(
      `too short to be an overlay: ${bytes.length} bytes, the header alone is ${OVERLAY_HEADER_BYTES}`,
    );
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!equalBytes(bytes.subarray(H_MAGIC, H_MAGIC + OVERLAY_MAGIC.length), OVERLAY_MAGIC)) {
    throw fail('not a tsvirt overlay (bad magic)');
  }
  const field = (name: string, value: number | bigint | string, why: string): OverlayError =>
    fail(`header field ${name} = ${value} ${why}`);
  const version = v.getUint32(H_VERSION, true);
  if (version !== OVERLAY_VERSION) {
    throw field('version', version, `is unsupported (this build reads ${OVERLAY_VERSION})`);
  }
  const crc = v.getUint32(H_CRC, true);
  const actualCrc = crc32(bytes.subarray(0, H_CRC));
  if (crc !== actualCrc) {
    throw field(
      'header_crc32',
      hex(crc),
      `does not match the header (${hex(actualCrc)}): the header is corrupt`,
    );
  }
  const headerBytes = v.getUint32(H_HEADER_BYTES, true);
  if (headerBytes !== OVERLAY_HEADER_BYTES) {
    throw field('header_bytes', headerBytes, `is not ${OVERLAY_HEADER_BYTES}`);
  }
  const flags = v.getUint32(H_FLAGS, true);
  if (flags !== 0) throw field('flags', hex(flags), 'has bits set that this build does not know');
  const clusterBytes = v.getUint32(H_CLUSTER_BYTES, true);
  if (!validClusterBytes(clusterBytes)) {
    throw field(
      'cluster_bytes',
      clusterBytes,
      `is not a power of two in ${MIN_CLUSTER_BYTES}..${MAX_CLUSTER_BYTES}`,
    );
  }
  // 64-bit fields are compared as BigInt, so a huge value is reported, never rounded.
  const baseSize = v.getBigUint64(H_BASE_SIZE, true);
  if (baseSize === 0n || baseSize % BigInt(BASE_SECTOR_BYTES) !== 0n) {
    throw field('base_size', baseSize, `is not a positive multiple of ${BASE_SECTOR_BYTES}`);
  }
  const maxBase = BigInt(MAX_TABLE_ENTRIES) * BigInt(clusterBytes);
  if (baseSize > maxBase) {
    throw field(
      'base_size',
      baseSize,
      `needs more than ${MAX_TABLE_ENTRIES} table entries of cluster_bytes ${clusterBytes} (at most ${maxBase} bytes)`,
    );
  }
  const fingerprint = bytes.slice(H_FINGERPRINT, H_FINGERPRINT + FINGERPRINT_BYTES);
  const expect = overlayLayout(Number(baseSize), clusterBytes, fingerprint);
  const tableOffset = v.getBigUint64(H_TABLE_OFFSET, true);
  if (tableOffset !== BigInt(expect.tableOffset)) {
    throw field('table_offset', tableOffset, `is not ${expect.tableOffset}`);
  }
  const tableEntries = v.getBigUint64(H_TABLE_ENTRIES, true);
  if (tableEntries !== BigInt(expect.tableEntries)) {
    throw field(
      'table_entries',
      tableEntries,
      `is not ${expect.tableEntries} (base_size / cluster_bytes, rounded up)`,
    );
  }
  const dataOffset = v.getBigUint64(H_DATA_OFFSET, true);
  if (dataOffset !== BigInt(expect.dataOffset)) {
    throw field(
      'data_offset',
      dataOffset,
      `is not ${expect.dataOffset} (the end of the table rounded up to cluster_bytes)`,
    );
  }
  for (let k = H_RESERVED; k < OVERLAY_HEADER_BYTES; k++) {
    if (bytes[k] !== 0) {
      throw fail(`header byte ${k} = ${hex(bytes[k])} is reserved (bytes ${H_RESERVED}..4095 must be zero)`);
    }
  }
  return expect;
}

/**
 * Decode the table: one number per cluster, `storageOffset + (zero ? ENTRY_ZERO : 0)`, 0 for a
 * cluster not in the overlay. Every storage offset returned is cluster-aligned, in the data area
 * (at or after `h.dataOffset`), ends at or before `fileBytes`, and belongs to one cluster only;
 * anything else throws {@link OverlayError} naming the entry and its value. `table` holds
 * `h.tableEntries` entries.
 */
export function decodeTable(
  path: string,
  h: OverlayHeader,
  table: Uint8Array,
  fileBytes: number,
): Float64Array {
  const v = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const entries = new Float64Array(h.tableEntries);
  // Storage offsets in use, sorted afterwards to find two entries sharing one.
  const stored = new Float64Array(h.tableEntries);
  let storedCount = 0;
  const cluster = BigInt(h.clusterBytes);
  for (let k = 0; k < h.tableEntries; k++) {
    const raw = v.getBigUint64(k * ENTRY_BYTES, true);
    if (raw === 0n) continue;
    const bad = (why: string): OverlayError =>
      new OverlayError(path, `table entry ${k} = ${hex(raw)}: ${why}`);
    if ((raw & ENTRY_RESERVED_MASK) !== 0n) throw bad('reserved bits 1..11 are set');
    const storage = raw & ENTRY_OFFSET_MASK;
    // The only bit left is ZERO: a zero cluster without storage.
    if (storage === 0n) {
      entries[k] = ENTRY_ZERO;
      continue;
    }
    if (storage % cluster !== 0n)
      throw bad(`offset ${storage} is not a multiple of cluster_bytes ${cluster}`);
    if (storage < BigInt(h.dataOffset)) {
      throw bad(`offset ${storage} is inside the header or table (data starts at ${h.dataOffset})`);
    }
    if (storage + cluster > BigInt(fileBytes)) {
      throw bad(
        `offset ${storage} + cluster_bytes ${cluster} is past the end of the file (${fileBytes} bytes)`,
      );
    }
    // Now below fileBytes, hence a safe integer.
    stored[storedCount++] = Number(storage);
    entries[k] = Number(raw);
  }
  const sorted = stored.subarray(0, storedCount).sort();
  for (let n = 1; n < sorted.length; n++) {
    if (sorted[n] === sorted[n - 1]) {
      const users: number[] = [];
      for (let k = 0; k < entries.length && users.length < 2; k++) {
        if (entryStorage(entries[k]) === sorted[n]) users.push(k);
      }
      throw new OverlayError(
        path,
        `table entries ${users[0]} and ${users[1]} both point at offset ${sorted[n]}`,
      );
    }
  }
  return entries;
}

/** Encode table entries [first, first + count) for writing at their place in the table. */
export function encodeEntries(entries: Float64Array, first: number, count: number): Uint8Array {
  const out = new Uint8Array(count * ENTRY_BYTES);
  const v = new DataView(out.buffer);
  for (let k = 0; k < count; k++) v.setBigUint64(k * ENTRY_BYTES, BigInt(entries[first + k]), true);
  return out;
}

/** Storage offset of an entry (0 when it has none). */
export function entryStorage(entry: number): number {
  return entry - (entry % ENTRY_OFFSET_ALIGN);
}

export function entryIsZero(entry: number): boolean {
  return entry % 2 === ENTRY_ZERO;
}

/**
 * The identity of a base image: SHA-256 over its size and 16 blocks of 4 KiB spread evenly over
 * it, the first and last included. Cheap at every start (16 small reads) and unchanged by copying
 * the file; catches a different image (partition table, superblock, last blocks differ) but not an
 * edit in the middle of the same image, which is why the base must be treated as immutable.
 */
export async function baseFingerprint(base: BlockBackend): Promise<Uint8Array> {
  const hash = createHash('sha256');
  const size = new DataView(new ArrayBuffer(8));
  size.setBigUint64(0, BigInt(base.sizeBytes), true);
  hash.update('tsvirt overlay base v1');
  hash.update(new Uint8Array(size.buffer));
  const n = Math.min(FINGERPRINT_SAMPLE_BYTES, base.sizeBytes);
  const block = new Uint8Array(n);
  const last = base.sizeBytes - n;
  for (let k = 0; k < FINGERPRINT_SAMPLES && n > 0; k++) {
    const at = Math.floor((last * k) / (FINGERPRINT_SAMPLES - 1));
    await base.read(at, block);
    hash.update(block);
  }
  return new Uint8Array(hash.digest());
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}

export function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

function hex(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}
