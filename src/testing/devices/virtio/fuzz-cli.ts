// Long fuzz campaigns for the virtio devices, from the command line (after `npm run build`):
//   node dist/testing/devices/virtio/fuzz-cli.js --device blk|net|mix [--cases N] [--seed S]
// `mix` is the queue walker with virtio-rng and virtio-console (as tools/fuzz-virtqueue.mjs).
// Prints the counters as JSON and the failing seeds; exit status 0 when no case failed, 1 when
// one did, 2 on bad arguments. A failing seed replays alone: --seed SEED --cases 1.

import { runFuzzCommand, U32_MAX, type FuzzArgs } from '../../fuzz-args.js';
import { emptyDeviceReport, runDeviceFuzz, type DeviceFuzzReport } from './fuzz-devices.js';
import { runVirtqueueFuzz } from './fuzz.js';

/** Cases per batch: progress is reported between batches. */
const BATCH = 5000;

const OPTIONS = {
  device: { choice: { default: 'blk', choices: ['blk', 'net', 'mix'] } },
  cases: { int: { default: 100_000, min: 1, max: U32_MAX } },
  seed: { int: { default: 1, min: 0, max: U32_MAX } },
} as const;

async function main(args: FuzzArgs<typeof OPTIONS>): Promise<number> {
  // A completion that throws outside any case (a budget released twice, say) is a failure too.
  const stray: string[] = [];
  process.on('unhandledRejection', (e) =>
    stray.push(e instanceof Error ? (e.stack ?? e.message) : String(e)),
  );
  const total: DeviceFuzzReport = emptyDeviceReport();
  const started = Date.now();
  for (let done = 0; done < args.cases; done += BATCH) {
    const n = Math.min(BATCH, args.cases - done);
    const seed = (args.seed + done) >>> 0;
    const r =
      args.device === 'mix'
        ? { ...emptyDeviceReport(), ...runVirtqueueFuzz(seed, n) }
        : await runDeviceFuzz(args.device, seed, n);
    for (const key of Object.keys(total) as (keyof DeviceFuzzReport)[]) {
      if (key === 'failures') total.failures.push(...r.failures);
      else total[key] += r[key];
    }
    const secs = (Date.now() - started) / 1000;
    console.error(`${done + n}/${args.cases} cases, ${total.failures.length} failures, ${secs.toFixed(1)} s`);
  }
  const secs = (Date.now() - started) / 1000;
  const { failures, ...counts } = total;
  const summary = {
    device: args.device,
    seed: args.seed,
    ...counts,
    failures: failures.length + stray.length,
  };
  console.log(
    JSON.stringify({ ...summary, seconds: secs, casesPerSecond: Math.round(args.cases / secs) }, null, 2),
  );
  for (const f of failures.slice(0, 20)) console.log(`FAIL seed ${f.seed}: ${f.message}`);
  for (const s of stray.slice(0, 5)) console.log(`FAIL unhandled rejection: ${s}`);
  return failures.length + stray.length === 0 ? 0 : 1;
}

runFuzzCommand(import.meta.url, 'node dist/testing/devices/virtio/fuzz-cli.js', OPTIONS, main);
