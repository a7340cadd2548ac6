// The KVM role (issue 20): with the hypervisor extension on, Debian's kernel in tsvirt loads its
// own `kvm` module and runs a guest of its own through /dev/kvm. The user space is
// test/guest/kvm-mini.c (built here with Debian's cross compiler): its guest touches 64 pages
// (G-stage faults KVM resolves), writes its output to an address outside its RAM (guest-page
// faults that KVM decodes into MMIO exits) and powers off by SBI SRST (KVM's own SBI). One boot per
// SBI mode of L1.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, copyFileSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { Guest, ROOT } from './guest.mjs';

const BUILD = `${ROOT}/build/guest`;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Build kvm-mini and an ext4 disk holding it. */
function kvmDisk() {
  mkdirSync(`${BUILD}/kvm-disk`, { recursive: true });
  const bin = `${BUILD}/kvm-mini`;
  run('riscv64-linux-gnu-gcc', [
    '-O2',
    '-nostdlib',
    '-static',
    '-fno-pic',
    '-no-pie',
    '-ffreestanding',
    '-o',
    bin,
    `${ROOT}/test/guest/kvm-mini.c`,
  ]);
  copyFileSync(bin, `${BUILD}/kvm-disk/kvm-mini`);
  const disk = `${BUILD}/kvm.img`;
  rmSync(disk, { force: true });
  run('mke2fs', ['-q', '-t', 'ext4', '-d', `${BUILD}/kvm-disk`, disk, '8M']);
  return disk;
}

/** The default guest's kernel with `kvm` in its initramfs (a cache of its own, by package version). */
function kvmGuest() {
  const cache = `${process.env.XDG_CACHE_HOME ?? `${homedir()}/.cache`}/tsvirt/kvm`;
  const out = run(`${ROOT}/bin/tsvirt`, [
    'image',
    '--cache-dir',
    cache,
    '--modules',
    'virtio_mmio,virtio_blk,ext4,kvm',
    '--print-paths',
  ]);
  const paths = Object.fromEntries(
    out
      .split('\n')
      .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  statSync(paths.KERNEL);
  return paths;
}

const disk = kvmDisk();
const guest = kvmGuest();
// The hypervisor extension is not in the default profile yet; the second pass's smaller profile
// (TSVIRT_BOOT_CPU) gets it added rather than replacing it.
const cpu = `${process.env.TSVIRT_BOOT_CPU ?? 'max'},h=on`;

for (const sbi of ['builtin', 'opensbi']) {
  test(`Linux KVM in tsvirt (${sbi} SBI) runs a guest of its own`, { timeout: 300_000 }, async () => {
    const saved = process.env.TSVIRT_BOOT_CPU;
    delete process.env.TSVIRT_BOOT_CPU;
    const args = ['--cpu', cpu, '--kernel', guest.KERNEL, '--initrd', guest.INITRD, '--disk', `file=${disk}`];
    if (sbi === 'opensbi') args.push('--bios', guest.FW_DYNAMIC);
    const g = new Guest(args);
    if (saved !== undefined) process.env.TSVIRT_BOOT_CPU = saved;
    try {
      await g.waitFor(/tsvirt: init done/, 120_000);
      // Without the timestamps, which the session would take for console noise.
      const dmesg = await g.run("dmesg | grep kvm | sed 's/^\\[[^]]*\\] //'");
      assert.match(dmesg, /hypervisor extension available/);
      assert.match(dmesg, /using Sv\d+x4 G-stage page table format/);
      assert.match(dmesg, /VMID \d+ bits available/);
      const out = await g.run(
        'mkdir -p /mnt && mount -o ro /dev/vda /mnt && /mnt/kvm-mini; echo status=$?',
        120_000,
      );
      assert.match(out, /KVM-GUEST-OK/);
      assert.match(out, /KVM-MINI: exit OK/);
      assert.match(out, /status=0/);
      g.send('poweroff\n');
      assert.equal((await g.exited).code, 0);
    } finally {
      g.kill();
    }
  });
}
