// The ELF loader against the System V gABI: program headers are e_phentsize = sizeof(Elf64_Phdr)
// = 56 bytes, section headers 64, symbols 24; a PT_LOAD segment's p_filesz bytes come from
// p_offset in the file and the rest of its p_memsz is zero; sh_link of SHT_SYMTAB names its string
// table. A file that breaks these rules, or whose segments cannot go into RAM, is an ElfError, and
// nothing is written to RAM then.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GuestMemory } from '../memory/guest-memory.js';
import { ElfError, loadElf, parseElf } from './elf.js';
import {
  ELF_OFFSETS as O,
  ELF_SYMTAB_SECTION,
  buildElf,
  sectionHeaderAt,
  type ElfSample,
} from '../testing/loaders/samples.js';

const BASE = 0x80000000;
const RAM = 1 << 20;

const code = new Uint8Array(256).map((_, i) => i + 1);
const data = new Uint8Array(64).fill(0xaa);
const sample: ElfSample = {
  entry: BASE,
  segments: [
    { paddr: BASE, data: code },
    { paddr: BASE + 0x1000, data, memSize: 0x100 },
  ],
  symbols: [
    { name: 'tohost', value: BASE + 0x1000 },
    { name: 'fromhost', value: BASE + 0x1040 },
  ],
};

/** A copy of the sample ELF with `edit` applied to its bytes. */
function elf(edit: (dv: DataView, b: Uint8Array) => void = () => {}, spec: ElfSample = sample): Uint8Array {
  const b = buildElf(spec);
  edit(new DataView(b.buffer), b);
  return b;
}

/** parseElf then loadElf into fresh RAM; returns the RAM so tests can look at it. */
function load(file: Uint8Array): GuestMemory {
  const mem = new GuestMemory(BASE, RAM);
  loadElf(mem, file, parseElf(file));
  return mem;
}

/** Loading `file` fails with an ElfError matching `message`, and RAM stays untouched. */
function rejects(file: Uint8Array, message: RegExp): void {
  const mem = new GuestMemory(BASE, RAM);
  assert.throws(
    () => loadElf(mem, file, parseElf(file)),
    (e: unknown) => {
      assert.ok(e instanceof ElfError, `not an ElfError: ${String(e)}`);
      assert.match(e.message, message);
      return true;
    },
  );
  assert.ok(
    mem.bytes.every((b) => b === 0),
    'nothing written to RAM',
  );
}

test('a valid ELF loads: segments at p_paddr, bss zeroed, symbols and entry kept', () => {
  const file = elf();
  const img = parseElf(file);
  assert.equal(img.entry, BASE);
  assert.deepEqual(img.symbols.get('tohost'), { value: BASE + 0x1000, size: 8 });
  const mem = new GuestMemory(BASE, RAM);
  mem.bytes.fill(0x55);
  loadElf(mem, file, img);
  assert.deepEqual(mem.bytes.subarray(0, code.length), code);
  assert.deepEqual(mem.bytes.subarray(0x1000, 0x1040), data);
  assert.ok(
    mem.bytes.subarray(0x1040, 0x1100).every((b) => b === 0),
    'bss is zero',
  );
  assert.equal(mem.bytes[0x1100], 0x55, 'nothing past p_memsz');
});

test('symbols at kernel-virtual addresses (>= 2^53) do not abort the load; they are left out', () => {
  const file = elf(undefined, {
    ...sample,
    symbols: [
      { name: 'tohost', value: BASE + 0x1000 },
      { name: '_start_kernel', value: 0xffffffff80000000n },
      { name: 'huge', value: 1n << 53n },
    ],
  });
  const img = parseElf(file);
  assert.equal(img.symbols.get('tohost')?.value, BASE + 0x1000);
  assert.equal(img.symbols.has('_start_kernel'), false);
  assert.equal(img.symbols.has('huge'), false);
  load(file);
});

test('an entry point outside RAM, or beyond 2^53, is an ElfError', () => {
  rejects(elf(undefined, { ...sample, entry: BASE + RAM }), /entry point 0x80100000 is outside guest RAM/);
  // Not rounded to a nearby number: the message names the exact value.
  rejects(
    elf(undefined, { ...sample, entry: 0xffffffff80000002n }),
    /entry point 0xffffffff80000002 is beyond any guest RAM/,
  );
});

test('e_phentsize must be sizeof(Elf64_Phdr) = 56', () => {
  rejects(
    elf((dv) => dv.setUint16(O.e_phentsize, 32, true)),
    /e_phentsize is 32, not 56/,
  );
});

test('e_shentsize must be sizeof(Elf64_Shdr) = 64', () => {
  rejects(
    elf((dv) => dv.setUint16(O.e_shentsize, 40, true)),
    /e_shentsize is 40, not 64/,
  );
});

test('program and section header tables must lie in the file, whatever e_phoff/e_phnum/e_shnum say', () => {
  rejects(
    elf((dv, b) => dv.setBigUint64(O.e_phoff, BigInt(b.length - 60), true)),
    /program header table .* runs past the end of the file/,
  );
  rejects(
    elf((dv) => dv.setBigUint64(O.e_phoff, 0xfffffffffffffff0n, true)),
    /program header table .* runs past the end of the file/,
  );
  rejects(
    elf((dv) => dv.setUint16(O.e_phnum, 1000, true)),
    /program header table \(1000 entries/,
  );
  rejects(
    elf((dv) => dv.setUint16(O.e_shnum, 200, true)),
    /section header table \(200 entries/,
  );
  rejects(
    elf((dv) => dv.setBigUint64(O.e_shoff, 0xffffffffffffffc0n, true)),
    /section header table .* lies past the end of the file/,
  );
});

test('a segment whose file bytes run past the end of the file is refused, also when offset + size wraps', () => {
  const at = O.phdr(1);
  rejects(
    elf((dv, b) => dv.setBigUint64(at + O.p_offset, BigInt(b.length - 8), true)),
    /program header 1 .* run past the end of the file/,
  );
  rejects(
    elf((dv) => {
      dv.setBigUint64(at + O.p_offset, 0xffffffffffffffc0n, true);
      dv.setBigUint64(at + O.p_filesz, 0x40n, true); // offset + size = 2^64: wraps to 0 in 64 bits
      dv.setBigUint64(at + O.p_memsz, 0x100n, true);
    }),
    /run past the end of the file/,
  );
  rejects(
    elf((dv) => dv.setBigUint64(at + O.p_memsz, 0x20n, true)),
    /p_filesz 64 exceeds p_memsz/,
  );
});

test('PT_LOAD segments that overlap in physical memory are refused', () => {
  const overlapping: ElfSample = {
    ...sample,
    segments: [
      { paddr: BASE + 0x1000, data },
      { paddr: BASE, data: code, memSize: 0x1001 },
    ],
  };
  rejects(
    elf(undefined, overlapping),
    /PT_LOAD segments overlap in physical memory: 0x80000000-0x80001001 and 0x80001000/,
  );
  // Touching is not overlapping.
  load(
    elf(undefined, {
      ...overlapping,
      segments: [overlapping.segments[0], { ...overlapping.segments[1], memSize: 0x1000 }],
    }),
  );
});

test('a segment outside RAM is refused before any segment is written', () => {
  rejects(
    elf(undefined, {
      ...sample,
      segments: [sample.segments[0], { paddr: BASE + RAM - 16, data, memSize: 64 }],
    }),
    /segment at 0x800ffff0 \(\+64 bytes\) is outside guest RAM/,
  );
  rejects(
    elf(undefined, { ...sample, segments: [sample.segments[0], { paddr: 0x1000, data }] }),
    /segment at 0x1000 .* is outside guest RAM/,
  );
  rejects(
    elf((dv) => dv.setBigUint64(O.phdr(1) + O.p_paddr, 0xfffffffffffff000n, true)),
    /program header 1 .* beyond any guest RAM/,
  );
});

test('the symbol table must name an existing SHT_STRTAB section and lie in the file', () => {
  const sym = (b: Uint8Array): number => sectionHeaderAt(b, ELF_SYMTAB_SECTION);
  rejects(
    elf((dv, b) => dv.setUint32(sym(b) + O.sh_link, 7, true)),
    /sh_link 7 names no section \(there are 3\)/,
  );
  rejects(
    elf((dv, b) => dv.setUint32(sym(b) + O.sh_link, ELF_SYMTAB_SECTION, true)),
    /string table \(section 1\) is not SHT_STRTAB/,
  );
  rejects(
    elf((dv, b) => dv.setBigUint64(sym(b) + O.sh_size, 24n * 1000n, true)),
    /symbol table \(section 1\) runs past the end of the file/,
  );
  rejects(
    elf((dv, b) => dv.setBigUint64(sym(b) + O.sh_entsize, 16n, true)),
    /sh_entsize is 16, not 24/,
  );
});

test("a symbol's name must lie inside its string table and end there", () => {
  const strtab = (b: Uint8Array): number => sectionHeaderAt(b, 2);
  const firstName = (dv: DataView, b: Uint8Array): number =>
    Number(dv.getBigUint64(sectionHeaderAt(b, ELF_SYMTAB_SECTION) + O.sh_offset, true)) + 24;
  rejects(
    elf((dv, b) => dv.setUint32(firstName(dv, b), 5000, true)),
    /st_name 5000\) lies outside its string table/,
  );
  // The table cut short so that the last name has no terminating NUL.
  rejects(
    elf((dv, b) =>
      dv.setBigUint64(strtab(b) + O.sh_size, dv.getBigUint64(strtab(b) + O.sh_size, true) - 1n, true),
    ),
    /name runs past the end of its string table/,
  );
});

test('a file with no PT_LOAD segment is refused', () => {
  rejects(
    elf((dv) => dv.setUint16(O.e_phnum, 0, true)),
    /no loadable segments/,
  );
});

test('gABI extended numbering: e_phnum = PN_XNUM and e_shnum = 0 take their counts from section 0', () => {
  const extended = elf((dv, b) => {
    const s0 = sectionHeaderAt(b, 0);
    dv.setUint16(O.e_phnum, 0xffff, true);
    dv.setUint32(s0 + 44, 2, true); // sh_info: the program header count
    dv.setUint16(O.e_shnum, 0, true);
    dv.setBigUint64(s0 + O.sh_size, 3n, true); // sh_size: the section header count
  });
  const img = parseElf(extended);
  assert.equal(img.segments.length, 2);
  assert.equal(img.symbols.get('tohost')?.value, BASE + 0x1000);
  rejects(
    elf((dv) => {
      dv.setUint16(O.e_phnum, 0xffff, true);
      dv.setBigUint64(O.e_shoff, 0n, true);
    }),
    /e_phnum is PN_XNUM but there is no section header 0/,
  );
});

test('the symbol table must hold whole Elf64_Sym entries, and its string table lie in the file', () => {
  rejects(
    elf((dv, b) => dv.setBigUint64(sectionHeaderAt(b, ELF_SYMTAB_SECTION) + O.sh_size, 24n * 3n - 1n, true)),
    /sh_size 71 is not a multiple of 24/,
  );
  rejects(
    elf((dv, b) => dv.setBigUint64(sectionHeaderAt(b, 2) + O.sh_size, 1n << 40n, true)),
    /string table \(section 2\) runs past the end of the file/,
  );
});
