// ELF64 loader for RISC-V executables (System V gABI, "ELF Header", "Program Header", "Sections",
// "Symbol Table"; RISC-V ELF psABI): PT_LOAD segments go to their physical addresses, and the
// symbol table is kept for HTIF's tohost/fromhost. The file is untrusted: every offset, size and
// count is checked against the file before it is read, so a malformed file is an ElfError.

import type { GuestMemory } from '../memory/guest-memory.js';

export class ElfError extends Error {}

const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const EM_RISCV = 243;
/** e_phnum's escape value: the real count is in section 0's sh_info (gABI extended numbering). */
const PN_XNUM = 0xffff;
/** sizeof(Elf64_Ehdr), sizeof(Elf64_Phdr), sizeof(Elf64_Shdr), sizeof(Elf64_Sym). */
const EHDR_BYTES = 64;
const PHDR_BYTES = 56;
const SHDR_BYTES = 64;
const SYM_BYTES = 24;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export interface ElfImage {
  /** e_entry; below 2^53 (checked), and inside RAM once loaded (loadElf checks). */
  entry: number;
  /** PT_LOAD segments with a non-zero p_memsz, sorted by paddr, none overlapping another. */
  segments: { paddr: number; fileSize: number; memSize: number; offset: number }[];
  /**
   * Symbols by name. Those whose value or size is 2^53 or more (kernel-virtual addresses such as
   * 0xffffffff80000000, which no RAM of this machine reaches) are left out rather than rounded.
   */
  symbols: Map<string, { value: number; size: number }>;
}

const hex = (v: number | bigint): string => `0x${v.toString(16)}`;

/** Parse and validate an ELF64 little-endian RISC-V executable; throws ElfError naming the fault. */
export function parseElf(data: Uint8Array): ElfImage {
  if (data.length < EHDR_BYTES) throw new ElfError('file is too short to be an ELF executable');
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (dv.getUint32(0, false) !== 0x7f454c46) throw new ElfError('not an ELF file (bad magic)');
  if (data[4] !== 2) throw new ElfError('not a 64-bit ELF file (ELFCLASS64 expected)');
  if (data[5] !== 1) throw new ElfError('not a little-endian ELF file');
  if (dv.getUint16(18, true) !== EM_RISCV)
    throw new ElfError('not a RISC-V ELF file (e_machine is not EM_RISCV)');
  const big = (off: number): bigint => dv.getBigUint64(off, true);
  const fileBytes = BigInt(data.length);
  /** [off, off + size) lies in the file; computed in bigint, so no sum can wrap. */
  const inFile = (off: bigint, size: bigint): boolean => off + size <= fileBytes;

  const entry = big(24);
  if (entry > MAX_SAFE) throw new ElfError(`entry point ${hex(entry)} is beyond any guest RAM`);
  const phoff = big(32);
  const shoff = big(40);
  const phentsize = dv.getUint16(54, true);
  let phnum = dv.getUint16(56, true);
  const shentsize = dv.getUint16(58, true);
  let shnum = dv.getUint16(60, true);

  // The section header table first: extended numbering keeps the true counts in section 0.
  if (shoff !== 0n) {
    if (shentsize !== SHDR_BYTES)
      throw new ElfError(`e_shentsize is ${shentsize}, not ${SHDR_BYTES} (sizeof Elf64_Shdr)`);
    if (!inFile(shoff, BigInt(SHDR_BYTES)))
      throw new ElfError(`the section header table (e_shoff ${hex(shoff)}) lies past the end of the file`);
    if (shnum === 0) {
      const n = big(Number(shoff) + 32); // section 0's sh_size
      shnum = n > fileBytes ? Number(fileBytes) + 1 : Number(n); // too many: fails the bound below
    }
    if (phnum === PN_XNUM) phnum = dv.getUint32(Number(shoff) + 44, true); // section 0's sh_info
    if (!inFile(shoff, BigInt(shnum) * BigInt(SHDR_BYTES)))
      throw new ElfError(
        `the section header table (${shnum} entries at ${hex(shoff)}) runs past the end of the file`,
      );
  } else {
    shnum = 0;
    if (phnum === PN_XNUM) throw new ElfError('e_phnum is PN_XNUM but there is no section header 0');
  }

  const segments: ElfImage['segments'] = [];
  if (phnum > 0) {
    if (phentsize !== PHDR_BYTES)
      throw new ElfError(`e_phentsize is ${phentsize}, not ${PHDR_BYTES} (sizeof Elf64_Phdr)`);
    if (!inFile(phoff, BigInt(phnum) * BigInt(PHDR_BYTES)))
      throw new ElfError(
        `the program header table (${phnum} entries at ${hex(phoff)}) runs past the end of the file`,
      );
  }
  for (let k = 0; k < phnum; k++) {
    const p = Number(phoff) + k * PHDR_BYTES;
    if (dv.getUint32(p, true) !== PT_LOAD) continue;
    const offset = big(p + 8);
    const paddr = big(p + 24);
    const fileSize = big(p + 32);
    const memSize = big(p + 40);
    const what = `program header ${k} (PT_LOAD at ${hex(paddr)}, ${memSize} bytes)`;
    if (!inFile(offset, fileSize))
      throw new ElfError(
        `${what}: its ${fileSize} bytes at file offset ${hex(offset)} run past the end of the file`,
      );
    if (fileSize > memSize) throw new ElfError(`${what}: p_filesz ${fileSize} exceeds p_memsz`);
    if (memSize === 0n) continue; // occupies nothing
    if (paddr + memSize > MAX_SAFE) throw new ElfError(`${what}: beyond any guest RAM`);
    segments.push({
      paddr: Number(paddr),
      fileSize: Number(fileSize),
      memSize: Number(memSize),
      offset: Number(offset),
    });
  }
  if (segments.length === 0) throw new ElfError('no loadable segments');
  segments.sort((a, b) => a.paddr - b.paddr);
  for (let k = 1; k < segments.length; k++) {
    const [a, b] = [segments[k - 1], segments[k]];
    if (a.paddr + a.memSize > b.paddr) {
      throw new ElfError(
        `PT_LOAD segments overlap in physical memory: ${hex(a.paddr)}-${hex(a.paddr + a.memSize)} ` +
          `and ${hex(b.paddr)}-${hex(b.paddr + b.memSize)}`,
      );
    }
  }

  const symbols = new Map<string, { value: number; size: number }>();
  const decoder = new TextDecoder();
  for (let k = 0; k < shnum; k++) {
    const s = Number(shoff) + k * SHDR_BYTES;
    if (dv.getUint32(s + 4, true) !== SHT_SYMTAB) continue;
    const symOff = big(s + 24);
    const symSize = big(s + 32);
    const link = dv.getUint32(s + 40, true);
    const entsize = big(s + 56);
    const what = `symbol table (section ${k})`;
    if (entsize !== BigInt(SYM_BYTES))
      throw new ElfError(`${what}: sh_entsize is ${entsize}, not ${SYM_BYTES}`);
    if (!inFile(symOff, symSize)) throw new ElfError(`${what} runs past the end of the file`);
    if (symSize % BigInt(SYM_BYTES) !== 0n)
      throw new ElfError(`${what}: sh_size ${symSize} is not a multiple of ${SYM_BYTES}`);
    if (link === 0 || link >= shnum)
      throw new ElfError(`${what}: sh_link ${link} names no section (there are ${shnum})`);
    const str = Number(shoff) + link * SHDR_BYTES;
    if (dv.getUint32(str + 4, true) !== SHT_STRTAB)
      throw new ElfError(`${what}: its string table (section ${link}) is not SHT_STRTAB`);
    const strOff = big(str + 24);
    const strSize = big(str + 32);
    if (!inFile(strOff, strSize))
      throw new ElfError(`string table (section ${link}) runs past the end of the file`);
    const strings = data.subarray(Number(strOff), Number(strOff + strSize));
    for (let e = Number(symOff); e < Number(symOff + symSize); e += SYM_BYTES) {
      const nameOff = dv.getUint32(e, true);
      if (nameOff === 0) continue;
      if (nameOff >= strings.length)
        throw new ElfError(`${what}: a symbol's name (st_name ${nameOff}) lies outside its string table`);
      const end = strings.indexOf(0, nameOff);
      if (end < 0) throw new ElfError(`${what}: a symbol's name runs past the end of its string table`);
      const value = big(e + 8);
      const size = big(e + 16);
      if (value > MAX_SAFE || size > MAX_SAFE) continue;
      symbols.set(decoder.decode(strings.subarray(nameOff, end)), {
        value: Number(value),
        size: Number(size),
      });
    }
  }
  return { entry: Number(entry), segments, symbols };
}

/**
 * Copy the segments of `img` (from file bytes `data`) into guest RAM and zero their bss. Every
 * segment and the entry point must lie in RAM; they are all checked before anything is written.
 */
export function loadElf(mem: GuestMemory, data: Uint8Array, img: ElfImage): void {
  const ram = `guest RAM (${hex(mem.base)}-${hex(mem.base + mem.sizeBytes)})`;
  for (const s of img.segments) {
    if (!mem.contains(s.paddr, s.memSize)) {
      throw new ElfError(`segment at ${hex(s.paddr)} (+${s.memSize} bytes) is outside ${ram}`);
    }
  }
  if (!mem.contains(img.entry, 2)) throw new ElfError(`entry point ${hex(img.entry)} is outside ${ram}`);
  for (const s of img.segments) {
    mem.write(s.paddr, data.subarray(s.offset, s.offset + s.fileSize));
    mem.slice(s.paddr + s.fileSize, s.memSize - s.fileSize).fill(0);
  }
}
