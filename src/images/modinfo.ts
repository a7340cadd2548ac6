// Reading a kernel module's `.modinfo` section: NUL-separated `key=value` strings written by
// modpost (depends=, softdep=, alias=, vermagic=, name=). ELF-64 section headers per the System V
// gABI ("Sections"); the .modinfo keys per Linux include/linux/module.h and scripts/mod/modpost.c.

export class ModinfoError extends Error {}

/** ELF-64 header fields that locate the section header table (gABI "ELF Header"). */
const EHDR = { shoff: 0x28, shentsize: 0x3a, shnum: 0x3c, shstrndx: 0x3e, bytes: 0x40 } as const;
/** ELF-64 section header fields (gABI "Section Header"). */
const SHDR = { name: 0x00, offset: 0x18, size: 0x20, bytes: 0x40 } as const;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;

/** The bytes of the named section of a 64-bit little-endian ELF file, or undefined if absent. */
export function elfSection(elf: Uint8Array, name: string, what = 'ELF file'): Uint8Array | undefined {
  const isElf =
    elf.length >= EHDR.bytes && elf[0] === 0x7f && elf[1] === 0x45 && elf[2] === 0x4c && elf[3] === 0x46;
  if (!isElf || elf[4] !== ELFCLASS64 || elf[5] !== ELFDATA2LSB) {
    throw new ModinfoError(`${what}: not a 64-bit little-endian ELF file`);
  }
  const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const shoff = Number(dv.getBigUint64(EHDR.shoff, true));
  const shentsize = dv.getUint16(EHDR.shentsize, true);
  const shnum = dv.getUint16(EHDR.shnum, true);
  const shstrndx = dv.getUint16(EHDR.shstrndx, true);
  if (shentsize < SHDR.bytes || shoff + shnum * shentsize > elf.length || shstrndx >= shnum) {
    throw new ModinfoError(`${what}: section header table out of bounds`);
  }
  const section = (i: number): { nameOff: number; data: Uint8Array } => {
    const h = shoff + i * shentsize;
    const off = Number(dv.getBigUint64(h + SHDR.offset, true));
    const size = Number(dv.getBigUint64(h + SHDR.size, true));
    if (off + size > elf.length) throw new ModinfoError(`${what}: section ${i} out of bounds`);
    return { nameOff: dv.getUint32(h + SHDR.name, true), data: elf.subarray(off, off + size) };
  };
  const strtab = section(shstrndx).data;
  const want = new TextEncoder().encode(`${name}\0`);
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    const candidate = strtab.subarray(s.nameOff, s.nameOff + want.length);
    if (candidate.length === want.length && candidate.every((b, j) => b === want[j])) return s.data;
  }
  return undefined;
}

/** What the builder uses from a module's .modinfo. */
export interface ModInfo {
  /** `name=` (underscored, as the kernel knows the module). */
  name: string;
  /** `depends=`: modules that must be loaded first (comma-separated in the section). */
  depends: string[];
  /** `softdep=pre: …`: names or aliases to load first if available. */
  softdepPre: string[];
  /** `alias=` values (may be several). */
  aliases: string[];
  /** `vermagic=`: starts with the kernel release the module was built for. */
  vermagic: string;
}

/** Parse `key=value\0key=value\0…` (values may repeat; empty strings between are padding). */
export function parseModinfo(section: Uint8Array): ModInfo {
  const info: ModInfo = { name: '', depends: [], softdepPre: [], aliases: [], vermagic: '' };
  for (const entry of new TextDecoder().decode(section).split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const key = entry.slice(0, eq);
    const value = entry.slice(eq + 1);
    if (key === 'name') info.name = value;
    else if (key === 'depends') info.depends.push(...value.split(',').filter((d) => d !== ''));
    else if (key === 'alias') info.aliases.push(value);
    else if (key === 'vermagic') info.vermagic = value;
    else if (key === 'softdep') info.softdepPre.push(...softdepPre(value));
  }
  return info;
}

/** The `pre:` names of a softdep value such as `pre: crypto-crc32c post: foo`. */
export function softdepPre(value: string): string[] {
  const out: string[] = [];
  let inPre = false;
  for (const word of value.split(/\s+/)) {
    if (word === 'pre:') inPre = true;
    else if (word === 'post:') inPre = false;
    else if (word !== '' && inPre) out.push(word);
  }
  return out;
}

/** Read the .modinfo of an (uncompressed) module file. */
export function moduleInfo(ko: Uint8Array, what: string): ModInfo {
  const s = elfSection(ko, '.modinfo', what);
  if (s === undefined) throw new ModinfoError(`${what}: no .modinfo section: not a kernel module`);
  return parseModinfo(s);
}
