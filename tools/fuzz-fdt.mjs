#!/usr/bin/env node
// Long fuzz campaign for the device trees tsvirt writes (src/testing/boards/virt/fdt-fuzz.ts): hostile
// bootargs, hart counts, RAM sizes and initrd ranges through the virt board's builder, random trees
// through the encoder, each blob decoded and re-encoded. With dtc installed, every --dtc-every'th
// virt blob must also be accepted by `dtc -I dtb -O dts` (0: never).
// Usage: node tools/fuzz-fdt.mjs [--iterations N] [--seed S] [--dtc-every K]   (after `npm run build`)
// Exit status 0 when no case failed, 1 otherwise; failing seeds are printed for replay.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyFdtReport, runFdtFuzz } from '../dist/testing/boards/virt/fdt-fuzz.js';
import { FuzzArgsError, fuzzUsage, parseFuzzArgs, U32_MAX } from '../dist/testing/fuzz-args.js';

const OPTIONS = {
  iterations: { int: { default: 100_000, min: 1, max: U32_MAX } },
  seed: { int: { default: 1, min: 0, max: U32_MAX } },
  'dtc-every': { int: { default: 20, min: 0, max: U32_MAX } },
};
let args;
try {
  args = parseFuzzArgs(process.argv.slice(2), OPTIONS);
} catch (e) {
  if (!(e instanceof FuzzArgsError)) throw e;
  console.error(`${e.message}\n${fuzzUsage('node tools/fuzz-fdt.mjs', OPTIONS)}`);
  process.exit(2);
}
const { iterations: cases, seed } = args;
const dtcEvery = args['dtc-every'];

const haveDtc = spawnSync('dtc', ['--version'], { stdio: 'ignore' }).error === undefined;
if (!haveDtc) console.error('dtc is not installed: blobs are checked by round trip only');
const dir = mkdtempSync(join(tmpdir(), 'tsvirt-fdt-fuzz-'));
let seen = 0;
let dtcRuns = 0;
/** dtc's verdict on every dtcEvery'th blob: undefined when it converts it to source. */
const dtc =
  haveDtc && dtcEvery > 0
    ? (blob) => {
        if (seen++ % dtcEvery !== 0) return undefined;
        dtcRuns++;
        const file = join(dir, 'fuzz.dtb');
        writeFileSync(file, blob);
        const r = spawnSync('dtc', ['-q', '-I', 'dtb', '-O', 'dts', '-o', '/dev/null', file], {
          encoding: 'utf8',
        });
        return r.status === 0 ? undefined : `dtc exit ${r.status}: ${r.stderr.trim().slice(0, 300)}`;
      }
    : undefined;

const BATCH = 10000;
const report = emptyFdtReport();
const started = Date.now();
try {
  for (let done = 0; done < cases; done += BATCH) {
    const n = Math.min(BATCH, cases - done);
    runFdtFuzz(seed + done, n, dtc, report);
    const secs = (Date.now() - started) / 1000;
    console.error(`${done + n}/${cases} cases, ${report.failures.length} failures, ${secs.toFixed(1)} s`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const seconds = (Date.now() - started) / 1000;
const { failures, ...counts } = report;
console.log(JSON.stringify({ seed, ...counts, dtcRuns, failures: failures.length, seconds }, null, 2));
for (const f of failures.slice(0, 20)) console.log(`FAIL seed ${f.seed}: ${f.message}`);
process.exit(failures.length === 0 ? 0 : 1);
