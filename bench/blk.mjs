#!/usr/bin/env node
// virtio-blk throughput inside the guest, side by side in one run: tsvirt and
// qemu-system-riscv64 -M virt (TCG, virtio-blk-device; QEMU 10 with its default CPU and with
// tsvirt's ISA, and QEMU 7.2: bench/qemu.mjs) boot the same Debian kernel and initramfs
// with the same raw image, and the guest runs dd with O_DIRECT (bypassing the page cache) for a
// sequential write and a sequential read. dd's own MB/s figures are reported, and their ratio.
//
//   node bench/blk.mjs [--size-mb 64] [--no-qemu | --qemu 10,10-tsvirt,7.2]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Guest, debianGuest } from '../test/boot/guest.mjs';
import { qemuPeersFromArgs, qemuVirtArgs } from './qemu.mjs';

const args = process.argv.slice(2);
const peers = qemuPeersFromArgs(args);
const sizeMb = Number(args.includes('--size-mb') ? args[args.indexOf('--size-mb') + 1] : 64);
const g = debianGuest();
const work = mkdtempSync(join(tmpdir(), 'tsvirt-blk-'));
const image = join(work, 'disk.img');
spawnSync('truncate', ['-s', `${sizeMb + 16}M`, image]);

// BusyBox's dd prints no timing, so the guest reads its uptime (10 ms resolution, host-paced)
// around each run.
const timed = (cmd) =>
  `a=$(cut -d' ' -f1 /proc/uptime); ${cmd} 2>/dev/null; b=$(cut -d' ' -f1 /proc/uptime); echo "elapsed $a $b"`;
const DD_WRITE = timed(`dd if=/dev/zero of=/dev/vda bs=1M count=${sizeMb} oflag=direct`);
const DD_READ = timed(`dd if=/dev/vda of=/dev/null bs=1M count=${sizeMb} iflag=direct`);

/** MB/s from the "elapsed START END" line. */
function rate(text) {
  const m = /elapsed ([\d.]+) ([\d.]+)/.exec(text);
  if (!m) throw new Error(`cannot parse the timing: ${text}`);
  return sizeMb / Math.max(0.01, Number(m[2]) - Number(m[1]));
}

async function measure(name, guest) {
  try {
    await guest.waitFor(/tsvirt: init done/, 1_200_000);
    await guest.waitFor(/# $/m, 120_000);
    const w = rate(await guest.run(DD_WRITE, 600_000));
    const r = rate(await guest.run(DD_READ, 600_000));
    console.log(`${name.padEnd(20)} write ${w.toFixed(1)} MB/s   read ${r.toFixed(1)} MB/s`);
    guest.send('poweroff -f\n');
    return { w, r };
  } finally {
    guest.kill();
  }
}

const t = await measure(
  'tsvirt',
  new Guest([
    '--kernel',
    g.KERNEL,
    '--initrd',
    g.INITRD,
    '--append',
    'console=ttyS0',
    '--disk',
    `file=${image}`,
  ]),
);
const measured = [];
for (const peer of peers) measured.push([peer, await measure(peer.name, qemuGuest(peer, image))]);
for (const [peer, q] of measured) {
  console.log(`ratio tsvirt/${peer.name}: write ${(t.w / q.w).toFixed(2)}x, read ${(t.r / q.r).toFixed(2)}x`);
}
rmSync(work, { recursive: true, force: true });

function qemuGuest(peer, img) {
  return Guest.spawn(peer.cmd, [
    ...qemuVirtArgs({ kernel: g.KERNEL, initrd: g.INITRD, cpuArgs: peer.cpuArgs }),
    '-drive',
    `file=${img},format=raw,if=none,id=d0,cache=none`,
    '-device',
    'virtio-blk-device,drive=d0',
  ]);
}
