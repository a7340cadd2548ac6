#!/usr/bin/env node
// Operating-system costs inside Linux on `virt` (bench/os/os.c: system call, page fault, fork,
// fork+exec, pipe round trip), side by side with QEMU (bench/qemu.mjs columns). Both boot Debian's
// kernel with the default initramfs plus the program, and run it at the shell `--runs` times; the
// program times each operation with the guest's CLOCK_MONOTONIC. Ratio = QEMU's time per
// operation / tsvirt's (above 1: tsvirt is faster), best run of each.
//
//   node bench/os.mjs [--runs N] [--no-qemu | --qemu 10,10-tsvirt,7.2] [--jit on|js|off]
//                     [--scale N] [--json]
//
// The program is static and needs the riscv64 C library (libc6-dev-riscv64-cross, installed by
// tools/setup.sh --bench).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Guest, ROOT } from '../test/boot/guest.mjs';
import { benchInitrd } from './cpu/initrd.mjs';
import { qemuPeersFromArgs, qemuVirtArgs } from './qemu.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt('--runs', '3'));
const jit = opt('--jit', 'on');
const scale = opt('--scale', '1');
const BOOT_TIMEOUT_MS = 1_200_000;
const peers = qemuPeersFromArgs(args);

const elf = join(ROOT, 'build/bench/os-linux.elf');
mkdirSync(join(ROOT, 'build/bench'), { recursive: true });
const cc = spawnSync(
  'riscv64-linux-gnu-gcc',
  ['-O2', '-static', '-Wall', '-o', elf, join(ROOT, 'bench/os/os.c')],
  { stdio: 'inherit' },
);
if (cc.status !== 0 || !existsSync(elf)) {
  console.error(
    'cannot build bench/os/os.c (needs riscv64-linux-gnu-gcc and libc6-dev-riscv64-cross: tools/setup.sh --bench)',
  );
  process.exit(1);
}
const { g, initrd } = benchInitrd('os', elf);

/** Boot `guest`, run the program `runs` times, return the best time of each operation. */
async function measure(name, guest) {
  try {
    await guest.waitFor(/tsvirt: init done/, BOOT_TIMEOUT_MS);
    await guest.waitFor(/# $/m, 120_000);
    const best = {};
    for (let k = 0; k < runs; k++) {
      const out = await guest.run(`/bench/os ${scale}`, 1_800_000);
      if (!/^PASS$/m.test(out)) throw new Error(`${name}: the program failed:\n${out}`);
      for (const m of out.matchAll(/^op (\S+) us=([\d.]+)/gm))
        best[m[1]] = Math.min(best[m[1]] ?? Infinity, Number(m[2]));
    }
    const line = Object.entries(best)
      .map(([op, us]) => `${op} ${us.toFixed(2)} us`)
      .join(', ');
    console.log(`${name.padEnd(28)} ${line}`);
    return best;
  } finally {
    guest.kill();
  }
}

const results = { peers: {} };
results.tsvirt = await measure(
  `tsvirt --jit ${jit}`,
  new Guest(['--kernel', g.KERNEL, '--initrd', initrd, '--memory', '512M', '--jit', jit]),
);
for (const peer of peers) {
  results.peers[peer.id] = await measure(
    `${peer.name} -M virt`,
    Guest.spawn(peer.cmd, qemuVirtArgs({ kernel: g.KERNEL, initrd, cpuArgs: peer.cpuArgs })),
  );
}
for (const peer of peers) {
  const r = results.peers[peer.id];
  const per = Object.keys(results.tsvirt)
    .map((op) => `${op} ${(r[op] / results.tsvirt[op]).toFixed(2)}x`)
    .join(', ');
  console.log(`ratio tsvirt/${peer.name} speed: ${per}`);
}
if (args.includes('--json')) console.log(JSON.stringify(results));
