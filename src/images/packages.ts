// Extra Debian packages for the guest (`tsvirt image --packages`): apt resolves the request against
// the private lists exactly as `apt-get install` would on an empty system (apt-get(8) -s, Depends
// and Pre-Depends recursively, no Recommends or Suggests); the result is cached by request and lists.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  AptError,
  aptArgs,
  fetchedDeb,
  showPackages,
  type AptSession,
  type FetchedDeb,
  type Stanza,
} from './apt.js';
import { run } from './exec.js';

/** Debian Policy §5.6.7: package names are lower case, digits, `+ - .`, at least two characters. */
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;

/**
 * The package names of a `--packages` value (comma- or space-separated), sorted and without
 * duplicates, so the same set always means the same image; throws naming a bad name.
 */
export function parsePackageList(value: string, option = '--packages'): string[] {
  const names = value
    .split(/[\s,]+/)
    .map((n) => n.trim())
    .filter((n) => n !== '');
  for (const n of names) {
    if (!PACKAGE_NAME.test(n)) throw new AptError(`${option}: '${n}' is not a Debian package name`);
  }
  return [...new Set(names)].sort();
}

/** One package apt would install: `Inst NAME [OLD] (VERSION RELEASE [ARCH])` of apt-get -s. */
export interface PlannedPackage {
  pkg: string;
  version: string;
  arch: string;
}

/**
 * The `Inst` lines of `apt-get -s install` output, in apt's unpack order. Other lines (`Conf`,
 * notes, the summary) are ignored; an `Inst` line in another shape is an AptError, since a
 * misread line would silently drop a package.
 */
export function parseSimulatedInstall(text: string): PlannedPackage[] {
  const out: PlannedPackage[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('Inst ')) continue;
    const m = /^Inst (\S+) (?:\[[^\]]*\] )?\((\S+) [^[]*\[([^\]]+)\]\)/.exec(line);
    if (m === null) throw new AptError(`apt-get -s: cannot read '${line}'`);
    out.push({ pkg: m[1], version: m[2], arch: m[3] });
  }
  return out;
}

/** Names in one alternative of a Depends clause: `libfoo1 (>= 1.2) | libbar:any` → foo, bar. */
function alternatives(clause: string): string[] {
  return clause
    .split('|')
    .map((a) => a.trim().split(/[\s(:[]/)[0])
    .filter((a) => a !== '');
}

/**
 * Check that a package set is closed under Depends and Pre-Depends: every clause of every member
 * names (in one of its alternatives) a member or something a member Provides. Version constraints
 * are apt's business; this guards against a plan that lacks a package outright (for instance if
 * the private dpkg status claimed something installed). Returns the unmet `pkg: clause` lines.
 */
export function unmetDependencies(stanzas: Iterable<Stanza>): string[] {
  const all = [...stanzas];
  const provided = new Set<string>();
  for (const st of all) {
    provided.add(st.get('Package') ?? '');
    for (const p of (st.get('Provides') ?? '').split(',')) {
      const name = alternatives(p)[0];
      if (name !== undefined) provided.add(name);
    }
  }
  const unmet: string[] = [];
  for (const st of all) {
    for (const field of ['Pre-Depends', 'Depends']) {
      for (const clause of (st.get(field) ?? '').split(',')) {
        if (clause.trim() === '') continue;
        if (!alternatives(clause).some((a) => provided.has(a))) {
          unmet.push(`${st.get('Package')}: ${field} ${clause.trim()}`);
        }
      }
    }
  }
  return unmet;
}

/** A resolved `--packages` set, as cached in `<pkgDebsDir>/set-<hash>.json`. */
export interface PackageSet {
  /** The request (sorted names). */
  request: string[];
  /** Digest of the Release files the resolution used (see listsDigest). */
  lists: string;
  /** Every package to unpack, in apt's order, with what the download must match. */
  debs: FetchedDeb[];
}

/**
 * Digest of the private lists' (In)Release files, which name every index by hash: a changed digest
 * means Debian published something new. Undefined when there are no lists (nothing fetched yet).
 */
export function listsDigest(listsDir: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(listsDir).filter((n) => /_(In)?Release$/.test(n));
  } catch {
    return undefined;
  }
  if (names.length === 0) return undefined;
  const h = createHash('sha256');
  for (const n of names.sort())
    h.update(n)
      .update('\0')
      .update(readFileSync(join(listsDir, n)));
  return h.digest('hex');
}

/** Where the resolution of `request` is cached. */
export function packageSetPath(pkgDebsDir: string, request: readonly string[]): string {
  const h = createHash('sha256').update(request.join('\n')).digest('hex').slice(0, 16);
  return join(pkgDebsDir, `set-${h}.json`);
}

/** The cached resolution of `request`, if present and for the same request. */
export function readPackageSet(pkgDebsDir: string, request: readonly string[]): PackageSet | undefined {
  try {
    const s = JSON.parse(readFileSync(packageSetPath(pkgDebsDir, request), 'utf8')) as PackageSet;
    return s.request.join('\n') === request.join('\n') ? s : undefined;
  } catch {
    return undefined;
  }
}

/** True when every .deb of the set is in `dir` with its recorded size. */
export function packageSetComplete(dir: string, set: PackageSet): boolean {
  return set.debs.every((d) => {
    try {
      return statSync(join(dir, d.file)).size === d.sizeBytes;
    } catch {
      return false;
    }
  });
}

/**
 * Resolve `request` with apt against the private lists (no network): `apt-get -s install
 * --no-install-recommends` on the private, empty dpkg status lists every package to unpack, then
 * `apt-cache show NAME=VERSION` gives each one's hash and size. The plan is checked to be closed
 * under Depends/Pre-Depends. `runTool` is a fake apt in tests.
 */
export async function resolvePackageSet(
  s: AptSession,
  request: readonly string[],
  lists: string,
  runTool: typeof run = run,
): Promise<PackageSet> {
  const args = aptArgs(s.layout, s.target, s.isRoot);
  s.log(`resolving ${request.join(' ')} (Depends and Pre-Depends; no Recommends or Suggests)`);
  let out: Buffer;
  try {
    out = await runTool(
      'apt-get',
      [
        ...args,
        '-o',
        'APT::Install-Recommends=false',
        '-o',
        'APT::Install-Suggests=false',
        '-s',
        '-q',
        'install',
        ...request,
      ],
      { captureStdout: true },
    );
  } catch (e) {
    throw new AptError(
      `--packages ${request.join(',')}: apt could not resolve the request (see its message above): ` +
        (e as Error).message,
    );
  }
  const plan = parseSimulatedInstall(out.toString('utf8'));
  const planned = new Set(plan.map((p) => p.pkg));
  const missing = request.filter((r) => !planned.has(r));
  if (missing.length > 0) {
    // A virtual package is satisfied by a provider under another name; anything else is odd.
    s.log(`note: ${missing.join(', ')} installed as provided by other packages (virtual)`);
  }
  if (plan.length === 0) throw new AptError(`--packages ${request.join(',')}: apt planned nothing`);
  const info = await showPackages(
    s,
    plan.map((p) => `${p.pkg}=${p.version}`),
    runTool,
  );
  const unmet = unmetDependencies(info.values());
  if (unmet.length > 0) {
    throw new AptError(`apt's plan for ${request.join(',')} is not closed:\n  ${unmet.join('\n  ')}`);
  }
  const debs = plan.map((p) => {
    const st = info.get(p.pkg) as Stanza;
    if (st.get('Version') !== p.version) {
      throw new AptError(`apt-cache show ${p.pkg}=${p.version} answered version ${st.get('Version')}`);
    }
    return fetchedDeb(st);
  });
  return { request: [...request], lists, debs };
}

/**
 * Download the set's missing .debs into `layout.pkgDebsDir` (apt-get download checks each against
 * the signed index), record the set, and delete superseded versions of its packages (and their
 * extracted trees), so the cache grows only with new package names.
 */
export async function downloadPackageSet(
  s: AptSession,
  set: PackageSet,
  runTool: typeof run = run,
): Promise<void> {
  const dir = s.layout.pkgDebsDir;
  mkdirSync(dir, { recursive: true });
  const missing = set.debs.filter((d) => !packageSetComplete(dir, { ...set, debs: [d] }));
  if (missing.length > 0) {
    const sizeMiB = missing.reduce((a, d) => a + d.sizeBytes, 0) / (1024 * 1024);
    s.log(`downloading ${missing.length} of ${set.debs.length} packages (${sizeMiB.toFixed(1)} MiB)`);
    await runTool(
      'apt-get',
      [...aptArgs(s.layout, s.target, s.isRoot), 'download', ...missing.map((d) => `${d.pkg}=${d.version}`)],
      { cwd: dir },
    );
  }
  if (!packageSetComplete(dir, set)) {
    throw new AptError(`apt-get download finished but ${dir} lacks some of the ${set.debs.length} packages`);
  }
  writeFileSync(packageSetPath(dir, set.request), `${JSON.stringify(set, null, 2)}\n`);
  const keep = new Set(set.debs.map((d) => d.file));
  const names = new Set(set.debs.map((d) => d.file.slice(0, d.file.indexOf('_') + 1)));
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.deb') || keep.has(f) || !names.has(f.slice(0, f.indexOf('_') + 1))) continue;
    rmSync(join(dir, f), { force: true });
    rmSync(join(s.layout.pkgExtractDir, basename(f, '.deb')), { recursive: true, force: true });
  }
}
