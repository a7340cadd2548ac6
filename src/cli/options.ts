// `tsvirt run`'s options, in one table: each entry gives an option's name, value syntax, help, the
// machines that accept it and the function that parses and checks its value. Parsing, --help and
// the RunOptions type are all made from it, so an option is added in one place.

import { MigrationUriError, parseMigrationUri, type MigrationUri } from '../vm/migration/uri.js';
import { CpuSpecError, DEFAULT_CPU, isaProfile } from '../cpu/riscv/isa/profile.js';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { JitMode } from '../engine/tcg/loop.js';
import {
  DEFAULT_JIT_CACHE_BLOCKS,
  MACHINES,
  MAX_HARTS,
  MAX_JIT_CACHE_BLOCKS,
  MAX_MEMORY_BYTES,
  MIN_JIT_CACHE_BLOCKS,
  MIN_MEMORY_BYTES,
  type MachineName,
} from '../vm/config.js';
import { parseQmpAddress, QmpAddressError, type QmpAddress } from '../monitor/qmp-address.js';
import { ConfigError, configArgs, configSchema } from './config.js';
import { describeFsError } from './fs-error.js';
import { spellingProblem } from './spelling.js';

export { MAX_MEMORY_BYTES, MIN_MEMORY_BYTES };

export class UsageError extends Error {}

/** What an option's parser may look at besides its own value. */
export interface ParseContext {
  /** The machine (--machine is parsed before every other option). */
  readonly machine: MachineName;
  /** Whether the option named `name` (without dashes) was given. */
  given(name: string): boolean;
}

/** One option. `Raw` is what the parser gets: a flag's presence, a value, or every value given. */
interface OptionSpec<T, Raw> {
  /** The long name, without the dashes. */
  readonly name: string;
  /** A one-letter alias. */
  readonly short?: string;
  /** How --help shows the value (SIZE, on|off|js); none for a flag. */
  readonly syntax?: string;
  /** --help text; a newline starts a new line of the column. */
  readonly help: string;
  /** The machines that accept the option; giving it to another is an error. */
  readonly machines: readonly MachineName[];
  /** The machines that need it. */
  readonly requiredOn?: readonly MachineName[];
  /** The text parsed when the option is not given (none: the parser gets undefined). */
  readonly default?: (machine: MachineName) => string;
  /** The option's value in RunOptions, from its text; throws a UsageError naming the option. */
  readonly parse: (raw: Raw, ctx: ParseContext) => T;
}

type FlagSpec<T> = OptionSpec<T, boolean> & { readonly kind: 'flag' };
type ValueSpec<T> = OptionSpec<T, string | undefined> & { readonly kind: 'value'; readonly syntax: string };
type ListSpec<T> = OptionSpec<T, string[]> & { readonly kind: 'list'; readonly syntax: string };
type AnySpec = FlagSpec<unknown> | ValueSpec<unknown> | ListSpec<unknown>;

/** A boolean option: the parser gets whether it was given. */
const flag = <T>(s: Omit<FlagSpec<T>, 'kind'>): FlagSpec<T> => ({ ...s, kind: 'flag' });
/** An option with a value (the last one counts when repeated). */
const value = <T>(s: Omit<ValueSpec<T>, 'kind'>): ValueSpec<T> => ({ ...s, kind: 'value' });
/** A repeatable option: the parser gets its values in order. */
const list = <T>(s: Omit<ListSpec<T>, 'kind'>): ListSpec<T> => ({ ...s, kind: 'list' });

const ALL = MACHINES;
const VIRT = ['virt'] as const;

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

/** A GDB listen address: tcp::PORT or tcp:HOST:PORT (QEMU's -gdb spelling). */
export function parseGdbAddress(raw: string): { host: string; port: number } {
  const m = /^tcp:([^:]*):(\d{1,5})$/.exec(raw);
  const port = m === null ? NaN : Number(m[2]);
  if (m === null || port < 1 || port > 65535) {
    throw new UsageError(`--gdb: '${raw}' is not tcp::PORT or tcp:HOST:PORT (PORT 1 to 65535)`);
  }
  return { host: m[1], port };
}

/** One line per machine, for --machine help. */
export const MACHINE_HELP: Record<MachineName, string> = {
  virt: 'QEMU-virt-compatible board for Linux (the default)',
  spike: 'the HTIF test board of ISA test suites (needs --kernel ELF with a tohost symbol)',
};

/** The text of `--machine help`. */
export function machineHelp(): string {
  return `Machines (--machine NAME):\n${MACHINES.map((m) => `  ${m.padEnd(8)}${MACHINE_HELP[m]}\n`).join('')}`;
}

function parseMachine(text: string): MachineName {
  const m = MACHINES.find((name) => name === text);
  if (m === undefined) {
    throw new UsageError(
      `--machine: unknown machine '${text}' (known: ${[...MACHINES].sort().join(', ')}; --machine help lists them)`,
    );
  }
  return m;
}

/** The option's text, which has a default whenever this is used. */
const text = (raw: string | undefined): string => raw ?? '';

/** The options of `tsvirt run`, in --help order. Each key is the option's field in RunOptions. */
export const RUN_OPTIONS = {
  /** A JSON file of options (read by parseRunOptions, which expands it into arguments). */
  config: value({
    name: 'config',
    syntax: 'FILE',
    machines: ALL,
    help:
      "read options from a JSON object whose keys are these options' names\n" +
      '(docs/vm-config.schema.json); options on the command line win',
    parse: (raw) => raw,
  }),
  machine: value({
    name: 'machine',
    syntax: 'NAME',
    machines: ALL,
    default: () => 'virt',
    help:
      'virt (default): QEMU-virt-compatible board for Linux\nspike: the HTIF test board of ISA test suites;\n' +
      '--machine help lists them',
    parse: (raw) => parseMachine(text(raw)),
  }),
  /** Kernel file; undefined means the default guest built by `tsvirt image`. */
  kernel: value({
    name: 'kernel',
    syntax: 'FILE',
    machines: ALL,
    requiredOn: ['spike'],
    help:
      'virt: a RISC-V Linux Image (gzip allowed) or ELF; default: the guest\n' +
      "built by 'tsvirt image'.  spike: an ELF executable with a tohost symbol",
    parse: (raw) => raw,
  }),
  initrd: value({
    name: 'initrd',
    syntax: 'FILE',
    machines: VIRT,
    help: 'initial ramdisk (default with the default guest: its initramfs)',
    parse: (raw) => raw,
  }),
  append: value({
    name: 'append',
    syntax: '"ARGS"',
    machines: VIRT,
    help: 'kernel command line',
    parse: (raw) => raw,
  }),
  /** Only ever 'builtin', the default; kept so that it can be said explicitly. */
  sbi: value({
    name: 'sbi',
    syntax: 'builtin',
    machines: VIRT,
    help: 'tsvirt answers SBI calls itself, the kernel starts in S-mode (default)',
    parse: (raw, ctx): 'builtin' | undefined => {
      if (raw === undefined) return undefined;
      if (raw !== 'builtin') {
        throw new UsageError(
          `--sbi: unknown value '${raw}' (the only value is 'builtin'; use --bios FILE for firmware)`,
        );
      }
      if (ctx.given('bios')) throw new UsageError('--sbi builtin and --bios exclude each other');
      return raw;
    },
  }),
  /** M-mode firmware for full emulation, or undefined for the built-in SBI (PV). */
  bios: value({
    name: 'bios',
    syntax: 'FILE',
    machines: VIRT,
    help: 'run M-mode firmware first (OpenSBI fw_dynamic.bin or fw_jump.bin)',
    parse: (raw) => raw,
  }),
  memoryBytes: value({
    name: 'memory',
    short: 'm',
    syntax: 'SIZE',
    machines: ALL,
    default: (machine) => (machine === 'spike' ? '256M' : '512M'),
    help:
      'guest RAM, e.g. 512M, 1G, or 512 (MiB, as QEMU reads -m 512); default:\n' +
      'virt 512M, spike 256M; a multiple of 4K from 1M to 4G; above about\n' +
      '4080M, --jit on translates to JavaScript (the WebAssembly translator\n' +
      'needs RAM in a 4 GiB memory)',
    parse: (raw) => {
      // A bare number is MiB, as QEMU reads `-m 512`; bytes are written with B (65536B).
      const t = text(raw).trim();
      const bytes = parseSize('--memory', /^\d+$/.test(t) ? `${t}M` : t);
      if (bytes < MIN_MEMORY_BYTES || bytes % 4096 !== 0 || bytes > MAX_MEMORY_BYTES) {
        throw new UsageError(
          `--memory: '${raw}' is not a multiple of 4 KiB between 1M and 4G ` +
            '(4G is the most guest RAM tsvirt can run on Node 20)',
        );
      }
      return bytes;
    },
  }),
  smp: value({
    name: 'smp',
    syntax: 'N',
    machines: ALL,
    default: () => '1',
    help: 'number of harts (default 1)',
    parse: (raw) => parseCount('--smp', text(raw), 1, MAX_HARTS),
  }),
  cpu: value({
    name: 'cpu',
    syntax: 'NAME[,EXT=on|off]...',
    machines: ALL,
    default: () => DEFAULT_CPU,
    help:
      "the harts' ISA: a profile (max, the default: everything tsvirt implements;\n" +
      'rv64gc; rva22s64) with extensions turned on or off, e.g. max,zba=off;\n' +
      '--cpu help lists them',
    parse: (raw) => {
      try {
        return isaProfile(text(raw));
      } catch (e) {
        if (e instanceof CpuSpecError) throw new UsageError(e.message);
        throw e;
      }
    },
  }),
  maxInstructions: value({
    name: 'max-instructions',
    syntax: 'N',
    machines: ALL,
    help: 'stop after about N instructions',
    parse: (raw) =>
      raw === undefined ? undefined : parseCount('--max-instructions', raw, 1, Number.MAX_SAFE_INTEGER),
  }),
  stats: flag({
    name: 'stats',
    machines: ALL,
    help:
      'print instructions retired, the time the CPUs were busy and idle, and\n' +
      'MIPS while busy, on exit (stderr)',
    parse: (given) => given,
  }),
  /** Where the GDB stub listens (--gdb tcp::PORT, tcp:HOST:PORT; -s for tcp::1234), or undefined. */
  gdb: value({
    name: 'gdb',
    syntax: 'tcp:[HOST]:PORT',
    machines: ALL,
    help:
      'listen for GDB (gdb-multiarch -ex "target remote :PORT") on PORT, of\n' +
      'HOST only when given (docs/gdb.md)',
    parse: (raw, ctx) => {
      if (raw === undefined) return ctx.given('gdb-default') ? { host: '', port: 1234 } : undefined;
      return parseGdbAddress(raw);
    },
  }),
  gdbDefault: flag({
    name: 'gdb-default',
    short: 's',
    machines: ALL,
    help: "QEMU's -s: --gdb tcp::1234",
    parse: (given) => given,
  }),
  paused: flag({
    name: 'paused',
    short: 'S',
    machines: ALL,
    help: "start with every hart halted (QEMU's -S), for a debugger to resume",
    parse: (given) => given,
  }),
  /** The translator: WebAssembly (on), JavaScript (js), or none: interpret everything (off). */
  jit: value({
    name: 'jit',
    syntax: 'on|off|js',
    machines: ALL,
    default: () => 'on',
    help:
      'translate hot guest code to WebAssembly (on, the default), to\n' +
      'JavaScript (js), or interpret everything (off)',
    parse: (raw): JitMode => {
      if (raw === 'on') return 'wasm';
      if (raw === 'off' || raw === 'js') return raw;
      throw new UsageError(`--jit: '${raw}' is not on, off or js`);
    },
  }),
  /** Most translated blocks kept at once (the whole cache is dropped when it fills). */
  jitCache: value({
    name: 'jit-cache',
    syntax: 'N',
    machines: ALL,
    default: () => String(DEFAULT_JIT_CACHE_BLOCKS),
    help:
      `keep at most N translated blocks (default ${DEFAULT_JIT_CACHE_BLOCKS}, ` +
      `${MIN_JIT_CACHE_BLOCKS} to ${MAX_JIT_CACHE_BLOCKS}); a\n` +
      'full cache is dropped whole and refilled from hot code',
    parse: (raw) => parseCount('--jit-cache', text(raw), MIN_JIT_CACHE_BLOCKS, MAX_JIT_CACHE_BLOCKS),
  }),
  /** --disk specs, in order (parsed by the block backend). */
  disks: list({
    name: 'disk',
    syntax: 'file=IMG[,format=raw|qcow2][,readonly][,overlay=FILE][,snapshot][,serial=ID]',
    machines: VIRT,
    help:
      'a virtio-blk disk (repeatable; the first is vda). format: detected from\n' +
      'the header when not given. overlay keeps changes in FILE, a qcow2 image\n' +
      'backed by IMG, and never modifies IMG; snapshot throws the changes away\n' +
      'at exit',
    parse: (raw) => raw,
  }),
  /** --net specs, in order (parsed by the net backend). */
  nets: list({
    name: 'net',
    syntax: 'SPEC',
    machines: VIRT,
    help:
      'a virtio-net NIC (repeatable): socket,listen=PATH | socket,connect=PATH\n' +
      '| udp,local=[HOST:]PORT,remote=[HOST:]PORT | user[,hostfwd=[tcp|udp]:[HADDR]:HPORT-[GADDR]:GPORT]...\n' +
      '[,restrict=on|off][,net=ADDR/MASK][,host=ADDR][,dns=ADDR][,dhcpstart=ADDR][,ipv6=on|off]\n' +
      '(user: NAT by libslirp, as QEMU -netdev user), each with optional mac=, mtu=',
    parse: (raw) => raw,
  }),
  reboot: flag({
    name: 'reboot',
    machines: VIRT,
    help:
      'when the guest reboots, start it again (with the same options);\n' +
      'by default tsvirt stops with exit status 2',
    parse: (given) => given,
  }),
  rng: flag({
    name: 'rng',
    machines: VIRT,
    help: "a virtio-rng device fed by the host's CSPRNG",
    parse: (given) => given,
  }),
  /**
   * Where the VM's state comes from instead of a boot: a snapshot file (`--incoming file:PATH`), a
   * live migration (`--incoming tcp:HOST:PORT`), or a command's stdout (`--incoming exec:CMD`:
   * a migration stream or a snapshot); undefined: boot.
   */
  incoming: value({
    name: 'incoming',
    syntax: 'file:PATH|tcp:HOST:PORT|exec:CMD',
    machines: ALL,
    help:
      'start from the snapshot in PATH (written by --save-on-exit) instead of\n' +
      'booting, or wait on HOST:PORT for a live migration (QMP migrate), or\n' +
      "read a migration stream or snapshot from CMD's stdout (/bin/sh -c);\n" +
      'the other options must describe the same machine (memory, --smp,\n' +
      '--cpu, --bios, devices) and the same disks (shared, or unchanged since)',
    parse: (raw): MigrationUri | undefined => {
      if (raw === undefined) return undefined;
      try {
        return parseMigrationUri(raw);
      } catch (e) {
        if (e instanceof MigrationUriError) throw new UsageError(`--incoming: ${e.message}`);
        throw e;
      }
    },
  }),
  /**
   * Where to save the VM when tsvirt is asked to stop (signal, Ctrl-A x) or reaches
   * --max-instructions, or undefined.
   */
  saveOnExit: value({
    name: 'save-on-exit',
    syntax: 'PATH',
    machines: ALL,
    help:
      'when tsvirt is stopped (SIGTERM, SIGINT, SIGHUP, Ctrl-A x) or reaches\n' +
      '--max-instructions, save the whole VM to PATH first; --incoming\n' +
      'file:PATH resumes it',
    parse: (raw) => raw,
  }),
  /** An internal snapshot of the qcow2 disks to start from (QEMU's -loadvm), or undefined. */
  loadvm: value({
    name: 'loadvm',
    syntax: 'TAG',
    machines: VIRT,
    help:
      "start from the disks' internal snapshot TAG (QMP snapshot-save, HMP\n" +
      'savevm): the disks are reverted to it and the VM state stored with it\n' +
      'is loaded instead of booting',
    parse: (raw) => raw,
  }),
  console: value({
    name: 'console',
    syntax: 'stdio|virtio',
    machines: VIRT,
    default: () => 'stdio',
    help: 'the console on the NS16550A (ttyS0, default) or on virtio (hvc0)',
    parse: (raw): 'stdio' | 'virtio' => {
      if (raw === 'stdio' || raw === 'virtio') return raw;
      throw new UsageError(`--console: '${raw}' is not stdio or virtio`);
    },
  }),
  /** QMP servers to listen on (docs/qmp.md). */
  qmp: list({
    name: 'qmp',
    syntax: 'unix:PATH|tcp:HOST:PORT[,server][,wait=on|off]',
    machines: ALL,
    help:
      "a QMP (QEMU's machine protocol) server on a Unix or TCP socket\n" +
      '(repeatable; docs/qmp.md). wait=on (the default) waits for the first\n' +
      'client before the guest starts; wait=off starts it at once',
    parse: (raw): QmpAddress[] =>
      raw.map((text) => {
        try {
          return parseQmpAddress(text);
        } catch (e) {
          if (e instanceof QmpAddressError) throw new UsageError(`--qmp: ${e.message}`);
          throw e;
        }
      }),
  }),
} as const;

/** The parsed options of `tsvirt run`: each field is what its RUN_OPTIONS entry's parser returns. */
export type RunOptions = {
  -readonly [K in keyof typeof RUN_OPTIONS]: ReturnType<(typeof RUN_OPTIONS)[K]['parse']>;
};

const SPECS: readonly AnySpec[] = Object.values(RUN_OPTIONS);

/** "a", "a and b", "a, b and c". */
function listText(items: readonly string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** How parseRunOptions reads a --config file (tests give files without touching the disk). */
export type ReadConfig = (path: string) => string;

const readConfigFile: ReadConfig = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`--config: cannot read '${path}': ${describeFsError(e)}`);
  }
};

/** The option table as the spelling checker and the config reader see it. */
const SPELLED = SPECS.map((s) => ({ name: s.name, short: s.short, takesValue: s.kind !== 'flag' }));
const CONFIG_OPTIONS = SPECS.map((s) => ({ name: s.name, kind: s.kind, syntax: s.syntax, help: s.help }));

/** The JSON Schema of --config files (docs/vm-config.schema.json). */
export function runConfigSchema(): Record<string, unknown> {
  return configSchema(CONFIG_OPTIONS);
}

/**
 * Parse `tsvirt run`'s arguments. With --config FILE, the file's options come first and the
 * command line's after them, so a value given on both wins from the command line and lists add
 * up. Throws a UsageError naming the option (or config key) at fault, with the tsvirt spelling
 * of a QEMU option and the nearest name of a misspelled one.
 */
export function parseRunOptions(argv: string[], readConfig: ReadConfig = readConfigFile): RunOptions {
  const problem = spellingProblem(argv, SPELLED);
  if (problem !== undefined) throw new UsageError(problem);
  const configPath = parseArgv(argv)[RUN_OPTIONS.config.name];
  if (typeof configPath !== 'string') return parseRaw(parseArgv(argv));
  let fromFile: string[];
  try {
    fromFile = configArgs(configPath, readConfig(configPath), CONFIG_OPTIONS);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  return parseRaw(parseArgv([...fromFile, ...argv]));
}

type RawValues = Record<string, string | string[] | boolean | undefined>;

function parseArgv(argv: string[]): RawValues {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries(
        SPECS.map((s) => [
          s.name,
          {
            type: s.kind === 'flag' ? 'boolean' : 'string',
            multiple: s.kind === 'list',
            ...(s.short === undefined ? {} : { short: s.short }),
          },
        ]),
      ),
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return parsed.values as RawValues;
}

function parseRaw(raw: RawValues): RunOptions {
  const given = (name: string): boolean => raw[name] !== undefined;
  const machineText = raw[RUN_OPTIONS.machine.name];
  const machine = parseMachine(typeof machineText === 'string' ? machineText : 'virt');
  for (const s of SPECS) {
    if (s.requiredOn?.includes(machine) && !given(s.name)) {
      throw new UsageError(`--${s.name}${s.syntax === undefined ? '' : ` ${s.syntax}`} is required`);
    }
  }
  const wrong = SPECS.filter((s) => given(s.name) && !s.machines.includes(machine));
  if (wrong.length > 0) {
    const only = wrong[0].machines;
    const same = wrong.filter((s) => s.machines.join() === only.join()).map((s) => `--${s.name}`);
    throw new UsageError(
      `${listText(same)} ${same.length === 1 ? 'applies' : 'apply'} to --machine ${only.join(' or ')} only`,
    );
  }
  const ctx: ParseContext = { machine, given };
  const out: Record<string, unknown> = {};
  for (const [field, s] of Object.entries(RUN_OPTIONS) as [string, AnySpec][]) {
    const r = raw[s.name];
    if (s.kind === 'flag') out[field] = s.parse(r === true, ctx);
    else if (s.kind === 'list') out[field] = s.parse(Array.isArray(r) ? r : [], ctx);
    else out[field] = s.parse(typeof r === 'string' ? r : s.default?.(machine), ctx);
  }
  return out as RunOptions;
}

/** Column of the options' help text in --help. */
const HELP_COLUMN = 26;

/** The options part of --help: each option with its value syntax, the machines that take it, help. */
export function runOptionsHelp(): string {
  const pad = ' '.repeat(HELP_COLUMN);
  let out = '';
  for (const s of SPECS) {
    const left = `  --${s.name}${s.syntax === undefined ? '' : ` ${s.syntax}`}`;
    const only = s.machines.length < MACHINES.length ? `${s.machines.join(', ')}: ` : '';
    const [first, ...rest] = s.help.split('\n');
    out += left.length < HELP_COLUMN - 1 ? left.padEnd(HELP_COLUMN) : `${left}\n${pad}`;
    out += `${only}${first}\n`;
    for (const line of rest) out += `${pad}${line}\n`;
  }
  return out;
}
