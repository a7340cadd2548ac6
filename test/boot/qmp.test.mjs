// QMP with Debian's kernel: one `tsvirt run --qmp unix:...,server,wait=off`, driven by a small QMP
// client written here from the QMP specification (QEMU docs/interop/qmp-spec.rst: a greeting,
// capabilities negotiation, CRLF-terminated JSON replies carrying the request's id, asynchronous
// events with timestamps) and by raw exchanges through socat. Every command of docs/qmp.md, the
// events STOP, RESUME, POWERDOWN, RESET and SHUTDOWN, and hostile input: malformed JSON, unknown
// commands, a message over the size limit, and a client that never reads its replies. Internal
// snapshots as jobs on a qcow2 disk: saved, written on, loaded (RAM and disk as at the save).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Guest, debianGuest } from './guest.mjs';
import { createQcow2 } from '../../dist/backends/block/open.js';

const BOOT_TIMEOUT_MS = Number(process.env.TSVIRT_BOOT_TIMEOUT_MS ?? 900_000);
const guest = debianGuest();
const log = process.env.TSVIRT_TEST_LOG === '1';
const work = mkdtempSync(join(tmpdir(), 'tsvirt-qmp-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const SOCK = join(work, 'qmp.sock');
const DISK = join(work, 'disk.img');
const DISK_BYTES = 1024 * 1024;
const QDISK = join(work, 'snap.qcow2');
const haveQemuImg = spawnSync('qemu-img', ['--version'], { stdio: 'ignore' }).error === undefined;

/**
 * A QMP client from the specification: the server's messages are JSON objects each ending in
 * CRLF; a reply is the object with "return" or "error" (and the request's "id"), an event the
 * object with "event". Events are kept in arrival order for the test to check.
 */
class QmpClient {
  static open(path) {
    return new Promise((resolve, reject) => {
      const socket = connect(path, () => resolve(new QmpClient(socket)));
      socket.once('error', reject);
    });
  }

  constructor(socket) {
    this.socket = socket;
    this.buffered = '';
    this.messages = [];
    this.events = [];
    this.waiters = [];
    this.closed = false;
    this.nextId = 1;
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      this.buffered += d;
      let nl;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        assert.ok(line.endsWith('\r'), `a QMP message ends in CRLF: ${JSON.stringify(line)}`);
        const msg = JSON.parse(line);
        if ('event' in msg) this.events.push(msg);
        else this.messages.push(msg);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  wake() {
    for (const w of [...this.waiters]) w();
  }

  /** Resolve with the first value `pick` returns that is not undefined (checked on each message). */
  until(pick, what, timeoutMs = 60_000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = pick();
        if (v !== undefined) {
          this.waiters = this.waiters.filter((w) => w !== check);
          clearTimeout(timer);
          resolve(v);
        } else if (this.closed) {
          this.waiters = this.waiters.filter((w) => w !== check);
          clearTimeout(timer);
          reject(new Error(`the server closed the connection while waiting for ${what}`));
        }
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.waiters.push(check);
      check();
    });
  }

  /** The next message that is not an event (the greeting, then replies). */
  next() {
    return this.until(() => this.messages.shift(), 'a message');
  }

  send(text) {
    this.socket.write(text);
  }

  /** Run a command; resolves with its reply, found by its id. */
  async execute(name, args) {
    const id = `c${this.nextId++}`;
    this.send(
      JSON.stringify(args === undefined ? { execute: name, id } : { execute: name, arguments: args, id }),
    );
    const reply = await this.until(() => {
      const k = this.messages.findIndex((m) => m.id === id);
      return k < 0 ? undefined : this.messages.splice(k, 1)[0];
    }, `the reply to ${name}`);
    return reply;
  }

  /** Run a command that must succeed; resolves with its return value. */
  async ok(name, args) {
    const r = await this.execute(name, args);
    assert.ok('return' in r, `${name}: ${JSON.stringify(r)}`);
    return r.return;
  }

  /** The next event named `name` from position `from` of the event list on. */
  event(name, from = 0) {
    return this.until(() => this.events.slice(from).find((e) => e.event === name), `event ${name}`);
  }

  close() {
    this.socket.destroy();
  }
}

/** Check an event's timestamp: seconds and microseconds since the epoch, close to now. */
function checkTimestamp(e) {
  const { seconds, microseconds } = e.timestamp;
  assert.ok(Number.isInteger(seconds) && Number.isInteger(microseconds), JSON.stringify(e));
  assert.ok(microseconds >= 0 && microseconds < 1e6);
  assert.ok(Math.abs(seconds + microseconds / 1e6 - Date.now() / 1000) < 120, JSON.stringify(e));
}

/** A whole conversation through socat: `input` sent, then what the server said within a while. */
function socat(input) {
  const r = spawnSync('socat', ['-t', '3', '-', `UNIX-CONNECT:${SOCK}`], {
    input,
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.status, 0, `socat failed: ${r.stderr}`);
  return r.stdout
    .split('\r\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

const errorClass = (r) => r.error?.class;

test(
  'QMP: a conversation from the specification with a Debian guest',
  { timeout: BOOT_TIMEOUT_MS + 300_000 },
  async () => {
    writeFileSync(DISK, '');
    truncateSync(DISK, DISK_BYTES);
    await createQcow2(QDISK, { sizeBytes: 4 * 1024 * 1024 });
    const g = new Guest(
      [
        ...['--kernel', guest.KERNEL, '--initrd', guest.INITRD, '--append', 'console=ttyS0'],
        ...['--smp', '2', '--disk', `file=${DISK},format=raw,readonly`, '--disk', `file=${QDISK}`],
        ...['--qmp', `unix:${SOCK},server,wait=off`],
      ],
      { log },
    );
    try {
      // wait=off: the guest starts without a client.
      await g.waitFor(/Linux version/, 120_000);
      for (let k = 0; k < 100 && !existsSync(SOCK); k++) await sleep(100);
      const c = await QmpClient.open(SOCK);

      // The greeting, and negotiation mode.
      const greeting = await c.next();
      const v = greeting.QMP.version;
      assert.ok([v.qemu.major, v.qemu.minor, v.qemu.micro].every(Number.isInteger), JSON.stringify(greeting));
      assert.equal(typeof v.package, 'string');
      assert.ok(Array.isArray(greeting.QMP.capabilities));
      assert.ok(!greeting.QMP.capabilities.includes('oob'), 'oob is not implemented, so not offered');
      assert.equal(errorClass(await c.execute('query-status')), 'CommandNotFound');
      assert.deepEqual(await c.ok('qmp_capabilities'), {});
      assert.equal(errorClass(await c.execute('qmp_capabilities')), 'CommandNotFound');

      // The queries.
      assert.deepEqual(await c.ok('query-version'), v);
      const names = (await c.ok('query-commands')).map((x) => x.name);
      for (const n of [
        'qmp_capabilities',
        'query-status',
        'stop',
        'cont',
        'system_powerdown',
        'system_reset',
        'quit',
        'query-cpus-fast',
        'query-block',
        'query-version',
        'query-commands',
        'human-monitor-command',
        'snapshot-save',
        'snapshot-load',
        'snapshot-delete',
        'query-jobs',
        'job-dismiss',
      ])
        assert.ok(names.includes(n), `query-commands lists ${n}`);
      const cpus = await c.ok('query-cpus-fast');
      assert.deepEqual(
        cpus.map((x) => x['cpu-index']),
        [0, 1],
      );
      for (const x of cpus) {
        assert.equal(x.target, 'riscv64');
        assert.ok(Number.isInteger(x['thread-id']) && typeof x['qom-path'] === 'string');
      }
      const blocks = await c.ok('query-block');
      assert.equal(blocks.length, 2);
      assert.deepEqual(
        [blocks[1].device, blocks[1].inserted.drv, blocks[1].inserted.ro],
        ['virtio1', 'qcow2', false],
      );
      assert.equal(blocks[0].inserted.file, DISK);
      assert.equal(blocks[0].inserted.ro, true);
      assert.equal(blocks[0].inserted.drv, 'raw');
      assert.equal(blocks[0].inserted.image['virtual-size'], DISK_BYTES);

      await g.waitFor(/tsvirt: init done/, BOOT_TIMEOUT_MS);
      await g.waitFor(/# $/m, 120_000);
      assert.deepEqual(await c.ok('query-status'), { running: true, status: 'running' });

      // stop: the STOP event, the paused state, and a guest that really does not run.
      const before = c.events.length;
      assert.deepEqual(await c.ok('stop'), {});
      checkTimestamp(await c.event('STOP', before));
      assert.deepEqual(await c.ok('query-status'), { running: false, status: 'paused' });
      assert.equal(
        await c.ok('human-monitor-command', { 'command-line': 'info status' }),
        'VM status: paused\r\n',
      );
      const regs = await c.ok('human-monitor-command', { 'command-line': 'info registers' });
      const start = g.output.length;
      g.send('echo PAUSED_$((6*7))\n');
      await sleep(1500);
      assert.doesNotMatch(g.output.slice(start), /PAUSED_42/, 'the shell ran while the VM was stopped');
      // Not a single instruction ran: pc and the registers are as they were (mip may differ: the
      // UART's input still raises its interrupt line).
      const noMip = (t) => t.replace(/^ mip .*$/m, '');
      assert.equal(
        noMip(await c.ok('human-monitor-command', { 'command-line': 'info registers' })),
        noMip(regs),
      );
      // Registers as RISC-V's info registers shows them: pc, x1..x31 with ABI names, privilege.
      assert.match(regs, /^ pc +[0-9a-f]{16}\r$/m);
      assert.match(regs, /^ priv +[USM]\r$/m);
      for (const r of ['x1/ra', 'x2/sp', 'x10/a0', 'x31/t6'])
        assert.match(regs, new RegExp(` ${r} +[0-9a-f]{16}`));
      assert.equal(regs.match(/ x\d+\/\w+ +[0-9a-f]{16}/g).length, 32);
      const all = await c.ok('human-monitor-command', { 'command-line': 'info registers -a' });
      assert.match(all, /CPU#0\r\n[^]* pc [^]*CPU#1\r\n[^]* pc /);
      const hart1 = await c.ok('human-monitor-command', { 'command-line': 'info registers', 'cpu-index': 1 });
      assert.ok(all.includes(hart1), 'cpu-index 1 is the second hart');

      // cont: RESUME, and the typed command runs.
      const beforeCont = c.events.length;
      assert.deepEqual(await c.ok('cont'), {});
      checkTimestamp(await c.event('RESUME', beforeCont));
      await g.waitFor(/PAUSED_42/, 60_000, start);
      assert.deepEqual(await c.ok('query-status'), { running: true, status: 'running' });

      // Errors: arguments, unknown commands, malformed JSON, a message over the limit.
      const bad = await c.execute('stop', { now: true });
      assert.equal(errorClass(bad), 'GenericError');
      assert.match(bad.error.desc, /now/);
      assert.equal(errorClass(await c.execute('human-monitor-command', {})), 'GenericError');
      assert.equal(
        errorClass(await c.execute('human-monitor-command', { 'command-line': 5 })),
        'GenericError',
      );
      assert.equal(errorClass(await c.execute('no-such-command')), 'CommandNotFound');
      c.send('{"execute": "query-status", "id": }\r\n');
      assert.equal(errorClass(await c.next()), 'GenericError');
      c.send('[1, 2, 3]\r\n');
      assert.equal(errorClass(await c.next()), 'GenericError');
      c.send(
        `{"execute": "query-status", "arguments": {"pad": "${'x'.repeat(2 * 1024 * 1024)}"}, "id": "huge"}\r\n`,
      );
      const huge = await c.next();
      assert.equal(errorClass(huge), 'GenericError', JSON.stringify(huge));
      assert.deepEqual(await c.ok('query-status'), { running: true, status: 'running' });

      // Raw exchanges through socat, a second client at the same time as the first.
      const raw = socat(
        '{"execute": "query-status"}\n{"execute": "qmp_capabilities"}\n{"execute": "query-status", "id": 9}\n' +
          'this is not JSON\n{"execute": "launch-missiles"}\n',
      );
      assert.ok('QMP' in raw[0]);
      assert.equal(errorClass(raw[1]), 'CommandNotFound');
      assert.deepEqual(raw[2], { return: {} });
      assert.deepEqual(raw[3], { return: { running: true, status: 'running' }, id: 9 });
      assert.equal(errorClass(raw[4]), 'GenericError');
      assert.equal(errorClass(raw[5]), 'CommandNotFound');

      // A client that never reads its replies is dropped; the VM and the other clients go on.
      const deaf = connect(SOCK);
      let deafClosed = false;
      deaf.on('close', () => (deafClosed = true));
      deaf.on('error', () => {});
      deaf.pause();
      deaf.write('{"execute": "qmp_capabilities"}');
      const flood =
        '{"execute": "human-monitor-command", "arguments": {"command-line": "info registers -a"}}';
      for (let k = 0; k < 40 && !deafClosed; k++) {
        deaf.write(flood.repeat(100));
        await sleep(50);
      }
      for (let k = 0; k < 100 && !deafClosed; k++) await sleep(100);
      assert.ok(deafClosed, 'the server dropped the client that never reads');
      deaf.destroy();
      assert.deepEqual(await c.ok('query-status'), { running: true, status: 'running' });
      assert.match(await g.run('echo alive_$((40+2))'), /alive_42/);

      // Internal snapshots as jobs. The guest keeps a word in RAM (a shell variable) and on its
      // qcow2 disk (virtio1, /dev/vdb); snapshot-load brings back both as they were at the save.
      const hmp = (line) => c.ok('human-monitor-command', { 'command-line': line });
      const mark = async (word) =>
        assert.match(
          await g.run(
            `M=${word}; printf ${word}_MARK | dd of=/dev/vdb bs=512 conv=sync 2>/dev/null; sync; echo wrote_$M`,
          ),
          new RegExp(`wrote_${word}`),
        );
      // What the disk holds (the page cache dropped first), and the word in RAM.
      const marks = () =>
        g.run(
          'echo 3 > /proc/sys/vm/drop_caches; dd if=/dev/vdb bs=16 count=1 2>/dev/null | tr -d "\\\\000"; echo; echo M=$M',
        );
      const jobStatuses = (id, from) =>
        c.events
          .slice(from)
          .filter((e) => e.event === 'JOB_STATUS_CHANGE' && e.data.id === id)
          .map((e) => e.data.status);
      const concluded = (id, from) =>
        c.until(() => (jobStatuses(id, from).includes('concluded') ? true : undefined), `job ${id}`, 120_000);
      const SUCCESS = ['created', 'running', 'waiting', 'pending', 'concluded'];
      await mark('first');
      let at = c.events.length;
      const save = { 'job-id': 'save0', tag: 'snap0', vmstate: 'virtio1', devices: ['virtio1'] };
      assert.deepEqual(await c.ok('snapshot-save', save), {});
      await concluded('save0', at);
      assert.deepEqual(jobStatuses('save0', at), SUCCESS);
      const seen = c.events.slice(at).map((e) => e.event);
      assert.ok(seen.indexOf('STOP') >= 0 && seen.indexOf('STOP') < seen.lastIndexOf('RESUME'), seen.join());
      assert.deepEqual(await c.ok('query-jobs'), [
        {
          id: 'save0',
          type: 'snapshot-save',
          status: 'concluded',
          'current-progress': 1,
          'total-progress': 1,
        },
      ]);
      assert.deepEqual(await c.ok('job-dismiss', { id: 'save0' }), {});
      assert.deepEqual(await c.ok('query-jobs'), []);
      assert.match(await hmp('info snapshots'), /\r\n-- +snap0 +\d/);
      // A job that fails: the raw disk cannot take snapshots; the error is in query-jobs.
      at = c.events.length;
      await c.ok('snapshot-save', { 'job-id': 'bad', tag: 'x', vmstate: 'virtio0', devices: ['virtio0'] });
      await concluded('bad', at);
      assert.deepEqual(jobStatuses('bad', at), ['created', 'running', 'aborting', 'concluded']);
      assert.equal(
        (await c.ok('query-jobs'))[0].error,
        "Device 'virtio0' is writable but does not support snapshots",
      );
      await c.ok('job-dismiss', { id: 'bad' });
      await mark('second');
      assert.match(await marks(), /second_MARK\nM=second/);
      at = c.events.length;
      await c.ok('snapshot-load', {
        'job-id': 'load0',
        tag: 'snap0',
        vmstate: 'virtio1',
        devices: ['virtio1'],
      });
      await concluded('load0', at);
      assert.deepEqual(jobStatuses('load0', at), SUCCESS);
      await c.ok('job-dismiss', { id: 'load0' });
      assert.equal((await c.ok('query-status')).status, 'running');
      assert.match(await marks(), /first_MARK\nM=first/);
      // HMP savevm and delvm, and snapshot-delete as a job; snap1 stays for qemu-img at the end.
      assert.equal(await hmp('savevm snap2'), '');
      assert.equal(await hmp('savevm snap1'), '');
      assert.equal(await hmp('delvm snap2'), '');
      at = c.events.length;
      await c.ok('snapshot-delete', { 'job-id': 'del0', tag: 'snap0', devices: ['virtio1'] });
      await concluded('del0', at);
      assert.deepEqual(jobStatuses('del0', at), SUCCESS);
      assert.doesNotMatch(await hmp('info snapshots'), /snap0|snap2/);
      assert.match(await g.run('echo alive_$((40+2))'), /alive_42/);

      // system_powerdown: the event (RISC-V virt has no power button: the guest sees nothing).
      const beforePower = c.events.length;
      assert.deepEqual(await c.ok('system_powerdown'), {});
      checkTimestamp(await c.event('POWERDOWN', beforePower));

      // system_reset: RESET, and the guest boots again.
      const boots = (g.output.match(/Linux version/g) ?? []).length;
      const beforeReset = c.events.length;
      assert.deepEqual(await c.ok('system_reset'), {});
      const reset = await c.event('RESET', beforeReset);
      checkTimestamp(reset);
      assert.deepEqual(reset.data, { guest: false, reason: 'host-qmp-system-reset' });
      const from = g.output.length;
      await g.waitFor(/Linux version/, 120_000, from);
      assert.equal((g.output.match(/Linux version/g) ?? []).length, boots + 1);
      assert.equal((await c.ok('query-status')).status, 'running');

      // quit: the reply, SHUTDOWN, and tsvirt exits with status 0.
      const beforeQuit = c.events.length;
      assert.deepEqual(await c.ok('quit'), {});
      const shutdown = await c.event('SHUTDOWN', beforeQuit);
      checkTimestamp(shutdown);
      assert.deepEqual(shutdown.data, { guest: false, reason: 'host-qmp-quit' });
      const exit = await g.exited;
      assert.deepEqual(exit, { code: 0, signal: null });
      assert.ok(!existsSync(SOCK), 'the socket is removed at exit');
      c.close();
      if (haveQemuImg) {
        // QEMU sees the snapshot tsvirt left, finds the image clean, and reverts to the first mark.
        const img = (...args) => spawnSync('qemu-img', args, { encoding: 'utf8' });
        assert.match(img('snapshot', '-l', QDISK).stdout, /\n\d+\s+snap1\s/);
        assert.match(img('check', QDISK).stdout, /No errors were found on the image/);
        assert.equal(img('snapshot', '-a', 'snap1', QDISK).status, 0);
        const raw = join(work, 'snap.raw');
        assert.equal(img('convert', '-O', 'raw', QDISK, raw).status, 0);
        assert.equal(readFileSync(raw).subarray(0, 10).toString(), 'first_MARK');
      }
      // --loadvm (QEMU's -loadvm): a new tsvirt starts from snap1, its shell as it was then.
      const resumed = new Guest(
        [
          ...['--kernel', guest.KERNEL, '--initrd', guest.INITRD, '--append', 'console=ttyS0'],
          ...['--smp', '2', '--disk', `file=${DISK},format=raw,readonly`, '--disk', `file=${QDISK}`],
          ...['--loadvm', 'snap1'],
        ],
        { log },
      );
      try {
        assert.match(await resumed.run('echo M=$M'), /^M=first$/m);
      } finally {
        resumed.kill();
      }
    } finally {
      g.kill();
    }
  },
);

/** A TCP port free right now (the kernel's choice). */
function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

test('QMP over TCP with wait=on (the default): the guest starts only once a client is there', async () => {
  // The guest would stop after 1000 instructions (exit status 124) about 2 s after start: it must
  // not, while no client has connected.
  const port = await freePort();
  const g = new Guest(['--max-instructions', '1000', '--qmp', `tcp:127.0.0.1:${port},server`], { log });
  let exited = false;
  void g.exited.then(() => (exited = true));
  try {
    await sleep(5000);
    assert.equal(exited, false, 'the guest ran before any client connected');
    const c = await new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new QmpClient(socket)));
      socket.once('error', reject);
    });
    assert.ok('QMP' in (await c.next()));
    assert.deepEqual(await g.exited, { code: 124, signal: null });
    c.close();
  } finally {
    g.kill();
  }
});
