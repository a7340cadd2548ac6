// tsvirt's command-line entry point. A thin user of the boards and engine: parse, build the
// machine, run it, and turn the way it stopped into an exit status.

import { readFileSync } from 'node:fs';
import { SpikeBoard } from '../boards/spike.js';
import { ElfError } from '../loaders/elf.js';
import { runLoop } from '../engine/tcg/loop.js';
import { parseRunOptions, UsageError } from './options.js';

/** Exit statuses of `tsvirt run` (also printed by --help). */
export const EXIT = {
  ok: 0,
  instructionLimit: 124,
  error: 125,
} as const;

const HELP = `Usage: tsvirt run --machine spike|virt --kernel FILE [options]

Options:
  --machine NAME          board: spike (HTIF test board) or virt (not yet available)
  --kernel FILE           program to run (spike: an ELF executable with a tohost symbol)
  --memory SIZE           guest RAM, e.g. 256M, 1G (spike default 256M)
  --smp N                 number of harts (default 1)
  --max-instructions N    stop after about N instructions
  --stats                 print instructions retired and MIPS on exit (stderr)

Exit status:
  0       the guest passed (HTIF exit code 0)
  1-255   spike: the guest reported failure n through HTIF; the status is n mod 256,
          or 255 when that is 0, so a failure never looks like success
  124     the --max-instructions limit was reached
  125     tsvirt itself failed: bad option, missing or invalid file
`;

function statusForHtif(code: number): number {
  if (code === 0) return EXIT.ok;
  return code % 256 === 0 ? 255 : code % 256;
}

async function run(argv: string[]): Promise<number> {
  const o = parseRunOptions(argv);
  if (o.machine === 'virt') throw new UsageError('--machine virt is not available yet; use --machine spike');
  let elf: Uint8Array;
  try {
    elf = readFileSync(o.kernel);
  } catch (e) {
    throw new UsageError(
      `--kernel: cannot read '${o.kernel}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
    );
  }
  const out: number[] = [];
  const flush = (): void => {
    if (out.length > 0) process.stdout.write(Buffer.from(out.splice(0)));
  };
  const board = new SpikeBoard({
    elf,
    memoryBytes: o.memoryBytes,
    harts: o.smp,
    putchar: (b) => {
      out.push(b);
      if (b === 10 || out.length > 4096) flush();
    },
    warn: (m) => process.stderr.write(`tsvirt: ${m}\n`),
  });
  const t0 = performance.now();
  const end = await runLoop(board, { maxInstructions: o.maxInstructions });
  flush();
  const seconds = (performance.now() - t0) / 1000;
  if (o.stats) {
    const retired = board.harts.reduce((s, h) => s + h.retired, 0);
    const mips = retired / seconds / 1e6;
    process.stderr.write(
      `tsvirt: ${retired} instructions in ${seconds.toFixed(3)} s (${mips.toFixed(1)} MIPS)\n`,
    );
  }
  if (end === 'instruction-limit') {
    process.stderr.write(`tsvirt: stopped after the --max-instructions limit\n`);
    return EXIT.instructionLimit;
  }
  return statusForHtif(board.exitCode ?? 0);
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help' || rest.includes('--help')) {
    process.stdout.write(HELP);
    return cmd === undefined ? EXIT.error : EXIT.ok;
  }
  if (cmd !== 'run') {
    process.stderr.write(`tsvirt: unknown command '${cmd}' (try: tsvirt --help)\n`);
    return EXIT.error;
  }
  try {
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ElfError) {
      process.stderr.write(`tsvirt: error: ${e.message}\n`);
      return EXIT.error;
    }
    throw e;
  }
}
