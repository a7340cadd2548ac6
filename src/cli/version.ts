// `tsvirt --version`: the package version, the git commit of the checkout it runs from (when it
// runs from one) and the Node version, so that a bug report says exactly what ran.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of tsvirt's package.json above this module (dist/cli/ or the dist/ bundle). */
function packageRoot(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
        if (pkg.name === 'tsvirt') return dir;
      } catch {
        // Not ours; keep looking upwards.
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Three lines: `tsvirt VERSION`, `commit HASH` (with " (modified)" when tracked files differ
 * from it, or "unknown" outside a git checkout) and `Node vX.Y.Z`.
 */
export function versionText(): string {
  const root = packageRoot();
  let version = 'unknown';
  let commit = 'unknown (not run from a git checkout)';
  if (root !== undefined) {
    version = String(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown }).version,
    );
    const git = (...args: string[]): { status: number | null; out: string } => {
      const r = spawnSync('git', ['-C', root, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      return { status: r.status, out: (r.stdout ?? '').trim() };
    };
    const head = git('rev-parse', 'HEAD');
    if (head.status === 0 && /^[0-9a-f]{40}$/.test(head.out)) {
      const clean = git('diff-index', '--quiet', 'HEAD', '--').status === 0;
      commit = head.out + (clean ? '' : ' (modified)');
    }
  }
  return `tsvirt ${version}\ncommit ${commit}\nNode ${process.version}\n`;
}
