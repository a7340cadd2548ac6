// `tsvirt run` options: every bound is enforced at parse time with a UsageError naming the option,
// so that nothing out of range reaches the engine (where --memory 5G used to end in an internal
// RangeError from the typed-array allocation).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_MEMORY_BYTES, parseRunOptions, parseSize, UsageError } from './options.js';

const GiB = 1024 ** 3;
const run = (...args: string[]): ReturnType<typeof parseRunOptions> =>
  parseRunOptions(['--kernel', 'k', ...args]);

function usage(args: string[], message: RegExp): void {
  assert.throws(
    () => run(...args),
    (e: unknown) => {
      assert.ok(e instanceof UsageError, `not a UsageError: ${String(e)}`);
      assert.match(e.message, message);
      return true;
    },
  );
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
  for (const bad of ['5G', '8G', '16G', '4194308K', '99999999999G', '1023K', '0', '1000001', '512'])
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
