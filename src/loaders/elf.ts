// ELF64 loader for RISC-V executables (System V gABI; RISC-V ELF psABI): PT_LOAD segments go to
// their physical addresses, and the symbol table is kept for HTIF's tohost/fromhost.

import type { GuestMemory } from '../memory/guest-memory.js';

export class ElfError extends Error {}

const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const EM_RISCV = 243;

export interface ElfImage {
  entry: number;
  segments: { paddr: number; fileSize: number; memSize: number; offset: number }[];
  symbols: Map<string, { value: number; size: number }>;
}

/** Parse and validate an ELF64 little-endian RISC-V executable. */
export function parseElf(data: Uint8Array): ElfImage {
  if (data.length < 64) throw new ElfError('file is too short to be an ELF executable');
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (dv.getUint32(0, false) !== 0x7f454c46) throw new ElfError('not an ELF file (bad magic)');
  if (data[4] !== 2) throw new ElfError('not a 64-bit ELF file (ELFCLASS64 expected)');
  if (data[5] !== 1) throw new ElfError('not a little-endian ELF file');
  if (dv.getUint16(18, true) !== EM_RISCV)
    throw new ElfError('not a RISC-V ELF file (e_machine is not EM_RISCV)');
  const u64 = (off: number): number => {
    if (off + 8 > data.length) throw new ElfError('truncated ELF file');
    const v = dv.getBigUint64(off, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError('ELF value out of range');
    return Number(v);
  };
  const entry = Number(BigInt.asIntN(64, dv.getBigUint64(24, true)));
  const phoff = u64(32);
  const shoff = u64(40);
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  const shentsize = dv.getUint16(58, true);
  const shnum = dv.getUint16(60, true);
  const segments: ElfImage['segments'] = [];
  for (let k = 0; k < phnum; k++) {
    const p = phoff + k * phentsize;
    if (p + 56 > data.length) throw new ElfError('truncated program header table');
    if (dv.getUint32(p, true) !== PT_LOAD) continue;
    const seg = { offset: u64(p + 8), paddr: u64(p + 24), fileSize: u64(p + 32), memSize: u64(p + 40) };
    if (seg.offset + seg.fileSize > data.length)
      throw new ElfError('segment extends past the end of the file');
    if (seg.fileSize > seg.memSize) throw new ElfError('segment file size exceeds its memory size');
    segments.push(seg);
  }
  if (segments.length === 0) throw new ElfError('no loadable segments');
  const symbols = new Map<string, { value: number; size: number }>();
  for (let k = 0; k < shnum && shoff !== 0; k++) {
    const s = shoff + k * shentsize;
    if (s + 64 > data.length) throw new ElfError('truncated section header table');
    if (dv.getUint32(s + 4, true) !== SHT_SYMTAB) continue;
    const symOff = u64(s + 24),
      symSize = u64(s + 32),
      link = dv.getUint32(s + 40, true);
    const strSec = shoff + link * shentsize;
    const strOff = u64(strSec + 24),
      strSize = u64(strSec + 32);
    for (let e = symOff; e + 24 <= symOff + symSize && e + 24 <= data.length; e += 24) {
      const nameOff = dv.getUint32(e, true);
      if (nameOff === 0 || nameOff >= strSize) continue;
      let end = strOff + nameOff;
      while (end < data.length && data[end] !== 0) end++;
      const name = new TextDecoder().decode(data.subarray(strOff + nameOff, end));
      symbols.set(name, { value: u64(e + 8), size: u64(e + 16) });
    }
  }
  return { entry, segments, symbols };
}

/** Copy the segments of `img` (from file bytes `data`) into guest RAM; throws if one falls outside. */
export function loadElf(mem: GuestMemory, data: Uint8Array, img: ElfImage): void {
  for (const s of img.segments) {
    if (!mem.contains(s.paddr, s.memSize)) {
      throw new ElfError(
        `segment at 0x${s.paddr.toString(16)} (+${s.memSize} bytes) is outside guest RAM ` +
          `(0x${mem.base.toString(16)}-0x${(mem.base + mem.sizeBytes).toString(16)})`,
      );
    }
    mem.write(s.paddr, data.subarray(s.offset, s.offset + s.fileSize));
    mem.slice(s.paddr + s.fileSize, s.memSize - s.fileSize).fill(0);
  }
}
