#!/usr/bin/env node
// Whole-VM snapshot figures (issue 22): save time, snapshot size and restore time of an idle
// 512 MiB Debian guest (the default guest, 1 hart), for tsvirt (--save-on-exit at SIGTERM, then
// --incoming file:) and, side by side in the same run, QEMU 10 (HMP `migrate file:`,
// then -incoming file:). "Restore to a running console" is timed from the process's spawn to the
// guest shell's answer to a command typed at once (`echo R_$((1+1))`, answered `R_2`), so it
// includes starting Node (about 100 ms here) and loading tsvirt. tsvirt's restore is also timed
// in this process as Firecracker times its own (its process exists before the request): from
// opening the file to that answer, first in this process, then again (V8 has compiled tsvirt).
// A QEMU destination is typed to once it runs, after a newline: QEMU 10 lost the first input byte
// after an incoming migration (`cho R_2` reached its shell), so the bench hung before.
// Live migration: total time and downtime of a migration over TCP on 127.0.0.1 to a second
// process (tsvirt: QMP migrate to --incoming tcp:; QEMU: HMP migrate to -incoming tcp:), of the
// idle guest and of one dirtying memory (dd rewriting a 16 MiB file in /tmp, then 100 ms of sleep,
// over and over), both with the default downtime limit (300 ms) and max-bandwidth (128 MiB/s).
//
//   node bench/snapshot.mjs [--runs N] [--no-qemu] [--no-migrate] [--no-tsvirt]

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { debianGuest, ROOT } from '../test/boot/guest.mjs';
import { qemu10 } from '../tools/qemu.mjs';
import { qemuVirtArgs } from './qemu.mjs';
import { build } from '../dist/vm/build.js';
import { StopRequests } from '../dist/vm/stop.js';
import { openSnapshotFile } from '../dist/api/snapshot-file.js';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'no-qemu': { type: 'boolean', default: false },
    'no-migrate': { type: 'boolean', default: false },
    'no-tsvirt': { type: 'boolean', default: false },
  },
});
const runs = Number(opts.runs);
const TSVIRT = join(ROOT, 'bin/tsvirt');
const MEMORY = '512M';
/** The guest is idle this long at its prompt before it is saved. */
const IDLE_MS = 3000;
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 600_000);
const g = debianGuest();
const dir = mkdtempSync(join(tmpdir(), 'tsvirt-bench-snap-'));

/** A spawned process whose output (stdout and stderr) is searched for markers. */
/** Every process the bench started: those a failed step left running are killed at the end. */
const spawned = [];

function proc(cmd, argv) {
  const p = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  spawned.push(p);
  const t0 = performance.now();
  let out = '';
  const waiters = [];
  const on = (d) => {
    out += d.toString('latin1');
    for (const w of [...waiters]) w();
  };
  p.stdout.on('data', on);
  p.stderr.on('data', on);
  const exited = new Promise((resolve) => p.on('close', (code, signal) => resolve({ code, signal })));
  const waitFor = (re) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${re}:\n${out.slice(-800)}`)),
        TIMEOUT_MS,
      );
      const check = () => {
        const m = re.exec(out);
        if (m) {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve({ m, ms: performance.now() - t0 });
        }
      };
      waiters.push(check);
      check();
    });
  return { p, waitFor, exited, send: (t) => p.stdin.write(t), output: () => out };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// BusyBox's prompt is followed by a cursor position query (ESC [ 6 n).
const PROMPT = new RegExp(`# (${String.fromCharCode(27)}\\[6n)?$`, 'm');
const ANSWER = /R_2/;
const ASK = 'echo R_$((1+1))\n';
/**
 * To a QEMU destination, after a newline: its first input byte after an incoming migration is lost
 * (seen with QEMU 10.0.2: `cho R_2` reached the shell), and a lost newline costs nothing.
 */
const QEMU_ASK = `\n${ASK}`;

async function tsvirtRun(file) {
  console.error('tsvirt: boot');
  const a = proc(TSVIRT, ['run', '-m', MEMORY, '--save-on-exit', file]);
  await a.waitFor(/tsvirt: init done/);
  await a.waitFor(PROMPT);
  await sleep(IDLE_MS);
  console.error('tsvirt: save');
  a.p.kill('SIGTERM');
  const saved = await a.waitFor(/saved the VM to .* in (\d+) ms/);
  await a.exited;
  const saveMs = Number(saved.m[1]);
  console.error('tsvirt: restore');
  const b = proc(TSVIRT, ['run', '-m', MEMORY, '--incoming', `file:${file}`]);
  b.send(ASK);
  const restoreMs = (await b.waitFor(ANSWER)).ms;
  b.send('poweroff\n');
  await b.exited;
  const inProcessMs = await restoreInProcess(file);
  const againMs = await restoreInProcess(file);
  return { saveMs, restoreMs, inProcessMs, againMs, bytes: statSync(file).size };
}

/**
 * Restore in this (warm) process, as Firecracker's restore is timed (its process exists before
 * the request): from opening the snapshot file to the restored shell's answer to a command typed
 * at once. Opening reads the header and state; RAM pages are mapped, read on first touch.
 */
async function restoreInProcess(file) {
  let out = '';
  let receiver;
  let answered;
  const done = new Promise((resolve) => (answered = resolve));
  const console_ = {
    write: (b) => {
      out += Buffer.from(b).toString('latin1');
      if (ANSWER.test(out)) answered();
    },
    onInput: (r) => (receiver = r),
  };
  const stop = new StopRequests();
  const t0 = performance.now();
  const vm = await build({
    machine: 'virt',
    memoryBytes: 512 << 20,
    kernel: new Uint8Array(0),
    console: console_,
    incoming: await openSnapshotFile(file),
    stop,
  });
  const ran = vm.run();
  receiver(Buffer.from(ASK));
  await done;
  const ms = performance.now() - t0;
  stop.request({ kind: 'request' });
  await ran;
  await vm.close();
  return ms;
}

/** A connection to QEMU's human monitor: `cmd(text)` resolves with the text before the next prompt. */
async function hmpClient(sock) {
  const c = connect(sock);
  let buf = '';
  let wake = () => {};
  c.on('data', (d) => {
    buf += d.toString();
    wake();
  });
  const prompt = () =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no HMP prompt:\n${buf}`)), TIMEOUT_MS);
      wake = () => {
        const at = buf.indexOf('(qemu) ');
        if (at < 0) return;
        clearTimeout(timer);
        const text = buf.slice(0, at);
        buf = buf.slice(at + 7);
        resolve(text);
      };
      wake();
    });
  const failed = new Promise((_, reject) => c.on('error', reject));
  failed.catch(() => {});
  await Promise.race([prompt(), failed]);
  return {
    cmd: (text) => {
      c.write(`${text}\n`);
      return prompt();
    },
    close: () => c.destroy(),
  };
}

/** QEMU's virt with the default guest, its serial on stdio and no display (a monitor is added by each caller). */
function qemuBaseArgs() {
  return [
    ...qemuVirtArgs({ kernel: g.KERNEL, initrd: g.INITRD, memory: MEMORY }).filter((x) => x !== '-nographic'),
    '-display',
    'none',
    '-serial',
    'stdio',
  ];
}

async function qemuRun(cmd, file) {
  console.error('qemu: boot');
  const sock = join(dir, 'mon.sock');
  const base = qemuBaseArgs();
  const a = proc(cmd, [...base, '-monitor', `unix:${sock},server,nowait`]);
  await a.waitFor(/tsvirt: init done/);
  await a.waitFor(PROMPT);
  await sleep(IDLE_MS);
  console.error('qemu: save');
  const mon = await hmpClient(sock);
  const t0 = performance.now();
  // Not `stop` first: a destination resumes only a source that was running (QEMU's global state);
  // on a running guest, `migrate` copies RAM, then stops it and copies the rest.
  await mon.cmd(`migrate file:${file}`);
  for (;;) {
    const info = await mon.cmd('info migrate');
    if (/status: completed/.test(info)) break;
    if (/status: failed/.test(info)) throw new Error(`QEMU migrate failed:\n${info}`);
    await sleep(5);
  }
  const saveMs = performance.now() - t0;
  mon.close();
  a.p.kill('SIGTERM');
  await a.exited;
  console.error('qemu: restore');
  const sock2 = join(dir, 'mon2.sock');
  const b = proc(cmd, [...base, '-monitor', `unix:${sock2},server,nowait`, '-incoming', `file:${file}`]);
  // The destination may stay paused after loading (QEMU keeps the source's run state): `cont`.
  let mon2;
  for (let k = 0; mon2 === undefined; k++) {
    mon2 = await hmpClient(sock2).catch(async (e) => {
      if (k > 2000) throw e;
      await sleep(2);
      return undefined;
    });
  }
  const deadline = performance.now() + 120_000;
  for (;;) {
    if (performance.now() > deadline) {
      b.p.kill('SIGKILL');
      throw new Error(`the destination did not finish loading in 120 s: ${await mon2.cmd('info migrate')}`);
    }
    const st = await mon2.cmd('info status');
    if (/running/.test(st)) break;
    if (/paused|postmigrate/.test(st) && !/inmigrate/.test(st)) {
      await mon2.cmd('cont');
      break;
    }
    await sleep(2);
  }
  // Typed once it runs (the spawn-to-answer time still includes the load and the polling).
  b.send(QEMU_ASK);
  const restoreMs = (await b.waitFor(ANSWER)).ms;
  mon2.close();
  b.p.kill('SIGTERM');
  await b.exited;
  return { saveMs, restoreMs, bytes: statSync(file).size };
}

/** A free TCP port on 127.0.0.1 (bound and released). */
function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A QMP client (QEMU docs/interop/qmp-spec.rst): `cmd(name, args)` resolves with `return`. */
async function qmpClient(sock) {
  let c;
  for (let k = 0; ; k++) {
    try {
      c = await new Promise((resolve, reject) => {
        const s = connect(sock, () => resolve(s));
        s.once('error', reject);
      });
      break;
    } catch (e) {
      if (k > 200) throw e;
      await sleep(50);
    }
  }
  let buf = '';
  const replies = [];
  let wake = () => {};
  c.on('data', (d) => {
    buf += d.toString();
    let nl;
    while ((nl = buf.indexOf('\r\n')) >= 0) {
      const m = JSON.parse(buf.slice(0, nl));
      buf = buf.slice(nl + 2);
      if (!('event' in m)) replies.push(m);
    }
    wake();
  });
  const next = () =>
    new Promise((resolve) => {
      wake = () => replies.length > 0 && resolve(replies.shift());
      wake();
    });
  await next(); // the greeting
  const cmd = async (name, args) => {
    c.write(JSON.stringify({ execute: name, ...(args ? { arguments: args } : {}) }));
    const r = await next();
    if (r.error) throw new Error(`${name}: ${r.error.desc}`);
    return r.return;
  };
  await cmd('qmp_capabilities');
  return { cmd, close: () => c.destroy() };
}

/** In the guest: rewrite a 16 MiB file in /tmp (RAM), sleep 100 ms, again, in the background. */
const DIRTY =
  'while :; do dd if=/dev/zero of=/tmp/dirty bs=1M count=16 conv=notrunc 2>/dev/null; usleep 100000; done &\n';

async function tsvirtMigrate(dirty) {
  console.error(`tsvirt: migrate (${dirty ? 'dirtying' : 'idle'})`);
  const s = join(dir, 'src.qmp');
  const d = join(dir, 'dst.qmp');
  const a = proc(TSVIRT, ['run', '-m', MEMORY, '--qmp', `unix:${s},server,wait=off`]);
  const b = proc(TSVIRT, [
    'run',
    '-m',
    MEMORY,
    '--qmp',
    `unix:${d},server,wait=off`,
    '--incoming',
    'tcp:127.0.0.1:0',
  ]);
  const port = Number((await b.waitFor(/waiting for a migration on 127\.0\.0\.1:(\d+)/)).m[1]);
  await a.waitFor(/tsvirt: init done/);
  await a.waitFor(PROMPT);
  if (dirty) a.send(DIRTY);
  await sleep(IDLE_MS);
  const q = await qmpClient(s);
  await q.cmd('migrate', { uri: `tcp:127.0.0.1:${port}` });
  let info;
  for (;;) {
    info = await q.cmd('query-migrate');
    if (info.status === 'completed') break;
    if (info.status === 'failed') throw new Error(`tsvirt migrate failed: ${info['error-desc']}`);
    await sleep(20);
  }
  b.send(ASK);
  await b.waitFor(ANSWER);
  await q.cmd('quit');
  q.close();
  await a.exited;
  b.send('poweroff\n');
  await b.exited;
  return { totalMs: info['total-time'], downtimeMs: info.downtime, mib: info.ram.transferred / 2 ** 20 };
}

async function qemuMigrate(cmd, dirty) {
  console.error(`qemu: migrate (${dirty ? 'dirtying' : 'idle'})`);
  const s = join(dir, 'qsrc.sock');
  const base = qemuBaseArgs();
  const port = await freePort();
  const a = proc(cmd, [...base, '-monitor', `unix:${s},server,nowait`]);
  const b = proc(cmd, [...base, '-incoming', `tcp:127.0.0.1:${port}`]);
  await a.waitFor(/tsvirt: init done/);
  await a.waitFor(PROMPT);
  if (dirty) a.send(DIRTY);
  await sleep(IDLE_MS);
  const mon = await hmpClient(s);
  await mon.cmd(`migrate -d tcp:127.0.0.1:${port}`);
  let info;
  for (;;) {
    info = await mon.cmd('info migrate');
    if (/status: completed/i.test(info)) break;
    if (/status: failed/i.test(info)) throw new Error(`QEMU migrate failed:\n${info}`);
    await sleep(20);
  }
  const num = (re) => Number(re.exec(info)?.[1] ?? NaN);
  const totalMs = num(/total time:\s*(\d+)/i);
  const downtimeMs = num(/downtime:\s*(\d+)/i);
  const mib = num(/transferred ram:\s*(\d+)/i) / 1024;
  b.send(QEMU_ASK);
  await b.waitFor(ANSWER);
  mon.close();
  a.p.kill('SIGTERM');
  b.p.kill('SIGTERM');
  await Promise.all([a.exited, b.exited]);
  return { totalMs, downtimeMs, mib, info };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cols = { tsvirt: [], qemu: [] };
const qemu = opts['no-qemu'] ? undefined : qemu10();
const mig = { tsvirt: { idle: [], dirty: [] }, qemu: { idle: [], dirty: [] } };
try {
  for (let k = 0; k < runs && !opts['no-migrate']; k++) {
    for (const kind of ['idle', 'dirty']) {
      if (!opts['no-tsvirt']) mig.tsvirt[kind].push(await tsvirtMigrate(kind === 'dirty'));
      if (qemu !== undefined) {
        try {
          mig.qemu[kind].push(await qemuMigrate(qemu, kind === 'dirty'));
        } catch (e) {
          console.log(`qemu 10: migrate failed: ${e.message}`);
        }
      }
    }
  }
  for (let k = 0; k < runs; k++) {
    if (!opts['no-tsvirt']) cols.tsvirt.push(await tsvirtRun(join(dir, `t${k}.snap`)));
    if (qemu !== undefined) {
      try {
        cols.qemu.push(await qemuRun(qemu, join(dir, `q${k}.snap`)));
      } catch (e) {
        console.log(`qemu 10: failed: ${e.message}`);
      }
    }
  }
} finally {
  for (const p of spawned) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
const show = (name, rs) => {
  if (rs.length === 0) return;
  const m = (k) => median(rs.map((r) => r[k]));
  const inProc =
    rs[0].inProcessMs === undefined
      ? ''
      : `, restore in process ${m('inProcessMs').toFixed(0)} ms (again in the same process ${m('againMs').toFixed(0)} ms)`;
  console.log(
    `${name.padEnd(8)} save ${m('saveMs').toFixed(0)} ms, size ${(m('bytes') / 2 ** 20).toFixed(1)} MiB, ` +
      `restore to a console answer ${m('restoreMs').toFixed(0)} ms${inProc} (median of ${rs.length})`,
  );
};
console.log(
  `idle ${MEMORY} Debian guest (default guest, 1 hart), ${IDLE_MS} ms idle at its prompt before the save`,
);
show('tsvirt', cols.tsvirt);
show('qemu 10', cols.qemu);
if (cols.qemu.length > 0) {
  const r = (k) => median(cols.tsvirt.map((x) => x[k])) / median(cols.qemu.map((x) => x[k]));
  console.log(
    `ratio tsvirt / qemu 10: save ${r('saveMs').toFixed(2)}x, size ${r('bytes').toFixed(2)}x, restore ${r('restoreMs').toFixed(2)}x`,
  );
}

for (const kind of ['idle', 'dirty']) {
  const line = (name, rs) => {
    if (rs.length === 0) return;
    const m = (k) => median(rs.map((r) => r[k]));
    console.log(
      `${name.padEnd(8)} migrate (${kind === 'idle' ? 'idle' : 'dirtying 16 MiB per ~100 ms'}): total ${m('totalMs').toFixed(0)} ms, ` +
        `downtime ${m('downtimeMs').toFixed(0)} ms, ${m('mib').toFixed(1)} MiB sent (median of ${rs.length})`,
    );
  };
  line('tsvirt', mig.tsvirt[kind]);
  line('qemu 10', mig.qemu[kind]);
  if (mig.tsvirt[kind].length > 0 && mig.qemu[kind].length > 0) {
    // QEMU reports whole milliseconds: an idle guest's downtime is often 0, and no ratio.
    const r = (k) => {
      const q = median(mig.qemu[kind].map((x) => x[k]));
      return q === 0 ? 'n/a (QEMU 0 ms)' : `${(median(mig.tsvirt[kind].map((x) => x[k])) / q).toFixed(2)}x`;
    };
    console.log(`ratio tsvirt / qemu 10 (${kind}): total ${r('totalMs')}, downtime ${r('downtimeMs')}`);
  }
}
