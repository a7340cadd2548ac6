// The `--disk` parser: accepted forms, and errors that name the option at fault.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiskSpecError, parseDiskSpec } from './spec.js';

test('--disk: file alone is a writable raw disk', () => {
  assert.deepEqual(parseDiskSpec('file=disk.img'), {
    file: 'disk.img',
    format: undefined,
    readOnly: false,
    overlay: undefined,
    snapshot: false,
    serial: undefined,
  });
});

test('--disk: flags and values in any order', () => {
  assert.deepEqual(parseDiskSpec('readonly,file=/a/b.img,serial=root-disk'), {
    file: '/a/b.img',
    format: undefined,
    readOnly: true,
    overlay: undefined,
    snapshot: false,
    serial: 'root-disk',
  });
  assert.equal(parseDiskSpec('overlay=c.ovl,file=b.img').overlay, 'c.ovl');
  assert.equal(parseDiskSpec('file=b.img,snapshot').snapshot, true);
});

test('--disk: a doubled comma is a literal comma; = inside a value is kept', () => {
  assert.equal(parseDiskSpec('file=a,,b.img,readonly').file, 'a,b.img');
  assert.equal(parseDiskSpec('file=x=y.img').file, 'x=y.img');
});

test('--disk: errors name the option', () => {
  const cases: [string, RegExp][] = [
    ['', /empty option/],
    ['readonly', /option 'file' is required/],
    ['file=a.img,', /empty option/],
    ['disk.img', /unknown option 'disk.img'/],
    [
      'file=a.img,cache=none',
      /unknown option 'cache' \(known: file, format, readonly, overlay, snapshot, serial\)/,
    ],
    ['file=a.img,file=b.img', /option 'file' given twice/],
    ['file=a.img,format=vmdk', /format 'vmdk' is not supported \(supported: raw, qcow2; qemu-img convert/],
    ['file=', /option 'file' needs a value/],
    ['file=a.img,overlay', /option 'overlay' needs a value/],
    ['file=a.img,readonly=on', /option 'readonly' takes no value/],
    ['file=a.img,snapshot=yes', /option 'snapshot' takes no value/],
    ['file=a.img,overlay=b.ovl,snapshot', /'overlay' and 'snapshot' exclude each other/],
    ['file=a.img,readonly,snapshot', /'readonly' excludes 'snapshot'/],
    ['file=a.img,readonly,overlay=b.ovl', /'readonly' excludes 'overlay'/],
    ['file=a.img,overlay=a.img', /option 'overlay' names the base image/],
    ['file=a.img,serial=abcdefghijklmnopqrstu', /option 'serial' must be 1 to 20/],
    ['file=a.img,serial=caf\u00e9', /option 'serial'/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseDiskSpec(text),
      (e: unknown) =>
        e instanceof DiskSpecError && message.test(e.message) && e.message.startsWith('--disk: '),
      `'${text}'`,
    );
  }
});
