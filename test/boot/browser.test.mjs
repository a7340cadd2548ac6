// tsvirt in a real browser (issue 23, docs/browser.md): `tsvirt serve` serves the page, Debian's
// Chromium (driven by playwright-core; nothing is downloaded) boots the default guest in it to a
// shell, once cross-origin isolated and once without (the fallback). Keys are typed through the
// xterm.js terminal as real key events and the output is read from the terminal's buffer; the
// buttons pause, resume and power off the machine; screenshots go to test-results/.
// The suite's second pass (TSVIRT_BOOT_JIT=off) skips this file: the browser adds a host layer,
// not an engine, and the interpreter's boots are the Node tests' (an interpreted boot in Chromium
// would only repeat them, slower).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { debianGuest, ROOT } from './guest.mjs';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-results');
const skip = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is not installed (tools/setup.sh installs the chromium package)`
  : process.env.TSVIRT_BOOT_JIT === 'off'
    ? 'the browser runs in the first pass only (see the head of this file)'
    : false;
const BOOT_MS = 300_000;
/** The shell's prompt as the default guest's /init sets it (PS1). */
const PROMPT = /^tsvirt:~# ?$/;

let server;
let base;
let browser;

before(async () => {
  if (skip) return;
  const g = debianGuest();
  server = spawn(
    join(ROOT, 'bin/tsvirt'),
    ['serve', '--port', '0', '--kernel', g.KERNEL, '--initrd', g.INITRD],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/\S+?\//.exec(out);
      if (m) resolve(m[0]);
    });
    server.once('exit', (code) => reject(new Error(`tsvirt serve exited with ${code}: ${out}`)));
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

/** The page's test hook (src/browser/page.ts PageHook), read in the page. */
const screen = (page) => page.evaluate(() => globalThis.tsvirtPage.screen());
const lastLine = (lines) => lines.filter((l) => l.trim() !== '').at(-1) ?? '';

/** Wait until the terminal's last line is the shell's prompt. */
async function waitForPrompt(page, timeout) {
  await page.waitForFunction(
    (re) => {
      const lines = globalThis.tsvirtPage?.screen().filter((l) => l.trim() !== '') ?? [];
      return new RegExp(re).test(lines.at(-1) ?? '');
    },
    PROMPT.source,
    { timeout, polling: 250 },
  );
}

/** Type `command` and Enter as key events into the terminal; the screen's lines once the prompt is back. */
async function typeCommand(page, command) {
  await page.click('#terminal');
  await page.keyboard.type(command, { delay: 5 });
  await page.keyboard.press('Enter');
  await waitForPrompt(page, 60_000);
  return screen(page);
}

const state = (page) => page.evaluate(() => globalThis.document.body.dataset.state);

for (const isolated of [true, false]) {
  const mode = isolated ? 'isolated' : 'not isolated';
  test(
    `the default guest boots in Chromium to a shell (${mode}), answers typed commands, pauses and powers off`,
    { skip, timeout: BOOT_MS + 120_000 },
    async () => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await page.goto(isolated ? base : `${base}?isolation=off`);
        assert.equal(
          await page.evaluate(() => globalThis.crossOriginIsolated),
          isolated,
          'COOP/COEP as asked',
        );
        await waitForPrompt(page, BOOT_MS);
        assert.equal(await state(page), 'running');
        assert.equal(await page.evaluate(() => globalThis.document.body.dataset.isolated), String(isolated));
        assert.equal(
          await page.isVisible('#notice'),
          !isolated,
          'the fallback says so, and only the fallback',
        );

        // Typed as key events: $((6*7)) is expanded by the guest's shell, so 42 proves the round trip.
        const lines = await typeCommand(page, 'echo tsvirt-$((6*7)) && uname -m');
        const at = lines.findIndex((l) => l === 'tsvirt-42');
        assert.ok(at > 0, `the command's output is on screen:\n${lines.join('\n')}`);
        assert.equal(lines[at + 1], 'riscv64');

        await page.screenshot({ path: join(ARTIFACTS, `browser-${isolated ? 'isolated' : 'fallback'}.png`) });
        assert.match(lastLine(await screen(page)), PROMPT, 'the screenshot shows the prompt');

        // The live figure moves while the guest runs (the shell's idle loop and timers retire instructions).
        await page.waitForFunction(
          () =>
            globalThis.tsvirtPage.vm.state === 'running' &&
            Number(globalThis.document.getElementById('mips').textContent) > 0,
          null,
          { timeout: 10_000 },
        );

        await page.click('#pause');
        await page.waitForFunction(() => globalThis.document.body.dataset.state === 'paused', null, {
          timeout: 10_000,
        });
        const before = await page.evaluate(() => globalThis.tsvirtPage.mips());
        await page.waitForTimeout(1200);
        assert.equal(
          await page.evaluate(() => globalThis.tsvirtPage.mips()),
          0,
          `no instruction retires while paused (was ${before})`,
        );
        // Input typed while paused waits in the device; the guest answers after resume.
        await page.keyboard.type('echo after-$((1+1))', { delay: 5 });
        await page.keyboard.press('Enter');
        await page.click('#resume');
        await page.waitForFunction(() => globalThis.tsvirtPage.screen().includes('after-2'), null, {
          timeout: 60_000,
        });
        assert.equal(await state(page), 'running');

        if (isolated) {
          await page.click('#poweroff');
          await page.waitForFunction(() => globalThis.document.body.dataset.state === 'off', null, {
            timeout: 30_000,
          });
          assert.equal(await page.textContent('#progress-text'), 'powered off');
        } else {
          // The guest powers itself off (SBI system reset): the page tells it apart from the button.
          await page.keyboard.type('poweroff', { delay: 5 });
          await page.keyboard.press('Enter');
          await page.waitForFunction(() => globalThis.document.body.dataset.state === 'off', null, {
            timeout: 60_000,
          });
          assert.equal(await page.textContent('#progress-text'), 'the guest powered off');
        }
        for (const b of ['pause', 'resume', 'poweroff', 'reset'])
          assert.equal(await page.isDisabled(`#${b}`), true, `#${b} is disabled once the machine is off`);
        assert.deepEqual(errors, [], 'no error in the page');
      } finally {
        await page.close();
      }
    },
  );
}
