// The snapshot container (docs/snapshot-format.md): what is written reads back; only non-zero
// pages are stored; a file of another version, another machine, corrupt or cut short is refused
// with an error naming what is wrong, and never makes the reader allocate beyond the file.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeNetStates,
  decodeSnapshot,
  decodeSnapshotFrom,
  encodeNetStates,
  describeDifferences,
  encodeSnapshot,
  nonZeroPages,
  PAGE_BYTES,
  SnapshotError,
  type MachineDescription,
} from './format.js';

const DESC: MachineDescription = {
  machine: 'virt',
  memoryBytes: 64 * PAGE_BYTES,
  harts: 2,
  isa: 'i,m,a,f,d,c',
  firmware: 'builtin-sbi',
  consoleDevice: 'uart',
  devices: ['virtio-blk', 'virtio-net'],
};

function ram(): Uint8Array {
  const r = new Uint8Array(DESC.memoryBytes);
  r[0] = 1; // page 0
  r[5 * PAGE_BYTES + 4095] = 2; // page 5, its last byte
  r[6 * PAGE_BYTES] = 3; // page 6
  r[63 * PAGE_BYTES + 17] = 4; // the last page
  return r;
}

function file(board: unknown = { harts: ['x'] }): Uint8Array {
  const r = ram();
  // A plain Uint8Array: a Buffer's slice() would share the bytes the tests spoil.
  return new Uint8Array(Buffer.concat(encodeSnapshot(DESC, board, { bytes: r, pages: nonZeroPages(r) })));
}

function refused(bytes: Uint8Array, message: RegExp): void {
  assert.throws(
    () => decodeSnapshot(bytes),
    (e: unknown) => e instanceof SnapshotError && message.test(e.message),
  );
}

test('pages with any non-zero byte are stored, all-zero pages are not', () => {
  assert.deepEqual(nonZeroPages(ram()), [0, 5, 6, 63]);
  assert.deepEqual(nonZeroPages(new Uint8Array(8 * PAGE_BYTES)), []);
});

test('what is written reads back: description, state and each stored page', () => {
  const s = decodeSnapshot(file({ a: [1, '2'] }));
  assert.deepEqual(s.desc, DESC);
  assert.deepEqual(s.board, { a: [1, '2'] });
  assert.deepEqual(Array.from(s.ramPages), [0, 5, 6, 63]);
  const r = ram();
  s.ramPages.forEach((p, k) =>
    assert.deepEqual(
      s.ramData.subarray(k * PAGE_BYTES, (k + 1) * PAGE_BYTES),
      r.subarray(p * PAGE_BYTES, (p + 1) * PAGE_BYTES),
    ),
  );
});

test('the RAM pages start at a multiple of 4096 in the file, whatever the state before them', () => {
  for (let n = 0; n < 4200; n += 419) {
    const f = file({ pad: 'x'.repeat(n) });
    const s = decodeSnapshot(f);
    assert.equal(s.ramDataOffset % PAGE_BYTES, 0, `state of ${n} more bytes`);
    // The first stored page (page 0) is there, and the next section follows the last page.
    assert.deepEqual(
      f.subarray(s.ramDataOffset, s.ramDataOffset + PAGE_BYTES),
      ram().subarray(0, PAGE_BYTES),
    );
    const end = s.ramDataOffset + s.ramPages.length * PAGE_BYTES;
    assert.equal(String.fromCharCode(...f.subarray(end, end + 4)), 'END ');
  }
});

test('reading from a source reads the header, state and page index, never a RAM page', () => {
  const f = file();
  const reads: [number, number][] = [];
  const s = decodeSnapshotFrom({
    sizeBytes: f.length,
    read: (at, len) => {
      reads.push([at, len]);
      return f.slice(at, at + len);
    },
  });
  assert.deepEqual(Array.from(s.ramPages), [0, 5, 6, 63]);
  assert.deepEqual(s.board, { harts: ['x'] });
  const pagesEnd = s.ramDataOffset + 4 * PAGE_BYTES;
  for (const [at, len] of reads)
    assert.ok(at + len <= s.ramDataOffset || at >= pagesEnd, `read of ${len} bytes at ${at} is in RAM`);
});

test('a file without the PAD section (RAM pages anywhere) reads the same', () => {
  const r = ram();
  const parts = encodeSnapshot(DESC, { a: 1 }, { bytes: r, pages: nonZeroPages(r) });
  const padAt = parts.findIndex(
    (p) => p.length === 24 && String.fromCharCode(...p.subarray(0, 4)) === 'PAD ',
  );
  assert.ok(padAt > 0, 'a PAD section is written');
  parts.splice(padAt, 2);
  const s = decodeSnapshot(new Uint8Array(Buffer.concat(parts)));
  assert.notEqual(s.ramDataOffset % PAGE_BYTES, 0);
  s.ramPages.forEach((p, k) =>
    assert.deepEqual(
      s.ramData.subarray(k * PAGE_BYTES, (k + 1) * PAGE_BYTES),
      r.subarray(p * PAGE_BYTES, (p + 1) * PAGE_BYTES),
    ),
  );
});

test('another format version, or not a snapshot at all, is refused', () => {
  const f = file();
  const v2 = f.slice();
  new DataView(v2.buffer).setUint32(8, 2, true);
  refused(v2, /format version 2 is not supported \(this build reads version 1\)/);
  refused(new TextEncoder().encode('#!/bin/sh\necho not a snapshot at all\n'), /not a tsvirt snapshot/);
  refused(new Uint8Array(0), /not a tsvirt snapshot/);
});

test('every cut of the file is refused with an error, never a host exception', () => {
  const f = file();
  for (let len = 0; len < f.length; len += len < 200 ? 1 : 997) {
    assert.throws(
      () => decodeSnapshot(f.subarray(0, len)),
      (e: unknown) => e instanceof SnapshotError,
      `cut at ${len}`,
    );
  }
});

test('a flipped byte in the description or the state is caught by its checksum', () => {
  const f = file();
  const a = f.slice();
  a[40] ^= 1; // in the description
  refused(a, /machine description: checksum mismatch/);
  const boardAt = Buffer.from(f).indexOf('{"harts"');
  const b = f.slice();
  b[boardAt + 3] ^= 0x20;
  refused(b, /section 'BORD': checksum mismatch/);
});

test('a RAM section that claims more pages than RAM, or pages out of order, is refused', () => {
  const f = file();
  const at = Buffer.from(f).indexOf('RAM ');
  const payload = at + 24;
  const more = f.slice();
  new DataView(more.buffer).setUint32(payload + 4, 0xffffffff, true);
  refused(more, /4294967295 pages, more than RAM holds \(64\)/);
  const order = f.slice();
  new DataView(order.buffer).setUint32(payload + 8 + 4, 0, true); // the second page number = the first
  refused(order, /page 0 is out of order or beyond RAM/);
  const huge = f.slice();
  new DataView(huge.buffer).setUint32(at + 12, 0x7fffffff, true); // a length of about 2^63
  refused(huge, /section 'RAM ': truncated/);
});

test('the differences between two machines name each field', () => {
  const other = { ...DESC, harts: 4, devices: ['virtio-blk'] };
  assert.deepEqual(describeDifferences(DESC, other), [
    'harts: saved 2, this machine 4',
    'devices: saved ["virtio-blk","virtio-net"], this machine ["virtio-blk"]',
  ]);
  assert.deepEqual(describeDifferences(DESC, { ...DESC }), []);
});

test("the NICs' states (SLRP) read back from a snapshot; a malformed payload is named", () => {
  const states = [
    { nic: 1, version: 4, bytes: Uint8Array.of(9, 8, 7) },
    { nic: 0, version: 4, bytes: new Uint8Array(0) },
  ];
  const r = ram();
  const nets = encodeNetStates(states);
  const f = new Uint8Array(
    Buffer.concat(
      encodeSnapshot(DESC, { a: 1 }, { bytes: r, pages: nonZeroPages(r) }, [{ tag: 'SLRP', payload: nets }]),
    ),
  );
  const s = decodeSnapshot(f);
  assert.deepEqual(s.nets, nets);
  assert.deepEqual(decodeNetStates(s.nets ?? new Uint8Array(0), 2), states);
  assert.equal(s.ramDataOffset % PAGE_BYTES, 0, 'RAM stays aligned after the extra section');
  assert.equal(decodeSnapshot(file()).nets, undefined);
  const bad = (b: Uint8Array, nics: number, message: RegExp): void =>
    assert.throws(
      () => decodeNetStates(b, nics),
      (e: unknown) => e instanceof SnapshotError && message.test(e.message),
    );
  bad(nets, 1, /NIC 1 is not one of this machine's 1/);
  bad(nets.subarray(0, nets.length - 1), 2, /truncated/);
  bad(Uint8Array.of(...nets, 0), 2, /bytes after the last state/);
  const v2 = nets.slice();
  v2[0] = 2;
  bad(v2, 2, /format version 2 is not supported/);
  bad(encodeNetStates([states[1], states[1]]), 2, /NIC 0 .*twice/);
});
