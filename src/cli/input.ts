// The files named by --kernel, --initrd and --bios, read with a bound: nothing larger than the
// guest's RAM (which could not hold it) is read, not even from a pipe or /dev/zero, and every
// failure is a UsageError naming the option, the file and the reason in words.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { KernelFile } from '../loaders/linux.js';
import { describeFsError } from './fs-error.js';
import { UsageError } from './options.js';

const MiB = 1024 * 1024;
/** Read size for files whose length is not known in advance (pipes, character devices). */
const CHUNK_BYTES = MiB;

export { describeFsError };

function sizeText(bytes: number): string {
  return bytes % MiB === 0 ? `${bytes / MiB} MiB` : `${bytes} bytes`;
}

/** Opens `path`; the caller closes the descriptor. Regular files report their size. */
function open(option: string, path: string): { fd: number; size: number | undefined } {
  const fail = (why: string): never => {
    throw new UsageError(`${option}: cannot read '${path}': ${why}`);
  };
  let fd = -1;
  try {
    fd = openSync(path, 'r');
    const st = fstatSync(fd);
    return { fd, size: st.isFile() ? st.size : undefined };
  } catch (e) {
    if (fd >= 0) closeSync(fd);
    if (e instanceof UsageError) throw e;
    return fail(describeFsError(e));
  }
}

function tooLarge(option: string, path: string, maxBytes: number): UsageError {
  return new UsageError(
    `${option}: '${path}' is larger than guest RAM (${sizeText(maxBytes)}), which could not hold it`,
  );
}

/**
 * The whole of `path`, at most `maxBytes` (the guest's RAM): a longer regular file is refused
 * before anything is read, and a pipe or device is read until it ends or passes the bound.
 */
export function readInput(option: string, path: string, maxBytes: number): Uint8Array {
  const { fd, size } = open(option, path);
  try {
    if (size !== undefined && size > maxBytes) throw tooLarge(option, path, maxBytes);
    if (size !== undefined) {
      const out = new Uint8Array(size);
      readFully(fd, out, 0);
      return out;
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(CHUNK_BYTES);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooLarge(option, path, maxBytes);
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${option}: cannot read '${path}': ${describeFsError(e)}`);
  } finally {
    closeSync(fd);
  }
}

/** Fills `dst` from `fd` at file position `pos`; a file that ends early is an error. */
function readFully(fd: number, dst: Uint8Array, pos: number): void {
  for (let got = 0; got < dst.length;) {
    const n = readSync(fd, dst, got, dst.length - got, pos + got);
    if (n === 0) throw new Error('the file shrank while it was read');
    got += n;
  }
}

/**
 * A file the kernel loader reads on demand (an Image goes straight into guest RAM). A regular file
 * is only opened here (the loader compares its size with RAM before reading it); a pipe or a device
 * has no size to read up to, so it is read whole, at most `maxBytes`.
 */
export function fileInput(option: string, path: string, maxBytes: number): KernelFile {
  const { fd, size } = open(option, path);
  closeSync(fd);
  if (size === undefined) {
    const bytes = readInput(option, path, maxBytes);
    return { size: bytes.length, read: (dst, pos) => dst.set(bytes.subarray(pos, pos + dst.length)) };
  }
  return {
    size,
    read(dst: Uint8Array, pos: number): void {
      let fd = -1;
      try {
        fd = openSync(path, 'r');
        readFully(fd, dst, pos);
      } catch (e) {
        throw new UsageError(`${option}: cannot read '${path}': ${describeFsError(e)}`);
      } finally {
        if (fd >= 0) closeSync(fd);
      }
    },
  };
}
