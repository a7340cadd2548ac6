// The nested-virtualization guest of `tsvirt image --nested`: its initramfs holds a loadable
// qemu-system-riscv64 (interpreter and every DT_NEEDED library, checked here and against binutils'
// readelf when installed) and the L2 payload. Booted on tsvirt with the hypervisor extension, in
// both SBI modes, Linux KVM in it runs Debian's QEMU's L2 with -accel kvm (the KVM role of issue
// 20). With TSVIRT_NESTED_TCG=1, L1 also boots L2 with QEMU's TCG (slow: the "TCG in L1" baseline).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Guest, ROOT } from './guest.mjs';
import { listCpio, S_IFLNK, S_IFMT, S_IFREG } from '../../dist/images/cpio.js';
import { checkLoadable, debianSystemDirs } from '../../dist/images/elfdeps.js';
import { isaProfile } from '../../dist/cpu/riscv/isa/profile.js';
import {
  L2_BOOT_MARKER,
  L2_EXIT_MARKER,
  NESTED_INITRD,
  NESTED_KERNEL,
  NESTED_RUN,
} from '../../dist/images/nested.js';

const BOOT_TIMEOUT_MS = Number(process.env.TSVIRT_BOOT_TIMEOUT_MS ?? 900_000);
const TCG_TIMEOUT_MS = Number(process.env.TSVIRT_NESTED_TCG_TIMEOUT_MS ?? 3_600_000);
const QEMU = '/usr/bin/qemu-system-riscv64';
const INTERP = '/lib/ld-linux-riscv64-lp64d.so.1';

/** Paths of the nested guest, building it with `tsvirt image --nested` when missing. */
function nestedGuest() {
  const r = spawnSync(`${ROOT}/bin/tsvirt`, ['image', '--nested', '--print-paths'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`tsvirt image --nested failed with status ${r.status}`);
  return Object.fromEntries(
    r.stdout
      .split('\n')
      .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => [m[1], m[2]]),
  );
}

const guest = nestedGuest();
const members = new Map(listCpio(gunzipSync(readFileSync(guest.INITRD))).map((m) => [`/${m.name}`, m]));
const kind = (p) => (members.get(p)?.header.mode ?? 0) & S_IFMT;
const tree = {
  file: (p) => (kind(p) === S_IFREG ? members.get(p).data : undefined),
  link: (p) => (kind(p) === S_IFLNK ? Buffer.from(members.get(p).data).toString('utf8') : undefined),
};

test('qemu-system-riscv64 is in the initramfs with its ELF interpreter and every library it needs', () => {
  assert.equal(kind(QEMU), S_IFREG, QEMU);
  assert.ok((members.get(QEMU).header.mode & 0o111) !== 0, 'executable');
  const r = checkLoadable(tree, QEMU, debianSystemDirs('riscv64-linux-gnu'));
  assert.deepEqual(r.missing, []);
  assert.equal(r.interp, INTERP);
  for (const lib of ['libc.so.6', 'libglib-2.0.so.0', 'libpixman-1.so.0', 'libfdt.so.1', 'libslirp.so.0']) {
    assert.ok(r.found.has(lib), lib);
  }
});

/** readelf from binutils (any target's readelf reads any ELF file), if installed. */
const READELF = ['riscv64-linux-gnu-readelf', 'readelf'].find(
  (t) => spawnSync(t, ['--version'], { stdio: 'ignore' }).status === 0,
);

test(
  'binutils readelf agrees: the interpreter and the DT_NEEDED of QEMU and of each library',
  { skip: READELF === undefined && 'no readelf' },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsvirt-nested-'));
    try {
      const r = checkLoadable(tree, QEMU, debianSystemDirs('riscv64-linux-gnu'));
      const readelf = (path, args) => {
        const file = join(dir, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, tree.file(path));
        const out = spawnSync(READELF, [...args, file], { encoding: 'utf8' });
        assert.equal(out.status, 0, `${READELF} ${args.join(' ')} ${path}`);
        return out.stdout;
      };
      assert.match(readelf(QEMU, ['-l', '-W']), new RegExp(`Requesting program interpreter: ${INTERP}\\]`));
      // Every object readelf says is needed is one the check found in the initramfs, and vice versa.
      const needed = new Set();
      for (const path of [QEMU, ...r.found.values()]) {
        for (const m of readelf(path, ['-d', '-W']).matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)) {
          needed.add(m[1]);
        }
      }
      assert.deepEqual([...needed].sort(), [...r.found.keys()].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('the L2 payload: the same kernel Image, a BusyBox initramfs and the run script; kvm.ko for L1', () => {
  assert.deepEqual(tree.file(NESTED_KERNEL), readFileSync(guest.KERNEL));
  const l2 = new Map(listCpio(gunzipSync(tree.file(NESTED_INITRD))).map((m) => [m.name, m]));
  assert.match(Buffer.from(l2.get('init').data).toString('utf8'), new RegExp(L2_BOOT_MARKER));
  assert.ok(l2.has('usr/bin/busybox'));
  assert.ok(((members.get(NESTED_RUN)?.header.mode ?? 0) & 0o111) !== 0);
  const version = readFileSync(guest.VERSION, 'utf8').trim();
  assert.equal(kind(`/usr/lib/modules/${version}/kernel/arch/riscv/kvm/kvm.ko`), S_IFREG);
  assert.match(Buffer.from(tree.file('/init')).toString('utf8'), /insmod \/lib\/modules\/.*\/kvm\.ko/);
});

// The second pass's smaller profile (TSVIRT_BOOT_CPU) gets H added rather than replacing it.
const CPU = `${process.env.TSVIRT_BOOT_CPU ?? 'max'},h=on`;

// The interpreter-only pass (TSVIRT_BOOT_JIT=off) boots L1 once, with the built-in SBI: unpacking
// this 141 MiB initramfs alone takes it minutes. kvm.test.mjs covers both SBI modes in both passes.
const SBI_MODES = process.env.TSVIRT_BOOT_JIT === 'off' ? ['builtin'] : ['builtin', 'opensbi'];
for (const sbi of SBI_MODES) {
  test(
    `on tsvirt (${sbi} SBI), Linux KVM in L1 runs Debian QEMU's L2 with -accel kvm (2 GiB)`,
    { timeout: BOOT_TIMEOUT_MS + TCG_TIMEOUT_MS },
    async (t) => {
      const args = ['--kernel', guest.KERNEL, '--initrd', guest.INITRD, '--memory', '2G', '--cpu', CPU];
      if (sbi === 'opensbi') args.push('--bios', guest.FW_DYNAMIC);
      const saved = process.env.TSVIRT_BOOT_CPU;
      delete process.env.TSVIRT_BOOT_CPU;
      const g = new Guest([...args, '--append', 'console=ttyS0'], {
        log: process.env.TSVIRT_TEST_LOG === '1',
      });
      if (saved !== undefined) process.env.TSVIRT_BOOT_CPU = saved;
      try {
        await g.waitFor(/tsvirt: init done/, BOOT_TIMEOUT_MS);
        await g.waitFor(/# $/m, 60_000);
        assert.match(
          await g.run('qemu-system-riscv64 --version'),
          /^QEMU emulator version 10\.\d+\.\d+ \(Debian /,
        );
        // Without the timestamps, which the session would take for console noise.
        const dmesg = await g.run("dmesg | grep kvm | sed 's/^\\[[^]]*\\] //'");
        assert.match(dmesg, /hypervisor extension available/);
        assert.match(dmesg, /using Sv\d+x4 G-stage page table format/);
        // L2 under KVM: its kernel boots with KVM as its SBI, its user space reads the clock
        // (rdtime through the vDSO) and sleeps on the VS timer. With Sscofpmf in L1 (and the SBI
        // PMU extension under it), KVM offers L2 the SBI PMU extension too. ([S] keeps the pattern
        // from matching itself in the kernel command line that carries it.)
        const t0 = Date.now();
        const pmu = isaProfile(CPU).has('sscofpmf');
        const kvm = await g.run(
          `${NESTED_RUN} kvm 'echo hello from L2; uname -m; sleep 1; cat /proc/uptime; dmesg | grep -c [S]BI.PMU.extension.is.available; true'; echo qemu=$?`,
          BOOT_TIMEOUT_MS,
        );
        t.diagnostic(
          `L2 under KVM in L1: ${((Date.now() - t0) / 1000).toFixed(1)} s from qemu start to poweroff`,
        );
        assert.match(
          kvm,
          new RegExp(
            `${L2_BOOT_MARKER}[\\s\\S]*hello from L2\\s+riscv64\\s+\\d+\\.\\d+ \\d+\\.\\d+\\s+${pmu ? 1 : 0}\\s+${L2_EXIT_MARKER} 0`,
          ),
        );
        assert.match(kvm, /qemu=0$/);
        if (process.env.TSVIRT_NESTED_TCG === '1' && sbi === 'builtin') {
          const t1 = Date.now();
          const out = await g.run(
            `${NESTED_RUN} tcg 'echo hello from L2; uname -m'; echo qemu=$?`,
            TCG_TIMEOUT_MS,
          );
          t.diagnostic(
            `L2 under TCG in L1: ${((Date.now() - t1) / 1000).toFixed(0)} s from qemu start to poweroff`,
          );
          assert.match(
            out,
            new RegExp(`${L2_BOOT_MARKER}[\\s\\S]*hello from L2\\s+riscv64\\s+${L2_EXIT_MARKER} 0`),
          );
          assert.match(out, /qemu=0$/);
        }
        g.send('poweroff\n');
        assert.deepEqual(await g.exited, { code: 0, signal: null });
      } finally {
        g.kill();
      }
    },
  );
}
