#!/usr/bin/env node
// Long fuzz campaign for the kernel loader (src/testing/loaders/fuzz.ts): mutated ELF files, Images (with
// and without the EFI stub) and gzip streams, gzip bombs and random bytes through loadKernel, each
// checked to load inside RAM or fail with a KernelError, never writing outside RAM.
// Usage: node tools/fuzz-loaders.mjs [--iterations N] [--seed S]   (after `npm run build`)
// Exit status 0 when no case failed, 1 otherwise; failing seeds are printed for replay
// (a case replays alone with --seed SEED --iterations 1).

import { emptyLoaderReport, runLoaderFuzz } from '../dist/testing/loaders/fuzz.js';
import { FuzzArgsError, fuzzUsage, parseFuzzArgs, U32_MAX } from '../dist/testing/fuzz-args.js';

const OPTIONS = {
  iterations: { int: { default: 100_000, min: 1, max: U32_MAX } },
  seed: { int: { default: 1, min: 0, max: U32_MAX } },
};
let args;
try {
  args = parseFuzzArgs(process.argv.slice(2), OPTIONS);
} catch (e) {
  if (!(e instanceof FuzzArgsError)) throw e;
  console.error(`${e.message}\n${fuzzUsage('node tools/fuzz-loaders.mjs', OPTIONS)}`);
  process.exit(2);
}
const { iterations: cases, seed } = args;

const BATCH = 5000;
const report = emptyLoaderReport();
const started = Date.now();
for (let done = 0; done < cases; done += BATCH) {
  const n = Math.min(BATCH, cases - done);
  runLoaderFuzz(seed + done, n, report);
  const secs = (Date.now() - started) / 1000;
  console.error(`${done + n}/${cases} cases, ${report.failures.length} failures, ${secs.toFixed(1)} s`);
}
const seconds = (Date.now() - started) / 1000;
const { failures, ...counts } = report;
const maxRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify({ seed, ...counts, failures: failures.length, seconds, maxRssMiB }, null, 2));
for (const f of failures.slice(0, 20)) console.log(`FAIL seed ${f.seed}: ${f.message}`);
process.exit(failures.length === 0 ? 0 : 1);
