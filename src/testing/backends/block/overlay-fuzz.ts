// A corruption fuzzer for overlay files (docs/overlay-format.md): valid overlays built from the
// format document get random damage to their header and table (bit flips, byte and field
// overwrites, truncation, extension), then are opened. Each must either be refused with an
// OverlayError naming the file, or open as the disk the format says it holds, with every read and
// write inside the file's extents (header, table, data area) and the file still valid afterwards.
//
//   node dist/testing/backends/block/overlay-fuzz.js --iterations N [--seed S] [--first I] [--reasons]

import { crc32 } from '../../../core/crc32.js';
import { prng as rng } from '../../../core/prng.js';
import { runFuzzCommand, U32_MAX } from '../../fuzz-args.js';
import { MemoryBlockBackend } from '../../../backends/block/backend.js';
import type { HostFile, OpenHostFile } from '../../../backends/block/host-file.js';
import { OverlayBackend } from '../../../backends/block/overlay.js';
import {
  baseFingerprint,
  encodeHeader,
  equalBytes,
  OverlayError,
  overlayLayout,
  type OverlayHeader,
} from '../../../backends/block/overlay-format.js';

/** What happened to each damaged overlay. */
export interface FuzzReport {
  iterations: number;
  /** Refused with an OverlayError (the model agreed it is invalid). */
  refused: number;
  /** Opened, read, written, flushed and reopened, matching the model. */
  opened: number;
  /** Refusals per kind of problem (the message without its numbers). */
  reasons: Map<string, number>;
  /** One line per failure: iteration, seed and what went wrong. */
  failures: string[];
}

type Rand = () => number;
const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

const CRC_AT = 88;
const HEADER_BYTES = 4096;
const TABLE_OFFSET = 4096;

/** Contents of every base (a prefix of it): each 512-byte sector differs. */
const BASE_PATTERN = Uint8Array.from({ length: 600 * 4096 }, (_, i) => (i * 13 + (i >> 9)) & 0xff);

/** A valid overlay, built from the format document: header, table, data area, maybe waste. */
function buildOverlay(r: Rand, base: Uint8Array, clusterBytes: number, fingerprint: Uint8Array): Uint8Array {
  const h = overlayLayout(base.length, clusterBytes, fingerprint);
  const slots = int(r, h.tableEntries + 3);
  const order = Array.from({ length: slots }, (_, k) => k).sort(() => r() - 0.5);
  const file = new Uint8Array(h.dataOffset + slots * clusterBytes);
  file.set(encodeHeader(h));
  const v = new DataView(file.buffer);
  for (let k = 0, next = 0; k < h.tableEntries; k++) {
    const kind = int(r, 4); // absent, zero, stored, stored and zero
    let entry = 0n;
    if (kind >= 2 && next < slots) {
      const at = h.dataOffset + order[next++] * clusterBytes;
      for (let i = 0; i < clusterBytes; i++) file[at + i] = (k * 31 + i * 7) & 0xff;
      entry = BigInt(at);
    }
    if (kind === 1 || kind === 3) entry |= 1n;
    v.setBigUint64(TABLE_OFFSET + k * 8, entry, true);
  }
  return file;
}

/** Values that sit on the edges of what a reader must accept. */
function hostileU64(r: Rand, h: OverlayHeader, fileBytes: number, file: DataView): bigint {
  const c = BigInt(h.clusterBytes);
  const entryAt = TABLE_OFFSET + int(r, h.tableEntries) * 8;
  const entry = entryAt + 8 <= file.byteLength ? file.getBigUint64(entryAt, true) : 0n;
  return pick(r, [
    0n,
    1n,
    2n,
    0xfffn,
    1n << 63n,
    (1n << 64n) - 1n,
    (1n << 53n) - c,
    BigInt(fileBytes),
    BigInt(fileBytes) - c,
    BigInt(fileBytes) - c + 4096n,
    BigInt(h.dataOffset) - c,
    BigInt(h.dataOffset) + c / 2n,
    BigInt(TABLE_OFFSET),
    entry,
    entry | 1n,
    BigInt(int(r, 2 ** 32)) * BigInt(int(r, 2 ** 21)),
  ]);
}

/** Damage the header and table (and the file's length); reseal the header checksum sometimes. */
function damage(r: Rand, file: Uint8Array, h: OverlayHeader): Uint8Array {
  let out = file;
  const v = (): DataView => new DataView(out.buffer, out.byteOffset, out.byteLength);
  const tableEnd = TABLE_OFFSET + h.tableEntries * 8;
  const target = (): number =>
    r() < 0.4
      ? int(r, 96)
      : r() < 0.8
        ? TABLE_OFFSET + int(r, tableEnd - TABLE_OFFSET)
        : int(r, h.dataOffset);
  for (let n = 1 + int(r, 3); n > 0; n--) {
    const kind = int(r, 11);
    if (kind <= 2) {
      const at = target();
      if (at < out.length) out[at] ^= 1 << int(r, 8);
    } else if (kind <= 4) {
      const at = target();
      if (at < out.length) out[at] = pick(r, [0, 0xff, 0x80, 0x7f, 1, int(r, 256)]);
    } else if (kind <= 7) {
      const fieldAt = r() < 0.4 ? pick(r, [16, 32, 40, 48]) : TABLE_OFFSET + int(r, h.tableEntries) * 8;
      if (fieldAt + 8 <= out.length) v().setBigUint64(fieldAt, hostileU64(r, h, out.length, v()), true);
    } else if (kind === 8) {
      // A 32-bit header field: version, header_bytes, cluster_bytes, flags.
      const at = pick(r, [8, 12, 24, 28]);
      const value = pick(r, [0, 1, 511, 2048, 4096, 8192, 3 * 4096, 2 ** 21, 2 ** 22, 2 ** 31, 2 ** 32 - 1]);
      if (at + 4 <= out.length) v().setUint32(at, value, true);
    } else if (kind === 9) {
      const cut = pick(r, [0, 100, 4095, 4096, tableEnd - 1, h.dataOffset - 1, h.dataOffset, out.length - 1]);
      out = out.slice(0, Math.max(0, Math.min(out.length, r() < 0.7 ? cut : int(r, out.length))));
    } else {
      const extra = Uint8Array.from(
        { length: pick(r, [1, 511, 4096, h.clusterBytes, 3 * h.clusterBytes + 17]) },
        () => (r() < 0.5 ? 0 : int(r, 256)),
      );
      const grown = new Uint8Array(out.length + extra.length);
      grown.set(out);
      grown.set(extra, out.length);
      out = grown;
    }
  }
  if (out.length >= CRC_AT + 4 && r() < 0.6) v().setUint32(CRC_AT, crc32(out.subarray(0, CRC_AT)), true);
  return out;
}

/**
 * The model: what the format document says `file` is, given the base it was made for. Returns
 * the disk's contents, or why the file must be refused. Written from the document, apart from
 * the parser.
 */
function model(
  file: Uint8Array,
  base: Uint8Array,
  fingerprint: Uint8Array,
): { disk: Uint8Array } | { invalid: string } {
  if (file.length < HEADER_BYTES) return { invalid: 'short' };
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (!equalBytes(file.subarray(0, 8), new TextEncoder().encode('TSVOVRLY'))) return { invalid: 'magic' };
  if (v.getUint32(8, true) !== 1) return { invalid: 'version' };
  if (v.getUint32(CRC_AT, true) !== crc32(file.subarray(0, CRC_AT))) return { invalid: 'crc' };
  if (v.getUint32(12, true) !== 4096 || v.getUint32(28, true) !== 0) return { invalid: 'header_bytes/flags' };
  const c = v.getUint32(24, true);
  if (![4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288, 1048576, 2097152].includes(c))
    return { invalid: 'cluster' };
  if (v.getBigUint64(16, true) !== BigInt(base.length)) return { invalid: 'base_size' };
  const entries = Math.ceil(base.length / c);
  const dataOffset = Math.ceil((TABLE_OFFSET + entries * 8) / c) * c;
  if (v.getBigUint64(32, true) !== 4096n || v.getBigUint64(40, true) !== BigInt(entries))
    return { invalid: 'table' };
  if (v.getBigUint64(48, true) !== BigInt(dataOffset)) return { invalid: 'data_offset' };
  if (file.subarray(92, HEADER_BYTES).some((b) => b !== 0)) return { invalid: 'reserved' };
  if (!equalBytes(file.subarray(56, 88), fingerprint)) return { invalid: 'fingerprint' };
  if (file.length < dataOffset) return { invalid: 'truncated' };
  const disk = new Uint8Array(base.length);
  const seen = new Set<bigint>();
  for (let k = 0; k < entries; k++) {
    const e = v.getBigUint64(TABLE_OFFSET + k * 8, true);
    const at = e & ~0xfffn & ((1n << 64n) - 1n);
    if ((e & 0xffen) !== 0n) return { invalid: 'reserved bits' };
    if (
      at !== 0n &&
      (at % BigInt(c) !== 0n ||
        at < BigInt(dataOffset) ||
        at + BigInt(c) > BigInt(file.length) ||
        seen.has(at))
    ) {
      return { invalid: 'storage' };
    }
    seen.add(at === 0n ? -1n - BigInt(k) : at);
    const span = Math.min(c, base.length - k * c);
    const src =
      e === 0n
        ? base.subarray(k * c, k * c + span)
        : (e & 1n) === 1n
          ? new Uint8Array(span)
          : file.subarray(Number(at), Number(at) + span);
    disk.set(src, k * c);
  }
  return { disk };
}

/**
 * The overlay file, in memory: reads and writes behave as pread and pwrite on a file of
 * `bytes.length` bytes (a read past the end returns what is there). Every access is checked:
 * reads inside the file and outside the table's padding, writes only to the table or the data
 * area, and none at all to a file the format says must be refused.
 */
class CheckedFile implements HostFile {
  readonly problems: string[] = [];
  constructor(
    public bytes: Uint8Array,
    /** Table end and data offset when the file is valid; undefined when it must be refused. */
    private readonly limits: { tableEnd: number; dataOffset: number } | undefined,
  ) {}

  async read(
    buf: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesRead: number }> {
    const size = this.bytes.length;
    if (position < 0 || position + length > size)
      this.problems.push(`read [${position}, +${length}) outside ${size} bytes`);
    const lim = this.limits;
    if (lim !== undefined && position >= lim.tableEnd && position < lim.dataOffset) {
      this.problems.push(`read at ${position}, in the table's padding`);
    }
    const n = Math.max(0, Math.min(length, size - position));
    buf.set(this.bytes.subarray(position, position + n), offset);
    return { bytesRead: n };
  }

  async write(
    data: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesWritten: number }> {
    const lim = this.limits;
    if (lim === undefined) this.problems.push(`write at ${position} to an overlay that must be refused`);
    else if (position < TABLE_OFFSET || (position < lim.dataOffset && position + length > lim.tableEnd)) {
      this.problems.push(`write [${position}, +${length}) outside the table and the data area`);
    }
    if (position + length > this.bytes.length) {
      const grown = new Uint8Array(position + length);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(data.subarray(offset, offset + length), position);
    return { bytesWritten: length };
  }

  async datasync(): Promise<void> {}
  async stat(): Promise<{ size: number; isFile(): boolean }> {
    return { size: this.bytes.length, isFile: () => true };
  }
  async truncate(lenBytes: number): Promise<void> {
    this.problems.push(`truncate to ${lenBytes}`);
  }
  async close(): Promise<void> {}
}

/** One damaged overlay: returns 'refused', 'opened', or throws a failure description. */
async function fuzzOne(r: Rand, reasons: Map<string, number>): Promise<'refused' | 'opened'> {
  const clusterBytes = pick(r, [4096, 4096, 8192]);
  // Mostly a few clusters; sometimes more than 512, so the table spans two 4 KiB pages.
  const sectors = r() < 0.95 ? 1 + int(r, (20 * clusterBytes) / 512) : 1 + int(r, 600 * 8);
  const base = BASE_PATTERN.subarray(0, sectors * 512);
  const openBase = (): MemoryBlockBackend => new MemoryBlockBackend(base.length, true, base);
  const fingerprint = await baseFingerprint(openBase());
  const h = overlayLayout(base.length, clusterBytes, fingerprint);
  const damaged = damage(r, buildOverlay(r, base, clusterBytes, fingerprint), h);
  const expect = model(damaged, base, fingerprint);
  const valid =
    'disk' in expect ? { tableEnd: TABLE_OFFSET + h.tableEntries * 8, dataOffset: h.dataOffset } : undefined;
  const file = new CheckedFile(damaged.slice(), valid);
  const path = 'fuzz.ovl';
  const openFile: OpenHostFile = async () => file;
  let disk: OverlayBackend;
  try {
    disk = await OverlayBackend.open(openBase(), path, { openFile });
  } catch (e) {
    if (!(e instanceof OverlayError)) throw new Error(`threw ${String(e)}, not an OverlayError`);
    if (!e.message.startsWith(`overlay '${path}': `))
      throw new Error(`message does not name the file: ${e.message}`);
    if ('disk' in expect) throw new Error(`refused an overlay the format allows: ${e.message}`);
    if (file.problems.length > 0) throw new Error(file.problems.join('; '));
    const kind = e.problem.replace(/0x[0-9a-f]+|\d+/g, 'N').replace(/ \(.*$/, '');
    reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
    return 'refused';
  }
  if ('invalid' in expect) {
    await disk.close();
    throw new Error(`accepted an overlay the format forbids (${expect.invalid})`);
  }
  const want = expect.disk;
  const got = new Uint8Array(want.length);
  await disk.read(0, got);
  if (!equalBytes(got, want)) throw new Error('the disk does not read as the table says');
  // Writes, zeroes and discards at random, then flush, close, reopen: the same disk again.
  for (let n = int(r, 6); n > 0; n--) {
    const off = int(r, sectors) * 512;
    const len = Math.min(want.length - off, (1 + int(r, 3 * (clusterBytes / 512))) * 512);
    if (r() < 0.6) {
      const data = Uint8Array.from({ length: len }, () => int(r, 256));
      await disk.write(off, data);
      want.set(data, off);
    } else {
      await (r() < 0.5 ? disk.writeZeroes(off, len) : disk.discard(off, len));
      want.fill(0, off, off + len);
    }
  }
  await disk.close();
  if (!equalBytes(file.bytes.subarray(0, HEADER_BYTES), damaged.subarray(0, HEADER_BYTES))) {
    throw new Error('the header was rewritten');
  }
  const again = await OverlayBackend.open(openBase(), path, { openFile });
  await again.read(0, got);
  await again.close();
  if (!equalBytes(got, want)) throw new Error('after writes and reopening, the disk differs');
  if (file.problems.length > 0) throw new Error(file.problems.join('; '));
  return 'opened';
}

/** Run iterations [first, first + iterations) of the campaign with `seed`. */
export async function fuzzOverlays(opts: {
  iterations: number;
  seed: number;
  first?: number;
}): Promise<FuzzReport> {
  const report: FuzzReport = { iterations: 0, refused: 0, opened: 0, reasons: new Map(), failures: [] };
  const first = opts.first ?? 0;
  for (let i = first; i < first + opts.iterations; i++) {
    const r = rng(Math.imul(opts.seed, 0x9e3779b1) ^ Math.imul(i, 0x85ebca77));
    try {
      report[await fuzzOne(r, report.reasons)]++;
    } catch (e) {
      const why = e instanceof Error ? (e.stack ?? e.message) : String(e);
      report.failures.push(`iteration ${i} (--seed ${opts.seed} --first ${i}): ${why}`);
    }
    report.iterations++;
  }
  return report;
}

const COMMAND = 'node dist/testing/backends/block/overlay-fuzz.js';
const OPTIONS = {
  iterations: { int: { default: 10_000, min: 1, max: U32_MAX } },
  seed: { int: { default: Date.now() % 2 ** 31, min: 0, max: U32_MAX } },
  first: { int: { default: 0, min: 0, max: U32_MAX } },
  reasons: { flag: true },
} as const;

runFuzzCommand(import.meta.url, COMMAND, OPTIONS, async ({ iterations, seed, first, reasons }) => {
  const t0 = performance.now();
  const rep = await fuzzOverlays({ iterations, seed, first });
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  for (const f of rep.failures.slice(0, 20)) process.stderr.write(`FAIL ${f}\n`);
  if (reasons) {
    for (const [why, n] of [...rep.reasons].sort((a, b) => b[1] - a[1]))
      process.stdout.write(`${String(n).padStart(8)}  ${why}\n`);
  }
  process.stdout.write(
    `overlay fuzz: ${rep.iterations} damaged overlays in ${s} s (seed ${seed}): ${rep.refused} refused ` +
      `with OverlayError, ${rep.opened} opened and used within the file, ${rep.failures.length} failures\n`,
  );
  return rep.failures.length === 0 ? 0 : 1;
});
