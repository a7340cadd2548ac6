// The Node host side of `tsvirt run`: opens the files, disks, sockets, entropy source and console
// that the parsed options name, and hands them to the builder as backends (vm/config.ts). The
// only module of the run command that creates host objects; what fails here names its option.

import { describeFsError } from './fs-error.js';
import { nodeGunzip } from '../host/node/gunzip.js';
import type { CharBackend } from '../backends/char.js';
import { openDisk, DiskOpenError } from '../backends/block/open.js';
import { parseDiskSpec, DiskSpecError } from '../backends/block/spec.js';
import { HostEntropySource } from '../backends/entropy.js';
import { parseNetSpec, NetSpecError } from '../backends/net/spec.js';
import { openNetBackend, NetOpenError } from '../backends/net/socket.js';
import { openUserNetBackend, UserNetError } from '../host/node/slirp/backend.js';
import { StdioConsole } from '../host/node/stdio-console.js';
import { openSnapshotFile } from '../api/snapshot-file.js';
import { SnapshotError, type ParsedSnapshot } from '../vm/snapshot/format.js';
import type { CommonConfig, DiskConfig, NicConfig, VmConfig } from '../vm/config.js';
import type { StopRequests } from '../vm/stop.js';
import { defaultGuest } from './default-guest.js';
import { fileInput, readInput } from './input.js';
import { UsageError, type RunOptions } from './options.js';

const warn = (msg: string): void => {
  process.stderr.write(`tsvirt: ${msg}\n`);
};

/** Bytes of spike console output held before they are written, unless a line ends first. */
const SPIKE_LINE_BYTES = 4096;

/** The spike board's console: HTIF output to stdout, a line (or 4 KiB) at a time and at close. */
class LineBufferedStdout implements CharBackend {
  private readonly out: number[] = [];
  write(bytes: Uint8Array): void {
    for (const b of bytes) {
      this.out.push(b);
      if (b === 10 || this.out.length > SPIKE_LINE_BYTES) this.flush();
    }
  }
  onInput(): void {}
  close(): void {
    this.flush();
  }
  private flush(): void {
    if (this.out.length > 0) process.stdout.write(Buffer.from(this.out.splice(0)));
  }
}

/**
 * The VmConfig that `o` describes, with its host resources open. Stop requests (the console's
 * Ctrl-A x) go to `stop`. Rejects with a UsageError naming the option at fault, after closing what
 * it had opened.
 */
export async function hostConfig(o: RunOptions, stop: StopRequests): Promise<VmConfig> {
  const common: CommonConfig = {
    memoryBytes: o.memoryBytes,
    harts: o.smp,
    cpu: o.cpu,
    jit: o.jit,
    jitCacheBlocks: o.jitCache,
    maxInstructions: o.maxInstructions,
    warn,
    stop,
  };
  if (o.machine === 'spike') {
    const elf = readInput('--kernel', o.kernel ?? '', o.memoryBytes);
    const incoming =
      o.incoming?.kind === 'file' ? await readSnapshotFile(o.incoming.path, o.memoryBytes) : undefined;
    return { ...common, machine: 'spike', elf, console: new LineBufferedStdout(), incoming };
  }
  let kernelPath = o.kernel;
  let initrdPath = o.initrd;
  if (kernelPath === undefined) {
    const g = defaultGuest();
    kernelPath = g.kernel;
    initrdPath ??= g.initrd;
  }
  const kernel = fileInput('--kernel', kernelPath, o.memoryBytes);
  const incoming =
    o.incoming?.kind === 'file' ? await readSnapshotFile(o.incoming.path, o.memoryBytes) : undefined;
  // A VM started from a snapshot has its initrd in RAM already.
  const initrd =
    initrdPath === undefined || o.incoming !== undefined
      ? undefined
      : readInput('--initrd', initrdPath, o.memoryBytes);
  const bios = o.bios === undefined ? undefined : readInput('--bios', o.bios, o.memoryBytes);
  const disks: DiskConfig[] = [];
  const nics: NicConfig[] = [];
  const fail = async (e: unknown): Promise<never> => {
    for (const d of disks) await d.backend.close().catch(() => {});
    for (const n of nics) await Promise.resolve(n.backend.close()).catch(() => {});
    throw e;
  };
  for (const text of o.disks) {
    try {
      const spec = parseDiskSpec(text);
      disks.push({ backend: await openDisk(spec), serial: spec.serial, name: `--disk ${text}` });
    } catch (e) {
      return fail(e instanceof DiskSpecError || e instanceof DiskOpenError ? new UsageError(e.message) : e);
    }
  }
  for (const [k, text] of o.nets.entries()) {
    try {
      const spec = parseNetSpec(text, '--net', k);
      const backend =
        spec.backend.kind === 'user'
          ? await openUserNetBackend(spec.backend, { mtu: spec.mtu })
          : await openNetBackend(spec.backend, { warn });
      nics.push({ backend, mac: spec.mac, mtu: spec.mtu });
    } catch (e) {
      const usage = e instanceof NetSpecError || e instanceof NetOpenError || e instanceof UserNetError;
      return fail(usage ? new UsageError(e.message) : e);
    }
  }
  // Last: from here on the terminal is raw, until the VM closes the console.
  const console = new StdioConsole({ onQuit: () => stop.request({ kind: 'quit' }) });
  // After a --reboot, the previous console left stdin paused and unreferenced at its close: the
  // new console's listener is attached now, so input (held in the stream meanwhile) flows again.
  (process.stdin as { ref?: () => void }).ref?.();
  process.stdin.resume();
  return {
    ...common,
    machine: 'virt',
    kernel,
    initrd,
    bios,
    gunzip: nodeGunzip,
    append: o.append,
    console,
    consoleFlow: console,
    consoleDevice: o.console === 'virtio' ? 'virtio' : 'uart',
    disks,
    nics,
    rng: o.rng ? new HostEntropySource() : undefined,
    incoming,
  };
}

/** Most bytes a snapshot of `memoryBytes` of RAM can take: RAM, its page index, and the state. */
export function snapshotLimitBytes(memoryBytes: number): number {
  return memoryBytes + memoryBytes / 1024 + 64 * 1024 ** 2;
}

/**
 * The snapshot file of --incoming: its header, description and state read and checked, its RAM
 * pages left in the file until the board loads them (mapped). Its size is bounded by what such a
 * snapshot can hold. TSVIRT_SNAPSHOT_MAP=off reads the pages instead (to compare).
 */
async function readSnapshotFile(path: string, memoryBytes: number): Promise<ParsedSnapshot> {
  try {
    const s = await openSnapshotFile(path, {
      maxBytes: snapshotLimitBytes(memoryBytes),
      map: process.env.TSVIRT_SNAPSHOT_MAP !== 'off',
    });
    const load = s.ramLoad;
    s.ramLoad = (ram, pages) => {
      try {
        load?.(ram, pages);
      } catch (e) {
        throw new UsageError(`--incoming: cannot read '${path}': ${describeFsError(e)}`);
      }
    };
    return s;
  } catch (e) {
    if (e instanceof SnapshotError) throw e;
    if (e instanceof RangeError) throw new UsageError(`--incoming: ${e.message}`);
    throw new UsageError(`--incoming: cannot read '${path}': ${describeFsError(e)}`);
  }
}
