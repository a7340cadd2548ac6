#!/usr/bin/env node
// tsvirt in the browser against the Node CLI, side by side in one run (issue 23, docs/browser.md):
// the time from page load (navigation start) to the shell's prompt in headless Chromium, and from
// process start to the prompt for `tsvirt run`; then the guest CPU benchmark (bench/cpu/linux.c,
// as bench/cpu-linux.mjs runs it, appended to the default initramfs) at that shell, typed in the
// page's terminal. Ratio = browser / Node time (target: at most 1.3). Also the download size of
// the page's JavaScript and CSS, compressed as `tsvirt serve` sends it (gzip) and with brotli.
//
//   node bench/browser.mjs [--jit wasm|js|off] [--no-node] [--json]

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { Guest, ROOT } from '../test/boot/guest.mjs';
import { cpuBenchInitrd } from './cpu/initrd.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const jit = opt('--jit', 'wasm');
const CHROMIUM = '/usr/bin/chromium';
const BOOT_TIMEOUT_MS = Number(opt('--boot-timeout', '300')) * 1000;
const BENCH_TIMEOUT_MS = 1_800_000;
const PROMPT = /tsvirt:~#$/;

// The benchmark program in the default initramfs.
const { g, initrd } = cpuBenchInitrd();

/** The program's report: total time, per-part checksums, pass. */
function parseReport(text) {
  const sums = {};
  for (const m of text.matchAll(/^part (\w+) checksum=(0x[0-9a-f]+)/gm)) sums[m[1]] = m[2];
  const total = /^time_ms (\d+)/m.exec(text);
  return { ms: total ? Number(total[1]) : NaN, sums, pass: /^PASS$/m.test(text) };
}

/** The download: what the page fetches besides the guest (page.js, worker.js, page.css). */
function bundleSizes() {
  const files = ['page.js', 'worker.js', 'page.css'].map((f) => readFileSync(join(ROOT, 'dist/browser', f)));
  const sum = (f) => files.reduce((s, b) => s + f(b), 0);
  return {
    rawBytes: sum((b) => b.length),
    gzipBytes: sum((b) => gzipSync(b, { level: 6 }).length),
    brotliBytes: sum((b) => brotliCompressSync(b).length),
  };
}

/**
 * What one yield of the CPU loop to the event loop costs in a Chromium worker (ms, mean of 500):
 * nested setTimeout(0), which browsers clamp to 4 ms, against a MessageChannel message, the way
 * src/engine/tcg/yield.ts yields in a browser.
 */
async function yieldCost(browser) {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async () => {
      const src = `
        const N = 500;
        const ch = new MessageChannel(); const w = []; ch.port1.onmessage = () => w.shift()();
        const mc = () => new Promise((r) => { w.push(r); ch.port2.postMessage(0); });
        const st = () => new Promise((r) => setTimeout(r, 0));
        async function time(f) { const t0 = performance.now(); for (let i = 0; i < N; i++) await f(); return (performance.now() - t0) / N; }
        (async () => postMessage({ setTimeout0: await time(st), messageChannel: await time(mc) }))();`;
      const w = new globalThis.Worker(
        URL.createObjectURL(new globalThis.Blob([src], { type: 'text/javascript' })),
      );
      return new Promise((resolve) => (w.onmessage = (e) => resolve(e.data)));
    });
  } finally {
    await page.close();
  }
}

async function browserRun() {
  const server = spawn(
    join(ROOT, 'bin/tsvirt'),
    ['serve', '--port', '0', '--kernel', g.KERNEL, '--initrd', initrd],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/\S+?\//.exec(out);
      if (m) resolve(m[0]);
    });
    server.once('exit', (code) => reject(new Error(`tsvirt serve exited with ${code}`)));
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const yieldMs = await yieldCost(browser);
    const page = await browser.newPage();
    // The whole terminal buffer (scrollback included) as text.
    const text = () =>
      page.evaluate(() => {
        const b = globalThis.tsvirtPage.term.buffer.active;
        const lines = [];
        for (let y = 0; y < b.length; y++) lines.push(b.getLine(y)?.translateToString(true) ?? '');
        return lines.join('\n');
      });
    // The server gzips the kernel at its first request: do that before the clock starts.
    await globalThis
      .fetch(`${url}guest/Image`, { headers: { 'Accept-Encoding': 'gzip' } })
      .then((r) => r.arrayBuffer());
    await page.goto(`${url}?jit=${jit}`);
    const said = async () =>
      `page: ${await page.textContent('#progress-text')}, last line ${JSON.stringify(
        await page.evaluate(() =>
          globalThis.tsvirtPage
            .screen()
            .filter((l) => l.trim() !== '')
            .at(-1),
        ),
      )}\n${(await text()).split('\n').slice(-12).join('\n')}`;
    await page
      .waitForFunction(
        (re) =>
          new RegExp(re).test(
            globalThis.tsvirtPage
              ?.screen()
              .filter((l) => l.trim() !== '')
              .at(-1)
              ?.trimEnd(),
          ),
        PROMPT.source,
        { timeout: BOOT_TIMEOUT_MS, polling: 100 },
      )
      .catch(async (e) => {
        throw new Error(`no prompt in the page: ${e.message}\n${await said()}`);
      });
    // From navigation start (the page's time origin) to the prompt, in the page's clock.
    const bootMs = await page.evaluate(() => performance.now());
    const mark = (await text()).length;
    await page.click('#terminal');
    await page.keyboard.type('/bench/cpu', { delay: 5 });
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (from) => {
        const b = globalThis.tsvirtPage.term.buffer.active;
        const lines = [];
        for (let y = 0; y < b.length; y++) lines.push(b.getLine(y)?.translateToString(true) ?? '');
        return /^(PASS|FAIL)$/m.test(lines.join('\n').slice(from));
      },
      mark,
      { timeout: BENCH_TIMEOUT_MS, polling: 250 },
    );
    const report = parseReport((await text()).slice(mark));
    const info = await page.evaluate(() => ({
      isolated: globalThis.crossOriginIsolated,
      ua: globalThis.navigator.userAgent.replace(/.*(Chrome\/\S+).*/, '$1'),
    }));
    return { bootMs, ...report, ...info, yieldMs };
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}

async function nodeRun() {
  const t0 = performance.now();
  const guest = new Guest([
    '--kernel',
    g.KERNEL,
    '--initrd',
    initrd,
    '--memory',
    '512M',
    '--jit',
    jit === 'wasm' ? 'on' : jit,
  ]);
  try {
    await guest.waitFor(/tsvirt:~# $/m, BOOT_TIMEOUT_MS);
    const bootMs = performance.now() - t0;
    const out = await guest.run('/bench/cpu', BENCH_TIMEOUT_MS);
    return { bootMs, ...parseReport(out) };
  } finally {
    guest.kill();
  }
}

const sizes = bundleSizes();
const b = await browserRun();
if (!b.pass) throw new Error('the benchmark did not pass in the browser');
console.log(
  `browser (${b.ua}, ${b.isolated ? 'isolated' : 'not isolated'}, jit ${jit}): page load to prompt ${(b.bootMs / 1000).toFixed(1)} s, CPU benchmark ${b.ms} ms`,
);
const results = { jit, sizes, browser: b };
if (!args.includes('--no-node')) {
  const n = await nodeRun();
  if (!n.pass) throw new Error('the benchmark did not pass in Node');
  for (const [p, s] of Object.entries(n.sums))
    if (b.sums[p] !== s) throw new Error(`part ${p}: the browser's checksum ${b.sums[p]} is not Node's ${s}`);
  console.log(
    `node (${process.version}, jit ${jit}): process start to prompt ${(n.bootMs / 1000).toFixed(1)} s, CPU benchmark ${n.ms} ms`,
  );
  const bootRatio = b.bootMs / n.bootMs;
  const cpuRatio = b.ms / n.ms;
  console.log(
    `ratio browser/node time: boot ${bootRatio.toFixed(2)}, CPU ${cpuRatio.toFixed(2)} (target <= 1.3)`,
  );
  Object.assign(results, { node: n, bootRatio, cpuRatio });
}
console.log(
  `one yield to the event loop in a Chromium worker: setTimeout(0) ${b.yieldMs.setTimeout0.toFixed(2)} ms, MessageChannel ${b.yieldMs.messageChannel.toFixed(3)} ms`,
);
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(
  `page download (page.js + worker.js + page.css): ${kib(sizes.rawBytes)}, gzip ${kib(sizes.gzipBytes)}, brotli ${kib(sizes.brotliBytes)}`,
);
if (args.includes('--json')) console.log(JSON.stringify(results));
