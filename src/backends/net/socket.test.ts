// Socket backends over loopback UDP and a unix socket in a temporary directory: frames both ways,
// framing across partial reads and batched writes, peer disconnects, reconnects and backpressure.
// Every test closes what it opens, so the process exits without stray handles.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFrame } from './framing.js';
import { NetOpenError, openNetBackend, StreamNetBackend, UdpNetBackend } from './socket.js';
import { parseNetSpec } from './spec.js';

const frame = (len: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: len }, (_, i) => (i + seed) & 0xff);

/** Poll `cond` every few ms; fail after `timeoutMs`. */
async function waitFor(cond: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A temporary directory, removed after `body`. */
async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-net-'));
  try {
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A free loopback UDP port (bound then released; fine on loopback in a test). */
async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(r));
  return port;
}

function collect(b: { onReceive(cb: (f: Uint8Array) => void): void }): Uint8Array[] {
  const got: Uint8Array[] = [];
  b.onReceive((f) => got.push(f));
  return got;
}

test('udp: two backends exchange frames, one per datagram', async () => {
  const [pa, pb] = [await freeUdpPort(), await freeUdpPort()];
  const a = await openNetBackend(parseNetSpec(`udp,local=${pa},remote=${pb}`).backend);
  const b = await openNetBackend(parseNetSpec(`udp,local=${pb},remote=${pa}`).backend);
  try {
    const gotA = collect(a);
    const gotB = collect(b);
    const frames = [frame(60, 1), frame(1514, 2), frame(9000, 3)];
    for (const f of frames) a.send(f);
    b.send(frame(42, 9));
    await waitFor(() => gotB.length === 3 && gotA.length === 1, 'datagrams');
    assert.deepEqual(gotB, frames);
    assert.deepEqual(gotA, [frame(42, 9)]);
    assert.equal(a.metrics.txFrames, 3);
    assert.equal(b.metrics.rxBytes, 60 + 1514 + 9000);
  } finally {
    await a.close();
    await b.close();
  }
});

test('udp: datagrams from anyone but the remote are not delivered; too-big frames are dropped', async () => {
  const peer = dgram.createSocket('udp4');
  const stranger = dgram.createSocket('udp4');
  await new Promise<void>((r) => peer.bind(0, '127.0.0.1', r));
  await new Promise<void>((r) => stranger.bind(0, '127.0.0.1', r));
  const b = await UdpNetBackend.open(
    { host: '127.0.0.1', port: 0 },
    { host: '127.0.0.1', port: peer.address().port },
  );
  try {
    const got = collect(b);
    stranger.send(frame(60, 1), b.localPort, '127.0.0.1');
    await sleep(30);
    peer.send(frame(60, 2), b.localPort, '127.0.0.1');
    await waitFor(() => got.length === 1, 'peer datagram');
    await sleep(20);
    assert.deepEqual(got, [frame(60, 2)]);
    b.send(new Uint8Array(65508));
    assert.equal(b.metrics.txDropped, 1);
  } finally {
    await b.close();
    await new Promise<void>((r) => peer.close(r));
    await new Promise<void>((r) => stranger.close(r));
  }
});

test('udp: sending before the peer exists is harmless; bind errors name the backend', async () => {
  const port = await freeUdpPort();
  const a = await UdpNetBackend.open({ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port });
  try {
    a.send(frame(60, 1));
    a.send(frame(60, 2));
    await sleep(30);
    assert.equal(a.metrics.txFrames + a.metrics.txDropped, 2);
    const spec = parseNetSpec(`udp,local=${a.localPort},remote=${port}`).backend;
    await assert.rejects(openNetBackend(spec), (e: Error) => {
      return e instanceof NetOpenError && e.message.startsWith(`--net udp,local=127.0.0.1:${a.localPort}`);
    });
  } finally {
    await a.close();
  }
});

test('unix stream: listen and connect exchange frames both ways; close removes the socket file', async () => {
  await inTempDir(async (dir) => {
    const path = join(dir, 'a.sock');
    const server = (await openNetBackend(parseNetSpec(`socket,listen=${path}`).backend)) as StreamNetBackend;
    const client = (await openNetBackend(parseNetSpec(`socket,connect=${path}`).backend)) as StreamNetBackend;
    try {
      const gotS = collect(server);
      const gotC = collect(client);
      await waitFor(() => server.connected, 'accept');
      const frames = [frame(14, 0), frame(1514, 1), frame(65000, 2)];
      for (const f of frames) client.send(f);
      server.send(frame(99, 5));
      await waitFor(() => gotS.length === 3 && gotC.length === 1, 'frames');
      assert.deepEqual(gotS, frames);
      assert.deepEqual(gotC, [frame(99, 5)]);
    } finally {
      await client.close();
      await server.close();
    }
    assert.equal(existsSync(path), false);
  });
});

test('unix stream: partial reads and several frames per read from a raw peer', async () => {
  await inTempDir(async (dir) => {
    const path = join(dir, 'b.sock');
    const b = await StreamNetBackend.listen(path);
    const peer = net.connect(path);
    try {
      const got = collect(b);
      await new Promise((r) => peer.once('connect', r));
      // Three frames in one write.
      const batch = [frame(60, 1), frame(61, 2), frame(62, 3)];
      peer.write(Uint8Array.from(batch.flatMap((f) => Array.from(encodeFrame(f)))));
      await waitFor(() => got.length === 3, 'batch');
      // One frame in pieces: two bytes of prefix, the rest of the prefix and some data, the rest.
      const enc = encodeFrame(frame(1000, 4));
      for (const piece of [enc.subarray(0, 2), enc.subarray(2, 300), enc.subarray(300)]) {
        peer.write(piece);
        await sleep(10);
      }
      await waitFor(() => got.length === 4, 'pieces');
      assert.deepEqual(got, [...batch, frame(1000, 4)]);
    } finally {
      peer.destroy();
      await b.close();
    }
  });
});

test('unix stream: peer disconnect, sends dropped meanwhile, a new peer is accepted, extras refused', async () => {
  await inTempDir(async (dir) => {
    const path = join(dir, 'c.sock');
    const b = await StreamNetBackend.listen(path);
    const changes: boolean[] = [];
    b.onPeerChange((up) => changes.push(up));
    const got = collect(b);
    const first = net.connect(path);
    let second: net.Socket | undefined;
    let extra: net.Socket | undefined;
    try {
      await waitFor(() => b.connected, 'first peer');
      // A frame cut short by the disconnect is lost, not carried over to the next peer.
      first.end(encodeFrame(frame(100, 1)).subarray(0, 50));
      await waitFor(() => !b.connected, 'disconnect');
      b.send(frame(60, 0));
      assert.equal(b.metrics.txDropped, 1);

      second = net.connect(path);
      await waitFor(() => b.connected, 'second peer');
      extra = net.connect(path);
      const extraClosed = new Promise((r) => extra?.once('close', r));
      extra.on('error', () => {});
      await extraClosed;
      assert.equal(b.streamMetrics.peersRejected, 1);

      const fromPeer: Buffer[] = [];
      second.on('data', (d: Buffer) => fromPeer.push(d));
      second.write(encodeFrame(frame(70, 2)));
      b.send(frame(80, 3));
      await waitFor(() => got.length === 1 && Buffer.concat(fromPeer).length === 84, 'second exchange');
      assert.deepEqual(got, [frame(70, 2)]);
      assert.deepEqual(new Uint8Array(Buffer.concat(fromPeer)), encodeFrame(frame(80, 3)));
      assert.deepEqual(changes, [true, false, true]);
      assert.equal(b.metrics.rxDropped, 1, 'the truncated frame');
    } finally {
      first.destroy();
      second?.destroy();
      extra?.destroy();
      await b.close();
    }
  });
});

test('unix stream: a framing error drops the connection', async () => {
  await inTempDir(async (dir) => {
    const path = join(dir, 'd.sock');
    const b = await StreamNetBackend.listen(path);
    const peer = net.connect(path);
    peer.on('error', () => {});
    try {
      await waitFor(() => b.connected, 'peer');
      const closed = new Promise((r) => peer.once('close', r));
      peer.write(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 1, 2, 3));
      await closed;
      assert.equal(b.streamMetrics.framingErrors, 1);
      await waitFor(() => !b.connected, 'detach');
    } finally {
      peer.destroy();
      await b.close();
    }
  });
});

test('unix stream: the connecting side reconnects after the listener drops it', async () => {
  await inTempDir(async (dir) => {
    const path = join(dir, 'e.sock');
    const accepted: net.Socket[] = [];
    const server = net.createServer((s) => accepted.push(s));
    await new Promise<void>((r) => server.listen(path, r));
    const b = await StreamNetBackend.connect(path, 20);
    try {
      await waitFor(() => accepted.length === 1, 'first accept');
      accepted[0].destroy();
      await waitFor(() => !b.connected, 'drop');
      await waitFor(() => accepted.length === 2 && b.connected, 'reconnect');
      const data: Buffer[] = [];
      accepted[1].on('data', (d: Buffer) => data.push(d));
      b.send(frame(60, 6));
      await waitFor(() => Buffer.concat(data).length === 64, 'frame after reconnect');
    } finally {
      await b.close();
      for (const s of accepted) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});

test('unix stream: pause holds frames back until resume', async () => {
  await inTempDir(async (dir) => {
    const path = join(dir, 'f.sock');
    const b = await StreamNetBackend.listen(path);
    const peer = net.connect(path);
    try {
      const got: Uint8Array[] = [];
      // The receiver pauses after the first frame, as a device with a full queue would.
      b.onReceive((f) => {
        got.push(f);
        if (got.length === 1) b.pause();
      });
      await waitFor(() => b.connected, 'peer');
      peer.write(Uint8Array.from([1, 2, 3, 4].flatMap((s) => Array.from(encodeFrame(frame(60, s))))));
      await waitFor(() => got.length === 1, 'first frame');
      await sleep(30);
      assert.equal(got.length, 1, 'paused');
      b.resume();
      await waitFor(() => got.length === 4, 'resumed');
      assert.deepEqual(
        got,
        [1, 2, 3, 4].map((s) => frame(60, s)),
      );
    } finally {
      peer.destroy();
      await b.close();
    }
  });
});

test('unix stream: open errors name the backend; a stale socket file is replaced', async () => {
  await inTempDir(async (dir) => {
    const missing = join(dir, 'missing.sock');
    await assert.rejects(
      openNetBackend(parseNetSpec(`socket,connect=${missing}`).backend),
      (e: Error) =>
        e instanceof NetOpenError && e.message.startsWith(`--net socket,connect=${missing}: cannot connect`),
    );
    const file = join(dir, 'plain');
    writeFileSync(file, 'not a socket');
    await assert.rejects(
      openNetBackend(parseNetSpec(`socket,listen=${file}`).backend),
      /cannot listen on .*plain: .*EADDRINUSE/,
    );
    // A socket file left by a process that died while listening is replaced.
    const stale = join(dir, 'stale.sock');
    const child = `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`;
    spawnSync(process.execPath, ['-e', child], { timeout: 5000 });
    assert.equal(existsSync(stale), true, 'the dead listener left its socket file');
    const revived = await StreamNetBackend.listen(stale);
    const peer = net.connect(stale);
    try {
      await waitFor(() => revived.connected, 'peer on the replaced socket');
    } finally {
      peer.destroy();
      await revived.close();
    }
    // A listener that is in use is not replaced.
    const live = join(dir, 'live.sock');
    const first = await StreamNetBackend.listen(live);
    try {
      await assert.rejects(StreamNetBackend.listen(live), /EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
