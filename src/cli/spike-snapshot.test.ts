// Snapshots and migration of the spike board (docs/snapshot-format.md), through the command line:
// a test program in test/isa's frame (test.h) that checks its own work is stopped mid-run by
// --max-instructions and saved (--save-on-exit), then resumed with --incoming file:, and must
// finish with the result an uninterrupted run has. Also migrated with QMP `migrate exec:` and
// `--incoming exec:`. Needs Debian's cross compiler, as tools/isa-tests.mjs.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSVIRT = join(ROOT, 'bin', 'tsvirt');
const CC = 'riscv64-linux-gnu-gcc';
const EXIT_LIMIT = 124;

const tmp = mkdtempSync(join(tmpdir(), 'tsvirt-spike-snap-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function tsvirt(...args: string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync(TSVIRT, ['run', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

/** Iterations of the program's loop: about 7 instructions each. */
const N = 3_000_000;
/**
 * Sums 1..N twice, in a register and in a doubleword of RAM, prints '+' through HTIF every 2^20
 * iterations, and checks both sums and a CSR set at the start: the state of the harts, RAM and
 * the CSR file must all survive a save mid-loop. Case 2: the register sum, 3: RAM, 4: mscratch.
 */
const PROGRAM = `#include "test.h"
TEST_BEGIN
        TEST_CASE(1)
        li t0, 0x1234abcd
        csrw mscratch, t0
        la s2, sum
        li s0, 0
        li s1, 0
        li s3, ${N}
        li s4, 0xfffff
loop:   addi s0, s0, 1
        add s1, s1, s0
        ld t1, 0(s2)
        add t1, t1, s0
        sd t1, 0(s2)
        and t2, s0, s4
        bnez t2, next
        li t3, 0x0101000000000000 + '+'
        la t4, tohost
        sd t3, 0(t4)
wait:   ld t3, 0(t4)
        bnez t3, wait
next:   blt s0, s3, loop
        TEST_CASE(2)
        CHECK_EQ(s1, ${(N * (N + 1)) / 2})
        TEST_CASE(3)
        ld t1, 0(s2)
        CHECK_EQ(t1, ${(N * (N + 1)) / 2})
        TEST_CASE(4)
        csrr t1, mscratch
        CHECK_EQ(t1, 0x1234abcd)
        j pass
        .data
        .balign 8
sum:    .dword 0
TEST_END
`;

const haveCc = spawnSync(CC, ['--version'], { stdio: 'ignore' }).error === undefined;
const elf = join(tmp, 'sum.elf');
if (haveCc) {
  const src = join(tmp, 'sum.S');
  writeFileSync(src, PROGRAM);
  const isa = join(ROOT, 'test', 'isa');
  const r = spawnSync(CC, [
    ...['-march=rv64gc', '-mabi=lp64d', '-nostdlib', '-nostartfiles', '-static', '-I', isa],
    ...['-Wl,--no-warn-rwx-segments', '-T', join(isa, 'link.ld'), src, '-o', elf],
  ]);
  assert.equal(r.status, 0, r.stderr?.toString());
}
const needsCc = { skip: haveCc ? false : `${CC} is not installed` };
const PLUSES = '+'.repeat(Math.floor(N / 2 ** 20));

test(
  'spike: a program saved mid-run at --max-instructions resumes with --incoming file: and finishes right',
  needsCc,
  () => {
    const whole = tsvirt('--machine', 'spike', '--kernel', elf);
    assert.equal(whole.status, 0, `an uninterrupted run passes: ${whole.err}`);
    assert.equal(whole.out, PLUSES);
    for (const jit of ['on', 'off']) {
      const snap = join(tmp, `mid-${jit}.snap`);
      // 1.5 M instructions: inside the loop, after the first '+' (iteration 2^20 is at ~7.3 M).
      const first = tsvirt(
        '--machine',
        'spike',
        '--kernel',
        elf,
        '--jit',
        jit,
        '--max-instructions',
        '9000000',
        '--save-on-exit',
        snap,
      );
      assert.equal(first.status, EXIT_LIMIT, first.err);
      assert.match(first.err, /saved the VM to/);
      assert.equal(first.out, '+', 'stopped after the first mark');
      const rest = tsvirt('--machine', 'spike', '--kernel', elf, '--jit', jit, '--incoming', `file:${snap}`);
      assert.equal(rest.status, 0, `the resumed run passes its checks: ${rest.err}`);
      assert.equal(first.out + rest.out, PLUSES, 'the console continues');
    }
  },
);

test('spike: --incoming of a snapshot of another machine names what differs', needsCc, () => {
  const snap = join(tmp, 'one.snap');
  assert.equal(
    tsvirt('--machine', 'spike', '--kernel', elf, '--max-instructions', '1000', '--save-on-exit', snap)
      .status,
    EXIT_LIMIT,
  );
  const r = tsvirt('--machine', 'spike', '--kernel', elf, '--smp', '2', '--incoming', `file:${snap}`);
  assert.equal(r.status, 125);
  assert.match(r.err, /--incoming: the snapshot is of another machine: harts: saved 1, this machine 2/);
  const v = tsvirt('--machine', 'virt', '--incoming', `file:${snap}`);
  assert.equal(v.status, 125);
  assert.match(v.err, /machine: saved "spike", this machine "virt"/);
});

/** One QMP command over a fresh connection to `sock` (after the greeting and qmp_capabilities). */
async function qmp(sock: string, execute: string, args?: object): Promise<unknown> {
  for (let k = 0; !existsSync(sock); k++) {
    if (k > 200) throw new Error(`${sock} never appeared`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const c = connect(sock);
  let buf = '';
  const replies: Record<string, unknown>[] = [];
  let wake = (): void => {};
  c.on('data', (d) => {
    buf += d.toString();
    for (let nl; (nl = buf.indexOf('\r\n')) >= 0; buf = buf.slice(nl + 2)) {
      const m = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
      if (!('event' in m)) replies.push(m);
    }
    wake();
  });
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      wake = () => {
        const m = replies.shift();
        if (m !== undefined) resolve(m);
      };
      wake();
    });
  await next();
  c.write(JSON.stringify({ execute: 'qmp_capabilities' }));
  await next();
  c.write(JSON.stringify({ execute, ...(args ? { arguments: args } : {}) }));
  const r = await next();
  c.destroy();
  if ('error' in r) throw new Error(`${execute}: ${JSON.stringify(r.error)}`);
  return r.return;
}

test(
  'spike: QMP migrate exec: of a paused program, resumed by --incoming exec:, runs it to the end',
  needsCc,
  async () => {
    const sock = join(tmp, 'spike.qmp');
    const stream = join(tmp, 'spike.mig');
    const src = spawn(
      TSVIRT,
      ['run', '--machine', 'spike', '--kernel', elf, '--paused', '--qmp', `unix:${sock},server,wait=off`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => src.on('close', resolve));
    await qmp(sock, 'migrate', { uri: `exec:cat > '${stream}'` });
    for (let k = 0; ; k++) {
      const info = (await qmp(sock, 'query-migrate')) as { status?: string };
      if (info.status === 'completed') break;
      assert.notEqual(info.status, 'failed');
      assert.ok(k < 600, 'the migration completes');
      await new Promise((r) => setTimeout(r, 50));
    }
    await qmp(sock, 'quit').catch(() => {});
    assert.equal(await exited, 0);
    const dst = tsvirt('--machine', 'spike', '--kernel', elf, '--incoming', `exec:cat '${stream}'`);
    assert.equal(dst.status, 0, dst.err);
    assert.equal(dst.out, PLUSES);
  },
);
