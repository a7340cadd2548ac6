// Full-system tests of disk formats and device order, with Debian's kernel: an ext4 root made by
// mke2fs and turned into qcow2 by qemu-img boots as vda; the disks and NICs appear in the order
// of their options (vda, vdb, vdc; eth0, eth1, eth2); an overlay written by tsvirt is a qcow2 image
// that qemu-img checks and that QEMU 10 boots as its root disk. One tsvirt boot serves all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Guest, debianGuest, extractBusybox } from './guest.mjs';
import { qemu10Prefix } from '../../tools/qemu.mjs';

const BOOT_TIMEOUT_MS = Number(process.env.TSVIRT_BOOT_TIMEOUT_MS ?? 900_000);
const guest = debianGuest();
const log = process.env.TSVIRT_TEST_LOG === '1';
const work = mkdtempSync(join(tmpdir(), 'tsvirt-qcow2-boot-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const QEMU10 = join(qemu10Prefix(), 'bin', 'qemu-system-riscv64');
const haveQemuImg = spawnSync('qemu-img', ['--version'], { stdio: 'ignore' }).error === undefined;

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'latin1' });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** A root file system: BusyBox from the initramfs, an /sbin/init that starts a console shell. */
function makeRootfs(dir, note) {
  for (const d of ['bin', 'sbin', 'proc', 'sys', 'dev', 'run', 'tmp', 'root', 'mnt'])
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
      'setsid sh -c "exec sh <>/dev/console >&0 2>&0" &',
      'wait $!',
      'poweroff -f',
      '',
    ].join('\n'),
  );
  chmodSync(join(dir, 'sbin/init'), 0o755);
  writeFileSync(join(dir, 'note.txt'), `${note}\n`);
}

/**
 * Wait for the root file system's shell. The initramfs's own shell (prompt "tsvirt:~#") means
 * root= was not mounted (a wrong disk as vda): fail then rather than at the timeout.
 */
async function shellOf(g) {
  for (const deadline = Date.now() + BOOT_TIMEOUT_MS; !/tsvirt: rootfs ready/.test(g.output);) {
    if (/tsvirt:~# /.test(g.output) || Date.now() > deadline) {
      throw new Error(`the root file system was not mounted; console tail:\n${g.output.slice(-1500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await g.waitFor(/# $/m, 120_000);
}

test(
  'a qemu-img qcow2 root boots as vda; disks and NICs in option order; the overlay boots in QEMU 10',
  {
    skip: haveQemuImg ? false : 'qemu-img is not installed (tools/setup.sh)',
    timeout: 2 * BOOT_TIMEOUT_MS + 300_000,
  },
  async (t) => {
    const rootDir = join(work, 'root');
    makeRootfs(rootDir, 'the qcow2 root');
    const rootRaw = join(work, 'root.raw');
    sh('mke2fs', ['-q', '-F', '-t', 'ext4', '-d', rootDir, rootRaw, '48M']);
    const root = join(work, 'root.qcow2');
    sh('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', rootRaw, root]);
    const baseDir = join(work, 'base');
    makeRootfs(baseDir, 'the overlay base');
    const base = join(work, 'base.img');
    sh('mke2fs', ['-q', '-F', '-t', 'ext4', '-d', baseDir, base, '40M']);
    const overlay = join(work, 'changes.qcow2');
    const third = join(work, 'third.qcow2');
    sh('qemu-img', ['create', '-f', 'qcow2', third, '3M']);
    const macs = ['52:54:00:12:34:01', '52:54:00:12:34:02', '52:54:00:12:34:03'];
    const port = 20000 + Math.floor(Math.random() * 20000);
    const nets = macs.flatMap((mac, k) => [
      '--net',
      `udp,local=127.0.0.1:${port + 2 * k},remote=127.0.0.1:${port + 2 * k + 1},mac=${mac}`,
    ]);
    const g = new Guest(
      [
        '--kernel',
        guest.KERNEL,
        '--initrd',
        guest.INITRD,
        '--append',
        'console=ttyS0 root=/dev/vda',
        '--disk',
        `file=${root}`,
        '--disk',
        `file=${base},overlay=${overlay}`,
        '--disk',
        `file=${third}`,
        ...nets,
      ],
      { log },
    );
    try {
      await shellOf(g);
      assert.match(g.output, /rootfs: \/dev\/vda \/ ext4 rw/);
      assert.equal(await g.run('cat /note.txt'), 'the qcow2 root');
      // 512-byte sectors: 48 MiB, 40 MiB, 3 MiB, in the order of the --disk options.
      assert.equal(
        await g.run('cat /sys/block/vda/size /sys/block/vdb/size /sys/block/vdc/size'),
        '98304\n81920\n6144',
      );
      assert.equal(
        await g.run(
          'cat /sys/class/net/eth0/address /sys/class/net/eth1/address /sys/class/net/eth2/address',
        ),
        macs.join('\n'),
      );
      await g.run('echo written by the guest > /from-guest.txt; sync');
      await g.run(
        'mount /dev/vdb /mnt && echo changed in the overlay > /mnt/from-overlay.txt && umount /mnt',
      );
      g.send('poweroff -f\n');
      assert.equal((await g.exited).code, 0);
    } finally {
      g.kill();
    }
    for (const image of [root, overlay]) {
      const r = spawnSync('qemu-img', ['check', image], { encoding: 'utf8' });
      assert.equal(r.status, 0, `qemu-img check ${image}:\n${r.stdout}${r.stderr}`);
    }
    const back = join(work, 'back.raw');
    sh('qemu-img', ['convert', '-O', 'raw', root, back]);
    assert.equal(sh('debugfs', ['-R', 'cat /from-guest.txt', back]), 'written by the guest\n');
    assert.match(sh('qemu-img', ['info', overlay]), new RegExp(`backing file: ${base}`));

    await t.test(
      'QEMU 10 boots the overlay tsvirt wrote as its root disk',
      {
        // QEMU's boot does not depend on tsvirt's translator or profile: once per suite is enough.
        skip: !existsSync(QEMU10)
          ? `QEMU 10 is not installed (${QEMU10}; tools/setup.sh --bench)`
          : process.env.TSVIRT_BOOT_JIT !== undefined
            ? 'run in the first pass of the boot suite only'
            : false,
      },
      async () => {
        const q = Guest.spawn(
          QEMU10,
          [
            '-M',
            'virt',
            '-m',
            '512M',
            '-nographic',
            '-kernel',
            guest.KERNEL,
            '-initrd',
            guest.INITRD,
            '-append',
            'console=ttyS0 root=/dev/vda',
            '-drive',
            `file=${overlay},format=qcow2,if=none,id=d0`,
            '-device',
            'virtio-blk-device,drive=d0',
          ],
          { log },
        );
        try {
          await shellOf(q);
          assert.match(q.output, /rootfs: \/dev\/vda \/ ext4 rw/);
          assert.equal(
            await q.run('cat /note.txt /from-overlay.txt'),
            'the overlay base\nchanged in the overlay',
          );
          q.send('poweroff -f\n');
          await q.exited;
        } finally {
          q.kill();
        }
      },
    );
  },
);
