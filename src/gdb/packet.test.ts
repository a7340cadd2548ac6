// RSP framing against the GDB manual's "Overview" of the Remote Protocol: checksums (the sum of
// the data bytes mod 256, two hex digits), acks, the interrupt byte, `}` escapes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ascii,
  escapeBinary,
  framePacket,
  fromHex,
  MAX_PACKET_BYTES,
  PacketReader,
  text,
  unescapeBinary,
} from './packet.js';

test('framePacket: $data#checksum, the sum of the bytes mod 256 in two lowercase hex digits', () => {
  // 'O' + 'K' = 0x4f + 0x4b = 0x9a.
  assert.equal(text(framePacket(ascii('OK'))), '$OK#9a');
  assert.equal(text(framePacket(ascii(''))), '$#00');
  // 0x67 ('g') alone.
  assert.equal(text(framePacket(ascii('g'))), '$g#67');
});

test('PacketReader: packets with good checksums, acks ignored, 0x03 an interrupt, bad sums reported', () => {
  const r = new PacketReader();
  const events = r.feed(ascii('+$g#67-$m0,4#fd\u0003$OK#00'));
  assert.deepEqual(
    events.map((e) => (e.kind === 'packet' ? text(e.data) : e.kind)),
    ['g', 'm0,4', 'interrupt', 'bad'],
  );
  // A packet split across reads.
  assert.deepEqual(r.feed(ascii('$q')), []);
  const [e] = r.feed(ascii('C#b4'));
  assert.equal(e.kind === 'packet' ? text(e.data) : e.kind, 'qC');
});

test('PacketReader: a packet longer than the announced size is refused, and the next one read', () => {
  const r = new PacketReader();
  const long = 'X'.repeat(MAX_PACKET_BYTES + 1);
  let sum = 0;
  for (const c of long) sum = (sum + c.charCodeAt(0)) & 0xff;
  const events = r.feed(ascii(`$${long}#${sum.toString(16).padStart(2, '0')}$g#67`));
  assert.deepEqual(
    events.map((e) => e.kind),
    ['bad', 'packet'],
  );
});

test('escapes: # $ } * become } and the byte xor 0x20, and back', () => {
  const raw = Uint8Array.from([0x23, 0x24, 0x7d, 0x2a, 0x41]);
  assert.deepEqual([...escapeBinary(raw)], [0x7d, 0x03, 0x7d, 0x04, 0x7d, 0x5d, 0x7d, 0x0a, 0x41]);
  assert.deepEqual([...unescapeBinary(escapeBinary(raw))], [...raw]);
  assert.deepEqual([...(fromHex('00ff7A') ?? [])], [0, 255, 0x7a]);
  assert.equal(fromHex('0'), undefined);
  assert.equal(fromHex('zz'), undefined);
});
