// Opening the backend a `--disk` spec describes: a raw image (read-write or read-only), or a
// read-only base under a persistent or temporary copy-on-write overlay.

import type { BlockBackend } from './backend.js';
import { OverlayBackend, type OverlayCreateOptions } from './overlay.js';
import { OverlayError } from './overlay-format.js';
import { RawFileBackend } from './raw.js';
import type { DiskSpec } from './spec.js';

/**
 * A disk that could not be opened. The message names the option and file at fault and the reason
 * (host error, corrupt or mismatched overlay); `cause` holds the original error.
 */
export class DiskOpenError extends Error {
  constructor(where: string, reason: string, cause: unknown) {
    super(`--disk ${where}: ${reason}`, { cause });
  }
}

/**
 * Open the backend for `spec`. With `overlay` or `snapshot` the base file is opened read-only and
 * never modified; the returned backend owns (and closes) it. The caller closes the backend at
 * exit, which flushes it. Rejects with {@link DiskOpenError}.
 */
export async function openDisk(
  spec: DiskSpec,
  overlayOpts: OverlayCreateOptions = {},
): Promise<BlockBackend> {
  const baseReadOnly = spec.readOnly || spec.overlay !== undefined || spec.snapshot;
  let base: RawFileBackend;
  try {
    base = await RawFileBackend.open(spec.file, { readOnly: baseReadOnly });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const hint =
      !baseReadOnly && (code === 'EACCES' || code === 'EROFS' || code === 'EPERM')
        ? ` (add ',readonly', or ',snapshot' to keep changes in a temporary overlay)`
        : '';
    throw new DiskOpenError(`file=${spec.file}`, reason(e) + hint, e);
  }
  if (base.sizeBytes === 0) {
    await base.close();
    throw new DiskOpenError(`file=${spec.file}`, 'the image is smaller than one 512-byte sector', undefined);
  }
  // On failure the overlay has closed the base already.
  if (spec.overlay !== undefined) {
    try {
      return await OverlayBackend.open(base, spec.overlay, overlayOpts);
    } catch (e) {
      throw new DiskOpenError(`overlay=${spec.overlay}`, reason(e), e);
    }
  }
  if (spec.snapshot) {
    try {
      return await OverlayBackend.openSnapshot(base, overlayOpts);
    } catch (e) {
      throw new DiskOpenError('snapshot', `cannot create the temporary overlay: ${reason(e)}`, e);
    }
  }
  return base;
}

function reason(e: unknown): string {
  if (e instanceof OverlayError) return e.problem;
  return e instanceof Error ? e.message : String(e);
}
