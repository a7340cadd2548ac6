import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseRange, parseServeOptions, startServer } from './serve.js';
import { UsageError } from './options.js';

test('parseRange follows RFC 9110 14.1.2 for one byte range', () => {
  assert.deepEqual(parseRange('bytes=0-499', 10000), [0, 499], 'the first 500 bytes');
  assert.deepEqual(parseRange('bytes=500-999', 10000), [500, 999]);
  assert.deepEqual(parseRange('bytes=-500', 10000), [9500, 9999], 'a suffix: the last 500 bytes');
  assert.deepEqual(parseRange('bytes=9500-', 10000), [9500, 9999], 'open-ended');
  assert.deepEqual(parseRange('bytes=-20000', 10000), [0, 9999], 'a suffix longer than the file is the file');
  assert.deepEqual(parseRange('bytes=9000-20000', 10000), [9000, 9999], 'a last-pos past the end is the end');
  assert.equal(parseRange('bytes=10000-', 10000), 'unsatisfiable', 'first-pos at or past the end');
  assert.equal(parseRange('bytes=-0', 10000), 'unsatisfiable', 'a zero-length suffix');
  assert.equal(parseRange(undefined, 10000), undefined);
  assert.equal(parseRange('bytes=5-2', 10000), undefined, 'invalid: ignored, the whole file');
  assert.equal(parseRange('bytes=0-1,5-6', 10000), undefined, 'several ranges: the whole file');
  assert.equal(parseRange('items=0-1', 10000), undefined, 'another unit: ignored');
});

test('parseServeOptions: defaults, and errors naming the option', () => {
  assert.deepEqual(parseServeOptions([]), {
    port: 8080,
    host: '127.0.0.1',
    kernel: undefined,
    initrd: undefined,
    help: false,
  });
  assert.equal(parseServeOptions(['--port', '0']).port, 0);
  assert.throws(
    () => parseServeOptions(['--port', '70000']),
    (e) => e instanceof UsageError && /--port/.test(e.message),
  );
  assert.throws(
    () => parseServeOptions(['--port', 'x']),
    (e) => e instanceof UsageError && /--port/.test(e.message),
  );
  assert.throws(() => parseServeOptions(['--bogus']), UsageError);
});

test('the server: page and files with COOP/COEP, the fallback without, byte ranges, gzip, nothing else', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-serve-'));
  const assets = join(dir, 'assets');
  mkdirSync(assets);
  writeFileSync(join(assets, 'worker.js'), 'postMessage(1);\n');
  const kernel = Uint8Array.from({ length: 100000 }, (_, k) => (k * 7) & 0xff);
  writeFileSync(join(dir, 'Image'), kernel);
  writeFileSync(join(dir, 'secret'), 'no');
  const server = await startServer({ assetsDir: assets, kernel: join(dir, 'Image') }, '127.0.0.1', 0);
  const addr = server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`;
  try {
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
    assert.match(await page.text(), /<base href="\/">[\s\S]*tsvirt\/page\.js/);

    const off = await fetch(`${base}/?isolation=off`);
    assert.equal(off.headers.get('cross-origin-opener-policy'), null, 'the fallback page has no COOP');
    assert.equal(off.headers.get('cross-origin-embedder-policy'), null);
    assert.match(await off.text(), /<base href="\/off\/">/, 'its subresources come from /off/');
    const offWorker = await fetch(`${base}/off/tsvirt/worker.js`);
    assert.equal(offWorker.status, 200);
    assert.equal(offWorker.headers.get('cross-origin-embedder-policy'), null);
    const worker = await fetch(`${base}/tsvirt/worker.js`);
    assert.equal(
      worker.headers.get('cross-origin-embedder-policy'),
      'require-corp',
      'a worker of an isolated page needs COEP',
    );
    assert.equal(worker.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(await worker.text(), 'postMessage(1);\n');

    const part = await fetch(`${base}/guest/Image`, { headers: { Range: 'bytes=1000-1999' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), 'bytes 1000-1999/100000');
    assert.deepEqual(new Uint8Array(await part.arrayBuffer()), kernel.subarray(1000, 2000));
    const tail = await fetch(`${base}/guest/Image`, { headers: { Range: 'bytes=-10' } });
    assert.deepEqual(new Uint8Array(await tail.arrayBuffer()), kernel.subarray(99990));
    const past = await fetch(`${base}/guest/Image`, { headers: { Range: 'bytes=100000-' } });
    assert.equal(past.status, 416);
    assert.equal(past.headers.get('content-range'), 'bytes */100000');

    // Node's fetch decodes gzip itself: ask through a raw header check instead.
    const { request } = await import('node:http');
    const raw = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      request(`${base}/guest/Image`, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }),
        );
      })
        .on('error', reject)
        .end();
    });
    assert.equal(raw.encoding, 'gzip');
    assert.deepEqual(new Uint8Array(gunzipSync(raw.body)), kernel);

    assert.equal((await fetch(`${base}/guest/initrd.img`)).status, 404, 'no initrd was given');
    assert.equal((await fetch(`${base}/secret`)).status, 404);
    assert.equal((await fetch(`${base}/tsvirt/..%2Fsecret`)).status, 404, 'no path outside the served names');
    assert.equal((await fetch(`${base}/`, { method: 'POST' })).status, 405);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
});
