// Durability with Debian's kernel: a write the guest has flushed (virtio-blk FLUSH completed)
// survives `kill -9` of tsvirt at any moment, on a raw image and on an overlay, and SIGTERM or
// SIGINT stop tsvirt cleanly (exit status 143 or 130, the overlay flushed and valid).
//
// The guest has a raw image as /dev/vda and an overlay as /dev/vdb. It appends numbered records,
// one 512-byte sector each, to both with `dd conv=fsync` (fsync of a block device sends a FLUSH)
// and prints `REC i` once both dd have returned. The host stops tsvirt at a random moment; every
// record printed must be on both disks, checked on the host with tsvirt's own backends and, in
// the next boot, by the guest itself. Each boot checks the previous round and writes the next,
// and one VM serves both formats, to keep the boots few (three, plus a short one).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Guest, debianGuest } from './guest.mjs';
import { openDisk } from '../../dist/backends/block/open.js';
import { parseDiskSpec } from '../../dist/backends/block/spec.js';

const BOOT_TIMEOUT_MS = Number(process.env.TSVIRT_BOOT_TIMEOUT_MS ?? 900_000);
const guest = debianGuest();
const log = process.env.TSVIRT_TEST_LOG === '1';
const work = mkdtempSync(join(tmpdir(), 'tsvirt-crash-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

const DISK_BYTES = 8 * 1024 * 1024;
const SECTOR = 512;
/** Where the writes without a FLUSH go: 4 MiB in, clusters the records never touch. */
const DIRECT_SECTOR = 8192;
const record = (i, tag = 'REC') => `${tag}${String(i).padStart(7, '0')}\n`;

function boot(disks) {
  return new Guest(
    [
      ...['--kernel', guest.KERNEL, '--initrd', guest.INITRD, '--append', 'console=ttyS0'],
      ...disks.flatMap((d) => ['--disk', d.spec]),
    ],
    { log },
  );
}

async function shellOf(g) {
  await g.waitFor(/tsvirt: init done/, BOOT_TIMEOUT_MS);
  await g.waitFor(/# $/m, 120_000);
}

/** Records `from`..`to` that the disk image `bytes` does not hold (`tag` i at sector base + i). */
function missing(bytes, from, to, tag = 'REC', base = 0) {
  const out = [];
  for (let i = from; i <= to; i++) {
    const at = (base + i) * SECTOR;
    if (Buffer.from(bytes.subarray(at, at + 11)).toString('latin1') !== record(i, tag)) out.push(i);
  }
  return out;
}

/** The disk as the guest sees it, read on the host with tsvirt's own backends. */
async function diskBytes(f) {
  if (f.overlay === undefined) return new Uint8Array(await readFile(f.image));
  // The overlay as `--disk file=IMAGE,overlay=OVERLAY` opens it (a qcow2 image backed by IMAGE).
  const d = await openDisk(parseDiskSpec(`file=${f.image},overlay=${f.overlay}`));
  const out = new Uint8Array(d.sizeBytes);
  await d.read(0, out);
  await d.close();
  return out;
}

/** The highest `tag N` the guest printed. */
function lastPrinted(g, tag, from) {
  let last = from - 1;
  for (const m of g.output.matchAll(new RegExp(`${tag} (\\d+)`, 'g'))) last = Math.max(last, Number(m[1]));
  return last;
}

/**
 * A shell loop writing one sector per step from `first` to each of `devices` (sector
 * `seekBase + i`), printing `tag i` once all are written.
 */
function writer(tag, first, seekBase, ddFlags, devices, count) {
  const more = count === undefined ? ':' : `[ $i -lt ${first + count} ]`;
  const dd = devices.map(
    (dev) => `printf '${tag}%07d\\n' $i | dd of=${dev} bs=512 seek=$((${seekBase}+i)) ${ddFlags} 2>/dev/null`,
  );
  return `i=${first}; while ${more} && ${dd.join(' && ')}; do echo ${tag} $i; i=$((i+1)); done; echo WRITER_$((6*7))\n`;
}

/**
 * One boot: check in the guest that records 1..`prev` are on both disks, append records from
 * `prev + 1` (each flushed), and send `signal` to tsvirt at a random moment once they have
 * started. With `direct`, write `direct` records first, then sectors to the overlay with O_DIRECT
 * and no FLUSH (each completed by the device before it is printed), and signal during those.
 * Returns the last record and direct sector printed, and how tsvirt exited.
 */
async function round(t, disks, prev, signal, direct) {
  const g = boot(disks);
  try {
    await shellOf(g);
    // The guest names disks in its own order (the last --disk is vda, as on QEMU's virt board):
    // find each by its serial.
    const names = await g.run('for d in /sys/block/vd*; do echo $(cat $d/serial) ${d##*/}; done');
    for (const d of disks) {
      const m = new RegExp(`^${d.name} (vd[a-z])$`, 'm').exec(names);
      assert.ok(m, `disk ${d.name} not found in the guest: ${names}`);
      d.dev = `/dev/${m[1]}`;
    }
    for (const d of disks) {
      if (prev === 0) break;
      const text = await g.run(`dd if=${d.dev} bs=512 skip=1 count=${prev} 2>/dev/null | tr -d '\\000'`);
      const want = Array.from({ length: prev }, (_, k) => record(k + 1).trim()).join('\n');
      assert.equal(text, want, `the guest reads records 1..${prev} of ${d.name} back`);
    }
    const devices = disks.map((d) => d.dev);
    let start = g.output.length;
    if (direct === undefined) {
      g.send(writer('REC', prev + 1, 0, 'conv=sync,fsync', devices));
      await g.waitFor(/REC \d+/, 120_000, start);
    } else {
      await g.run(writer('REC', prev + 1, 0, 'conv=sync,fsync', devices, direct).trim());
      start = g.output.length;
      const overlays = disks.filter((d) => d.overlay !== undefined).map((d) => d.dev);
      g.send(writer('DIR', 0, DIRECT_SECTOR, 'conv=sync oflag=direct', overlays));
      await g.waitFor(/DIR \d+/, 120_000, start);
    }
    const delayMs = 300 + Math.floor(Math.random() * 2700);
    await new Promise((r) => setTimeout(r, delayMs));
    assert.doesNotMatch(g.output.slice(start), /WRITER_42/, 'the writer loop stopped by itself');
    g.proc.kill(signal);
    const exit = await g.exited;
    const last = lastPrinted(g, 'REC', prev + 1);
    const lastDirect = lastPrinted(g, 'DIR', 0);
    t.diagnostic(
      `${signal} ${delayMs} ms into the loop: records ${prev + 1}..${last}, direct writes 0..${lastDirect}`,
    );
    return { last, lastDirect, exit, output: g.output };
  } finally {
    g.kill();
  }
}

/** An 8 MiB disk with serial `name`: a raw image, or an empty base under an overlay. */
function disk(name, withOverlay) {
  const image = join(work, `${name}.img`);
  writeFileSync(image, '');
  truncateSync(image, DISK_BYTES);
  const overlay = withOverlay ? join(work, `${name}.ovl`) : undefined;
  const spec = (withOverlay ? `file=${image},overlay=${overlay}` : `file=${image}`) + `,serial=${name}`;
  return { name, image, overlay, spec, dev: undefined };
}

test(
  'kill -9 at random moments keeps every flushed record (raw and overlay); SIGTERM flushes and exits 143',
  { timeout: 3 * BOOT_TIMEOUT_MS + 300_000 },
  async (t) => {
    const disks = [disk('raw', false), disk('overlay', true)];
    let prev = 0;
    for (let kill = 1; kill <= 2; kill++) {
      const { last, exit } = await round(t, disks, prev, 'SIGKILL');
      assert.equal(exit.signal, 'SIGKILL');
      assert.ok(last > prev, 'records were written');
      for (const d of disks) {
        assert.deepEqual(missing(await diskBytes(d), 1, last), [], `${d.name}: records lost at kill ${kill}`);
      }
      prev = last;
    }
    // The third boot appends more records, then writes sectors to the overlay without a FLUSH
    // and is stopped by SIGTERM during those.
    const records = 5 + Math.floor(Math.random() * 20);
    const stopped = await round(t, disks, prev, 'SIGTERM', records);
    assert.equal(stopped.exit.code, 143, `exit ${JSON.stringify(stopped.exit)}`);
    assert.match(stopped.output, /tsvirt: stopped by SIGTERM\n/);
    assert.equal(stopped.last, prev + records);
    for (const d of disks) {
      // For the overlay, opening it checks that it is valid.
      assert.deepEqual(
        missing(await diskBytes(d), 1, stopped.last),
        [],
        `${d.name}: records lost at SIGTERM`,
      );
    }
    // Completed by the device but never flushed by the guest: only the shutdown's flush of the
    // overlay (its table) keeps them.
    assert.ok(stopped.lastDirect >= 0, 'direct writes were made');
    const overlay = await diskBytes(disks[1]);
    assert.deepEqual(
      missing(overlay, 0, stopped.lastDirect, 'DIR', DIRECT_SECTOR),
      [],
      'the shutdown did not flush',
    );
  },
);

test(
  'SIGINT while the kernel boots: exit 130, the disks closed and the overlay valid',
  { timeout: 300_000 },
  async () => {
    const d = disk('sigint', true);
    const g = boot([d]);
    try {
      await g.waitFor(/Linux version/, 300_000);
      g.proc.kill('SIGINT');
      const exit = await g.exited;
      assert.equal(exit.code, 130, `exit ${JSON.stringify(exit)}`);
      assert.match(g.output, /tsvirt: stopped by SIGINT\n/);
      assert.equal((await diskBytes(d)).length, DISK_BYTES);
    } finally {
      g.kill();
    }
  },
);
