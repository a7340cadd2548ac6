#!/usr/bin/env node
// Guest CPU benchmark, side by side: tsvirt and qemu-system-riscv64 (TCG: QEMU 10 with its default
// CPU and with tsvirt's ISA, and QEMU 7.2, see bench/qemu.mjs) run the same bare-metal spike ELF
// (bench/cpu/, built by bench/cpu/build.sh) in one invocation on this machine.
//
//   node bench/cpu.mjs [--quick] [--elf FILE] [--runs N] [--timeout SEC]
//                      [--no-qemu | --qemu 10,10-tsvirt,7.2] [--no-tsvirt] [--jit on,js,off] [--json]
// --jit takes a comma-separated list of tsvirt translator modes to measure side by side (default:
// on, the WebAssembly translator, and off, the interpreter).
//
// The instruction count comes from the first QEMU column with `-icount shift=0`, where the guest's minstret is exact
// (without icount QEMU's minstret returns host ticks): the program prints `instret_total N`, retired
// from its first instruction to the end, and `instret N` for the measured region alone.
// Timed runs use plain QEMU TCG and `tsvirt run --machine spike --stats`; wall time includes
// start-up, as a user sees it. MIPS = guest instructions / wall seconds. Ratio = tsvirt speed /
// QEMU speed, the first QEMU column's in the table (the target in DESIGN.md section 6 is at least 0.5).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { QEMU_PEER_IDS, qemuPeers } from './qemu.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const opts = {
    quick: false,
    elf: '',
    runs: 3,
    timeout: 600,
    qemu: QEMU_PEER_IDS,
    tsvirt: true,
    json: false,
    jit: ['on', 'off'],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--elf') opts.elf = argv[++i];
    else if (a === '--runs') opts.runs = Math.max(1, Number(argv[++i]) | 0);
    else if (a === '--timeout') opts.timeout = Number(argv[++i]);
    else if (a === '--no-qemu') opts.qemu = [];
    else if (a === '--qemu' && i + 1 < argv.length) opts.qemu = argv[++i].split(',');
    else if (a === '--no-tsvirt') opts.tsvirt = false;
    else if (a === '--json') opts.json = true;
    else if (a === '--jit') opts.jit = argv[++i].split(',');
    else {
      console.error(
        `usage: node bench/cpu.mjs [--quick] [--elf FILE] [--runs N] [--timeout SEC] [--no-qemu | --qemu ${QEMU_PEER_IDS.join(',')}] [--no-tsvirt] [--jit on,js,off] [--json]`,
      );
      process.exit(2);
    }
  }
  if (!opts.elf) opts.elf = join(root, 'build/bench', opts.quick ? 'cpu-spike-quick.elf' : 'cpu-spike.elf');
  return opts;
}

/** Runs a command to completion; resolves with its output, exit status and wall time. */
function run(cmd, args, timeoutSec) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let child;
    try {
      child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      resolve({ error: err, stdout: '', stderr: '', code: null, signal: null, seconds: 0 });
      return;
    }
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutSec * 1000);
    let spawnError = null;
    child.on('error', (e) => (spawnError = e));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        error: spawnError,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        code,
        signal,
        seconds: (performance.now() - t0) / 1000,
      });
    });
  });
}

/** What the guest printed: PASS/FAIL, its instret line and its per-part checksums. */
function parseGuest(text) {
  const instret = /^instret (\d+)\s*$/m.exec(text);
  const total = /^instret_total (\d+)\s*$/m.exec(text);
  const sums = [...text.matchAll(/^part (\w+) checksum=(0x[0-9a-f]+)/gm)].map((m) => `${m[1]}=${m[2]}`);
  return {
    pass: /^PASS\s*$/m.test(text),
    fail: /^FAIL\s*$/m.test(text),
    instret: instret ? Number(instret[1]) : null,
    total: total ? Number(total[1]) : null,
    sums: sums.join(' '),
  };
}

/**
 * tsvirt's --stats line, e.g. `tsvirt: 437185678 instructions in 7.2 s (60.7 MIPS)`. Tolerates
 * thousands separators, `insns`/`instructions retired`, ms or s, and extra words.
 */
function parseStats(text) {
  const num = (s) => Number(s.replace(/[,_\s]/g, ''));
  const m = /([\d][\d,_]*)\s+(?:guest\s+)?(?:instructions|insns|instrs)\b/i.exec(text);
  const t = /\bin\s+([\d.]+)\s*(ms|s)\b/i.exec(text);
  const mips = /([\d.]+)\s*MIPS/i.exec(text);
  return {
    instructions: m ? num(m[1]) : null,
    seconds: t ? Number(t[1]) / (t[2].toLowerCase() === 'ms' ? 1000 : 1) : null,
    mips: mips ? Number(mips[1]) : null,
  };
}

const tail = (s, n = 6) => s.trim().split('\n').slice(-n).join('\n');
const fmt = (x, d = 2) => (x == null || !Number.isFinite(x) ? '-' : x.toFixed(d));

function ensureElf(opts) {
  if (existsSync(opts.elf)) return true;
  const script = join(root, 'bench/cpu/build.sh');
  console.log(`${relative(root, opts.elf)} is missing; building with bench/cpu/build.sh`);
  const r = spawnSync('sh', [script], { cwd: root, stdio: 'inherit' });
  return r.status === 0 && existsSync(opts.elf);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!ensureElf(opts)) {
    console.error(`cannot build ${opts.elf} (needs riscv64-linux-gnu-gcc)`);
    process.exit(1);
  }
  const elf = relative(root, opts.elf);
  let peers;
  try {
    peers = qemuPeers(opts.qemu);
  } catch (err) {
    console.error(err.message);
    process.exit(2);
  }
  const qemuArgs = (peer) => ['-M', 'spike', ...peer.cpuArgs, '-bios', 'none', '-nographic', '-kernel', elf];
  const results = { node: process.version, elf, instructions: null, qemu: null, peers: {}, tsvirt: {} };
  console.log(`guest CPU benchmark: ${elf}`);

  // 1. Exact instruction count (the first QEMU column with icount) and the reference output.
  let instructions = null;
  if (peers.length > 0) {
    const r = await run(peers[0].cmd, [...qemuArgs(peers[0]), '-icount', 'shift=0'], opts.timeout);
    if (r.error) {
      console.log(`${peers[0].name}: cannot run (${r.error.message}); skipping QEMU`);
      peers.length = 0;
    } else {
      const g = parseGuest(r.stdout);
      instructions = g.total ?? g.instret;
      console.log(
        `${peers[0].name} -icount: ${g.pass ? 'PASS' : 'FAIL'}, ${instructions ?? '?'} instructions; ${g.sums}`,
      );
      if (!g.pass) console.log(tail(r.stdout + r.stderr));
    }
  }

  // 2. QEMU TCG timing, best of N, for each column.
  for (const peer of peers) {
    let best = null;
    for (let i = 0; i < opts.runs; i++) {
      const r = await run(peer.cmd, qemuArgs(peer), opts.timeout);
      const g = parseGuest(r.stdout);
      if (!g.pass) {
        console.log(
          `${peer.name}: guest did not pass (exit ${r.code ?? r.signal})\n${tail(r.stdout + r.stderr)}`,
        );
        break;
      }
      if (!best || r.seconds < best.seconds) best = r;
    }
    if (best) {
      results.peers[peer.id] = {
        name: peer.name,
        seconds: best.seconds,
        mips: instructions ? instructions / best.seconds / 1e6 : null,
      };
      results.qemu ??= results.peers[peer.id];
    }
  }

  // 3. tsvirt.
  const bin = join(root, 'bin/tsvirt');
  if (!opts.tsvirt) {
    // QEMU only, on request.
  } else if (!existsSync(bin)) {
    console.log(
      'tsvirt: bin/tsvirt does not exist yet (the emulator is not written or not built); QEMU only',
    );
  } else {
    for (const mode of opts.jit) {
      const r = await measureTsvirt(bin, elf, mode, opts, instructions);
      if (r === null) break;
      if (instructions == null) instructions = r.count;
      results.tsvirt[mode] = r;
    }
  }
  results.instructions = instructions;

  // Report.
  console.log('');
  console.log(
    `instructions: ${instructions ?? 'unknown'} (whole program; guest minstret under QEMU -icount)`,
  );
  const q = results.qemu;
  console.log(`engine               wall s    MIPS  vs ${q?.name ?? 'QEMU'}  (best of ${opts.runs})`);
  for (const p of Object.values(results.peers)) {
    console.log(
      `${p.name.padEnd(19)}${fmt(p.seconds, 3).padStart(7)} ${fmt(p.mips, 1).padStart(7)} ${fmt(q.seconds / p.seconds, 3).padStart(8)}`,
    );
  }
  for (const [mode, t] of Object.entries(results.tsvirt)) {
    t.mips = instructions ? instructions / t.seconds / 1e6 : null;
    t.ratio = q ? q.seconds / t.seconds : null;
    console.log(
      `tsvirt --jit ${mode.padEnd(6)}${fmt(t.seconds, 3).padStart(7)} ${fmt(t.mips, 1).padStart(7)} ${fmt(t.ratio, 3).padStart(8)}` +
        `   (--stats: ${t.statsInstructions ?? '?'} instructions in ${fmt(t.statsSeconds, 3)} s)`,
    );
  }
  const modes = Object.keys(results.tsvirt);
  for (const a of modes) {
    for (const b of modes) {
      if (a !== b && (b === 'off' || (a === 'on' && b === 'js'))) {
        const r = results.tsvirt[b].seconds / results.tsvirt[a].seconds;
        console.log(`speed --jit ${a} / --jit ${b}: ${fmt(r, 2)}`);
      }
    }
  }
  for (const p of results.tsvirt.on ? Object.values(results.peers) : []) {
    console.log(
      `ratio tsvirt/${p.name} speed: ${fmt(p.seconds / results.tsvirt.on.seconds, 3)} (target >= 0.5)`,
    );
  }
  if (opts.json) console.log(JSON.stringify(results));
}

/** Best of opts.runs runs of tsvirt with `--jit mode`, or null when tsvirt cannot run. */
async function measureTsvirt(bin, elf, mode, opts, instructions) {
  {
    let best = null;
    let failed = null;
    let failures = 0;
    const args = ['run', '--machine', 'spike', '--kernel', elf, '--stats', '--jit', mode];
    for (let i = 0; i < opts.runs; i++) {
      const r = await run(bin, args, opts.timeout);
      const g = parseGuest(r.stdout);
      if (r.error || !g.pass) {
        failures++;
        failed ??= r;
        if (r.error || /ERR_MODULE_NOT_FOUND/.test(r.stderr) || !r.stdout) break; // not runnable
        continue;
      }
      if (!best || r.seconds < best.seconds)
        best = { ...r, guest: g, stats: parseStats(r.stderr + r.stdout) };
    }
    if (failed) {
      const how = failed.error
        ? failed.error.message
        : failed.signal === 'SIGKILL'
          ? `timed out after ${opts.timeout} s`
          : `exit ${failed.code ?? failed.signal}, no PASS from the guest`;
      if (/ERR_MODULE_NOT_FOUND/.test(failed.stderr) && /dist\//.test(failed.stderr)) {
        console.log('tsvirt: not built yet (dist/ is missing): run `npm run build` first; QEMU only');
      } else {
        console.log(`tsvirt: run failed (${how}): node bin/tsvirt ${args.slice(1).join(' ')}`);
        console.log(tail(failed.stdout + failed.stderr, 12));
      }
    }
    if (!best) return null;
    console.log(
      `tsvirt --jit ${mode}: ${opts.runs - failures} of ${opts.runs} runs passed; ${best.guest.sums}`,
    );
    if (!best.stats.instructions) console.log('tsvirt: no --stats line found on stderr');
    return {
      count: instructions ?? best.stats.instructions ?? best.guest.instret,
      seconds: best.seconds,
      statsInstructions: best.stats.instructions,
      statsSeconds: best.stats.seconds,
      statsMips: best.stats.mips,
      guestInstret: best.guest.total ?? best.guest.instret,
    };
  }
}

await main();
