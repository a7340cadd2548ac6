#!/usr/bin/env node
// Boot benchmark, side by side in one run: the time from process start to the guest's shell for
// tsvirt (`--machine virt`, built-in SBI and OpenSBI) and for qemu-system-riscv64 -M virt (TCG, with
// its bundled OpenSBI: QEMU 10 with its default CPU and with tsvirt's ISA, and QEMU 7.2; see
// bench/qemu.mjs), on the same Debian kernel and initramfs (`tsvirt image`). The shell is
// reached when /init prints "tsvirt: init done"; we then power off and stop the clock at the marker.
// Each row also gives the process's peak resident memory (VmHWM) at that moment.
//
//   node bench/boot.mjs [--runs N] [--smp N] [--memory 512M] [--no-qemu | --qemu 10,10-tsvirt,7.2]
//                       [--jit on|off] [--baseline DIR]
// --baseline DIR adds the same tsvirt rows for another build (a checkout of an earlier release,
// built, at DIR), in the same rounds, with the ratio of each row to its baseline.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { debianGuest, ROOT } from '../test/boot/guest.mjs';
import { qemuPeersFromArgs, qemuVirtArgs } from './qemu.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt('--runs', '1'));
const smp = opt('--smp', '1');
const memory = opt('--memory', '512M');
const jit = opt('--jit', 'on');
const MARKER = 'tsvirt: init done';

/** Peak resident set of process `pid` in MiB (Linux /proc), or NaN when unreadable. */
function peakRssMiB(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Run `cmd`, return seconds until MARKER appears on its output and the peak RSS, then kill it. */
function timeToMarker(cmd, argv, timeoutS = 1200) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`${cmd}: no "${MARKER}" within ${timeoutS} s`));
    }, timeoutS * 1000);
    const onData = (d) => {
      out += d.toString('latin1');
      if (out.includes(MARKER)) {
        const s = (performance.now() - t0) / 1000;
        const rss = peakRssMiB(p.pid);
        clearTimeout(timer);
        p.kill('SIGKILL');
        resolve({ s, rss });
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.on('error', reject);
  });
}

const g = debianGuest();
const common = ['--kernel', g.KERNEL, '--initrd', g.INITRD, '--memory', memory, '--smp', smp];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const configs = [
  {
    name: `tsvirt --sbi builtin (jit ${jit})`,
    cmd: `${ROOT}/bin/tsvirt`,
    argv: ['run', ...common, '--jit', jit, '--append', 'console=ttyS0'],
  },
  {
    name: `tsvirt --bios fw_dynamic (jit ${jit})`,
    cmd: `${ROOT}/bin/tsvirt`,
    argv: ['run', ...common, '--jit', jit, '--bios', g.FW_DYNAMIC, '--append', 'console=ttyS0'],
  },
];
const tsvirtConfigs = [...configs];
const baselineDir = opt('--baseline', undefined);
const baselineConfigs =
  baselineDir === undefined
    ? []
    : tsvirtConfigs.map((c) => ({
        ...c,
        name: `baseline ${c.name}`,
        cmd: `${baselineDir}/bin/tsvirt`,
        of: c,
      }));
configs.push(...baselineConfigs);
const qemuConfigs = qemuPeersFromArgs(args).map((p) => ({
  name: `${p.name} -M virt (TCG)`,
  cmd: p.cmd,
  argv: qemuVirtArgs({ kernel: g.KERNEL, initrd: g.INITRD, memory, smp, cpuArgs: p.cpuArgs }),
}));
configs.push(...qemuConfigs);
// Round by round, every configuration once per round: the machines this runs on drift in speed
// over minutes, and a drift must not fall on one configuration's runs only.
for (const c of configs) {
  c.times = [];
  c.rss = 0;
}
for (let k = 0; k < runs; k++) {
  for (const c of configs) {
    const r = await timeToMarker(c.cmd, c.argv);
    c.times.push(r.s);
    c.rss = Math.max(c.rss, r.rss);
  }
}
for (const c of configs) {
  const all = c.times.map((t) => t.toFixed(1)).join(' ');
  console.log(
    `${c.name.padEnd(38)} ${median(c.times).toFixed(1)} s median, ${Math.min(...c.times).toFixed(1)} s best (${all})   peak RSS ${c.rss.toFixed(0)} MiB`,
  );
}
for (const b of baselineConfigs) {
  console.log(
    `ratio ${b.of.name} / its baseline: ${(median(b.of.times) / median(b.times)).toFixed(2)}x the time (median), ${(Math.min(...b.of.times) / Math.min(...b.times)).toFixed(2)}x (best)`,
  );
}
for (const c of tsvirtConfigs) {
  for (const q of qemuConfigs) {
    console.log(
      `ratio ${c.name} / ${q.name}: ${(median(c.times) / median(q.times)).toFixed(1)}x the time (median), ${(Math.min(...c.times) / Math.min(...q.times)).toFixed(1)}x (best)`,
    );
  }
}
