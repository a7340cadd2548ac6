// The unpacked extra packages as initramfs members: what dpkg would leave on a merged-/usr Debian
// system (bin, sbin and lib are aliases of their /usr folders, as Debian trixie's libc6 preinst
// makes them), less documentation (the dpkg path-exclude set Debian suggests for minimal systems).

import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { posix } from 'node:path';
import type { CpioEntry } from './cpio.js';

export class TreeError extends Error {}

/** Top-level folders that are symlinks into /usr on a merged-/usr system. */
export const USR_ALIASES = ['bin', 'sbin', 'lib', 'lib64'] as const;

/**
 * Paths left out, as a dpkg `path-exclude` list would (dpkg(1) --path-exclude): manuals, info,
 * translations, lintian overrides and documentation, but each package's copyright file is kept.
 * The guest runs programs in the C locale and has no pager; these are a sixth of QEMU's closure.
 */
export const PATH_EXCLUDES: readonly RegExp[] = [
  /^usr\/share\/doc\/[^/]+\/(?!copyright$)/,
  /^usr\/share\/(man|info|locale|lintian|linda|doc-base)(\/|$)/,
];
/** Name of the marker extractDeb writes at the root of an extracted tree (not package content). */
const EXTRACT_STAMP = '.tsvirt-extracted';

/** `lib/x` → `usr/lib/x`: the path a file gets on a merged-/usr system (others unchanged). */
export function canonicalPath(rel: string): string {
  const top = rel.split('/')[0];
  return (USR_ALIASES as readonly string[]).includes(top) ? `usr/${rel}` : rel;
}

export function excludedPath(rel: string): boolean {
  return PATH_EXCLUDES.some((re) => re.test(rel));
}

/** What went into the tree, for the build log. */
export interface TreeStats {
  files: number;
  bytes: number;
  excludedFiles: number;
  excludedBytes: number;
  /** Files shipped by two packages (the later one is kept, as dpkg does under Replaces). */
  replaced: string[];
}

/**
 * The members for the extracted package trees `roots` (each the output of `dpkg-deb -x`, in unpack
 * order), canonicalised to merged-/usr paths and sorted so that every folder precedes its contents.
 * A symlink moved by canonicalisation with a relative target is made absolute, so it points where it
 * did. A path that is a folder in one package and not in another is a TreeError.
 */
export function packageTreeEntries(roots: readonly string[]): { entries: CpioEntry[]; stats: TreeStats } {
  const byPath = new Map<string, CpioEntry>();
  const stats: TreeStats = { files: 0, bytes: 0, excludedFiles: 0, excludedBytes: 0, replaced: [] };
  const add = (e: CpioEntry, root: string): void => {
    const old = byPath.get(e.path);
    if (old !== undefined) {
      if (old.kind === 'dir' && e.kind === 'dir') return;
      if (old.kind === 'dir' || e.kind === 'dir') {
        throw new TreeError(`${root}: ${e.path} is a ${e.kind} here and a ${old.kind} in another package`);
      }
      stats.replaced.push(e.path);
    }
    byPath.set(e.path, e);
  };
  for (const root of roots) {
    const walk = (rel: string): void => {
      for (const name of readdirSync(posix.join(root, rel)).sort()) {
        const from = rel === '' ? name : `${rel}/${name}`;
        if (from === EXTRACT_STAMP) continue;
        const full = posix.join(root, from);
        const st = lstatSync(full);
        const path = canonicalPath(from);
        if (excludedPath(path)) {
          if (!st.isDirectory()) {
            stats.excludedFiles++;
            stats.excludedBytes += st.size;
            continue;
          }
        }
        const mode = st.mode & 0o7777;
        if (st.isDirectory()) {
          // An excluded folder's contents may still hold kept files (copyright): walk it, and
          // keep the folder only if something in it is kept.
          if (!excludedPath(`${path}/`)) add({ kind: 'dir', path, mode }, root);
          walk(from);
        } else if (st.isSymbolicLink()) {
          let target = readlinkSync(full);
          if (path !== from && !target.startsWith('/')) {
            target = posix.resolve(`/${posix.dirname(from)}`, target);
          }
          add({ kind: 'symlink', path, target }, root);
        } else if (st.isFile()) {
          add({ kind: 'file', path, data: readFileSync(full), mode }, root);
          stats.files++;
          stats.bytes += st.size;
        }
        // dpkg-deb -x makes no device nodes or FIFOs for an unprivileged user; packages ship none.
      }
    };
    walk('');
  }
  // Folders of kept files inside excluded folders (usr/share/doc/<pkg>/ for copyright).
  for (const path of [...byPath.keys()]) {
    for (let p = posix.dirname(path); p !== '.'; p = posix.dirname(p)) {
      if (!byPath.has(p)) byPath.set(p, { kind: 'dir', path: p, mode: 0o755 });
    }
  }
  const entries = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, stats };
}

/**
 * `base` followed by those of `extra` that it does not already have: the builder's own files
 * (/init, /etc/passwd, ...) win over a package's, and a folder present in both is kept once. Any
 * other clash (a folder against a file or symlink) is a TreeError naming the path.
 */
export function mergeEntries(base: readonly CpioEntry[], extra: readonly CpioEntry[]): CpioEntry[] {
  const have = new Map(base.map((e) => [e.path, e]));
  const out = [...base];
  for (const e of extra) {
    const b = have.get(e.path);
    if (b === undefined) out.push(e);
    else if ((b.kind === 'dir') !== (e.kind === 'dir')) {
      throw new TreeError(`${e.path}: a ${e.kind} in the packages, a ${b.kind} in the initramfs itself`);
    }
  }
  return out;
}
