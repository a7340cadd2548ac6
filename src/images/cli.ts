// `tsvirt image`: fetch Debian's riscv64 kernel, BusyBox and OpenSBI (and any extra packages) through
// a private apt and build a bootable initramfs in the user's cache (DESIGN.md section 3, "Guest material").

import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { AptError } from './apt.js';
import { buildImage, BuildError, fileSizeBytes, type BuildResult } from './build.js';
import { CpioError } from './cpio.js';
import { ModinfoError } from './modinfo.js';
import { DebError } from './deb.js';
import { ElfError } from './elfdeps.js';
import { variantName } from './imagekey.js';
import { NESTED_INITRD, NESTED_KERNEL, NESTED_MODULES, NESTED_PACKAGES, NESTED_RUN } from './nested.js';
import { parsePackageList } from './packages.js';
import { TreeError } from './pkgtree.js';
import { ToolError } from './exec.js';
import {
  cacheLayout,
  DEFAULT_MODULES,
  defaultCacheDir,
  OUTPUTS,
  TRIXIE_RISCV64,
  type OutputKey,
} from './layout.js';
import { MIRROR_ENV, MirrorError } from './mirror.js';
import { ModuleError } from './modules.js';

/** Exit status when the image could not be built (the same as `tsvirt run` uses for its own failures). */
export const IMAGE_EXIT_ERROR = 125;

export const IMAGE_HELP = `Usage: tsvirt image [options]

Fetches Debian ${TRIXIE_RISCV64.suite} ${TRIXIE_RISCV64.arch} packages (${TRIXIE_RISCV64.kernelMeta}, \
${TRIXIE_RISCV64.busybox}, ${TRIXIE_RISCV64.opensbi}) through a private apt
configuration (the host's apt state is left alone), caches them, and builds a bootable initramfs.
Progress goes to stderr.

Options:
  --mirror URL        Debian archive to use (default: $${MIRROR_ENV}, else the first Debian
                      archive in the host's /etc/apt/sources.list{,.d/})
  --cache-dir DIR     cache root (default: $XDG_CACHE_HOME/tsvirt or ~/.cache/tsvirt)
  --refresh           update the package lists and download again even when cached
  --modules LIST      comma-separated modules for the initramfs, dependencies added
                      (default: ${DEFAULT_MODULES.join(',')}; '' for none)
  --packages LIST     extra Debian packages (comma- or space-separated) unpacked into the
                      initramfs with their Depends and Pre-Depends (no Recommends), resolved by
                      apt; no maintainer scripts run. Built in images/<name>+pkgs-<hash>/
  --nested            the nested-virtualization guest: adds ${NESTED_PACKAGES.join(',')} and the
                      ${NESTED_MODULES.join(',')} module, and an L2 payload: ${NESTED_KERNEL}, ${NESTED_INITRD}
                      and ${NESTED_RUN} kvm|tcg [COMMAND]. Built in images/<name>+nested/
  --print-paths       print KERNEL=, INITRD=, FW_DYNAMIC=, FW_JUMP=, CONFIG=, VERSION= lines
                      on stdout instead of the summary (builds first if needed)

Outputs, in <cache>/images/${TRIXIE_RISCV64.name}/:
  ${Object.values(OUTPUTS).join(', ')}

Needs apt-get, apt-cache, dpkg-deb, xz and the Debian archive keyring:
  apt-get install apt dpkg xz-utils debian-archive-keyring
`;

export class ImageUsageError extends Error {}

export interface ImageOptions {
  mirror: string | undefined;
  cacheDir: string;
  refresh: boolean;
  modules: string[];
  /** `--packages`, sorted, without duplicates. */
  packages: string[];
  nested: boolean;
  printPaths: boolean;
  help: boolean;
}

/** Parse `tsvirt image` arguments; errors name the option. */
export function parseImageOptions(argv: string[], env: NodeJS.ProcessEnv): ImageOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        mirror: { type: 'string' },
        'cache-dir': { type: 'string' },
        refresh: { type: 'boolean', default: false },
        modules: { type: 'string' },
        packages: { type: 'string' },
        nested: { type: 'boolean', default: false },
        'print-paths': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new ImageUsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v['cache-dir'] !== undefined && v['cache-dir'].trim() === '') {
    throw new ImageUsageError('--cache-dir: must not be empty');
  }
  const modules =
    v.modules === undefined
      ? [...DEFAULT_MODULES]
      : v.modules
          .split(',')
          .map((m) => m.trim())
          .filter((m) => m !== '');
  for (const m of modules) {
    if (!/^[A-Za-z0-9_-]+$/.test(m)) throw new ImageUsageError(`--modules: '${m}' is not a module name`);
  }
  let packages: string[] = [];
  try {
    packages = parsePackageList(v.packages ?? '');
  } catch (e) {
    throw new ImageUsageError((e as Error).message);
  }
  if (v.packages !== undefined && packages.length === 0) {
    throw new ImageUsageError('--packages: no package named');
  }
  return {
    mirror: v.mirror,
    cacheDir: v['cache-dir'] ?? defaultCacheDir(env),
    refresh: v.refresh ?? false,
    modules,
    packages,
    nested: v.nested ?? false,
    printPaths: v['print-paths'] ?? false,
    help: v.help ?? false,
  };
}

/** `KEY=path` lines for scripts: the output keys upper-cased. */
export function pathLines(outputs: Record<OutputKey, string>): string {
  return (Object.keys(OUTPUTS) as OutputKey[]).map((k) => `${k.toUpperCase()}=${outputs[k]}\n`).join('');
}

function humanSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

function summary(name: string, r: BuildResult, seconds: number): string {
  const lines = [
    `${name}: kernel ${r.manifest.kernelRelease} (${r.manifest.kernel.pkg} ${r.manifest.kernel.version}), ` +
      `busybox ${r.manifest.busybox.version}, opensbi ${r.manifest.opensbi.version}`,
    `modules (load order): ${r.modules.join(' ') || '(none)'}`,
  ];
  if (r.builtinModules.length > 0) lines.push(`built in: ${r.builtinModules.join(' ')}`);
  if (r.packages.length > 0) {
    const mib = r.packages.reduce((a, d) => a + d.sizeBytes, 0) / (1024 * 1024);
    lines.push(
      `packages: ${r.packages.length} with dependencies (${mib.toFixed(1)} MiB of .debs; ` +
        `names and versions in ${dirname(r.outputs.initrd)}/.tsvirt-build.json)`,
    );
  }
  for (const k of Object.keys(OUTPUTS) as OutputKey[]) {
    const p = r.outputs[k];
    lines.push(`  ${k.padEnd(10)} ${p}  (${humanSize(fileSizeBytes(p))})`);
  }
  lines.push(
    `done in ${seconds.toFixed(1)} s (${r.fetched ? 'packages fetched' : 'cached packages'}${r.upToDate ? ', outputs up to date' : ''})`,
  );
  return `${lines.join('\n')}\n`;
}

const KNOWN_ERRORS = [
  ImageUsageError,
  MirrorError,
  AptError,
  ToolError,
  DebError,
  ModuleError,
  BuildError,
  CpioError,
  ModinfoError,
  TreeError,
  ElfError,
] as const;

/** Entry point of `tsvirt image`; returns the exit status (0, or 125 with a message on stderr). */
export async function imageMain(argv: string[]): Promise<number> {
  const log = (line: string): void => {
    process.stderr.write(`tsvirt image: ${line}\n`);
  };
  try {
    const o = parseImageOptions(argv, process.env);
    if (o.help) {
      process.stdout.write(IMAGE_HELP);
      return 0;
    }
    const t0 = performance.now();
    const variant = variantName(o.packages, o.nested);
    const result = await buildImage({
      layout: cacheLayout(o.cacheDir, TRIXIE_RISCV64, variant),
      target: TRIXIE_RISCV64,
      mirror: o.mirror,
      env: process.env,
      refresh: o.refresh,
      modules: o.modules,
      packages: o.packages,
      nested: o.nested,
      isRoot: process.getuid?.() === 0,
      log,
    });
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write(
      o.printPaths
        ? pathLines(result.outputs)
        : summary(
            variant === undefined ? TRIXIE_RISCV64.name : `${TRIXIE_RISCV64.name}+${variant}`,
            result,
            seconds,
          ),
    );
    return 0;
  } catch (e) {
    if (KNOWN_ERRORS.some((c) => e instanceof c)) {
      log(`error: ${(e as Error).message}`);
      return IMAGE_EXIT_ERROR;
    }
    // File-system failures in the cache (EACCES, ENOSPC, ...) carry their path in the message.
    if (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string') {
      log(`error: ${e.message}`);
      return IMAGE_EXIT_ERROR;
    }
    throw e;
  }
}
