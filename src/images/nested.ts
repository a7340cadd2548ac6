// The nested-virtualization guest (`tsvirt image --nested`): Debian's QEMU in the L1 initramfs, and
// an L2 payload inside it (the same kernel Image and a BusyBox initramfs whose /init runs one
// command and powers off) at fixed paths, with /nested/run to start it under KVM or TCG.

import type { CpioEntry } from './cpio.js';
import { compressInitramfs, skeletonEntries } from './initramfs.js';

/** Packages the preset adds: Debian's riscv64 system emulator (qemu-system-riscv64 inside). */
export const NESTED_PACKAGES = ['qemu-system-riscv'] as const;
/** Modules the preset adds: Linux KVM for RISC-V (arch/riscv/kvm, needs the H extension). */
export const NESTED_MODULES = ['kvm'] as const;

/** Where the L2 payload lives in the L1 initramfs. */
export const NESTED_DIR = '/nested';
export const NESTED_KERNEL = `${NESTED_DIR}/Image`;
export const NESTED_INITRD = `${NESTED_DIR}/initrd.img`;
export const NESTED_RUN = `${NESTED_DIR}/run`;

/** Printed by the L2 /init as soon as it runs (the end of the L2 boot, for timing). */
export const L2_BOOT_MARKER = 'tsvirt-l2: BOOT-OK';
/** Printed by the L2 /init after the command, followed by ` <status>`. */
export const L2_EXIT_MARKER = 'tsvirt-l2: exit';

/**
 * The L2 /init. Linux hands init every word after `--` on its command line (init/main.c), double
 * quotes grouping words, so `-- "uname -a"` runs `uname -a`; with no words it starts a shell. Either
 * way the machine then powers off (PID 1 must not exit), so QEMU ends by itself.
 */
export function l2InitScript(): string {
  return `#!/bin/sh
# /init of the nested (L2) guest, written by \`tsvirt image --nested\`.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
hostname tsvirt-l2
echo "${L2_BOOT_MARKER} (kernel $(uname -r))"
if [ $# -gt 0 ]; then
  sh -c "$*"
  echo "${L2_EXIT_MARKER} $?"
else
  setsid cttyhack sh -l
fi
sync
poweroff -f
`;
}

/**
 * /nested/run ACCEL [COMMAND...]: QEMU's virt board with the L2 payload. With kvm, QEMU runs the
 * guest in VS-mode and KVM provides the SBI, so QEMU must load no firmware (-bios none); with tcg,
 * QEMU emulates M-mode and loads its default firmware (Debian's OpenSBI). L2_MEMORY, L2_SMP and
 * L2_APPEND adjust the guest.
 */
export function nestedRunScript(): string {
  return `#!/bin/sh
# Start the nested (L2) guest, written by \`tsvirt image --nested\`.
# usage: ${NESTED_RUN} kvm|tcg [COMMAND...]   (COMMAND runs in L2, which then powers off)
accel=\${1:-kvm}
[ $# -gt 0 ] && shift
case "$accel" in
  kvm) opts="-accel kvm -cpu host -bios none" ;;
  tcg) opts="-accel tcg" ;;
  *) echo "usage: $0 kvm|tcg [COMMAND...]" >&2; exit 2 ;;
esac
exec qemu-system-riscv64 -M virt $opts -m "\${L2_MEMORY:-256M}" -smp "\${L2_SMP:-1}" \\
  -nographic -no-reboot -nic none \\
  -kernel ${NESTED_KERNEL} -initrd ${NESTED_INITRD} \\
  -append "console=ttyS0 panic=-1 \${L2_APPEND:-} -- $*"
`;
}

/** The L2 initramfs: BusyBox and l2InitScript, nothing else (the virt board needs no modules). */
export function l2InitramfsEntries(busybox: Uint8Array): CpioEntry[] {
  return skeletonEntries(busybox, l2InitScript(), 'tsvirt-l2').entries;
}

/** The /nested folder for the L1 initramfs: the kernel Image, the L2 initramfs and the run script. */
export function nestedPayloadEntries(kernelImage: Uint8Array, busybox: Uint8Array): CpioEntry[] {
  const dir = NESTED_DIR.slice(1);
  return [
    { kind: 'dir', path: dir, mode: 0o755 },
    { kind: 'file', path: NESTED_KERNEL.slice(1), data: kernelImage, mode: 0o644 },
    {
      kind: 'file',
      path: NESTED_INITRD.slice(1),
      data: compressInitramfs(l2InitramfsEntries(busybox)),
      mode: 0o644,
    },
    {
      kind: 'file',
      path: NESTED_RUN.slice(1),
      data: new TextEncoder().encode(nestedRunScript()),
      mode: 0o755,
    },
  ];
}
