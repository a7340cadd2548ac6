// The newc writer against the format in Linux Documentation/driver-api/early-userspace/
// buffer-format.rst and cpio(5): header layout, padding, trailer; and, when cpio(1) is installed,
// that GNU cpio lists and extracts what we write.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CpioError,
  decodeNewcHeader,
  encodeNewcHeader,
  listCpio,
  NEWC_HEADER_BYTES,
  S_IFCHR,
  S_IFDIR,
  S_IFLNK,
  S_IFREG,
  writeCpio,
  type CpioEntry,
} from './cpio.js';
import { which } from './exec.js';

const text = (b: Uint8Array): string => new TextDecoder('latin1').decode(b);
const SAMPLE: CpioEntry[] = [
  { kind: 'dir', path: 'bin' },
  { kind: 'file', path: 'bin/hello', data: new TextEncoder().encode('hello\n'), mode: 0o755 },
  { kind: 'symlink', path: 'bin/hi', target: 'hello' },
  { kind: 'dir', path: 'dev' },
  { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
  { kind: 'file', path: 'init', data: new TextEncoder().encode('#!/bin/sh\n') },
];

test('a header is "070701" and 13 eight-digit hexadecimal fields, 110 bytes in all', () => {
  const h = encodeNewcHeader({
    ino: 1,
    mode: 0o100755,
    uid: 0,
    gid: 0,
    nlink: 1,
    mtime: 0x5f5e100,
    filesize: 0x1234,
    devmajor: 0,
    devminor: 0,
    rdevmajor: 5,
    rdevminor: 1,
    namesize: 5,
    check: 0,
  });
  assert.equal(h.length, NEWC_HEADER_BYTES);
  assert.equal(
    h,
    '070701' +
      '00000001' +
      '000081ED' +
      '00000000' +
      '00000000' +
      '00000001' +
      '05F5E100' +
      '00001234' +
      '00000000' +
      '00000000' +
      '00000005' +
      '00000001' +
      '00000005' +
      '00000000',
  );
  assert.throws(() =>
    encodeNewcHeader({ ...decodeNewcHeader(new TextEncoder().encode(h), 0), ino: 2 ** 32 }),
  );
});

test('the first member: header, NUL-terminated name padded to 4, data padded to 4', () => {
  const a = writeCpio([{ kind: 'file', path: 'ab', data: new Uint8Array([1, 2, 3, 4, 5]) }], {
    blockBytes: 0,
  });
  const h = decodeNewcHeader(a, 0);
  assert.equal(h.namesize, 3); // "ab" and its NUL
  assert.equal(h.filesize, 5);
  assert.equal(h.mode, S_IFREG | 0o644);
  assert.equal(text(a.subarray(110, 113)), 'ab\0');
  // 110 + 3 = 113 → padded to 116, where the data starts.
  assert.deepEqual([...a.subarray(113, 116)], [0, 0, 0]);
  assert.deepEqual([...a.subarray(116, 121)], [1, 2, 3, 4, 5]);
  // 5 bytes of data → 3 bytes of padding; the trailer header follows at 124.
  assert.equal(text(a.subarray(124, 130)), '070701');
  const trailer = decodeNewcHeader(a, 124);
  assert.equal(text(a.subarray(124 + 110, 124 + 110 + trailer.namesize)), 'TRAILER!!!\0');
  assert.equal(a.length % 4, 0);
});

test('the archive is padded to a 512-byte block after the trailer by default', () => {
  const a = writeCpio(SAMPLE);
  assert.equal(a.length % 512, 0);
});

test('entry kinds map to the mode and rdev fields; inode numbers are distinct', () => {
  const members = listCpio(writeCpio(SAMPLE, { mtimeSeconds: 1000 }));
  assert.deepEqual(
    members.map((m) => m.name),
    SAMPLE.map((e) => e.path),
  );
  const by = new Map(members.map((m) => [m.name, m]));
  assert.equal(by.get('bin')?.header.mode, S_IFDIR | 0o755);
  assert.equal(by.get('bin/hello')?.header.mode, S_IFREG | 0o755);
  assert.equal(by.get('bin/hi')?.header.mode, S_IFLNK | 0o777);
  assert.equal(text(by.get('bin/hi')?.data ?? new Uint8Array()), 'hello');
  const con = by.get('dev/console')?.header;
  assert.equal(con?.mode, S_IFCHR | 0o600);
  assert.deepEqual([con?.rdevmajor, con?.rdevminor], [5, 1]);
  assert.equal(by.get('init')?.header.mtime, 1000);
  assert.equal(new Set(members.map((m) => m.header.ino)).size, members.length);
});

test('bad names and duplicates are refused', () => {
  assert.throws(() => writeCpio([{ kind: 'dir', path: '/abs' }]), CpioError);
  assert.throws(() => writeCpio([{ kind: 'dir', path: '' }]), CpioError);
  assert.throws(
    () =>
      writeCpio([
        { kind: 'dir', path: 'a' },
        { kind: 'dir', path: 'a' },
      ]),
    CpioError,
  );
});

test(
  'GNU cpio lists and extracts the archive',
  { skip: which('cpio') === undefined && 'cpio is not installed' },
  () => {
    const archive = writeCpio(SAMPLE);
    const list = spawnSync('cpio', ['-t', '--quiet'], { input: archive });
    assert.equal(list.status, 0, list.stderr.toString());
    assert.deepEqual(
      list.stdout.toString().trim().split('\n'),
      SAMPLE.map((e) => e.path),
    );
    const dir = mkdtempSync(join(tmpdir(), 'tsvirt-cpio-'));
    try {
      // Extract without the device node, which would need root.
      const ex = spawnSync('cpio', ['-i', '--quiet', '--no-absolute-filenames', '-f', 'dev/console'], {
        input: archive,
        cwd: dir,
      });
      assert.equal(ex.status, 0, ex.stderr.toString());
      assert.equal(readFileSync(join(dir, 'bin/hello'), 'utf8'), 'hello\n');
      assert.equal(statSync(join(dir, 'bin/hello')).mode & 0o777, 0o755);
      assert.equal(readlinkSync(join(dir, 'bin/hi')), 'hello');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
