// tsvirt's command-line entry point, a thin user of the VM builder: parse the options, open what
// they name on the host, build the VM, run it, and turn the way it stopped into an exit status.

import { cpuHelp } from '../cpu/riscv/isa/profile.js';
import { BootError } from '../boards/virt/board.js';
import { ElfError } from '../loaders/elf.js';
import { KernelError } from '../loaders/linux.js';
import { imageMain } from '../images/cli.js';
import { serveMain } from './serve.js';
import { build } from '../vm/build.js';
import { VmConfigError, type VmConfig } from '../vm/config.js';
import { StopRequests, type StopReason } from '../vm/stop.js';
import { VmCloseError, type Vm, type VmEnd } from '../vm/vm.js';
import { SnapshotError } from '../vm/snapshot/format.js';
import { describeFsError } from './fs-error.js';
import { performance } from 'node:perf_hooks';
import { QmpListenError } from '../host/node/qmp-server.js';
import { VmMonitor } from './monitor.js';
import { loadAtStart } from './vm-snapshots.js';
import { ListenError } from '../host/node/tcp-listen.js';
import { saveVmTo } from '../host/node/snapshot-file.js';
import { type GdbStub, startGdb } from './gdb.js';
import { hostConfig, snapshotLimitBytes } from './node-host.js';
import { GuestMemory } from '../memory/guest-memory.js';
import { VIRT_MAP } from '../boards/virt/memory-map.js';
import { SPIKE_MEMORY_MAP } from '../boards/spike.js';
import { engineHostBytes } from '../engine/tcg/loop.js';
import { receiveExec, receiveMigration, type IncomingMigration } from './migration-channel.js';
import { machineHelp, parseRunOptions, runOptionsHelp, UsageError, type RunOptions } from './options.js';
import { signalStatus, StopSignals } from './signals.js';
import { suggestion } from './spelling.js';
import { versionText } from './version.js';

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
       tsvirt serve [--port N]     serve tsvirt in the browser (tsvirt serve --help)
       tsvirt --version            version, git commit and Node version
The user's guide is docs/usage.md.

Options of run:
${runOptionsHelp()}
Console: the UART is connected to stdin/stdout. On a terminal it is raw; Ctrl-A x quits and
Ctrl-A h prints help. With pipes, bytes pass through unchanged (scriptable).

Exit status:
  0       virt: the guest powered off.  spike: the guest passed (HTIF exit code 0)
  1       virt: the guest reported a failure (test device or SBI system reset with reason failure)
  2       virt: the guest asked for a reboot (tsvirt stops instead of rebooting, unless --reboot)
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
      if (s.kind === 'reboot') {
        process.stderr.write('tsvirt: the guest asked for a reboot; stopped (--reboot restarts it)\n');
        return EXIT.reboot;
      }
      if (s.kind === 'fail') {
        process.stderr.write(`tsvirt: the guest reported a failure (code ${s.code})\n`);
      }
      return EXIT.guestFailure;
    }
  }
}

/** The exit status for `end`, without exitStatus's line on stderr (GDB's exit reply). */
function exitStatusQuiet(end: VmEnd): number {
  if (end.kind === 'guest' && end.stop.kind === 'exit') return statusForHtif(end.stop.code);
  if (end.kind === 'guest') return end.stop.kind === 'poweroff' ? EXIT.ok : EXIT.guestFailure;
  return end.kind === 'instruction-limit' ? EXIT.instructionLimit : EXIT.ok;
}

/** True when the guest's stop is a reboot request (virt's test device or SBI system reset). */
function isReboot(end: VmEnd): boolean {
  return end.kind === 'guest' && end.stop.kind === 'reboot';
}

/**
 * The --stats lines. Busy time is the event loop's active time (performance.eventLoopUtilization):
 * the CPU loop runs guest code inside it and sleeps outside it while every hart waits (WFI), so
 * MIPS over busy time measures the emulator, not how idle the guest was.
 */
function statsText(retired: number, elu: { active: number; idle: number }, extensions: string[]): string {
  const busyS = elu.active / 1000;
  const idleS = elu.idle / 1000;
  const mips = busyS > 0 ? retired / busyS / 1e6 : 0;
  return (
    `tsvirt: ${retired} instructions in ${(busyS + idleS).toFixed(3)} s: busy ${busyS.toFixed(3)} s ` +
    `(${mips.toFixed(1)} MIPS while busy), idle ${idleS.toFixed(3)} s (every hart waiting)\n` +
    `tsvirt: extensions used: ${extensions.join(' ')}\n`
  );
}

/**
 * Build, run and close one VM; with --reboot, again as long as the guest reboots, and after each
 * QMP system_reset. With --qmp, the servers listen from before the first boot to after the last.
 */
async function run(o: RunOptions): Promise<number> {
  const monitor = o.qmp.length > 0 ? await VmMonitor.open(o.qmp) : undefined;
  try {
    if (monitor !== undefined) {
      const stopped = await waitForClients(monitor);
      if (stopped !== undefined) return exitStatus({ kind: 'stopped', reason: stopped });
    }
    return await boots(o, monitor);
  } finally {
    await monitor?.close();
  }
}

/**
 * Wait for the first client of each --qmp server with wait=on. A stop signal meanwhile ends the
 * wait (and tsvirt, with the signal's status): the reason, or undefined once the clients came.
 */
async function waitForClients(monitor: VmMonitor): Promise<StopReason | undefined> {
  const stop = new StopRequests();
  const signals = new StopSignals(stop);
  try {
    const stopped = new Promise<StopReason>((resolve) =>
      stop.onRequest(() => resolve(stop.reason ?? { kind: 'request' })),
    );
    return await Promise.race([monitor.waitForClients().then(() => undefined), stopped]);
  } finally {
    signals.uninstall();
  }
}

/** Whether the VM ended for a QMP system_reset. */
function isMonitorReset(end: VmEnd): boolean {
  return end.kind === 'stopped' && end.reason.kind === 'monitor' && end.reason.action === 'reset';
}

/** Whether the VM ended for a QMP snapshot-load (it is built again from the snapshot). */
function isMonitorLoad(end: VmEnd): boolean {
  return end.kind === 'stopped' && end.reason.kind === 'monitor' && end.reason.action === 'loadvm';
}

async function boots(o: RunOptions, monitor: VmMonitor | undefined): Promise<number> {
  for (let boot = 1; ; boot++) {
    if (monitor?.quitting) return EXIT.ok;
    const stop = new StopRequests();
    // Installed before the disks open, so that a signal from here on still closes them cleanly.
    const signals = new StopSignals(stop);
    try {
      // Disks and the console open before an incoming migration: they are not downtime.
      const config = await hostConfig(o, stop);
      const incoming = boot === 1 ? await receiveIncoming(o, stop, monitor) : undefined;
      if (stop.reason !== undefined) {
        await closeConfig(config);
        return exitStatus({ kind: 'stopped', reason: stop.reason });
      }
      if (incoming !== undefined) config.incoming = incoming.snapshot;
      await monitor?.beforeBuild(config);
      if (boot === 1 && o.loadvm !== undefined) await loadvm(config, o.loadvm);
      let vm: Vm;
      const tBuild = performance.now();
      try {
        vm = await build(config);
      } catch (e) {
        incoming?.reply((e as Error).message);
        throw e;
      }
      // The source completes (and stops for good) only now that this VM can run.
      incoming?.reply();
      if (incoming !== undefined)
        process.stderr.write(
          `tsvirt: migration state loaded in ${(performance.now() - tBuild).toFixed(0)} ms\n`,
        );
      if (incoming !== undefined && monitor !== undefined) monitor.incoming = false;
      monitor?.attach(
        vm,
        o.disks,
        config.machine === 'virt' ? (config.disks ?? []).map((d) => d.backend.sizeBytes) : [],
        config.machine === 'virt' ? (config.disks ?? []).map((d) => d.backend) : [],
      );
      let gdb: GdbStub | undefined;
      const elu0 = performance.eventLoopUtilization();
      let end: VmEnd;
      let elu;
      try {
        if (o.gdb !== undefined) {
          gdb = await startGdb(vm, o.gdb.host, o.gdb.port);
          if (o.paused) process.stderr.write(`tsvirt: paused; waiting for GDB on port ${gdb.port}\n`);
        }
        if (o.paused) void vm.pause();
        end = await vm.run();
        elu = performance.eventLoopUtilization(elu0);
        gdb?.end(exitStatusQuiet(end));
        if (
          o.saveOnExit !== undefined &&
          ((end.kind === 'stopped' && !isMonitorLoad(end)) || end.kind === 'instruction-limit')
        )
          await saveVm(vm, o.saveOnExit);
      } finally {
        await gdb?.close();
        await vm.close();
      }
      if (o.stats) process.stderr.write(statsText(vm.instructionsRetired, elu, vm.extensionsUsed));
      const again = (o.reboot && isReboot(end)) || isMonitorReset(end) || isMonitorLoad(end);
      monitor?.vmEnded(end, again);
      if (isMonitorLoad(end)) continue;
      if (again) {
        const why = isMonitorReset(end) ? 'QMP system_reset' : 'the guest asked for a reboot';
        process.stderr.write(`tsvirt: ${why}; starting it again (boot ${boot + 1})\n`);
        continue;
      }
      return exitStatus(end);
    } finally {
      signals.uninstall();
    }
  }
}

/** --loadvm TAG: revert the disks of `config` to TAG and start from its VM state. */
async function loadvm(config: VmConfig, tag: string): Promise<void> {
  try {
    if (config.machine === 'virt' && config.incoming !== undefined)
      throw new UsageError('--loadvm and --incoming both say where the VM starts: give one');
    await loadAtStart(config, tag);
  } catch (e) {
    await closeConfig(config);
    throw e instanceof UsageError ? e : new UsageError((e as Error).message);
  }
}

/** Release what `hostConfig` opened, for a VM that will not be built. */
async function closeConfig(c: VmConfig): Promise<void> {
  await Promise.resolve(c.console?.close?.()).catch(() => {});
  if (c.machine !== 'virt') return;
  for (const d of c.disks ?? []) await d.backend.close().catch(() => {});
  for (const n of c.nics ?? []) await Promise.resolve(n.backend.close()).catch(() => {});
}

/**
 * --incoming tcp:HOST:PORT: wait for a migration stream and read it whole; --incoming exec:CMD:
 * read one (or a snapshot) from CMD's stdout. Undefined for --incoming file: (read by hostConfig)
 * or none, or when a stop request ends the wait.
 */
async function receiveIncoming(
  o: RunOptions,
  stop: StopRequests,
  monitor: VmMonitor | undefined,
): Promise<IncomingMigration | undefined> {
  const at = o.incoming;
  if (at?.kind !== 'tcp' && at?.kind !== 'exec') return undefined;
  if (monitor !== undefined) monitor.incoming = true;
  const t0 = performance.now();
  // RAM as the board would make it: the stream's pages go straight into it.
  const mem = new GuestMemory(
    o.machine === 'spike' ? SPIKE_MEMORY_MAP.ram.base : VIRT_MAP.ram.base,
    o.memoryBytes,
    false,
    engineHostBytes(o.jit ?? 'wasm', o.smp ?? 1, o.memoryBytes),
  );
  const received =
    at.kind === 'exec'
      ? receiveExec(at.command, mem, snapshotLimitBytes(o.memoryBytes))
      : receiveMigration(at.host, at.port, mem, (port) =>
          process.stderr.write(
            `tsvirt: waiting for a migration on ${at.host === '' ? '*' : at.host}:${port}\n`,
          ),
        );
  const stopped = new Promise<undefined>((resolve) => stop.onRequest(() => resolve(undefined)));
  const got = await Promise.race([received, stopped]);
  if (got !== undefined && at.kind === 'tcp') {
    const ms = performance.now() - t0;
    process.stderr.write(`tsvirt: migration received (${ms.toFixed(0)} ms after listening)\n`);
  }
  return got;
}

/** --save-on-exit: the stopped VM into `path`, with a line on stderr saying so. */
async function saveVm(vm: Vm, path: string): Promise<void> {
  const t0 = performance.now();
  try {
    await saveVmTo(vm, path);
  } catch (e) {
    throw new UsageError(`--save-on-exit: cannot write '${path}': ${describeFsError(e)}`);
  }
  const ms = performance.now() - t0;
  process.stderr.write(`tsvirt: saved the VM to ${path} in ${ms.toFixed(0)} ms\n`);
}

/** `help` in place of an option's value: `--machine help`, `--cpu=help`. */
function asksHelp(argv: readonly string[], option: string): boolean {
  return argv.includes(`--${option}=help`) || argv[argv.indexOf(`--${option}`) + 1] === 'help';
}

const COMMANDS = ['run', 'image', 'serve', 'help'];

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    // An error exit: the usage goes to stderr, where a script's error output goes.
    process.stderr.write(`tsvirt: error: no command given\n${HELP}`);
    return EXIT.error;
  }
  if (cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (cmd === '--version' || cmd === '-V') {
    process.stdout.write(versionText());
    return EXIT.ok;
  }
  if (cmd === 'image') return imageMain(rest);
  if (cmd === 'serve') return serveMain(rest);
  if (cmd !== 'run') {
    const why = cmd.startsWith('-')
      ? `the command comes first: tsvirt run ${argv.join(' ')}`
      : `unknown command '${cmd}'${suggestion(cmd, COMMANDS)}`;
    process.stderr.write(`tsvirt: error: ${why} (try: tsvirt --help)\n`);
    return EXIT.error;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (rest.includes('--version') || rest.includes('-V')) {
    process.stdout.write(versionText());
    return EXIT.ok;
  }
  if (asksHelp(rest, 'cpu')) {
    process.stdout.write(cpuHelp());
    return EXIT.ok;
  }
  if (asksHelp(rest, 'machine')) {
    process.stdout.write(machineHelp());
    return EXIT.ok;
  }
  try {
    return await run(parseRunOptions(rest));
  } catch (e) {
    if (
      e instanceof UsageError ||
      e instanceof ElfError ||
      e instanceof KernelError ||
      e instanceof BootError ||
      e instanceof VmCloseError ||
      e instanceof VmConfigError ||
      e instanceof QmpListenError ||
      e instanceof ListenError ||
      e instanceof SnapshotError
    ) {
      const where =
        e instanceof ElfError || e instanceof KernelError
          ? '--kernel: '
          : e instanceof QmpListenError
            ? '--qmp: '
            : e instanceof SnapshotError
              ? '--incoming: '
              : '';
      process.stderr.write(`tsvirt: error: ${where}${e.message}\n`);
      return EXIT.error;
    }
    throw e;
  }
}
