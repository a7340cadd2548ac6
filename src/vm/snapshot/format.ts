// The snapshot file's container (docs/snapshot-format.md): a header with magic, version and the
// machine description, then tagged sections (JSON state, sparse RAM). Reading checks every length
// against the bytes there are before it slices, so a corrupt or truncated file is an error naming
// what is wrong, never a host exception or an allocation the file does not back.

import { crc32 } from '../../core/crc32.js';
import type { GuestMemory } from '../../memory/guest-memory.js';

export const SNAPSHOT_MAGIC = 'TSVIRTSN';
/** The format version this build writes and reads. */
export const SNAPSHOT_VERSION = 1;
export const HEADER_BYTES = 32;
export const SECTION_HEADER_BYTES = 24;
export const PAGE_BYTES = 4096;
/** Section tags. */
export const SECTION_BOARD = 'BORD';
export const SECTION_RAM = 'RAM ';
export const SECTION_END = 'END ';
/**
 * Zero bytes before the RAM section, so that its pages start at a multiple of PAGE_BYTES in the
 * file: a host can then map them into guest RAM (mmap) instead of reading them.
 */
export const SECTION_PAD = 'PAD ';
/** The NICs' host-side states (libslirp's for --net user): see encodeNetStates. */
export const SECTION_NETS = 'SLRP';
/** The SLRP payload's own format version. */
export const NETS_VERSION = 1;

/** The machine a snapshot was taken of; loading checks it against the machine being built. */
export interface MachineDescription {
  machine: string;
  memoryBytes: number;
  harts: number;
  /** The harts' extensions, in profile order (IsaProfile.list). */
  isa: string;
  /**
   * Who answers the supervisor's ECALLs: tsvirt's built-in SBI, or firmware (--bios); `none` on
   * spike (the program runs in M-mode).
   */
  firmware: 'builtin-sbi' | 'bios' | 'none';
  /** `htif` on spike. */
  consoleDevice: 'uart' | 'virtio' | 'htif';
  /** virtio devices in configuration order: blk, net, rng, console. */
  devices: string[];
}

/** A snapshot that cannot be read or does not fit; the message says which field or section. */
export class SnapshotError extends Error {}

/** One section as read: its tag and its payload (a view into the file's bytes). */
export interface Section {
  tag: string;
  payload: Uint8Array;
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

function tagBytes(tag: string): Uint8Array {
  const b = enc.encode(tag);
  if (b.length !== 4) throw new Error(`section tag '${tag}' is not 4 bytes`);
  return b;
}

/** The file's parts, in order, to be written one after another (no copy of RAM is made). */
export function encodeSnapshot(
  desc: MachineDescription,
  board: unknown,
  ram: RamImage,
  extra: readonly Section[] = [],
): Uint8Array[] {
  const config = enc.encode(JSON.stringify(desc));
  const header = new Uint8Array(HEADER_BYTES);
  const hv = new DataView(header.buffer);
  header.set(enc.encode(SNAPSHOT_MAGIC), 0);
  hv.setUint32(8, SNAPSHOT_VERSION, true);
  hv.setUint32(12, 0, true);
  hv.setUint32(16, config.length, true);
  hv.setUint32(20, crc32(config), true);
  const parts: Uint8Array[] = [header, config];
  const boardJson = enc.encode(JSON.stringify(board));
  parts.push(sectionHeader(SECTION_BOARD, boardJson.length, crc32(boardJson)), boardJson);
  for (const x of extra) parts.push(sectionHeader(x.tag, x.payload.length, crc32(x.payload)), x.payload);
  const index = new Uint8Array(8 + 4 * ram.pages.length);
  const iv = new DataView(index.buffer);
  iv.setUint32(0, PAGE_BYTES, true);
  iv.setUint32(4, ram.pages.length, true);
  ram.pages.forEach((p, k) => iv.setUint32(8 + 4 * k, p, true));
  const ramBytes = index.length + ram.pages.length * PAGE_BYTES;
  let at = parts.reduce((n, p) => n + p.length, 0);
  at += SECTION_HEADER_BYTES + SECTION_HEADER_BYTES + index.length;
  const pad = (PAGE_BYTES - (at % PAGE_BYTES)) % PAGE_BYTES;
  const zeros = new Uint8Array(pad);
  parts.push(sectionHeader(SECTION_PAD, pad, crc32(zeros)), zeros);
  // RAM is not checksummed: a CRC of hundreds of MiB would cost more than the restore itself.
  parts.push(sectionHeader(SECTION_RAM, ramBytes, 0), index);
  for (const p of ram.pages) parts.push(ram.bytes.subarray(p * PAGE_BYTES, (p + 1) * PAGE_BYTES));
  parts.push(sectionHeader(SECTION_END, 0, 0));
  return parts;
}

/** A section's 24-byte header (docs/snapshot-format.md). */
export function sectionHeader(tag: string, len: number, crc: number): Uint8Array {
  const h = new Uint8Array(SECTION_HEADER_BYTES);
  const v = new DataView(h.buffer);
  h.set(tagBytes(tag), 0);
  v.setUint32(4, 0, true);
  v.setUint32(8, len % 2 ** 32, true);
  v.setUint32(12, Math.floor(len / 2 ** 32), true);
  v.setUint32(16, crc, true);
  return h;
}

/** Guest RAM as saved: the page numbers stored (ascending) over the RAM bytes. */
export interface RamImage {
  bytes: Uint8Array;
  pages: number[];
}

/**
 * The pages of `ram` holding any non-zero byte. Pages that were never written are zero and are
 * left out (so are pages the guest zeroed itself: loading leaves them zero too).
 */
export function nonZeroPages(ram: Uint8Array): number[] {
  const words = new Int32Array(ram.buffer, ram.byteOffset, ram.length >>> 2);
  const perPage = PAGE_BYTES >>> 2;
  const pages: number[] = [];
  const n = ram.length / PAGE_BYTES;
  for (let p = 0; p < n; p++) {
    const end = (p + 1) * perPage;
    for (let i = p * perPage; i < end; i++) {
      if (words[i] !== 0) {
        pages.push(p);
        break;
      }
    }
  }
  return pages;
}

/** A snapshot file read: its header's description and its sections. */
export interface ParsedSnapshot {
  version: number;
  desc: MachineDescription;
  board: unknown;
  /** The RAM section's page numbers and the bytes of each, in order. */
  ramPages: Uint32Array;
  ramData: Uint8Array;
  /** The file offset of the RAM section's first page (a multiple of 4096 in files this build writes). */
  ramDataOffset: number;
  /**
   * Set when the pages are still in the file (host/node/snapshot-file.ts): puts page ramPages[k]
   * at offset ramPages[k] x PAGE_BYTES of `ram` (all zero before), in place of copying ramData.
   */
  ramLoad?: (ram: Uint8Array, pages: Uint32Array) => void;
  /** The SLRP section's payload, if there was one (decodeNetStates reads it). */
  nets?: Uint8Array;
  /**
   * Set when RAM came whole (a migration stream's, vm/migration/stream.ts): page ramPages[k] is
   * then at offset ramPages[k] x PAGE_BYTES of this, and ramData is unused.
   */
  ramImage?: Uint8Array;
  /**
   * Set when RAM was written straight into the memory the machine is to use (an incoming
   * migration's): the board takes it as its RAM, and nothing is copied. ramPages is then unused.
   */
  ramMemory?: GuestMemory;
}

/** Bytes as Latin-1 text: a tag or magic of any bytes, never a decoding error. */
export function ascii(b: Uint8Array): string {
  return String.fromCharCode(...b);
}

/** `bytes` as UTF-8 JSON; a SnapshotError naming `what` when it is not. */
export function json(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(dec.decode(bytes));
  } catch (e) {
    throw new SnapshotError(`${what}: not valid JSON (${(e as Error).message})`);
  }
}

/**
 * Positioned reads of a snapshot: `read` returns the bytes at [offset, offset + length), which the
 * caller has checked lie inside `sizeBytes`. A file on disk (host/node/snapshot-file.ts) reads
 * only the parts it is asked for; a file in memory hands out views.
 */
export interface SnapshotSource {
  readonly sizeBytes: number;
  read(offset: number, length: number): Uint8Array;
}

/** Read a snapshot from `file`'s bytes; throws SnapshotError for anything it cannot use. */
export function decodeSnapshot(file: Uint8Array): ParsedSnapshot {
  const s = decodeSnapshotFrom({ sizeBytes: file.length, read: (at, len) => file.subarray(at, at + len) });
  s.ramData = file.subarray(s.ramDataOffset, s.ramDataOffset + s.ramPages.length * PAGE_BYTES);
  return s;
}

/**
 * Read a snapshot's header, description, state and RAM index from `src`, but not its RAM pages:
 * they are at `ramDataOffset` of the file, for the caller to load (ramData is left empty). Every
 * length is checked against `src.sizeBytes` before anything is read for it.
 */
export function decodeSnapshotFrom(src: SnapshotSource): ParsedSnapshot {
  const size = src.sizeBytes;
  if (size < HEADER_BYTES) throw new SnapshotError('not a tsvirt snapshot (no TSVIRTSN header)');
  const head = src.read(0, HEADER_BYTES);
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (ascii(head.subarray(0, 8)) !== SNAPSHOT_MAGIC)
    throw new SnapshotError('not a tsvirt snapshot (no TSVIRTSN header)');
  const version = v.getUint32(8, true);
  if (version !== SNAPSHOT_VERSION)
    throw new SnapshotError(
      `format version ${version} is not supported (this build reads version ${SNAPSHOT_VERSION})`,
    );
  const configLen = v.getUint32(16, true);
  if (HEADER_BYTES + configLen > size) throw new SnapshotError('truncated in the machine description');
  const config = src.read(HEADER_BYTES, configLen);
  if (crc32(config) !== v.getUint32(20, true))
    throw new SnapshotError('machine description: checksum mismatch');
  const desc = checkDescription(json(config, 'machine description'));
  let at = HEADER_BYTES + configLen;
  let boardBytes: Uint8Array | undefined;
  let nets: Uint8Array | undefined;
  let ram: { pages: Uint32Array; dataOffset: number } | undefined;
  for (;;) {
    if (at + SECTION_HEADER_BYTES > size) throw new SnapshotError('truncated: no END section');
    const sh = src.read(at, SECTION_HEADER_BYTES);
    const sv = new DataView(sh.buffer, sh.byteOffset, sh.byteLength);
    const tag = ascii(sh.subarray(0, 4));
    const len = sv.getUint32(8, true) + sv.getUint32(12, true) * 2 ** 32;
    const crc = sv.getUint32(16, true);
    at += SECTION_HEADER_BYTES;
    if (len > size - at) throw new SnapshotError(`section '${tag}': truncated (${len} bytes declared)`);
    const start = at;
    at += len;
    if (tag === SECTION_END) break;
    if ((tag === SECTION_BOARD && boardBytes !== undefined) || (tag === SECTION_RAM && ram !== undefined))
      throw new SnapshotError(`section '${tag}' appears twice`);
    if (tag === SECTION_BOARD) {
      boardBytes = src.read(start, len);
      if (crc32(boardBytes) !== crc) throw new SnapshotError(`section '${tag}': checksum mismatch`);
    } else if (tag === SECTION_RAM) ram = ramIndex(src, start, len, desc.memoryBytes);
    else if (tag === SECTION_NETS && nets === undefined) {
      nets = src.read(start, len);
      if (crc32(nets) !== crc) throw new SnapshotError(`section '${tag}': checksum mismatch`);
    }
    // Any other tag (PAD, or a later release's) is skipped unread.
  }
  if (boardBytes === undefined) throw new SnapshotError(`no '${SECTION_BOARD}' section`);
  if (ram === undefined) throw new SnapshotError(`no '${SECTION_RAM}' section`);
  return {
    version,
    desc,
    board: json(boardBytes, `section '${SECTION_BOARD}'`),
    ramPages: ram.pages,
    ramData: new Uint8Array(0),
    ramDataOffset: ram.dataOffset,
    nets,
  };
}

/** The RAM section at file offset `at` (`len` bytes): its page numbers, checked, and where its pages start. */
function ramIndex(
  src: SnapshotSource,
  at: number,
  len: number,
  memoryBytes: number,
): { pages: Uint32Array; dataOffset: number } {
  if (len < 8) throw new SnapshotError(`section 'RAM ': truncated`);
  const h = src.read(at, 8);
  const hv = new DataView(h.buffer, h.byteOffset, h.byteLength);
  if (hv.getUint32(0, true) !== PAGE_BYTES)
    throw new SnapshotError(`section 'RAM ': page size is not ${PAGE_BYTES}`);
  const count = hv.getUint32(4, true);
  const total = memoryBytes / PAGE_BYTES;
  if (count > total)
    throw new SnapshotError(`section 'RAM ': ${count} pages, more than RAM holds (${total})`);
  if (len !== 8 + count * (4 + PAGE_BYTES))
    throw new SnapshotError(`section 'RAM ': ${len} bytes do not hold ${count} pages`);
  const index = src.read(at + 8, 4 * count);
  const v = new DataView(index.buffer, index.byteOffset, index.byteLength);
  const pages = new Uint32Array(count);
  let last = -1;
  for (let k = 0; k < count; k++) {
    const p = v.getUint32(4 * k, true);
    if (p <= last || p >= total)
      throw new SnapshotError(`section 'RAM ': page ${p} is out of order or beyond RAM`);
    pages[k] = last = p;
  }
  return { pages, dataOffset: at + 8 + 4 * count };
}

/** `raw` as a MachineDescription, each field checked (SnapshotError naming the first bad one). */
export function checkDescription(raw: unknown): MachineDescription {
  const d = raw as Partial<MachineDescription> | null;
  const bad = (f: string): never => {
    throw new SnapshotError(`machine description: field '${f}' is missing or malformed`);
  };
  if (typeof d !== 'object' || d === null) return bad('(all)');
  if (typeof d.machine !== 'string') bad('machine');
  if (
    !Number.isSafeInteger(d.memoryBytes) ||
    (d.memoryBytes ?? 0) <= 0 ||
    (d.memoryBytes ?? 0) % PAGE_BYTES !== 0
  )
    bad('memoryBytes');
  if (!Number.isSafeInteger(d.harts)) bad('harts');
  if (typeof d.isa !== 'string') bad('isa');
  if (d.firmware !== 'builtin-sbi' && d.firmware !== 'bios' && d.firmware !== 'none') bad('firmware');
  if (d.consoleDevice !== 'uart' && d.consoleDevice !== 'virtio' && d.consoleDevice !== 'htif')
    bad('consoleDevice');
  if (!Array.isArray(d.devices) || !d.devices.every((x) => typeof x === 'string')) bad('devices');
  return d as MachineDescription;
}

/** Every field in which `saved` differs from `now`, as `field: saved X, this machine Y`. */
export function describeDifferences(saved: MachineDescription, now: MachineDescription): string[] {
  const out: string[] = [];
  for (const k of Object.keys(now) as (keyof MachineDescription)[]) {
    const a = JSON.stringify(saved[k]);
    const b = JSON.stringify(now[k]);
    if (a !== b) out.push(`${k}: saved ${a}, this machine ${b}`);
  }
  return out;
}

/** A NIC backend's state as the SLRP section holds it (NetBackend.saveState's, of NIC `nic`). */
export interface NetState {
  /** The NIC's index among the machine's NICs (configuration order). */
  nic: number;
  /** The backend's own format version (libslirp's slirp_state_version). */
  version: number;
  bytes: Uint8Array;
}

/**
 * The SLRP payload: u32 NETS_VERSION, u32 count, then per state u32 NIC index, u32 version, u32
 * length L and L bytes.
 */
export function encodeNetStates(states: readonly NetState[]): Uint8Array {
  const out = new Uint8Array(8 + states.reduce((n, s) => n + 12 + s.bytes.length, 0));
  const v = new DataView(out.buffer);
  v.setUint32(0, NETS_VERSION, true);
  v.setUint32(4, states.length, true);
  let at = 8;
  for (const s of states) {
    v.setUint32(at, s.nic, true);
    v.setUint32(at + 4, s.version, true);
    v.setUint32(at + 8, s.bytes.length, true);
    out.set(s.bytes, at + 12);
    at += 12 + s.bytes.length;
  }
  return out;
}

/** Read an SLRP payload for a machine of `nics` NICs; SnapshotError naming what is wrong. */
export function decodeNetStates(b: Uint8Array, nics: number): NetState[] {
  const bad = (why: string): never => {
    throw new SnapshotError(`section '${SECTION_NETS}': ${why}`);
  };
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 8) bad('truncated');
  if (v.getUint32(0, true) !== NETS_VERSION)
    bad(`format version ${v.getUint32(0, true)} is not supported (this build reads ${NETS_VERSION})`);
  const count = v.getUint32(4, true);
  const out: NetState[] = [];
  let at = 8;
  for (let k = 0; k < count; k++) {
    if (at + 12 > b.length) bad('truncated');
    const nic = v.getUint32(at, true);
    const len = v.getUint32(at + 8, true);
    if (nic >= nics || out.some((s) => s.nic === nic))
      bad(`NIC ${nic} is not one of this machine's ${nics}, or twice`);
    if (at + 12 + len > b.length) bad('truncated');
    out.push({ nic, version: v.getUint32(at + 4, true), bytes: b.slice(at + 12, at + 12 + len) });
    at += 12 + len;
  }
  if (at !== b.length) bad('bytes after the last state');
  return out;
}
