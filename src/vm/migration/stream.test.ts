// The migration stream's reader (docs/snapshot-format.md, "Migration stream"): what the source
// writes reads back in any chunking; a stream that is cut, corrupt, of another machine or hostile
// (huge lengths, pages beyond RAM, sections out of order) is a SnapshotError naming what is wrong,
// never a host exception, and the reader never buffers more than one bounded section.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../core/prng.js';
import {
  PAGE_BYTES,
  SECTION_HEADER_BYTES,
  sectionHeader,
  SnapshotError,
  type MachineDescription,
} from '../snapshot/format.js';
import {
  applyPages,
  encodePages,
  encodeStreamEnd,
  encodeStreamHeader,
  MAX_PAGES_PER_SECTION,
  MigrationStreamReader,
  type StreamEvent,
} from './stream.js';

const RAM = 64 * PAGE_BYTES;
const DESC: MachineDescription = {
  machine: 'virt',
  memoryBytes: RAM,
  harts: 1,
  isa: 'i,m,a,f,d,c',
  firmware: 'builtin-sbi',
  consoleDevice: 'uart',
  devices: ['virtio-blk'],
};

function source(): Uint8Array {
  const r = new Uint8Array(RAM);
  for (let p = 0; p < 64; p++) r[p * PAGE_BYTES + (p % 4096)] = p + 1;
  return r;
}

/** A whole stream: two passes (the second resends pages 3 and 60 changed), state, END. */
function stream(): Uint8Array {
  const ram = source();
  const parts = [encodeStreamHeader(DESC), encodePages(ram, [0, 3, 5, 60])];
  ram[3 * PAGE_BYTES] = 0xaa;
  ram[60 * PAGE_BYTES + 1] = 0xbb;
  parts.push(encodePages(ram, [3, 60]), ...encodeStreamEnd({ harts: ['x'] }));
  return new Uint8Array(Buffer.concat(parts));
}

/** Feed `bytes` in chunks of `chunk` bytes; the events, and RAM as applied. */
function read(bytes: Uint8Array, chunk: number): { events: StreamEvent[]; ram: Uint8Array } {
  const r = new MigrationStreamReader(RAM);
  const ram = new Uint8Array(RAM);
  const events: StreamEvent[] = [];
  for (let at = 0; at < bytes.length; at += chunk) {
    for (const ev of r.push(bytes.subarray(at, at + chunk))) {
      events.push(ev);
      if (ev.kind === 'pages') applyPages(ram, ev.pages, ev.data);
    }
  }
  r.finish();
  return { events, ram };
}

const refused = (bytes: Uint8Array, message: RegExp, chunk = bytes.length || 1): void => {
  assert.throws(
    () => read(bytes, chunk),
    (e: unknown) => e instanceof SnapshotError && message.test(e.message),
  );
};

test('what the source writes reads back, the later copy of a page winning, in any chunking', () => {
  const s = stream();
  for (const chunk of [1, 7, 4096, 100_000]) {
    const { events, ram } = read(s, chunk);
    assert.deepEqual(
      events.map((e) => e.kind),
      ['description', 'pages', 'pages', 'board', 'end'],
    );
    assert.deepEqual((events[0] as { desc: MachineDescription }).desc, DESC);
    assert.deepEqual((events[3] as { board: unknown }).board, { harts: ['x'] });
    const want = new Uint8Array(RAM);
    const src = source();
    for (const p of [0, 3, 5, 60])
      want.set(src.subarray(p * PAGE_BYTES, (p + 1) * PAGE_BYTES), p * PAGE_BYTES);
    want[3 * PAGE_BYTES] = 0xaa;
    want[60 * PAGE_BYTES + 1] = 0xbb;
    assert.ok(Buffer.compare(ram, want) === 0, `chunk ${chunk}`);
  }
});

test('a stream cut anywhere is refused when it closes: never a host exception', () => {
  const s = stream();
  for (let n = 0; n < s.length; n += n < 200 ? 1 : 997)
    refused(s.subarray(0, n), /closed before|ended early/);
});

test('another magic, version, or machine size is refused at the header', () => {
  const s = stream();
  const bad = s.slice();
  bad[0] = 0x58;
  refused(bad, /not a tsvirt migration stream/);
  const v2 = s.slice();
  v2[8] = 2;
  refused(v2, /version 2 is not supported/);
  const other = new MigrationStreamReader(2 * RAM);
  assert.throws(
    () => other.push(s),
    (e: unknown) =>
      e instanceof SnapshotError && /memoryBytes: sent 262144, this machine 524288/.test(e.message),
  );
});

test('hostile lengths are refused before anything is buffered for them', () => {
  const head = encodeStreamHeader(DESC);
  const big = (tag: string, len: number) => new Uint8Array(Buffer.concat([head, sectionHeader(tag, len, 0)]));
  // The header alone says it: no payload bytes follow, yet the reader refuses at once.
  refused(
    big('PAGE', 8 + (MAX_PAGES_PER_SECTION + 1) * (4 + PAGE_BYTES)),
    /section 'PAGE': \d+ bytes, more than/,
  );
  refused(big('BORD', 2 ** 40), /section 'BORD': \d+ bytes, more than/);
  refused(big('XTRA', 2 ** 31), /section 'XTRA': \d+ bytes, more than/);
  refused(big('END ', 1), /section 'END ': 1 bytes/);
  const desc = head.slice();
  new DataView(desc.buffer).setUint32(16, 2 ** 31, true);
  refused(desc, /machine description: \d+ bytes is more than/);
});

test('a PAGE section with a page beyond RAM, a wrong count, or after the state is refused', () => {
  const head = encodeStreamHeader(DESC);
  const ram = source();
  const beyond = encodePages(new Uint8Array(RAM * 2), [64]);
  refused(new Uint8Array(Buffer.concat([head, beyond])), /page 64 is beyond RAM/);
  const miscount = encodePages(ram, [1, 2]);
  new DataView(miscount.buffer).setUint32(SECTION_HEADER_BYTES + 4, 3, true);
  refused(new Uint8Array(Buffer.concat([head, miscount])), /do not hold 3 pages/);
  const [bord, bordData, end] = encodeStreamEnd({});
  refused(
    new Uint8Array(Buffer.concat([head, bord, bordData, encodePages(ram, [1]), end])),
    /after the board's state/,
  );
  refused(new Uint8Array(Buffer.concat([head, bord, bordData, bord, bordData, end])), /appears twice/);
  refused(new Uint8Array(Buffer.concat([head, end])), /END before the 'BORD' section/);
  refused(new Uint8Array(Buffer.concat([stream(), Uint8Array.of(0)])), /bytes after the END section/);
  const flipped = new Uint8Array(Buffer.concat([head, bord, bordData, end]));
  flipped[head.length + SECTION_HEADER_BYTES] ^= 1;
  refused(flipped, /section 'BORD': checksum mismatch/);
});

test('random corruption of a stream is a SnapshotError or a stream that still parses, never anything else', () => {
  const s = stream();
  const rand = mulberry32(22);
  for (let k = 0; k < 2000; k++) {
    const bad = s.slice();
    for (let n = 1 + (rand() % 4); n > 0; n--) bad[rand() % bad.length] = rand() & 0xff;
    try {
      read(bad, 1 + (rand() % 9000));
    } catch (e) {
      assert.ok(e instanceof SnapshotError, `case ${k}: ${String(e)}`);
    }
  }
});

test("the NICs' states (SLRP) read back before the board's; a corrupt one is refused", () => {
  const nets = Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0);
  const bytes = new Uint8Array(
    Buffer.concat([encodeStreamHeader(DESC), encodePages(source(), [1]), ...encodeStreamEnd({ b: 1 }, nets)]),
  );
  const events = new MigrationStreamReader(RAM).push(bytes);
  assert.deepEqual(
    events.map((e) => e.kind),
    ['description', 'pages', 'nets', 'board', 'end'],
  );
  const got = events.find((e) => e.kind === 'nets');
  assert.deepEqual(got?.kind === 'nets' ? got.payload : undefined, nets);
  const at = Buffer.from(bytes).indexOf('SLRP');
  const bad = bytes.slice();
  bad[at + SECTION_HEADER_BYTES] ^= 1;
  assert.throws(
    () => new MigrationStreamReader(RAM).push(bad),
    (e: unknown) => e instanceof SnapshotError && /section 'SLRP': checksum mismatch/.test(e.message),
  );
});
