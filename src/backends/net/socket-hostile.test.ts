// The unix stream backend against peers that misbehave or leave at awkward moments: a receive
// buffer overrun drops the peer with its reason, nothing after a bad length is delivered, and
// whole frames a peer sent before leaving are still delivered after a pause.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFrame } from './framing.js';
import { StreamNetBackend } from './socket.js';

const frame = (len: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: len }, (_, i) => (i + seed) & 0xff);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** A listening backend in a temporary directory and a raw peer connected to it. */
async function withPeer(
  opts: { maxRxBufferedBytes?: number },
  body: (b: StreamNetBackend, peer: net.Socket, warnings: string[]) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-net-hostile-'));
  const warnings: string[] = [];
  const b = await StreamNetBackend.listen(join(dir, 's.sock'), { ...opts, warn: (m) => warnings.push(m) });
  const peer = net.connect(join(dir, 's.sock'));
  peer.on('error', () => {});
  try {
    await waitFor(() => b.connected, 'peer');
    await body(b, peer, warnings);
  } finally {
    peer.destroy();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('unix stream: a peer overrunning the receive bound is dropped with the reason, never thrown', async () => {
  // A bound below one frame stands in for a runtime that would deliver bigger reads.
  await withPeer({ maxRxBufferedBytes: 1000 }, async (b, peer, warnings) => {
    const got: Uint8Array[] = [];
    b.onReceive((f) => got.push(f));
    peer.write(encodeFrame(frame(3000, 1)));
    await waitFor(() => !b.connected, 'the drop');
    assert.equal(b.streamMetrics.framingErrors, 1);
    assert.match(
      b.streamMetrics.lastDropReason,
      /receive buffer overrun: \d+ bytes held and \d+ more received/,
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^net socket .*s\.sock: dropped the peer: receive buffer overrun/);
    assert.deepEqual(got, []);
    assert.ok(b.rxPeakBufferedBytes <= 1000);
  });
});

test('unix stream: after a bad length nothing more of that peer is delivered', async () => {
  await withPeer({}, async (b, peer, warnings) => {
    const got: Uint8Array[] = [];
    b.onReceive((f) => got.push(f));
    // Paused, the reads pile up in the socket as separate chunks: the bad length, then what
    // looks like a frame. Resumed, they are handed over one after the other.
    b.pause();
    await sleep(20);
    peer.write(encodeFrame(frame(30, 1)));
    await sleep(30);
    peer.write(Uint8Array.of(0, 0, 0, 0));
    for (let k = 0; k < 4; k++) {
      await sleep(30);
      peer.write(encodeFrame(frame(40, 2 + k)));
    }
    await sleep(50);
    b.resume();
    await waitFor(() => !b.connected, 'the drop');
    await sleep(50);
    assert.deepEqual(got, [frame(30, 1)]);
    assert.equal(b.streamMetrics.framingErrors, 1, warnings.join('\n'));
    assert.match(warnings.join('\n'), /dropped the peer: stream frame length 0 is outside 1\.\.65553/);
  });
});

test('unix stream: whole frames sent just before the peer left are delivered after a pause', async () => {
  await withPeer({}, async (b, peer) => {
    const got: Uint8Array[] = [];
    // The receiver fills up at the first frame: the rest wait in the decoder.
    b.onReceive((f) => {
      got.push(f);
      b.pause();
    });
    const frames = [frame(100, 1), frame(200, 2), frame(300, 3)];
    peer.end(Uint8Array.from(frames.flatMap((f) => Array.from(encodeFrame(f)))));
    // The socket reports the end although paused (its own buffer is empty): the peer is gone.
    await waitFor(() => !b.connected, 'detach');
    assert.equal(got.length, 1);
    b.onReceive((f) => got.push(f));
    b.resume();
    await waitFor(() => got.length === 3, 'held frames');
    assert.deepEqual(got, frames);
    assert.equal(b.metrics.rxDropped, 0);
  });
});
