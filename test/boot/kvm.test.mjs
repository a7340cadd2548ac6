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
import { Guest } from './guest.mjs';
import { buildKvmMini, GUEST_BUILD, kvmGuest } from '../guest/kvm-mini.mjs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** An ext4 disk holding kvm-mini. */
function kvmDisk() {
  mkdirSync(`${GUEST_BUILD}/kvm-disk`, { recursive: true });
  copyFileSync(buildKvmMini(), `${GUEST_BUILD}/kvm-disk/kvm-mini`);
  const disk = `${GUEST_BUILD}/kvm.img`;
  rmSync(disk, { force: true });
  run('mke2fs', ['-q', '-t', 'ext4', '-d', `${GUEST_BUILD}/kvm-disk`, disk, '8M']);
  return disk;
}

const disk = kvmDisk();
const guest = kvmGuest();
statSync(guest.KERNEL);
// The second pass's smaller profile (TSVIRT_BOOT_CPU) gets H added rather than replacing it.
const cpu = `${process.env.TSVIRT_BOOT_CPU ?? 'max'},h=on`;
// The interpreter pass on a busy machine boots in minutes, as the other boot tests allow for.
const BOOT_TIMEOUT_MS = Number(process.env.TSVIRT_BOOT_TIMEOUT_MS ?? 900_000);

for (const sbi of ['builtin', 'opensbi']) {
  test(
    `Linux KVM in tsvirt (${sbi} SBI) runs a guest of its own`,
    { timeout: 2 * BOOT_TIMEOUT_MS },
    async () => {
      const saved = process.env.TSVIRT_BOOT_CPU;
      delete process.env.TSVIRT_BOOT_CPU;
      const args = [
        '--cpu',
        cpu,
        '--kernel',
        guest.KERNEL,
        '--initrd',
        guest.INITRD,
        '--disk',
        `file=${disk}`,
      ];
      if (sbi === 'opensbi') args.push('--bios', guest.FW_DYNAMIC);
      const g = new Guest(args);
      if (saved !== undefined) process.env.TSVIRT_BOOT_CPU = saved;
      try {
        await g.waitFor(/tsvirt: init done/, BOOT_TIMEOUT_MS);
        // Without the timestamps, which the session would take for console noise.
        const dmesg = await g.run("dmesg | grep kvm | sed 's/^\\[[^]]*\\] //'");
        assert.match(dmesg, /hypervisor extension available/);
        assert.match(dmesg, /using Sv\d+x4 G-stage page table format/);
        assert.match(dmesg, /VMID \d+ bits available/);
        const out = await g.run(
          'mkdir -p /mnt && mount -o ro /dev/vda /mnt && /mnt/kvm-mini; echo status=$?',
          BOOT_TIMEOUT_MS,
        );
        assert.match(out, /KVM-GUEST-OK/);
        assert.match(out, /KVM-MINI: exit OK/);
        assert.match(out, /status=0/);
        g.send('poweroff\n');
        assert.equal((await g.exited).code, 0);
      } finally {
        g.kill();
      }
    },
  );
}
