// gzip (RFC 1952) and DEFLATE (RFC 1951) decompression in plain JavaScript, for gzip-compressed
// kernels: the loader runs on any JavaScript runtime (node:zlib is Node's alone, and the web's
// DecompressionStream is asynchronous), and the output is capped, so a bomb stops at the cap.

import { crc32 } from '../core/crc32.js';

/** A gzip file that breaks RFC 1952 or RFC 1951, or is cut short; the message says where. */
export class GunzipError extends Error {}

/** The decompressed bytes would pass the caller's cap. */
export class GunzipLimitError extends GunzipError {}

/** RFC 1952 section 2.3: ID1 ID2, then CM = 8 (deflate). */
const ID1 = 0x1f;
const ID2 = 0x8b;
const CM_DEFLATE = 8;
/** FLG bits (RFC 1952 section 2.3.1); bits 5 to 7 are reserved and must be zero. */
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const FLG_RESERVED = 0xe0;
/** Fixed header (10 bytes) plus trailer (CRC32 and ISIZE, 8 bytes). */
const HEADER_BYTES = 10;
const TRAILER_BYTES = 8;
/** Most output one input byte can give in DEFLATE (258-byte matches of 1 bit each, about 1032:1). */
const MAX_RATIO = 1032;

/** RFC 1951 section 3.2.5: base length and extra bits of length codes 257..285. */
// prettier-ignore
const LENGTH_BASE = Uint16Array.of(
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
  35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
);
// prettier-ignore
const LENGTH_EXTRA = Uint8Array.of(
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
  3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
);
/** Base distance and extra bits of distance codes 0..29. */
// prettier-ignore
const DIST_BASE = Uint16Array.of(
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
  257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
);
// prettier-ignore
const DIST_EXTRA = Uint8Array.of(
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
  7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
);
/** RFC 1951 section 3.2.7: the order in which code length code lengths are sent. */
const CODE_LENGTH_ORDER = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);
const END_OF_BLOCK = 256;
const MAX_LITLEN_CODES = 286;
const MAX_DIST_CODES = 30;
/** Zero bytes the decoder may read ahead past the input (it reads up to 4 bytes ahead of need). */
const READ_AHEAD_BYTES = 8;

/**
 * A decoding table for a canonical Huffman code: indexed by the next `bits` input bits (first bit
 * lowest), each entry is symbol << 4 | code length, or 0 where no code starts with those bits.
 */
interface Huffman {
  readonly table: Int32Array;
  readonly bits: number;
}

/** The table for the code whose lengths (0: unused symbol) are `lengths` (RFC 1951 section 3.2.2). */
function huffman(lengths: Uint8Array, what: string): Huffman {
  const count = new Uint16Array(16);
  let bits = 1;
  for (const len of lengths) {
    count[len]++;
    if (len > bits) bits = len;
  }
  count[0] = 0;
  // More codes of a length than the lengths before leave room for: no prefix code has them.
  let room = 1;
  for (let len = 1; len <= 15; len++) {
    room = (room << 1) - count[len];
    if (room < 0) throw new GunzipError(`the ${what} code lengths are over-subscribed`);
  }
  const next = new Uint16Array(16);
  for (let len = 1, code = 0; len <= 15; len++) {
    code = (code + count[len - 1]) << 1;
    next[len] = code;
  }
  const size = 1 << bits;
  const table = new Int32Array(size);
  for (let sym = 0; sym < lengths.length; sym++) {
    const len = lengths[sym];
    if (len === 0) continue;
    // Codes are sent from their most significant bit, and the bit buffer fills from bit 0.
    const code = next[len]++;
    let reversed = 0;
    for (let i = 0; i < len; i++) reversed |= ((code >>> i) & 1) << (len - 1 - i);
    for (let k = reversed; k < size; k += 1 << len) table[k] = (sym << 4) | len;
  }
  return { table, bits };
}

/** RFC 1951 section 3.2.6: the fixed codes, built once. */
let fixedCodes: { litlen: Huffman; dist: Huffman } | undefined;
function fixed(): { litlen: Huffman; dist: Huffman } {
  if (fixedCodes === undefined) {
    const lengths = new Uint8Array(288);
    lengths.fill(8, 0, 144);
    lengths.fill(9, 144, 256);
    lengths.fill(7, 256, 280);
    lengths.fill(8, 280, 288);
    fixedCodes = { litlen: huffman(lengths, 'fixed'), dist: huffman(new Uint8Array(30).fill(5), 'fixed') };
  }
  return fixedCodes;
}

/** One decompression: the input, the bits read ahead, and the output so far. */
class Inflater {
  private pos = 0;
  /** Input bits read ahead of the decoder, the next one in bit 0. */
  private bitBuf = 0;
  private bitCount = 0;
  private out: Uint8Array;
  private outLen = 0;
  /** Where the current member's output starts: no distance reaches before it. */
  private memberStart = 0;

  constructor(
    private readonly data: Uint8Array,
    private readonly maxBytes: number,
  ) {
    // The last member's ISIZE is a good first guess of the size; only a guess, so it is capped
    // by what the input could possibly give.
    const n = data.length;
    const isize =
      n >= 4 ? (data[n - 4] | (data[n - 3] << 8) | (data[n - 2] << 16) | (data[n - 1] << 24)) >>> 0 : 0;
    this.out = new Uint8Array(Math.min(maxBytes, Math.max(isize, 4096), n * MAX_RATIO));
  }

  run(): Uint8Array {
    do {
      this.member();
      // Members may follow one another (RFC 1952 section 2.2); anything else after one is ignored,
      // as gzip(1) does.
    } while (
      this.pos + 1 < this.data.length &&
      this.data[this.pos] === ID1 &&
      this.data[this.pos + 1] === ID2
    );
    return this.out.subarray(0, this.outLen);
  }

  private member(): void {
    this.header();
    this.memberStart = this.outLen;
    for (;;) {
      const final = this.bits(1);
      const type = this.bits(2);
      if (type === 0) this.stored();
      else if (type === 1) this.codes(fixed().litlen, fixed().dist);
      else if (type === 2) this.dynamic();
      else throw new GunzipError('block type 3 is reserved');
      if (final === 1) break;
    }
    this.toByteBoundary();
    const at = this.pos;
    if (at + TRAILER_BYTES > this.data.length) throw new GunzipError('the trailer (CRC32, ISIZE) is missing');
    const view = new DataView(this.data.buffer, this.data.byteOffset + at, TRAILER_BYTES);
    const contents = this.out.subarray(this.memberStart, this.outLen);
    if (view.getUint32(0, true) !== crc32(contents))
      throw new GunzipError('CRC32 does not match the contents');
    if (view.getUint32(4, true) !== contents.length >>> 0) {
      throw new GunzipError(`ISIZE ${view.getUint32(4, true)} is not the size of the contents mod 2^32`);
    }
    this.pos = at + TRAILER_BYTES;
  }

  /** RFC 1952 section 2.3: the member header, with its optional fields. */
  private header(): void {
    const d = this.data;
    let p = this.pos;
    if (p + HEADER_BYTES + TRAILER_BYTES > d.length) throw new GunzipError('too short for a gzip member');
    if (d[p] !== ID1 || d[p + 1] !== ID2) throw new GunzipError('no gzip magic (1f 8b)');
    if (d[p + 2] !== CM_DEFLATE) throw new GunzipError(`compression method ${d[p + 2]} is not deflate (8)`);
    const flg = d[p + 3];
    if (flg & FLG_RESERVED)
      throw new GunzipError(`reserved header flags are set (FLG 0x${flg.toString(16)})`);
    p += HEADER_BYTES;
    if (flg & FEXTRA) {
      if (p + 2 > d.length) throw new GunzipError('the extra field is cut short');
      p += 2 + (d[p] | (d[p + 1] << 8));
      if (p > d.length) throw new GunzipError('the extra field is cut short');
    }
    for (const [flag, what] of [
      [FNAME, 'file name'],
      [FCOMMENT, 'comment'],
    ] as const) {
      if ((flg & flag) === 0) continue;
      while (p < d.length && d[p] !== 0) p++;
      if (p >= d.length) throw new GunzipError(`the ${what} has no terminating zero`);
      p++;
    }
    if (flg & FHCRC) {
      if (p + 2 > d.length) throw new GunzipError('the header CRC16 is cut short');
      // The low 16 bits of the CRC32 of the header bytes before it (RFC 1952 section 2.3.1).
      const crc16 = crc32(d.subarray(this.pos, p)) & 0xffff;
      if ((d[p] | (d[p + 1] << 8)) !== crc16) throw new GunzipError('the header CRC16 does not match');
      p += 2;
    }
    this.pos = p;
  }

  /** Ensures `n` (at most 24) bits are read ahead. Past the input, zeros are read, a few bytes' worth. */
  private need(n: number): void {
    while (this.bitCount < n) {
      if (this.pos >= this.data.length + READ_AHEAD_BYTES) {
        throw new GunzipError('the compressed data is cut short');
      }
      const byte = this.pos < this.data.length ? this.data[this.pos] : 0;
      this.pos++;
      this.bitBuf |= byte << this.bitCount;
      this.bitCount += 8;
    }
  }

  private bits(n: number): number {
    this.need(n);
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCount -= n;
    return v;
  }

  /** Drops the bits left in the current byte and gives back the whole bytes read ahead. */
  private toByteBoundary(): void {
    this.pos -= this.bitCount >>> 3;
    this.bitBuf = 0;
    this.bitCount = 0;
    if (this.pos > this.data.length) throw new GunzipError('the compressed data is cut short');
  }

  private symbol(code: Huffman, what: string): number {
    this.need(code.bits);
    const entry = code.table[this.bitBuf & ((1 << code.bits) - 1)];
    const len = entry & 15;
    if (len === 0) throw new GunzipError(`an unused ${what} code`);
    this.bitBuf >>>= len;
    this.bitCount -= len;
    return entry >>> 4;
  }

  /** Room for `n` more output bytes, or GunzipLimitError past the cap. */
  private room(n: number): void {
    const need = this.outLen + n;
    if (need <= this.out.length) return;
    if (need > this.maxBytes) {
      throw new GunzipLimitError(`the contents are larger than ${this.maxBytes} bytes`);
    }
    const grown = new Uint8Array(Math.min(this.maxBytes, Math.max(need, this.out.length * 2)));
    grown.set(this.out.subarray(0, this.outLen));
    this.out = grown;
  }

  /** RFC 1951 section 3.2.4: a stored block, LEN bytes after LEN and its complement NLEN. */
  private stored(): void {
    this.toByteBoundary();
    const d = this.data;
    const p = this.pos;
    if (p + 4 > d.length) throw new GunzipError('a stored block header is cut short');
    const len = d[p] | (d[p + 1] << 8);
    const nlen = d[p + 2] | (d[p + 3] << 8);
    if (len !== (~nlen & 0xffff)) throw new GunzipError('a stored block has NLEN not the complement of LEN');
    if (p + 4 + len > d.length) throw new GunzipError('a stored block is cut short');
    this.room(len);
    this.out.set(d.subarray(p + 4, p + 4 + len), this.outLen);
    this.outLen += len;
    this.pos = p + 4 + len;
  }

  /** RFC 1951 section 3.2.7: the code lengths of a dynamic block, then its data. */
  private dynamic(): void {
    const hlit = this.bits(5) + 257;
    const hdist = this.bits(5) + 1;
    const hclen = this.bits(4) + 4;
    if (hlit > MAX_LITLEN_CODES) throw new GunzipError(`HLIT ${hlit} is more than 286 length codes`);
    if (hdist > MAX_DIST_CODES) throw new GunzipError(`HDIST ${hdist} is more than 30 distance codes`);
    const clen = new Uint8Array(19);
    for (let i = 0; i < hclen; i++) clen[CODE_LENGTH_ORDER[i]] = this.bits(3);
    const lengthCode = huffman(clen, 'code length');
    const lengths = new Uint8Array(hlit + hdist);
    for (let i = 0; i < lengths.length;) {
      const sym = this.symbol(lengthCode, 'code length');
      if (sym < 16) {
        lengths[i++] = sym;
        continue;
      }
      let value = 0;
      let repeat: number;
      if (sym === 16) {
        if (i === 0) throw new GunzipError('code length 16 repeats a length before the first');
        value = lengths[i - 1];
        repeat = 3 + this.bits(2);
      } else {
        repeat = sym === 17 ? 3 + this.bits(3) : 11 + this.bits(7);
      }
      if (i + repeat > lengths.length) throw new GunzipError('code lengths repeat past HLIT + HDIST');
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    if (lengths[END_OF_BLOCK] === 0) throw new GunzipError('the block has no end-of-block code');
    this.codes(
      huffman(lengths.subarray(0, hlit), 'literal/length'),
      huffman(lengths.subarray(hlit), 'distance'),
    );
  }

  /**
   * RFC 1951 section 3.2.5: literals and <length, distance> pairs up to end-of-block. The hot loop
   * of a kernel's decompression, so the input and output state live in locals here.
   */
  private codes(litlen: Huffman, dist: Huffman): void {
    const data = this.data;
    const end = data.length;
    const lTable = litlen.table;
    const lBits = litlen.bits;
    const lMask = (1 << lBits) - 1;
    const dTable = dist.table;
    const dBits = dist.bits;
    const dMask = (1 << dBits) - 1;
    let pos = this.pos;
    let buf = this.bitBuf;
    let count = this.bitCount;
    let out = this.out;
    let op = this.outLen;
    // Zeros read past the end decode as something: if the decoder has used any, the data was
    // cut short, whatever they decoded as.
    const fail = (why: string): never => {
      throw new GunzipError(
        pos - (count >>> 3) > end || why === '' ? 'the compressed data is cut short' : why,
      );
    };
    try {
      for (;;) {
        // At least 25 bits ahead cover a code (15 bits) and its extra length bits (5).
        if (count < 20) {
          do {
            if (pos >= end + READ_AHEAD_BYTES) fail('');
            buf |= (pos < end ? data[pos] : 0) << count;
            pos++;
            count += 8;
          } while (count <= 24);
        }
        let entry = lTable[buf & lMask];
        let len = entry & 15;
        if (len === 0) fail('an unused literal/length code');
        buf >>>= len;
        count -= len;
        const sym = entry >>> 4;
        if (sym < 256) {
          if (op === out.length) {
            this.outLen = op;
            this.room(1);
            out = this.out;
          }
          out[op++] = sym;
          continue;
        }
        if (sym === END_OF_BLOCK) break;
        const li = sym - 257;
        if (li >= LENGTH_BASE.length) fail(`length code ${sym} is not used`);
        let extra = LENGTH_EXTRA[li];
        const length = LENGTH_BASE[li] + (buf & ((1 << extra) - 1));
        buf >>>= extra;
        count -= extra;
        while (count < dBits) {
          if (pos >= end + READ_AHEAD_BYTES) fail('');
          buf |= (pos < end ? data[pos] : 0) << count;
          pos++;
          count += 8;
        }
        entry = dTable[buf & dMask];
        len = entry & 15;
        if (len === 0) fail('an unused distance code');
        buf >>>= len;
        count -= len;
        const ds = entry >>> 4;
        if (ds >= DIST_BASE.length) fail(`distance code ${ds} is not used`);
        extra = DIST_EXTRA[ds];
        while (count < extra) {
          if (pos >= end + READ_AHEAD_BYTES) fail('');
          buf |= (pos < end ? data[pos] : 0) << count;
          pos++;
          count += 8;
        }
        const distance = DIST_BASE[ds] + (buf & ((1 << extra) - 1));
        buf >>>= extra;
        count -= extra;
        if (distance > op - this.memberStart) {
          fail(`distance ${distance} reaches before the start of the contents`);
        }
        if (op + length > out.length) {
          this.outLen = op;
          this.room(length);
          out = this.out;
        }
        // Byte by byte: a match may overlap the bytes it makes (distance < length).
        for (let from = op - distance, stop = op + length; op < stop;) out[op++] = out[from++];
      }
    } finally {
      this.pos = pos;
      this.bitBuf = buf;
      this.bitCount = count;
      this.outLen = op;
    }
  }
}

/**
 * The contents of the gzip file `data` (one member or several in a row, bytes after the last
 * ignored), at most `maxBytes` long. Every member's CRC32 and ISIZE are checked. Throws
 * GunzipLimitError as soon as the contents pass `maxBytes` (so memory stays within it), and
 * GunzipError for anything else wrong; nothing else for any input.
 */
export function gunzip(data: Uint8Array, maxBytes: number): Uint8Array {
  return new Inflater(data, maxBytes).run();
}
