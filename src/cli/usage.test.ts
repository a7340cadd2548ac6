// `bin/tsvirt` as a QEMU user meets it (needs `npm run build`): the usage on stderr for an error
// exit, unknown commands named even with --help, --version, the listings, QEMU's spellings and
// typos answered with the tsvirt option, --stats busy and idle time, reboot reporting and
// --reboot, and --config read through the same table as the flags.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildImage } from '../testing/loaders/samples.js';
import { runConfigSchema } from './options.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSVIRT = join(ROOT, 'bin', 'tsvirt');
const EXIT_ERROR = 125;
const MiB = 1024 * 1024;

const tmp = mkdtempSync(join(tmpdir(), 'tsvirt-usage-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function tsvirt(...args: string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync(TSVIRT, args, { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

/**
 * A RISC-V Image (Documentation/arch/riscv/boot-image-header.rst) whose code0 jumps over the
 * 64-byte header to `code` (32-bit instruction words), run in S-mode by the built-in SBI.
 */
function imageWith(name: string, code: number[]): string {
  const b = buildImage({ sizeBytes: 8192, textOffset: 0x200000, imageSize: MiB });
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x0400006f, true); // jal x0, +64
  code.forEach((insn, k) => v.setUint32(64 + 4 * k, insn, true));
  const path = join(tmp, name);
  writeFileSync(path, b);
  return path;
}
/** wfi; j .-4 with every interrupt disabled: the hart waits for good, the guest is idle. */
const idle = imageWith('idle', [0x10500073, 0xffdff06f]);
/** Store 0x7777 (reset) to the SiFive test device at 0x100000: the guest asks for a reboot. */
const reboot = imageWith('reboot', [
  0x001002b7, // lui t0, 0x100
  0x00007337, // lui t1, 0x7
  0x77730313, // addi t1, t1, 0x777
  0x0062a023, // sw t1, 0(t0)
  0x0000006f, // j .
]);

/** Run `args` until `ms` have passed or its stderr matches `until`, then SIGTERM it; its status and output. */
function runFor(args: string[], ms: number, until?: RegExp): Promise<{ status: number | null; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(TSVIRT, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let killed = false;
    p.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      // Once: a second SIGTERM during the clean shutdown would kill it (signals.ts).
      if (!killed && until?.test(err) === true) killed = p.kill('SIGTERM');
    });
    const t = setTimeout(() => p.kill('SIGTERM'), ms);
    p.on('exit', (status) => {
      clearTimeout(t);
      resolve({ status, err });
    });
  });
}

test('bare tsvirt: exit 125, the usage on stderr and nothing on stdout', () => {
  const r = tsvirt();
  assert.equal(r.status, EXIT_ERROR);
  assert.equal(r.out, '');
  assert.match(r.err, /no command given\nUsage: tsvirt run/);
});

test('an unknown command is an error even with --help, and a near one is suggested', () => {
  const r = tsvirt('bogus', '--help');
  assert.equal(r.status, EXIT_ERROR);
  assert.equal(r.out, '');
  assert.match(r.err, /^tsvirt: error: unknown command 'bogus'/);
  assert.match(tsvirt('rnu').err, /unknown command 'rnu' \(did you mean run\?\)/);
  assert.match(tsvirt('-m', '512').err, /the command comes first: tsvirt run -m 512/);
  for (const help of [['--help'], ['-h'], ['help'], ['run', '--help']]) {
    const h = tsvirt(...help);
    assert.equal(h.status, 0, help.join(' '));
    assert.match(h.out, /^Usage: tsvirt run/);
  }
});

test('--version and -V: the package version, the git commit and the Node version', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const head = spawnSync('git', ['-C', ROOT, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  for (const args of [['--version'], ['-V'], ['run', '--version']]) {
    const r = tsvirt(...args);
    assert.equal(r.status, 0);
    const lines = r.out.split('\n');
    assert.equal(lines[0], `tsvirt ${pkg.version}`);
    assert.match(lines[1], new RegExp(`^commit ${head}( \\(modified\\))?$`));
    assert.equal(lines[2], `Node ${process.version}`);
  }
});

test('--machine help and --cpu help list the choices', () => {
  for (const args of [['--machine', 'help'], ['--machine=help']]) {
    const r = tsvirt('run', ...args);
    assert.equal(r.status, 0);
    assert.match(r.out, /^ {2}virt +QEMU-virt-compatible/m);
    assert.match(r.out, /^ {2}spike +the HTIF test board/m);
  }
  const cpu = tsvirt('run', '--cpu', 'help');
  assert.equal(cpu.status, 0);
  assert.match(cpu.out, /^ {2}rv64gc /m);
});

test("QEMU's spellings get an error naming the tsvirt option", () => {
  for (const [args, message] of [
    [['-smp', '2'], /'-smp' is QEMU's spelling: use --smp N/],
    [['-nographic'], /'-nographic' is QEMU's spelling: not needed: the console is always on stdin\/stdout/],
    [['-drive', 'file=a.img,if=virtio'], /'-drive' is QEMU's spelling: use --disk file=IMG/],
    [['-netdev', 'user,id=n0'], /'-netdev' is QEMU's spelling: use --net socket,listen=PATH/],
    [['-gdb', 'tcp::1234'], /'-gdb' is QEMU's spelling: use --gdb tcp::PORT/],
    [['-M', 'virt'], /'-M' is QEMU's spelling: use --machine virt/],
    [['-kernel', 'Image'], /'-kernel' is QEMU's spelling: use --kernel FILE/],
    [['-device', 'virtio-rng-device'], /--rng virtio-rng/],
    [['--drive', 'file=a'], /unknown option '--drive': use --disk/],
    [['--memroy', '1G'], /unknown option '--memroy' \(did you mean --memory\?\)/],
    [['--dsik', 'file=a'], /unknown option '--dsik' \(did you mean --disk\?\)/],
    [['-jit', 'off'], /unknown option '-jit': tsvirt's options take two dashes \(--jit\)/],
    [['--frobnicate'], /^tsvirt: error: unknown option '--frobnicate'\n$/],
    [['stray'], /unexpected argument 'stray'/],
  ] as const) {
    const r = tsvirt('run', ...args);
    assert.equal(r.status, EXIT_ERROR, args.join(' '));
    assert.equal(r.out, '');
    assert.match(r.err, message, args.join(' '));
  }
});

test('--stats: busy time and MIPS while busy apart from idle time (a guest waiting in WFI)', async () => {
  const r = await runFor(['run', '--kernel', idle, '--stats', '--memory', '16M'], 6000);
  assert.equal(r.status, 143, r.err);
  const m =
    /(\d+) instructions in ([\d.]+) s: busy ([\d.]+) s \(([\d.]+) MIPS while busy\), idle ([\d.]+) s/.exec(
      r.err,
    );
  assert.ok(m, r.err);
  const [retired, totalS, busyS, mips, idleS] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  // The guest waits at once and for good, so nearly all the run shows as idle time, kept
  // out of the MIPS figure. No bound on the split itself: on a loaded host the wake-ups of a
  // waiting VM stretch its busy time, and this test must not depend on the machine's speed (it
  // once failed in CI with a bound of 2 s idle). Counting the waiting as busy gives idle 0.
  assert.ok(idleS >= 0.2, `idle ${idleS} s; ${r.err}`);
  assert.ok(Math.abs(busyS + idleS - totalS) <= 0.002, r.err);
  assert.ok(Math.abs(mips - retired / busyS / 1e6) <= 0.05 + mips * 0.01, r.err);
});

test('a guest reboot: exit 2 with the reason on stderr; --reboot starts the guest again', async () => {
  const r = tsvirt('run', '--kernel', reboot, '--memory', '16M');
  assert.equal(r.status, 2);
  assert.match(r.err, /tsvirt: the guest asked for a reboot; stopped \(--reboot restarts it\)/);
  // Stopped once the third boot starts, or after a minute: a loaded host may boot slowly.
  const again = await runFor(['run', '--kernel', reboot, '--memory', '16M', '--reboot'], 60_000, /boot 3\)/);
  assert.match(again.err, /starting it again \(boot 2\)\n[^]*starting it again \(boot 3\)/);
  assert.equal(again.status, 143, again.err);
});

test('--config: a JSON file of options; bad keys and values are named', () => {
  const cfg = join(tmp, 'vm.json');
  writeFileSync(cfg, JSON.stringify({ kernel: reboot, memory: 16, smp: 2 }));
  const r = tsvirt('run', '--config', cfg);
  assert.equal(r.status, 2, r.err);
  for (const [json, message] of [
    [
      '{"memroy": "1G"}',
      /--config .*vm\.json: unknown key 'memroy' \(did you mean 'memory'\?\)|did you mean memory/,
    ],
    ['{"smp": true}', /key 'smp' must be a string/],
    ['{"rng": "yes"}', /key 'rng' must be true or false/],
    ['[1]', /must be a JSON object/],
    ['{', /not valid JSON/],
    ['{"memory": "5G"}', /--memory: '5G' is not a multiple/],
  ] as const) {
    writeFileSync(cfg, json);
    const bad = tsvirt('run', '--config', cfg);
    assert.equal(bad.status, EXIT_ERROR, json);
    assert.match(bad.err, message, json);
  }
  assert.match(
    tsvirt('run', '--config', join(tmp, 'none.json')).err,
    /--config: cannot read '.*none\.json': no such file/,
  );
});

test('docs/vm-config.schema.json is the schema of the option table', () => {
  const published = JSON.parse(readFileSync(join(ROOT, 'docs', 'vm-config.schema.json'), 'utf8')) as unknown;
  assert.deepEqual(
    published,
    runConfigSchema(),
    "regenerate it: node --input-type=module -e \"import('./dist/cli/options.js').then((m) => " +
      'console.log(JSON.stringify(m.runConfigSchema())))" > docs/vm-config.schema.json; npx prettier --write docs',
  );
});
