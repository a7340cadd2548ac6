#!/usr/bin/env node
// The guest CPU benchmark inside Linux on `virt`, side by side with QEMU (QEMU 10 with its default
// CPU and with tsvirt's ISA, and QEMU 7.2: bench/qemu.mjs): all boot Debian's
// kernel with the default initramfs plus the benchmark (bench/cpu/linux.c, a static user
// program) appended as a second cpio archive, then run it at the shell `--runs` times. The
// program times each part with the guest's CLOCK_MONOTONIC, so boot time is not in the figures;
// both guests run the same binary and must print the same checksums (compared with the native
// build's). Ratio = QEMU's time / tsvirt's time, best run of each (target: at least 0.5), for each
// QEMU column.
//
//   node bench/cpu-linux.mjs [--runs N] [--no-qemu | --qemu 10,10-tsvirt,7.2] [--jit on|js|off]
//                            [--baseline DIR]   (another tsvirt build, e.g. the previous release)
//                            [--scale N] [--json]

import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Guest } from '../test/boot/guest.mjs';
import { cpuBenchInitrd } from './cpu/initrd.mjs';
import { qemuPeersFromArgs, qemuVirtArgs } from './qemu.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt('--runs', '3'));
const jit = opt('--jit', 'on');
const scale = opt('--scale', '');
const BOOT_TIMEOUT_MS = 1_200_000;
const peers = qemuPeersFromArgs(args);

const { g, initrd } = cpuBenchInitrd();

/** Parse the program's report: per-part times, total, checksums, pass. */
function parseReport(text) {
  const parts = {};
  for (const m of text.matchAll(/^part (\w+) checksum=(0x[0-9a-f]+) (\w+).*?time_ms=(\d+)/gm))
    parts[m[1]] = { sum: m[2], ok: m[3] === 'ok', ms: Number(m[4]) };
  const total = /^time_ms (\d+)/m.exec(text);
  return { parts, ms: total ? Number(total[1]) : NaN, pass: /^PASS$/m.test(text) };
}

/** Boot `guest`, run the benchmark `runs` times, return the best report. */
async function measure(name, guest) {
  try {
    await guest.waitFor(/tsvirt: init done/, BOOT_TIMEOUT_MS);
    await guest.waitFor(/# $/m, 120_000);
    let best = null;
    for (let k = 0; k < runs; k++) {
      const t0 = performance.now();
      const out = await guest.run(`/bench/cpu ${scale}`, 1_800_000);
      const r = parseReport(out);
      // The host's view of the same run (console round trip included): a check on the guest clock.
      r.hostMs = performance.now() - t0;
      if (!r.pass) throw new Error(`${name}: the benchmark did not pass:\n${out}`);
      if (best === null || r.ms < best.ms) best = r;
    }
    const parts = Object.entries(best.parts)
      .map(([p, v]) => `${p} ${v.ms} ms`)
      .join(', ');
    console.log(
      `${name.padEnd(30)} ${String(best.ms).padStart(7)} ms   (${parts}; host clock ${best.hostMs.toFixed(0)} ms)`,
    );
    return best;
  } finally {
    guest.kill();
  }
}

const results = {};
results.tsvirt = await measure(
  `tsvirt --jit ${jit}`,
  new Guest([
    '--kernel',
    g.KERNEL,
    '--initrd',
    initrd,
    '--memory',
    '512M',
    '--jit',
    jit,
    '--append',
    'console=ttyS0',
  ]),
);
// Per QEMU column; `qemu` and `ratio` stay those of the first column (QEMU 10 when installed).
results.peers = {};
for (const peer of peers) {
  const r = await measure(
    `${peer.name} -M virt`,
    Guest.spawn(peer.cmd, qemuVirtArgs({ kernel: g.KERNEL, initrd, cpuArgs: peer.cpuArgs })),
  );
  for (const [p, v] of Object.entries(results.tsvirt.parts)) {
    if (r.parts[p]?.sum !== v.sum) throw new Error(`part ${p}: checksums differ from ${peer.name}'s`);
  }
  r.ratio = r.ms / results.tsvirt.ms;
  results.peers[peer.id] = r;
  results.qemu ??= r;
  results.ratio ??= r.ratio;
}
for (const peer of peers) {
  const r = results.peers[peer.id];
  const per = Object.keys(results.tsvirt.parts)
    .map((p) => `${p} ${(r.parts[p].ms / results.tsvirt.parts[p].ms).toFixed(2)}x`)
    .join(', ');
  console.log(`ratio tsvirt/${peer.name} speed: ${r.ratio.toFixed(3)} (${per}; target >= 0.5)`);
}
// --baseline DIR: the same guest on another tsvirt build (an earlier release, built, at DIR),
// after the others: the ratio of this build's time to the baseline's (below 1: faster now).
const baselineDir = opt('--baseline', undefined);
if (baselineDir !== undefined) {
  const tsvirtArgs = [
    '--kernel',
    g.KERNEL,
    '--initrd',
    initrd,
    '--memory',
    '512M',
    '--jit',
    jit,
    '--append',
    'console=ttyS0',
  ];
  const b = await measure(
    `baseline tsvirt --jit ${jit}`,
    Guest.spawn(join(baselineDir, 'bin', 'tsvirt'), ['run', ...tsvirtArgs]),
  );
  for (const [p, v] of Object.entries(results.tsvirt.parts)) {
    if (b.parts[p]?.sum !== v.sum) throw new Error(`part ${p}: checksums differ from the baseline's`);
  }
  results.baseline = b;
  const per = Object.keys(results.tsvirt.parts)
    .map((p) => `${p} ${(results.tsvirt.parts[p].ms / b.parts[p].ms).toFixed(2)}x`)
    .join(', ');
  console.log(`ratio tsvirt/baseline time: ${(results.tsvirt.ms / b.ms).toFixed(3)} (${per})`);
}
if (args.includes('--json')) console.log(JSON.stringify(results));
