// Loader for RISC-V Linux kernels: the `Image` format (Linux Documentation/arch/riscv/boot-image-
// header.rst: text_offset at 8, image_size at 16, magic "RISCV\0\0\0" at 48, "RSC\x05" at 56; an EFI
// PE stub may sit in front, "MZ" at 0), gzip-compressed Images, and ELF files.

import { gunzipSync } from 'node:zlib';
import type { GuestMemory } from '../memory/guest-memory.js';
import { ElfError, loadElf, parseElf } from './elf.js';

export class KernelError extends Error {}

/**
 * A kernel file read on demand, so that an Image (tens of MB) is read straight into guest RAM
 * rather than into a buffer and copied: the buffer's pages would be faulted in and the bytes
 * copied once more, ~0.15 s of a 9 s boot on this project's machines.
 */
export interface KernelFile {
  readonly size: number;
  /** Fill `dst` from the file's bytes at `pos` (the file has them all). */
  read(dst: Uint8Array, pos: number): void;
}

/** Where a kernel landed. */
export interface LoadedKernel {
  entry: number;
  start: number;
  /** First byte after the kernel's memory footprint (image_size, which includes its bss). */
  end: number;
  format: 'image' | 'image.gz' | 'elf';
}

const RISCV_MAGIC = 0x5643534952; // "RISCV" read little-endian from offset 48
const RSC_MAGIC2 = 0x05435352; // "RSC\x05"
/** Default text_offset for RV64 (2 MiB) when an old header leaves it 0. */
const DEFAULT_TEXT_OFFSET = 0x200000;

/** Read the RISC-V Image header, or undefined if `data` is not an Image. */
export function parseImageHeader(data: Uint8Array): { textOffset: number; imageSize: number } | undefined {
  if (data.length < 64) return undefined;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const magic2 = dv.getUint32(56, true);
  const magicLo = dv.getUint32(48, true);
  const magicHi = dv.getUint8(52);
  if (magic2 !== RSC_MAGIC2 && magicLo + magicHi * 4294967296 !== RISCV_MAGIC) return undefined;
  const textOffset = Number(dv.getBigUint64(8, true));
  const imageSize = Number(dv.getBigUint64(16, true));
  return { textOffset: textOffset === 0 ? DEFAULT_TEXT_OFFSET : textOffset, imageSize };
}

/**
 * Load a kernel file into RAM. Images go to RAM base + text_offset; ELF segments to their physical
 * addresses, which must lie in RAM (use the Image, not vmlinux, for Linux).
 */
export function loadKernel(mem: GuestMemory, file: Uint8Array | KernelFile): LoadedKernel {
  if (!(file instanceof Uint8Array)) {
    const head = new Uint8Array(Math.min(64, file.size));
    file.read(head, 0);
    const hdr = parseImageHeader(head);
    if (hdr === undefined) {
      // gzip, ELF or not a kernel at all: those are read whole.
      const all = new Uint8Array(file.size);
      file.read(all, 0);
      return loadKernel(mem, all);
    }
    const { start, end } = placeImage(mem, hdr, file.size);
    const at = mem.offset(start, file.size);
    file.read(mem.bytes.subarray(at, at + file.size), 0);
    return { entry: start, start, end, format: 'image' };
  }
  let data = file;
  let gz = false;
  if (data[0] === 0x1f && data[1] === 0x8b) {
    try {
      data = gunzipSync(data);
    } catch (e) {
      throw new KernelError(`corrupt gzip-compressed kernel: ${(e as Error).message}`);
    }
    gz = true;
  }
  if (data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46) {
    let img;
    try {
      img = parseElf(data);
    } catch (e) {
      if (e instanceof ElfError) throw new KernelError(e.message);
      throw e;
    }
    try {
      loadElf(mem, data, img);
    } catch (e) {
      if (e instanceof ElfError) throw new KernelError(e.message);
      throw e;
    }
    const start = Math.min(...img.segments.map((s) => s.paddr));
    const end = Math.max(...img.segments.map((s) => s.paddr + s.memSize));
    return { entry: img.entry, start, end, format: 'elf' };
  }
  const hdr = parseImageHeader(data);
  if (hdr === undefined) {
    throw new KernelError('not a RISC-V Linux kernel: no Image header magic, not gzip, not ELF');
  }
  const { start, end } = placeImage(mem, hdr, data.length);
  mem.write(start, data);
  return { entry: start, start, end, format: gz ? 'image.gz' : 'image' };
}

/**
 * Where an Image of `size` bytes with header `hdr` goes, [start, end) including the memory it
 * reserves past its bytes (image_size), checked to fit in RAM.
 */
function placeImage(
  mem: GuestMemory,
  hdr: { textOffset: number; imageSize: number },
  size: number,
): { start: number; end: number } {
  const start = mem.base + hdr.textOffset;
  const footprint = Math.max(hdr.imageSize, size);
  if (!mem.contains(start, footprint)) {
    throw new KernelError(
      `kernel needs ${footprint} bytes at 0x${start.toString(16)}: more than guest RAM holds`,
    );
  }
  return { start, end: start + footprint };
}
