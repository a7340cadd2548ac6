// qcow2 header and table entry checks, one rule of docs/interop/qcow2.txt per case: each damaged
// field is refused with a Qcow2Error naming the field and its value, and the refcount packing
// follows the spec (sub-byte entries from the least significant bit, wider ones big-endian).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeHeader,
  decodeL2,
  decodeTableEntry,
  getRefcount,
  H,
  newImage,
  Qcow2Error,
  setRefcount,
} from './qcow2-format.js';

const CB = 65536;
const image = (): Uint8Array =>
  newImage({ sizeBytes: 64 * 1024 * 1024, clusterBits: 16, backingFile: 'base.raw', backingFormat: 'raw' });

function refused(bytes: Uint8Array, message: RegExp, fileBytes = bytes.length, what = ''): void {
  assert.throws(
    () => decodeHeader('x.qcow2', bytes.subarray(0, Math.min(bytes.length, CB)), fileBytes),
    (e: unknown) => {
      assert.ok(e instanceof Qcow2Error, String(e));
      assert.match(e.message, /^qcow2 image 'x\.qcow2': /);
      assert.match(e.problem, message);
      return true;
    },
    what,
  );
}

test('a new image decodes to what was asked', () => {
  const b = image();
  const h = decodeHeader('x.qcow2', b.subarray(0, CB), b.length);
  assert.equal(h.version, 3);
  assert.equal(h.clusterBytes, CB);
  assert.equal(h.sizeBytes, 64 * 1024 * 1024);
  assert.equal(h.l1Size, 1);
  assert.equal(h.refcountOrder, 4);
  assert.equal(h.backingFile, 'base.raw');
  assert.equal(h.backingFormat, 'raw');
});

test('each header field out of its range is named with its value', () => {
  const cases: [string, (v: DataView) => void, RegExp][] = [
    ['magic', (v) => v.setUint32(H.magic, 0x514649fa), /not a qcow2 image \(bad magic\)/],
    ['version', (v) => v.setUint32(H.version, 4), /header field version = 4 is unsupported/],
    ['cluster_bits low', (v) => v.setUint32(H.clusterBits, 8), /cluster_bits = 8 is outside 9\.\.21/],
    ['cluster_bits high', (v) => v.setUint32(H.clusterBits, 22), /cluster_bits = 22 is outside 9\.\.21/],
    ['crypt_method', (v) => v.setUint32(H.cryptMethod, 2), /crypt_method = 2 means an encrypted image/],
    ['size', (v) => v.setBigUint64(H.size, 1n << 60n), /header field size = \d+ is too large/],
    ['l1_size', (v) => v.setUint32(H.l1Size, 0), /l1_size = 0 is too small for size 67108864 \(needs 1\)/],
    [
      'l1_table_offset align',
      (v) => v.setBigUint64(H.l1TableOffset, 3n * 65536n + 8n),
      /l1_table_offset = \d+ is not a multiple of the cluster size/,
    ],
    [
      'l1_table_offset past end',
      (v) => v.setBigUint64(H.l1TableOffset, 1n << 40n),
      /l1_table_offset = \d+ \+ 8 bytes is past the end of the file/,
    ],
    [
      'l1_table_offset zero',
      (v) => v.setBigUint64(H.l1TableOffset, 0n),
      /l1_table_offset = 0 points at the header/,
    ],
    [
      'refcount_table_clusters',
      (v) => v.setUint32(H.refcountTableClusters, 0),
      /refcount_table_clusters = 0 is zero/,
    ],
    [
      'refcount_table_clusters huge',
      (v) => v.setUint32(H.refcountTableClusters, 0xffffffff),
      /refcount_table_offset = 65536 \+ \d+ bytes is past the end/,
    ],
    ['refcount_order', (v) => v.setUint32(H.refcountOrder, 7), /refcount_order = 7 is above 6/],
    ['header_length', (v) => v.setUint32(H.headerLength, 105), /header_length = 105 is not a multiple of 8/],
    [
      'incompatible unknown',
      (v) => v.setBigUint64(H.incompatibleFeatures, 1n << 5n),
      /incompatible_features = 0x20 has unknown bits 0x20/,
    ],
    ['external data file', (v) => v.setBigUint64(H.incompatibleFeatures, 1n << 2n), /external data file/],
    ['extended L2', (v) => v.setBigUint64(H.incompatibleFeatures, 1n << 4n), /extended L2 entries/],
    [
      'backing_file_size',
      (v) => v.setUint32(H.backingFileSize, 1024),
      /backing_file_size = 1024 is not 1\.\.1023/,
    ],
    [
      'backing_file_offset',
      (v) => v.setBigUint64(H.backingFileOffset, 65530n),
      /backing_file_offset = 65530 \+ 8 bytes is not inside the first cluster/,
    ],
    [
      'extension length',
      (v) => v.setUint32(112 + 4, 1 << 20),
      /header extension 0xe2792aca of 1048576 bytes runs past the first cluster/,
    ],
  ];
  for (const [name, damage, message] of cases) {
    const b = image();
    damage(new DataView(b.buffer));
    refused(b, message, b.length, name);
  }
  refused(image().subarray(0, 40), /too short for a qcow2 header: 40 bytes/);
});

test('L1, L2 and refcount table entries: reserved bits, alignment, the file end', () => {
  const b = image();
  const h = decodeHeader('x.qcow2', b.subarray(0, CB), b.length);
  const t = new DataView(new ArrayBuffer(16));
  const entry = (hi: number, lo: number, k = 0): DataView => {
    t.setUint32(k * 8, hi);
    t.setUint32(k * 8 + 4, lo);
    return t;
  };
  const fileBytes = 10 * CB;
  assert.deepEqual(decodeL2('x', entry(0x8000_0000, 2 * CB), 0, h, fileBytes), {
    kind: 'data',
    host: 2 * CB,
    copied: true,
  });
  assert.deepEqual(decodeL2('x', entry(0, 1), 0, h, fileBytes), { kind: 'zero', host: 0, copied: false });
  assert.deepEqual(decodeL2('x', entry(0, 0), 0, h, fileBytes), { kind: 'unallocated' });
  const cases: [number, number, RegExp][] = [
    [0, 2 * CB + 2, /L2 entry 0 = 0x0000000000020002: reserved bits are set/],
    [0x0100_0000, 2 * CB, /reserved bits are set/],
    [0, 2 * CB + 512, /offset 131584 is not a multiple of the cluster size 65536/],
    [0x8000_0000, 0, /no host offset but bit 63 \(copied\) is set/],
    [0, 20 * CB, /offset 1310720 is past the end of the file \(655360 bytes\)/],
  ];
  for (const [hi, lo, message] of cases)
    assert.throws(() => decodeL2('x', entry(hi, lo), 0, h, fileBytes), message);
  assert.throws(
    () => decodeTableEntry('x', 'L1', entry(0, 0x200), 0, h, fileBytes, true),
    /L1 entry 0 = 0x0000000000000200: offset 512 is not a multiple/,
  );
  assert.throws(
    () => decodeTableEntry('x', 'L1', entry(0, 0x10), 0, h, fileBytes, true),
    /L1 entry 0 = .*reserved bits are set/,
  );
  assert.throws(
    () => decodeTableEntry('x', 'refcount table', entry(0x8000_0000, 2 * CB), 0, h, fileBytes, false),
    /refcount table entry 0 = .*reserved bits are set/,
  );
  assert.throws(
    () => decodeTableEntry('x', 'L1', entry(0, 10 * CB), 0, h, fileBytes, true),
    /offset 655360 is past the end of the file/,
  );
});

test('refcount entries: narrower than a byte from bit 0 up, wider ones big-endian', () => {
  const b1 = new Uint8Array(2);
  setRefcount(b1, 0, 0, 1);
  setRefcount(b1, 9, 0, 1);
  assert.deepEqual([...b1], [0b0000_0001, 0b0000_0010]);
  const b2 = new Uint8Array(1);
  setRefcount(b2, 1, 1, 3);
  assert.deepEqual([...b2], [0b0000_1100]);
  assert.equal(getRefcount(b2, 1, 1), 3);
  const b16 = new Uint8Array(4);
  setRefcount(b16, 1, 4, 0x1234);
  assert.deepEqual([...b16], [0, 0, 0x12, 0x34]);
  assert.equal(getRefcount(b16, 1, 4), 0x1234);
  const b64 = new Uint8Array(8);
  setRefcount(b64, 0, 6, 1);
  assert.deepEqual([...b64], [0, 0, 0, 0, 0, 0, 0, 1]);
});
