// Full-system tests: Debian's unmodified riscv64 kernel boots to a BusyBox shell on the `virt`
// board, with tsvirt's built-in SBI (PV) and with Debian's OpenSBI (full emulation), on 1 and 4
// harts, and with the JavaScript translator. Commands run at the shell, and `poweroff` ends
// tsvirt with status 0.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Guest, debianGuest } from './guest.mjs';
import { isaProfile } from '../../dist/cpu/riscv/isa/profile.js';

const BOOT_TIMEOUT_MS = Number(process.env.TSVIRT_BOOT_TIMEOUT_MS ?? 900_000);
const guest = debianGuest();

/**
 * dmesg lines that mean the hardware description is wrong or incomplete, or that the machine
 * misbehaved (lockups: lost interrupts or IPIs; RCU stalls).
 */
const DT_COMPLAINTS =
  /WARNING|deprecated|falling back|Wrong magic|Oops|Call Trace|BUG:|failed to|missing|lockup|stall/i;

/** [SBI mode, harts, translator]: both modes on 1 and 4 harts, and the JavaScript translator. */
const CASES = [
  ['builtin', 1, 'on'],
  ['builtin', 4, 'on'],
  ['bios', 1, 'on'],
  ['bios', 4, 'on'],
  ['builtin', 4, 'js'],
  ['bios', 4, 'js'],
];

/** The guest on `virt` in SBI `mode` (builtin or bios), with `more` options, on ttyS0. */
function boot(mode, ...more) {
  const args = ['--machine', 'virt', '--kernel', guest.KERNEL, '--initrd', guest.INITRD, ...more];
  args.push(...(mode === 'bios' ? ['--bios', guest.FW_DYNAMIC] : ['--sbi', 'builtin']));
  args.push('--append', 'console=ttyS0');
  return new Guest(args, { log: process.env.TSVIRT_TEST_LOG === '1' });
}

const modeName = (mode) => (mode === 'bios' ? 'bios fw_dynamic' : 'sbi builtin');

/** The harts' profile (TSVIRT_BOOT_CPU, guest.mjs; default max). */
const CPU = isaProfile(process.env.TSVIRT_BOOT_CPU ?? 'max');
/**
 * Extensions Linux 6.12 names in /proc/cpuinfo when the device tree advertises them, and those
 * whose alternatives it patches in at boot and then runs (Zbb string functions, Zicbom cache
 * maintenance, Zicboz's clear_page, Svpbmt memory types in its page tables): tsvirt's --stats
 * reports which extensions the guest used.
 */
const SHOWN = [
  'zicbom',
  'zicboz',
  'zicond',
  'zihintpause',
  'zihpm',
  'zawrs',
  'zfa',
  'zfh',
  'zfhmin',
  'zcb',
  'zba',
  'zbb',
  'zbc',
  'zbs',
  'zkt',
  'svinval',
  'svnapot',
  'svpbmt',
];
const PATCHED = ['zbb', 'zicbom', 'zicboz', 'svpbmt'];

/** With TSVIRT_BOOT_JIT (guest.mjs), every guest runs with that translator: the cases are those of 'on'. */
const JIT = process.env.TSVIRT_BOOT_JIT;
const cases = JIT === undefined ? CASES : CASES.filter((c) => c[2] === 'on').map(([m, n]) => [m, n, JIT]);

for (const [mode, smp, jit] of cases) {
  test(
    `Debian boots to a shell: --${modeName(mode)} --smp ${smp} --jit ${jit}`,
    { timeout: BOOT_TIMEOUT_MS + 300_000 },
    async () => {
      const g = boot(mode, '--smp', String(smp), '--jit', jit, '--stats');
      try {
        await g.waitFor(/tsvirt: init done/, BOOT_TIMEOUT_MS);
        await g.waitFor(/# $/m, 120_000);
        assert.equal(await g.run('nproc'), String(smp));
        const guestNow = Number(await g.run('date +%s'));
        assert.ok(Math.abs(guestNow - Date.now() / 1000) < 120, `guest date ${guestNow} far from host time`);
        const cpuinfo = await g.run('cat /proc/cpuinfo');
        // The single-letter extensions: G and C, and H where the profile has it (max does).
        assert.match(cpuinfo, new RegExp(`isa\\s*: rv64imafdc${CPU.has('h') ? 'h' : ''}_`));
        const isa = /^isa\s*: (\S+)/m.exec(cpuinfo)?.[1].split('_') ?? [];
        for (const e of SHOWN)
          assert.equal(isa.includes(e), CPU.has(e), `/proc/cpuinfo isa ${isa.join('_')}: ${e}`);
        assert.equal((cpuinfo.match(/^processor/gm) ?? []).length, smp);
        // Work on every hart at once: scheduling and TLB shootdowns send IPIs (through OpenSBI's
        // M-mode handler under --bios), while console interrupts keep arriving.
        const spin = 'i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done';
        assert.match(
          await g.run(`for n in $(seq ${smp}); do (${spin}) & done; wait; echo spun`, 600_000),
          /spun$/,
        );
        // BusyBox ping reads the time counter from user mode (rdtime): scounteren must allow it.
        assert.match(await g.run('ip link set lo up; ping -c 1 127.0.0.1'), /1 packets received/);
        const dmesg = await g.run('dmesg');
        const complaints = dmesg.split('\n').filter((l) => DT_COMPLAINTS.test(l));
        assert.deepEqual(complaints, [], 'dmesg has warnings');
        g.send('poweroff\n');
        const { code } = await g.exited;
        assert.equal(code, 0, 'tsvirt exit status after poweroff');
        const used = /extensions used: (.*)/.exec(g.output)?.[1].trim().split(' ') ?? [];
        for (const e of PATCHED)
          assert.equal(used.includes(e), CPU.has(e), `extensions used: ${used.join(' ')}`);
      } finally {
        g.kill();
      }
    },
  );
}

// With more than 2 GiB of RAM the device tree (and OpenSBI's fw_dynamic_info) sit above 4 GiB:
// the boot registers must carry all 64 bits of their addresses.
for (const mode of ['builtin', 'bios']) {
  test(
    `Debian boots with 3 GiB of RAM: --${modeName(mode)}`,
    { timeout: BOOT_TIMEOUT_MS + 300_000 },
    async () => {
      const g = boot(mode, '--memory', '3G');
      try {
        await g.waitFor(/tsvirt: init done/, BOOT_TIMEOUT_MS);
        await g.waitFor(/# $/m, 120_000);
        const kb = Number(/MemTotal:\s+(\d+) kB/.exec(await g.run('cat /proc/meminfo'))?.[1]);
        // All of it but what the kernel itself and its reservations take.
        assert.ok(kb > 2.8 * 1024 * 1024 && kb <= 3 * 1024 * 1024, `MemTotal ${kb} kB`);
        g.send('poweroff\n');
        const { code } = await g.exited;
        assert.equal(code, 0, 'tsvirt exit status after poweroff');
      } finally {
        g.kill();
      }
    },
  );
}
