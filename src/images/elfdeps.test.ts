// Program loadability: PT_INTERP and DT_NEEDED read from ELF files built here from the gABI layout,
// and ld.so's library search (DT_RPATH, DT_RUNPATH, $ORIGIN, the system folders) over a file tree.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLoadable, debianSystemDirs, elfDynamic, ElfError, realPath, type FileTree } from './elfdeps.js';

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
const BASE_VADDR = 0x10000;

/**
 * A minimal ELF-64 LE RISC-V file: header, program headers (one PT_LOAD over the whole file at
 * BASE_VADDR, PT_INTERP if `interp`, PT_DYNAMIC), a string table and the dynamic array.
 */
function elf(o: { interp?: string; needed?: string[]; rpath?: string; runpath?: string }): Uint8Array {
  const phnum = o.interp === undefined ? 2 : 3;
  const phoff = 64;
  const strOff = phoff + 56 * phnum;
  let strtab = '\0';
  const str = (s: string): number => {
    const at = strtab.length;
    strtab += `${s}\0`;
    return at;
  };
  const interpOff = o.interp === undefined ? 0 : strOff + str(o.interp);
  const dyn: [number, number][] = [];
  for (const n of o.needed ?? []) dyn.push([DT_NEEDED, str(n)]);
  if (o.rpath !== undefined) dyn.push([DT_RPATH, str(o.rpath)]);
  if (o.runpath !== undefined) dyn.push([DT_RUNPATH, str(o.runpath)]);
  dyn.push([DT_STRTAB, BASE_VADDR + strOff], [0, 0]);
  const dynOff = (strOff + strtab.length + 7) & ~7;
  const size = dynOff + 16 * dyn.length;
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  dv.setUint16(0x10, 3, true); // ET_DYN
  dv.setUint16(0x12, 243, true); // EM_RISCV
  dv.setUint32(0x14, 1, true);
  dv.setBigUint64(0x20, BigInt(phoff), true);
  dv.setUint16(0x34, 64, true);
  dv.setUint16(0x36, 56, true);
  dv.setUint16(0x38, phnum, true);
  const ph = (i: number, type: number, offset: number, filesz: number): void => {
    const h = phoff + 56 * i;
    dv.setUint32(h, type, true);
    dv.setBigUint64(h + 0x08, BigInt(offset), true);
    dv.setBigUint64(h + 0x10, BigInt(BASE_VADDR + offset), true);
    dv.setBigUint64(h + 0x18, BigInt(BASE_VADDR + offset), true);
    dv.setBigUint64(h + 0x20, BigInt(filesz), true);
    dv.setBigUint64(h + 0x28, BigInt(filesz), true);
  };
  ph(0, PT_LOAD, 0, size);
  ph(1, PT_DYNAMIC, dynOff, 16 * dyn.length);
  if (o.interp !== undefined) ph(2, PT_INTERP, interpOff, o.interp.length + 1);
  b.set(new TextEncoder().encode(strtab), strOff);
  dyn.forEach(([tag, val], i) => {
    dv.setBigUint64(dynOff + 16 * i, BigInt(tag), true);
    dv.setBigUint64(dynOff + 16 * i + 8, BigInt(val), true);
  });
  return b;
}

function fileTree(files: Record<string, Uint8Array>, links: Record<string, string>): FileTree {
  return { file: (p) => files[p], link: (p) => links[p] };
}

const INTERP = '/lib/ld-linux-riscv64-lp64d.so.1';
const DIRS = debianSystemDirs('riscv64-linux-gnu');

test('PT_INTERP, DT_NEEDED, DT_RPATH and DT_RUNPATH are read through the dynamic string table', () => {
  const d = elfDynamic(
    elf({ interp: INTERP, needed: ['libc.so.6', 'libz.so.1'], runpath: '$ORIGIN/../lib:/opt' }),
    'x',
  );
  assert.equal(d.interp, INTERP);
  assert.deepEqual(d.needed, ['libc.so.6', 'libz.so.1']);
  assert.deepEqual(d.runpath, ['$ORIGIN/../lib', '/opt']);
  assert.deepEqual(d.rpath, []);
  assert.equal(elfDynamic(elf({ needed: [] }), 'lib').interp, undefined);
});

test('a program loads when its interpreter and every library, transitively, are in the tree', () => {
  const m = 'riscv64-linux-gnu';
  const files: Record<string, Uint8Array> = {
    '/usr/bin/qemu': elf({ interp: INTERP, needed: ['libglib-2.0.so.0', 'libc.so.6'] }),
    [`/usr/lib/${m}/ld-linux-riscv64-lp64d.so.1`]: elf({}),
    [`/usr/lib/${m}/libglib-2.0.so.0.8400.4`]: elf({ needed: ['libpcre2-8.so.0', 'libc.so.6'] }),
    [`/usr/lib/${m}/libc.so.6`]: elf({ needed: ['ld-linux-riscv64-lp64d.so.1'] }),
    [`/usr/lib/${m}/libpcre2-8.so.0`]: elf({ needed: ['libc.so.6'] }),
  };
  const links = {
    '/lib': 'usr/lib',
    '/usr/lib/ld-linux-riscv64-lp64d.so.1': `${m}/ld-linux-riscv64-lp64d.so.1`,
    [`/usr/lib/${m}/libglib-2.0.so.0`]: 'libglib-2.0.so.0.8400.4',
  };
  const ok = checkLoadable(fileTree(files, links), '/usr/bin/qemu', DIRS);
  assert.deepEqual(ok.missing, []);
  assert.equal(ok.interp, INTERP);
  assert.deepEqual(Object.fromEntries(ok.found), {
    'libglib-2.0.so.0': `/usr/lib/${m}/libglib-2.0.so.0.8400.4`,
    'libc.so.6': `/usr/lib/${m}/libc.so.6`,
    'libpcre2-8.so.0': `/usr/lib/${m}/libpcre2-8.so.0`,
    'ld-linux-riscv64-lp64d.so.1': `/usr/lib/${m}/ld-linux-riscv64-lp64d.so.1`,
  });
  // Without the /lib alias the interpreter is not found; without libpcre2, glib's need is reported.
  const noAlias = checkLoadable(
    fileTree(files, Object.fromEntries(Object.entries(links).filter(([k]) => k !== '/lib'))),
    '/usr/bin/qemu',
    DIRS,
  );
  assert.deepEqual(noAlias.missing, [`/usr/bin/qemu: interpreter ${INTERP}`]);
  const less = Object.fromEntries(Object.entries(files).filter(([k]) => !k.endsWith('libpcre2-8.so.0')));
  assert.deepEqual(checkLoadable(fileTree(less, links), '/usr/bin/qemu', DIRS).missing, [
    `/usr/lib/${m}/libglib-2.0.so.0.8400.4: libpcre2-8.so.0`,
  ]);
});

test('ld.so search order: $ORIGIN in DT_RUNPATH; DT_RPATH is ignored when DT_RUNPATH is present', () => {
  const files: Record<string, Uint8Array> = {
    '/opt/app/bin/app': elf({ interp: '/ld.so', needed: ['libapp.so'], runpath: '$ORIGIN/../lib' }),
    '/opt/app/lib/libapp.so': elf({ needed: ['libold.so'], rpath: '/rpath', runpath: '/nowhere' }),
    '/rpath/libold.so': elf({}),
    '/ld.so': elf({}),
  };
  const r = checkLoadable(fileTree(files, {}), '/opt/app/bin/app', DIRS);
  assert.equal(r.found.get('libapp.so'), '/opt/app/lib/libapp.so');
  assert.deepEqual(r.missing, ['/opt/app/lib/libapp.so: libold.so']);
  files['/opt/app/lib/libapp.so'] = elf({ needed: ['libold.so'], rpath: '/rpath' });
  assert.deepEqual(checkLoadable(fileTree(files, {}), '/opt/app/bin/app', DIRS).missing, []);
});

test('symlinks resolve in every component, relative and absolute, and loops end', () => {
  const t = fileTree(
    { '/usr/lib/x/f': new Uint8Array(1) },
    { '/lib': 'usr/lib', '/a': '/lib/x', '/l1': 'l2', '/l2': 'l1' },
  );
  assert.equal(realPath(t, '/lib/x/f'), '/usr/lib/x/f');
  assert.equal(realPath(t, '/a/f'), '/usr/lib/x/f');
  assert.equal(realPath(t, '/usr/lib/x/../x/f'), '/usr/lib/x/f');
  assert.equal(realPath(t, '/l1/f'), undefined);
  assert.equal(realPath(t, '/lib/x/g'), undefined);
});

test('malformed ELF files are ElfErrors, not exceptions from DataView', () => {
  const good = elf({ interp: INTERP, needed: ['libc.so.6'] });
  assert.throws(() => elfDynamic(good.subarray(0, 40), 'short'), ElfError);
  assert.throws(() => elfDynamic(new TextEncoder().encode('#!/bin/sh\n'.repeat(8)), 'script'), ElfError);
  const badPh = good.slice();
  new DataView(badPh.buffer).setUint16(0x38, 500, true);
  assert.throws(() => elfDynamic(badPh, 'phnum'), /program header table out of bounds/);
  const badSeg = good.slice();
  // PT_INTERP (program header 2) claims bytes past the end of the file.
  new DataView(badSeg.buffer).setBigUint64(64 + 56 * 2 + 0x20, 1n << 40n, true);
  assert.throws(() => elfDynamic(badSeg, 'segment'), /segment 2 out of bounds/);
  const badStr = good.slice();
  // DT_STRTAB is the second-to-last dynamic entry: point it outside every PT_LOAD.
  const dv = new DataView(badStr.buffer);
  dv.setBigUint64(badStr.length - 24, 0x7fff0000n, true);
  assert.throws(() => elfDynamic(badStr, 'strtab'), /is in no segment/);
});
