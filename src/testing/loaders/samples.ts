// Synthetic kernel files in the formats the loaders read, for tests and the loader fuzzer: ELF64
// executables (System V gABI: ELF header, program headers, .symtab/.strtab and section headers)
// and RISC-V Linux Images (boot-image-header.rst), optionally with the EFI stub's PE/COFF headers
// laid out as Linux lays them (PE header at 0x40, SizeOfHeaders 4 KiB, .text then .data).

const EHDR_BYTES = 64;
const PHDR_BYTES = 56;
const SHDR_BYTES = 64;
const SYM_BYTES = 24;

export interface ElfSampleSegment {
  paddr: number;
  /** The file bytes of the segment; memSize - data.length bytes of bss follow. */
  data: Uint8Array;
  memSize?: number;
}

export interface ElfSample {
  entry: bigint | number;
  segments: readonly ElfSampleSegment[];
  symbols?: readonly { name: string; value: bigint | number; size?: number }[];
}

/** Byte offsets inside a sample ELF, for tests that corrupt one field. */
export const ELF_OFFSETS = {
  e_entry: 24,
  e_phoff: 32,
  e_shoff: 40,
  e_phentsize: 54,
  e_phnum: 56,
  e_shentsize: 58,
  e_shnum: 60,
  /** Program header k is at ELF_OFFSETS.phdr(k); its fields at p_offset 8, p_paddr 24, ... */
  phdr: (k: number): number => EHDR_BYTES + k * PHDR_BYTES,
  p_offset: 8,
  p_paddr: 24,
  p_filesz: 32,
  p_memsz: 40,
  sh_link: 40,
  sh_offset: 24,
  sh_size: 32,
  sh_entsize: 56,
} as const;

/** Sections of a sample ELF: 0 null, 1 .symtab, 2 .strtab; section headers at e_shoff. */
export const ELF_SYMTAB_SECTION = 1;
export const ELF_STRTAB_SECTION = 2;

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** A little-endian RISC-V ELF64 executable (ET_EXEC) with PT_LOAD segments and a symbol table. */
export function buildElf(spec: ElfSample): Uint8Array {
  const enc = new TextEncoder();
  const symbols = spec.symbols ?? [];
  let strtab = [0];
  const nameOffsets = symbols.map((s) => {
    const at = strtab.length;
    strtab = strtab.concat([...enc.encode(s.name)], [0]);
    return at;
  });
  let at = EHDR_BYTES + spec.segments.length * PHDR_BYTES;
  const dataAt = spec.segments.map((s) => {
    at = align8(at);
    const here = at;
    at += s.data.length;
    return here;
  });
  const symtabAt = align8(at);
  const symtabBytes = (symbols.length + 1) * SYM_BYTES;
  const strtabAt = symtabAt + symtabBytes;
  const shoff = align8(strtabAt + strtab.length);
  const total = shoff + 3 * SHDR_BYTES;

  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0); // magic, ELFCLASS64, ELFDATA2LSB, EV_CURRENT
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, 243, true); // EM_RISCV
  dv.setUint32(20, 1, true); // e_version
  dv.setBigUint64(24, BigInt(spec.entry), true);
  dv.setBigUint64(32, BigInt(EHDR_BYTES), true);
  dv.setBigUint64(40, BigInt(shoff), true);
  dv.setUint16(52, EHDR_BYTES, true);
  dv.setUint16(54, PHDR_BYTES, true);
  dv.setUint16(56, spec.segments.length, true);
  dv.setUint16(58, SHDR_BYTES, true);
  dv.setUint16(60, 3, true);
  dv.setUint16(62, 0, true); // e_shstrndx: no section names
  spec.segments.forEach((s, k) => {
    const p = EHDR_BYTES + k * PHDR_BYTES;
    dv.setUint32(p, 1, true); // PT_LOAD
    dv.setUint32(p + 4, 7, true); // RWX
    dv.setBigUint64(p + 8, BigInt(dataAt[k]), true);
    dv.setBigUint64(p + 16, BigInt(s.paddr), true); // p_vaddr = p_paddr
    dv.setBigUint64(p + 24, BigInt(s.paddr), true);
    dv.setBigUint64(p + 32, BigInt(s.data.length), true);
    dv.setBigUint64(p + 40, BigInt(s.memSize ?? s.data.length), true);
    dv.setBigUint64(p + 48, 8n, true);
    b.set(s.data, dataAt[k]);
  });
  symbols.forEach((s, k) => {
    const e = symtabAt + (k + 1) * SYM_BYTES;
    dv.setUint32(e, nameOffsets[k], true);
    b[e + 4] = 0x10; // STB_GLOBAL, STT_NOTYPE
    dv.setUint16(e + 6, 0xfff1, true); // SHN_ABS
    dv.setBigUint64(e + 8, BigInt.asUintN(64, BigInt(s.value)), true);
    dv.setBigUint64(e + 16, BigInt(s.size ?? 8), true);
  });
  b.set(strtab, strtabAt);
  const shdr = (k: number, type: number, off: number, size: number, link: number, entsize: number): void => {
    const s = shoff + k * SHDR_BYTES;
    dv.setUint32(s + 4, type, true);
    dv.setBigUint64(s + 24, BigInt(off), true);
    dv.setBigUint64(s + 32, BigInt(size), true);
    dv.setUint32(s + 40, link, true);
    dv.setUint32(s + 44, 1, true); // sh_info: one local symbol (the null one)
    dv.setBigUint64(s + 48, 8n, true);
    dv.setBigUint64(s + 56, BigInt(entsize), true);
  };
  shdr(ELF_SYMTAB_SECTION, 2, symtabAt, symtabBytes, ELF_STRTAB_SECTION, SYM_BYTES); // SHT_SYMTAB
  shdr(ELF_STRTAB_SECTION, 3, strtabAt, strtab.length, 0, 0); // SHT_STRTAB
  return b;
}

/** Offset of section header `k` in a sample (or any) ELF64 file. */
export function sectionHeaderAt(elf: Uint8Array, k: number): number {
  return (
    Number(new DataView(elf.buffer, elf.byteOffset).getBigUint64(ELF_OFFSETS.e_shoff, true)) + k * SHDR_BYTES
  );
}

export interface ImageSample {
  /** File length in bytes (with the EFI stub at least 8 KiB: 4 KiB of headers, then the sections). */
  sizeBytes: number;
  textOffset: number;
  /** The header's image_size (the memory the kernel uses, its bss included). */
  imageSize: number;
  /** Give it the EFI stub's MZ/PE headers, as Debian's Image has. */
  efi?: boolean;
}

/** PE/COFF layout of the EFI stub, as in Linux's Images. */
export const PE_HEADER_AT = 0x40;
const COFF_SIZE_OF_OPTIONAL_HEADER = 0xa0;
export const PE_SECTION_TABLE_AT = PE_HEADER_AT + 24 + COFF_SIZE_OF_OPTIONAL_HEADER;
const PE_SIZE_OF_HEADERS = 0x1000;

/** A RISC-V Linux Image: the 64-byte header, then a recognisable pattern. */
export function buildImage(o: ImageSample): Uint8Array {
  const b = new Uint8Array(o.sizeBytes);
  for (let i = 64; i < o.sizeBytes; i++) b[i] = (i * 7 + 3) & 0xff;
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0x0000006f, true); // code0: a jump over the header
  dv.setBigUint64(8, BigInt(o.textOffset), true);
  dv.setBigUint64(16, BigInt(o.imageSize), true);
  dv.setUint32(32, 2, true); // version 0.2
  b.set(new TextEncoder().encode('RISCV\0\0\0'), 48);
  b.set(new TextEncoder().encode('RSC\x05'), 56);
  if (!o.efi) return b;
  // The stub: "MZ" in code0, e_lfanew (res3) at 0x3c, then "PE\0\0", the COFF header, a PE32+
  // optional header and two sections whose raw data covers the file from SizeOfHeaders to its end.
  b.fill(0, 64, PE_SIZE_OF_HEADERS);
  b.set([0x4d, 0x5a], 0);
  dv.setUint32(0x3c, PE_HEADER_AT, true);
  dv.setUint32(PE_HEADER_AT, 0x00004550, true);
  const coff = PE_HEADER_AT + 4;
  dv.setUint16(coff, 0x5064, true); // IMAGE_FILE_MACHINE_RISCV64
  dv.setUint16(coff + 2, 2, true); // NumberOfSections
  dv.setUint16(coff + 16, COFF_SIZE_OF_OPTIONAL_HEADER, true);
  dv.setUint16(coff + 18, 0x206, true); // Characteristics
  const opt = coff + 20;
  dv.setUint16(opt, 0x20b, true); // PE32+
  dv.setUint32(opt + 32, 0x1000, true); // SectionAlignment
  dv.setUint32(opt + 36, 0x200, true); // FileAlignment
  dv.setUint32(opt + 56, o.imageSize, true); // SizeOfImage
  dv.setUint32(opt + 60, PE_SIZE_OF_HEADERS, true); // SizeOfHeaders
  const textEnd = PE_SIZE_OF_HEADERS + Math.floor((o.sizeBytes - PE_SIZE_OF_HEADERS) / 2 / 0x200) * 0x200;
  const section = (k: number, name: string, start: number, end: number): void => {
    const s = PE_SECTION_TABLE_AT + k * 40;
    b.set(new TextEncoder().encode(name), s);
    dv.setUint32(s + 8, end - start, true); // VirtualSize
    dv.setUint32(s + 12, start, true); // VirtualAddress
    dv.setUint32(s + 16, end - start, true); // SizeOfRawData
    dv.setUint32(s + 20, start, true); // PointerToRawData
  };
  section(0, '.text', PE_SIZE_OF_HEADERS, textEnd);
  section(1, '.data', textEnd, o.sizeBytes);
  return b;
}
