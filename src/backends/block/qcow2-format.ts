// The qcow2 image format, versions 2 and 3, as QEMU's docs/interop/qcow2.txt specifies it: the
// header and its extensions, L1/L2 and refcount table entries. Every field read from a file is
// checked here (an image is untrusted input); the backend (qcow2.ts) only sees checked values.

/** "QFI\xfb" (qcow2.txt, Header, bytes 0-3). */
export const QCOW2_MAGIC = 0x514649fb;
/** Smallest and largest cluster_bits this build opens (512 B as the spec allows, 2 MiB as QEMU). */
export const MIN_CLUSTER_BITS = 9;
export const MAX_CLUSTER_BITS = 21;
/** The longest backing file name the spec allows, in bytes. */
export const MAX_BACKING_NAME_BYTES = 1023;
/** Header length of version 2 (fixed), and the least for version 3. */
export const V2_HEADER_BYTES = 72;
export const V3_MIN_HEADER_BYTES = 104;
/** The header tsvirt writes: version 3 with the compression_type field, padded to 8 bytes. */
export const V3_HEADER_BYTES = 112;

/** incompatible_features bits (qcow2.txt, Header bytes 72-79). */
export const INCOMPAT_DIRTY = 1n << 0n;
export const INCOMPAT_CORRUPT = 1n << 1n;
export const INCOMPAT_DATA_FILE = 1n << 2n;
export const INCOMPAT_COMPRESSION = 1n << 3n;
export const INCOMPAT_EXTL2 = 1n << 4n;

/** Header extension types (qcow2.txt, Header extensions). */
export const EXT_END = 0x00000000;
export const EXT_BACKING_FORMAT = 0xe2792aca;
export const EXT_FEATURE_NAMES = 0x6803f857;
export const EXT_DATA_FILE = 0x44415441;

/** Header field offsets, in bytes (big-endian fields). */
export const H = {
  magic: 0,
  version: 4,
  backingFileOffset: 8,
  backingFileSize: 16,
  clusterBits: 20,
  size: 24,
  cryptMethod: 32,
  l1Size: 36,
  l1TableOffset: 40,
  refcountTableOffset: 48,
  refcountTableClusters: 56,
  nbSnapshots: 60,
  snapshotsOffset: 64,
  incompatibleFeatures: 72,
  compatibleFeatures: 80,
  autoclearFeatures: 88,
  refcountOrder: 96,
  headerLength: 100,
  compressionType: 104,
} as const;

/** L1/L2 entry bit 63: the refcount of what the entry points at is exactly one (no COW needed). */
export const OFLAG_COPIED_HI = 0x8000_0000;
/** L2 entry bit 62: a compressed cluster. */
const OFLAG_COMPRESSED_HI = 0x4000_0000;
/** Standard cluster descriptor bit 0 (version 3): the cluster reads as zeros. */
export const OFLAG_ZERO_LO = 1;

/**
 * An image that is corrupt or uses what this build cannot handle. `problem` names the header field
 * or table entry at fault and its value.
 */
export class Qcow2Error extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
    /** What the file was taken for, as the message names it. */
    what = 'qcow2 image',
  ) {
    super(`${what} '${path}': ${problem}`);
  }
}

/** The decoded, checked header. Every offset is a safe integer inside the file. */
export interface Qcow2Header {
  readonly version: 2 | 3;
  readonly clusterBits: number;
  readonly clusterBytes: number;
  /** Virtual disk size in bytes (the header's `size`). */
  readonly sizeBytes: number;
  readonly l1Size: number;
  readonly l1TableOffset: number;
  readonly refcountTableOffset: number;
  readonly refcountTableClusters: number;
  readonly nbSnapshots: number;
  /** Where the snapshot table starts (0 without snapshots); checked by qcow2-snapshot.ts. */
  readonly snapshotsOffset: number;
  readonly incompatibleFeatures: bigint;
  readonly autoclearFeatures: bigint;
  readonly refcountOrder: number;
  readonly headerLength: number;
  /** The backing file name as stored (not resolved), or undefined. */
  readonly backingFile: string | undefined;
  /** The backing file format extension ("raw", "qcow2"...), or undefined when absent. */
  readonly backingFormat: string | undefined;
}

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

/** Entries of one L2 table (8 bytes each). */
export function l2Entries(clusterBits: number): number {
  return 2 ** (clusterBits - 3);
}

/** L1 entries needed to map `sizeBytes` of virtual disk. */
export function l1EntriesFor(sizeBytes: number, clusterBits: number): number {
  return Math.ceil(Math.ceil(sizeBytes / 2 ** clusterBits) / l2Entries(clusterBits));
}

/**
 * Decode and check the header in `head` (the first cluster of the file, or all of a shorter
 * file) against the file's size. Throws {@link Qcow2Error} for anything this build cannot read:
 * bad magic or version, fields out of range, tables outside the file, unknown incompatible
 * features, encryption, external data files, extended L2 entries.
 */
export function decodeHeader(path: string, head: Uint8Array, fileBytes: number): Qcow2Header {
  const fail = (problem: string): Qcow2Error => new Qcow2Error(path, problem);
  if (head.length < V2_HEADER_BYTES) {
    throw fail(`too short for a qcow2 header: ${head.length} bytes (at least ${V2_HEADER_BYTES})`);
  }
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const field = (name: string, value: number | bigint | string, why: string): Qcow2Error =>
    fail(`header field ${name} = ${value} ${why}`);
  if (v.getUint32(H.magic) !== QCOW2_MAGIC) throw fail('not a qcow2 image (bad magic)');
  const version = v.getUint32(H.version);
  if (version !== 2 && version !== 3) {
    throw field('version', version, 'is unsupported (this build reads qcow2 versions 2 and 3)');
  }
  const clusterBits = v.getUint32(H.clusterBits);
  if (clusterBits < MIN_CLUSTER_BITS || clusterBits > MAX_CLUSTER_BITS) {
    throw field('cluster_bits', clusterBits, `is outside ${MIN_CLUSTER_BITS}..${MAX_CLUSTER_BITS}`);
  }
  const clusterBytes = 2 ** clusterBits;
  let headerLength = V2_HEADER_BYTES;
  let incompatible = 0n;
  let autoclear = 0n;
  let refcountOrder = 4;
  if (version === 3) {
    if (head.length < V3_MIN_HEADER_BYTES)
      throw fail(`too short for a version 3 header: ${head.length} bytes`);
    headerLength = v.getUint32(H.headerLength);
    if (
      headerLength < V3_MIN_HEADER_BYTES ||
      headerLength % 8 !== 0 ||
      headerLength > Math.min(clusterBytes, head.length)
    ) {
      throw field(
        'header_length',
        headerLength,
        `is not a multiple of 8 from ${V3_MIN_HEADER_BYTES} to the cluster size`,
      );
    }
    incompatible = v.getBigUint64(H.incompatibleFeatures);
    autoclear = v.getBigUint64(H.autoclearFeatures);
    refcountOrder = v.getUint32(H.refcountOrder);
    if (refcountOrder > 6) throw field('refcount_order', refcountOrder, 'is above 6 (64-bit refcounts)');
    const known =
      INCOMPAT_DIRTY | INCOMPAT_CORRUPT | INCOMPAT_DATA_FILE | INCOMPAT_COMPRESSION | INCOMPAT_EXTL2;
    if ((incompatible & ~known) !== 0n) {
      throw field(
        'incompatible_features',
        hex(incompatible),
        `has unknown bits ${hex(incompatible & ~known)}`,
      );
    }
    if (incompatible & INCOMPAT_DATA_FILE)
      throw fail('uses an external data file, which tsvirt does not support');
    if (incompatible & INCOMPAT_EXTL2)
      throw fail('uses extended L2 entries (subclusters), which tsvirt does not support');
    if (incompatible & INCOMPAT_COMPRESSION) {
      const type = headerLength > H.compressionType ? head[H.compressionType] : 0;
      if (type === 0) throw fail('incompatible feature "compression type" is set but compression_type is 0');
    }
  }
  const crypt = v.getUint32(H.cryptMethod);
  if (crypt !== 0)
    throw field('crypt_method', crypt, 'means an encrypted image, which tsvirt does not support');
  const inFile = (name: string, offset: bigint, lenBytes: bigint, align = true): number => {
    if (align && offset % BigInt(clusterBytes) !== 0n) {
      throw field(name, offset, `is not a multiple of the cluster size ${clusterBytes}`);
    }
    if (offset === 0n && lenBytes > 0n) throw field(name, offset, 'points at the header');
    if (offset + lenBytes > BigInt(fileBytes)) {
      throw field(name, offset, `+ ${lenBytes} bytes is past the end of the file (${fileBytes} bytes)`);
    }
    return Number(offset);
  };
  const size = v.getBigUint64(H.size);
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw field('size', size, 'is too large (at most 2^53 - 1)');
  const sizeBytes = Number(size);
  const l1Size = v.getUint32(H.l1Size);
  const needed = l1EntriesFor(sizeBytes, clusterBits);
  if (l1Size < needed) throw field('l1_size', l1Size, `is too small for size ${size} (needs ${needed})`);
  const l1TableOffset = inFile('l1_table_offset', v.getBigUint64(H.l1TableOffset), BigInt(l1Size) * 8n);
  const refcountTableClusters = v.getUint32(H.refcountTableClusters);
  if (refcountTableClusters === 0) throw field('refcount_table_clusters', 0, 'is zero');
  const refcountTableOffset = inFile(
    'refcount_table_offset',
    v.getBigUint64(H.refcountTableOffset),
    BigInt(refcountTableClusters) * BigInt(clusterBytes),
  );
  const nbSnapshots = v.getUint32(H.nbSnapshots);
  const snapshotsOffset = v.getBigUint64(H.snapshotsOffset);
  if (nbSnapshots > 0 && snapshotsOffset > BigInt(fileBytes))
    throw field('snapshots_offset', snapshotsOffset, `is past the end of the file (${fileBytes} bytes)`);
  // Header extensions follow the header, inside the first cluster.
  let backingFormat: string | undefined;
  const end = Math.min(clusterBytes, head.length);
  for (let at = headerLength; ;) {
    if (at + 8 > end) throw fail(`header extensions run past the first cluster (at byte ${at})`);
    const type = v.getUint32(at);
    const len = v.getUint32(at + 4);
    if (type === EXT_END) break;
    if (at + 8 + len > end)
      throw fail(`header extension ${hex(type)} of ${len} bytes runs past the first cluster`);
    if (type === EXT_BACKING_FORMAT) backingFormat = latin1(head.subarray(at + 8, at + 8 + len));
    at += 8 + Math.ceil(len / 8) * 8;
  }
  let backingFile: string | undefined;
  const backingOffset = v.getBigUint64(H.backingFileOffset);
  if (backingOffset !== 0n) {
    const len = v.getUint32(H.backingFileSize);
    if (len === 0 || len > MAX_BACKING_NAME_BYTES) {
      throw field('backing_file_size', len, `is not 1..${MAX_BACKING_NAME_BYTES}`);
    }
    if (backingOffset + BigInt(len) > BigInt(end)) {
      throw field('backing_file_offset', backingOffset, `+ ${len} bytes is not inside the first cluster`);
    }
    const at = Number(backingOffset);
    backingFile = new TextDecoder().decode(head.subarray(at, at + len));
    if (backingFile.includes('\0')) throw fail('the backing file name contains a NUL byte');
  }
  return {
    version,
    clusterBits,
    clusterBytes,
    sizeBytes,
    l1Size,
    l1TableOffset,
    refcountTableOffset,
    refcountTableClusters,
    nbSnapshots,
    snapshotsOffset: nbSnapshots > 0 ? Number(snapshotsOffset) : 0,
    incompatibleFeatures: incompatible,
    autoclearFeatures: autoclear,
    refcountOrder,
    headerLength,
    backingFile,
    backingFormat,
  };
}

function latin1(b: Uint8Array): string {
  return String.fromCharCode(...b);
}

/** A decoded L2 entry (standard or compressed cluster descriptor plus the flag bits). */
export type L2Entry =
  | { kind: 'unallocated' }
  /** Reads as zeros; `host` may name a preallocated cluster (0 when none). */
  | { kind: 'zero'; host: number; copied: boolean }
  | { kind: 'data'; host: number; copied: boolean }
  /** `host` is a byte offset (not aligned); the data takes at most `lenBytes` from there. */
  | { kind: 'compressed'; host: number; lenBytes: number };

/**
 * Decode L2 entry `k` of `table` (qcow2.txt, Cluster mapping). Host offsets are checked against
 * `fileBytes` (the file as opened: later allocations are not reachable from old tables); throws
 * {@link Qcow2Error} naming the entry for reserved bits, misalignment or offsets outside.
 */
export function decodeL2(
  path: string,
  table: DataView,
  k: number,
  h: Qcow2Header,
  fileBytes: number,
): L2Entry {
  const hi = table.getUint32(k * 8);
  const lo = table.getUint32(k * 8 + 4);
  if (hi === 0 && lo === 0) return { kind: 'unallocated' };
  const bad = (why: string): Qcow2Error =>
    new Qcow2Error(
      path,
      `L2 entry ${k} = 0x${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')}: ${why}`,
    );
  const copied = (hi & OFLAG_COPIED_HI) !== 0;
  if ((hi & OFLAG_COMPRESSED_HI) !== 0) {
    // x = 62 - (cluster_bits - 8): bits 0..x-1 offset, x..61 additional 512-byte sectors.
    const x = 62 - (h.clusterBits - 8);
    const raw = (BigInt(hi & 0x3fff_ffff) << 32n) | BigInt(lo);
    const host = raw & ((1n << BigInt(x)) - 1n);
    const sectors = raw >> BigInt(x);
    if (copied) throw bad('a compressed cluster with bit 63 (copied) set');
    const lenBytes = (Number(sectors) + 1) * 512 - Number(host % 512n);
    if (host === 0n || host >= BigInt(fileBytes))
      throw bad(`compressed data offset ${host} is outside the file`);
    return { kind: 'compressed', host: Number(host), lenBytes: Math.min(lenBytes, fileBytes - Number(host)) };
  }
  if ((hi & 0x3f00_0000) !== 0 || (lo & 0x1fe) !== 0) throw bad('reserved bits are set');
  const zero = (lo & OFLAG_ZERO_LO) !== 0;
  if (zero && h.version === 2) throw bad('bit 0 (zero cluster) is reserved in version 2');
  const host = (hi & 0x00ff_ffff) * 2 ** 32 + ((lo & ~0x1ff) >>> 0);
  if (host === 0) {
    if (zero) return { kind: 'zero', host: 0, copied: false };
    throw bad('no host offset but bit 63 (copied) is set (only valid with an external data file)');
  }
  checkHostCluster(host, h, fileBytes, bad);
  return zero ? { kind: 'zero', host, copied } : { kind: 'data', host, copied };
}

/**
 * Decode an L1 or refcount table entry: the offset of an L2 table or refcount block (0 for none),
 * checked like an L2 entry's, and bit 63. `name` names the table in errors.
 */
export function decodeTableEntry(
  path: string,
  name: string,
  table: DataView,
  k: number,
  h: Qcow2Header,
  fileBytes: number,
  allowCopied: boolean,
): { host: number; copied: boolean } {
  const hi = table.getUint32(k * 8);
  const lo = table.getUint32(k * 8 + 4);
  const bad = (why: string): Qcow2Error =>
    new Qcow2Error(
      path,
      `${name} entry ${k} = 0x${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')}: ${why}`,
    );
  const copied = (hi & OFLAG_COPIED_HI) !== 0;
  const reservedHi = allowCopied ? 0x7f00_0000 : 0xff00_0000;
  if ((hi & reservedHi) !== 0 || (lo & 0x1ff) !== 0) throw bad('reserved bits are set');
  const host = (hi & 0x00ff_ffff) * 2 ** 32 + lo - (lo & 0x1ff);
  if (host !== 0) {
    checkHostCluster(host, h, fileBytes, bad);
    // An L2 table or refcount block is a whole cluster, all of it inside the file.
    if (host + h.clusterBytes > fileBytes) {
      throw bad(`the cluster at ${host} runs past the end of the file (${fileBytes} bytes)`);
    }
  }
  return { host, copied: allowCopied && copied };
}

function checkHostCluster(
  host: number,
  h: Qcow2Header,
  fileBytes: number,
  bad: (why: string) => Qcow2Error,
): void {
  if (host % h.clusterBytes !== 0)
    throw bad(`offset ${host} is not a multiple of the cluster size ${h.clusterBytes}`);
  if (host < h.clusterBytes) throw bad(`offset ${host} is inside the header cluster`);
  if (host >= fileBytes) throw bad(`offset ${host} is past the end of the file (${fileBytes} bytes)`);
}

/** Encode an L1/L2/refcount table entry: a cluster offset with optional flag bits. */
export function setEntry(table: DataView, k: number, host: number, copied: boolean, zero = false): void {
  const hi = Math.floor(host / 2 ** 32);
  const lo = host % 2 ** 32;
  table.setUint32(k * 8, (hi | (copied ? OFLAG_COPIED_HI : 0)) >>> 0);
  table.setUint32(k * 8 + 4, (lo | (zero ? OFLAG_ZERO_LO : 0)) >>> 0);
}

/**
 * Set refcount entry `k` of a refcount block to `value` (which fits the entry width). Entries narrower than a
 * byte are packed from the least significant bit (qcow2.txt, Refcount block entry).
 */
export function setRefcount(block: Uint8Array, k: number, refcountOrder: number, value: number): void {
  const bits = 2 ** refcountOrder;
  if (bits >= 8) {
    const bytes = bits / 8;
    let v = value;
    for (let b = bytes - 1; b >= 0; b--) {
      block[k * bytes + b] = v % 256;
      v = Math.floor(v / 256);
    }
    return;
  }
  const bit = k * bits;
  const mask = ((1 << bits) - 1) << (bit % 8);
  block[bit >> 3] = (block[bit >> 3] & ~mask) | ((value << (bit % 8)) & mask);
}

/** Refcount entry `k` of a block (for tests and checks; the value is below 2^53 in practice). */
export function getRefcount(block: Uint8Array, k: number, refcountOrder: number): number {
  const bits = 2 ** refcountOrder;
  if (bits >= 8) {
    let v = 0;
    for (let b = 0; b < bits / 8; b++) v = v * 256 + block[k * (bits / 8) + b];
    return v;
  }
  const bit = k * bits;
  return (block[bit >> 3] >> (bit % 8)) & ((1 << bits) - 1);
}

/** What a new image looks like: its size, cluster size and optional backing file. */
export interface Qcow2CreateSpec {
  readonly sizeBytes: number;
  readonly clusterBits: number;
  readonly backingFile?: string;
  readonly backingFormat?: string;
}

/**
 * The bytes of a new, empty version 3 image with 16-bit refcounts: the header cluster (header,
 * backing format extension, backing file name), a one-cluster refcount table, one refcount block
 * and the L1 table; every one of these clusters has refcount 1. Throws RangeError when the
 * metadata does not fit one refcount block or the name is too long.
 */
export function newImage(spec: Qcow2CreateSpec): Uint8Array {
  const cb = 2 ** spec.clusterBits;
  const l1Size = l1EntriesFor(spec.sizeBytes, spec.clusterBits);
  const l1Clusters = Math.max(1, Math.ceil((l1Size * 8) / cb));
  const clusters = 3 + l1Clusters;
  const perBlock = (cb * 8) / 16;
  if (clusters > perBlock) throw new RangeError(`a ${spec.sizeBytes}-byte disk needs too large an L1 table`);
  const out = new Uint8Array(clusters * cb);
  const v = new DataView(out.buffer);
  v.setUint32(H.magic, QCOW2_MAGIC);
  v.setUint32(H.version, 3);
  v.setUint32(H.clusterBits, spec.clusterBits);
  v.setBigUint64(H.size, BigInt(spec.sizeBytes));
  v.setUint32(H.l1Size, l1Size);
  v.setBigUint64(H.l1TableOffset, BigInt(3 * cb));
  v.setBigUint64(H.refcountTableOffset, BigInt(cb));
  v.setUint32(H.refcountTableClusters, 1);
  v.setUint32(H.refcountOrder, 4);
  v.setUint32(H.headerLength, V3_HEADER_BYTES);
  let at = V3_HEADER_BYTES;
  if (spec.backingFile !== undefined) {
    const format = new TextEncoder().encode(spec.backingFormat ?? 'raw');
    v.setUint32(at, EXT_BACKING_FORMAT);
    v.setUint32(at + 4, format.length);
    out.set(format, at + 8);
    at += 8 + Math.ceil(format.length / 8) * 8;
  }
  at += 8; // EXT_END: type 0, length 0.
  if (spec.backingFile !== undefined) {
    const name = new TextEncoder().encode(spec.backingFile);
    if (name.length > MAX_BACKING_NAME_BYTES || at + name.length > cb) {
      throw new RangeError(`the backing file name is longer than ${MAX_BACKING_NAME_BYTES} bytes`);
    }
    v.setBigUint64(H.backingFileOffset, BigInt(at));
    v.setUint32(H.backingFileSize, name.length);
    out.set(name, at);
  }
  setEntry(v, cb / 8, 2 * cb, false); // refcount table entry 0 -> the block in cluster 2
  const block = out.subarray(2 * cb, 3 * cb);
  for (let c = 0; c < clusters; c++) setRefcount(block, c, 4, 1);
  return out;
}
