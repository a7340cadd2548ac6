// A scripted guest session for full-system tests: start `bin/tsvirt run` with pipes, wait for
// console text, run shell commands and collect their output between markers, like a person at
// the console would (v86 tests/full/run.js and Firecracker's integration tests work this way).

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSVIRT = `${ROOT}/bin/tsvirt`;

/** Paths of the default Debian guest, building it with `tsvirt image` when missing. */
export function debianGuest() {
  const r = spawnSync(TSVIRT, ['image', '--print-paths'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`tsvirt image failed with status ${r.status}`);
  const paths = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) paths[m[1]] = m[2];
  }
  return paths;
}

/**
 * Copy BusyBox out of a gzip'd initramfs to `dest`. The guest's initramfs is merged-/usr (bin is
 * a link to usr/bin), so BusyBox is usr/bin/busybox there.
 */
export function extractBusybox(initrd, dest) {
  const r = spawnSync('sh', [
    '-c',
    `gzip -dc '${initrd}' | cpio -i --quiet --to-stdout usr/bin/busybox > '${dest}'`,
  ]);
  if (r.status !== 0) throw new Error(`extracting BusyBox from ${initrd} failed: ${r.stderr}`);
  const size = statSync(dest).size;
  if (size === 0) throw new Error(`${initrd} holds no usr/bin/busybox`);
  chmodSync(dest, 0o755);
}

// A guest that panicked or exited will never print what a test waits for: fail at once rather
// than at the (long) boot timeout.
const PANIC = /Kernel panic - not syncing/;

/** ECMA-48 control sequences (ESC [ parameters final byte). */
// eslint-disable-next-line no-control-regex
const CSI = /\x1b\[[0-9;?]*[@-~]/g;

export class Guest {
  /**
   * @param {string[]} args arguments after `tsvirt run`. With TSVIRT_BOOT_JIT set (on, off, js),
   *   every guest runs with that `--jit` whatever the test asks: the suite runs once more with
   *   the interpreter alone. With TSVIRT_BOOT_CPU, every guest runs with that `--cpu` (the
   *   second run uses rv64gc, so that every test passes with the smallest profile too).
   */
  constructor(args, { log = false, command = TSVIRT, argv = ['run', ...args] } = {}) {
    const jit = process.env.TSVIRT_BOOT_JIT;
    if (jit !== undefined && argv[0] === 'run') argv = [...argv, '--jit', jit];
    const cpu = process.env.TSVIRT_BOOT_CPU;
    if (cpu !== undefined && argv[0] === 'run') argv = [...argv, '--cpu', cpu];
    this.output = '';
    let raw = '';
    this.exited = new Promise((resolve) => {
      this.proc = spawn(command, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
      this.proc.on('exit', (code, signal) => resolve({ code, signal }));
      // 'close' comes after the last output, so a waiter sees all of it before giving up.
      this.proc.on('close', (code, signal) => {
        this.exitStatus = { code, signal };
        for (const w of [...this.waiters]) w();
      });
    });
    this.waiters = [];
    const onData = (d) => {
      // Without terminal control sequences: BusyBox's shell follows its prompt with a cursor
      // position query (ESC [ 6 n), which must not hide the prompt at the end of a line. The
      // whole text is cleaned each time because a chunk may end inside a sequence.
      raw += d.toString('latin1');
      this.output = raw.replace(CSI, '');
      if (log) process.stderr.write(d);
      for (const w of [...this.waiters]) w();
    };
    this.proc.stdout.on('data', onData);
    this.proc.stderr.on('data', onData);
  }

  /** Wait until the console output (from `from` on) matches `re`; returns the match. */
  waitFor(re, timeoutMs, from = 0) {
    return new Promise((resolve, reject) => {
      const done = () => {
        this.waiters = this.waiters.filter((w) => w !== check);
        clearTimeout(timer);
      };
      const check = () => {
        const text = this.output.slice(from);
        const m = re.exec(text);
        if (m) {
          done();
          resolve(m);
        } else if (this.exitStatus !== undefined || PANIC.test(text)) {
          done();
          const why =
            this.exitStatus !== undefined
              ? `the guest exited (${JSON.stringify(this.exitStatus)})`
              : 'the guest kernel panicked';
          reject(new Error(`${why} while waiting for ${re}; console tail:\n${this.output.slice(-2000)}`));
        }
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${re}; console tail:\n${this.output.slice(-2000)}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(check);
      check();
    });
  }

  /** A session with another emulator (a peer such as QEMU) driven the same way. */
  static spawn(command, argv, opts = {}) {
    return new Guest([], { ...opts, command, argv });
  }

  send(text) {
    this.proc.stdin.write(text);
  }

  /** Run `cmd` in the guest shell and return what it printed. */
  async run(cmd, timeoutMs = 120_000) {
    const tag = `T${Math.random().toString(36).slice(2, 8)}`;
    const start = this.output.length;
    // The markers are built by the shell (the $ expansion), so the echo of the typed line never
    // matches them.
    this.send(`echo ${tag}_$((1+1)); ${cmd}; echo ${tag}_$((2+1))\n`);
    await this.waitFor(new RegExp(`${tag}_3`), timeoutMs, start);
    const text = this.output.slice(start);
    const a = text.indexOf(`${tag}_2`);
    const b = text.indexOf(`${tag}_3`);
    // Kernel messages may land on the same console in the middle of a command's output.
    return text
      .slice(a + tag.length + 2, b)
      .replace(/\r/g, '')
      .split('\n')
      .filter((l) => !/^\[\s*\d+\.\d+\] /.test(l))
      .join('\n')
      .trim();
  }

  kill() {
    this.proc.kill('SIGKILL');
  }
}

/**
 * What the host reads back through `port` on 127.0.0.1 after writing `text` (a guest behind a
 * hostfwd echoes it, e.g. `nc -l -p PORT -e cat`).
 */
export function echoThrough(port, text) {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(text));
    let got = '';
    s.on('data', (d) => {
      got += d;
      if (got.length >= text.length) {
        s.destroy();
        resolve(got);
      }
    });
    s.on('error', reject);
    s.setTimeout(30_000, () => reject(new Error(`no echo through hostfwd port ${port}`)));
  });
}
