// A fuzzer for the stream framing (QEMU's `-netdev stream`: a 4-byte big-endian length, then the
// frame): random streams of valid frames, hostile lengths (0, above MAX_FRAME_BYTES, 2^32 - 1),
// garbage and streams cut short, split into random chunks. Each stream goes through FrameDecoder
// as the socket backend drives it, and some through a real StreamNetBackend over a unix socket,
// with the receiver pausing and resuming at random. Checked: nothing throws but the framing
// errors the stream calls for, the frames delivered are the stream's frames in order, a broken
// stream drops the peer with its reason, and the bytes held stay under MAX_BUFFERED_BYTES.
//
//   node dist/testing/backends/net/framing-fuzz.js --iterations N [--seed S] [--socket-every K]

import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prng as rng } from '../../../core/prng.js';
import { runFuzzCommand, U32_MAX } from '../../fuzz-args.js';
import { MAX_FRAME_BYTES } from '../../../backends/net/backend.js';
import {
  FrameDecoder,
  MAX_BUFFERED_BYTES,
  NetFramingError,
  NetOverrunError,
} from '../../../backends/net/framing.js';
import { StreamNetBackend } from '../../../backends/net/socket.js';

/** Largest chunk a Node socket read delivers (libuv reads into 64 KiB buffers). */
const READ_CHUNK_BYTES = 64 * 1024;

type Rand = () => number;

const int = (r: Rand, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

/** What the framing says a stream is: its frames, and how it ends. */
interface Expected {
  frames: Uint8Array[];
  /** clean: ends on a frame boundary; cut: ends inside a frame; framing: a bad length. */
  end: 'clean' | 'cut' | 'framing';
}

/** The framing, read straight from the description: length (big-endian u32), then the frame. */
function parse(stream: Uint8Array): Expected {
  const frames: Uint8Array[] = [];
  let at = 0;
  while (at < stream.length) {
    if (stream.length - at < 4) return { frames, end: 'cut' };
    const len = ((stream[at] << 24) | (stream[at + 1] << 16) | (stream[at + 2] << 8) | stream[at + 3]) >>> 0;
    if (len < 1 || len > MAX_FRAME_BYTES) return { frames, end: 'framing' };
    if (stream.length - at - 4 < len) return { frames, end: 'cut' };
    frames.push(stream.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return { frames, end: 'clean' };
}

/** A random stream: mostly valid frames, sometimes a hostile length, garbage, or a cut. */
function randomStream(r: Rand): Uint8Array {
  const parts: Uint8Array[] = [];
  const prefix = (len: number): Uint8Array => {
    const p = new Uint8Array(4);
    new DataView(p.buffer).setUint32(0, len, false);
    return p;
  };
  const frameLen = (): number =>
    pick(r, [
      1 + int(r, 64),
      60 + int(r, 1455),
      1 + int(r, MAX_FRAME_BYTES),
      MAX_FRAME_BYTES,
      MAX_FRAME_BYTES - 1,
      14,
    ]);
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(r, 256));
  let total = 0;
  for (let n = int(r, 12); n > 0 && total < 400 * 1024; n--) {
    const k = int(r, 100);
    let part: Uint8Array;
    if (k < 80) {
      // Big frames are rarer, so most streams stay small.
      const len = r() < 0.85 ? 1 + int(r, 1600) : frameLen();
      part = new Uint8Array(4 + len);
      part.set(prefix(len));
      part.fill(int(r, 256), 4);
      part[4] = n;
    } else if (k < 90) {
      const bad = pick(r, [
        0,
        MAX_FRAME_BYTES + 1,
        0xffffffff,
        0x80000000,
        MAX_FRAME_BYTES + 1 + int(r, 2 ** 24),
      ]);
      part = new Uint8Array([...prefix(bad), ...bytes(int(r, 64))]);
    } else if (k < 95) {
      part = bytes(1 + int(r, 32));
    } else {
      const len = frameLen();
      part = new Uint8Array([...prefix(len), ...bytes(Math.min(len - 1, int(r, 3000)))]);
    }
    parts.push(part);
    total += part.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Random chunk boundaries, from single bytes up to a whole socket read. */
function chunks(r: Rand, stream: Uint8Array, maxChunk = READ_CHUNK_BYTES): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < stream.length;) {
    const n = Math.min(
      stream.length - at,
      pick(r, [1, 2, 3, 4, 5, 7, int(r, 100), int(r, 4096), maxChunk]) || 1,
    );
    out.push(stream.slice(at, at + n));
    at += n;
  }
  return out;
}

const same = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

function checkFrames(got: Uint8Array[], want: Uint8Array[], where: string): void {
  if (got.length !== want.length)
    throw new Error(`${where}: ${got.length} frames delivered, the stream holds ${want.length}`);
  for (let k = 0; k < got.length; k++)
    if (!same(got[k], want[k])) throw new Error(`${where}: frame ${k} differs`);
}

/**
 * One stream through FrameDecoder the way the socket backend drives it: a chunk is pushed only
 * when no whole frame is waiting (the reader drains after each chunk, and a paused reader stops
 * reading). Returns the most bytes held.
 */
function decoderCase(r: Rand): number {
  const stream = randomStream(r);
  const want = parse(stream);
  const d = new FrameDecoder();
  const got: Uint8Array[] = [];
  let failed: unknown;
  const drain = (): void => {
    for (let f = d.next(); f !== undefined; f = d.next()) got.push(f);
  };
  for (const c of chunks(r, stream)) {
    d.push(c);
    if (d.buffered > MAX_BUFFERED_BYTES) throw new Error(`decoder holds ${d.buffered} bytes`);
    try {
      drain();
    } catch (e) {
      failed = e;
      break;
    }
  }
  if (want.end === 'framing') {
    if (!(failed instanceof NetFramingError))
      throw new Error(`decoder: a bad length gave ${String(failed)}, not NetFramingError`);
  } else if (failed !== undefined) {
    throw new Error(`decoder threw ${String(failed)} on a stream with no bad length`);
  } else if ((d.buffered === 0) !== (want.end === 'clean')) {
    throw new Error(`decoder: ${d.buffered} bytes left over at the end of a ${want.end} stream`);
  }
  checkFrames(got, want.frames, 'decoder');
  // The bound that holds under that discipline: one incomplete frame and its prefix, one read.
  if (d.peakBuffered > 4 + MAX_FRAME_BYTES - 1 + READ_CHUNK_BYTES)
    throw new Error(`decoder peak ${d.peakBuffered}`);
  return d.peakBuffered;
}

/** A reader that never drains: pushes past the bound fail, and hold nothing of the chunk. */
function overrunCase(r: Rand): void {
  const d = new FrameDecoder();
  for (let n = 0; n < 64; n++) {
    const before = d.buffered;
    const c = new Uint8Array(1 + int(r, 128 * 1024));
    try {
      d.push(c);
    } catch (e) {
      if (!(e instanceof NetOverrunError)) throw e;
      if (d.buffered !== before) throw new Error('a refused chunk was kept in part');
      if (before + c.length <= MAX_BUFFERED_BYTES)
        throw new Error(`refused ${c.length} bytes with only ${before} held`);
      continue;
    }
    if (d.buffered > MAX_BUFFERED_BYTES) throw new Error(`decoder holds ${d.buffered} bytes`);
  }
}

/** A listener backend the socket cases connect to, one peer at a time. */
export interface SocketRig {
  backend: StreamNetBackend;
  path: string;
  warnings: string[];
  dir: string;
}

export async function openRig(): Promise<SocketRig> {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-framing-fuzz-'));
  const path = join(dir, 'fuzz.sock');
  const warnings: string[] = [];
  const backend = await StreamNetBackend.listen(path, { warn: (m) => warnings.push(m) });
  return { backend, path, warnings, dir };
}

export async function closeRig(rig: SocketRig): Promise<void> {
  await rig.backend.close();
  rmSync(rig.dir, { recursive: true, force: true });
}

/** One stream from a raw peer through the real backend, the receiver pausing at random. */
async function socketCase(r: Rand, rig: SocketRig): Promise<void> {
  const stream = randomStream(r);
  const want = parse(stream);
  const b = rig.backend;
  const m0 = { ...b.metrics, ...b.streamMetrics, warnings: rig.warnings.length };
  const got: Uint8Array[] = [];
  let pending: ReturnType<typeof setTimeout> | undefined;
  b.onReceive((f) => {
    got.push(f);
    if (pending === undefined && r() < 0.2) {
      b.pause();
      pending = setTimeout(
        () => {
          pending = undefined;
          b.resume();
        },
        int(r, 3),
      );
    }
  });
  const detached = new Promise<void>((resolve) => b.onPeerChange((up) => up || resolve()));
  const peer = net.connect(rig.path);
  peer.on('error', () => {}); // EPIPE or ECONNRESET once the backend drops a bad stream
  await new Promise((resolve) => peer.once('connect', resolve));
  for (const c of chunks(r, stream, 16 * 1024)) {
    if (peer.destroyed) break;
    peer.write(c);
    if (r() < 0.3) await new Promise((resolve) => setImmediate(resolve));
  }
  peer.end();
  const timeout = setTimeout(() => peer.destroy(), 10_000);
  await detached;
  clearTimeout(timeout);
  peer.destroy();
  // Frames that arrived before the peer left are delivered on resume; wait for them.
  clearTimeout(pending);
  pending = undefined;
  b.onReceive((f) => got.push(f));
  b.resume();
  await new Promise((resolve) => setImmediate(resolve));
  if (b.rxPeakBufferedBytes > MAX_BUFFERED_BYTES)
    throw new Error(`backend held ${b.rxPeakBufferedBytes} bytes`);
  checkFrames(got, want.frames, `socket (${want.end} stream)`);
  const drops = b.streamMetrics.framingErrors - m0.framingErrors;
  const lost = b.metrics.rxDropped - m0.rxDropped;
  if (want.end === 'framing') {
    const warned = rig.warnings.slice(m0.warnings).join('\n');
    if (drops !== 1 || !/dropped the peer: stream frame length \d+ is outside 1\.\.65553/.test(warned)) {
      throw new Error(`socket: a bad length gave ${drops} drops and warning '${warned}'`);
    }
  } else if (drops !== 0 || lost !== (want.end === 'cut' ? 1 : 0)) {
    throw new Error(`socket: a ${want.end} stream gave ${drops} drops and ${lost} lost frames`);
  }
}

/** What a campaign did. */
export interface FramingFuzzReport {
  decoderStreams: number;
  socketStreams: number;
  overrunCases: number;
  /** Most bytes the decoder held in any stream driven as the backend drives it. */
  peakBufferedBytes: number;
  /** Most bytes the real backend held, over all socket streams. */
  socketPeakBufferedBytes: number;
  failures: string[];
}

/** Iterations [first, first + iterations): a decoder stream each, a socket stream every `socketEvery`. */
export async function fuzzFraming(opts: {
  iterations: number;
  seed: number;
  first?: number;
  socketEvery?: number;
}): Promise<FramingFuzzReport> {
  const rep: FramingFuzzReport = {
    decoderStreams: 0,
    socketStreams: 0,
    overrunCases: 0,
    peakBufferedBytes: 0,
    socketPeakBufferedBytes: 0,
    failures: [],
  };
  const every = opts.socketEvery ?? 4;
  const rig = await openRig();
  try {
    const first = opts.first ?? 0;
    for (let i = first; i < first + opts.iterations; i++) {
      const r = rng(Math.imul(opts.seed, 0x9e3779b1) ^ Math.imul(i, 0x85ebca77));
      const where = `iteration ${i} (--seed ${opts.seed} --first ${i})`;
      try {
        rep.peakBufferedBytes = Math.max(rep.peakBufferedBytes, decoderCase(r));
        rep.decoderStreams++;
        if (i % 16 === 0) {
          overrunCase(r);
          rep.overrunCases++;
        }
        if (every > 0 && i % every === 0) {
          await socketCase(r, rig);
          rep.socketStreams++;
        }
      } catch (e) {
        rep.failures.push(`${where}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    }
  } finally {
    rep.socketPeakBufferedBytes = rig.backend.rxPeakBufferedBytes;
    await closeRig(rig);
  }
  return rep;
}

const COMMAND = 'node dist/testing/backends/net/framing-fuzz.js';
const OPTIONS = {
  iterations: { int: { default: 10_000, min: 1, max: U32_MAX } },
  seed: { int: { default: Date.now() % 2 ** 31, min: 0, max: U32_MAX } },
  first: { int: { default: 0, min: 0, max: U32_MAX } },
  'socket-every': { int: { default: 4, min: 0, max: U32_MAX } },
} as const;

runFuzzCommand(import.meta.url, COMMAND, OPTIONS, async (args) => {
  const t0 = performance.now();
  const { seed } = args;
  const rep = await fuzzFraming({
    iterations: args.iterations,
    seed,
    first: args.first,
    socketEvery: args['socket-every'],
  });
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  for (const f of rep.failures.slice(0, 20)) process.stderr.write(`FAIL ${f}\n`);
  process.stdout.write(
    `framing fuzz: ${rep.decoderStreams} streams through the decoder, ${rep.socketStreams} through a unix ` +
      `socket, ${rep.overrunCases} overrun cases in ${s} s (seed ${seed}); most bytes held: decoder ` +
      `${rep.peakBufferedBytes}, socket backend ${rep.socketPeakBufferedBytes} (bound ${MAX_BUFFERED_BYTES}); ` +
      `${rep.failures.length} failures\n`,
  );
  return rep.failures.length === 0 ? 0 : 1;
});
