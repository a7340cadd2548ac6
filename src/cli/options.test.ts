// `tsvirt run` options: every bound is enforced at parse time with a UsageError naming the option,
// so that nothing out of range reaches the engine (where --memory 5G used to end in an internal
// RangeError from the typed-array allocation).

import { isaProfile } from '../cpu/riscv/isa/profile.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_MEMORY_BYTES,
  parseRunOptions,
  parseSize,
  RUN_OPTIONS,
  runOptionsHelp,
  UsageError,
} from './options.js';

const GiB = 1024 ** 3;
const run = (...args: string[]): ReturnType<typeof parseRunOptions> =>
  parseRunOptions(['--kernel', 'k', ...args]);

function usage(args: string[], message: RegExp): void {
  usageOf(() => run(...args), message);
}

function usageOf(parse: () => unknown, message: RegExp): void {
  assert.throws(parse, (e: unknown) => {
    assert.ok(e instanceof UsageError, `not a UsageError: ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

test('parseSize: units are powers of 1024, optionally followed by B or iB', () => {
  assert.equal(parseSize('--x', '65536'), 65536);
  assert.equal(parseSize('--x', '64K'), 65536);
  assert.equal(parseSize('--x', '64KiB'), 65536);
  assert.equal(parseSize('--x', '512m'), 512 * 1024 ** 2);
  assert.equal(parseSize('--x', '1GB'), GiB);
  assert.equal(parseSize('--x', '4096B'), 4096);
  for (const bad of ['', 'G', '1.5G', '-1G', '1T', '12iB', '1 G G', '0x1000'])
    assert.throws(() => parseSize('--x', bad), /--x: '.*' is not a size/);
});

test('parseSize: a size past 2^53 is a clear error, not a rounded number', () => {
  for (const big of ['99999999999G', '9007199254740993', '9'.repeat(400)])
    assert.throws(() => parseSize('--memory', big), /--memory: '9+.*' is far too large/);
});

test('--memory: 1M to 4G in multiples of 4 KiB; 4G is the most the engine can hold', () => {
  assert.equal(MAX_MEMORY_BYTES, 4 * GiB);
  assert.equal(run('--memory', '4G').memoryBytes, 4 * GiB);
  assert.equal(run('--memory', '1M').memoryBytes, 1024 ** 2);
  assert.equal(run('--memory', '4194300K').memoryBytes, 4194300 * 1024);
  assert.equal(run().memoryBytes, 512 * 1024 ** 2);
  assert.equal(parseRunOptions(['--machine', 'spike', '--kernel', 'k']).memoryBytes, 256 * 1024 ** 2);
  for (const bad of ['5G', '8G', '16G', '4194308K', '99999999999G', '1023K', '0', '1000001', '512B'])
    usage([`--memory=${bad}`], /^--memory: /);
  usage(['--memory', '5G'], /--memory: '5G' is not a multiple of 4 KiB between 1M and 4G/);
});

test('--smp: 1 to 32 harts', () => {
  assert.equal(run('--smp', '32').smp, 32);
  for (const bad of ['0', '33', '-1', '1.5', 'two', '', '99999999999999999999'])
    usage([`--smp=${bad}`], /^--smp: /);
});

test('--jit-cache: 16 to 1048576 blocks', () => {
  assert.equal(run('--jit-cache', '16').jitCache, 16);
  assert.equal(run('--jit-cache', '1048576').jitCache, 1048576);
  for (const bad of ['15', '1048577', 'x', '1e3']) usage([`--jit-cache=${bad}`], /^--jit-cache: /);
});

test("--gdb tcp::PORT or tcp:HOST:PORT; -s is QEMU's tcp::1234, -S --paused", () => {
  assert.deepEqual(run('--gdb', 'tcp::1234').gdb, { host: '', port: 1234 });
  assert.deepEqual(run('--gdb=tcp:127.0.0.1:9000').gdb, { host: '127.0.0.1', port: 9000 });
  assert.deepEqual(run('-s').gdb, { host: '', port: 1234 });
  assert.equal(run('-S').paused, true);
  assert.equal(run().paused, false);
  for (const bad of ['1234', 'tcp:1234', 'tcp::0', 'tcp::65536', 'udp::1234', 'tcp::'])
    usage([`--gdb=${bad}`], /^--gdb: /);
});

test('--max-instructions: 1 to 2^53 - 1', () => {
  assert.equal(run('--max-instructions', '1').maxInstructions, 1);
  assert.equal(
    run('--max-instructions', String(Number.MAX_SAFE_INTEGER)).maxInstructions,
    Number.MAX_SAFE_INTEGER,
  );
  assert.equal(run().maxInstructions, undefined);
  for (const bad of ['0', '9007199254740992', '-5', '1e9', 'many'])
    usage([`--max-instructions=${bad}`], /^--max-instructions: /);
});

test('defaults: virt, 1 hart, WebAssembly translator, console on the UART, no devices', () => {
  assert.deepEqual(run(), {
    machine: 'virt',
    kernel: 'k',
    initrd: undefined,
    append: undefined,
    sbi: undefined,
    bios: undefined,
    memoryBytes: 512 * 1024 ** 2,
    smp: 1,
    cpu: isaProfile('max'),
    maxInstructions: undefined,
    stats: false,
    config: undefined,
    reboot: false,
    gdb: undefined,
    gdbDefault: false,
    paused: false,
    jit: 'wasm',
    jitCache: 65536,
    disks: [],
    nets: [],
    rng: false,
    incoming: undefined,
    saveOnExit: undefined,
    loadvm: undefined,
    console: 'stdio',
    qmp: [],
  });
  assert.equal(run('--loadvm', 'snap0').loadvm, 'snap0');
  const o = run('--disk', 'file=a', '--disk', 'file=b', '--net', 'udp,local=1,remote=2', '--rng', '--stats');
  assert.deepEqual(
    [o.disks, o.nets, o.rng, o.stats],
    [['file=a', 'file=b'], ['udp,local=1,remote=2'], true, true],
  );
  assert.equal(run('-m', '1G').memoryBytes, GiB);
});

test('a bare --memory number is MiB, as QEMU reads -m 512; bytes take a B', () => {
  assert.equal(run('-m', '512').memoryBytes, 512 * 1024 ** 2);
  assert.equal(run('--memory', '4096').memoryBytes, 4 * GiB);
  assert.equal(run('--memory', '1048576B').memoryBytes, 1024 ** 2);
  usage(['-m', '8192'], /--memory: '8192' is not a multiple of 4 KiB between 1M and 4G/);
});

test('--config FILE: the same options as the flags it holds; the command line wins', () => {
  const flags = [
    '--kernel',
    'k',
    '--memory',
    '1G',
    '--smp',
    '2',
    '--cpu',
    'rv64gc',
    '--stats',
    '--jit',
    'off',
    '--disk',
    'file=a,readonly',
    '--disk',
    'file=b',
    '--net',
    'udp,local=1,remote=2',
    '--rng',
    '--console',
    'virtio',
    '--append',
    'console=hvc0 -x',
    '--reboot',
  ];
  const json = JSON.stringify({
    kernel: 'k',
    memory: '1G',
    smp: 2,
    cpu: 'rv64gc',
    stats: true,
    jit: 'off',
    disk: ['file=a,readonly', 'file=b'],
    net: 'udp,local=1,remote=2',
    rng: true,
    console: 'virtio',
    append: 'console=hvc0 -x',
    reboot: true,
    'max-instructions': 5,
  });
  const files = (path: string): string => {
    assert.equal(path, 'vm.json');
    return json;
  };
  const fromFile = parseRunOptions(['--config', 'vm.json', '--max-instructions', '1000'], files);
  const fromFlags = parseRunOptions([...flags, '--max-instructions', '1000']);
  assert.deepEqual({ ...fromFile, config: undefined }, fromFlags);
  // Lists add up: the file's disks first.
  assert.deepEqual(parseRunOptions(['--config', 'vm.json', '--disk', 'file=c'], files).disks, [
    'file=a,readonly',
    'file=b',
    'file=c',
  ]);
  usageOf(() => parseRunOptions(['--config', 'vm.json'], () => '{"config": "x"}'), /unknown key 'config'/);
  usageOf(() => parseRunOptions(['--config', 'vm.json'], () => '{"smp": 99}'), /^--smp: 99 is out of range/);
});

test('spike needs --kernel and takes none of the options that only virt has', () => {
  const spike = (...args: string[]): ReturnType<typeof parseRunOptions> =>
    parseRunOptions(['--machine', 'spike', ...args]);
  usageOf(() => spike(), /^--kernel FILE is required$/);
  assert.equal(spike('--kernel', 'k').machine, 'spike');
  for (const [args, message] of [
    [['--disk', 'file=a'], '--disk applies to --machine virt only'],
    [
      ['--initrd', 'i', '--append', 'a', '--bios', 'b'],
      '--initrd, --append and --bios apply to --machine virt only',
    ],
    [['--rng'], '--rng applies to --machine virt only'],
    [['--console', 'stdio'], '--console applies to --machine virt only'],
    [['--sbi', 'builtin'], '--sbi applies to --machine virt only'],
  ] as const) {
    usageOf(() => spike('--kernel', 'k', ...args), new RegExp(`^${message}$`));
  }
});

test('--machine, --sbi, --jit and --console take only their documented values', () => {
  usage(
    ['--machine', 'sifive_u'],
    /^--machine: unknown machine 'sifive_u' \(known: spike, virt; --machine help lists them\)$/,
  );
  usage(['--sbi', 'opensbi'], /^--sbi: unknown value 'opensbi'/);
  usage(['--sbi', 'builtin', '--bios', 'fw.bin'], /^--sbi builtin and --bios exclude each other$/);
  usage(['--jit', 'yes'], /^--jit: 'yes' is not on, off or js$/);
  usage(['--console', 'tty'], /^--console: 'tty' is not stdio or virtio$/);
  assert.equal(run('--jit', 'js').jit, 'js');
  assert.equal(run('--jit', 'off').jit, 'off');
  assert.equal(run('--console', 'virtio').console, 'virtio');
  usage(['--no-such-option'], /^unknown option '--no-such-option'$/);
});

test('--help lists every option of the table with its value syntax, virt-only ones marked', () => {
  const help = runOptionsHelp();
  for (const s of Object.values(RUN_OPTIONS)) {
    const left = `  --${s.name}${'syntax' in s ? ` ${s.syntax}` : ''}`;
    const only = s.machines.length === 1 ? `${s.machines[0]}: ` : '';
    const at = help.indexOf(`${left} `) >= 0 ? help.indexOf(`${left} `) : help.indexOf(`${left}\n`);
    assert.ok(at >= 0, `--${s.name} is in --help`);
    const text = help.slice(at + left.length).trimStart();
    assert.ok(
      text.startsWith(`${only}${s.help.split('\n')[0]}`),
      `help of --${s.name}: ${text.slice(0, 80)}`,
    );
  }
});

test("--qmp: QEMU's unix: and tcp: spellings; tsvirt always listens; wait=on unless wait=off", () => {
  assert.deepEqual(run('--qmp', 'unix:/tmp/q.sock,server,wait=off').qmp, [
    { kind: 'unix', path: '/tmp/q.sock', wait: false },
  ]);
  assert.deepEqual(run('--qmp', 'unix:/tmp/q.sock').qmp, [{ kind: 'unix', path: '/tmp/q.sock', wait: true }]);
  assert.deepEqual(run('--qmp', 'tcp:127.0.0.1:4444,server=on,wait=on', '--qmp', 'tcp::5555,nowait').qmp, [
    { kind: 'tcp', host: '127.0.0.1', port: 4444, wait: true },
    { kind: 'tcp', host: 'localhost', port: 5555, wait: false },
  ]);
  assert.deepEqual(run('--qmp', 'tcp:[::1]:4444,server').qmp, [
    { kind: 'tcp', host: '::1', port: 4444, wait: true },
  ]);
  usage(['--qmp', 'unix:/q,server=off'], /^--qmp: server=off: tsvirt only listens/);
  usage(['--qmp', 'tcp:localhost:99999'], /^--qmp: .*not a TCP port/);
  usage(['--qmp', 'tcp:localhost:http'], /^--qmp: .*not a TCP port/);
  usage(['--qmp', 'unix:'], /^--qmp: .*no socket path/);
  usage(['--qmp', 'stdio'], /^--qmp: 'stdio' is not unix:PATH or tcp:HOST:PORT/);
  usage(['--qmp', 'unix:/q,wait=maybe'], /^--qmp: wait: 'maybe' is not on or off/);
  usage(['--qmp', 'unix:/q,telnet'], /^--qmp: unknown option 'telnet'/);
  assert.match(runOptionsHelp(), /--qmp unix:PATH\|tcp:HOST:PORT/);
});

test("--incoming file:PATH, tcp:HOST:PORT, exec:CMD (QEMU's spelling) and --save-on-exit PATH", () => {
  assert.deepEqual(run('--incoming', 'file:/tmp/a b').incoming, { kind: 'file', path: '/tmp/a b' });
  assert.deepEqual(run('--incoming', 'tcp:127.0.0.1:4444').incoming, {
    kind: 'tcp',
    host: '127.0.0.1',
    port: 4444,
  });
  assert.deepEqual(run('--incoming', 'tcp::4444').incoming, { kind: 'tcp', host: '', port: 4444 });
  assert.equal(run('--save-on-exit', 's.snap').saveOnExit, 's.snap');
  assert.deepEqual(run('--incoming', 'exec:cat a.mig').incoming, { kind: 'exec', command: 'cat a.mig' });
  for (const bad of ['/tmp/x', 'file:', 'tcp:1.2.3.4:x', 'tcp:h:70000', 'exec:', 'exec:  '])
    usage([`--incoming=${bad}`], /^--incoming: /);
});
