#!/usr/bin/env node
// Long fuzz campaign for the split virtqueue and the virtio-mmio devices (rng, console): random
// and near-valid descriptor tables, indirect tables, rings and register writes, each chain
// checked against a reference walker and each device run checked by a guest-memory diff.
// Usage: node tools/fuzz-virtqueue.mjs [cases=1000000] [seed=1]   (after `npm run build`)
// Exit status 0 when no case failed, 1 otherwise; failing seeds are printed for replay.

import { runVirtqueueFuzz, emptyReport } from '../dist/testing/devices/virtio/fuzz.js';

const cases = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.argv[3] ?? 1);
if (!Number.isSafeInteger(cases) || cases <= 0 || !Number.isSafeInteger(seed)) {
  console.error('usage: node tools/fuzz-virtqueue.mjs [cases] [seed]');
  process.exit(2);
}

const BATCH = 50_000;
const total = emptyReport();
const started = Date.now();
for (let done = 0; done < cases; done += BATCH) {
  const n = Math.min(BATCH, cases - done);
  const r = runVirtqueueFuzz(seed + done, n);
  for (const [k, v] of Object.entries(r)) {
    if (k === 'failures') total.failures.push(...v);
    else total[k] += v;
  }
  const secs = (Date.now() - started) / 1000;
  console.error(`${done + n}/${cases} cases, ${total.failures.length} failures, ${secs.toFixed(1)} s`);
}
const secs = (Date.now() - started) / 1000;
const { failures, ...counts } = total;
console.log(
  JSON.stringify(
    { seed, ...counts, failures: failures.length, seconds: secs, casesPerSecond: Math.round(cases / secs) },
    null,
    2,
  ),
);
for (const f of failures.slice(0, 20)) console.log(`FAIL seed ${f.seed}: ${f.message}`);
process.exit(failures.length === 0 ? 0 : 1);
