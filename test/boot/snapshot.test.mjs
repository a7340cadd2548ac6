// Whole-VM snapshots (issue 22, docs/snapshot-format.md), end to end.
// Exactness: one deterministic Debian boot (4 harts, virtio disk and NIC; snapshot-lib.mjs) is
// saved at 10 points; after each save it runs M more instructions and its whole state (every
// hart's registers and CSRs, every device) and a hash of RAM are recorded. Each snapshot is then
// restored in a fresh process, which runs the same M instructions: both must agree exactly.
// CLI: the default guest is saved with --save-on-exit and resumed with --incoming file:, and its
// shell still answers with a clock that has not gone back.
// With TSVIRT_BOOT_JIT (off, js, wasm) both sides use that engine; default wasm.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { debianGuest, Guest } from './guest.mjs';
import { makeRun } from './snapshot-lib.mjs';
import { saveVmTo } from '../../dist/api/node.js';

const run = promisify(execFile);
const JIT = process.env.TSVIRT_BOOT_JIT === 'on' ? 'wasm' : (process.env.TSVIRT_BOOT_JIT ?? 'wasm');
const LIB = new URL('./snapshot-lib.mjs', import.meta.url).pathname;
/** Save points along the boot (instructions of all harts): the disk is live from about 1.85e9, the NIC from 2.35e9. */
const POINTS = [0.15, 0.4, 0.65, 0.9, 1.15, 1.4, 1.65, 1.9, 2.15, 2.4].map((g) => g * 1e9);
const MORE = 4_000_000;

test(
  'snapshot exactness: 10 points of an SMP 4 Debian boot with virtio disk and NIC, restored in fresh processes',
  { timeout: 1_800_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsvirt-snap-'));
    try {
      const paths = debianGuest();
      const disk = join(dir, 'disk.img');
      writeFileSync(disk, new Uint8Array(4 << 20).fill(0x5a));
      const r = await makeRun({ kernel: paths.KERNEL, initrd: paths.INITRD, disk, jit: JIT });
      const expected = [];
      for (const [k, at] of POINTS.entries()) {
        await r.runTo(at);
        const file = join(dir, `p${k}.snap`);
        await saveVmTo(r.vm, file);
        // The restored side's translator starts empty: so does this side's (snapshot-lib.mjs).
        r.dropTranslations();
        const from = r.retired();
        await r.runTo(from + MORE);
        expected.push({ file, from, digest: r.digest() });
      }
      const live = r.vm.board.transports.map((t) => t.save().status & 4);
      await r.vm.close();
      assert.deepEqual(live, [4, 4], 'the disk and the NIC are live (DRIVER_OK) by the last point');
      // Restored sides, two at a time.
      const restored = new Array(expected.length);
      const one = async (k) => {
        const e = expected[k];
        const { stdout } = await run(process.execPath, [LIB, e.file, String(MORE), JIT, disk], {
          maxBuffer: 64 << 20,
        });
        restored[k] = JSON.parse(stdout);
      };
      for (let k = 0; k < expected.length; k += 2)
        await Promise.all([one(k), k + 1 < expected.length ? one(k + 1) : null]);
      for (const [k, e] of expected.entries()) {
        const got = restored[k];
        assert.equal(got.retired, e.digest.retired, `point ${k} (${e.from}): instructions retired`);
        if (got.state !== e.digest.state)
          assert.deepEqual(JSON.parse(got.state), JSON.parse(e.digest.state), `point ${k}: state`);
        assert.equal(got.ram, e.digest.ram, `point ${k} (${e.from}): RAM hash`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'CLI: --save-on-exit at SIGTERM, then --incoming file: resumes the shell with its clock',
  { timeout: 600_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsvirt-snap-'));
    const file = join(dir, 'vm.snap');
    try {
      const a = new Guest(['--smp', '2', '--save-on-exit', file]);
      await a.waitFor(/tsvirt: init done/, 300_000);
      await a.waitFor(/# $/m, 120_000);
      const before = await a.run('echo T=$(date +%s)', 60_000);
      const t0 = Number(/T=(\d+)/.exec(before)[1]);
      a.proc.kill('SIGTERM');
      const ended = await a.exited;
      assert.equal(ended.code, 143);
      assert.match(a.output, /saved the VM to/);
      assert.ok(statSync(file).size > 0);
      const b = new Guest(['--smp', '2', '--incoming', `file:${file}`]);
      const after = await b.run('echo T=$(date +%s)', 60_000);
      const t1 = Number(/T=(\d+)/.exec(after)[1]);
      assert.ok(t1 >= t0, `guest time went back: ${t0} before, ${t1} after`);
      b.send('poweroff\n');
      assert.equal((await b.exited).code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('CLI: --incoming of another machine names what differs', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvirt-snap-'));
  const file = join(dir, 'vm.snap');
  try {
    const a = new Guest(['--smp', '2', '--save-on-exit', file]);
    await a.waitFor(/tsvirt: init done/, 300_000);
    await a.waitFor(/# $/m, 120_000);
    a.proc.kill('SIGTERM');
    await a.exited;
    const b = new Guest(['--smp', '1', '-m', '256', '--incoming', `file:${file}`]);
    const end = await b.exited;
    assert.equal(end.code, 125);
    assert.match(
      b.output,
      /--incoming: .*memoryBytes: saved 536870912, this machine 268435456.*harts: saved 2, this machine 1/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
