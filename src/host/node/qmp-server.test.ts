// The QMP server on real sockets: the greeting on connect over TCP and Unix sockets, several
// clients at once each with its own session, events to every negotiated client, a client that
// never reads dropped at the output bound, and a stale socket file replaced.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { QmpCommand } from '../../monitor/qmp-protocol.js';
import { MAX_UNREAD_BYTES, QmpListenError, QmpServer } from './qmp-server.js';

const VERSION = { qemu: { major: 0, minor: 1, micro: 0 }, package: 'test' };
const dir = mkdtempSync(join(tmpdir(), 'tsvirt-qmp-server-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** A client that collects the server's CRLF-terminated messages. */
function client(socket: Socket) {
  const got: Record<string, unknown>[] = [];
  let buf = '';
  let closed = false;
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    buf += d;
    for (let nl = buf.indexOf('\r\n'); nl >= 0; nl = buf.indexOf('\r\n')) {
      got.push(JSON.parse(buf.slice(0, nl)) as Record<string, unknown>);
      buf = buf.slice(nl + 2);
    }
  });
  socket.on('close', () => (closed = true));
  socket.on('error', () => {});
  const until = async (n: number): Promise<void> => {
    for (let k = 0; k < 200 && got.length < n; k++) await sleep(10);
    assert.ok(got.length >= n, `${got.length} messages, wanted ${n}: ${JSON.stringify(got)}`);
  };
  return { got, until, closed: () => closed, socket };
}

const big: QmpCommand = { name: 'big', params: {}, run: () => 'x'.repeat(64 * 1024) };

test('TCP: the greeting on connect, the first client awaited, sessions apart, events to the negotiated', async () => {
  const s = await QmpServer.listen(
    { kind: 'tcp', host: '127.0.0.1', port: 0, wait: true },
    VERSION,
    new Map(),
  );
  try {
    let first = false;
    void s.waitForClient().then(() => (first = true));
    await sleep(20);
    assert.equal(first, false);
    const port = s.port ?? 0;
    const a = client(connect(port, '127.0.0.1'));
    const b = client(connect(port, '127.0.0.1'));
    await a.until(1);
    await b.until(1);
    assert.ok(first);
    assert.deepEqual(a.got[0], { QMP: { version: VERSION, capabilities: [] } });
    a.socket.write('{"execute": "qmp_capabilities"}\n');
    await a.until(2);
    s.broadcast('STOP');
    await a.until(3);
    assert.equal(a.got[2].event, 'STOP');
    await sleep(50);
    assert.equal(b.got.length, 1, 'no event before negotiation');
    b.socket.write('{"execute": "query-status"}');
    await b.until(2);
    assert.equal((b.got[1].error as { class: string }).class, 'CommandNotFound');
    a.socket.destroy();
    b.socket.destroy();
  } finally {
    await s.close();
  }
});

test('a client that never reads is dropped once its unread output passes the bound', async () => {
  const path = join(dir, 'deaf.sock');
  const s = await QmpServer.listen({ kind: 'unix', path, wait: false }, VERSION, new Map([['big', big]]));
  try {
    const sock = connect(path);
    let closed = false;
    sock.on('close', () => (closed = true));
    sock.on('error', () => {});
    sock.pause();
    sock.write('{"execute": "qmp_capabilities"}');
    const needed = Math.ceil((4 * MAX_UNREAD_BYTES) / (64 * 1024));
    for (let k = 0; k < needed && !closed; k++) {
      sock.write('{"execute": "big"}');
      await sleep(5);
    }
    for (let k = 0; k < 200 && !closed; k++) await sleep(10);
    assert.ok(closed, 'the server dropped the client');
    // The server still serves others.
    const c = client(connect(path));
    await c.until(1);
    c.socket.destroy();
  } finally {
    await s.close();
  }
  assert.ok(!existsSync(path), 'the socket file is removed at close');
});

test('Unix: a stale socket file is replaced; a regular file there is an error', async () => {
  const path = join(dir, 'stale.sock');
  // A process killed while it listens leaves its socket file behind.
  const script = `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
  spawnSync(process.execPath, ['-e', script]);
  assert.ok(existsSync(path), 'a stale socket file');
  const s = await QmpServer.listen({ kind: 'unix', path, wait: false }, VERSION, new Map());
  await s.close();
  const file = join(dir, 'file');
  writeFileSync(file, 'keep me');
  await assert.rejects(
    QmpServer.listen({ kind: 'unix', path: file, wait: false }, VERSION, new Map()),
    (e: unknown) => e instanceof QmpListenError && e.message.includes(file),
  );
  assert.ok(existsSync(file));
});
