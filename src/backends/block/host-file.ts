// The host file operations the file-backed disks use: positional reads and writes, fdatasync,
// size. An interface rather than node:fs's FileHandle so that tests can inject faults (a failing
// fdatasync) and watch every access (the overlay fuzzer checks that none leaves the file).

import { open } from 'node:fs/promises';

/** An open host file; node:fs/promises' FileHandle is one. */
export interface HostFile {
  read(buf: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  write(
    data: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): Promise<{ bytesWritten: number }>;
  /** fdatasync(2): the data and the metadata needed to read it back (the size) are durable. */
  datasync(): Promise<void>;
  stat(): Promise<{ size: number; isFile(): boolean }>;
  truncate(lenBytes: number): Promise<void>;
  close(): Promise<void>;
}

/** Open flags the backends use: read-only, read-write, create a new file (failing if it exists). */
export type HostOpenFlags = 'r' | 'r+' | 'wx+';

/** Opens a host file; rejects with the host error (ENOENT, EACCES, EEXIST...). */
export type OpenHostFile = (path: string, flags: HostOpenFlags) => Promise<HostFile>;

/** The real thing: node:fs/promises open. */
export const openHostFile: OpenHostFile = (path, flags) => open(path, flags);

/** pread until `buf` is full; a read at end of file is an error (the file shrank under us). */
export async function readFully(file: HostFile, offset: number, buf: Uint8Array): Promise<void> {
  for (let done = 0; done < buf.length;) {
    const { bytesRead } = await file.read(buf, done, buf.length - done, offset + done);
    if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${offset + done}`);
    done += bytesRead;
  }
}

/** pwrite until all of `data` is written (a short write is legal for pwrite). */
export async function writeFully(file: HostFile, offset: number, data: Uint8Array): Promise<void> {
  for (let done = 0; done < data.length;) {
    const { bytesWritten } = await file.write(data, done, data.length - done, offset + done);
    if (bytesWritten === 0) throw new Error(`write made no progress at byte ${offset + done}`);
    done += bytesWritten;
  }
}
