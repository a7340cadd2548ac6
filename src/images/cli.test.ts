// `tsvirt image` option parsing, the cache directory default and the --print-paths format.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ImageUsageError, parseImageOptions, pathLines } from './cli.js';
import { cacheLayout, DEFAULT_MODULES, defaultCacheDir, outputPath } from './layout.js';

test('defaults: the XDG cache, the default modules, no refresh', () => {
  const o = parseImageOptions([], { XDG_CACHE_HOME: '/x/cache' });
  assert.deepEqual(o, {
    mirror: undefined,
    cacheDir: '/x/cache/tsvirt',
    refresh: false,
    modules: DEFAULT_MODULES,
    packages: [],
    nested: false,
    printPaths: false,
    help: false,
  });
});

test('options are read; --modules is a comma-separated list and may be empty', () => {
  const o = parseImageOptions(
    [
      '--mirror',
      'http://m.example.org/debian',
      '--cache-dir',
      '/tmp/c',
      '--refresh',
      '--modules',
      'ext4, 9p',
      '--print-paths',
    ],
    {},
  );
  assert.equal(o.mirror, 'http://m.example.org/debian');
  assert.equal(o.cacheDir, '/tmp/c');
  assert.equal(o.refresh, true);
  assert.deepEqual(o.modules, ['ext4', '9p']);
  assert.equal(o.printPaths, true);
  assert.deepEqual(parseImageOptions(['--modules', ''], {}).modules, []);
});

test('--packages is a comma- or space-separated list, sorted and deduplicated; --nested is a flag', () => {
  const o = parseImageOptions(['--packages', 'qemu-system-riscv, strace gdb,strace', '--nested'], {});
  assert.deepEqual(o.packages, ['gdb', 'qemu-system-riscv', 'strace']);
  assert.equal(o.nested, true);
  // Debian Policy 5.6.7: lower case, digits, + - . and at least two characters.
  for (const bad of ['Qemu', 'a', 'foo_bar', 'x;rm', '-x']) {
    assert.throws(
      () => parseImageOptions([`--packages=${bad}`], {}),
      /--packages: '.*' is not a Debian/,
      bad,
    );
  }
  assert.throws(() => parseImageOptions(['--packages', ' , '], {}), /--packages: no package named/);
});

test('bad options are usage errors naming them', () => {
  assert.throws(() => parseImageOptions(['--bogus'], {}), ImageUsageError);
  assert.throws(() => parseImageOptions(['--modules', 'ext4;rm'], {}), /--modules: 'ext4;rm'/);
  assert.throws(() => parseImageOptions(['--cache-dir', ''], {}), /--cache-dir/);
});

test('the cache dir ignores a relative XDG_CACHE_HOME, as the XDG spec says', () => {
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'rel' }, '/home/u'), '/home/u/.cache/tsvirt');
  assert.equal(defaultCacheDir({}, '/home/u'), '/home/u/.cache/tsvirt');
});

test('--print-paths prints KEY=path lines for every output', () => {
  const layout = cacheLayout('/c');
  const outputs = {
    kernel: outputPath(layout, 'kernel'),
    initrd: outputPath(layout, 'initrd'),
    fw_dynamic: outputPath(layout, 'fw_dynamic'),
    fw_jump: outputPath(layout, 'fw_jump'),
    config: outputPath(layout, 'config'),
    version: outputPath(layout, 'version'),
  };
  assert.equal(
    pathLines(outputs),
    [
      'KERNEL=/c/images/debian-trixie-riscv64/Image',
      'INITRD=/c/images/debian-trixie-riscv64/initrd.img',
      'FW_DYNAMIC=/c/images/debian-trixie-riscv64/fw_dynamic.bin',
      'FW_JUMP=/c/images/debian-trixie-riscv64/fw_jump.bin',
      'CONFIG=/c/images/debian-trixie-riscv64/config',
      'VERSION=/c/images/debian-trixie-riscv64/version',
      '',
    ].join('\n'),
  );
});
