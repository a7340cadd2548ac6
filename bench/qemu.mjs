// The peer the benchmarks compare with: qemu-system-riscv64 (Debian's package, TCG) with the
// `virt` machine set up as tsvirt's default board, so that both boot the same guest the same way.

export const QEMU = '/usr/bin/qemu-system-riscv64';

/** QEMU arguments for Debian's kernel and an initrd on `-M virt` (serial console, no display). */
export function qemuVirtArgs({ kernel, initrd, memory = '512M', smp = '1', append = 'console=ttyS0' }) {
  return [
    '-M',
    'virt',
    '-m',
    memory,
    '-smp',
    smp,
    '-nographic',
    '-kernel',
    kernel,
    '-initrd',
    initrd,
    '-append',
    append,
  ];
}
