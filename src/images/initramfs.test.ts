// The initramfs contents: layout, device nodes, /init's steps and module order, gzip round trip.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { listCpio, S_IFCHR, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from './cpio.js';
import {
  buildInitramfs,
  INIT_DONE_MARKER,
  initramfsEntries,
  initScript,
  type InitramfsSpec,
} from './initramfs.js';

const SPEC: InitramfsSpec = {
  kernelRelease: '6.12.1+deb13-riscv64',
  busybox: new Uint8Array([0x7f, 0x45, 0x4c, 0x46]),
  modules: [
    { path: 'kernel/fs/jbd2/jbd2.ko', data: new Uint8Array([1]) },
    { path: 'kernel/fs/ext4/ext4.ko', data: new Uint8Array([2]) },
  ],
  modulesDep: 'kernel/fs/jbd2/jbd2.ko:\nkernel/fs/ext4/ext4.ko: kernel/fs/jbd2/jbd2.ko\n',
  modulesAlias: 'alias fs-ext4 ext4\n',
  modulesBuiltin: 'kernel/drivers/virtio/virtio.ko\n',
  hostname: 'tsvirt',
};

test('every directory comes before the members inside it', () => {
  const seen = new Set<string>();
  for (const e of initramfsEntries(SPEC)) {
    const parent = e.path.includes('/') ? e.path.slice(0, e.path.lastIndexOf('/')) : undefined;
    if (parent !== undefined) assert.ok(seen.has(parent), `${e.path} before ${parent}`);
    seen.add(e.path);
  }
});

test('the archive is merged-/usr: /bin, /sbin and /lib are symlinks into /usr, as in Debian trixie', () => {
  const members = new Map(listCpio(gunzipSync(buildInitramfs(SPEC))).map((m) => [m.name, m]));
  const text = (name: string): string => new TextDecoder().decode(members.get(name)?.data);
  for (const a of ['bin', 'sbin', 'lib']) {
    assert.equal((members.get(a)?.header.mode ?? 0) & S_IFMT, S_IFLNK, a);
    assert.equal(text(a), `usr/${a}`);
    assert.equal((members.get(`usr/${a}`)?.header.mode ?? 0) & S_IFMT, S_IFDIR, `usr/${a}`);
  }
});

test('the archive holds /init, busybox, device nodes and the modules under /usr/lib/modules/<release>', () => {
  const members = new Map(listCpio(gunzipSync(buildInitramfs(SPEC))).map((m) => [m.name, m]));
  const init = members.get('init');
  assert.equal(init?.header.mode, S_IFREG | 0o755);
  assert.equal(members.get('usr/bin/busybox')?.header.mode, S_IFREG | 0o755);
  assert.equal(new TextDecoder().decode(members.get('usr/bin/sh')?.data), 'busybox');
  const con = members.get('dev/console')?.header;
  assert.equal((con?.mode ?? 0) & S_IFMT, S_IFCHR);
  assert.deepEqual([con?.rdevmajor, con?.rdevminor], [5, 1]);
  for (const p of [
    'kernel/fs/jbd2/jbd2.ko',
    'kernel/fs/ext4/ext4.ko',
    'modules.dep',
    'modules.alias',
    'modules.builtin',
  ]) {
    assert.ok(members.has(`usr/lib/modules/6.12.1+deb13-riscv64/${p}`), p);
  }
  assert.match(new TextDecoder().decode(members.get('etc/passwd')?.data), /^root:x:0:0:/);
});

test('extra members are added after the base ones; the base /init and /etc/passwd win over a package', () => {
  const enc = new TextEncoder();
  const entries = initramfsEntries({
    ...SPEC,
    extra: [
      { kind: 'dir', path: 'etc', mode: 0o755 },
      { kind: 'file', path: 'etc/passwd', data: enc.encode('from a package\n') },
      { kind: 'dir', path: 'usr/lib/riscv64-linux-gnu', mode: 0o755 },
      { kind: 'file', path: 'usr/lib/riscv64-linux-gnu/libc.so.6', data: enc.encode('libc') },
    ],
  });
  const paths = entries.map((e) => e.path);
  assert.equal(new Set(paths).size, paths.length, 'no member twice');
  const passwd = entries.find((e) => e.path === 'etc/passwd');
  assert.ok(passwd?.kind === 'file' && /^root:x:0:0:/.test(new TextDecoder().decode(passwd.data)));
  assert.ok(paths.indexOf('usr/lib/riscv64-linux-gnu/libc.so.6') > paths.indexOf('usr/lib'));
  assert.throws(
    () => initramfsEntries({ ...SPEC, extra: [{ kind: 'dir', path: 'init' }] }),
    /init: a dir in the packages, a file in the initramfs itself/,
  );
});

test('/init mounts proc, sysfs, devtmpfs and devpts, loads modules in order, then reopens the console', () => {
  const s = initScript(SPEC);
  assert.ok(s.startsWith('#!/bin/sh\n'));
  const at = (needle: string): number => {
    const i = s.indexOf(needle);
    assert.ok(i >= 0, `missing: ${needle}`);
    return i;
  };
  const order = [
    'mount -t proc proc /proc',
    'busybox --install -s',
    'mount -t sysfs sysfs /sys',
    'mount -t devtmpfs devtmpfs /dev',
    'mount -t devpts devpts /dev/pts',
    'insmod /lib/modules/6.12.1+deb13-riscv64/kernel/fs/jbd2/jbd2.ko',
    'insmod /lib/modules/6.12.1+deb13-riscv64/kernel/fs/ext4/ext4.ko',
    'exec <>/dev/console >&0 2>&0',
    INIT_DONE_MARKER,
    '/sys/class/tty/console/active',
    // PID 1 turns BusyBox's poweroff/reboot signals into the real thing.
    "trap 'sync; poweroff -f' USR1 USR2",
    "trap 'sync; reboot -f' TERM",
    'setsid',
    'wait $!',
  ].map(at);
  assert.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
  );
});
