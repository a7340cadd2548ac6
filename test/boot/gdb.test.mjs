// The GDB stub with a real client: gdb-multiarch in batch mode against tsvirt. A spike program
// (test/gdb/prog.S) with each translator: attach to a running hot loop, breakpoints, step,
// watchpoints (one deep in a translated loop), registers and memory both ways, detach and kill.
// Then Debian's kernel, paused at reset with SMP 4: a breakpoint on start_kernel, four threads,
// registers, a step and a watchpoint.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT, debianGuest } from './guest.mjs';
import { kallsyms } from './kallsyms.mjs';

const TSVIRT = join(ROOT, 'bin', 'tsvirt');
const BUILD = join(ROOT, 'build', 'gdb');
const PROG = join(BUILD, 'prog');
const GDB = 'gdb-multiarch';
/** The translator of every run that does not choose one (the suite's second pass: off). */
const JIT = process.env.TSVIRT_BOOT_JIT ?? 'on';

function buildProgram() {
  mkdirSync(BUILD, { recursive: true });
  const isa = join(ROOT, 'test', 'isa');
  const r = spawnSync(
    'riscv64-linux-gnu-gcc',
    [
      ...['-march=rv64gc', '-mabi=lp64d', '-nostdlib', '-nostartfiles', '-static', '-g'],
      ...['-Wl,--no-warn-rwx-segments', '-Wl,--build-id=none', '-I', isa, '-T', join(isa, 'link.ld')],
      ...['-o', PROG, join(ROOT, 'test', 'gdb', 'prog.S')],
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`building test/gdb/prog.S failed: ${r.stderr ?? r.error}`);
}

/** A free TCP port on the loopback interface. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Every tsvirt started, killed at the end if still running (a failed test leaves one behind). */
const started = [];
after(() => {
  for (const p of started) if (p.exitCode === null) p.kill();
});

/** Start tsvirt with `args` and a GDB stub on a free port; resolves its port and exit. */
async function tsvirt(args) {
  const port = await freePort();
  // The suite's second pass runs every guest with the smallest profile too.
  const cpu = process.env.TSVIRT_BOOT_CPU;
  const all = [...args, ...(cpu === undefined ? [] : ['--cpu', cpu]), '--gdb', `tcp:127.0.0.1:${port}`];
  const proc = spawn(TSVIRT, ['run', ...all], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(proc);
  let output = '';
  proc.stdout.on('data', (d) => (output += d));
  proc.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => proc.on('close', (code) => resolve({ code, output })));
  return { port, proc, exited };
}

/**
 * Run gdb-multiarch in batch mode with `commands` (after connecting to `port`) on `elf`, if any;
 * resolves its output. GDB retries the connection while tsvirt starts listening.
 */
function gdb(port, commands, elf, timeoutMs = 120_000) {
  const args = ['-batch', '-nx', '-ex', 'set pagination off', '-ex', 'set confirm off'];
  if (elf === undefined) args.push('-ex', 'set architecture riscv:rv64');
  args.push('-ex', `target remote 127.0.0.1:${port}`);
  for (const c of commands) args.push('-ex', c);
  if (elf !== undefined) args.push(elf);
  const r = spawnSync(GDB, args, { encoding: 'utf8', timeout: timeoutMs });
  if (r.error !== undefined) throw r.error;
  return `${r.stdout}${r.stderr}`;
}

/** The value of GDB's `$N = value` history entry. */
function history(out, n) {
  const m = new RegExp(`^\\$${n} = (.*)$`, 'm').exec(out);
  assert.ok(m, `no $${n} in GDB's output:\n${out}`);
  return m[1];
}

const haveGdb = spawnSync(GDB, ['--version']).status === 0;
const skip = haveGdb ? false : `${GDB} not installed (tools/setup.sh installs it)`;
if (haveGdb) buildProgram();

/**
 * The whole conversation against a running program whose hot loop the translator has compiled:
 * GDB attaches (halting it), stops at a breakpoint in that loop, writes memory to end it, steps,
 * stops at a write watchpoint, at another deep in a second loop that the translator has compiled
 * by then, at a breakpoint after that loop (which ran in translated code with a breakpoint and a
 * watchpoint set: `monitor info jit` says how much), and at a read watchpoint (each before the
 * access, pc on the instruction, as GDB's RISC-V support expects), reads registers, CSRs, memory
 * and an unmapped address, and lets the program run to its end: it passes only if GDB's write of
 * `value` reached its RAM.
 */
async function conversation(jit) {
  const vm = await tsvirt(['--machine', 'spike', '--kernel', PROG, '--jit', jit]);
  // Let the loop run hot (compiled by the translator) before GDB attaches (tsvirt starts in
  // about 0.3 s; the loop is hot after 512 rounds).
  await new Promise((r) => setTimeout(r, 1500));
  const out = gdb(
    vm.port,
    [
      'print (long)counter > 0',
      'break spin',
      'continue',
      'print $pc == spin',
      'delete',
      'set var *(long *)&go = 1',
      'set var *(long *)&value = 0x1234',
      'break after_loop',
      'continue',
      'stepi',
      'print $s3 - $s1',
      'print $pc == after_loop + 4',
      'watch *(long *)&flag',
      'continue',
      'print $pc == after_store',
      'print *(long *)&flag',
      'print $pc',
      'delete',
      // Deep in a loop the translator has compiled by then: element 4000 (of 6000) is first written
      // in round 64000 (of 96000).
      'watch *(long *)((char *)&buf + 8 * 4000)',
      'continue',
      'print $pc == stream_stored',
      'delete',
      // Breakpoint and watchpoint out of the loop's way: it runs to its end translated.
      'watch *(long *)&far',
      'break streamed',
      'continue',
      'print $t5',
      'monitor info jit',
      'delete',
      'rwatch *(long *)&value',
      'continue',
      'print $priv',
      'print $mhartid',
      'print $fcsr',
      'print/x (unsigned long)$misa >> 62',
      'x/gx 0x10',
      'info threads',
      'delete',
      'continue',
    ],
    PROG,
  );
  const { code, output } = await vm.exited;
  return { out, code, output };
}

for (const jit of ['on', 'js', 'off'].filter((j) => JIT === 'on' || j === JIT)) {
  test(`spike program under GDB, --jit ${jit}`, { skip, timeout: 120_000 }, async () => {
    const { out, code, output } = await conversation(jit);
    const why = `GDB's output:\n${out}\ntsvirt's:\n${output}`;
    assert.equal(history(out, 1), '1', `the program ran before GDB attached\n${why}`);
    assert.match(out, /Breakpoint 1, spin \(\)/, why);
    assert.equal(history(out, 2), '1', why);
    assert.match(out, /Breakpoint 2, after_loop \(\)/, why);
    // stepi executed `addi s3, s1, 5` and nothing else.
    assert.equal(history(out, 3), '5', why);
    assert.equal(history(out, 4), '1', why);
    assert.match(out, /Hardware watchpoint 3: \*\(long \*\)&flag\s+Old value = 0\s+New value = 7/, why);
    assert.equal(history(out, 5), '1', why);
    assert.equal(history(out, 6), '7', why);
    assert.match(out, /Hardware watchpoint 4: .*\s+Old value = 0\s+New value = 64000/, why);
    assert.equal(history(out, 8), '1', `pc after the watched store\n${why}`);
    assert.match(out, /Breakpoint 6, .*streamed/, why);
    assert.equal(history(out, 9), '96000', `the loop ran to its end\n${why}`);
    // The stub ran most of the loop's 576000 instructions with the translator (while watching and
    // breaking).
    const jitLine = /instructions run while debugging: (\d+), by translated code: (\d+)/.exec(out);
    assert.ok(jitLine, `monitor info jit\n${why}`);
    const [ran, translated] = [Number(jitLine[1]), Number(jitLine[2])];
    if (jit === 'off') assert.equal(translated, 0, why);
    else
      assert.ok(translated > 200_000 && translated > ran / 2, `${translated} of ${ran} translated\n${why}`);
    assert.match(out, /Hardware read watchpoint 7: \*\(long \*\)&value\s+Value = 4660/, why);
    assert.equal(history(out, 10), '3', `priv: M-mode\n${why}`);
    assert.equal(history(out, 11), '0', `mhartid\n${why}`);
    assert.equal(history(out, 12), '0', `fcsr\n${why}`);
    assert.equal(history(out, 13), '0x2', `misa.MXL: 64-bit\n${why}`);
    assert.match(out, /Cannot access memory at address 0x10/, why);
    assert.match(out, /\* 1 +Thread 1 \(hart 0, halted, M-mode\)/, why);
    assert.match(out, /exited normally/, why);
    assert.equal(code, 0, `the program passes only if GDB wrote value\n${why}`);
  });
}

test(
  'GDB detaches from a paused program, which then runs to its end',
  { skip, timeout: 120_000 },
  async () => {
    const vm = await tsvirt(['--machine', 'spike', '--kernel', PROG, '--jit', JIT, '--paused']);
    const out = gdb(
      vm.port,
      ['print $pc', 'set var *(long *)&go = 1', 'set var *(long *)&value = 0x1234', 'detach'],
      PROG,
    );
    const { code, output } = await vm.exited;
    assert.match(history(out, 1), /^\(void \(\*\)\(\)\) 0x80000000 <_start>$/, out);
    assert.equal(code, 0, `GDB's output:\n${out}\ntsvirt's:\n${output}`);
  },
);

test('GDB kills the VM', { skip, timeout: 120_000 }, async () => {
  const vm = await tsvirt(['--machine', 'spike', '--kernel', PROG, '--jit', JIT, '--paused']);
  const out = gdb(vm.port, ['break spin', 'continue', 'kill'], PROG);
  const { code, output } = await vm.exited;
  const why = `GDB's output:\n${out}\ntsvirt's:\n${output}`;
  assert.match(out, /Breakpoint 1, spin \(\)/, why);
  assert.match(out, /killed/, why);
  assert.equal(code, 0, why);
});

/**
 * Debian's kernel, SMP 4, paused at reset with the built-in SBI: hart 0 starts in S-mode at the
 * kernel's entry (_start) with paging off, the other harts wait in HSM's stopped state. The
 * symbols come from the Image's own kallsyms (Debian's System.map is a stub). The kernel is not
 * relocatable: link addresses are final once paging is on, and before that the code runs at
 * its load address, so a symbol used before paging is `entry pc + (symbol - _start)`. A
 * breakpoint there (_start_kernel, paging off) and then on start_kernel's virtual address
 * (paging on, Sv39/Sv48) are both hit.
 */
test(
  'Debian kernel under GDB: start_kernel, four threads, registers, a step, a watchpoint',
  { skip, timeout: 300_000 },
  async () => {
    const { KERNEL } = debianGuest();
    const syms = kallsyms(readFileSync(KERNEL));
    const hex = (name) => `0x${syms.get(name).toString(16)}`;
    const head = syms.get('_start_kernel') - syms.get('_start');
    const startKernel = hex('start_kernel');
    const vm = await tsvirt(['--smp', '4', '--paused', '--jit', JIT]);
    const out = gdb(vm.port, [
      'print $pc',
      `break *($pc + ${head})`,
      'continue',
      'print $priv',
      'print (unsigned long)$satp >> 60',
      'delete',
      `break *${startKernel}`,
      'continue',
      `print $pc == ${startKernel}`,
      'print $priv',
      'print (unsigned long)$satp >> 60',
      'info threads',
      `x/4xb ${startKernel}`,
      'stepi',
      `print (long)($pc - ${startKernel})`,
      'print $sp != 0',
      // start_kernel's first call writes STACK_END_MAGIC at the end of init_task's stack.
      `watch *(long *)${hex('init_stack')}`,
      'continue',
      'kill',
    ]);
    const { output } = await vm.exited;
    const why = `GDB's output:\n${out}\ntsvirt's:\n${output}`;
    const entry = BigInt(/^\(void \(\*\)\(\)\) (0x[0-9a-f]+)$/.exec(history(out, 1))?.[1] ?? -1);
    assert.match(out, new RegExp(`hit Breakpoint 1, 0x0*${(entry + head).toString(16)} in`), why);
    assert.equal(history(out, 2), '1', `S-mode\n${why}`);
    assert.equal(history(out, 3), '0', `paging off at _start_kernel\n${why}`);
    assert.match(out, new RegExp(`hit Breakpoint 2, ${startKernel} in`), why);
    assert.equal(history(out, 4), '1', why);
    assert.equal(history(out, 5), '1', why);
    assert.match(history(out, 6), /^(8|9)$/, `paging on (Sv39 or Sv48) in start_kernel\n${why}`);
    for (let t = 1; t <= 4; t++)
      assert.match(out, new RegExp(`^\\*? +${t} +Thread ${t} \\(hart ${t - 1},`, 'm'), why);
    // Memory through the translation: the bytes of the Image at start_kernel's offset.
    const at = Number(syms.get('start_kernel') - syms.get('_start'));
    const bytes = [...readFileSync(KERNEL).subarray(at, at + 4)].map(
      (b) => `0x${b.toString(16).padStart(2, '0')}`,
    );
    assert.match(out, new RegExp(`${startKernel}[^:]*:\\s+${bytes.join('\\s+')}`), why);
    // One instruction: start_kernel begins with its ftrace patch site (compressed nops) or its prologue.
    assert.match(history(out, 7), /^(2|4)$/, why);
    assert.equal(history(out, 8), '1', why);
    assert.match(out, /Hardware watchpoint 3: .*\s+Old value = \d+\s+New value = 1470918301\s/, why);
    assert.match(out, /killed/, why);
  },
);

/** A raw RSP client: `send(data)` frames a packet; `next()` resolves the next reply's data. */
async function rawClient(port) {
  const { connect } = await import('node:net');
  let socket;
  for (let tries = 0; ; tries++) {
    try {
      socket = await new Promise((resolve, reject) => {
        const s = connect(port, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
      });
      break;
    } catch (e) {
      if (tries > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  let buf = '';
  const waiters = [];
  const pump = () => {
    for (;;) {
      const m = /\$([^#]*)#([0-9a-f]{2})/.exec(buf);
      if (m === null || waiters.length === 0) return;
      buf = buf.slice(m.index + m[0].length);
      waiters.shift()(m[1]);
    }
  };
  let all = '';
  socket.on('data', (d) => {
    buf += d.toString('latin1');
    all += d.toString('latin1');
    pump();
  });
  const frame = (data) => {
    let sum = 0;
    for (const c of data) sum = (sum + c.charCodeAt(0)) & 0xff;
    return `$${data}#${sum.toString(16).padStart(2, '0')}`;
  };
  return {
    send: (data) => socket.write(frame(data), 'latin1'),
    raw: (bytes) => socket.write(bytes),
    next: (what, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`no reply to ${what} within ${timeoutMs} ms; all received: ${all}`)),
          timeoutMs,
        );
        waiters.push((d) => {
          clearTimeout(t);
          resolve(d);
        });
        pump();
      }),
    close: () => socket.destroy(),
  };
}

test(
  'Ctrl-C (0x03) halts a running guest with SIGINT; garbage is refused; another client may attach; a step masks interrupts',
  { skip, timeout: 120_000 },
  async () => {
    const vm = await tsvirt(['--machine', 'spike', '--kernel', PROG, '--jit', JIT]);
    const c = await rawClient(vm.port);
    c.send('QStartNoAckMode');
    assert.equal(await c.next(), 'OK');
    // Bad checksums, an oversized packet and unknown commands: a '-', nothing, and empty replies.
    c.raw(`$g#00$${'x'.repeat(20000)}#00`);
    c.send('qNoSuchThing');
    assert.equal(await c.next('qNoSuchThing'), '');
    c.send('m80003000,8');
    const before = BigInt.asUintN(
      64,
      BigInt(`0x${(await c.next('m before')).match(/../g).reverse().join('')}`),
    );
    c.send('c');
    await new Promise((r) => setTimeout(r, 300));
    c.raw(Buffer.from([3]));
    assert.match(await c.next('0x03'), /^T02thread:1;$/);
    c.send('m80003000,8');
    const after = BigInt.asUintN(
      64,
      BigInt(`0x${(await c.next('m after')).match(/../g).reverse().join('')}`),
    );
    assert.ok(after > before, `the loop ran between c and Ctrl-C (${before} -> ${after})`);
    c.send('D');
    assert.equal(await c.next(), 'OK');
    c.close();
    const d = await rawClient(vm.port);
    d.send('?');
    assert.match(await d.next('?'), /^T..thread:1;$/);
    // A step (GDB itself steps RISC-V with breakpoints, but other clients send s) with the
    // supervisor software interrupt pending and enabled in M-mode (mip.SSIP, which M-mode sets, mie.SSIE, mstatus.MIE;
    // mideleg 0): it executes the instruction at pc and takes no trap.
    const reg = async (n) => {
      d.send(`p${n.toString(16)}`);
      return BigInt(`0x${(await d.next(`p${n.toString(16)}`)).match(/../g).reverse().join('')}`);
    };
    const put = async (n, v) => {
      const bytes = v.toString(16).padStart(16, '0').match(/../g).reverse().join('');
      d.send(`P${n.toString(16)}=${bytes}`);
      assert.equal(await d.next(`P${n.toString(16)}`), 'OK');
    };
    const [PC, MSTATUS, MIE, MIP, MCAUSE] = [32, 65 + 0x300, 65 + 0x304, 65 + 0x344, 65 + 0x342];
    const pc = await reg(PC);
    await put(MIE, 2n);
    await put(MIP, 2n);
    await put(MSTATUS, (await reg(MSTATUS)) | 8n);
    assert.equal((await reg(MIP)) & 2n, 2n, 'SSIP pending');
    d.send('vCont;s:1');
    assert.match(await d.next('vCont;s'), /^T05thread:1;$/);
    // From the spin loop (test_main's page, 0x80002000) to the loop's next instruction or the
    // branch's target, not trap_unexpected (mtvec, in the first page).
    const now = await reg(PC);
    assert.ok(
      now !== pc && now >= 0x80002000n && now < 0x80003000n,
      `stepped from ${pc.toString(16)} to ${now.toString(16)}`,
    );
    assert.equal(await reg(MCAUSE), 0n, 'no trap taken');
    await put(MIE, 0n);
    d.send('M80003008,8:0100000000000000');
    assert.equal(await d.next('M go'), 'OK');
    d.send('M80003018,8:3412000000000000');
    assert.equal(await d.next('M value'), 'OK');
    d.send('c');
    assert.equal(await d.next('c to the end'), 'W00', 'the program exits 0 once go and value are written');
    d.close();
    const { code } = await vm.exited;
    assert.equal(code, 0);
  },
);
