// Opening the backend a `--disk` spec describes: a raw or qcow2 image (format given or detected
// from the header, backing chains followed), read-write or read-only, or a read-only base under
// a copy-on-write overlay: a qcow2 file whose backing file is the base (tsvirt's own overlay
// format of earlier versions is still read), or a temporary one that is gone at exit.

import { randomBytes } from 'node:crypto';
import { realpath, rm, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { BlockBackend } from './backend.js';
import { DETECT_BYTES, detectFormat } from './detect.js';
import { openHostFile, type OpenHostFile } from './host-file.js';
import { OverlayBackend, publish, syncDirectory, type OverlayCreateOptions } from './overlay.js';
import { OverlayError } from './overlay-format.js';
import { Qcow2Backend } from './qcow2.js';
import { Qcow2Error } from './qcow2-format.js';
import { RawFileBackend } from './raw.js';
import type { DiskFormat, DiskSpec } from './spec.js';

/** Longest backing chain followed (deeper is taken for a loop). */
export const MAX_BACKING_DEPTH = 16;
/** Cluster size of the qcow2 overlays tsvirt creates (QEMU's default). */
const OVERLAY_CLUSTER_BITS = 16;

/**
 * A disk that could not be opened. The message names the option and file at fault and the reason
 * (host error, corrupt or mismatched image or overlay); `cause` holds the original error.
 */
export class DiskOpenError extends Error {
  constructor(where: string, reason: string, cause: unknown) {
    super(`--disk ${where}: ${reason}`, { cause });
  }
}

/** Options of {@link openImage}. */
export interface ImageOpenOptions {
  readOnly: boolean;
  /** The format; undefined: detected from the header. */
  format?: DiskFormat;
  openFile?: OpenHostFile;
  /** Backing files followed so far (to stop loops). */
  depth?: number;
}

/** The first bytes of `path` (fewer for a shorter file). */
async function head(path: string, openFile: OpenHostFile): Promise<Uint8Array> {
  const f = await openFile(path, 'r');
  try {
    const buf = new Uint8Array(DETECT_BYTES);
    const { bytesRead } = await f.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await f.close();
  }
}

/**
 * Open the image at `path` as `opts.format`, or as the format its header shows. A qcow2 image's
 * backing file is opened read-only, resolved against the image's directory when relative, in the
 * format its header extension names (else detected). Rejects with a Qcow2Error for corrupt or
 * unsupported images and formats, or with the host error.
 */
export async function openImage(path: string, opts: ImageOpenOptions): Promise<BlockBackend> {
  const openFile = opts.openFile ?? openHostFile;
  const depth = opts.depth ?? 0;
  let format = opts.format;
  if (format === undefined) {
    const d = detectFormat(await head(path, openFile));
    if (d.kind === 'unsupported') {
      throw new Qcow2Error(
        path,
        `is a ${d.name} image, which tsvirt does not read (convert it: qemu-img convert -O qcow2)`,
        'disk image',
      );
    }
    if (d.kind === 'qcow1')
      throw new Qcow2Error(
        path,
        'is a qcow version 1 image (convert it: qemu-img convert -O qcow2)',
        'disk image',
      );
    if (d.kind === 'tsvirt-overlay') {
      throw new Qcow2Error(
        path,
        'is a tsvirt overlay: give its base as file= and it as overlay=',
        'disk image',
      );
    }
    format = d.kind;
  } else if (format === 'qcow2' && detectFormat(await head(path, openFile)).kind !== 'qcow2') {
    throw new Qcow2Error(path, 'format=qcow2 was given, but the file is not a qcow2 image (bad magic)');
  }
  if (format === 'raw') {
    const raw = await RawFileBackend.open(path, { readOnly: opts.readOnly, openFile: opts.openFile });
    if (raw.sizeBytes === 0) {
      await raw.close();
      throw new Qcow2Error(path, 'the image is smaller than one 512-byte sector');
    }
    return raw;
  }
  return Qcow2Backend.open(path, {
    readOnly: opts.readOnly,
    openFile: opts.openFile,
    openBacking: async (name, backingFormat) => {
      if (depth + 1 > MAX_BACKING_DEPTH) {
        throw new Qcow2Error(path, `backing chain deeper than ${MAX_BACKING_DEPTH} files (a loop?)`);
      }
      if (backingFormat !== undefined && backingFormat !== 'raw' && backingFormat !== 'qcow2') {
        throw new Qcow2Error(
          path,
          `backing file '${name}' has format '${backingFormat}', which tsvirt does not read`,
        );
      }
      const backingPath = isAbsolute(name) ? name : join(dirname(path), name);
      try {
        return await openImage(backingPath, {
          readOnly: true,
          format: backingFormat,
          openFile: opts.openFile,
          depth: depth + 1,
        });
      } catch (e) {
        if (e instanceof Qcow2Error) throw e;
        throw new Qcow2Error(path, `cannot open its backing file '${backingPath}': ${reason(e)}`);
      }
    },
  });
}

/**
 * Open the backend for `spec`. With `overlay` or `snapshot` the base image is opened read-only
 * and never modified. The caller closes the backend at exit, which flushes it. Rejects with
 * {@link DiskOpenError}.
 */
export async function openDisk(
  spec: DiskSpec,
  overlayOpts: OverlayCreateOptions = {},
): Promise<BlockBackend> {
  const baseReadOnly = spec.readOnly || spec.overlay !== undefined || spec.snapshot;
  const openBase = async (): Promise<BlockBackend> => {
    try {
      return await openImage(spec.file, {
        readOnly: baseReadOnly,
        format: spec.format,
        openFile: overlayOpts.openFile,
      });
    } catch (e) {
      const code = (e as { code?: string }).code;
      const hint =
        !baseReadOnly && (code === 'EACCES' || code === 'EROFS' || code === 'EPERM')
          ? ` (add ',readonly', or ',snapshot' to keep changes in a temporary overlay)`
          : '';
      throw new DiskOpenError(`file=${spec.file}`, reason(e) + hint, e);
    }
  };
  if (spec.overlay !== undefined) {
    try {
      return await openOverlay(spec, spec.overlay, openBase, overlayOpts);
    } catch (e) {
      if (e instanceof DiskOpenError) throw e;
      throw new DiskOpenError(`overlay=${spec.overlay}`, reason(e), e);
    }
  }
  const base = await openBase();
  if (spec.snapshot) {
    // On failure the overlay has closed the base already.
    try {
      return await OverlayBackend.openSnapshot(base, overlayOpts);
    } catch (e) {
      throw new DiskOpenError('snapshot', `cannot create the temporary overlay: ${reason(e)}`, e);
    }
  }
  return base;
}

/**
 * The overlay at `path` over `spec.file`: a qcow2 image whose backing file must be that base
 * (created when missing), or an overlay in tsvirt's earlier format.
 */
async function openOverlay(
  spec: DiskSpec,
  path: string,
  openBase: () => Promise<BlockBackend>,
  opts: OverlayCreateOptions,
): Promise<BlockBackend> {
  const openFile = opts.openFile ?? openHostFile;
  let first: Uint8Array | undefined;
  try {
    first = await head(path, openFile);
  } catch (e) {
    if ((e as { code?: string }).code !== 'ENOENT') throw e;
  }
  if (first !== undefined && detectFormat(first).kind === 'tsvirt-overlay') {
    return OverlayBackend.open(await openBase(), path, opts);
  }
  const baseFormat =
    spec.format ?? (detectFormat(await head(spec.file, openFile)).kind === 'qcow2' ? 'qcow2' : 'raw');
  if (first === undefined) {
    const base = await openBase();
    const sizeBytes = base.sizeBytes;
    await base.close();
    await createQcow2(
      path,
      { sizeBytes, backingFile: resolve(spec.file), backingFormat: baseFormat },
      openFile,
    );
  } else if (detectFormat(first).kind !== 'qcow2') {
    throw new Qcow2Error(path, 'exists but is neither a qcow2 image nor a tsvirt overlay');
  }
  const img = await Qcow2Backend.open(path, {
    readOnly: false,
    openFile: opts.openFile,
    openBacking: async (name, format) => {
      const named = isAbsolute(name) ? name : join(dirname(path), name);
      if (!(await sameFile(named, spec.file))) {
        throw new Qcow2Error(
          path,
          `its backing file is '${named}', not the base '${spec.file}' given with it`,
        );
      }
      if (format !== undefined && format !== baseFormat) {
        throw new Qcow2Error(path, `its backing file format is '${format}', but the base is ${baseFormat}`);
      }
      return openBase();
    },
  });
  if (img.backing === undefined) {
    await img.close();
    throw new Qcow2Error(path, `has no backing file, so it is not an overlay of '${spec.file}'`);
  }
  return img;
}

/** True when `a` and `b` name the same file (same device and inode, through any links). */
async function sameFile(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), stat(b)]);
  if (sa.dev === sb.dev && sa.ino === sb.ino) return true;
  return (await realpath(a)) === (await realpath(b));
}

/**
 * Make a new qcow2 image at `path` (which must not exist): written and made durable under a
 * temporary name in the same directory, then linked to `path`, so that a crash never leaves a
 * half-made image there.
 */
export async function createQcow2(
  path: string,
  spec: { sizeBytes: number; backingFile?: string; backingFormat?: string; clusterBits?: number },
  openFile: OpenHostFile = openHostFile,
): Promise<void> {
  const made = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.new`);
  const file = await openFile(made, 'wx+').catch((e: unknown) => {
    throw new Error(`cannot create ${path}: ${(e as { code?: string }).code ?? reason(e)}`, { cause: e });
  });
  try {
    await Qcow2Backend.format(file, { clusterBits: OVERLAY_CLUSTER_BITS, ...spec });
    await file.close();
    await publish(made, path);
    await syncDirectory(dirname(path));
  } catch (e) {
    await file.close().catch(() => undefined);
    await rm(made, { force: true });
    throw e;
  }
}

function reason(e: unknown): string {
  if (e instanceof OverlayError) return e.problem;
  return e instanceof Error ? e.message : String(e);
}
