// Loader for RISC-V Linux kernels: the `Image` format (Linux Documentation/arch/riscv/boot-image-
// header.rst: text_offset at 8, image_size at 16, magic "RISCV\0\0\0" at 48, "RSC\x05" at 56; an EFI
// PE stub may sit in front, "MZ" at 0), gzip-compressed Images, and ELF files.

import type { GuestMemory } from '../memory/guest-memory.js';
import { ElfError, loadElf, parseElf } from './elf.js';
import { type Gunzip, GunzipError, GunzipLimitError } from './gunzip.js';

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

const MiB = 1024 * 1024;
/** How much of a kernel file is read first: the Image header and, in Images with the EFI stub, the
 * PE/COFF headers and section table (SizeOfHeaders is 4 KiB in Linux's Images). */
const HEAD_BYTES = 4096;
/** PE/COFF: offset of the PE header's offset in the MS-DOS stub (e_lfanew), which the RISC-V
 * Image header calls res3; the "PE\0\0" signature; sizes of the COFF header and a section header. */
const PE_OFFSET_FIELD = 0x3c;
const PE_SIGNATURE = 0x00004550;
const COFF_HEADER_BYTES = 20;
const SECTION_HEADER_BYTES = 40;

/** A kernel's bytes by position, whether from a file or from memory; reads past the end throw. */
type ReadAt = (pos: number, len: number) => Uint8Array;

function mib(bytes: number): string {
  return `${Math.floor(bytes / MiB)} MiB`;
}

/**
 * Check that an Image holds all the bytes its headers describe. An Image with the EFI stub ("MZ"
 * at 0, Linux's boot-image-header.rst) is also a PE/COFF file (PE format spec: e_lfanew at 0x3c
 * points at "PE\0\0" and the COFF header, followed by the optional header and the section table),
 * and its sections' raw data (PointerToRawData + SizeOfRawData) end where the file ends. A truncated
 * Image would boot into garbage; it gets an error instead. A plain Image has no such field
 * (image_size includes the bss, which the file does not hold), so only the stub's is checked.
 */
function checkImageLength(readAt: ReadAt, size: number): void {
  const head = readAt(0, Math.min(size, 64));
  if (head[0] !== 0x4d || head[1] !== 0x5a) return; // no "MZ": no EFI stub, no PE header
  const truncated = (what: string): KernelError =>
    new KernelError(`truncated or corrupt Image: ${what} (the file has ${size} bytes)`);
  const u32 = (b: Uint8Array, at: number): number =>
    new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at, true);
  const u16 = (b: Uint8Array, at: number): number =>
    new DataView(b.buffer, b.byteOffset, b.byteLength).getUint16(at, true);
  const peOff = u32(head, PE_OFFSET_FIELD);
  if (peOff + 4 + COFF_HEADER_BYTES > size) {
    throw truncated(`the EFI stub's PE header at 0x${peOff.toString(16)} lies past the end`);
  }
  const coff = readAt(peOff, 4 + COFF_HEADER_BYTES);
  if (u32(coff, 0) !== PE_SIGNATURE) {
    throw truncated(
      `the Image starts with the EFI stub's "MZ" but has no PE header at 0x${peOff.toString(16)}`,
    );
  }
  const sections = u16(coff, 4 + 2); // NumberOfSections
  const tableAt = peOff + 4 + COFF_HEADER_BYTES + u16(coff, 4 + 16); // + SizeOfOptionalHeader
  const tableEnd = tableAt + sections * SECTION_HEADER_BYTES;
  if (tableEnd > size) throw truncated(`its PE section table ends at ${tableEnd}`);
  const table = readAt(tableAt, sections * SECTION_HEADER_BYTES);
  let end = 0;
  for (let k = 0; k < sections; k++) {
    const rawSize = u32(table, k * SECTION_HEADER_BYTES + 16); // SizeOfRawData
    const rawPtr = u32(table, k * SECTION_HEADER_BYTES + 20); // PointerToRawData
    if (rawSize > 0) end = Math.max(end, rawPtr + rawSize);
  }
  if (end > size) throw truncated(`its PE section table says the file holds ${end} bytes`);
}

/**
 * Load a kernel file into RAM. Images go to RAM base + text_offset; ELF segments to their physical
 * addresses, which must lie in RAM (use the Image, not vmlinux, for Linux). Nothing larger than
 * RAM is read or decompressed (a file that large could not be loaded anyway): host memory stays
 * bounded by the guest's RAM size whatever the file holds. Every bad file is a KernelError.
 */
export function loadKernel(mem: GuestMemory, file: Uint8Array | KernelFile, gunzip?: Gunzip): LoadedKernel {
  const size = file instanceof Uint8Array ? file.length : file.size;
  if (size > mem.sizeBytes) {
    throw new KernelError(
      `the kernel file (${size} bytes) is larger than guest RAM (${mib(mem.sizeBytes)}); use a larger --memory`,
    );
  }
  if (!(file instanceof Uint8Array)) {
    const readAt: ReadAt = (pos, len) => {
      const b = new Uint8Array(len);
      file.read(b, pos);
      return b;
    };
    const head = readAt(0, Math.min(HEAD_BYTES, size));
    const hdr = parseImageHeader(head);
    if (hdr === undefined) {
      // gzip, ELF or not a kernel at all: those are read whole (no more than RAM, checked above).
      return loadKernel(mem, readAt(0, size), gunzip);
    }
    checkImageLength(
      (pos, len) => (pos + len <= head.length ? head.subarray(pos, pos + len) : readAt(pos, len)),
      size,
    );
    const { start, end } = placeImage(mem, hdr, size);
    const at = mem.offset(start, size);
    file.read(mem.bytes.subarray(at, at + size), 0);
    mem.markDirty(at, size);
    return { entry: start, start, end, format: 'image' };
  }
  let data = file;
  let gz = false;
  if (data[0] === 0x1f && data[1] === 0x8b) {
    if (gunzip === undefined)
      throw new KernelError('a gzip-compressed kernel, and this host has no gzip decoder');
    try {
      // The cap stops decompression once the output passes RAM's size: a small file of zeros
      // could otherwise decompress into gigabytes of host memory before anything looked at it.
      data = gunzip(data, mem.sizeBytes);
    } catch (e) {
      if (e instanceof GunzipLimitError) {
        throw new KernelError(`decompressed kernel is larger than guest RAM (${mib(mem.sizeBytes)})`);
      }
      if (e instanceof GunzipError) throw new KernelError(`corrupt gzip-compressed kernel: ${e.message}`);
      throw e;
    }
    gz = true;
  }
  if (data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46) {
    try {
      const img = parseElf(data);
      loadElf(mem, data, img);
      const start = Math.min(...img.segments.map((s) => s.paddr));
      const end = Math.max(...img.segments.map((s) => s.paddr + s.memSize));
      return { entry: img.entry, start, end, format: 'elf' };
    } catch (e) {
      if (e instanceof ElfError) throw new KernelError(e.message);
      throw e;
    }
  }
  const hdr = parseImageHeader(data);
  if (hdr === undefined) {
    throw new KernelError('not a RISC-V Linux kernel: no Image header magic, not gzip, not ELF');
  }
  const bytes = data;
  checkImageLength((pos, len) => {
    if (pos + len > bytes.length) throw new KernelError('truncated Image');
    return bytes.subarray(pos, pos + len);
  }, data.length);
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
