// What a VM is built from: the machine, its sizes and the host backends its devices use. Plain data
// and interfaces only, so that the same configuration can come from the command line, a library
// user or a test; opening host files and sockets is the caller's business (src/cli/node-host.ts).

import type { Gunzip } from '../loaders/gunzip.js';
import type { IsaProfile } from '../cpu/riscv/isa/profile.js';
import type { BlockBackend } from '../backends/block/backend.js';
import type { CharBackend, CharOutputFlow } from '../backends/char.js';
import type { EntropySource } from '../backends/entropy.js';
import type { NetBackend } from '../backends/net/backend.js';
import type { JitMode } from '../engine/tcg/loop.js';
import type { KernelFile } from '../loaders/linux.js';
import type { StopRequests } from './stop.js';
import type { Clock } from '../core/clock.js';
import type { ParsedSnapshot } from './snapshot/format.js';

/** The machines `build` knows. */
export const MACHINES = ['virt', 'spike'] as const;
export type MachineName = (typeof MACHINES)[number];

/**
 * Most guest RAM the engine can run: RAM is one Uint8Array (and a Uint16Array and a DataView over
 * the same bytes), and Node 20's V8 makes no typed array longer than 2^32 elements, so anything
 * above 4 GiB fails when the board allocates it. Up to about 4080 MiB, RAM and the translator's
 * tables share one WebAssembly memory (at most 4 GiB); above that, jit 'wasm' translates to
 * JavaScript instead (GuestMemory, WasmJit.create).
 */
export const MAX_MEMORY_BYTES = 4 * 1024 ** 3;
/** Least guest RAM accepted (a board may need more for what it loads, and says so). */
export const MIN_MEMORY_BYTES = 1024 ** 2;
/** Most harts of a machine. */
export const MAX_HARTS = 32;
/** Bounds of `jitCacheBlocks`. */
export const MIN_JIT_CACHE_BLOCKS = 16;
export const MAX_JIT_CACHE_BLOCKS = 1 << 20;
export const DEFAULT_JIT_CACHE_BLOCKS = 65536;

/** Something the VM owns and releases in `Vm.close` (a console that restores the terminal). */
export interface Closable {
  close?(): void | Promise<void>;
}

/** What every machine takes. */
export interface CommonConfig {
  /** Guest RAM: a multiple of 4 KiB from MIN_MEMORY_BYTES to MAX_MEMORY_BYTES. */
  memoryBytes: number;
  /** Harts, 1 to MAX_HARTS (default 1). */
  harts?: number;
  /** The harts' ISA extensions (`isaProfile('max,zba=off')`, cpu/riscv/isa/profile.ts; default max). */
  cpu?: IsaProfile;
  /** The translator: WebAssembly (default), JavaScript, or none: interpret everything. */
  jit?: JitMode;
  /** Most translated blocks kept at once (default 65536; the whole cache is dropped when full). */
  jitCacheBlocks?: number;
  /** `run` ends with 'instruction-limit' after about this many instructions (checked per slice). */
  maxInstructions?: number;
  /** Diagnostics for the user (a device that needs a reset, a translator fallback). */
  warn?: (msg: string) => void;
  /**
   * Where requests to stop arrive (signals, a console's quit key, `Vm.stop`). Give one to take
   * requests before the VM exists: one made before `build` returns ends `run` at once. Default: a
   * fresh one.
   */
  stop?: StopRequests;
  /**
   * A snapshot's bytes (Vm.save, docs/snapshot-format.md), or a state already read (a migration
   * stream's, vm/migration/receive.ts): the VM starts from this state instead of
   * booting. The rest of the configuration must describe the same machine; the kernel is not read (a spike
   * program's ELF is, for its HTIF symbols, but not loaded).
   */
  incoming?: Uint8Array | ParsedSnapshot;
  /** The timebase (default: host time at 10 MHz); tests pass a deterministic one. */
  clock?: Clock;
}

/** The `spike` board: an ELF with a `tohost` symbol, reporting through HTIF. */
export interface SpikeConfig extends CommonConfig {
  machine: 'spike';
  /** The program: an ELF executable with a `tohost` symbol. */
  elf: Uint8Array;
  /** Where HTIF console output goes (input is not used); default: nowhere. */
  console?: CharBackend & Closable;
}

/** A virtio-blk disk of the virt board. */
export interface DiskConfig {
  /** Closed (which flushes it) by `Vm.close`. */
  backend: BlockBackend;
  /** GET_ID string: printable ASCII, at most 20 bytes (default `tsvirt-disk<k>`). */
  serial?: string;
  /** Names the disk in errors, e.g. the option that made it (default `disk <k>`). */
  name?: string;
}

/** A virtio-net NIC of the virt board. */
export interface NicConfig {
  /** Closed by `Vm.close`. */
  backend: NetBackend;
  /** Six bytes, unicast (backends/net/spec.ts deriveMac makes a stable one). */
  mac: Uint8Array;
  /** Offered to the guest as VIRTIO_NET_F_MTU when given (68..65535). */
  mtu?: number;
}

/** The `virt` board (QEMU virt's memory map) booting a Linux kernel. */
export interface VirtConfig extends CommonConfig {
  machine: 'virt';
  /** A RISC-V Linux Image (gzip allowed) or ELF: its bytes, or a file read on demand. */
  kernel: Uint8Array | KernelFile;
  initrd?: Uint8Array;
  /** M-mode firmware (OpenSBI fw_dynamic or fw_jump) run first; default: the built-in SBI. */
  bios?: Uint8Array;
  /** The host's gzip decoder, for gzip-compressed kernels (tsvirt/node: nodeGunzip). */
  gunzip?: Gunzip;
  /** Kernel command line (default `console=ttyS0`, or `console=hvc0` with a virtio console). */
  append?: string;
  /** The console's host side. */
  console: CharBackend & Closable;
  /** Output flow control of `console` (a virtio console then holds the guest back). */
  consoleFlow?: CharOutputFlow;
  /**
   * Which device the console is on: the NS16550A (ttyS0, default), or virtio-console (hvc0); then
   * the UART only prints (early boot messages, firmware) and input goes to hvc0.
   */
  consoleDevice?: 'uart' | 'virtio';
  /** virtio-blk disks, in slot order. */
  disks?: DiskConfig[];
  /** virtio-net NICs, after the disks. */
  nics?: NicConfig[];
  /** A virtio-rng device fed by this source, after the NICs. */
  rng?: EntropySource;
  /**
   * Where the 64 bytes of the device tree's /chosen/rng-seed come from (default: the host's
   * CSPRNG, as QEMU's virt does); `null` leaves the seed out, so that nothing random from the
   * host reaches the guest. Linux's CRNG is ready at boot only with a seed or an entropy device.
   */
  bootEntropy?: EntropySource | null;
  /** The RTC's wall-clock time in ns (default: the host's). */
  rtcNowNs?: () => bigint;
}

export type VmConfig = SpikeConfig | VirtConfig;

/** A configuration value out of range; the message names the field. */
export class VmConfigError extends Error {}

function checkCount(field: string, v: number | undefined, min: number, max: number): void {
  if (v !== undefined && !(Number.isSafeInteger(v) && v >= min && v <= max)) {
    throw new VmConfigError(`${field}: ${v} is out of range (${min}..${max})`);
  }
}

/** Throws a VmConfigError for the first field of `c` out of range (what the engine cannot run). */
export function checkConfig(c: VmConfig): void {
  if (!(MACHINES as readonly string[]).includes(c.machine)) {
    throw new VmConfigError(
      `machine: unknown machine '${String(c.machine)}' (known: ${MACHINES.join(', ')})`,
    );
  }
  const m = c.memoryBytes;
  if (!Number.isSafeInteger(m) || m < MIN_MEMORY_BYTES || m > MAX_MEMORY_BYTES || m % 4096 !== 0) {
    throw new VmConfigError(`memoryBytes: ${m} is not a multiple of 4 KiB between 1 MiB and 4 GiB`);
  }
  checkCount('harts', c.harts, 1, MAX_HARTS);
  checkCount('jitCacheBlocks', c.jitCacheBlocks, MIN_JIT_CACHE_BLOCKS, MAX_JIT_CACHE_BLOCKS);
  checkCount('maxInstructions', c.maxInstructions, 1, Number.MAX_SAFE_INTEGER);
  if (c.jit !== undefined && c.jit !== 'wasm' && c.jit !== 'js' && c.jit !== 'off') {
    throw new VmConfigError(`jit: '${String(c.jit)}' is not wasm, js or off`);
  }
}
