// The `--disk` option: `file=PATH[,format=raw|qcow2][,readonly][,overlay=PATH][,snapshot]
// [,serial=ID]`, parsed into a DiskSpec with errors that name the offending option.

/** The image formats tsvirt reads and writes. */
export const DISK_FORMATS = ['raw', 'qcow2'] as const;
export type DiskFormat = (typeof DISK_FORMATS)[number];

/** A parsed `--disk` value. */
export interface DiskSpec {
  /** The disk image (the base when `overlay` or `snapshot` is set; then never written). */
  readonly file: string;
  /** The image's format; undefined: detected from its first bytes. */
  readonly format: DiskFormat | undefined;
  /** Present the disk read-only (VIRTIO_BLK_F_RO); the file is opened read-only. */
  readonly readOnly: boolean;
  /** Copy-on-write overlay file that keeps changes across runs (created when missing). */
  readonly overlay: string | undefined;
  /** Keep changes in a temporary overlay deleted at exit. */
  readonly snapshot: boolean;
  /** GET_ID string (printable ASCII, at most 20 bytes), or undefined for the board's default. */
  readonly serial: string | undefined;
}

/** A `--disk` value that cannot be used; the message names the option at fault. */
export class DiskSpecError extends Error {
  constructor(problem: string) {
    super(`--disk: ${problem}`);
  }
}

const KEYS = ['file', 'format', 'readonly', 'overlay', 'snapshot', 'serial'] as const;
type Key = (typeof KEYS)[number];
const FLAGS: ReadonlySet<Key> = new Set<Key>(['readonly', 'snapshot']);

/**
 * Parse `text`: comma-separated `key=value` pairs and bare flags, in any order. A comma inside a
 * value is written `,,` (as in `file=a,,b.img`). Throws {@link DiskSpecError}.
 */
export function parseDiskSpec(text: string): DiskSpec {
  const seen = new Map<Key, string>();
  for (const item of splitItems(text)) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? undefined : item.slice(eq + 1);
    if (name === '') throw new DiskSpecError(`empty option in '${text}' (expected file=PATH[,readonly]...)`);
    if (!(KEYS as readonly string[]).includes(name)) {
      throw new DiskSpecError(`unknown option '${name}' (known: ${KEYS.join(', ')})`);
    }
    const key = name as Key;
    if (seen.has(key)) throw new DiskSpecError(`option '${key}' given twice`);
    if (FLAGS.has(key)) {
      if (value !== undefined)
        throw new DiskSpecError(`option '${key}' takes no value (write just '${key}')`);
      seen.set(key, '');
      continue;
    }
    if (value === undefined || value === '')
      throw new DiskSpecError(`option '${key}' needs a value (${key}=...)`);
    seen.set(key, value);
  }
  const file = seen.get('file');
  if (file === undefined) throw new DiskSpecError(`option 'file' is required (file=PATH)`);
  const format = seen.get('format');
  if (format !== undefined && !(DISK_FORMATS as readonly string[]).includes(format)) {
    throw new DiskSpecError(
      `format '${format}' is not supported (supported: ${DISK_FORMATS.join(', ')}; qemu-img convert -O qcow2 converts other formats)`,
    );
  }
  const spec: DiskSpec = {
    file,
    format: format as DiskFormat | undefined,
    readOnly: seen.has('readonly'),
    overlay: seen.get('overlay'),
    snapshot: seen.has('snapshot'),
    serial: seen.get('serial'),
  };
  if (spec.overlay !== undefined && spec.snapshot) {
    throw new DiskSpecError(
      `options 'overlay' and 'snapshot' exclude each other (snapshot keeps no changes)`,
    );
  }
  if (spec.readOnly && (spec.overlay !== undefined || spec.snapshot)) {
    throw new DiskSpecError(
      `option 'readonly' excludes '${spec.snapshot ? 'snapshot' : 'overlay'}' (a read-only disk has no changes to keep)`,
    );
  }
  if (spec.overlay !== undefined && spec.overlay === spec.file) {
    throw new DiskSpecError(`option 'overlay' names the base image itself ('${file}')`);
  }
  if (spec.serial !== undefined && !/^[\x20-\x7e]{1,20}$/.test(spec.serial)) {
    throw new DiskSpecError(`option 'serial' must be 1 to 20 printable ASCII characters`);
  }
  return spec;
}

/** Split on single commas; `,,` stands for a literal comma. */
function splitItems(text: string): string[] {
  const items: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== ',') {
      cur += text[i];
    } else if (text[i + 1] === ',') {
      cur += ',';
      i++;
    } else {
      items.push(cur);
      cur = '';
    }
  }
  items.push(cur);
  return items;
}
