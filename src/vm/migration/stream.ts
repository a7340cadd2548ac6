// The live-migration stream (docs/snapshot-format.md, "Migration stream"): the snapshot format's
// header and sections, sent as they are made: RAM in `PAGE` sections, pass after pass, then the
// board's state (`BORD`) and `END `. The reader takes the bytes as they arrive and checks every
// length against a fixed bound before it buffers, so a hostile peer gets an error, never a host
// exception or an allocation larger than one section.

import { crc32 } from '../../core/crc32.js';
import {
  ascii,
  checkDescription,
  HEADER_BYTES,
  json,
  PAGE_BYTES,
  SECTION_BOARD,
  SECTION_END,
  SECTION_HEADER_BYTES,
  SECTION_NETS,
  sectionHeader,
  SnapshotError,
  type MachineDescription,
} from '../snapshot/format.js';

export const STREAM_MAGIC = 'TSVIRTMG';
export const STREAM_VERSION = 1;
/** A section of RAM pages. */
export const SECTION_PAGES = 'PAGE';
/** Most pages one PAGE section holds (4 MiB of data): the reader's buffer bound. */
export const MAX_PAGES_PER_SECTION = 1024;
/** Most bytes of the machine description and of the board's state. */
const MAX_DESCRIPTION_BYTES = 64 * 1024;
const MAX_BOARD_BYTES = 64 * 1024 * 1024;
/** Most bytes of a section the reader does not know (skipped). */
const MAX_OTHER_BYTES = 1024 * 1024;

const enc = new TextEncoder();

/** The stream's first bytes: the header and the machine description. */
export function encodeStreamHeader(desc: MachineDescription): Uint8Array {
  const config = enc.encode(JSON.stringify(desc));
  const out = new Uint8Array(HEADER_BYTES + config.length);
  const v = new DataView(out.buffer);
  out.set(enc.encode(STREAM_MAGIC), 0);
  v.setUint32(8, STREAM_VERSION, true);
  v.setUint32(16, config.length, true);
  v.setUint32(20, crc32(config), true);
  out.set(config, HEADER_BYTES);
  return out;
}

/**
 * A PAGE section with RAM pages `pages` (at most MAX_PAGES_PER_SECTION) copied from `ram` now:
 * the guest may go on writing them (those pages are then dirty again, and sent again).
 */
export function encodePages(ram: Uint8Array, pages: ArrayLike<number>): Uint8Array {
  const n = pages.length;
  if (n > MAX_PAGES_PER_SECTION) throw new RangeError(`${n} pages in one section`);
  const len = 8 + 4 * n + n * PAGE_BYTES;
  const out = new Uint8Array(SECTION_HEADER_BYTES + len);
  out.set(sectionHeader(SECTION_PAGES, len, 0), 0);
  const v = new DataView(out.buffer, SECTION_HEADER_BYTES);
  v.setUint32(0, PAGE_BYTES, true);
  v.setUint32(4, n, true);
  const data = SECTION_HEADER_BYTES + 8 + 4 * n;
  for (let k = 0; k < n; k++) {
    const p = pages[k];
    v.setUint32(8 + 4 * k, p, true);
    out.set(ram.subarray(p * PAGE_BYTES, (p + 1) * PAGE_BYTES), data + k * PAGE_BYTES);
  }
  return out;
}

/** The NICs' states (SLRP, when given), the BORD section (the board's state) and END. */
export function encodeStreamEnd(board: unknown, nets?: Uint8Array): Uint8Array[] {
  const b = enc.encode(JSON.stringify(board));
  const head = nets === undefined ? [] : [sectionHeader(SECTION_NETS, nets.length, crc32(nets)), nets];
  return [...head, sectionHeader(SECTION_BOARD, b.length, crc32(b)), b, sectionHeader(SECTION_END, 0, 0)];
}

/** What the reader has taken from the stream so far, in order. */
export type StreamEvent =
  | { kind: 'description'; desc: MachineDescription }
  | { kind: 'pages'; pages: Uint32Array; data: Uint8Array }
  | { kind: 'board'; board: unknown }
  /** The SLRP section (the NICs' host-side states), at most 1 MiB. */
  | { kind: 'nets'; payload: Uint8Array }
  | { kind: 'end' };

/**
 * Reads a migration stream for a machine of `memoryBytes` of RAM from chunks as they arrive.
 * `push` returns the events the chunk completed and throws a SnapshotError for anything wrong;
 * after an error or END the reader takes nothing more. Buffers at most one section.
 */
export class MigrationStreamReader {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private state: 'header' | 'description' | 'section' | 'payload' | 'ended' | 'failed' = 'header';
  private need = HEADER_BYTES;
  private descCrc = 0;
  private tag = '';
  private sectionCrc = 0;
  private boardSeen = false;
  private readonly totalPages: number;

  constructor(private readonly memoryBytes: number) {
    this.totalPages = memoryBytes / PAGE_BYTES;
  }

  /** Whether END was read. */
  get ended(): boolean {
    return this.state === 'ended';
  }

  push(chunk: Uint8Array): StreamEvent[] {
    if (this.state === 'failed') throw new SnapshotError('the stream was already found broken');
    if (this.state === 'ended') {
      if (chunk.length === 0) return [];
      this.state = 'failed';
      throw new SnapshotError('bytes after the END section');
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: StreamEvent[] = [];
    try {
      while (!this.ended && this.buffered >= this.need) {
        const ev = this.step(this.take(this.need));
        if (ev !== undefined) out.push(ev);
      }
      if (this.ended && this.buffered > 0) throw new SnapshotError('bytes after the END section');
    } catch (e) {
      this.state = 'failed';
      throw e;
    }
    return out;
  }

  /** The stream closed: an error unless END was read. */
  finish(): void {
    if (this.state !== 'ended')
      throw new SnapshotError(
        this.state === 'header' && this.buffered === 0
          ? 'the stream closed before it began'
          : 'the stream ended early (no END section): the source failed or cancelled',
      );
  }

  private take(n: number): Uint8Array {
    let out: Uint8Array;
    if (n === 0) return new Uint8Array(0); // an empty section or description: no chunk needed
    if (this.chunks[0].length >= n) {
      out = this.chunks[0].subarray(0, n);
      this.chunks[0] = this.chunks[0].subarray(n);
      if (this.chunks[0].length === 0) this.chunks.shift();
    } else {
      out = new Uint8Array(n);
      let at = 0;
      while (at < n) {
        const c = this.chunks[0];
        const k = Math.min(c.length, n - at);
        out.set(c.subarray(0, k), at);
        at += k;
        if (k === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(k);
      }
    }
    this.buffered -= n;
    return out;
  }

  private step(b: Uint8Array): StreamEvent | undefined {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    switch (this.state) {
      case 'header': {
        if (ascii(b.subarray(0, 8)) !== STREAM_MAGIC)
          throw new SnapshotError('not a tsvirt migration stream (no TSVIRTMG header)');
        const version = v.getUint32(8, true);
        if (version !== STREAM_VERSION)
          throw new SnapshotError(
            `migration stream version ${version} is not supported (this build reads version ${STREAM_VERSION})`,
          );
        const len = v.getUint32(16, true);
        if (len > MAX_DESCRIPTION_BYTES)
          throw new SnapshotError(`machine description: ${len} bytes is more than a description takes`);
        this.descCrc = v.getUint32(20, true);
        this.state = 'description';
        this.need = len;
        return undefined;
      }
      case 'description': {
        if (crc32(b) !== this.descCrc) throw new SnapshotError('machine description: checksum mismatch');
        const desc = checkDescription(json(b, 'machine description'));
        if (desc.memoryBytes !== this.memoryBytes)
          throw new SnapshotError(
            `the stream is of another machine: memoryBytes: sent ${desc.memoryBytes}, this machine ${this.memoryBytes}`,
          );
        this.toSection();
        return { kind: 'description', desc };
      }
      case 'section': {
        this.tag = ascii(b.subarray(0, 4));
        const len = v.getUint32(8, true) + v.getUint32(12, true) * 2 ** 32;
        this.sectionCrc = v.getUint32(16, true);
        const max =
          this.tag === SECTION_PAGES
            ? 8 + MAX_PAGES_PER_SECTION * (4 + PAGE_BYTES)
            : this.tag === SECTION_BOARD
              ? MAX_BOARD_BYTES
              : this.tag === SECTION_END
                ? 0
                : MAX_OTHER_BYTES;
        if (len > max)
          throw new SnapshotError(`section '${this.tag}': ${len} bytes, more than such a section takes`);
        if (this.tag === SECTION_END) {
          if (!this.boardSeen) throw new SnapshotError(`END before the '${SECTION_BOARD}' section`);
          this.state = 'ended';
          this.need = 0;
          return { kind: 'end' };
        }
        this.state = 'payload';
        this.need = len;
        return undefined;
      }
      case 'payload': {
        const tag = this.tag;
        this.toSection();
        if (tag === SECTION_PAGES) return this.pages(b);
        if (tag === SECTION_BOARD) {
          if (this.boardSeen) throw new SnapshotError(`section '${SECTION_BOARD}' appears twice`);
          if (crc32(b) !== this.sectionCrc)
            throw new SnapshotError(`section '${SECTION_BOARD}': checksum mismatch`);
          this.boardSeen = true;
          return { kind: 'board', board: json(b, `section '${SECTION_BOARD}'`) };
        }
        if (tag === SECTION_NETS) {
          if (crc32(b) !== this.sectionCrc)
            throw new SnapshotError(`section '${SECTION_NETS}': checksum mismatch`);
          return { kind: 'nets', payload: b };
        }
        return undefined; // a section this build does not know: skipped
      }
      default:
        throw new Error(`MigrationStreamReader: step in state ${this.state}`);
    }
  }

  private toSection(): void {
    this.state = 'section';
    this.need = SECTION_HEADER_BYTES;
  }

  private pages(b: Uint8Array): StreamEvent {
    if (this.boardSeen) throw new SnapshotError(`section '${SECTION_PAGES}' after the board's state`);
    if (b.length < 8) throw new SnapshotError(`section '${SECTION_PAGES}': truncated`);
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (v.getUint32(0, true) !== PAGE_BYTES)
      throw new SnapshotError(`section '${SECTION_PAGES}': page size is not ${PAGE_BYTES}`);
    const n = v.getUint32(4, true);
    if (n > MAX_PAGES_PER_SECTION || b.length !== 8 + n * (4 + PAGE_BYTES))
      throw new SnapshotError(`section '${SECTION_PAGES}': ${b.length} bytes do not hold ${n} pages`);
    const pages = new Uint32Array(n);
    for (let k = 0; k < n; k++) {
      const p = v.getUint32(8 + 4 * k, true);
      if (p >= this.totalPages)
        throw new SnapshotError(`section '${SECTION_PAGES}': page ${p} is beyond RAM`);
      pages[k] = p;
    }
    return { kind: 'pages', pages, data: b.subarray(8 + 4 * n) };
  }
}

/** Write the pages of a PAGE section into guest RAM `ram` (the reader checked them against its size). */
export function applyPages(ram: Uint8Array, pages: Uint32Array, data: Uint8Array): void {
  for (let k = 0; k < pages.length; k++)
    ram.set(data.subarray(k * PAGE_BYTES, (k + 1) * PAGE_BYTES), pages[k] * PAGE_BYTES);
}
