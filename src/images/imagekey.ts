// The build key: a digest of everything an image's outputs are made from, stored beside them, so
// that the same packages (by version and hash), modules, preset and builder reuse the outputs and
// anything else rebuilds them. CI that runs `tsvirt image --refresh` rebuilds only when Debian moves.

import { createHash } from 'node:crypto';
import type { FetchedDeb } from './apt.js';

/** What an image is built from, apart from the builder's code. */
export interface ImageInputs {
  kernel: FetchedDeb;
  busybox: FetchedDeb;
  opensbi: FetchedDeb;
  /** Requested modules, as given (order is the insertion request order). */
  modules: readonly string[];
  /** Extra packages to unpack (any order: the key sorts them by name). */
  packages: readonly FetchedDeb[];
  /** The nested payload is included. */
  nested: boolean;
}

/**
 * The hex SHA-256 key of `inputs` and `builderDigest`. Packages count by name, version and SHA-256
 * (the archive's hash of the .deb), so a rebuilt package with the same version also changes it.
 */
export function imageKey(inputs: ImageInputs, builderDigest: string): string {
  const deb = (d: FetchedDeb): string[] => [d.pkg, d.version, d.sha256];
  const packages = [...inputs.packages].sort((a, b) => (a.pkg < b.pkg ? -1 : a.pkg > b.pkg ? 1 : 0)).map(deb);
  return createHash('sha256')
    .update(
      JSON.stringify({
        kernel: deb(inputs.kernel),
        busybox: deb(inputs.busybox),
        opensbi: deb(inputs.opensbi),
        modules: inputs.modules,
        packages,
        nested: inputs.nested,
        builder: builderDigest,
      }),
    )
    .digest('hex');
}

/** Digest of the builder's own files (their bytes, in the given order). */
export function builderDigest(files: readonly Uint8Array[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(f);
  return h.digest('hex');
}

/**
 * The output folder's variant name for a package request: `nested` for the preset alone, else
 * `pkgs-<12 hex digits of the sorted request>` (with `nested-` before it when both are given).
 * Undefined for the default image.
 */
export function variantName(packages: readonly string[], nested: boolean): string | undefined {
  if (packages.length === 0) return nested ? 'nested' : undefined;
  const h = createHash('sha256')
    .update([...packages].sort().join('\n'))
    .digest('hex')
    .slice(0, 12);
  return `${nested ? 'nested-' : ''}pkgs-${h}`;
}
