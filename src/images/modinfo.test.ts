// .modinfo parsing: records written the way modpost writes them, in a synthetic ELF-64 file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { elfSection, moduleInfo, ModinfoError, parseModinfo, softdepPre } from './modinfo.js';
import { fakeModule } from '../testing/images/fake-module.js';

test('moduleInfo reads depends, softdep, alias and vermagic from .modinfo', () => {
  const ko = fakeModule({
    name: 'jbd2',
    vermagic: '6.12.1-riscv64 SMP mod_unload modversions riscv',
    depends: ['mbcache', 'crc16'],
    softdep: 'pre: crypto-crc32c',
    aliases: ['fs-jbd2', 'jbd'],
  });
  const info = moduleInfo(ko, 'jbd2.ko');
  assert.deepEqual(info, {
    name: 'jbd2',
    depends: ['mbcache', 'crc16'],
    softdepPre: ['crypto-crc32c'],
    aliases: ['fs-jbd2', 'jbd'],
    vermagic: '6.12.1-riscv64 SMP mod_unload modversions riscv',
  });
});

test('an empty depends= means no dependencies', () => {
  const info = parseModinfo(new TextEncoder().encode('depends=\0name=crc16\0\0\0'));
  assert.deepEqual(info.depends, []);
  assert.equal(info.name, 'crc16');
});

test('softdepPre keeps only the pre: group', () => {
  assert.deepEqual(softdepPre('pre: a b post: c'), ['a', 'b']);
  assert.deepEqual(softdepPre('post: c pre: d'), ['d']);
  assert.deepEqual(softdepPre('post: c'), []);
});

test('elfSection returns undefined for a missing section and rejects non-ELF data', () => {
  const ko = fakeModule({ name: 'x', vermagic: 'v ' });
  assert.equal(elfSection(ko, '.text'), undefined);
  assert.ok(elfSection(ko, '.shstrtab') !== undefined);
  assert.throws(() => moduleInfo(new Uint8Array(100), 'junk.ko'), ModinfoError);
});

test('a section header table past the end of the file is an error, not a crash', () => {
  const ko = fakeModule({ name: 'x', vermagic: 'v ' });
  assert.throws(() => elfSection(ko.subarray(0, ko.length - 8), '.modinfo'), ModinfoError);
});
