// The on-disk format of a tsvirt copy-on-write overlay, version 1 (docs/overlay-format.md): a
// 4 KiB header, a flat table with one 64-bit entry per cluster of the base, then data clusters.

import { createHash } from 'node:crypto';
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

/** Entry flag: the cluster reads as zeros (whatever its storage holds). */
export const ENTRY_ZERO = 1;
/** Entry bits 1..11 are reserved and must be zero; bits 12..63 hold the storage offset. */
const ENTRY_RESERVED_MASK = 0xffen;
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

/** Number of base blocks hashed into the fingerprint, and their size in bytes. */
const FINGERPRINT_SAMPLES = 16;
const FINGERPRINT_SAMPLE_BYTES = 4096;

/** An overlay file that is corrupt, of another version, or made for another base. */
export class OverlayError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`overlay ${path}: ${problem}`);
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

/** The layout of a new overlay for a base of `baseSizeBytes` bytes. */
export function overlayLayout(
  baseSizeBytes: number,
  clusterBytes: number,
  fingerprint: Uint8Array,
): OverlayHeader {
  const tableEntries = Math.ceil(baseSizeBytes / clusterBytes);
  const tableOffset = OVERLAY_HEADER_BYTES;
  const dataOffset = alignUp(tableOffset + tableEntries * ENTRY_BYTES, clusterBytes);
  return { baseSizeBytes, clusterBytes, tableOffset, tableEntries, dataOffset, fingerprint };
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
 * Decode and check a header block: magic, version, checksum and internal consistency. The match
 * with the base (size, fingerprint) is checked by the caller, which knows the base.
 */
export function decodeHeader(path: string, bytes: Uint8Array): OverlayHeader {
  if (bytes.length < OVERLAY_HEADER_BYTES) {
    throw new OverlayError(path, `too short to be an overlay (${bytes.length} bytes)`);
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!equalBytes(bytes.subarray(H_MAGIC, H_MAGIC + OVERLAY_MAGIC.length), OVERLAY_MAGIC)) {
    throw new OverlayError(path, 'not a tsvirt overlay (bad magic)');
  }
  const version = v.getUint32(H_VERSION, true);
  if (version !== OVERLAY_VERSION) {
    throw new OverlayError(
      path,
      `unsupported overlay version ${version} (this build reads ${OVERLAY_VERSION})`,
    );
  }
  if (v.getUint32(H_CRC, true) !== crc32(bytes.subarray(0, H_CRC))) {
    throw new OverlayError(path, 'header checksum mismatch: the header is corrupt');
  }
  const corrupt = (field: string): OverlayError => new OverlayError(path, `corrupt header: bad ${field}`);
  const u64 = (off: number, field: string): number => {
    const n = v.getBigUint64(off, true);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(field);
    return Number(n);
  };
  if (v.getUint32(H_HEADER_BYTES, true) !== OVERLAY_HEADER_BYTES) throw corrupt('header size');
  if (v.getUint32(H_FLAGS, true) !== 0) throw corrupt('flags');
  const clusterBytes = v.getUint32(H_CLUSTER_BYTES, true);
  if (!validClusterBytes(clusterBytes)) throw corrupt('cluster size');
  const fingerprint = bytes.slice(H_FINGERPRINT, H_FINGERPRINT + FINGERPRINT_BYTES);
  const expect = overlayLayout(u64(H_BASE_SIZE, 'base size'), clusterBytes, fingerprint);
  if (u64(H_TABLE_OFFSET, 'table offset') !== expect.tableOffset) throw corrupt('table offset');
  if (u64(H_TABLE_ENTRIES, 'table entries') !== expect.tableEntries) throw corrupt('table entry count');
  if (u64(H_DATA_OFFSET, 'data offset') !== expect.dataOffset) throw corrupt('data offset');
  return expect;
}

/**
 * Decode the table: one number per cluster, `storageOffset + (zero ? ENTRY_ZERO : 0)`, 0 for a
 * cluster not in the overlay. Rejects reserved bits, misaligned storage, storage outside the data
 * area or beyond `fileBytes`, and two clusters sharing storage.
 */
export function decodeTable(
  path: string,
  h: OverlayHeader,
  table: Uint8Array,
  fileBytes: number,
): Float64Array {
  const v = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const entries = new Float64Array(h.tableEntries);
  const used = new Set<number>();
  for (let k = 0; k < h.tableEntries; k++) {
    const raw = v.getBigUint64(k * ENTRY_BYTES, true);
    if (raw === 0n) continue;
    const bad = (why: string): OverlayError => new OverlayError(path, `corrupt table entry ${k}: ${why}`);
    if ((raw & ENTRY_RESERVED_MASK) !== 0n) throw bad('reserved bits set');
    const storage = raw & ~0xfffn;
    if (storage > BigInt(Number.MAX_SAFE_INTEGER)) throw bad('offset too large');
    const at = Number(storage);
    if (at !== 0) {
      if (at % h.clusterBytes !== 0) throw bad(`offset ${at} is not cluster-aligned`);
      if (at < h.dataOffset) throw bad(`offset ${at} is inside the header or table`);
      if (at + h.clusterBytes > fileBytes) throw bad(`offset ${at} is beyond the end of the file`);
      if (used.has(at)) throw bad(`offset ${at} is shared with another cluster`);
      used.add(at);
    } else if ((raw & BigInt(ENTRY_ZERO)) === 0n) {
      throw bad('no storage and no zero flag');
    }
    entries[k] = Number(raw);
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

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3 polynomial, reflected, as in zlib/PNG) of `bytes`. */
export function crc32(bytes: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = crcTable[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
