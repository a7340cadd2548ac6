// tsvirt's command-line entry point, a thin user of the VM builder: parse the options, open what
// they name on the host, build the VM, run it, and turn the way it stopped into an exit status.

import { cpuHelp } from '../cpu/riscv/isa/profile.js';
import { BootError } from '../boards/virt/board.js';
import { ElfError } from '../loaders/elf.js';
import { KernelError } from '../loaders/linux.js';
import { imageMain } from '../images/cli.js';
import { build } from '../vm/build.js';
import { VmConfigError } from '../vm/config.js';
import { StopRequests } from '../vm/stop.js';
import { VmCloseError, type VmEnd } from '../vm/vm.js';
import { hostConfig } from './node-host.js';
import { parseRunOptions, runOptionsHelp, UsageError } from './options.js';
import { signalStatus, StopSignals } from './signals.js';

/** Exit statuses of `tsvirt run` (also printed by --help). */
export const EXIT = {
  ok: 0,
  guestFailure: 1,
  reboot: 2,
  instructionLimit: 124,
  error: 125,
} as const;

const HELP = `Usage: tsvirt run [--machine virt|spike] [--kernel FILE] [options]
       tsvirt image [options]      fetch Debian's riscv64 kernel, BusyBox and OpenSBI; build an initramfs

Options of run:
${runOptionsHelp()}
Console: the UART is connected to stdin/stdout. On a terminal it is raw; Ctrl-A x quits and
Ctrl-A h prints help. With pipes, bytes pass through unchanged (scriptable).

Exit status:
  0       virt: the guest powered off.  spike: the guest passed (HTIF exit code 0)
  1       virt: the guest reported a failure (test device or SBI system reset with reason failure)
  2       virt: the guest asked for a reboot (tsvirt stops instead of rebooting)
  1-255   spike: the guest reported failure n through HTIF; the status is n mod 256,
          or 255 when that is 0, so a failure never looks like success
  124     the --max-instructions limit was reached
  125     tsvirt itself failed: bad option, missing or invalid file, a disk flush at exit failed
  129     stopped by SIGHUP, 130 by SIGINT, 143 by SIGTERM ("tsvirt: stopped by SIGTERM" on
          stderr): the guest was stopped, disk requests in flight completed, and the disks
          flushed and closed. A second signal during that exits at once. On a terminal, Ctrl-C
          goes to the guest; Ctrl-A x quits
`;

function statusForHtif(code: number): number {
  if (code === 0) return EXIT.ok;
  return code % 256 === 0 ? 255 : code % 256;
}

/** The exit status for the way the VM stopped, with a line on stderr when tsvirt stopped it. */
function exitStatus(end: VmEnd): number {
  switch (end.kind) {
    case 'stopped': {
      if (end.reason.kind !== 'signal') return EXIT.ok; // Ctrl-A x
      process.stderr.write(`tsvirt: stopped by ${end.reason.signal}\n`);
      return signalStatus(end.reason.signal) ?? EXIT.error;
    }
    case 'instruction-limit':
      process.stderr.write(`tsvirt: stopped after the --max-instructions limit\n`);
      return EXIT.instructionLimit;
    case 'guest': {
      const s = end.stop;
      if (s.kind === 'exit') return statusForHtif(s.code);
      if (s.kind === 'poweroff') return EXIT.ok;
      return s.kind === 'reboot' ? EXIT.reboot : EXIT.guestFailure;
    }
  }
}

async function run(argv: string[]): Promise<number> {
  const o = parseRunOptions(argv);
  const stop = new StopRequests();
  // Installed before the disks open, so that a signal from here on still closes them cleanly.
  const signals = new StopSignals(stop);
  try {
    const vm = await build(await hostConfig(o, stop));
    const t0 = performance.now();
    let end: VmEnd;
    try {
      end = await vm.run();
    } finally {
      await vm.close();
    }
    const seconds = (performance.now() - t0) / 1000;
    if (o.stats) {
      const retired = vm.instructionsRetired;
      const mips = retired / seconds / 1e6;
      process.stderr.write(
        `tsvirt: ${retired} instructions in ${seconds.toFixed(3)} s (${mips.toFixed(1)} MIPS)\n` +
          `tsvirt: extensions used: ${vm.extensionsUsed.join(' ')}\n`,
      );
    }
    return exitStatus(end);
  } finally {
    signals.uninstall();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'image') return imageMain(rest);
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help' || rest.includes('--help')) {
    process.stdout.write(HELP);
    return cmd === undefined ? EXIT.error : EXIT.ok;
  }
  if (cmd === 'run' && (rest.includes('--cpu=help') || rest[rest.indexOf('--cpu') + 1] === 'help')) {
    process.stdout.write(cpuHelp());
    return EXIT.ok;
  }
  if (cmd !== 'run') {
    process.stderr.write(`tsvirt: unknown command '${cmd}' (try: tsvirt --help)\n`);
    return EXIT.error;
  }
  try {
    return await run(rest);
  } catch (e) {
    if (
      e instanceof UsageError ||
      e instanceof ElfError ||
      e instanceof KernelError ||
      e instanceof BootError ||
      e instanceof VmCloseError ||
      e instanceof VmConfigError
    ) {
      const where = e instanceof ElfError || e instanceof KernelError ? '--kernel: ' : '';
      process.stderr.write(`tsvirt: error: ${where}${e.message}\n`);
      return EXIT.error;
    }
    throw e;
  }
}
