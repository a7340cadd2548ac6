// QMP's sockets on Node: listens on a Unix or TCP address and runs one QmpSession per client, at
// the same time for as many clients as connect. Guards the VM from its clients: a client that does
// not read its replies is dropped once its output passes a bound, never buffered without end.

import { createServer, type Server, type Socket } from 'node:net';
import { lstatSync, unlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { QmpAddress } from '../../monitor/qmp-address.js';
import {
  QmpSession,
  timestampNow,
  type QmpCommand,
  type QmpObject,
  type QmpVersion,
} from '../../monitor/qmp-protocol.js';

/** Output bytes a client may leave unread before it is dropped. */
export const MAX_UNREAD_BYTES = 1024 * 1024;
/** How long `close` waits for clients to take their last messages. */
const CLOSE_FLUSH_MS = 1000;

/** The server could not listen; the message names the address. */
export class QmpListenError extends Error {}

/** A listening QMP server. */
export class QmpServer {
  private readonly clients = new Set<{ socket: Socket; session: QmpSession }>();
  private firstClient: Promise<void>;
  private gotClient!: () => void;

  private constructor(
    private readonly server: Server,
    private readonly address: QmpAddress,
    private readonly version: QmpVersion,
    private readonly commands: ReadonlyMap<string, QmpCommand>,
  ) {
    this.firstClient = new Promise((resolve) => (this.gotClient = resolve));
    server.on('connection', (s) => this.accept(s));
    // A failed accept (EMFILE, ...) is not the VM's problem.
    server.on('error', () => {});
  }

  /**
   * Listen on `address`. A Unix socket left at the path by an earlier run is replaced (as QEMU
   * does); any other file there is an error.
   */
  static async listen(
    address: QmpAddress,
    version: QmpVersion,
    commands: ReadonlyMap<string, QmpCommand>,
  ): Promise<QmpServer> {
    const server = createServer({ noDelay: true, allowHalfOpen: true });
    const where = address.kind === 'unix' ? address.path : `${address.host}:${address.port}`;
    if (address.kind === 'unix') {
      try {
        if (lstatSync(address.path).isSocket()) unlinkSync(address.path);
      } catch {
        // Nothing there: listen creates it.
      }
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(new QmpListenError(`cannot listen on ${where}: ${e.code ?? e.message}`)),
      );
      if (address.kind === 'unix') server.listen(address.path, resolve);
      else server.listen(address.port, address.host, resolve);
    });
    return new QmpServer(server, address, version, commands);
  }

  /** The TCP port listened on (useful with port 0), or undefined for a Unix socket. */
  get port(): number | undefined {
    const a = this.server.address();
    return typeof a === 'object' && a !== null ? a.port : undefined;
  }

  /** Resolves when the first client has connected. */
  waitForClient(): Promise<void> {
    return this.firstClient;
  }

  /** Send an event to every client in command mode. */
  broadcast(name: string, data?: QmpObject): void {
    const at = timestampNow(performance.timeOrigin + performance.now());
    for (const c of this.clients) c.session.event(name, data, at);
  }

  private accept(socket: Socket): void {
    this.gotClient();
    const client = {
      socket,
      session: new QmpSession(
        {
          send: (text) => {
            if (socket.destroyed) return;
            socket.write(`${text}\r\n`);
            // A client that does not read must not make tsvirt hold its output without bound.
            if (socket.writableLength > MAX_UNREAD_BYTES) socket.destroy();
          },
          setReading: (on) => (on ? socket.resume() : socket.pause()),
          end: () => socket.end(),
        },
        this.version,
        this.commands,
      ),
    };
    this.clients.add(client);
    socket.on('data', (d: Buffer) => client.session.feed(d));
    socket.on('end', () => client.session.endOfInput());
    socket.on('error', () => {});
    socket.on('close', () => {
      client.session.close();
      this.clients.delete(client);
    });
    client.session.greet();
  }

  /** Stop listening; give the clients up to a second to take their last messages, then close. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const ends = [...this.clients].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.socket.destroyed) return resolve();
          c.socket.once('close', () => resolve());
          c.socket.end();
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(ends), new Promise((r) => (timer = setTimeout(r, CLOSE_FLUSH_MS)))]);
    clearTimeout(timer);
    for (const c of this.clients) c.socket.destroy();
    await closed;
    if (this.address.kind === 'unix') {
      try {
        unlinkSync(this.address.path);
      } catch {
        // Already gone.
      }
    }
  }
}
