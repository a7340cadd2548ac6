// The guest this builder makes (Debian trixie riscv64, DESIGN.md section 3) and where its pieces
// live in the user's cache directory (XDG Base Directory Specification: $XDG_CACHE_HOME).

import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** What to fetch: one Debian suite and architecture, and the packages that make the guest. */
export interface GuestTarget {
  /** Folder name under images/ and debs/. */
  name: string;
  suite: string;
  component: string;
  arch: string;
  /** Debian multiarch tuple of `arch` (folder names under usr/lib). */
  multiarch: string;
  /** Keyring that signs the archive (the `signed-by` of the private sources.list). */
  keyring: string;
  /** Meta-package that depends on the current versioned kernel image package. */
  kernelMeta: string;
  busybox: string;
  opensbi: string;
}

export const TRIXIE_RISCV64: GuestTarget = {
  name: 'debian-trixie-riscv64',
  suite: 'trixie',
  component: 'main',
  arch: 'riscv64',
  multiarch: 'riscv64-linux-gnu',
  keyring: '/usr/share/keyrings/debian-archive-keyring.gpg',
  kernelMeta: 'linux-image-riscv64',
  busybox: 'busybox-static',
  opensbi: 'opensbi',
};

/** Modules put in the initramfs unless `--modules` says otherwise (dependencies are added). */
export const DEFAULT_MODULES = ['virtio_mmio', 'virtio_blk', 'virtio_net', 'virtio-rng', 'ext4'];

/** Every path the builder reads or writes, derived from one cache root. */
export interface CacheLayout {
  root: string;
  aptDir: string;
  aptConf: string;
  sourcesList: string;
  aptStatus: string;
  aptLists: string;
  aptCache: string;
  aptPreferencesDir: string;
  /** Downloaded .deb files and the manifest naming them. */
  debsDir: string;
  manifest: string;
  /** One folder per extracted .deb. */
  extractDir: string;
  /** Extra packages (`--packages`): their .debs and resolved sets, and their extracted trees. */
  pkgDebsDir: string;
  pkgExtractDir: string;
  /** Final outputs. */
  imageDir: string;
}

/** Output file names inside `imageDir`; also the keys of `--print-paths` (upper-cased). */
export const OUTPUTS = {
  kernel: 'Image',
  initrd: 'initrd.img',
  fw_dynamic: 'fw_dynamic.bin',
  fw_jump: 'fw_jump.bin',
  config: 'config',
  version: 'version',
} as const;

export type OutputKey = keyof typeof OUTPUTS;

/** `--cache-dir`, else $XDG_CACHE_HOME/tsvirt (when absolute, as the spec requires), else ~/.cache/tsvirt. */
export function defaultCacheDir(env: NodeJS.ProcessEnv, home = homedir()): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'tsvirt');
  return join(home, '.cache', 'tsvirt');
}

/**
 * Every path under `root` for `target`. A `variant` (an image with extra packages, see
 * variantName) gets its own output folder `images/<target>+<variant>/`, so that it never replaces
 * the default image; the downloads and extracted packages are shared.
 */
export function cacheLayout(
  root: string,
  target: GuestTarget = TRIXIE_RISCV64,
  variant?: string,
): CacheLayout {
  const r = resolve(root);
  const apt = join(r, 'apt');
  const debs = join(r, 'debs', target.name);
  return {
    root: r,
    aptDir: apt,
    aptConf: join(apt, 'apt.conf'),
    sourcesList: join(apt, 'sources.list'),
    aptStatus: join(apt, 'status'),
    aptLists: join(apt, 'lists'),
    aptCache: join(apt, 'cache'),
    aptPreferencesDir: join(apt, 'preferences.d'),
    debsDir: debs,
    manifest: join(debs, 'manifest.json'),
    extractDir: join(r, 'extract', target.name),
    pkgDebsDir: join(r, 'debs', `${target.name}-packages`),
    pkgExtractDir: join(r, 'extract', `${target.name}-packages`),
    imageDir: join(r, 'images', variant === undefined ? target.name : `${target.name}+${variant}`),
  };
}

export function outputPath(layout: CacheLayout, key: OutputKey): string {
  return join(layout.imageDir, OUTPUTS[key]);
}
