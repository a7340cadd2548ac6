// `tsvirt serve`: a local web server for tsvirt in the browser (docs/browser.md): the page, the
// browser bundles (dist/browser) and the default guest's kernel and initramfs, with the
// cross-origin isolation headers (COOP/COEP) that SharedArrayBuffer needs, and byte ranges.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readdirSync, statSync, createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { defaultGuest } from './default-guest.js';
import { describeFsError } from './fs-error.js';
import { UsageError } from './options.js';
import { pageHtml } from './serve-page.js';

const gzipAsync = promisify(gzip);

export const SERVE_HELP = `Usage: tsvirt serve [--port N] [--host ADDR] [--kernel FILE] [--initrd FILE]

Serves tsvirt in the browser: open the printed address. The page boots the default guest (what
'tsvirt image' built) or --kernel/--initrd in a Web Worker, with an xterm.js console.
The page is cross-origin isolated (COOP/COEP headers); add ?isolation=off to its address for the
fallback without them. Ctrl-C stops the server.

Options:
  --port N       TCP port (default 8080; 0 picks a free one)
  --host ADDR    address to listen on (default 127.0.0.1; 0.0.0.0 exposes the server to the network)
  --kernel FILE  kernel to serve as guest/Image (default: the default guest's)
  --initrd FILE  initramfs to serve as guest/initrd.img (default: the default guest's)
`;

export interface ServeOptions {
  port: number;
  host: string;
  kernel?: string;
  initrd?: string;
  help: boolean;
}

/** The options of `tsvirt serve`; a UsageError names the one at fault. */
export function parseServeOptions(argv: string[]): ServeOptions {
  let v;
  try {
    v = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        kernel: { type: 'string' },
        initrd: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    throw new UsageError(`serve: ${(e as Error).message}`);
  }
  const portText = v.port ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new UsageError(`--port: '${portText}' is not a port number (0..65535)`);
  return { port, host: v.host ?? '127.0.0.1', kernel: v.kernel, initrd: v.initrd, help: v.help === true };
}

/** What the server serves: the files of the page and the guest's. */
export interface ServeFiles {
  /** The folder of the browser bundles (page.js, worker.js, ...). */
  assetsDir: string;
  kernel: string;
  initrd?: string;
}

/** The browser bundles beside this module: dist/browser from dist/tsvirt.mjs or dist/cli/serve.js. */
export function assetsDir(): string {
  for (const rel of ['./browser/', '../browser/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, 'worker.js'))) return dir;
  }
  throw new UsageError(
    `serve: the browser bundles (dist/browser/worker.js) are missing: run 'npm run build'`,
  );
}

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json',
  html: 'text/html; charset=utf-8',
};

/** Headers that make the page cross-origin isolated (HTML spec, "cross-origin isolation"). */
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * A byte range of a file of `size` bytes from an HTTP Range header (RFC 9110 section 14.1.2): one
 * range of unit bytes; [start, end] inclusive. undefined: serve the whole file (no header, or one
 * this server does not take: several ranges); 'unsatisfiable': 416.
 */
export function parseRange(
  header: string | undefined,
  size: number,
): [number, number] | undefined | 'unsatisfiable' {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null) return undefined;
  const [, a, b] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const n = Number(b);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return [Math.max(0, size - n), size - 1];
  }
  const start = Number(a);
  if (start >= size) return 'unsatisfiable';
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (end < start) return undefined;
  return [start, end];
}

/** Start serving `files` on `host`:`port`; resolves with the server once it listens. */
export async function startServer(files: ServeFiles, host: string, port: number): Promise<Server> {
  const assets = new Map<string, string>();
  for (const name of readdirSync(files.assetsDir)) assets.set(`tsvirt/${name}`, join(files.assetsDir, name));
  const guest = new Map<string, string>([['guest/Image', files.kernel]]);
  if (files.initrd !== undefined) guest.set('guest/initrd.img', files.initrd);
  // Compressed copies, made at the first request for each (the kernel: 30 MiB to 10).
  const gzipped = new Map<string, Promise<Uint8Array>>();
  const gz = (path: string): Promise<Uint8Array> => {
    let p = gzipped.get(path);
    if (p === undefined) {
      p = readFile(path).then((b) => gzipAsync(b, { level: 6 }));
      gzipped.set(path, p);
    }
    return p;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    // /off/... is the page without isolation: the same files without COOP/COEP.
    let isolated = true;
    if (path === 'off' || path.startsWith('off/')) {
      isolated = false;
      path = path.slice(4);
    }
    if (path === '' && url.searchParams.get('isolation') === 'off') isolated = false;
    const headers: Record<string, string> = {
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-cache',
      ...(isolated ? ISOLATION : {}),
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '' || path === 'index.html') {
      const body = pageHtml(isolated ? '/' : '/off/');
      res.writeHead(200, {
        ...headers,
        'Content-Type': TYPES.html,
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    const file = assets.get(path) ?? guest.get(path);
    if (file === undefined) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end(`not found: /${path}\n`);
      return;
    }
    const size = statSync(file).size;
    const type = TYPES[path.slice(path.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
    headers['Content-Type'] = type;
    headers['Accept-Ranges'] = 'bytes';
    const range = parseRange(req.headers.range, size);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` }).end();
      return;
    }
    if (range !== undefined) {
      const [start, end] = range;
      res.writeHead(206, {
        ...headers,
        'Content-Range': `bytes ${start}-${end}/${size}`,
        'Content-Length': end - start + 1,
      });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file, { start, end }).pipe(res);
      return;
    }
    if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '') && !path.endsWith('.map')) {
      const body = await gz(file);
      res.writeHead(200, {
        ...headers,
        'Content-Encoding': 'gzip',
        'Content-Length': body.length,
        Vary: 'Accept-Encoding',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`tsvirt serve: ${(e as Error).message}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** `tsvirt serve`: serves until SIGINT or SIGTERM; the exit status. */
export async function serveMain(argv: string[]): Promise<number> {
  try {
    const o = parseServeOptions(argv);
    if (o.help) {
      process.stdout.write(SERVE_HELP);
      return 0;
    }
    let kernel = o.kernel;
    let initrd = o.initrd;
    if (kernel === undefined) {
      const g = defaultGuest();
      kernel = g.kernel;
      initrd ??= g.initrd;
    }
    for (const [option, f] of [
      ['--kernel', kernel],
      ['--initrd', initrd],
    ] as const) {
      if (f === undefined) continue;
      try {
        if (!statSync(f).isFile()) throw new UsageError(`${option}: '${f}' is not a file`);
      } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`${option}: cannot read '${f}': ${describeFsError(e)}`);
      }
    }
    let server: Server;
    try {
      server = await startServer({ assetsDir: assetsDir(), kernel, initrd }, o.host, o.port);
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`serve: cannot listen on ${o.host}:${o.port}: ${(e as Error).message}`);
    }
    const addr = server.address();
    const port = typeof addr === 'object' && addr !== null ? addr.port : o.port;
    const shown = o.host.includes(':') ? `[${o.host}]` : o.host;
    process.stdout.write(
      `tsvirt serve: http://${shown}:${port}/ (without isolation: http://${shown}:${port}/?isolation=off)\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        server.closeAllConnections();
        server.close(() => resolve());
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`tsvirt: error: ${e.message}\n`);
      return 125;
    }
    throw e;
  }
}
