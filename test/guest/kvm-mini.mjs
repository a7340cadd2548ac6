// Builds test/guest/kvm-mini.c (a freestanding KVM user space) with Debian's cross compiler, for
// the KVM boot test and the nested lockstep boot.

import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const GUEST_BUILD = `${ROOT}/build/guest`;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** The path of the built kvm-mini binary. */
export function buildKvmMini() {
  mkdirSync(GUEST_BUILD, { recursive: true });
  const bin = `${GUEST_BUILD}/kvm-mini`;
  const flags = ['-O2', '-nostdlib', '-static', '-fno-pic', '-no-pie', '-ffreestanding'];
  run('riscv64-linux-gnu-gcc', [...flags, '-o', bin, `${ROOT}/test/guest/kvm-mini.c`]);
  return bin;
}

/** The default guest's kernel with `kvm` in its initramfs (a cache of its own, by package version). */
export function kvmGuest() {
  const cache = `${process.env.XDG_CACHE_HOME ?? `${homedir()}/.cache`}/tsvirt/kvm`;
  const out = run(`${ROOT}/bin/tsvirt`, [
    'image',
    '--cache-dir',
    cache,
    '--modules',
    'virtio_mmio,virtio_blk,ext4,kvm',
    '--print-paths',
  ]);
  return Object.fromEntries(
    out
      .split('\n')
      .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => [m[1], m[2]]),
  );
}
