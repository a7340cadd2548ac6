// Full-system tests of the virtio devices with Debian's kernel: root file system on virtio-blk,
// a copy-on-write overlay that never touches its base, virtio-rng, hvc0 as the console, and two
// VMs pinging each other over virtio-net through a unix socket.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Guest, debianGuest, extractBusybox } from './guest.mjs';

const BOOT_TIMEOUT_MS = Number(process.env.TSVIRT_BOOT_TIMEOUT_MS ?? 900_000);
const guest = debianGuest();
const log = process.env.TSVIRT_TEST_LOG === '1';
const work = mkdtempSync(join(tmpdir(), 'tsvirt-virtio-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'latin1', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** A root file system folder: BusyBox from the initramfs and an /sbin/init for the console. */
function makeRootfs(dir) {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  for (const d of ['sbin', 'proc', 'sys', 'dev', 'run', 'tmp', 'root'])
    mkdirSync(join(dir, d), { recursive: true });
  extractBusybox(guest.INITRD, join(dir, 'bin/busybox'));
  symlinkSync('busybox', join(dir, 'bin/sh'));
  writeFileSync(
    join(dir, 'sbin/init'),
    [
      '#!/bin/sh',
      '/bin/busybox --install -s /bin',
      'echo "rootfs: $(grep " / " /proc/mounts)"',
      'echo "tsvirt: rootfs ready"',
      "trap 'sync; poweroff -f' USR1 USR2",
      'setsid sh -c "exec sh <>/dev/console >&0 2>&0" &',
      'wait $!',
      'poweroff -f',
      '',
    ].join('\n'),
  );
  chmodSync(join(dir, 'sbin/init'), 0o755);
  writeFileSync(join(dir, 'hello.txt'), 'hello from the host\n');
}

function mkfs(image, dir, size = '64M') {
  sh('mke2fs', ['-q', '-F', '-t', 'ext4', '-d', dir, image, size]);
}

const debugfsCat = (image, path) =>
  sh('debugfs', ['-R', `cat ${path}`, image], { stdio: ['ignore', 'pipe', 'ignore'] });
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

function boot(extra, append = 'console=ttyS0') {
  return new Guest(['--kernel', guest.KERNEL, '--initrd', guest.INITRD, '--append', append, ...extra], {
    log,
  });
}

async function shellOf(g, marker = /tsvirt: init done/) {
  await g.waitFor(marker, BOOT_TIMEOUT_MS);
  await g.waitFor(/# $/m, 120_000);
}

test(
  'root file system on virtio-blk: the guest writes, syncs, and the host reads it back',
  { timeout: BOOT_TIMEOUT_MS + 300_000 },
  async () => {
    const dir = join(work, 'rootfs');
    makeRootfs(dir);
    const image = join(work, 'root.img');
    mkfs(image, dir);
    const g = boot(['--disk', `file=${image}`], 'console=ttyS0 root=/dev/vda');
    try {
      await shellOf(g, /tsvirt: rootfs ready/);
      assert.match(g.output, /rootfs: \/dev\/vda \/ ext4 rw/);
      assert.equal(await g.run('cat /hello.txt'), 'hello from the host');
      await g.run('echo written by the guest > /from-guest.txt; sync');
      g.send('poweroff\n');
      assert.equal((await g.exited).code, 0);
    } finally {
      g.kill();
    }
    assert.equal(debugfsCat(image, '/from-guest.txt'), 'written by the guest\n');
  },
);

test(
  'overlay: the base image is never modified and changes persist in the overlay',
  { timeout: 2 * BOOT_TIMEOUT_MS + 300_000 },
  async () => {
    const dir = join(work, 'data');
    mkdirSync(dir);
    writeFileSync(join(dir, 'base.txt'), 'in the base\n');
    const base = join(work, 'base.img');
    const overlay = join(work, 'changes.ovl');
    mkfs(base, dir, '16M');
    const before = sha256(base);
    const disk = `file=${base},overlay=${overlay}`;
    const g1 = boot(['--disk', disk]);
    try {
      await shellOf(g1);
      await g1.run('mount /dev/vda /mnt && echo changed > /mnt/new.txt && sync && umount /mnt');
      g1.send('poweroff\n');
      assert.equal((await g1.exited).code, 0);
    } finally {
      g1.kill();
    }
    assert.equal(sha256(base), before, 'base image changed');
    const g2 = boot(['--disk', disk]);
    try {
      await shellOf(g2);
      assert.equal(
        await g2.run('mount /dev/vda /mnt && cat /mnt/new.txt /mnt/base.txt'),
        'changed\nin the base',
      );
      g2.send('poweroff\n');
      assert.equal((await g2.exited).code, 0);
    } finally {
      g2.kill();
    }
    assert.equal(sha256(base), before, 'base image changed');
  },
);

test('virtio-rng and hvc0 as the console', { timeout: BOOT_TIMEOUT_MS + 300_000 }, async () => {
  const g = boot(['--rng', '--console', 'virtio'], 'console=hvc0');
  try {
    await shellOf(g);
    assert.equal(await g.run('tty'), '/dev/hvc0');
    const rng = await g.run('head -c 64 /dev/hwrng | od -An -tx1 | tr -d " \\n"');
    assert.match(rng, /^[0-9a-f]{128}$/);
    assert.notEqual(rng, '0'.repeat(128));
    g.send('poweroff\n');
    assert.equal((await g.exited).code, 0);
  } finally {
    g.kill();
  }
});

test(
  'ping between two VMs over virtio-net through a unix socket',
  { timeout: BOOT_TIMEOUT_MS + 300_000 },
  async () => {
    const sock = join(work, 'net.sock');
    const a = boot(['--net', `socket,listen=${sock}`]);
    // B connects to A's socket, which A creates before the guest starts.
    for (let t = 0; t < 300 && !existsSync(sock); t++) await new Promise((r) => setTimeout(r, 100));
    const b = boot(['--net', `socket,connect=${sock}`]);
    try {
      await Promise.all([shellOf(a), shellOf(b)]);
      await a.run('ip addr add 10.0.2.1/24 dev eth0 && ip link set eth0 up');
      await b.run('ip addr add 10.0.2.2/24 dev eth0 && ip link set eth0 up');
      const ping = await a.run('ping -c 3 -W 10 10.0.2.2');
      assert.match(ping, /3 packets transmitted, 3 (packets )?received/);
      a.send('poweroff\n');
      b.send('poweroff\n');
      assert.equal((await a.exited).code, 0);
      assert.equal((await b.exited).code, 0);
    } finally {
      a.kill();
      b.kill();
    }
  },
);
