#!/usr/bin/env node
// Nested virtualization benchmark (issue 20), side by side in one run. L1 is `tsvirt image
// --nested` (Debian's kernel with kvm.ko and Debian's QEMU 10) on an L0 that has the hypervisor
// extension: tsvirt (`--cpu max`, which has H and Sscofpmf; built-in SBI and OpenSBI) and QEMU 10 (`-cpu
// rv64,h=true,sscofpmf=true`, its OpenSBI). In L1, /nested/run starts L2 (the same kernel and a
// BusyBox initramfs) with QEMU's `-accel kvm` (and, with --tcg, `-accel tcg`). Measured on the
// host's clock, from the moment the command is typed into L1's shell:
//   - L2 boot: until L2's init prints its BOOT-OK marker;
//   - L2 CPU: a BusyBox shell loop of --loop iterations inside L2, between two markers it prints.
// L1's own boot is not counted. Rows are medians of --runs rounds, one configuration after the
// other in each round (these machines drift in speed over minutes).
//
//   node bench/nested.mjs [--runs N] [--loop N] [--tcg] [--no-qemu]
// --tcg adds `-accel tcg` rows for L2 (slow: about 45 minutes on tsvirt as L0 today).

import { spawnSync } from 'node:child_process';
import { Guest, ROOT } from '../test/boot/guest.mjs';
import { qemu10 } from '../tools/qemu.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const runs = Number(opt('--runs', '1'));
const loop = Number(opt('--loop', '300000'));
const accels = args.includes('--tcg') ? ['kvm', 'tcg'] : ['kvm'];
const L1_BOOT_MS = 900_000;
const L2_MS = 4 * 3600_000;

const r = spawnSync(`${ROOT}/bin/tsvirt`, ['image', '--nested', '--print-paths'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (r.status !== 0) throw new Error(`tsvirt image --nested failed with status ${r.status}`);
const g = Object.fromEntries(
  r.stdout
    .split('\n')
    .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => [m[1], m[2]]),
);

const l1 = ['--kernel', g.KERNEL, '--initrd', g.INITRD, '--memory', '2G', '--append', 'console=ttyS0'];
const l0s = [
  { name: 'tsvirt (built-in SBI)', cmd: `${ROOT}/bin/tsvirt`, argv: ['run', '--cpu', 'max,h=on', ...l1] },
  {
    name: 'tsvirt (OpenSBI)',
    cmd: `${ROOT}/bin/tsvirt`,
    argv: ['run', '--cpu', 'max,h=on', '--bios', g.FW_DYNAMIC, ...l1],
  },
];
const q = qemu10();
if (!args.includes('--no-qemu')) {
  if (q === undefined) console.log('QEMU 10 is missing: tools/setup.sh --bench installs it');
  else
    l0s.push({
      name: 'qemu 10',
      cmd: q,
      argv: [
        '-M',
        'virt',
        '-cpu',
        'rv64,h=true,sscofpmf=true',
        '-m',
        '2G',
        '-smp',
        '1',
        '-nographic',
        '-kernel',
        g.KERNEL,
        '-initrd',
        g.INITRD,
        '-append',
        'console=ttyS0',
      ],
    });
}

/** One L1 boot on `l0`, then one L2 run per accelerator: seconds to L2's BOOT-OK and of the loop. */
async function round(l0) {
  const session = Guest.spawn(l0.cmd, l0.argv);
  try {
    await session.waitFor(/tsvirt: init done/, L1_BOOT_MS);
    await session.waitFor(/# $/m, 60_000);
    const out = {};
    for (const accel of accels) {
      const from = session.output.length;
      const t0 = performance.now();
      const at = async (re) => {
        await session.waitFor(re, L2_MS, from);
        return (performance.now() - t0) / 1000;
      };
      session.send(
        // The markers are made by L2's shell ($((...))), so neither the typed line nor L2's
        // kernel command line (which the kernel prints) matches them.
        `/nested/run ${accel} 'echo L2-CPU-$((1+1)); i=0; while [ $i -lt ${loop} ]; do i=$((i+1)); done; echo L2-CPU-$((2+1))'\n`,
      );
      const boot = await at(/tsvirt-l2: BOOT-OK/);
      const start = await at(/L2-CPU-2\s/);
      const end = await at(/L2-CPU-3\s/);
      await at(/tsvirt-l2: exit 0/);
      await session.waitFor(/# $/m, 60_000, session.output.length - 4);
      out[accel] = { boot, cpu: end - start };
    }
    return out;
  } finally {
    session.kill();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const l0 of l0s) l0.results = [];
for (let k = 0; k < runs; k++) for (const l0 of l0s) l0.results.push(await round(l0));

for (const accel of accels) {
  for (const l0 of l0s) {
    const boot = median(l0.results.map((x) => x[accel].boot));
    const cpu = median(l0.results.map((x) => x[accel].cpu));
    l0[accel] = { boot, cpu };
    console.log(
      `L0 ${l0.name.padEnd(22)} L2 -accel ${accel}: boot ${boot.toFixed(1)} s, CPU loop ${cpu.toFixed(2)} s (median of ${runs})`,
    );
  }
}
for (const l0 of l0s) {
  if (l0.tcg !== undefined) {
    console.log(
      `ratio in ${l0.name}: TCG / KVM = ${(l0.tcg.boot / l0.kvm.boot).toFixed(1)}x (L2 boot), ${(l0.tcg.cpu / l0.kvm.cpu).toFixed(1)}x (CPU loop)`,
    );
  }
}
const qemuL0 = l0s.find((l) => l.name === 'qemu 10');
if (qemuL0 !== undefined) {
  for (const l0 of l0s.filter((l) => l !== qemuL0)) {
    for (const accel of accels) {
      console.log(
        `ratio ${l0.name} / qemu 10 as L0, L2 ${accel}: ${(l0[accel].boot / qemuL0[accel].boot).toFixed(2)}x the time (L2 boot), ${(l0[accel].cpu / qemuL0[accel].cpu).toFixed(2)}x (CPU loop)`,
      );
    }
  }
}
