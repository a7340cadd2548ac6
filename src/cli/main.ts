// tsvirt's command-line entry point. A thin user of the boards and engine: parse, build the
// machine, run it, and turn the way it stopped into an exit status.

import { SpikeBoard } from '../boards/spike.js';
import { BootError, VirtBoard } from '../boards/virt/board.js';
import { engineHostBytes, runLoop, type LoopEnd, type TcgBoard } from '../engine/tcg/loop.js';
import { StdioConsole } from '../host/node/stdio-console.js';
import { KernelError } from '../loaders/linux.js';
import { ElfError } from '../loaders/elf.js';
import { parseRunOptions, UsageError, type RunOptions } from './options.js';
import { fileInput, readInput } from './input.js';
import { defaultGuest } from './default-guest.js';
import { openDisk, DiskOpenError } from '../backends/block/open.js';
import { parseDiskSpec, DiskSpecError } from '../backends/block/spec.js';
import { parseNetSpec, NetSpecError } from '../backends/net/spec.js';
import { openNetBackend, NetOpenError } from '../backends/net/socket.js';
import { HostEntropySource } from '../backends/entropy.js';
import type { CharBackend } from '../backends/char.js';
import { VirtioBlk } from '../devices/virtio/blk/device.js';
import { VirtioNet } from '../devices/virtio/net/device.js';
import { VirtioRng } from '../devices/virtio/rng/device.js';
import { VirtioConsole } from '../devices/virtio/console/device.js';
import type { VirtioDevice } from '../devices/virtio/types.js';
import { MemoryBudget } from '../devices/virtio/budget.js';
import { imageMain } from '../images/cli.js';

/** Exit statuses of `tsvirt run` (also printed by --help). */
export const EXIT = {
  ok: 0,
  guestFailure: 1,
  reboot: 2,
  instructionLimit: 124,
  error: 125,
} as const;

/**
 * Signals that stop tsvirt cleanly (the guest stops, in-flight disk requests complete, disks are
 * flushed and closed), with the exit status each gives: 128 + the signal's number, what a shell
 * reports for a process the signal killed.
 */
export const STOP_SIGNALS = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
type StopSignal = keyof typeof STOP_SIGNALS;

const HELP = `Usage: tsvirt run [--machine virt|spike] [--kernel FILE] [options]
       tsvirt image [options]      fetch Debian's riscv64 kernel, BusyBox and OpenSBI; build an initramfs

Options of run:
  --machine NAME          virt (default): QEMU-virt-compatible board for Linux
                          spike: the HTIF test board of ISA test suites
  --kernel FILE           virt: a RISC-V Linux Image (gzip allowed) or ELF; default: the guest
                          built by 'tsvirt image'.  spike: an ELF executable with a tohost symbol
  --initrd FILE           virt: initial ramdisk (default with the default guest: its initramfs)
  --append "ARGS"         virt: kernel command line
  --sbi builtin           virt: tsvirt answers SBI calls itself, the kernel starts in S-mode (default)
  --bios FILE             virt: run M-mode firmware first (OpenSBI fw_dynamic.bin or fw_jump.bin)
  --memory SIZE           guest RAM, e.g. 512M, 1G (default: virt 512M, spike 256M), a multiple
                          of 4K from 1M to 4G; above about 4080M, --jit on translates to
                          JavaScript (the WebAssembly translator needs RAM in a 4 GiB memory)
  --smp N                 number of harts (default 1)
  --max-instructions N    stop after about N instructions
  --stats                 print instructions retired and MIPS on exit (stderr)
  --jit on|off|js         translate hot guest code to WebAssembly (on, the default), to
                          JavaScript (js), or interpret everything (off)
  --jit-cache N           keep at most N translated blocks (default 65536, 16 to 1048576); a
                          full cache is dropped whole and refilled from hot code
  --disk file=IMG[,readonly][,overlay=FILE][,snapshot][,serial=ID]
                          virt: a virtio-blk disk (repeatable). overlay keeps changes in FILE and
                          never modifies IMG; snapshot throws the changes away at exit
  --net SPEC              virt: a virtio-net NIC (repeatable): socket,listen=PATH | socket,connect=PATH
                          | udp,local=[HOST:]PORT,remote=[HOST:]PORT, each with optional mac=, mtu=
  --rng                   virt: a virtio-rng device fed by the host's CSPRNG
  --console stdio|virtio  virt: the console on the NS16550A (ttyS0, default) or on virtio (hvc0)

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

interface Machine {
  board: TcgBoard;
  status: () => number;
  close: () => Promise<void> | void;
}

function buildSpike(o: RunOptions): Machine {
  const out: number[] = [];
  const flush = (): void => {
    if (out.length > 0) process.stdout.write(Buffer.from(out.splice(0)));
  };
  const board = new SpikeBoard({
    elf: readInput('--kernel', o.kernel ?? '', o.memoryBytes),
    memoryBytes: o.memoryBytes,
    hostBytes: engineHostBytes(o.jit, o.smp, o.memoryBytes),
    harts: o.smp,
    putchar: (b) => {
      out.push(b);
      if (b === 10 || out.length > 4096) flush();
    },
    warn: (m) => process.stderr.write(`tsvirt: ${m}\n`),
  });
  return { board, status: () => statusForHtif(board.exitCode ?? 0), close: flush };
}

async function buildVirt(o: RunOptions): Promise<Machine> {
  let kernelPath = o.kernel;
  let initrdPath = o.initrd;
  if (kernelPath === undefined) {
    const g = defaultGuest();
    kernelPath = g.kernel;
    initrdPath ??= g.initrd;
  }
  const kernel = fileInput('--kernel', kernelPath, o.memoryBytes);
  const initrd = initrdPath === undefined ? undefined : readInput('--initrd', initrdPath, o.memoryBytes);
  const bios = o.bios === undefined ? undefined : readInput('--bios', o.bios, o.memoryBytes);
  const devices: VirtioDevice[] = [];
  const closers: (() => Promise<void>)[] = [];
  const fail = async (e: unknown): Promise<never> => {
    for (const c of closers) await c().catch(() => {});
    throw e;
  };
  // Host memory the VM's disks may hold for requests in flight, shared by all of them.
  const ioBudget = new MemoryBudget();
  for (const [k, text] of o.disks.entries()) {
    let blk: VirtioBlk;
    try {
      const spec = parseDiskSpec(text);
      const backend = await openDisk(spec);
      blk = new VirtioBlk({ backend, serial: spec.serial ?? `tsvirt-disk${k}`, budget: ioBudget });
      closers.push(async () => {
        await blk.quiesce();
        // Flushes: the overlay's table, or fdatasync of a raw image.
        await backend.close().catch((e: unknown) => {
          throw new ShutdownError(`--disk ${text}: closing the disk failed: ${(e as Error).message}`);
        });
      });
    } catch (e) {
      return fail(e instanceof DiskSpecError || e instanceof DiskOpenError ? new UsageError(e.message) : e);
    }
    devices.push(blk);
  }
  for (const [k, text] of o.nets.entries()) {
    try {
      const spec = parseNetSpec(text, '--net', k);
      const backend = await openNetBackend(spec.backend, {
        warn: (m) => process.stderr.write(`tsvirt: ${m}\n`),
      });
      closers.push(() => backend.close());
      devices.push(new VirtioNet({ backend, mac: spec.mac, mtu: spec.mtu }));
    } catch (e) {
      return fail(e instanceof NetSpecError || e instanceof NetOpenError ? new UsageError(e.message) : e);
    }
  }
  if (o.rng) devices.push(new VirtioRng(new HostEntropySource()));
  let quit = false;
  let wakeLoop: (() => void) | undefined;
  const stdio = new StdioConsole({
    onQuit: () => {
      quit = true;
      b.harts.forEach((h) => (h.yieldLoop = true));
      wakeLoop?.();
    },
  });
  let uartSide: CharBackend = stdio;
  if (o.console === 'virtio') {
    devices.push(new VirtioConsole(stdio, { outputFlow: stdio }));
    // The UART stays (early boot messages, firmware) but only prints: input belongs to hvc0.
    uartSide = { write: (bytes) => stdio.write(bytes), onInput: () => {} };
  }
  let b: VirtBoard;
  try {
    b = new VirtBoard({
      memoryBytes: o.memoryBytes,
      hostBytes: engineHostBytes(o.jit, o.smp, o.memoryBytes),
      harts: o.smp,
      kernel,
      initrd,
      append: o.append ?? (o.console === 'virtio' ? 'console=hvc0' : 'console=ttyS0'),
      bios,
      console: uartSide,
      virtio: devices,
      warn: (m) => process.stderr.write(`tsvirt: ${m}\n`),
    });
  } catch (e) {
    stdio.close();
    return fail(e);
  }
  return {
    board: {
      get harts() {
        return b.harts;
      },
      get stopped() {
        return b.stopped || quit;
      },
      tick: () => b.tick(),
      afterSlice: () => b.afterSlice(),
      msToNextEvent: () => b.msToNextEvent(),
      setWaker: (w) => {
        wakeLoop = w;
        b.setWaker(w);
      },
    },
    status: () => {
      const s = b.stop;
      if (s === undefined || s.kind === 'poweroff') return EXIT.ok;
      return s.kind === 'reboot' ? EXIT.reboot : EXIT.guestFailure;
    },
    close: async () => {
      try {
        stdio.close();
      } catch {
        // The terminal may be gone (SIGHUP after a hangup): the disks must still be closed.
      }
      // Every device is closed even when one fails; the first failure is reported.
      let failure: unknown;
      for (const c of closers) await c().catch((e: unknown) => (failure ??= e));
      if (failure !== undefined) throw failure;
    },
  };
}

/** A device could not be shut down cleanly (a disk's final flush failed). */
class ShutdownError extends Error {}

/**
 * SIGINT, SIGTERM and SIGHUP, while installed: the first one asks the CPU loop to stop (through
 * `onStop`), so that run() shuts down in order; a second one, while that is under way, exits at
 * once with the same status.
 */
class StopSignals {
  signal: StopSignal | undefined;
  onStop: (() => void) | undefined;
  private readonly handlers = new Map<StopSignal, () => void>();

  constructor() {
    for (const name of Object.keys(STOP_SIGNALS) as StopSignal[]) {
      const handler = (): void => this.received(name);
      this.handlers.set(name, handler);
      process.on(name, handler);
    }
  }

  uninstall(): void {
    for (const [name, handler] of this.handlers) process.off(name, handler);
  }

  private received(name: StopSignal): void {
    if (this.signal !== undefined) {
      process.stderr.write(`tsvirt: ${name} again: exiting without finishing the shutdown\n`);
      process.exit(STOP_SIGNALS[this.signal]);
    }
    this.signal = name;
    this.onStop?.();
  }
}

/** `board`, seen as stopped once `stop.signal` is set; a signal also ends a slice or sleep early. */
function stoppable(board: TcgBoard, stop: StopSignals): TcgBoard {
  let wake: (() => void) | undefined;
  stop.onStop = () => {
    for (const h of board.harts) h.yieldLoop = true;
    wake?.();
  };
  return {
    get harts() {
      return board.harts;
    },
    get stopped() {
      return board.stopped || stop.signal !== undefined;
    },
    tick: () => board.tick(),
    afterSlice: () => board.afterSlice(),
    msToNextEvent: () => board.msToNextEvent(),
    setWaker: (w) => {
      wake = w;
      board.setWaker?.(w);
    },
  };
}

async function run(argv: string[]): Promise<number> {
  const o = parseRunOptions(argv);
  // Installed before the disks open, so that a signal from here on still closes them cleanly.
  const stop = new StopSignals();
  try {
    return await runMachine(o, stop);
  } finally {
    stop.uninstall();
  }
}

async function runMachine(o: RunOptions, stop: StopSignals): Promise<number> {
  const m = o.machine === 'spike' ? buildSpike(o) : await buildVirt(o);
  const t0 = performance.now();
  let end: LoopEnd;
  try {
    end = await runLoop(stoppable(m.board, stop), {
      maxInstructions: o.maxInstructions,
      jit: o.jit,
      jitCache: o.jitCache,
      warn: (msg) => process.stderr.write(`tsvirt: ${msg}\n`),
    });
  } finally {
    await m.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (o.stats) {
    const retired = m.board.harts.reduce((s, h) => s + h.retired, 0);
    const mips = retired / seconds / 1e6;
    process.stderr.write(
      `tsvirt: ${retired} instructions in ${seconds.toFixed(3)} s (${mips.toFixed(1)} MIPS)\n`,
    );
  }
  if (stop.signal !== undefined) {
    process.stderr.write(`tsvirt: stopped by ${stop.signal}\n`);
    return STOP_SIGNALS[stop.signal];
  }
  if (end === 'instruction-limit') {
    process.stderr.write(`tsvirt: stopped after the --max-instructions limit\n`);
    return EXIT.instructionLimit;
  }
  return m.status();
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'image') return imageMain(rest);
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
    if (
      e instanceof UsageError ||
      e instanceof ElfError ||
      e instanceof KernelError ||
      e instanceof BootError ||
      e instanceof ShutdownError
    ) {
      const where = e instanceof ElfError || e instanceof KernelError ? '--kernel: ' : '';
      process.stderr.write(`tsvirt: error: ${where}${e.message}\n`);
      return EXIT.error;
    }
    throw e;
  }
}
