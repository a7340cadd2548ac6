// Unpacked package trees as initramfs members: merged-/usr paths, the documentation left out,
// modes and symlinks kept, clashes between packages reported.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CpioEntry } from './cpio.js';
import { canonicalPath, excludedPath, mergeEntries, packageTreeEntries, TreeError } from './pkgtree.js';

/** A fake `dpkg-deb -x` result: files (string content), symlinks (`-> target`) and folders (`/`). */
function tree(spec: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tsvirt-tree-'));
  for (const [path, what] of Object.entries(spec)) {
    const full = join(root, path);
    if (what === '/') {
      mkdirSync(full, { recursive: true });
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    if (what.startsWith('-> ')) symlinkSync(what.slice(3), full);
    else writeFileSync(full, what);
  }
  writeFileSync(join(root, '.tsvirt-extracted'), 'stamp');
  return root;
}

const byPath = (entries: CpioEntry[]): Map<string, CpioEntry> => new Map(entries.map((e) => [e.path, e]));

test('paths under /bin, /sbin, /lib and /lib64 move under /usr; others stay', () => {
  assert.equal(canonicalPath('lib/riscv64-linux-gnu/libc.so.6'), 'usr/lib/riscv64-linux-gnu/libc.so.6');
  assert.equal(canonicalPath('bin'), 'usr/bin');
  assert.equal(canonicalPath('sbin/ldconfig'), 'usr/sbin/ldconfig');
  assert.equal(canonicalPath('lib64/x'), 'usr/lib64/x');
  assert.equal(canonicalPath('libexec/x'), 'libexec/x');
  assert.equal(canonicalPath('etc/bin/x'), 'etc/bin/x');
  assert.equal(canonicalPath('usr/lib/x'), 'usr/lib/x');
});

test('documentation is left out except each package copyright file', () => {
  assert.ok(excludedPath('usr/share/doc/qemu-system-riscv/changelog.Debian.gz'));
  assert.ok(excludedPath('usr/share/doc/libc6/examples/x'));
  assert.ok(!excludedPath('usr/share/doc/libc6/copyright'));
  assert.ok(excludedPath('usr/share/man/man1/qemu.1.gz'));
  assert.ok(excludedPath('usr/share/locale/de/LC_MESSAGES/x.mo'));
  assert.ok(excludedPath('usr/share/lintian/overrides/x'));
  assert.ok(!excludedPath('usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin'));
  assert.ok(!excludedPath('usr/share/mandoc'));
});

test('two packages unpack into one sorted tree, parents first, modes and link targets kept', () => {
  const libc = tree({
    'usr/lib/riscv64-linux-gnu/libc.so.6': 'libc',
    'usr/lib/ld-linux-riscv64-lp64d.so.1': '-> riscv64-linux-gnu/ld-linux-riscv64-lp64d.so.1',
    'usr/lib/riscv64-linux-gnu/ld-linux-riscv64-lp64d.so.1': 'ld.so',
    'usr/share/doc/libc6/copyright': 'GPL',
    'usr/share/doc/libc6/changelog.Debian.gz': 'long',
    'usr/share/man/man1/ldd.1.gz': 'man',
  });
  const old = tree({
    // A package not yet moved to /usr, with a relative link that must keep pointing where it did.
    'lib/riscv64-linux-gnu/libold.so.1': 'old',
    'lib/riscv64-linux-gnu/libold.so': '-> libold.so.1',
    'sbin/tool': '-> ../usr/bin/tool',
    'usr/bin/tool': 'tool',
  });
  chmodSync(join(old, 'usr/bin/tool'), 0o4755);
  const { entries, stats } = packageTreeEntries([libc, old]);
  const m = byPath(entries);
  const paths = entries.map((e) => e.path);
  assert.deepEqual(paths, [...paths].sort(), 'sorted, so every folder precedes what it holds');
  for (const p of paths) {
    const parent = dirname(p);
    if (parent !== '.') assert.equal(m.get(parent)?.kind, 'dir', `${p}: parent ${parent}`);
  }
  assert.ok(!m.has('.tsvirt-extracted'));
  assert.ok(m.has('usr/lib/riscv64-linux-gnu/libold.so.1'));
  assert.ok(!m.has('lib/riscv64-linux-gnu/libold.so.1') && !m.has('lib'));
  // A moved link with a relative target is made absolute, so it means what it meant before the move
  // (../usr/bin/tool from /sbin is /usr/bin/tool, but from /usr/sbin it would be /usr/usr/bin/tool).
  assert.deepEqual(m.get('usr/lib/riscv64-linux-gnu/libold.so'), {
    kind: 'symlink',
    path: 'usr/lib/riscv64-linux-gnu/libold.so',
    target: '/lib/riscv64-linux-gnu/libold.so.1',
  });
  assert.deepEqual(m.get('usr/sbin/tool'), {
    kind: 'symlink',
    path: 'usr/sbin/tool',
    target: '/usr/bin/tool',
  });
  // A link that did not move keeps its relative target.
  assert.equal(
    (m.get('usr/lib/ld-linux-riscv64-lp64d.so.1') as { target: string }).target,
    'riscv64-linux-gnu/ld-linux-riscv64-lp64d.so.1',
  );
  const tool = m.get('usr/bin/tool');
  assert.ok(tool?.kind === 'file' && tool.mode === 0o4755, 'setuid bit kept');
  assert.ok(m.has('usr/share/doc/libc6/copyright'));
  assert.ok(!m.has('usr/share/doc/libc6/changelog.Debian.gz'));
  assert.ok(!m.has('usr/share/man') && !m.has('usr/share/man/man1/ldd.1.gz'));
  assert.equal(stats.excludedFiles, 2);
  assert.equal(stats.files, 5);
});

test('a file shipped twice keeps the later package; a folder against a file is an error', () => {
  const a = tree({ 'etc/x.conf': 'first' });
  const b = tree({ 'etc/x.conf': 'second' });
  const { entries, stats } = packageTreeEntries([a, b]);
  const x = byPath(entries).get('etc/x.conf');
  assert.ok(x?.kind === 'file' && new TextDecoder().decode(x.data) === 'second');
  assert.deepEqual(stats.replaced, ['etc/x.conf']);
  const c = tree({ 'etc/x.conf/inside': 'a folder here' });
  assert.throws(
    () => packageTreeEntries([a, c]),
    (e: Error) => e instanceof TreeError && /etc\/x.conf/.test(e.message),
  );
});

test('merging keeps base members and adds only new package members', () => {
  const enc = new TextEncoder();
  const base: CpioEntry[] = [
    { kind: 'dir', path: 'etc' },
    { kind: 'file', path: 'etc/passwd', data: enc.encode('base') },
    { kind: 'symlink', path: 'lib', target: 'usr/lib' },
  ];
  const merged = mergeEntries(base, [
    { kind: 'dir', path: 'etc' },
    { kind: 'file', path: 'etc/passwd', data: enc.encode('package') },
    { kind: 'file', path: 'etc/other', data: enc.encode('package') },
  ]);
  assert.deepEqual(
    merged.map((e) => e.path),
    ['etc', 'etc/passwd', 'lib', 'etc/other'],
  );
  assert.equal(merged[1], base[1]);
  assert.throws(() => mergeEntries(base, [{ kind: 'dir', path: 'lib' }]), TreeError);
});
