#!/usr/bin/env node
// Boot benchmark, side by side in one run: the time from process start to the guest's shell for
// tsvirt (`--machine virt`, built-in SBI and OpenSBI) and for qemu-system-riscv64 -M virt (TCG, with
// its bundled OpenSBI), on the same Debian kernel and initramfs (`tsvirt image`). The shell is
// reached when /init prints "tsvirt: init done"; we then power off and stop the clock at the marker.
// Each row also gives the process's peak resident memory (VmHWM) at that moment.
//
//   node bench/boot.mjs [--runs N] [--smp N] [--memory 512M] [--no-qemu] [--jit on|off]

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { debianGuest, ROOT } from '../test/boot/guest.mjs';
import { QEMU, qemuVirtArgs } from './qemu.mjs';

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
const rows = [];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function measure(name, cmd, argv) {
  const times = [];
  let rss = 0;
  for (let k = 0; k < runs; k++) {
    const r = await timeToMarker(cmd, argv);
    times.push(r.s);
    rss = Math.max(rss, r.rss);
  }
  rows.push({ name, seconds: median(times) });
  console.log(`${name.padEnd(34)} ${median(times).toFixed(1)} s   peak RSS ${rss.toFixed(0)} MiB`);
}

await measure(`tsvirt --sbi builtin (jit ${jit})`, `${ROOT}/bin/tsvirt`, [
  'run',
  ...common,
  '--jit',
  jit,
  '--append',
  'console=ttyS0',
]);
await measure(`tsvirt --bios fw_dynamic (jit ${jit})`, `${ROOT}/bin/tsvirt`, [
  'run',
  ...common,
  '--jit',
  jit,
  '--bios',
  g.FW_DYNAMIC,
  '--append',
  'console=ttyS0',
]);
if (!args.includes('--no-qemu') && existsSync(QEMU)) {
  await measure(
    'qemu-system-riscv64 -M virt (TCG)',
    QEMU,
    qemuVirtArgs({ kernel: g.KERNEL, initrd: g.INITRD, memory, smp }),
  );
  const q = rows[rows.length - 1].seconds;
  for (const r of rows.slice(0, -1))
    console.log(`ratio ${r.name}: ${(r.seconds / q).toFixed(1)}x QEMU's time`);
} else {
  console.log('qemu-system-riscv64 not found (tools/setup.sh --bench installs it): tsvirt only');
}
