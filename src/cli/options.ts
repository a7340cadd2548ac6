// Command-line parsing for `tsvirt run`, with errors that name the offending option.

import { parseArgs } from 'node:util';
import type { JitMode } from '../engine/tcg/loop.js';

export class UsageError extends Error {}

export interface RunOptions {
  machine: 'spike' | 'virt';
  /** Kernel file; undefined means the default guest built by `tsvirt image`. */
  kernel: string | undefined;
  initrd: string | undefined;
  append: string | undefined;
  /** M-mode firmware for full emulation, or undefined for the built-in SBI (PV). */
  bios: string | undefined;
  memoryBytes: number;
  smp: number;
  stats: boolean;
  maxInstructions: number | undefined;
  /** The translator: WebAssembly (on), JavaScript (js), or none: interpret everything (off). */
  jit: JitMode;
  /** Most translated blocks kept at once (the whole cache is dropped when it fills). */
  jitCache: number;
  /** --disk specs, in order (parsed by the block backend). */
  disks: string[];
  /** --net specs, in order. */
  nets: string[];
  rng: boolean;
  console: 'stdio' | 'virtio';
}

/**
 * Most guest RAM the engine can run: RAM is one Uint8Array (and a Uint16Array and a DataView over
 * the same bytes), and Node 20's V8 makes no typed array longer than 2^32 elements, so anything
 * above 4 GiB fails when the board allocates it. Up to about 4080 MiB, RAM and the translator's
 * tables share one WebAssembly memory (at most 4 GiB); above that, `--jit on` translates to
 * JavaScript instead (GuestMemory, WasmJit.create).
 */
export const MAX_MEMORY_BYTES = 4 * 1024 ** 3;
/** Least guest RAM accepted (a board may need more for what it loads, and says so). */
export const MIN_MEMORY_BYTES = 1024 ** 2;

/**
 * Parse a size such as 512M, 1G, 65536, 64K, 64KiB or 64KB (all units powers of 1024) into
 * bytes. Throws a UsageError naming `option` for anything else, and for sizes past 2^53 that a
 * number cannot hold exactly.
 */
export function parseSize(option: string, text: string): number {
  const m = /^(\d+)(?:([KMG])(?:i?B)?|B?)$/i.exec(text.trim());
  if (m === null) throw new UsageError(`${option}: '${text}' is not a size (examples: 512M, 1G)`);
  const unit = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(m[2] ?? '').toUpperCase() as 'K' | 'M' | 'G'] ?? 1;
  const bytes = Number(m[1]) * unit;
  if (!Number.isSafeInteger(bytes)) throw new UsageError(`${option}: '${text}' is far too large`);
  return bytes;
}

function parseCount(option: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${option}: '${text}' is not a whole number`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${option}: ${n} is out of range (${min}..${max})`);
  return n;
}

export function parseRunOptions(argv: string[]): RunOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        machine: { type: 'string', default: 'virt' },
        kernel: { type: 'string' },
        initrd: { type: 'string' },
        append: { type: 'string' },
        bios: { type: 'string' },
        sbi: { type: 'string' },
        memory: { type: 'string', short: 'm' },
        smp: { type: 'string', default: '1' },
        stats: { type: 'boolean', default: false },
        'max-instructions': { type: 'string' },
        jit: { type: 'string', default: 'on' },
        'jit-cache': { type: 'string', default: '65536' },
        disk: { type: 'string', multiple: true },
        net: { type: 'string', multiple: true },
        rng: { type: 'boolean', default: false },
        console: { type: 'string', default: 'stdio' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  const machine = v.machine ?? 'virt';
  if (machine !== 'spike' && machine !== 'virt') {
    throw new UsageError(`--machine: unknown machine '${machine}' (known: spike, virt)`);
  }
  if (v.kernel === undefined && machine === 'spike') throw new UsageError('--kernel FILE is required');
  if (v.sbi !== undefined && v.sbi !== 'builtin') {
    throw new UsageError(
      `--sbi: unknown value '${v.sbi}' (the only value is 'builtin'; use --bios FILE for firmware)`,
    );
  }
  if (v.sbi !== undefined && v.bios !== undefined)
    throw new UsageError('--sbi builtin and --bios exclude each other');
  if (machine === 'spike' && (v.initrd ?? v.append ?? v.bios) !== undefined) {
    throw new UsageError('--initrd, --append and --bios apply to --machine virt only');
  }
  const memoryBytes = parseSize('--memory', v.memory ?? (machine === 'spike' ? '256M' : '512M'));
  if (memoryBytes < MIN_MEMORY_BYTES || memoryBytes % 4096 !== 0 || memoryBytes > MAX_MEMORY_BYTES) {
    throw new UsageError(
      `--memory: '${v.memory}' is not a multiple of 4 KiB between 1M and 4G ` +
        '(4G is the most guest RAM tsvirt can run on Node 20)',
    );
  }
  if (v.jit !== 'on' && v.jit !== 'off' && v.jit !== 'js') {
    throw new UsageError(`--jit: '${v.jit}' is not on, off or js`);
  }
  if (v.console !== 'stdio' && v.console !== 'virtio') {
    throw new UsageError(`--console: '${v.console}' is not stdio or virtio`);
  }
  if (machine === 'spike' && (v.disk !== undefined || v.net !== undefined || v.rng === true)) {
    throw new UsageError('--disk, --net and --rng apply to --machine virt only');
  }
  return {
    jit: v.jit === 'on' ? 'wasm' : v.jit,
    jitCache: parseCount('--jit-cache', v['jit-cache'] ?? '65536', 16, 1 << 20),
    disks: v.disk ?? [],
    nets: v.net ?? [],
    rng: v.rng ?? false,
    console: v.console === 'virtio' ? 'virtio' : 'stdio',
    machine,
    kernel: v.kernel,
    initrd: v.initrd,
    append: v.append,
    bios: v.bios,
    memoryBytes,
    smp: parseCount('--smp', v.smp ?? '1', 1, 32),
    stats: v.stats ?? false,
    maxInstructions:
      v['max-instructions'] === undefined
        ? undefined
        : parseCount('--max-instructions', v['max-instructions'], 1, Number.MAX_SAFE_INTEGER),
  };
}
