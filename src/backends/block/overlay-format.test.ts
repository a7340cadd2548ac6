// The overlay parser against docs/overlay-format.md: every header field and every table entry
// rule is checked, and a file breaking one is refused with an OverlayError naming the file, the
// field or entry, and its value. Each test breaks one rule of a valid overlay.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from '../../core/crc32.js';
import {
  decodeHeader,
  decodeTable,
  encodeHeader,
  ENTRY_ZERO,
  MAX_TABLE_ENTRIES,
  OverlayError,
  overlayLayout,
  type OverlayHeader,
} from './overlay-format.js';

const PATH = 'x.ovl';
const KiB = 1024;
const FINGERPRINT = new Uint8Array(32).fill(7);

/** Header byte offsets from the format document's table. */
const F = {
  version: 8,
  headerBytes: 12,
  baseSize: 16,
  clusterBytes: 24,
  flags: 28,
  tableOffset: 32,
  tableEntries: 40,
  dataOffset: 48,
  crc: 88,
} as const;

/** A valid header: 64 KiB clusters over 5 clusters and 3 sectors (6 entries, data at 64 KiB). */
function validHeader(baseSizeBytes = 5 * 64 * KiB + 3 * 512, clusterBytes = 64 * KiB): Uint8Array {
  return encodeHeader(overlayLayout(baseSizeBytes, clusterBytes, FINGERPRINT));
}

/** Edit a header with `edit`, recompute its checksum, and decode it. */
function decodeEdited(edit: (v: DataView) => void, bytes = validHeader()): OverlayHeader {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  edit(v);
  v.setUint32(F.crc, crc32(bytes.subarray(0, F.crc)), true);
  return decodeHeader(PATH, bytes);
}

/** Assert that `fn` throws an OverlayError for PATH whose message matches `message`. */
function assertRefused(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof OverlayError, `not an OverlayError: ${String(e)}`);
    assert.ok(e.message.startsWith(`overlay '${PATH}': `), `the message names the file: ${e.message}`);
    assert.match(e.message, message);
    return true;
  });
}

test('overlay header: a valid header decodes to its layout', () => {
  const h = decodeHeader(PATH, validHeader());
  assert.deepEqual(
    { ...h, fingerprint: undefined },
    {
      baseSizeBytes: 5 * 64 * KiB + 3 * 512,
      clusterBytes: 64 * KiB,
      tableOffset: 4096,
      tableEntries: 6,
      dataOffset: 64 * KiB,
      fingerprint: undefined,
    },
  );
  assert.deepEqual(h.fingerprint, FINGERPRINT);
});

test('overlay header: shorter than 4096 bytes is refused', () => {
  assertRefused(() => decodeHeader(PATH, validHeader().subarray(0, 4095)), /too short .*: 4095 bytes/);
  assertRefused(() => decodeHeader(PATH, new Uint8Array(0)), /too short .*: 0 bytes/);
});

test('overlay header: magic must be TSVOVRLY', () => {
  const b = validHeader();
  b[7] ^= 0x20;
  assertRefused(() => decodeHeader(PATH, b), /not a tsvirt overlay \(bad magic\)/);
});

test('overlay header: version must be 1', () => {
  assertRefused(
    () => decodeEdited((v) => v.setUint32(F.version, 2, true)),
    /header field version = 2 is unsupported \(this build reads 1\)/,
  );
});

test('overlay header: header_crc32 must match bytes 0..87', () => {
  const b = validHeader();
  b[F.baseSize] ^= 0x02;
  assertRefused(() => decodeHeader(PATH, b), /header field header_crc32 = 0x[0-9a-f]+ does not match/);
  const c = validHeader();
  c[F.crc] ^= 1;
  assertRefused(() => decodeHeader(PATH, c), /header_crc32/);
});

test('overlay header: header_bytes must be 4096', () => {
  for (const n of [0, 4095, 8192]) {
    assertRefused(
      () => decodeEdited((v) => v.setUint32(F.headerBytes, n, true)),
      new RegExp(`header field header_bytes = ${n} is not 4096`),
    );
  }
});

test('overlay header: flags must be 0', () => {
  for (const [n, text] of [
    [1, '0x1'],
    [0x80000000, '0x80000000'],
  ] as const) {
    assertRefused(
      () => decodeEdited((v) => v.setUint32(F.flags, n, true)),
      new RegExp(`header field flags = ${text} has bits set`),
    );
  }
});

test('overlay header: cluster_bytes must be a power of two in 4096..2097152', () => {
  for (const n of [0, 2048, 4095, 3 * 4096, 4 * 1024 * KiB, 0xffffffff]) {
    assertRefused(
      () => decodeEdited((v) => v.setUint32(F.clusterBytes, n, true)),
      new RegExp(`header field cluster_bytes = ${n} is not a power of two in 4096..2097152`),
    );
  }
  // Both ends of the range are valid (with the fields that follow from them).
  for (const c of [4096, 2048 * KiB])
    assert.equal(decodeHeader(PATH, validHeader(1024 * KiB, c)).clusterBytes, c);
});

test('overlay header: base_size must be a positive multiple of 512', () => {
  for (const n of [0n, 1000n, 513n]) {
    assertRefused(
      () => decodeEdited((v) => v.setBigUint64(F.baseSize, n, true)),
      new RegExp(`header field base_size = ${n} is not a positive multiple of 512`),
    );
  }
});

test('overlay header: a table of more than MAX_TABLE_ENTRIES entries is refused (table size overflow)', () => {
  // Every field consistent, but one entry too many: the table would not fit the memory bound.
  const cluster = 4096;
  const base = (MAX_TABLE_ENTRIES + 1) * cluster;
  const tableEnd = 4096 + (MAX_TABLE_ENTRIES + 1) * 8;
  const edit = (v: DataView): void => {
    v.setUint32(F.clusterBytes, cluster, true);
    v.setBigUint64(F.baseSize, BigInt(base), true);
    v.setBigUint64(F.tableEntries, BigInt(MAX_TABLE_ENTRIES + 1), true);
    v.setBigUint64(F.dataOffset, BigInt(Math.ceil(tableEnd / cluster) * cluster), true);
  };
  assertRefused(
    () => decodeEdited(edit),
    /header field base_size = \d+ needs more than 33554432 table entries/,
  );
  // The largest 64-bit base: refused by the same rule, its value printed exactly.
  const huge = 0xffff_ffff_ffff_fe00n;
  assertRefused(
    () => decodeEdited((v) => v.setBigUint64(F.baseSize, huge, true)),
    new RegExp(`base_size = ${huge} needs more than`),
  );
  // One entry less is fine.
  const ok = MAX_TABLE_ENTRIES * cluster;
  assert.equal(decodeHeader(PATH, validHeader(ok, cluster)).tableEntries, MAX_TABLE_ENTRIES);
});

test('overlay header: table_offset must be 4096', () => {
  for (const n of [0n, 8192n, 0xffff_ffff_ffff_ffffn]) {
    assertRefused(
      () => decodeEdited((v) => v.setBigUint64(F.tableOffset, n, true)),
      new RegExp(`header field table_offset = ${n} is not 4096`),
    );
  }
});

test('overlay header: table_entries must be base_size / cluster_bytes rounded up', () => {
  for (const n of [0n, 5n, 7n, 1n << 60n]) {
    assertRefused(
      () => decodeEdited((v) => v.setBigUint64(F.tableEntries, n, true)),
      new RegExp(`header field table_entries = ${n} is not 6`),
    );
  }
});

test('overlay header: data_offset must be the table end rounded up to a cluster', () => {
  for (const n of [0n, 4096n + 48n, 128n * BigInt(KiB), 0xffff_ffff_ffff_0000n]) {
    assertRefused(
      () => decodeEdited((v) => v.setBigUint64(F.dataOffset, n, true)),
      new RegExp(`header field data_offset = ${n} is not 65536`),
    );
  }
});

test('overlay header: bytes 92..4095 are reserved and must be zero', () => {
  for (const k of [92, 1000, 4095]) {
    const b = validHeader();
    b[k] = 0x5a;
    assertRefused(() => decodeHeader(PATH, b), new RegExp(`header byte ${k} = 0x5a is reserved`));
  }
});

/** The table of the 4 KiB-cluster layout below: 40 entries, data from 8192. */
const SMALL = overlayLayout(40 * 4096, 4096, FINGERPRINT);
const SMALL_FILE_BYTES = SMALL.dataOffset + 10 * 4096;

function table(entries: Record<number, bigint>, h = SMALL): Uint8Array {
  const bytes = new Uint8Array(h.tableEntries * 8);
  const v = new DataView(bytes.buffer);
  for (const [k, e] of Object.entries(entries)) v.setBigUint64(Number(k) * 8, e, true);
  return bytes;
}

test('overlay table: absent, stored, zero and zero-with-storage entries decode', () => {
  const d = BigInt(SMALL.dataOffset);
  const got = decodeTable(
    PATH,
    SMALL,
    table({ 1: d, 2: 1n, 3: d + 4096n + 1n, 39: d + 9n * 4096n }),
    SMALL_FILE_BYTES,
  );
  assert.equal(got[0], 0);
  assert.equal(got[1], SMALL.dataOffset);
  assert.equal(got[2], ENTRY_ZERO);
  assert.equal(got[3], SMALL.dataOffset + 4096 + ENTRY_ZERO);
  assert.equal(got[39], SMALL.dataOffset + 9 * 4096);
});

test('overlay table: any of the reserved bits 1..11 is refused', () => {
  const d = BigInt(SMALL.dataOffset);
  for (let bit = 1n; bit <= 11n; bit++) {
    for (const base of [0n, 1n, d]) {
      const e = base | (1n << bit);
      assertRefused(
        () => decodeTable(PATH, SMALL, table({ 5: e }), SMALL_FILE_BYTES),
        new RegExp(`table entry 5 = 0x${e.toString(16)}: reserved bits 1\\.\\.11 are set`),
      );
    }
  }
});

test('overlay table: storage not aligned to cluster_bytes is refused', () => {
  const h = overlayLayout(6 * 64 * KiB, 64 * KiB, FINGERPRINT);
  const fileBytes = h.dataOffset + 6 * 64 * KiB;
  for (const off of [h.dataOffset + 4096, h.dataOffset + 60 * KiB]) {
    assertRefused(
      () => decodeTable(PATH, h, table({ 2: BigInt(off) }, h), fileBytes),
      new RegExp(`table entry 2 = 0x[0-9a-f]+: offset ${off} is not a multiple of cluster_bytes 65536`),
    );
  }
});

test('overlay table: storage inside the header or table is refused', () => {
  // 4 KiB clusters: offset 4096 is cluster-aligned but is the table itself.
  assertRefused(
    () => decodeTable(PATH, SMALL, table({ 7: 4096n }), SMALL_FILE_BYTES),
    /table entry 7 = 0x1000: offset 4096 is inside the header or table \(data starts at 8192\)/,
  );
  assertRefused(
    () => decodeTable(PATH, SMALL, table({ 7: 4096n | 1n }), SMALL_FILE_BYTES),
    /offset 4096 is inside the header or table/,
  );
});

test('overlay table: storage reaching past the end of the file is refused', () => {
  const last = BigInt(SMALL_FILE_BYTES - 4096);
  assert.equal(decodeTable(PATH, SMALL, table({ 0: last }), SMALL_FILE_BYTES)[0], Number(last));
  for (const off of [last + 4096n, 1n << 52n, 0xffff_ffff_ffff_f000n]) {
    assertRefused(
      () => decodeTable(PATH, SMALL, table({ 0: off }), SMALL_FILE_BYTES),
      new RegExp(
        `table entry 0 = 0x[0-9a-f]+: offset ${off} \\+ cluster_bytes 4096 is past the end of the file`,
      ),
    );
  }
  // A file cut inside its last cluster: that cluster is not all there.
  assertRefused(
    () => decodeTable(PATH, SMALL, table({ 0: last }), SMALL_FILE_BYTES - 1),
    new RegExp(
      `offset ${last} \\+ cluster_bytes 4096 is past the end of the file \\(${SMALL_FILE_BYTES - 1} bytes\\)`,
    ),
  );
});

test('overlay table: two entries sharing storage are refused, zero flag or not', () => {
  const s = BigInt(SMALL.dataOffset + 3 * 4096);
  assertRefused(
    () => decodeTable(PATH, SMALL, table({ 4: s, 30: s }), SMALL_FILE_BYTES),
    new RegExp(`table entries 4 and 30 both point at offset ${s}`),
  );
  assertRefused(
    () => decodeTable(PATH, SMALL, table({ 1: s | 1n, 2: s }), SMALL_FILE_BYTES),
    /table entries 1 and 2 both point at offset/,
  );
  // Distinct storage for every cluster is fine, and so are many storage-less zero entries.
  const all: Record<number, bigint> = {};
  for (let k = 0; k < 10; k++) all[k] = BigInt(SMALL.dataOffset + k * 4096);
  for (let k = 10; k < 40; k++) all[k] = 1n;
  assert.equal(decodeTable(PATH, SMALL, table(all), SMALL_FILE_BYTES).length, 40);
});
