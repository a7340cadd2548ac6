// A private apt for foreign-architecture packages: its own sources.list, lists, cache and empty
// dpkg status under the cache dir, so the host's apt state is never read for packages nor written
// (apt.conf(5) Dir:: options; sources.list(5) signed-by; apt-get(8) download).

import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, which } from './exec.js';
import type { CacheLayout, GuestTarget } from './layout.js';

export class AptError extends Error {}

/** Host tools the builder needs, each with the Debian package that provides it. */
export const HOST_TOOLS: readonly { tool: string; pkg: string }[] = [
  { tool: 'apt-get', pkg: 'apt' },
  { tool: 'apt-cache', pkg: 'apt' },
  { tool: 'dpkg-deb', pkg: 'dpkg' },
  { tool: 'xz', pkg: 'xz-utils' },
];

/**
 * Names of what is missing on the host (tools on $PATH, the archive keyring), as
 * `tool (package)`; empty when all is there. `needApt` is false when the .debs are already cached.
 */
export function missingHostTools(target: GuestTarget, needApt: boolean): string[] {
  const missing: string[] = [];
  for (const { tool, pkg } of HOST_TOOLS) {
    if (!needApt && pkg === 'apt') continue;
    if (which(tool) === undefined) missing.push(`${tool} (${pkg})`);
  }
  if (needApt && !existsSync(target.keyring)) missing.push(`${target.keyring} (debian-archive-keyring)`);
  return missing;
}

/** The one line of the private sources.list. */
export function sourcesListLine(mirror: string, target: GuestTarget): string {
  return `deb [arch=${target.arch} signed-by=${target.keyring}] ${mirror} ${target.suite} ${target.component}`;
}

/**
 * Extra configuration read after the host's apt.conf.d (apt-get -c): the host's hooks must not run
 * for this private apt (they may refresh host caches), and indexes the builder does not use are off.
 */
export const PRIVATE_APT_CONF = `// Written by tsvirt image for its private apt; do not edit.
#clear APT::Update::Pre-Invoke;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
#clear DPkg::Pre-Invoke;
#clear DPkg::Post-Invoke;
#clear DPkg::Pre-Install-Pkgs;
Acquire::Languages "none";
Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled "false";
Acquire::IndexTargets::deb::DEP-11::DefaultEnabled "false";
Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled "false";
Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled "false";
Acquire::IndexTargets::deb::DEP-11-icons-hidpi::DefaultEnabled "false";
Acquire::IndexTargets::deb::DEP-11-icons-large::DefaultEnabled "false";
Acquire::IndexTargets::deb::DEP-11-icons-large-hidpi::DefaultEnabled "false";
`;

/** The arguments that point apt-get/apt-cache at the private state (put before the command). */
export function aptArgs(layout: CacheLayout, target: GuestTarget, isRoot: boolean): string[] {
  const o = (kv: string): string[] => ['-o', kv];
  return [
    '-c',
    layout.aptConf,
    ...o(`Dir::Etc::SourceList=${layout.sourcesList}`),
    ...o('Dir::Etc::SourceParts=/dev/null'),
    ...o(`Dir::Etc::Preferences=${join(layout.aptDir, 'preferences')}`),
    ...o(`Dir::Etc::PreferencesParts=${layout.aptPreferencesDir}`),
    ...o(`Dir::State::Lists=${layout.aptLists}`),
    ...o(`Dir::State::status=${layout.aptStatus}`),
    ...o(`Dir::State::extended_states=${join(layout.aptDir, 'extended_states')}`),
    ...o(`Dir::Cache=${layout.aptCache}`),
    ...o(`APT::Architecture=${target.arch}`),
    ...o(`APT::Architectures::=${target.arch}`),
    ...o('Debug::NoLocking=1'),
    // As root, apt would drop to the _apt user to download, which cannot enter a cache under a
    // private home (it then warns and downloads as root anyway): say so up front.
    ...(isRoot ? o('APT::Sandbox::User=root') : []),
  ];
}

/** Create the private apt tree (idempotent) and (re)write its sources.list for `mirror`. */
export function preparePrivateApt(layout: CacheLayout, target: GuestTarget, mirror: string): void {
  for (const d of [
    join(layout.aptLists, 'partial'),
    join(layout.aptCache, 'archives', 'partial'),
    layout.aptPreferencesDir,
    layout.debsDir,
  ]) {
    mkdirSync(d, { recursive: true });
  }
  writeFileSync(layout.aptConf, PRIVATE_APT_CONF);
  writeFileSync(layout.sourcesList, `${sourcesListLine(mirror, target)}\n`);
  if (!existsSync(layout.aptStatus)) writeFileSync(layout.aptStatus, '');
}

/** One stanza of `apt-cache show` output: field names as written (`Package`, `Version`, ...). */
export type Stanza = Map<string, string>;

/** Split deb822 control text (apt-cache show, Packages files) into stanzas. */
export function parseControl(text: string): Stanza[] {
  const out: Stanza[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const s: Stanza = new Map();
    let last: string | undefined;
    for (const line of block.split('\n')) {
      if (/^[ \t]/.test(line)) {
        if (last !== undefined) s.set(last, `${s.get(last)}\n${line}`);
      } else {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        last = line.slice(0, colon);
        s.set(last, line.slice(colon + 1).trim());
      }
    }
    if (s.has('Package')) out.push(s);
  }
  return out;
}

/**
 * The versioned kernel package a kernel meta-package depends on, from its Depends field
 * (`linux-image-6.12.117+deb13-riscv64 (= 6.12.117-1)` → `linux-image-6.12.117+deb13-riscv64`).
 */
export function kernelPackageFromDepends(depends: string, arch: string): string | undefined {
  const re = new RegExp(`^linux-image-\\d\\S*-${arch}(?:-unsigned)?$`);
  for (const alt of depends.split(/[,|]/)) {
    const name = alt.trim().split(/[\s(:]/)[0];
    if (re.test(name)) return name;
  }
  return undefined;
}

/** `uname -r` of the kernel in a versioned image package (`linux-image-6.12.1+deb13-riscv64` → `6.12.1+deb13-riscv64`). */
export function kernelReleaseOf(pkg: string): string {
  return pkg.replace(/^linux-image-/, '').replace(/-unsigned$/, '');
}

/** The file name `apt-get download` gives a package (apt's pkgAcqArchive: `_` and `:` %-quoted). */
export function debFileName(pkg: string, version: string, arch: string): string {
  const q = (s: string): string => s.replace(/[_:%]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
  return `${q(pkg)}_${q(version)}_${q(arch)}.deb`;
}

/** A downloaded package, as recorded in the manifest. */
export interface FetchedDeb {
  pkg: string;
  version: string;
  sha256: string;
  sizeBytes: number;
  file: string;
}

/** What the cache holds after a fetch: the three packages and the kernel release. */
export interface Manifest {
  mirror: string;
  kernelRelease: string;
  kernel: FetchedDeb;
  busybox: FetchedDeb;
  opensbi: FetchedDeb;
}

/** True when every .deb the manifest names is present with its recorded size. */
export function manifestComplete(layout: CacheLayout, m: Manifest): boolean {
  return [m.kernel, m.busybox, m.opensbi].every((d) => {
    try {
      return statSync(join(layout.debsDir, d.file)).size === d.sizeBytes;
    } catch {
      return false;
    }
  });
}

export interface AptSession {
  layout: CacheLayout;
  target: GuestTarget;
  isRoot: boolean;
  log: (line: string) => void;
}

/**
 * `apt-cache show` of `pkgs` (names, or `name=version`), as stanzas by package name; a name apt
 * does not know is an AptError. `runTool` is replaced by a fake apt in tests.
 */
export async function showPackages(
  s: AptSession,
  pkgs: string[],
  runTool: typeof run = run,
): Promise<Map<string, Stanza>> {
  const out = await runTool(
    'apt-cache',
    [...aptArgs(s.layout, s.target, s.isRoot), 'show', '--no-all-versions', ...pkgs],
    {
      captureStdout: true,
    },
  );
  const byName = new Map<string, Stanza>();
  for (const st of parseControl(out.toString('utf8'))) byName.set(st.get('Package') ?? '', st);
  for (const p of pkgs.map((q) => q.split('=')[0])) {
    if (!byName.has(p))
      throw new AptError(`package ${p} is not in ${s.target.suite}/${s.target.arch} on this mirror`);
  }
  return byName;
}

/** The download record of one `apt-cache show` stanza; an AptError when a field is missing. */
export function fetchedDeb(st: Stanza): FetchedDeb {
  const pkg = st.get('Package') ?? '';
  const version = st.get('Version') ?? '';
  const arch = st.get('Architecture') ?? '';
  const sha256 = st.get('SHA256') ?? '';
  const sizeBytes = Number(st.get('Size') ?? NaN);
  if (version === '' || arch === '' || !/^[0-9a-f]{64}$/.test(sha256) || !Number.isFinite(sizeBytes)) {
    throw new AptError(`apt-cache show ${pkg}: missing Version, Architecture, SHA256 or Size`);
  }
  return { pkg, version, sha256, sizeBytes, file: debFileName(pkg, version, arch) };
}

/** Point the private apt at `mirror` and update its package lists (apt checks the Release signature). */
export async function updateLists(s: AptSession, mirror: string): Promise<void> {
  const { layout, target } = s;
  preparePrivateApt(layout, target, mirror);
  s.log(`updating package lists: ${sourcesListLine(mirror, target)}`);
  try {
    await run('apt-get', [...aptArgs(layout, target, s.isRoot), 'update']);
  } catch (e) {
    throw new AptError(
      `${(e as Error).message}\n  (is ${mirror} reachable, and does it carry ${target.suite} for ${target.arch}? ` +
        `another mirror can be given with --mirror URL)`,
    );
  }
}

/**
 * Update the private lists from `mirror`, resolve the current versioned kernel package, and
 * download the kernel, BusyBox and OpenSBI packages into the debs folder (apt checks the Release
 * signature against the keyring and each file's hash against the signed index). Files already
 * present with the right hash are not downloaded again.
 */
export async function fetchPackages(s: AptSession, mirror: string): Promise<Manifest> {
  const { layout, target } = s;
  await updateLists(s, mirror);
  const args = aptArgs(layout, target, s.isRoot);
  s.log(`resolving ${target.kernelMeta}`);
  const meta = (await showPackages(s, [target.kernelMeta])).get(target.kernelMeta);
  const kernelPkg = kernelPackageFromDepends(meta?.get('Depends') ?? '', target.arch);
  if (kernelPkg === undefined) {
    throw new AptError(`${target.kernelMeta} does not depend on a versioned linux-image package`);
  }
  const info = await showPackages(s, [kernelPkg, target.busybox, target.opensbi]);
  const get = (p: string): FetchedDeb => fetchedDeb(info.get(p) as Stanza);
  const manifest: Manifest = {
    mirror,
    kernelRelease: kernelReleaseOf(kernelPkg),
    kernel: get(kernelPkg),
    busybox: get(target.busybox),
    opensbi: get(target.opensbi),
  };
  const pkgs = [manifest.kernel, manifest.busybox, manifest.opensbi];
  s.log(`downloading ${pkgs.map((d) => `${d.pkg} ${d.version}`).join(', ')}`);
  await run('apt-get', [...args, 'download', ...pkgs.map((d) => `${d.pkg}=${d.version}`)], {
    cwd: layout.debsDir,
  });
  if (!manifestComplete(layout, manifest)) {
    throw new AptError(
      `apt-get download finished but ${layout.debsDir} lacks one of ${pkgs.map((d) => d.file).join(', ')}`,
    );
  }
  writeFileSync(layout.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
