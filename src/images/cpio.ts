// A writer for the portable ASCII "new" cpio format (newc, magic 070701), the one the Linux kernel
// unpacks as an initramfs: Linux Documentation/driver-api/early-userspace/buffer-format.rst, cpio(5).

/** File type bits of `c_mode` (POSIX <sys/stat.h>, as cpio(5) stores them). */
export const S_IFMT = 0o170000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;

/** The six-character magic that opens every newc header (no CRC; "070702" would be the crc variant). */
export const NEWC_MAGIC = '070701';
/** Header length in bytes: the magic plus 13 fields of 8 hexadecimal digits. */
export const NEWC_HEADER_BYTES = 110;
/** Name of the last entry (buffer-format.rst: "TRAILER!!!"). */
export const NEWC_TRAILER = 'TRAILER!!!';

/** One archive member. Paths are relative, without a leading '/' (e.g. `bin/busybox`). */
export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Uint8Array; mode?: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'chardev'; path: string; major: number; minor: number; mode?: number };

/** The 13 numeric header fields of buffer-format.rst, in their on-disk order. */
export interface NewcHeader {
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  mtime: number;
  filesize: number;
  devmajor: number;
  devminor: number;
  rdevmajor: number;
  rdevminor: number;
  namesize: number;
  check: number;
}

const FIELD_ORDER: readonly (keyof NewcHeader)[] = [
  'ino',
  'mode',
  'uid',
  'gid',
  'nlink',
  'mtime',
  'filesize',
  'devmajor',
  'devminor',
  'rdevmajor',
  'rdevminor',
  'namesize',
  'check',
];

export class CpioError extends Error {}

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

/** Encode one header; every field must fit in 32 bits (8 hex digits). */
export function encodeNewcHeader(h: NewcHeader): string {
  let s = NEWC_MAGIC;
  for (const k of FIELD_ORDER) {
    const v = h[k];
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new CpioError(`cpio: header field ${k}=${v} does not fit in 8 hex digits`);
    }
    s += v.toString(16).padStart(8, '0').toUpperCase();
  }
  return s;
}

/** Decode the header at `offset` (for tests and checks); throws on a bad magic. */
export function decodeNewcHeader(buf: Uint8Array, offset: number): NewcHeader {
  const text = new TextDecoder('latin1').decode(buf.subarray(offset, offset + NEWC_HEADER_BYTES));
  if (text.slice(0, 6) !== NEWC_MAGIC) throw new CpioError(`cpio: bad magic at offset ${offset}`);
  const h = {} as NewcHeader;
  FIELD_ORDER.forEach((k, i) => {
    h[k] = parseInt(text.slice(6 + 8 * i, 14 + 8 * i), 16);
  });
  return h;
}

export interface CpioOptions {
  /** Modification time stored in every entry, in seconds since the epoch (default 0: reproducible). */
  mtimeSeconds?: number;
  /** Pad the archive to a multiple of this many bytes after the trailer (default 512, like cpio(1)). */
  blockBytes?: number;
}

/**
 * Serialise entries into a newc archive, in the given order (parents must come before their
 * children: the kernel does not create missing directories). Each entry gets its own inode number,
 * uid/gid 0, and the name is NUL-terminated and padded so that the data starts on a 4-byte boundary.
 */
export function writeCpio(entries: readonly CpioEntry[], opts: CpioOptions = {}): Uint8Array {
  const mtime = opts.mtimeSeconds ?? 0;
  const block = opts.blockBytes ?? 512;
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const push = (b: Uint8Array): void => {
    chunks.push(b);
    total += b.length;
  };
  const emit = (name: string, fields: Partial<NewcHeader>, data: Uint8Array): void => {
    if (name.length === 0 || name.startsWith('/')) throw new CpioError(`cpio: bad member name '${name}'`);
    const nameBytes = enc.encode(name);
    const header: NewcHeader = {
      ino: 0,
      mode: 0,
      uid: 0,
      gid: 0,
      nlink: 1,
      mtime,
      filesize: data.length,
      devmajor: 0,
      devminor: 0,
      rdevmajor: 0,
      rdevminor: 0,
      namesize: nameBytes.length + 1,
      check: 0,
      ...fields,
    };
    push(enc.encode(encodeNewcHeader(header)));
    push(nameBytes);
    push(new Uint8Array(1 + pad4(NEWC_HEADER_BYTES + nameBytes.length + 1)));
    push(data);
    push(new Uint8Array(pad4(data.length)));
  };
  let ino = 1;
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.path)) throw new CpioError(`cpio: duplicate member '${e.path}'`);
    seen.add(e.path);
    switch (e.kind) {
      case 'dir':
        emit(e.path, { ino: ino++, mode: S_IFDIR | (e.mode ?? 0o755), nlink: 2 }, new Uint8Array(0));
        break;
      case 'file':
        emit(e.path, { ino: ino++, mode: S_IFREG | (e.mode ?? 0o644) }, e.data);
        break;
      case 'symlink':
        emit(e.path, { ino: ino++, mode: S_IFLNK | 0o777 }, enc.encode(e.target));
        break;
      case 'chardev':
        emit(
          e.path,
          { ino: ino++, mode: S_IFCHR | (e.mode ?? 0o600), rdevmajor: e.major, rdevminor: e.minor },
          new Uint8Array(0),
        );
        break;
    }
  }
  emit(NEWC_TRAILER, {}, new Uint8Array(0));
  if (block > 0 && total % block !== 0) push(new Uint8Array(block - (total % block)));
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** One member as read back by {@link listCpio}. */
export interface CpioMember {
  name: string;
  header: NewcHeader;
  data: Uint8Array;
}

/** Walk a newc archive up to its trailer (used by tests and by `tsvirt image` to check its output). */
export function listCpio(buf: Uint8Array): CpioMember[] {
  const dec = new TextDecoder();
  const out: CpioMember[] = [];
  let at = 0;
  for (;;) {
    if (at + NEWC_HEADER_BYTES > buf.length) throw new CpioError('cpio: archive ends before its trailer');
    const header = decodeNewcHeader(buf, at);
    const nameStart = at + NEWC_HEADER_BYTES;
    const name = dec.decode(buf.subarray(nameStart, nameStart + header.namesize - 1));
    const dataStart = nameStart + header.namesize + pad4(NEWC_HEADER_BYTES + header.namesize);
    if (name === NEWC_TRAILER) return out;
    const data = buf.subarray(dataStart, dataStart + header.filesize);
    out.push({ name, header, data });
    at = dataStart + header.filesize + pad4(header.filesize);
  }
}
