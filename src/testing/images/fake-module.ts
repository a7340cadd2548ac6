// Test support: a minimal ELF-64 relocatable file whose only content is a `.modinfo` section, the
// shape modinfo.ts reads from real kernel modules (System V gABI section header layout).

const EHDR_BYTES = 0x40;
const SHDR_BYTES = 0x40;
const ET_REL = 1;
const EM_RISCV = 243;
const SHT_PROGBITS = 1;
const SHT_STRTAB = 3;

/** Fields of a fake module's .modinfo; each becomes one `key=value` record. */
export interface FakeModinfo {
  name: string;
  vermagic: string;
  depends?: string[];
  softdep?: string;
  aliases?: string[];
}

/** Build a fake `.ko` whose .modinfo holds the given fields (plus a `license=GPL` record). */
export function fakeModule(m: FakeModinfo): Uint8Array {
  const records = [
    'license=GPL',
    ...(m.aliases ?? []).map((a) => `alias=${a}`),
    ...(m.softdep === undefined ? [] : [`softdep=${m.softdep}`]),
    `depends=${(m.depends ?? []).join(',')}`,
    `name=${m.name}`,
    `vermagic=${m.vermagic}`,
  ];
  const enc = new TextEncoder();
  const modinfo = enc.encode(records.map((r) => `${r}\0`).join(''));
  const shstrtab = enc.encode('\0.modinfo\0.shstrtab\0');
  const modinfoOff = EHDR_BYTES;
  const strOff = modinfoOff + modinfo.length;
  const shoff = (strOff + shstrtab.length + 7) & ~7;
  const out = new Uint8Array(shoff + 3 * SHDR_BYTES);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  dv.setUint16(0x10, ET_REL, true);
  dv.setUint16(0x12, EM_RISCV, true);
  dv.setUint32(0x14, 1, true);
  dv.setBigUint64(0x28, BigInt(shoff), true);
  dv.setUint16(0x34, EHDR_BYTES, true);
  dv.setUint16(0x3a, SHDR_BYTES, true);
  dv.setUint16(0x3c, 3, true);
  dv.setUint16(0x3e, 2, true);
  out.set(modinfo, modinfoOff);
  out.set(shstrtab, strOff);
  const shdr = (i: number, nameOff: number, type: number, off: number, size: number): void => {
    const h = shoff + i * SHDR_BYTES;
    dv.setUint32(h, nameOff, true);
    dv.setUint32(h + 4, type, true);
    dv.setBigUint64(h + 0x18, BigInt(off), true);
    dv.setBigUint64(h + 0x20, BigInt(size), true);
  };
  shdr(1, 1, SHT_PROGBITS, modinfoOff, modinfo.length);
  shdr(2, 10, SHT_STRTAB, strOff, shstrtab.length);
  return out;
}
