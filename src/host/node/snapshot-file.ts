// Snapshot files on the Node host: writing a VM's snapshot (the Node side of `Vm.save()`, which
// stays portable), and reading one for a restore without reading its RAM: the pages are mapped
// into guest RAM copy-on-write (mmap, as Firecracker does), so that a restore costs what the
// guest touches, not what it saved. Where mapping is not possible, they are read in place.

import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** What saveVmTo needs of a VM: `Vm.save()` (structural, so that the host layer needs no vm/). */
export interface Savable {
  save(): Promise<Uint8Array[]>;
}

/**
 * `vm.save()` into the file `path` (replaced), its parts with one writev. Same preconditions as
 * `Vm.save`: the VM is paused, ended or not yet running. A regular file (or a new one) is written
 * beside it and renamed over it, so that a VM restored from the old file (whose RAM may still be
 * mapped from it, `SnapshotFile`) keeps the old bytes, and a failed write leaves the old file.
 */
export async function saveVmTo(vm: Savable, path: string): Promise<void> {
  const parts = await vm.save();
  let regular = true;
  try {
    regular = statSync(path).isFile();
  } catch {
    // A new file.
  }
  const target = regular ? `${path}.${process.pid}.tmp` : path;
  const f = await open(target, 'w');
  try {
    await f.writev(parts);
  } catch (e) {
    await f.close();
    if (regular) rmSync(target, { force: true });
    throw e;
  }
  await f.close();
  if (regular) renameSync(target, path);
}

const PAGE_BYTES = 4096;
/** Most runs of pages mapped one by one (each is a kernel mapping; the rest are read). */
const MAX_MAPPINGS = 8192;
/** Bytes per read(2) call when pages are read rather than mapped. */
const READ_CHUNK_BYTES = 64 << 20;
// mmap(2) on Linux.
const PROT_READ_WRITE = 0x1 | 0x2;
const MAP_PRIVATE = 0x02;
const MAP_FIXED = 0x10;

/** mmap and a way to learn a typed array's address, from libc through koffi (optional). */
interface Libc {
  /** Map `len` bytes of `fd` from `offset` at exactly the address of `at`; false if refused. */
  mapAt(at: Uint8Array, len: number, fd: number, offset: number): boolean;
}

let libc: Promise<Libc | undefined> | undefined;

/** libc's mmap, or undefined (not Linux, or koffi not installed: pages are then read). */
function loadLibc(): Promise<Libc | undefined> {
  libc ??= (async () => {
    if (process.platform !== 'linux') return undefined;
    try {
      const koffi = (await import('koffi')).default;
      const c = koffi.load('libc.so.6');
      const mmap = c.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, int64 off)');
      // memmove(p, p, 0) returns p: the address koffi passes for a typed array.
      const memmove = c.func('void *memmove(void *dst, void *src, size_t n)');
      return {
        mapAt: (at, len, fd, offset) => {
          const want = koffi.address(memmove(at, at, 0));
          if (want % BigInt(PAGE_BYTES) !== 0n) return false;
          const got = koffi.address(
            mmap(at, len, PROT_READ_WRITE, MAP_PRIVATE | MAP_FIXED, fd, BigInt(offset)),
          );
          return got === want;
        },
      };
    } catch {
      return undefined;
    }
  })();
  return libc;
}

/** How the pages of a restore got into RAM. */
export interface PageLoad {
  mappedPages: number;
  readPages: number;
}

/**
 * A snapshot file opened for a restore: positioned reads of its header and state, then its RAM
 * pages put into guest RAM by `loadPages`, which closes it. The file must not be changed in place
 * while a VM restored from it runs (pages it has not written yet are read from it on first
 * access); `saveVmTo` replaces a file rather than rewriting it.
 */
export class SnapshotFile {
  private fd: number | undefined;
  readonly sizeBytes: number;

  private constructor(
    private readonly path: string,
    fd: number,
    private readonly lib: Libc | undefined,
  ) {
    this.fd = fd;
    this.sizeBytes = fstatSync(fd).size;
  }

  /** Open `path` (errors are Node's, with its code). `map: false` reads the pages instead. */
  static async open(path: string, opts: { map?: boolean } = {}): Promise<SnapshotFile> {
    const lib = opts.map === false ? undefined : await loadLibc();
    return new SnapshotFile(path, openSync(path, 'r'), lib);
  }

  /** The `length` bytes at `offset` (the caller checked they are inside the file). */
  read(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.readInto(out, 0, length, offset);
    return out;
  }

  private readInto(into: Uint8Array, at: number, length: number, offset: number): void {
    if (this.fd === undefined) throw new Error(`${this.path}: already closed`);
    for (let done = 0; done < length;) {
      const n = readSync(this.fd, into, at + done, Math.min(READ_CHUNK_BYTES, length - done), offset + done);
      if (n === 0) throw new Error(`${this.path}: the file ended early (was it changed?)`);
      done += n;
    }
  }

  /**
   * Put the stored pages into `ram` (all zero before): page `pages[k]` is at file offset
   * `dataOffset` + k x 4096 and goes to RAM offset pages[k] x 4096. Runs of consecutive pages are
   * mapped copy-on-write when the file's offsets and RAM's address allow it, else read. Closes
   * the file: a mapping keeps what it needs.
   */
  loadPages(ram: Uint8Array, pages: Uint32Array, dataOffset: number): PageLoad {
    const load: PageLoad = { mappedPages: 0, readPages: 0 };
    let mappings = 0;
    const mapping = this.lib !== undefined && dataOffset % PAGE_BYTES === 0;
    try {
      for (let k = 0; k < pages.length;) {
        let end = k + 1;
        while (end < pages.length && pages[end] === pages[end - 1] + 1) end++;
        const ramAt = pages[k] * PAGE_BYTES;
        const len = (end - k) * PAGE_BYTES;
        const fileAt = dataOffset + k * PAGE_BYTES;
        const fd = this.fd as number;
        if (
          mapping &&
          mappings < MAX_MAPPINGS &&
          (this.lib as Libc).mapAt(ram.subarray(ramAt, ramAt + len), len, fd, fileAt)
        ) {
          mappings++;
          load.mappedPages += end - k;
        } else {
          this.readInto(ram, ramAt, len, fileAt);
          load.readPages += end - k;
        }
        k = end;
      }
    } finally {
      this.close();
    }
    return load;
  }

  /** Close the file (again: nothing). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
