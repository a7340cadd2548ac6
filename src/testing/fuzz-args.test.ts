// The fuzz campaigns' command line: defaults, bounded integers, words among choices and flags; a
// wrong option is refused with its name, never read as NaN or 0.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FuzzArgsError, fuzzUsage, parseFuzzArgs } from './fuzz-args.js';

const SPEC = {
  cases: { int: { default: 100, min: 1, max: 1000 } },
  seed: { int: { default: 7, min: 0, max: 2 ** 32 - 1 } },
  device: { choice: { default: 'blk', choices: ['blk', 'net'] } },
  reasons: { flag: true },
} as const;

test('fuzz args: every option has its default when not given', () => {
  assert.deepEqual(parseFuzzArgs([], SPEC), { cases: 100, seed: 7, device: 'blk', reasons: false });
});

test('fuzz args: values and flags are read, the last of a repeated option wins', () => {
  assert.deepEqual(
    parseFuzzArgs(
      ['--seed', '4294967295', '--reasons', '--device', 'net', '--cases', '5', '--cases', '1000'],
      SPEC,
    ),
    { cases: 1000, seed: 2 ** 32 - 1, device: 'net', reasons: true },
  );
});

test('fuzz args: an integer outside its bounds or not written in digits is refused, naming the option', () => {
  for (const [argv, msg] of [
    [['--cases', '0'], /--cases 0: expected an integer from 1 to 1000/],
    [['--cases', '1001'], /--cases 1001/],
    [['--seed', '-1'], /--seed -1/],
    [['--seed', '4294967296'], /--seed 4294967296/],
    [['--cases', ''], /--cases : expected an integer/],
    [['--cases', '1e2'], /--cases 1e2/],
    [['--cases', '0x10'], /--cases 0x10/],
    [['--cases', '2.5'], /--cases 2.5/],
  ] as const) {
    assert.throws(
      () => parseFuzzArgs(argv, SPEC),
      (e) => e instanceof FuzzArgsError && msg.test(e.message),
    );
  }
});

test('fuzz args: unknown options, positional words, missing values and unknown choices are refused', () => {
  for (const [argv, msg] of [
    [['--iterations', '5'], /unknown option --iterations/],
    [['5'], /unknown option 5/],
    [['--toString', '5'], /unknown option --toString/],
    [['--seed'], /--seed needs a value/],
    [['--device', 'scsi'], /--device scsi: expected one of blk, net/],
  ] as const) {
    assert.throws(
      () => parseFuzzArgs(argv, SPEC),
      (e) => e instanceof FuzzArgsError && msg.test(e.message),
    );
  }
});

test('fuzz args: the usage line lists every option with the form of its value', () => {
  assert.equal(
    fuzzUsage('node fuzz.js', SPEC),
    'usage: node fuzz.js [--cases N] [--seed N] [--device blk|net] [--reasons]',
  );
});
