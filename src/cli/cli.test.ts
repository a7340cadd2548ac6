// `bin/tsvirt run` as a user meets it (needs `npm run build`): bad options and files end with exit
// status 125 and one line naming the option and the fault, never an internal error; a spike
// program's HTIF failure (tohost = (n << 1) | 1, test/isa/test.h) is exit status n; and the test
// tools built on these statuses (tools/isa-tests.mjs, tools/jit-lockstep.mjs) fail when a program
// fails or never finishes, so that the ISA suite cannot pass by accident.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildElf, buildImage } from '../testing/loaders/samples.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSVIRT = join(ROOT, 'bin', 'tsvirt');
const CC = 'riscv64-linux-gnu-gcc';
const MiB = 1024 * 1024;
const EXIT_ERROR = 125;

const tmp = mkdtempSync(join(tmpdir(), 'tsvirt-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(command: string, args: string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: 120_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const tsvirt = (...args: string[]): ReturnType<typeof run> => run(TSVIRT, ['run', ...args]);

/** A valid Image for virt (its code is never reached by these tests) and a spike program that
 * spins (`j .`) with a tohost symbol. */
const kernel = join(tmp, 'Image');
writeFileSync(kernel, buildImage({ sizeBytes: 8192, textOffset: 0x200000, imageSize: MiB }));
const spin = join(tmp, 'spin.elf');
const J_SELF = [0x6f, 0, 0, 0]; // jal x0, 0
writeFileSync(
  spin,
  buildElf({
    entry: 0x80000000,
    segments: [{ paddr: 0x80000000, data: Uint8Array.from([...J_SELF, 0, 0, 0, 0, 0, 0, 0, 0]) }],
    symbols: [{ name: 'tohost', value: 0x80000008 }],
  }),
);

/** `tsvirt run args` exits 125 with one error line matching `message`. */
function fails(args: string[], message: RegExp): void {
  const r = tsvirt(...args);
  assert.equal(r.status, EXIT_ERROR, `exit status of tsvirt run ${args.join(' ')}; stderr: ${r.err}`);
  assert.doesNotMatch(r.err, /internal error|\n {4}at /, 'no stack trace');
  assert.match(r.err, message);
}

test('bad option values exit 125 with a message naming the option', () => {
  for (const [args, message] of [
    [['--memory', '5G'], /^tsvirt: error: --memory: '5G' is not a multiple of 4 KiB between 1M and 4G/],
    [['--memory', '16G'], /--memory: '16G' is not a multiple/],
    [['--memory', '99999999999G'], /--memory: '99999999999G' is far too large/],
    [['--memory', '12345'], /--memory: '12345' is not a multiple/],
    [['--smp', '0'], /--smp: 0 is out of range \(1\.\.32\)/],
    [['--smp', '33'], /--smp: 33 is out of range/],
    [['--jit-cache', '15'], /--jit-cache: 15 is out of range \(16\.\.1048576\)/],
    [['--max-instructions', '0'], /--max-instructions: 0 is out of range/],
    [['--max-instructions', 'lots'], /--max-instructions: 'lots' is not a whole number/],
    [['--cpu', 'pentium'], /--cpu: unknown CPU model 'pentium' \(choose from rv64gc, /],
    [['--cpu', 'max,zbx=on'], /--cpu: unknown extension 'zbx'/],
    [['--cpu', 'max,i=off'], /--cpu: 'i' cannot be turned off/],
  ] as const) {
    fails(['--machine', 'spike', '--kernel', '/dev/null', ...args], message);
  }
});

test('--qmp: a bad address or one that cannot be listened on exits 125 naming --qmp', () => {
  const dir = join(tmp, 'no-such-dir');
  fails(
    ['--machine', 'spike', '--kernel', spin, '--qmp', 'stdio'],
    /^tsvirt: error: --qmp: 'stdio' is not unix:PATH/,
  );
  fails(
    ['--machine', 'spike', '--kernel', spin, '--qmp', `unix:${dir}/q.sock,wait=off`],
    new RegExp(`^tsvirt: error: --qmp: cannot listen on ${dir}/q.sock: E[A-Z]+`),
  );
});

test('--cpu help lists every profile with its ISA string, and every extension', () => {
  const r = tsvirt('--cpu', 'help');
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^ {2}rv64gc +.*\n +rv64imafdc_zicntr_zicsr_zifencei_sstc$/m);
  assert.match(r.out, /^ {2}max +.*\n +rv64imafdch_.*_zba_zbb_.*_sscofpmf_/m);
  assert.match(r.out, /^ {2}svpbmt +page-based memory types/m);
});

test('--memory 4G is accepted and runs, on both boards and with every translator', () => {
  for (const jit of ['on', 'js', 'off']) {
    for (const board of [
      ['--machine', 'spike', '--kernel', spin],
      ['--kernel', kernel],
    ]) {
      const r = tsvirt(...board, '--memory', '4G', '--jit', jit, '--max-instructions', '100000');
      assert.equal(r.status, 124, `${board.join(' ')} --jit ${jit}: ${r.err}`);
      // 4 GiB of RAM leaves no room for the translator's tables in a 32-bit WebAssembly memory:
      // the user is told that JavaScript translates instead, and only when they asked for on.
      assert.equal(/translating to JavaScript instead/.test(r.err), jit === 'on', r.err);
    }
  }
});

test('unreadable --kernel, --initrd and --bios files exit 125 with the reason in words', () => {
  const missing = join(tmp, 'missing');
  fails(['--kernel', missing], new RegExp(`--kernel: cannot read '${missing}': no such file or directory`));
  fails(['--machine', 'spike', '--kernel', tmp], /--kernel: cannot read '.*': is a directory/);
  fails(['--kernel', tmp], /--kernel: cannot read '.*': is a directory/);
  fails(
    ['--kernel', kernel, '--initrd', '/dev/zero', '--memory', '16M'],
    /--initrd: '\/dev\/zero' is larger than guest RAM \(16 MiB\)/,
  );
  fails(['--kernel', kernel, '--bios', missing], /--bios: cannot read '.*': no such file or directory/);
  fails(['--kernel', kernel, '--initrd', missing], /--initrd: cannot read '.*': no such file or directory/);
  fails(['--kernel', kernel, '--initrd', tmp], /--initrd: cannot read '.*': is a directory/);
  fails(['--kernel', '/dev/zero', '--memory', '16M'], /--kernel: '\/dev\/zero' is larger than guest RAM/);
});

test('hostile kernels exit 125 with a clear error', () => {
  const bomb = join(tmp, 'bomb.gz');
  writeFileSync(bomb, gzipSync(new Uint8Array(64 * MiB), { level: 9 }));
  fails(
    ['--kernel', bomb, '--memory', '16M'],
    /--kernel: decompressed kernel is larger than guest RAM \(16 MiB\)/,
  );
  const image = buildImage({ sizeBytes: 64 * 1024, textOffset: 0x200000, imageSize: MiB, efi: true });
  const short = join(tmp, 'Image.short');
  writeFileSync(short, image.subarray(0, 60 * 1024));
  fails(
    ['--kernel', short, '--memory', '16M'],
    /--kernel: truncated or corrupt Image: its PE section table says/,
  );
  const elf = join(tmp, 'overlap.elf');
  writeFileSync(
    elf,
    buildElf({
      entry: 0x80000000,
      segments: [
        { paddr: 0x80000000, data: new Uint8Array(32), memSize: 0x2000 },
        { paddr: 0x80001000, data: new Uint8Array(32) },
      ],
      symbols: [{ name: 'tohost', value: 0x80001000 }],
    }),
  );
  fails(['--machine', 'spike', '--kernel', elf], /--kernel: PT_LOAD segments overlap in physical memory/);
});

// Programs for the spike board in test/isa's frame (test.h: TEST_CASE(n) then `j fail` reports
// case n; `j pass` reports success), built with Debian's cross compiler as tools/isa-tests.mjs does.
const PROGRAMS: Record<string, string> = {
  pass: 'TEST_CASE(1)\n        j pass',
  fail3: 'TEST_CASE(3)\n        j fail',
  wrap300: 'TEST_CASE(300)\n        j fail',
  forever: 'TEST_CASE(1)\n1:      j 1b',
};
const haveCc = spawnSync(CC, ['--version'], { stdio: 'ignore' }).error === undefined;
const programs = (() => {
  if (!haveCc) return undefined;
  const dir = join(tmp, 'isa');
  const build = join(dir, 'build');
  mkdirSync(build, { recursive: true });
  const elfs: Record<string, string> = {};
  for (const [name, body] of Object.entries(PROGRAMS)) {
    const src = join(dir, `${name}.S`);
    writeFileSync(src, `#include "test.h"\nTEST_BEGIN\n        ${body}\nTEST_END\n`);
    elfs[name] = join(build, `${name}.elf`);
    const isa = join(ROOT, 'test', 'isa');
    const flags = ['-march=rv64gc', '-mabi=lp64d', '-nostdlib', '-nostartfiles', '-static', '-I', isa];
    const r = run(CC, [
      ...flags,
      '-Wl,--no-warn-rwx-segments',
      '-T',
      join(isa, 'link.ld'),
      src,
      '-o',
      elfs[name],
    ]);
    assert.equal(r.status, 0, r.err);
  }
  return { dir, elfs };
})();
const needsCc = { skip: haveCc ? false : `${CC} is not installed` };

test('spike: a program that fails case n exits with status n; one that passes, with 0', needsCc, () => {
  const p = programs!;
  assert.equal(tsvirt('--machine', 'spike', '--kernel', p.elfs.pass).status, 0);
  for (const jit of ['on', 'js', 'off']) {
    assert.equal(tsvirt('--machine', 'spike', '--kernel', p.elfs.fail3, '--jit', jit).status, 3);
  }
  // Exit statuses are 8 bits: 300 mod 256 = 44.
  assert.equal(tsvirt('--machine', 'spike', '--kernel', p.elfs.wrap300).status, 44);
  const r = tsvirt('--machine', 'spike', '--kernel', p.elfs.forever, '--max-instructions', '100000');
  assert.equal(r.status, 124);
});

test('tools/isa-tests.mjs fails (status 1) when one of its programs fails', needsCc, () => {
  const p = programs!;
  const tool = (...args: string[]): ReturnType<typeof run> =>
    run(process.execPath, [
      join(ROOT, 'tools', 'isa-tests.mjs'),
      '--source-dir',
      p.dir,
      '--jobs',
      '1',
      ...args,
    ]);
  const r = tool('--filter', 'pass', '--filter', 'fail3');
  assert.equal(r.status, 1, r.out + r.err);
  assert.match(r.out, /^FAIL fail3: exit 3 \(case 3\)/m);
  assert.match(r.out, /^ok pass /m);
  assert.match(r.out, /^1 passed, 1 failed$/m);
  assert.equal(tool('--filter', 'pass').status, 0);
});

test(
  'tools/jit-lockstep.mjs fails a program still running at its instruction limit, or failing',
  needsCc,
  () => {
    const p = programs!;
    const tool = (filter: string): ReturnType<typeof run> =>
      run(process.execPath, [
        join(ROOT, 'tools', 'jit-lockstep.mjs'),
        '--dir',
        join(p.dir, 'build'),
        '--filter',
        filter,
        '--max-instructions',
        '20000',
      ]);
    const r = tool('forever');
    assert.equal(r.status, 1, r.out + r.err);
    assert.match(r.out, /^FAIL forever\.elf: still running after 20000 instructions/m);
    // A program that stopped at a failing case was compared only up to it.
    const f = tool('fail3');
    assert.equal(f.status, 1, f.out + f.err);
    assert.match(f.out, /^FAIL fail3\.elf: the program failed case 3 on both sides/m);
    assert.equal(tool('pass').status, 0);
  },
);
