// gunzip against RFC 1952 (member header and trailer) and RFC 1951 (stored, fixed and dynamic
// blocks): blocks written bit by bit from the RFCs' tables, zlib's output at every level and
// strategy, and hostile input, which must end in GunzipError and nothing else.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, deflateRawSync, gzipSync } from 'node:zlib';
import { crc32 } from '../core/crc32.js';
import { Prng } from '../core/prng.js';
import { gunzip, GunzipError, GunzipLimitError } from './gunzip.js';

const MiB = 1024 * 1024;
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const u8 = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);

/** DEFLATE's bit order (RFC 1951 section 3.1.1): data elements from their least significant bit. */
class BitWriter {
  private readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;
  bits(value: number, count: number): this {
    for (let i = 0; i < count; i++) {
      this.acc |= ((value >>> i) & 1) << this.n;
      if (++this.n === 8) this.flushByte();
    }
    return this;
  }
  /** A Huffman code, sent from its most significant bit. */
  code(code: number, len: number): this {
    for (let i = len - 1; i >= 0; i--) this.bits((code >>> i) & 1, 1);
    return this;
  }
  align(): this {
    if (this.n > 0) this.flushByte();
    return this;
  }
  byte(...bs: number[]): this {
    this.align();
    this.bytes.push(...bs);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.align().bytes);
  }
  private flushByte(): void {
    this.bytes.push(this.acc);
    this.acc = 0;
    this.n = 0;
  }
}

/** The fixed literal/length code of `sym` (RFC 1951 section 3.2.6), as [code, length]. */
function fixedCode(sym: number): [number, number] {
  if (sym < 144) return [0x30 + sym, 8];
  if (sym < 256) return [0x190 + sym - 144, 9];
  if (sym < 280) return [sym - 256, 7];
  return [0xc0 + sym - 280, 8];
}

/** A gzip member (RFC 1952 section 2.3) around `deflate`, whose contents are `contents`. */
function member(
  deflate: Uint8Array,
  contents: Uint8Array,
  header: number[] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3],
) {
  const trailer = new Uint8Array(8);
  new DataView(trailer.buffer).setUint32(0, crc32(contents), true);
  new DataView(trailer.buffer).setUint32(4, contents.length, true);
  return Uint8Array.from([...header, ...deflate, ...trailer]);
}

function refused(data: Uint8Array, why: RegExp, maxBytes = MiB): void {
  assert.throws(
    () => gunzip(data, maxBytes),
    (e) => e instanceof GunzipError && why.test(e.message),
  );
}

test('gunzip: a stored block (RFC 1951 section 3.2.4) gives its LEN bytes', () => {
  const text = ascii('stored, not compressed');
  const deflate = new BitWriter()
    .bits(1, 1)
    .bits(0, 2)
    .byte(text.length, 0, ~text.length & 0xff, 0xff, ...text)
    .done();
  assert.deepEqual(gunzip(member(deflate, text), MiB), text);
});

test('gunzip: fixed codes (RFC 1951 section 3.2.6): a literal, then a match that overlaps its own output', () => {
  // 'a', then <length 5, distance 1>: length 5 is code 259 with no extra bits, distance 1 is
  // distance code 0 (5 bits), then end-of-block.
  const w = new BitWriter().bits(1, 1).bits(1, 2);
  w.code(...fixedCode(0x61));
  w.code(...fixedCode(259)).code(0, 5);
  // <length 10, distance 6>: code 264; distance 5..6 is code 4 with 1 extra bit (1 for 6).
  w.code(...fixedCode(264))
    .code(4, 5)
    .bits(1, 1);
  w.code(...fixedCode(256));
  const want = ascii('aaaaaaaaaaaaaaaa');
  assert.deepEqual(gunzip(member(w.done(), want), MiB), want);
});

test('gunzip: zlib output at every level and strategy decodes to the input', () => {
  const r = new Prng(19);
  const text = ascii('the quick brown fox jumps over the lazy dog; '.repeat(2000));
  const inputs = [new Uint8Array(0), ascii('x'), new Uint8Array(300_000), r.bytes(70_000), text];
  const strategies = [
    constants.Z_DEFAULT_STRATEGY,
    constants.Z_FIXED,
    constants.Z_HUFFMAN_ONLY,
    constants.Z_RLE,
    constants.Z_FILTERED,
  ];
  for (const input of inputs) {
    for (const level of [0, 1, 6, 9]) {
      for (const strategy of strategies) {
        const gz = u8(gzipSync(input, { level, strategy }));
        assert.deepEqual(
          gunzip(gz, MiB),
          input,
          `${input.length} bytes, level ${level}, strategy ${strategy}`,
        );
      }
    }
  }
});

test('gunzip: the optional header fields are skipped, and FHCRC is checked', () => {
  const contents = ascii('header fields');
  const deflate = u8(deflateRawSync(contents));
  // FEXTRA (XLEN 3), FNAME "k\0", FCOMMENT "c\0", then FHCRC over all of it.
  const header = [0x1f, 0x8b, 8, 0x1e, 1, 2, 3, 4, 0, 3, 3, 0, 9, 9, 9, 0x6b, 0, 0x63, 0];
  const crc16 = crc32(Uint8Array.from(header)) & 0xffff;
  const good = member(deflate, contents, [...header, crc16 & 0xff, crc16 >>> 8]);
  assert.deepEqual(gunzip(good, MiB), contents);
  refused(member(deflate, contents, [...header, ~crc16 & 0xff, crc16 >>> 8]), /header CRC16 does not match/);
});

test('gunzip: members in a row give their contents in a row; bytes after the last are ignored', () => {
  const a = ascii('first member, ');
  const b = ascii('second member');
  const two = Uint8Array.from([...gzipSync(a), ...gzipSync(b), 0, 0, 0, 0]);
  assert.deepEqual(gunzip(two, MiB), Uint8Array.from([...a, ...b]));
});

test('gunzip: a header that is not gzip+deflate, or sets reserved flags, is refused', () => {
  const gz = u8(gzipSync(ascii('x')));
  const with_ = (at: number, v: number): Uint8Array => {
    const c = gz.slice();
    c[at] = v;
    return c;
  };
  refused(with_(0, 0x1e), /no gzip magic/);
  refused(with_(2, 7), /compression method 7/);
  for (const bit of [0x20, 0x40, 0x80]) refused(with_(3, bit), /reserved header flags/);
});

test('gunzip: a wrong CRC32 or ISIZE in the trailer is refused', () => {
  const gz = u8(gzipSync(ascii('checked contents')));
  const n = gz.length;
  const badCrc = gz.slice();
  badCrc[n - 8] ^= 1;
  refused(badCrc, /CRC32 does not match/);
  const badSize = gz.slice();
  badSize[n - 4] ^= 1;
  refused(badSize, /ISIZE/);
});

test('gunzip: every prefix of a file is refused with GunzipError', () => {
  const gz = u8(gzipSync(new Prng(3).bytes(3000)));
  for (let n = 0; n < gz.length; n++) {
    assert.throws(() => gunzip(gz.subarray(0, n), MiB), GunzipError, `prefix of ${n} bytes`);
  }
});

test('gunzip: contents of exactly maxBytes decode; one byte more is GunzipLimitError', () => {
  const contents = new Prng(4).bytes(5000);
  const gz = u8(gzipSync(contents));
  assert.deepEqual(gunzip(gz, 5000), contents);
  assert.throws(() => gunzip(gz, 4999), GunzipLimitError);
  // A bomb: 64 MiB of zeros in about 64 KiB stops at the cap.
  const bomb = u8(gzipSync(new Uint8Array(64 * MiB), { level: 9 }));
  assert.throws(() => gunzip(bomb, MiB), GunzipLimitError);
});

test('gunzip: hostile blocks are refused: reserved type, bad NLEN, distance before the start, unused codes', () => {
  const text = ascii('ab');
  refused(member(new BitWriter().bits(1, 1).bits(3, 2).done(), text), /block type 3 is reserved/);
  refused(
    member(new BitWriter().bits(1, 1).bits(0, 2).byte(2, 0, 0xfd, 0xfe, 0x61, 0x62).done(), text),
    /NLEN/,
  );
  // A match before any output: <length 3, distance 1> first.
  const early = new BitWriter()
    .bits(1, 1)
    .bits(1, 2)
    .code(...fixedCode(257))
    .code(0, 5)
    .code(...fixedCode(256));
  refused(member(early.done(), text), /distance 1 reaches before the start/);
  // Length codes 286, 287 and distance codes 30, 31 exist in the fixed code but are never used.
  for (const sym of [286, 287]) {
    const w = new BitWriter()
      .bits(1, 1)
      .bits(1, 2)
      .code(...fixedCode(0x61))
      .code(...fixedCode(sym));
    refused(
      member(
        w
          .code(0, 5)
          .code(...fixedCode(256))
          .done(),
        text,
      ),
      new RegExp(`length code ${sym}`),
    );
  }
  const far = new BitWriter()
    .bits(1, 1)
    .bits(1, 2)
    .code(...fixedCode(0x61))
    .code(...fixedCode(257))
    .code(30, 5);
  refused(member(far.code(...fixedCode(256)).done(), text), /unused distance code|distance code 30/);
});

test('gunzip: hostile dynamic headers (RFC 1951 section 3.2.7) are refused', () => {
  const text = ascii('ab');
  /** A dynamic block header; `clens` are the code length code lengths in CODE_LENGTH_ORDER. */
  const dynamic = (hlit: number, hdist: number, clens: number[]): BitWriter => {
    const w = new BitWriter()
      .bits(1, 1)
      .bits(2, 2)
      .bits(hlit - 257, 5)
      .bits(hdist - 1, 5)
      .bits(clens.length - 4, 4);
    for (const l of clens) w.bits(l, 3);
    return w;
  };
  refused(member(dynamic(287, 1, [1, 1, 1, 1]).done(), text), /HLIT 287/);
  refused(member(dynamic(257, 31, [1, 1, 1, 1]).done(), text), /HDIST 31/);
  // Three codes of length 1 cannot all be prefix-free.
  refused(member(dynamic(257, 1, [1, 1, 1, 0]).done(), text), /over-subscribed/);
  // Code length code: 16 has code 0, 18 has code 1 (both length 1, order 16, 17, 18, 0).
  refused(
    member(dynamic(257, 1, [1, 0, 1, 0]).code(0, 1).bits(0, 2).done(), text),
    /repeats a length before the first/,
  );
  // 18 repeating zero 138 times, twice, passes HLIT + HDIST = 258.
  const over = dynamic(257, 1, [1, 0, 1, 0]).code(1, 1).bits(127, 7).code(1, 1).bits(127, 7);
  refused(member(over.done(), text), /repeat past HLIT \+ HDIST/);
  // All 258 lengths zero: no end-of-block code. Code length code: 0 has code 0, 18 code 1.
  const zeros = dynamic(257, 1, [0, 0, 1, 1]).code(1, 1).bits(127, 7).code(1, 1).bits(109, 7);
  refused(member(zeros.done(), text), /no end-of-block code/);
});

test('gunzip: damaged files decode or are refused with GunzipError, never another exception', () => {
  const r = new Prng(20);
  const base = u8(gzipSync(ascii('some kernel-like text, repeated; '.repeat(300)), { level: 6 }));
  for (let n = 0; n < 3000; n++) {
    const d = base.slice();
    for (let k = 1 + r.below(4); k > 0; k--) d[10 + r.below(d.length - 10)] = r.below(256);
    try {
      gunzip(d, 64 * 1024);
    } catch (e) {
      assert.ok(e instanceof GunzipError, `case ${n}: ${String(e)}`);
    }
  }
});
