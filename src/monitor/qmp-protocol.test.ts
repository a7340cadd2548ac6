// QMP's protocol layer against the QMP specification (QEMU docs/interop/qmp-spec.rst): the
// greeting, capabilities negotiation, replies with their id, error classes, events only in
// command mode, and framing of a byte stream however it is cut, with hostile input bounded.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  JsonFramer,
  MAX_MESSAGE_BYTES,
  MAX_QUEUED_COMMANDS,
  QmpError,
  QmpSession,
  type Framed,
  type QmpCommand,
  type QmpObject,
} from './qmp-protocol.js';

const VERSION = { qemu: { major: 1, minor: 2, micro: 3 }, package: 'test' };
const enc = new TextEncoder();
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** A session over a fake connection, with the messages it sent parsed. */
function session(commands: QmpCommand[] = []) {
  const sent: QmpObject[] = [];
  const reading: boolean[] = [];
  let ended = false;
  const s = new QmpSession(
    {
      send: (text) => sent.push(JSON.parse(text) as QmpObject),
      setReading: (on) => reading.push(on),
      end: () => (ended = true),
    },
    VERSION,
    new Map(commands.map((c) => [c.name, c])),
  );
  const send = async (text: string): Promise<void> => {
    s.feed(enc.encode(text));
    await tick();
  };
  return { s, sent, reading, send, ended: () => ended };
}

const echo: QmpCommand = { name: 'echo', params: { text: 'str', '?n': 'int', '?b': 'bool' }, run: (a) => a };

test('the greeting names the version and offers no capability', () => {
  const { s, sent } = session();
  s.greet();
  assert.deepEqual(sent, [{ QMP: { version: VERSION, capabilities: [] } }]);
});

test('negotiation mode: commands before qmp_capabilities get CommandNotFound; after it they run', async () => {
  const { sent, send } = session([echo]);
  await send('{"execute": "echo", "arguments": {"text": "x"}, "id": 1}');
  assert.equal((sent[0].error as QmpObject).class, 'CommandNotFound');
  assert.equal(sent[0].id, 1);
  await send('{"execute": "qmp_capabilities"}');
  assert.deepEqual(sent[1], { return: {} });
  await send('{"execute": "echo", "arguments": {"text": "x"}, "id": 2}');
  assert.deepEqual(sent[2], { return: { text: 'x' }, id: 2 });
  await send('{"execute": "qmp_capabilities", "id": 3}');
  assert.equal((sent[3].error as QmpObject).class, 'CommandNotFound');
});

test('qmp_capabilities refuses a capability that was not offered (oob) and unknown ones', async () => {
  const { sent, send } = session();
  await send('{"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}}');
  await send('{"execute": "qmp_capabilities", "arguments": {"enable": ["warp"]}}');
  await send('{"execute": "qmp_capabilities", "arguments": {"enable": "oob"}}');
  assert.deepEqual(
    sent.map((m) => (m.error as QmpObject).class),
    ['GenericError', 'GenericError', 'GenericError'],
  );
  await send('{"execute": "qmp_capabilities", "arguments": {"enable": []}}');
  assert.deepEqual(sent[3], { return: {} });
});

test('the id is echoed whatever JSON value it is, on success and on error', async () => {
  const { sent, send } = session([echo]);
  await send('{"execute": "qmp_capabilities"}');
  const ids = [7, 'abc', { a: [1, null] }, null, false];
  for (const id of ids) await send(JSON.stringify({ execute: 'echo', arguments: { text: 't' }, id }));
  for (const id of ids) await send(JSON.stringify({ execute: 'nope', id }));
  assert.deepEqual(
    sent.slice(1).map((m) => m.id),
    [...ids, ...ids],
  );
  assert.ok(sent.slice(1, 6).every((m) => 'return' in m));
  assert.ok(sent.slice(6).every((m) => (m.error as QmpObject).class === 'CommandNotFound'));
});

test('malformed requests get GenericError, and the session goes on', async () => {
  const { sent, send } = session([echo]);
  await send('{"execute": "qmp_capabilities"}');
  const bad = [
    '{"execute": "echo", "arguments": {"text": }}', // not JSON
    'garbage, several words of it\n',
    '[1, 2]',
    '"a string"',
    '42\n',
    '{"arguments": {}}', // no execute
    '{"execute": 5}',
    '{"execute": "echo", "arguments": [1]}',
    '{"execute": "echo", "arguments": {"text": "x"}, "extra": 1}',
    '}',
  ];
  for (const b of bad) await send(b);
  assert.equal(sent.length, 1 + bad.length);
  for (const m of sent.slice(1)) {
    assert.equal((m.error as QmpObject).class, 'GenericError', JSON.stringify(m));
    assert.equal(typeof (m.error as QmpObject).desc, 'string');
  }
  await send('{"execute": "echo", "arguments": {"text": "still here"}}');
  assert.deepEqual(sent.at(-1), { return: { text: 'still here' } });
});

test('arguments are checked: unexpected, missing and mistyped parameters', async () => {
  const { sent, send } = session([echo]);
  await send('{"execute": "qmp_capabilities"}');
  await send('{"execute": "echo", "arguments": {"text": "a", "x": 1}}');
  await send('{"execute": "echo", "arguments": {}}');
  await send('{"execute": "echo", "arguments": {"text": 1}}');
  await send('{"execute": "echo", "arguments": {"text": "a", "n": 1.5}}');
  await send('{"execute": "echo", "arguments": {"text": "a", "b": "yes"}}');
  const descs = sent.slice(1).map((m) => (m.error as QmpObject).desc);
  assert.deepEqual(descs, [
    "Parameter 'x' is unexpected",
    "Parameter 'text' is missing",
    "Invalid parameter type for 'text', expected: string",
    "Invalid parameter type for 'n', expected: integer",
    "Invalid parameter type for 'b', expected: boolean",
  ]);
});

test('a command error carries its class; an unexpected exception is a GenericError, not a crash', async () => {
  const { sent, send } = session([
    {
      name: 'missing',
      params: {},
      run: () => {
        throw new QmpError('DeviceNotFound', 'no such device');
      },
    },
    {
      name: 'broken',
      params: {},
      run: () => {
        throw new TypeError('oops');
      },
    },
  ]);
  await send('{"execute": "qmp_capabilities"}{"execute": "missing"}{"execute": "broken"}');
  assert.deepEqual(sent[1], { error: { class: 'DeviceNotFound', desc: 'no such device' } });
  assert.equal((sent[2].error as QmpObject).class, 'GenericError');
});

test('replies come in request order, a slow command included', async () => {
  let release!: () => void;
  const slow: QmpCommand = {
    name: 'slow',
    params: {},
    run: () => new Promise((r) => (release = () => r('slow'))),
  };
  const { sent, send } = session([slow, echo]);
  await send('{"execute": "qmp_capabilities"}');
  await send('{"execute": "slow", "id": 1}{"execute": "echo", "arguments": {"text": "b"}, "id": 2}');
  assert.equal(sent.length, 1);
  release();
  await tick();
  assert.deepEqual(
    sent.slice(1).map((m) => m.id),
    [1, 2],
  );
});

test('a client with many commands queued is not read until they are answered', async () => {
  let release!: () => void;
  const slow: QmpCommand = {
    name: 'slow',
    params: {},
    run: () => new Promise((r) => (release = () => r({}))),
  };
  const { reading, send, sent } = session([slow, echo]);
  await send('{"execute": "qmp_capabilities"}');
  await send(
    '{"execute": "slow"}' + '{"execute": "echo", "arguments": {"text": "x"}}'.repeat(MAX_QUEUED_COMMANDS),
  );
  assert.deepEqual(reading, [false]);
  release();
  await tick();
  assert.deepEqual(reading, [false, true]);
  assert.equal(sent.length, 2 + MAX_QUEUED_COMMANDS);
});

test('events reach only sessions in command mode, with a timestamp', async () => {
  const { s, sent, send } = session();
  s.event('STOP', undefined);
  assert.equal(sent.length, 0);
  await send('{"execute": "qmp_capabilities"}');
  s.event('SHUTDOWN', { guest: false, reason: 'host-qmp-quit' }, { seconds: 1700000000, microseconds: 5 });
  assert.deepEqual(sent[1], {
    event: 'SHUTDOWN',
    data: { guest: false, reason: 'host-qmp-quit' },
    timestamp: { seconds: 1700000000, microseconds: 5 },
  });
  s.event('STOP', undefined);
  const ts = sent[2].timestamp as QmpObject;
  assert.equal(sent[2].event, 'STOP');
  assert.ok(Number.isInteger(ts.seconds) && Number.isInteger(ts.microseconds));
  assert.ok((ts.microseconds as number) >= 0 && (ts.microseconds as number) < 1e6);
  assert.ok(Math.abs((ts.seconds as number) - Date.now() / 1000) < 5);
});

test('after the client ends its input, queued commands are answered and then the connection ends', async () => {
  const { s, sent, send, ended } = session([echo]);
  await send('{"execute": "qmp_capabilities"}{"execute": "echo", "arguments": {"text": "x"}}');
  s.endOfInput();
  assert.equal(sent.length, 2);
  assert.ok(ended());
});

/** The framer's messages for `chunks`. */
function frame(chunks: (string | Uint8Array)[], maxBytes?: number): Framed[] {
  const out: Framed[] = [];
  const f = new JsonFramer((m) => out.push(m), maxBytes);
  for (const c of chunks) f.feed(typeof c === 'string' ? enc.encode(c) : c);
  return out;
}

test('framing: messages are found however the stream is cut', () => {
  const text = '{"execute": "a", "arguments": {"s": "}{\\"\\\\", "n": [1, {"x": []}]}}\r\n{"execute":"b"}  ';
  const whole = frame([text]);
  assert.deepEqual(
    whole.map((m) => ('text' in m ? JSON.parse(m.text) : m)),
    [{ execute: 'a', arguments: { s: '}{"\\', n: [1, { x: [] }] } }, { execute: 'b' }],
  );
  const bytes = enc.encode(text);
  assert.deepEqual(frame([...bytes].map((b) => Uint8Array.of(b))), whole);
  for (let cut = 1; cut < bytes.length; cut += 7) {
    assert.deepEqual(frame([bytes.subarray(0, cut), bytes.subarray(cut)]), whole);
  }
  // A multi-byte UTF-8 character split between chunks.
  const e = enc.encode('{"s": "é€"}');
  assert.deepEqual(frame([e.subarray(0, 8), e.subarray(8)]), [{ text: '{"s": "é€"}' }]);
});

test('framing: a message over the limit is one error, skipped without being held; the next one is read', () => {
  const limit = 1000;
  const big = `{"execute": "x", "arguments": {"s": "${'a'.repeat(5000)}", "t": "}"}}`;
  const out = frame([big.slice(0, 700), big.slice(700, 3000), big.slice(3000), '{"execute": "next"}'], limit);
  assert.equal(out.length, 2);
  assert.ok('error' in out[0] && /too large/.test(out[0].error));
  assert.deepEqual(out[1], { text: '{"execute": "next"}' });
  assert.ok(MAX_MESSAGE_BYTES >= 64 * 1024 && MAX_MESSAGE_BYTES <= 16 * 1024 * 1024);
  // A long top-level scalar too.
  const scalar = frame(['1'.repeat(3000), '\n{}'], limit);
  assert.equal(scalar.length, 2);
  assert.ok('error' in scalar[0]);
});

test('framing: nesting deeper than the limit is an error, and the stream recovers', () => {
  const deep = '['.repeat(5000) + ']'.repeat(5000);
  const out = frame([deep, '{}']);
  assert.equal(out.length, 2);
  assert.ok('error' in out[0]);
  assert.deepEqual(out[1], { text: '{}' });
});

test('framing: invalid UTF-8 is an error', () => {
  const out = frame([Uint8Array.of(0x7b, 0x22, 0x61, 0xff, 0x22, 0x3a, 0x31, 0x7d)]);
  assert.equal(out.length, 1);
  assert.ok('error' in out[0]);
});
