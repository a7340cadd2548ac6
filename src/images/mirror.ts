// Finds the Debian mirror to fetch guest packages from: the host's apt sources, in the two formats
// of sources.list(5) (one-line style and deb822 style), unless the user names one.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One `deb` source as apt would read it (a deb822 stanza yields one per URI). */
export interface AptSource {
  uri: string;
  suites: string[];
  components: string[];
  signedBy: string | undefined;
  /** The file it came from, for messages. */
  origin: string;
}

/** Environment variable that overrides the host's sources (the `--mirror` option wins over it). */
export const MIRROR_ENV = 'TSVIRT_DEBIAN_MIRROR';

export class MirrorError extends Error {}

/** Parse a one-line-style sources.list: `deb [opt=val ...] URI suite [component...]`. */
export function parseOneLineSources(text: string, origin: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const m = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (m === null || m[1] !== 'deb') continue;
    const opts = new Map<string, string>();
    for (const kv of (m[2] ?? '').trim().split(/\s+/)) {
      const eq = kv.indexOf('=');
      if (eq > 0) opts.set(kv.slice(0, eq).toLowerCase(), kv.slice(eq + 1));
    }
    out.push({
      uri: m[3],
      suites: [m[4]],
      components: m[5].split(/\s+/).filter((c) => c !== ''),
      signedBy: opts.get('signed-by'),
      origin,
    });
  }
  return out;
}

/**
 * Parse deb822-style `.sources` text: stanzas separated by blank lines, `Field: value` with
 * continuation lines that start with white space, `#` comment lines, `Enabled: no` to switch one off.
 */
export function parseDeb822Sources(text: string, origin: string): AptSource[] {
  const out: AptSource[] = [];
  for (const stanza of text.split(/\n[ \t]*\n/)) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#')) continue;
      if (/^[ \t]/.test(line)) {
        if (last !== undefined && line.trim() !== '.') fields.set(last, `${fields.get(last)} ${line.trim()}`);
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      last = line.slice(0, colon).trim().toLowerCase();
      fields.set(last, line.slice(colon + 1).trim());
    }
    const words = (k: string): string[] => (fields.get(k) ?? '').split(/\s+/).filter((w) => w !== '');
    if (!words('types').includes('deb')) continue;
    if (/^(no|false|0)$/i.test(fields.get('enabled') ?? 'yes')) continue;
    const signedBy = fields.get('signed-by');
    for (const uri of words('uris')) {
      out.push({
        uri,
        suites: words('suites'),
        components: words('components'),
        // An inline key block (a "-----BEGIN PGP" value) is not a path; keep only file names.
        signedBy: signedBy !== undefined && signedBy.startsWith('/') ? signedBy.split(/\s+/)[0] : undefined,
        origin,
      });
    }
  }
  return out;
}

/** Debian release code names (not "stable" and the like, which third-party archives use too). */
const DEBIAN_SUITE =
  /^(buster|bullseye|bookworm|trixie|forky|duke|sid)(-updates|-backports|-proposed-updates)?$/;

function isSecurity(s: AptSource): boolean {
  return /security/i.test(s.uri) || s.suites.some((x) => /-security$|\/updates$/.test(x));
}

function pathSegments(uri: string): string[] {
  const m = /^[a-z][a-z0-9+.-]*:(?:\/\/[^/]*)?(\/.*)?$/i.exec(uri);
  return (m?.[1] ?? '').split('/').filter((p) => p !== '');
}

/**
 * Choose the first source that is the Debian archive proper: not a security archive, and either its
 * URI has a `debian` path segment (`…/debian`, `…/archive/debian/<date>`) or, failing any such,
 * it is signed by a Debian archive keyring or names a Debian suite. Returns the URI without a
 * trailing slash, or undefined.
 */
export function pickDebianMirror(sources: readonly AptSource[]): string | undefined {
  const candidates = sources.filter((s) => !isSecurity(s) && !s.uri.startsWith('cdrom:'));
  const byPath = candidates.find((s) => pathSegments(s.uri).some((p) => p.toLowerCase() === 'debian'));
  const byKey = candidates.find(
    (s) => /debian-archive-keyring/.test(s.signedBy ?? '') || s.suites.some((x) => DEBIAN_SUITE.test(x)),
  );
  const pick = byPath ?? byKey;
  return pick === undefined ? undefined : pick.uri.replace(/\/+$/, '');
}

/** Read every source apt would: `sources.list`, then `sources.list.d/*.list` and `*.sources` in name order. */
export function readHostSources(aptEtc = '/etc/apt'): AptSource[] {
  const out: AptSource[] = [];
  const tryRead = (path: string): string | undefined => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
  const main = join(aptEtc, 'sources.list');
  const mainText = tryRead(main);
  if (mainText !== undefined) out.push(...parseOneLineSources(mainText, main));
  let names: string[] = [];
  try {
    names = readdirSync(join(aptEtc, 'sources.list.d')).sort();
  } catch {
    names = [];
  }
  for (const name of names) {
    const path = join(aptEtc, 'sources.list.d', name);
    if (name.endsWith('.list')) out.push(...parseOneLineSources(tryRead(path) ?? '', path));
    else if (name.endsWith('.sources')) out.push(...parseDeb822Sources(tryRead(path) ?? '', path));
  }
  return out;
}

/** Check that a user-given mirror looks like a URI apt can use. */
export function validateMirror(uri: string, from: string): string {
  const u = uri.trim();
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(u)) {
    throw new MirrorError(`${from}: '${uri}' is not a URI (expected e.g. http://HOST/debian)`);
  }
  return u.replace(/\/+$/, '');
}

/**
 * Decide the mirror: `--mirror` first, then $TSVIRT_DEBIAN_MIRROR, then the host's apt sources.
 * `origin` says where it came from (for the progress line); `readSources` is injectable for tests.
 */
export function resolveMirror(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  readSources: () => AptSource[] = () => readHostSources(),
): { uri: string; origin: string } {
  if (flag !== undefined) return { uri: validateMirror(flag, '--mirror'), origin: '--mirror' };
  const fromEnv = env[MIRROR_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { uri: validateMirror(fromEnv, MIRROR_ENV), origin: MIRROR_ENV };
  }
  const sources = readSources();
  const uri = pickDebianMirror(sources);
  if (uri === undefined) {
    throw new MirrorError(
      `no Debian archive found in the host's apt sources (/etc/apt/sources.list, ` +
        `/etc/apt/sources.list.d/); pass --mirror URL or set ${MIRROR_ENV}`,
    );
  }
  const origin = sources.find((s) => s.uri.replace(/\/+$/, '') === uri)?.origin ?? 'apt sources';
  return { uri, origin };
}
