// The image build, step by step: fetch (or reuse) the packages, extract them, check the kernel, pick
// the modules, add any extra packages and the nested payload, assemble the initramfs and write the
// outputs. Each step logs one line to stderr.

import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, relative } from 'node:path';
import {
  fetchPackages,
  manifestComplete,
  missingHostTools,
  updateLists,
  type AptSession,
  type FetchedDeb,
  type Manifest,
} from './apt.js';
import type { CpioEntry } from './cpio.js';
import { checkRiscvElf, checkRiscvImage, extractDeb, findBusybox, findFirmware, kernelFiles } from './deb.js';
import { run, ToolError } from './exec.js';
import { checkLoadable, debianSystemDirs, isElf64, treeOfEntries } from './elfdeps.js';
import { builderDigest, imageKey } from './imagekey.js';
import { compressInitramfs, initramfsEntries } from './initramfs.js';
import { NESTED_MODULES, NESTED_PACKAGES, nestedPayloadEntries } from './nested.js';
import {
  downloadPackageSet,
  listsDigest,
  packageSetComplete,
  readPackageSet,
  resolvePackageSet,
  type PackageSet,
} from './packages.js';
import { packageTreeEntries } from './pkgtree.js';
import { outputPath, OUTPUTS, type CacheLayout, type GuestTarget, type OutputKey } from './layout.js';
import { resolveMirror } from './mirror.js';
import {
  modulesAliasText,
  modulesDepText,
  parseBuiltinAliases,
  parseKernelConfig,
  parseModulesBuiltin,
  parseModulesOrder,
  planModules,
} from './modules.js';

export class BuildError extends Error {}

export interface BuildOptions {
  layout: CacheLayout;
  target: GuestTarget;
  /** `--mirror`, if given. */
  mirror: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Update the lists and download again even when the .debs are cached. */
  refresh: boolean;
  /** Requested module names (dependencies are added). */
  modules: readonly string[];
  /** Extra Debian packages (`--packages`, sorted); their dependencies are added. */
  packages: readonly string[];
  /** The nested preset: QEMU and kvm added, and the L2 payload under /nested. */
  nested: boolean;
  isRoot: boolean;
  log: (line: string) => void;
}

export interface BuildResult {
  manifest: Manifest;
  outputs: Record<OutputKey, string>;
  /** Names of the modules in the initramfs, in load order, and of requested ones built in. */
  modules: string[];
  builtinModules: string[];
  /** The extra packages unpacked (with their dependencies), empty for the default image. */
  packages: FetchedDeb[];
  /** Whether the network was used this run, and whether the outputs were already up to date. */
  fetched: boolean;
  upToDate: boolean;
}

/** Written next to the outputs: what they were built from (see imagekey.ts). */
interface BuildStamp {
  key: string;
  modules: string[];
  builtinModules: string[];
  packages?: FetchedDeb[];
}

const STAMP_FILE = '.tsvirt-build.json';

/** This builder's own code, part of the build key so a changed builder rebuilds the outputs. */
const BUILDER_FILES = [
  'build.js',
  'initramfs.js',
  'modules.js',
  'modinfo.js',
  'cpio.js',
  'deb.js',
  'pkgtree.js',
  'nested.js',
  'elfdeps.js',
];
/** Where those files are: this module's directory, or dist/images/ beside the bundled CLI. */
const BUILDER_DIR = new URL(
  import.meta.url.endsWith('/images/build.js') ? './' : './images/',
  import.meta.url,
);

function readStamp(path: string): BuildStamp | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
}

/** Kernel options the initramfs and /init rely on. */
const REQUIRED_CONFIG: readonly [string, string][] = [
  ['CONFIG_BLK_DEV_INITRD', 'an initramfs'],
  ['CONFIG_RD_GZIP', 'a gzip-compressed initramfs'],
  ['CONFIG_DEVTMPFS', 'devtmpfs on /dev'],
  ['CONFIG_BINFMT_SCRIPT', 'a shell-script /init'],
];

function readManifest(layout: CacheLayout): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(layout.manifest, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** Write `data` (or copy `from`) to `path` through a temporary name, so readers never see half a file. */
function writeAtomic(path: string, content: { data: Uint8Array | string } | { from: string }): void {
  const tmp = `${path}.tmp-${process.pid}`;
  if ('from' in content) copyFileSync(content.from, tmp);
  else writeFileSync(tmp, content.data);
  renameSync(tmp, path);
}

async function getPackages(o: BuildOptions): Promise<{ manifest: Manifest; fetched: boolean }> {
  const cached = readManifest(o.layout);
  const reuse = !o.refresh && cached !== undefined && manifestComplete(o.layout, cached);
  const missing = missingHostTools(o.target, !reuse);
  if (missing.length > 0) {
    throw new ToolError(
      `missing on this host: ${missing.join(', ')}\n` +
        `  install with: apt-get install apt dpkg xz-utils debian-archive-keyring`,
    );
  }
  if (reuse) {
    o.log(
      `using cached packages in ${o.layout.debsDir} (kernel ${cached.kernelRelease}; --refresh to update)`,
    );
    return { manifest: cached, fetched: false };
  }
  const mirror = resolveMirror(o.mirror, o.env);
  o.log(`mirror ${mirror.uri} (from ${mirror.origin})`);
  const manifest = await fetchPackages(
    { layout: o.layout, target: o.target, isRoot: o.isRoot, log: o.log },
    mirror.uri,
  );
  pruneCache(o.layout, manifest);
  return { manifest, fetched: true };
}

/** After a fetch, remove .debs and extracted trees of versions the manifest no longer names. */
function pruneCache(layout: CacheLayout, m: Manifest): void {
  const keep = [m.kernel, m.busybox, m.opensbi].map((d) => d.file);
  for (const name of readdirSync(layout.debsDir)) {
    if (name.endsWith('.deb') && !keep.includes(name)) rmSync(join(layout.debsDir, name), { force: true });
  }
  let extracted: string[] = [];
  try {
    extracted = readdirSync(layout.extractDir);
  } catch {
    extracted = [];
  }
  const keepDirs = keep.map((f) => basename(f, '.deb'));
  for (const name of extracted) {
    // A `.partial-<pid>` tree belongs to a running extraction unless that process is gone.
    const pid = /\.partial-(\d+)$/.exec(name)?.[1];
    if (keepDirs.includes(name) || (pid !== undefined && processAlive(Number(pid)))) continue;
    rmSync(join(layout.extractDir, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function extract(o: BuildOptions, deb: FetchedDeb): Promise<string> {
  const dest = join(o.layout.extractDir, basename(deb.file, '.deb'));
  const src = join(o.layout.debsDir, deb.file);
  mkdirSync(o.layout.extractDir, { recursive: true });
  if (await extractDeb(src, deb.sha256, dest)) o.log(`extracted ${deb.file}`);
  return dest;
}

/**
 * Reader of uncompressed modules by modules.order path (`kernel/…/x.ko`): the package stores them
 * as `.ko.xz` (decompressed with xz(1)) or plain `.ko`. Each file is read once.
 */
function moduleReader(modulesDir: string): (path: string) => Promise<Uint8Array> {
  const memo = new Map<string, Promise<Uint8Array>>();
  return (path) => {
    let p = memo.get(path);
    if (p === undefined) {
      const file = join(modulesDir, path);
      if (existsSync(`${file}.xz`)) p = run('xz', ['-dc', `${file}.xz`], { captureStdout: true });
      else if (existsSync(file)) p = Promise.resolve(readFileSync(file));
      else
        p = Promise.reject(
          new BuildError(`kernel package: module ${path}(.xz) is missing under ${modulesDir}`),
        );
      memo.set(path, p);
    }
    return p;
  };
}

/**
 * The resolved package set for the full request (`--packages` plus the preset's), reused from the
 * cache unless `--refresh` was given or the lists changed since; apt runs offline against the
 * private lists (updated first only if there are none yet), then the missing .debs are downloaded.
 */
async function getPackageSet(
  o: BuildOptions,
  request: readonly string[],
  mirror: string,
): Promise<{ set: PackageSet; fetched: boolean }> {
  const s: AptSession = { layout: o.layout, target: o.target, isRoot: o.isRoot, log: o.log };
  const cached = readPackageSet(o.layout.pkgDebsDir, request);
  let lists = listsDigest(o.layout.aptLists);
  if (
    !o.refresh &&
    cached !== undefined &&
    (lists === undefined || lists === cached.lists) &&
    packageSetComplete(o.layout.pkgDebsDir, cached)
  ) {
    o.log(`using the cached resolution of ${request.join(' ')} (${cached.debs.length} packages)`);
    return { set: cached, fetched: false };
  }
  const missing = missingHostTools(o.target, true);
  if (missing.length > 0) {
    throw new ToolError(
      `missing on this host: ${missing.join(', ')}\n` +
        `  install with: apt-get install apt dpkg xz-utils debian-archive-keyring`,
    );
  }
  if (lists === undefined) {
    await updateLists(s, mirror);
    lists = listsDigest(o.layout.aptLists) ?? '';
  }
  const set = await resolvePackageSet(s, request, lists);
  await downloadPackageSet(s, set);
  return { set, fetched: true };
}

/**
 * Build (or rebuild from the cache) the guest image; see the file comment for the steps. When the
 * outputs exist and were built from the same packages, modules and builder, nothing is redone.
 */
export async function buildImage(o: BuildOptions): Promise<BuildResult> {
  const { manifest, fetched: fetchedBase } = await getPackages(o);
  const rel = manifest.kernelRelease;
  const request = [...new Set([...o.packages, ...(o.nested ? NESTED_PACKAGES : [])])].sort();
  const modules = [...new Set([...o.modules, ...(o.nested ? NESTED_MODULES : [])])];
  let pkgSet: PackageSet | undefined;
  let fetched = fetchedBase;
  if (request.length > 0) {
    const r = await getPackageSet(o, request, manifest.mirror);
    pkgSet = r.set;
    fetched ||= r.fetched;
  }
  const outputs = Object.fromEntries(
    (Object.keys(OUTPUTS) as OutputKey[]).map((key) => [key, outputPath(o.layout, key)]),
  ) as Record<OutputKey, string>;
  const stampPath = join(o.layout.imageDir, STAMP_FILE);
  const key = imageKey(
    {
      kernel: manifest.kernel,
      busybox: manifest.busybox,
      opensbi: manifest.opensbi,
      modules,
      packages: pkgSet?.debs ?? [],
      nested: o.nested,
    },
    builderDigest(BUILDER_FILES.map((f) => readFileSync(new URL(f, BUILDER_DIR)))),
  );
  const stamp = readStamp(stampPath);
  if (stamp?.key === key && Object.values(outputs).every((p) => existsSync(p))) {
    o.log(`outputs in ${o.layout.imageDir} are up to date`);
    return {
      manifest,
      outputs,
      modules: stamp.modules,
      builtinModules: stamp.builtinModules,
      packages: stamp.packages ?? [],
      fetched,
      upToDate: true,
    };
  }
  const [kernelRoot, busyboxRoot, opensbiRoot] = [
    await extract(o, manifest.kernel),
    await extract(o, manifest.busybox),
    await extract(o, manifest.opensbi),
  ];

  const k = kernelFiles(kernelRoot, rel);
  const imageBytes = readFileSync(k.image);
  checkRiscvImage(imageBytes, relative(o.layout.root, k.image));
  const configText = readFileSync(k.config, 'utf8');
  const config = parseKernelConfig(configText);
  for (const [sym, why] of REQUIRED_CONFIG) {
    if (config.get(sym) !== 'y') throw new BuildError(`kernel ${rel}: ${sym} is not =y, needed for ${why}`);
  }
  const builtinText = readFileSync(join(k.modulesDir, 'modules.builtin'), 'utf8');
  const plan = await planModules(modules, {
    kernelRelease: rel,
    order: parseModulesOrder(readFileSync(join(k.modulesDir, 'modules.order'), 'utf8')),
    builtin: parseModulesBuiltin(builtinText),
    builtinAliases: parseBuiltinAliases(readFileSync(join(k.modulesDir, 'modules.builtin.modinfo'))),
    config,
    read: moduleReader(k.modulesDir),
  });
  o.log(
    `modules in load order: ${plan.load.map((m) => m.name).join(' ') || '(none)'}` +
      (plan.builtin.length > 0 ? `; built in: ${plan.builtin.join(' ')}` : ''),
  );
  for (const note of plan.notes) o.log(`note: ${note}`);

  const busyboxPath = findBusybox(busyboxRoot);
  const busybox = readFileSync(busyboxPath);
  checkRiscvElf(busybox, relative(o.layout.root, busyboxPath));
  const fwDynamic = findFirmware(opensbiRoot, OUTPUTS.fw_dynamic, o.target.multiarch);
  const fwJump = findFirmware(opensbiRoot, OUTPUTS.fw_jump, o.target.multiarch);

  const extra = pkgSet === undefined ? [] : await packageEntries(o, pkgSet);
  if (o.nested) extra.push(...nestedPayloadEntries(imageBytes, busybox));
  const entries = initramfsEntries({
    kernelRelease: rel,
    busybox,
    modules: plan.load,
    modulesDep: modulesDepText(plan),
    modulesAlias: modulesAliasText(plan),
    modulesBuiltin: builtinText,
    hostname: 'tsvirt',
    extra,
  });
  if (pkgSet !== undefined) checkPrograms(o, entries);
  o.log(`compressing the initramfs (${entries.length} members)`);
  const initrd = compressInitramfs(entries);

  mkdirSync(o.layout.imageDir, { recursive: true });
  rmSync(stampPath, { force: true });
  writeAtomic(outputs.kernel, { data: imageBytes });
  writeAtomic(outputs.initrd, { data: initrd });
  writeAtomic(outputs.fw_dynamic, { from: fwDynamic });
  writeAtomic(outputs.fw_jump, { from: fwJump });
  writeAtomic(outputs.config, { data: configText });
  writeAtomic(outputs.version, { data: `${rel}\n` });
  const done: BuildStamp = {
    key,
    modules: plan.load.map((m) => m.name),
    builtinModules: plan.builtin,
    packages: pkgSet?.debs ?? [],
  };
  writeAtomic(stampPath, { data: `${JSON.stringify(done, null, 2)}\n` });
  return {
    manifest,
    outputs,
    modules: done.modules,
    builtinModules: done.builtinModules,
    packages: done.packages ?? [],
    fetched,
    upToDate: false,
  };
}

/** Extract the set's packages and turn their trees into initramfs members (pkgtree.ts). */
async function packageEntries(o: BuildOptions, set: PackageSet): Promise<CpioEntry[]> {
  mkdirSync(o.layout.pkgExtractDir, { recursive: true });
  const roots: string[] = [];
  let extracted = 0;
  for (const d of set.debs) {
    const dest = join(o.layout.pkgExtractDir, basename(d.file, '.deb'));
    if (await extractDeb(join(o.layout.pkgDebsDir, d.file), d.sha256, dest)) extracted++;
    roots.push(dest);
  }
  if (extracted > 0) o.log(`extracted ${extracted} of ${set.debs.length} packages`);
  const { entries, stats } = packageTreeEntries(roots);
  const mib = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  o.log(
    `packages: ${stats.files} files, ${mib(stats.bytes)} ` +
      `(left out ${stats.excludedFiles} files, ${mib(stats.excludedBytes)} of documentation)`,
  );
  if (stats.replaced.length > 0)
    o.log(`note: files shipped twice, the later kept: ${stats.replaced.join(' ')}`);
  return entries;
}

/**
 * Every ELF program in /usr/bin and /usr/sbin must find its interpreter and all its libraries in
 * the initramfs, the way ld.so searches without an ld.so.cache (no ldconfig runs): a BuildError
 * otherwise, naming what is missing.
 */
function checkPrograms(o: BuildOptions, entries: readonly CpioEntry[]): void {
  const tree = treeOfEntries(entries);
  const dirs = debianSystemDirs(o.target.multiarch);
  const missing: string[] = [];
  let programs = 0;
  for (const e of entries) {
    if (e.kind !== 'file' || !/^usr\/s?bin\/[^/]+$/.test(e.path) || !isElf64(e.data)) continue;
    if (e.path === 'usr/bin/busybox') continue;
    programs++;
    missing.push(...checkLoadable(tree, `/${e.path}`, dirs).missing);
  }
  if (missing.length > 0) {
    throw new BuildError(`programs in the initramfs cannot be loaded; missing:\n  ${missing.join('\n  ')}`);
  }
  o.log(`checked ${programs} programs: each finds its ELF interpreter and libraries`);
}

/** Size of a file in bytes (for the summary). */
export function fileSizeBytes(path: string): number {
  return statSync(path).size;
}
