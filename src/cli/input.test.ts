// Reading --kernel/--initrd/--bios: errors say what is wrong in words and name the option and the
// file; nothing longer than the guest's RAM is read, not even from an endless device.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeFsError, fileInput, readInput } from './input.js';
import { UsageError } from './options.js';

const MiB = 1024 * 1024;

function usage(f: () => unknown, message: string | RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof UsageError, `not a UsageError: ${String(e)}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

test('a missing file or a directory is named, with the reason in words', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-input-'));
  try {
    const missing = join(dir, 'no-such-kernel');
    usage(
      () => readInput('--initrd', missing, MiB),
      `--initrd: cannot read '${missing}': no such file or directory`,
    );
    usage(
      () => fileInput('--kernel', missing, MiB),
      `--kernel: cannot read '${missing}': no such file or directory`,
    );
    usage(() => readInput('--bios', dir, MiB), `--bios: cannot read '${dir}': is a directory`);
    usage(() => fileInput('--kernel', dir, MiB), `--kernel: cannot read '${dir}': is a directory`);
    const notDir = join(dir, 'file');
    writeFileSync(notDir, 'x');
    usage(
      () => readInput('--initrd', join(notDir, 'x'), MiB),
      /cannot read '.*': a component of the path is not a directory$/,
    );
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('errno codes become words; unknown ones keep their message', () => {
  const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: raw`), { code });
  assert.equal(describeFsError(err('EACCES')), 'permission denied');
  assert.equal(describeFsError(err('EPERM')), 'permission denied');
  assert.equal(describeFsError(err('EISDIR')), 'is a directory');
  assert.equal(describeFsError(err('ENOENT')), 'no such file or directory');
  assert.equal(describeFsError(err('EWHATEVER')), 'EWHATEVER: raw');
});

test('a regular file is read whole when it fits, and refused when larger than RAM', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-input-'));
  try {
    const path = join(dir, 'initrd');
    writeFileSync(path, new Uint8Array(4096).fill(7));
    assert.deepEqual(readInput('--initrd', path, 4096), new Uint8Array(4096).fill(7));
    usage(
      () => readInput('--initrd', path, 4095),
      `--initrd: '${path}' is larger than guest RAM (4095 bytes), which could not hold it`,
    );
    const f = fileInput('--kernel', path, MiB);
    assert.equal(f.size, 4096);
    const part = new Uint8Array(10);
    f.read(part, 4000);
    assert.deepEqual(part, new Uint8Array(10).fill(7));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('an endless device (/dev/zero) is read only up to RAM size, then refused', () => {
  usage(
    () => readInput('--initrd', '/dev/zero', MiB),
    "--initrd: '/dev/zero' is larger than guest RAM (1 MiB), which could not hold it",
  );
  usage(
    () => fileInput('--kernel', '/dev/zero', 2 * MiB),
    /^--kernel: '\/dev\/zero' is larger than guest RAM \(2 MiB\)/,
  );
  assert.equal(readInput('--initrd', '/dev/null', MiB).length, 0);
});
