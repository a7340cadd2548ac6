// Live migration of a busy guest between two tsvirt processes (issue 22): the default guest runs a
// shell loop that prints a counter to the console and writes it to its own sector of a shared
// virtio disk; QMP `migrate tcp:` moves it to a second `tsvirt run --incoming tcp:` on 127.0.0.1.
// The counter must continue on the destination with no gap and no repeat, the disk must hold
// every value the guest wrote, the source must end in postmigrate and quit cleanly. The downtime
// (query-migrate's, and the gap the console shows) is printed. The QMP client is written from the
// QMP specification (QEMU docs/interop/qmp-spec.rst), as in qmp.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { echoThrough, Guest } from './guest.mjs';

const BOOT_TIMEOUT_MS = Number(process.env.TSVIRT_BOOT_TIMEOUT_MS ?? 900_000);
const log = process.env.TSVIRT_TEST_LOG === '1';
const work = mkdtempSync(join(tmpdir(), 'tsvirt-migrate-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const DISK = join(work, 'disk.img');
const SECTORS = 16384;

/** A minimal QMP client: CRLF-terminated JSON messages; replies by id; events kept in order. */
class Qmp {
  static async open(path) {
    for (let k = 0; ; k++) {
      try {
        const q = await new Promise((resolve, reject) => {
          const s = connect(path, () => resolve(new Qmp(s)));
          s.once('error', reject);
        });
        await q.until(() => q.messages.shift(), 'the greeting');
        await q.ok('qmp_capabilities');
        return q;
      } catch (e) {
        if (k > 100) throw e;
        await sleep(100);
      }
    }
  }

  constructor(socket) {
    this.socket = socket;
    this.buf = '';
    this.messages = [];
    this.events = [];
    this.waiters = [];
    this.id = 1;
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      this.buf += d;
      let nl;
      while ((nl = this.buf.indexOf('\r\n')) >= 0) {
        const msg = JSON.parse(this.buf.slice(0, nl));
        this.buf = this.buf.slice(nl + 2);
        if ('event' in msg) this.events.push({ ...msg, at: performance.now() });
        else this.messages.push(msg);
      }
      for (const w of [...this.waiters]) w();
    });
    socket.on('error', () => {});
  }

  until(pick, what, timeoutMs = 120_000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = pick();
        if (v === undefined) return;
        this.waiters = this.waiters.filter((w) => w !== check);
        clearTimeout(timer);
        resolve(v);
      };
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push(check);
      check();
    });
  }

  async execute(name, args) {
    const id = `m${this.id++}`;
    this.socket.write(JSON.stringify({ execute: name, ...(args ? { arguments: args } : {}), id }));
    return this.until(() => {
      const k = this.messages.findIndex((m) => m.id === id);
      return k < 0 ? undefined : this.messages.splice(k, 1)[0];
    }, `the reply to ${name}`);
  }

  async ok(name, args) {
    const r = await this.execute(name, args);
    assert.ok('return' in r, `${name}: ${JSON.stringify(r)}`);
    return r.return;
  }

  migrationEvent(status) {
    return this.until(
      () => this.events.find((e) => e.event === 'MIGRATION' && e.data.status === status),
      `MIGRATION ${status}`,
    );
  }

  close() {
    this.socket.destroy();
  }
}

/** The loop's counter values in `text`, in order. */
const counts = (text) => [...text.matchAll(/<(\d+)>/g)].map((m) => Number(m[1]));

test(
  'live migration over tcp: a busy guest counts on without a gap, its disk is consistent',
  { timeout: BOOT_TIMEOUT_MS + 600_000 },
  async () => {
    writeFileSync(DISK, new Uint8Array(SECTORS * 512));
    const srcSock = join(work, 'src.qmp');
    const dstSock = join(work, 'dst.qmp');
    const common = ['--disk', `file=${DISK}`];
    const src = new Guest(['--qmp', `unix:${srcSock},server,wait=off`, ...common], { log });
    const dst = new Guest(
      ['--qmp', `unix:${dstSock},server,wait=off`, ...common, '--incoming', 'tcp:127.0.0.1:0'],
      { log },
    );
    try {
      const port = Number((await dst.waitFor(/waiting for a migration on 127\.0\.0\.1:(\d+)/, 60_000))[1]);
      await src.waitFor(/tsvirt: init done/, BOOT_TIMEOUT_MS);
      await src.waitFor(/# $/m, 120_000);
      const qs = await Qmp.open(srcSock);
      const qd = await Qmp.open(dstSock);
      assert.equal((await qd.ok('query-status')).status, 'inmigrate');
      assert.deepEqual(await qs.ok('query-migrate'), {}, 'no migration yet');
      // Each value to the console, then to sector i of the disk, flushed (a write in flight at
      // the switch-over is the source's to finish and flush). The loop runs in the background
      // until /tmp/stop exists; with echo off, typing that command does not break a value apart.
      src.send(
        `stty -echo; (i=0; while [ ! -e /tmp/stop ] && [ $i -lt ${SECTORS - 1} ]; ` +
          `do i=$((i+1)); echo "<$i>"; echo $i | dd of=/dev/vda bs=512 seek=$i conv=notrunc,fsync 2>/dev/null; ` +
          `done; echo "done=$i") &\n`,
      );
      await src.waitFor(/<20>/, 120_000);
      await qs.ok('migrate-set-parameters', { 'downtime-limit': 300 });
      assert.equal((await qs.ok('query-migrate-parameters'))['downtime-limit'], 300);
      const t0 = performance.now();
      await qs.ok('migrate', { uri: `tcp:127.0.0.1:${port}` });
      const dup = await qs.execute('migrate', { uri: `tcp:127.0.0.1:${port}` });
      assert.equal(dup.error?.class, 'GenericError', 'a second migrate while one runs is refused');
      const completed = await qs.migrationEvent('completed');
      const totalMs = performance.now() - t0;
      const info = await qs.ok('query-migrate');
      assert.equal(info.status, 'completed');
      for (const s of ['setup', 'active']) assert.ok(await qs.migrationEvent(s));
      assert.ok(
        qs.events.some((e) => e.event === 'MIGRATION_PASS'),
        'MIGRATION_PASS events',
      );
      assert.ok(
        qs.events.some((e) => e.event === 'STOP'),
        'the source stopped',
      );
      assert.ok(info.ram.transferred > 0 && info.ram['dirty-sync-count'] >= 2, JSON.stringify(info));
      assert.equal(info.ram.total, 512 * 1024 * 1024);
      assert.equal(info.ram.remaining, 0);
      assert.equal((await qs.ok('query-status')).status, 'postmigrate');
      const srcLast = counts(src.output).at(-1);
      // The destination counts on; its console continues where the source's stopped.
      await dst.waitFor(new RegExp(`<${srcLast + 30}>`), 600_000);
      dst.send('touch /tmp/stop\n');
      const done = Number((await dst.waitFor(/done=(\d+)/, 120_000))[1]);
      assert.equal((await qd.ok('query-status')).status, 'running');
      const dstText = dst.output.slice(dst.output.indexOf('migration received'));
      const firstAfter = dst.output.indexOf('<', dst.output.indexOf('migration received'));
      assert.ok(firstAfter > 0);
      const all = counts(src.output + dstText.slice(dstText.indexOf('\n') + 1));
      const gaps = all.filter((v, k) => k > 0 && v !== all[k - 1] + 1);
      assert.deepEqual(gaps, [], `the count has a gap or repeat around ${srcLast}`);
      assert.equal(all[0], 1);
      assert.equal(all.at(-1), done);
      assert.ok(done > srcLast, `the destination counted on (source ${srcLast}, end ${done})`);
      process.stderr.write(
        `# migration: ${totalMs.toFixed(0)} ms total, downtime ${info.downtime} ms (query-migrate), ` +
          `${info.ram['dirty-sync-count']} dirty syncs, ${(info.ram.transferred / 2 ** 20).toFixed(1)} MiB; ` +
          `source stopped at <${srcLast}>, loop ended at <${done}>\n`,
      );
      void completed;
      qs.execute('quit').catch(() => {});
      assert.equal((await src.exited).code, 0, 'the source quits after the migration');
      dst.send('sync; poweroff\n');
      assert.equal((await dst.exited).code, 0);
      // Every value the guest wrote is on the image, each in its own sector.
      const disk = readFileSync(DISK);
      for (let i = 1; i <= done; i++) {
        const text = disk
          .subarray(i * 512, i * 512 + 16)
          .toString('latin1')
          .split('\n')[0];
        assert.equal(text, String(i), `sector ${i}`);
      }
      qs.close();
      qd.close();
    } finally {
      src.proc.kill('SIGKILL');
      dst.proc.kill('SIGKILL');
    }
  },
);

test(
  'migrate exec: and --incoming exec: (a stream, and a snapshot file), as QEMU -incoming exec:',
  { timeout: BOOT_TIMEOUT_MS + 300_000 },
  async () => {
    const sock = join(work, 'exec.qmp');
    const stream = join(work, 'vm.mig');
    const snap = join(work, 'vm.snap');
    const src = new Guest(['--qmp', `unix:${sock},server,wait=off`], { log });
    try {
      await src.waitFor(/tsvirt: init done/, BOOT_TIMEOUT_MS);
      await src.waitFor(/# $/m, 120_000);
      // Shell state that only the saved RAM holds.
      await src.run('X=41', 60_000);
      const q = await Qmp.open(sock);
      // QEMU's exec: runs the command with /bin/sh and writes the stream to its stdin.
      await q.ok('migrate', { uri: `exec:cat > '${stream}'` });
      await q.migrationEvent('completed');
      assert.equal((await q.ok('query-status')).status, 'postmigrate');
      await q.ok('migrate', { uri: `file:${snap}` });
      await q.until(
        () => q.events.filter((e) => e.event === 'MIGRATION' && e.data.status === 'completed')[1],
        'the second migration',
      );
      q.execute('quit').catch(() => {});
      assert.equal((await src.exited).code, 0);
      q.close();
    } finally {
      src.proc.kill('SIGKILL');
    }
    for (const from of [`exec:cat '${stream}'`, `exec:cat < '${snap}'`]) {
      const dst = new Guest(['--incoming', from], { log });
      try {
        const out = await dst.run('echo V=$((X+1))', 120_000);
        assert.match(out, /V=42/, `${from}: the shell's state came across`);
        dst.send('poweroff\n');
        assert.equal((await dst.exited).code, 0);
      } finally {
        dst.proc.kill('SIGKILL');
      }
    }
  },
);

test('--incoming exec: of a failing command, or of bytes that are no stream, is an error naming it', async () => {
  for (const [from, message] of [
    ['exec:exit 3', /--incoming: exec:exit 3: exited with status 3/],
    ['exec:echo hello world', /--incoming: exec:echo hello world: not a tsvirt migration stream or snapshot/],
    ['exec:true', /--incoming: exec:true: it wrote nothing/],
  ]) {
    const g = new Guest(['--incoming', from], { log });
    const end = await g.exited;
    assert.equal(end.code, 125, from);
    assert.match(g.output, message);
  }
});

/** A TCP port on 127.0.0.1 nobody listens on right now (bound, then released). */
function freePort() {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

test(
  '--net user across a migration: the NAT keeps its DHCP lease, hostfwd reaches the guest, its interface is as it was',
  { timeout: BOOT_TIMEOUT_MS + 300_000 },
  async () => {
    const srcSock = join(work, 'net-src.qmp');
    const [p1, p2] = [await freePort(), await freePort()];
    // Each process has its own hostfwd port (both run on this host at the same time), to the
    // address the guest will have (an empty one means the first DHCP address, 10.0.2.15).
    const src = new Guest(
      [
        '--qmp',
        `unix:${srcSock},server,wait=off`,
        '--net',
        `user,hostfwd=tcp:127.0.0.1:${p1}-10.0.2.16:7777`,
      ],
      { log },
    );
    const dst = new Guest(
      ['--net', `user,hostfwd=tcp:127.0.0.1:${p2}-10.0.2.16:7777`, '--incoming', 'tcp:127.0.0.1:0'],
      { log },
    );
    const dhcp = 'udhcpc -i eth0 -n -q -t 5 -s /bin/true 2>&1 | grep -o "lease of [0-9.]*"';
    try {
      const port = Number((await dst.waitFor(/waiting for a migration on 127\.0\.0\.1:(\d+)/, 60_000))[1]);
      await src.waitFor(/tsvirt: init done/, BOOT_TIMEOUT_MS);
      await src.waitFor(/# $/m, 120_000);
      // libslirp gives addresses in the order clients ask: another MAC takes 10.0.2.15 first, so
      // the guest's own lease is 10.0.2.16, which a new NAT would not give it.
      const mac = (await src.run('cat /sys/class/net/eth0/address')).trim();
      await src.run('ip link set eth0 up; ip link set eth0 address 52:54:00:aa:bb:01');
      assert.match(await src.run(dhcp), /lease of 10\.0\.2\.15/);
      await src.run(`ip link set eth0 address ${mac}`);
      assert.match(await src.run(dhcp), /lease of 10\.0\.2\.16/);
      await src.run('ip addr add 10.0.2.16/24 dev eth0');
      const q = await Qmp.open(srcSock);
      await q.ok('migrate', { uri: `tcp:127.0.0.1:${port}` });
      await q.migrationEvent('completed');
      q.execute('quit').catch(() => {});
      assert.equal((await src.exited).code, 0);
      q.close();
      assert.match(
        await dst.run('ip -4 addr show eth0'),
        /inet 10\.0\.2\.16\/24/,
        'the interface is as it was',
      );
      assert.match(await dst.run(dhcp), /lease of 10\.0\.2\.16/, "the NAT kept the guest's lease");
      await dst.run(
        '(nc -l -p 7777 -e cat >/dev/null 2>&1 &); while ! netstat -ltn | grep -q ":7777 "; do usleep 100000; done',
      );
      assert.equal(await echoThrough(p2, 'through the new hostfwd\n'), 'through the new hostfwd\n');
      dst.send('poweroff\n');
      assert.equal((await dst.exited).code, 0);
    } finally {
      src.proc.kill('SIGKILL');
      dst.proc.kill('SIGKILL');
    }
  },
);
