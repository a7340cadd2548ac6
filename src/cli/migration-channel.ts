// The host's side of live migration: the sinks a stream goes to (a TCP connection, a command's
// stdin), the listener `--incoming tcp:` reads one from, and the command `--incoming exec:` reads
// one (or a snapshot file) from. The destination answers on the same
// connection once it has loaded the state (`ok`, or `error: ...`), so the source completes only
// when the destination can run.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import {
  ascii,
  decodeSnapshot,
  SNAPSHOT_MAGIC,
  SnapshotError,
  type ParsedSnapshot,
} from '../vm/snapshot/format.js';
import type { MigrationSink } from '../vm/migration/migrate.js';
import {
  applyPages,
  MigrationStreamReader,
  SECTION_PAGES,
  STREAM_MAGIC,
  STREAM_VERSION,
} from '../vm/migration/stream.js';
import type { GuestMemory } from '../memory/guest-memory.js';

/** Most bytes of the destination's answer the source reads. */
const MAX_REPLY_BYTES = 4096;
/**
 * The destination acknowledges each PAGE section once it is in RAM, and the source keeps at most
 * this many unacknowledged: otherwise the pre-copy passes only fill socket buffers, the bandwidth
 * measured is the buffers', and the switch-over waits for the backlog (downtime).
 */
const ACK = '.';
const WINDOW_SECTIONS = 4;

async function writeTo(
  s: NodeJS.WritableStream & { destroyed: boolean },
  b: Uint8Array,
  what: string,
): Promise<void> {
  if (s.destroyed) throw new Error(`${what}: the connection is closed`);
  if (!s.write(b)) await once(s, 'drain');
}

/** Connect to a destination listening with `--incoming tcp:HOST:PORT`. */
export async function tcpSink(host: string, port: number): Promise<MigrationSink> {
  const sock: Socket = connect({ host: host === '' ? 'localhost' : host, port });
  sock.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', (e) => reject(new Error(`tcp:${host}:${port}: ${e.message}`)));
  });
  let reply = '';
  let failure: Error | undefined;
  let sent = 0;
  let acked = 0;
  let wake: (() => void) | undefined;
  sock.on('data', (d: Buffer) => {
    let text = d.toString('utf8');
    if (reply === '') {
      const n = /^\.*/.exec(text)?.[0].length ?? 0;
      acked += n;
      text = text.slice(n);
      wake?.();
    }
    if (reply.length < MAX_REPLY_BYTES) reply += text;
    if (reply.includes('\n')) wake?.();
  });
  sock.on('error', (e) => (failure ??= e));
  sock.on('close', () => wake?.());
  return {
    write: async (b) => {
      if (failure !== undefined) throw new Error(`tcp:${host}:${port}: ${failure.message}`);
      await writeTo(sock, b, `tcp:${host}:${port}`);
      if (ascii(b.subarray(0, 4)) !== SECTION_PAGES) return;
      sent++;
      while (sent - acked > WINDOW_SECTIONS && !sock.destroyed && reply === '')
        await new Promise<void>((resolve) => (wake = resolve));
    },
    end: async () => {
      sock.end();
      // The answer, as soon as its line is whole (the destination may be busy running by then).
      while (!reply.includes('\n') && !sock.destroyed) await new Promise<void>((resolve) => (wake = resolve));
      const line = reply.split('\n')[0] ?? '';
      if (line === 'ok') return;
      if (line.startsWith('error: ')) throw new Error(`the destination refused the state: ${line.slice(7)}`);
      throw new Error(
        failure !== undefined
          ? `tcp:${host}:${port}: ${failure.message}`
          : 'the destination closed the connection without taking the state',
      );
    },
    destroy: () => sock.destroy(),
  };
}

/** Run `command` with /bin/sh; the stream goes to its stdin; it must exit with status 0. */
export function execSink(command: string): MigrationSink {
  const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'ignore', 'inherit'] });
  let failure: Error | undefined;
  child.on('error', (e) => (failure ??= e));
  child.stdin.on('error', (e) => (failure ??= e));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    write: async (b) => {
      if (failure !== undefined) throw new Error(`exec:${command}: ${failure.message}`);
      await Promise.race([
        writeTo(child.stdin, b, `exec:${command}`),
        exited.then((code) => {
          throw new Error(`exec:${command}: exited with status ${code} before the end of the stream`);
        }),
      ]);
    },
    end: async () => {
      child.stdin.end();
      const code = await exited;
      if (code !== 0) throw new Error(`exec:${command}: exited with status ${code}`);
    },
    destroy: () => {
      child.stdin.destroy();
      child.kill('SIGTERM');
    },
  };
}

/** An incoming migration read whole: the state, and the answer to send once it is loaded. */
export interface IncomingMigration {
  readonly snapshot: ParsedSnapshot;
  /** Tell the source how loading went (undefined: loaded, the destination runs). Closes. */
  reply(error?: string): void;
}

/**
 * Listen on `host`:`port` (host '' for every interface), take the first connection's migration
 * stream into `mem` (the RAM the machine will use, made by the caller: pages go straight there),
 * and close the listener. `listening` is told the port. Rejects with a SnapshotError for a broken
 * or hostile stream (the source is told why).
 */
export async function receiveMigration(
  host: string,
  port: number,
  mem: GuestMemory,
  listening: (port: number) => void,
): Promise<IncomingMigration> {
  // Half-open: the source ends its side after END and then waits for the answer on this one.
  const server = createServer({ allowHalfOpen: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new SnapshotError(`tcp:${host}:${port}: ${e.message}`)));
    server.listen({ host: host === '' ? undefined : host, port }, resolve);
  });
  const addr = server.address();
  listening(typeof addr === 'object' && addr !== null ? addr.port : port);
  const [sock] = (await once(server, 'connection')) as [Socket];
  server.close();
  sock.setNoDelay(true);
  const reader = new MigrationStreamReader(mem.sizeBytes);
  let board: unknown;
  let nets: Uint8Array | undefined;
  let desc: ParsedSnapshot['desc'] | undefined;
  const fail = (message: string): never => {
    sock.end(`error: ${message}\n`);
    throw new SnapshotError(message);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      sock.on('data', (chunk: Buffer) => {
        try {
          for (const ev of reader.push(chunk)) {
            if (ev.kind === 'description') desc = ev.desc;
            else if (ev.kind === 'pages') {
              applyPages(mem.bytes, ev.pages, ev.data);
              sock.write(ACK);
            } else if (ev.kind === 'board') board = ev.board;
            else if (ev.kind === 'nets') nets = ev.payload;
            else resolve();
          }
        } catch (e) {
          sock.pause();
          reject(e);
        }
      });
      sock.on('end', () => {
        try {
          reader.finish();
          resolve();
        } catch (e) {
          reject(e);
        }
      });
      sock.on('error', (e) => reject(new SnapshotError(`the connection failed: ${e.message}`)));
    });
  } catch (e) {
    return fail((e as Error).message);
  }
  if (desc === undefined) return fail('the stream ended early');
  const snapshot = streamed(desc, board, nets, mem);
  return {
    snapshot,
    reply: (error) => sock.end(error === undefined ? 'ok\n' : `error: ${error.replace(/\n/g, ' ')}\n`),
  };
}

/** The state a migration stream delivered: its pages are already in `mem`. */
function streamed(
  desc: ParsedSnapshot['desc'],
  board: unknown,
  nets: Uint8Array | undefined,
  mem: GuestMemory,
): ParsedSnapshot {
  return {
    version: STREAM_VERSION,
    desc,
    board,
    ramPages: new Uint32Array(0),
    ramData: new Uint8Array(0),
    ramDataOffset: 0,
    ramMemory: mem,
    nets,
  };
}

/**
 * --incoming exec:COMMAND (QEMU's `-incoming exec:`): run COMMAND with /bin/sh and read its stdout
 * whole: a migration stream (what `migrate exec:` sends), whose pages go straight into `mem`, or a
 * snapshot file (`exec:cat vm.snap`, `exec:zstd -dc vm.snap.zst`), held in memory (at most
 * `maxSnapshotBytes`) and loaded by the board. There is no channel back: `reply` does nothing.
 * Rejects with a SnapshotError naming the command for a stream it refuses, one cut short, or a
 * command that fails (its stderr is tsvirt's).
 */
export async function receiveExec(
  command: string,
  mem: GuestMemory,
  maxSnapshotBytes: number,
): Promise<IncomingMigration> {
  const child = spawn('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const what = `exec:${command}`;
  const reader = new MigrationStreamReader(mem.sizeBytes);
  let kind: 'stream' | 'snapshot' | undefined;
  let head = new Uint8Array(0);
  const file: Uint8Array[] = [];
  let fileBytes = 0;
  let board: unknown;
  let nets: Uint8Array | undefined;
  let desc: ParsedSnapshot['desc'] | undefined;
  const take = (chunk: Uint8Array): void => {
    if (kind === undefined) {
      const h = new Uint8Array(head.length + chunk.length);
      h.set(head);
      h.set(chunk, head.length);
      if (h.length < 8) {
        head = h;
        return;
      }
      const magic = ascii(h.subarray(0, 8));
      if (magic === STREAM_MAGIC) kind = 'stream';
      else if (magic === SNAPSHOT_MAGIC) kind = 'snapshot';
      else
        throw new SnapshotError('not a tsvirt migration stream or snapshot (no TSVIRTMG or TSVIRTSN header)');
      chunk = h;
    }
    if (kind === 'snapshot') {
      fileBytes += chunk.length;
      if (fileBytes > maxSnapshotBytes)
        throw new SnapshotError("larger than a snapshot of this machine's RAM can be");
      file.push(chunk);
      return;
    }
    for (const ev of reader.push(chunk)) {
      if (ev.kind === 'description') desc = ev.desc;
      else if (ev.kind === 'pages') applyPages(mem.bytes, ev.pages, ev.data);
      else if (ev.kind === 'board') board = ev.board;
      else if (ev.kind === 'nets') nets = ev.payload;
    }
  };
  try {
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          try {
            take(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
          } catch (e) {
            child.stdout.destroy();
            reject(e);
          }
        });
        child.stdout.on('end', resolve);
        child.on('error', (e) => reject(new SnapshotError(`cannot run it: ${e.message}`)));
      });
      const code = await exited;
      if (code !== 0) throw new SnapshotError(`exited with status ${code}`);
      if (kind === 'snapshot') {
        const bytes = new Uint8Array(fileBytes);
        let at = 0;
        for (const c of file) {
          bytes.set(c, at);
          at += c.length;
        }
        return { snapshot: decodeSnapshot(bytes), reply: () => {} };
      }
      if (kind === undefined) throw new SnapshotError('it wrote nothing');
      reader.finish();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    }
  } catch (e) {
    throw new SnapshotError(`${what}: ${(e as Error).message}`);
  }
  if (desc === undefined) throw new SnapshotError(`${what}: the stream ended early`);
  const snapshot = streamed(desc, board, nets, mem);
  return { snapshot, reply: () => {} };
}
