// Unpacking the guest's .deb packages (dpkg-deb(1) -x) into the cache, and finding and checking what
// the builder takes from them: the kernel Image (Linux Documentation/arch/riscv/boot-image-header.rst),
// its modules and config, OpenSBI's firmware and the static BusyBox.

import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { run } from './exec.js';

export class DebError extends Error {}

const STAMP = '.tsvirt-extracted';

/** SHA-256 of a file, streamed (the kernel package is over 100 MB). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (b) => h.update(b))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/**
 * Extract `deb` into `dest` unless a previous extraction of the same file (same SHA-256) finished
 * there. The hash is checked against `sha256` first; extraction goes to a temporary sibling that is
 * renamed into place, so an interrupted run never leaves a half tree that looks complete.
 */
export async function extractDeb(deb: string, sha256: string, dest: string): Promise<boolean> {
  const stamp = join(dest, STAMP);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === sha256) return false;
  const actual = await sha256File(deb);
  if (actual !== sha256) {
    throw new DebError(`${deb}: SHA-256 is ${actual}, the index says ${sha256} (delete it and run again)`);
  }
  const tmp = `${dest}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  await run('dpkg-deb', ['-x', deb, tmp]);
  writeFileSync(join(tmp, STAMP), `${sha256}\n`);
  rmSync(dest, { recursive: true, force: true });
  renameSync(tmp, dest);
  return true;
}

/** Every regular file or symlink under `root` whose path relative to it matches `test`. */
export function findFiles(root: string, test: (rel: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (test(relative(root, p))) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

/** Fields of the RISC-V Linux boot image header that the builder checks and reports. */
export interface RiscvImageHeader {
  textOffset: bigint;
  imageSizeBytes: bigint;
  flags: bigint;
  version: number;
  /** An EFI stub kernel starts with "MZ" and has a PE header at this offset (res3). */
  hasPeHeader: boolean;
}

/** Offsets in the 64-byte RISC-V image header (boot-image-header.rst). */
const IMAGE_HEADER = {
  textOffset: 0x08,
  imageSize: 0x10,
  flags: 0x18,
  version: 0x20,
  magic: 0x30,
  magic2: 0x38,
  res3PeOffset: 0x3c,
  bytes: 0x40,
} as const;
/** "RSC\x05", the header's magic2. */
const RISCV_IMAGE_MAGIC2 = 0x05435352;

/** Parse and check a RISC-V `Image` header; throws a DebError saying what is wrong. */
export function checkRiscvImage(buf: Uint8Array, what: string): RiscvImageHeader {
  if (buf.length < IMAGE_HEADER.bytes) throw new DebError(`${what}: too short for a RISC-V Image header`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dv.getUint32(IMAGE_HEADER.magic2, true) !== RISCV_IMAGE_MAGIC2) {
    throw new DebError(`${what}: no RISC-V Image magic "RSC\\x05" at 0x38: not a RISC-V Linux Image`);
  }
  const imageSizeBytes = dv.getBigUint64(IMAGE_HEADER.imageSize, true);
  if (imageSizeBytes < BigInt(buf.length)) {
    throw new DebError(
      `${what}: header image_size ${imageSizeBytes} is less than the file (${buf.length} bytes)`,
    );
  }
  return {
    textOffset: dv.getBigUint64(IMAGE_HEADER.textOffset, true),
    imageSizeBytes,
    flags: dv.getBigUint64(IMAGE_HEADER.flags, true),
    version: dv.getUint32(IMAGE_HEADER.version, true),
    hasPeHeader: buf[0] === 0x4d && buf[1] === 0x5a && dv.getUint32(IMAGE_HEADER.res3PeOffset, true) !== 0,
  };
}

/** Paths inside an extracted kernel package, for release `rel` (`uname -r`). */
export interface KernelFiles {
  image: string;
  config: string;
  modulesDir: string;
}

/** Locate `boot/vmlinux-<rel>` (or `vmlinuz-`), `boot/config-<rel>` and `lib/modules/<rel>/`. */
export function kernelFiles(root: string, rel: string): KernelFiles {
  const need = (p: string, what: string): string => {
    if (!existsSync(p)) throw new DebError(`kernel package: ${what} ${relative(root, p)} is missing`);
    return p;
  };
  const vmlinux = join(root, 'boot', `vmlinux-${rel}`);
  const vmlinuz = join(root, 'boot', `vmlinuz-${rel}`);
  // Debian's usrmerge may put modules under usr/lib.
  const modules = [join(root, 'lib', 'modules', rel), join(root, 'usr', 'lib', 'modules', rel)].find(
    existsSync,
  );
  return {
    image: existsSync(vmlinux) ? vmlinux : need(vmlinuz, 'kernel image'),
    config: need(join(root, 'boot', `config-${rel}`), 'kernel config'),
    modulesDir: need(modules ?? join(root, 'lib', 'modules', rel), 'module tree'),
  };
}

/**
 * Find a firmware file by name under `root`, in the target's multiarch folder (the opensbi package
 * also carries riscv32 builds) and preferably in OpenSBI's `generic` platform folder.
 */
export function findFirmware(root: string, name: string, multiarch: string): string {
  const hits = findFiles(root, (rel) => rel.endsWith(`/${name}`) && rel.includes(`/${multiarch}/`));
  const pick = hits.find((p) => p.includes('/generic/')) ?? hits[0];
  if (pick === undefined) throw new DebError(`opensbi package: no ${multiarch}/.../${name} under ${root}`);
  return pick;
}

/** Find the static BusyBox binary (`bin/busybox`, or `usr/bin/busybox` after usrmerge). */
export function findBusybox(root: string): string {
  const p = [join(root, 'bin', 'busybox'), join(root, 'usr', 'bin', 'busybox')].find(existsSync);
  if (p === undefined) throw new DebError(`busybox-static package: bin/busybox is missing under ${root}`);
  return p;
}

/** The ELF machine number for RISC-V (e_machine, ELF psABI). */
const EM_RISCV = 243;

/** Check that `buf` is a 64-bit little-endian RISC-V ELF executable. */
export function checkRiscvElf(buf: Uint8Array, what: string): void {
  const ok =
    buf.length >= 64 &&
    buf[0] === 0x7f &&
    buf[1] === 0x45 &&
    buf[2] === 0x4c &&
    buf[3] === 0x46 &&
    buf[4] === 2 && // ELFCLASS64
    buf[5] === 1 && // ELFDATA2LSB
    (buf[18] | (buf[19] << 8)) === EM_RISCV;
  if (!ok) throw new DebError(`${what}: not a 64-bit little-endian RISC-V ELF file`);
}
