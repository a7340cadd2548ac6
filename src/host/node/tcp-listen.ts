// A TCP listener for one client at a time (the GDB stub's socket, as QEMU's -gdb tcp::PORT):
// the protocol code above it sees bytes in and bytes out, never a Node socket.

import { createServer, type Socket } from 'node:net';

/** The accepted client, as the protocol code writes to it. */
export interface StreamPeer {
  write(bytes: Uint8Array): void;
  /** Close the connection (the listener keeps listening). */
  close(): void;
}

/** What the protocol code does with a client's bytes. */
export interface StreamHandler {
  data(bytes: Uint8Array): void;
  /** The client went away (or `close` was called). */
  closed(): void;
}

/** A listening socket. */
export interface Listener {
  /** The port bound (the one asked for, or the system's choice for 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** A listen address could not be used; the message names it and why. */
export class ListenError extends Error {}

/**
 * Listen on `host`:`port` (host '' for every interface). Each client is handed to `accept`; while
 * one is connected, another is refused (closed at once).
 */
export function listenTcp(
  host: string,
  port: number,
  accept: (peer: StreamPeer) => StreamHandler,
): Promise<Listener> {
  let current: Socket | undefined;
  const server = createServer((socket) => {
    if (current !== undefined) {
      socket.destroy();
      return;
    }
    current = socket;
    socket.setNoDelay(true);
    const handler = accept({
      write: (b) => {
        if (!socket.destroyed) socket.write(b);
      },
      close: () => {
        // The next client may connect at once, before this socket's close event.
        if (current === socket) current = undefined;
        socket.end();
      },
    });
    socket.on('data', (b: Buffer) => handler.data(new Uint8Array(b.buffer, b.byteOffset, b.length)));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (current === socket) current = undefined;
      handler.closed();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new ListenError(`cannot listen on tcp:${host}:${port}: ${e.code ?? e.message}`)),
    );
    server.listen({ host: host === '' ? undefined : host, port }, () => {
      const addr = server.address();
      resolve({
        port: typeof addr === 'object' && addr !== null ? addr.port : port,
        close: () =>
          new Promise<void>((done) => {
            current?.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
