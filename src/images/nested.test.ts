// The nested payload: the L2 initramfs and its /init, the run script's QEMU command lines for KVM
// and TCG, and where everything sits in the L1 initramfs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { listCpio, S_IFMT, S_IFREG } from './cpio.js';
import {
  L2_BOOT_MARKER,
  L2_EXIT_MARKER,
  l2InitScript,
  NESTED_INITRD,
  NESTED_KERNEL,
  NESTED_RUN,
  nestedPayloadEntries,
  nestedRunScript,
} from './nested.js';

const KERNEL = new Uint8Array([0x4d, 0x5a, 1, 2, 3]);
const BUSYBOX = new Uint8Array([0x7f, 0x45, 0x4c, 0x46]);

test('the payload holds the kernel, an L2 initramfs and the run script at the documented paths', () => {
  const e = new Map(nestedPayloadEntries(KERNEL, BUSYBOX).map((x) => [`/${x.path}`, x]));
  assert.deepEqual([...e.keys()], ['/nested', NESTED_KERNEL, NESTED_INITRD, NESTED_RUN]);
  assert.deepEqual([NESTED_KERNEL, NESTED_INITRD], ['/nested/Image', '/nested/initrd.img']);
  const k = e.get(NESTED_KERNEL);
  assert.ok(k?.kind === 'file' && k.data === KERNEL);
  const run = e.get(NESTED_RUN);
  assert.ok(run?.kind === 'file' && run.mode === 0o755);
  const initrd = e.get(NESTED_INITRD);
  assert.ok(initrd?.kind === 'file');
  const l2 = new Map(listCpio(gunzipSync(initrd.data)).map((m) => [m.name, m]));
  assert.equal(l2.get('init')?.header.mode, S_IFREG | 0o755);
  assert.equal(new TextDecoder().decode(l2.get('init')?.data), l2InitScript());
  assert.deepEqual([...(l2.get('usr/bin/busybox')?.data ?? [])], [...BUSYBOX]);
  assert.ok(!l2.has('usr/lib/modules'), 'L2 needs no modules');
  assert.equal((l2.get('dev/console')?.header.mode ?? 0) & S_IFMT, 0o020000);
});

test('L2 /init prints the boot marker, runs the words after -- and reports their status, then powers off', () => {
  const s = l2InitScript();
  const at = (needle: string): number => {
    const i = s.indexOf(needle);
    assert.ok(i >= 0, `missing: ${needle}`);
    return i;
  };
  const order = [
    'mount -t proc proc /proc',
    'mount -t devtmpfs devtmpfs /dev',
    `echo "${L2_BOOT_MARKER}`,
    'if [ $# -gt 0 ]',
    'sh -c "$*"',
    `echo "${L2_EXIT_MARKER} $?"`,
    'poweroff -f',
  ].map(at);
  assert.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
  );
});

test('run script: KVM uses -cpu host and no firmware (KVM is the SBI); TCG keeps QEMU firmware', () => {
  const s = nestedRunScript();
  assert.match(s, /kvm\) opts="-accel kvm -cpu host -bios none"/);
  assert.match(s, /tcg\) opts="-accel tcg"/);
  assert.ok(!/tcg\)[^\n]*-bios none/.test(s));
  assert.match(s, /qemu-system-riscv64 -M virt \$opts/);
  assert.ok(s.includes(`-kernel ${NESTED_KERNEL} -initrd ${NESTED_INITRD}`));
  // The command follows `--`, so Linux passes it to init instead of parsing it.
  assert.match(s, /-append "console=ttyS0 [^"]*-- \$\*"/);
  assert.match(s, /-no-reboot/);
});
