// The guest CPU benchmark as a Linux program in the default initramfs, shared by the benchmarks
// that run it under Linux (bench/cpu-linux.mjs against QEMU, bench/browser.mjs against Node).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeCpio } from '../../dist/images/cpio.js';
import { debianGuest, ROOT } from '../../test/boot/guest.mjs';

/**
 * Build build/bench/cpu-linux.elf when missing (exits the process with a message when it cannot),
 * and write build/bench/initrd-cpu.img: the default initramfs with /bench/cpu added. The kernel
 * unpacks concatenated archives in turn (Documentation/driver-api/early-userspace/buffer-format.rst),
 * each starting 4-byte aligned. Returns the default guest's paths and that initramfs.
 */
export function cpuBenchInitrd() {
  const elf = join(ROOT, 'build/bench/cpu-linux.elf');
  if (!existsSync(elf)) {
    const r = spawnSync('sh', [join(ROOT, 'bench/cpu/build.sh')], { stdio: 'inherit' });
    if (r.status !== 0 || !existsSync(elf)) {
      console.error('cannot build build/bench/cpu-linux.elf (needs riscv64-linux-gnu-gcc)');
      process.exit(1);
    }
  }
  return benchInitrd('cpu', elf);
}

/**
 * Write build/bench/initrd-NAME.img: the default guest's initramfs with `elf` added as /bench/NAME.
 * Returns the default guest's paths and that initramfs.
 */
export function benchInitrd(name, elf) {
  const g = debianGuest();
  const base = readFileSync(g.INITRD);
  const pad = new Uint8Array((4 - (base.length % 4)) % 4);
  const extra = writeCpio([
    { kind: 'dir', path: 'bench' },
    { kind: 'file', path: `bench/${name}`, data: readFileSync(elf), mode: 0o755 },
  ]);
  mkdirSync(join(ROOT, 'build/bench'), { recursive: true });
  const initrd = join(ROOT, `build/bench/initrd-${name}.img`);
  writeFileSync(initrd, Buffer.concat([base, pad, extra]));
  return { g, initrd };
}
