// What the dynamic linker needs to start a program: its PT_INTERP and, transitively, every DT_NEEDED
// library found the way glibc's ld.so searches without an ld.so.cache (DT_RPATH, DT_RUNPATH, then
// the built-in folders). System V gABI "Program Header" and "Dynamic Section"; ld.so(8).

import { posix } from 'node:path';
import type { CpioEntry } from './cpio.js';

export class ElfError extends Error {}

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NULL = 0;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
/** ELF-64 header offsets (gABI "ELF Header"). */
const EHDR = { phoff: 0x20, phentsize: 0x36, phnum: 0x38, bytes: 0x40 } as const;
/** ELF-64 program header offsets (gABI "Program Header"). */
const PHDR = { type: 0x00, offset: 0x08, vaddr: 0x10, filesz: 0x20, bytes: 0x38 } as const;

/** The dynamic-linking facts of one ELF file. */
export interface ElfDynamic {
  /** PT_INTERP (the program interpreter), for executables. */
  interp: string | undefined;
  needed: string[];
  /** DT_RPATH and DT_RUNPATH folders (colon lists split), `$ORIGIN` not yet substituted. */
  rpath: string[];
  runpath: string[];
}

/** True for a 64-bit little-endian ELF file. */
export function isElf64(b: Uint8Array): boolean {
  return (
    b.length >= EHDR.bytes &&
    b[0] === 0x7f &&
    b[1] === 0x45 &&
    b[2] === 0x4c &&
    b[3] === 0x46 &&
    b[4] === 2 &&
    b[5] === 1
  );
}

/** Parse the program headers and the dynamic section; every offset is bounds-checked. */
export function elfDynamic(b: Uint8Array, what: string): ElfDynamic {
  if (!isElf64(b)) throw new ElfError(`${what}: not a 64-bit little-endian ELF file`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u64 = (at: number): number => {
    if (at + 8 > b.length) throw new ElfError(`${what}: truncated at ${at}`);
    return Number(dv.getBigUint64(at, true));
  };
  const phoff = u64(EHDR.phoff);
  const phentsize = dv.getUint16(EHDR.phentsize, true);
  const phnum = dv.getUint16(EHDR.phnum, true);
  if (phentsize < PHDR.bytes || phoff + phnum * phentsize > b.length) {
    throw new ElfError(`${what}: program header table out of bounds`);
  }
  const loads: { vaddr: number; offset: number; filesz: number }[] = [];
  let interp: string | undefined;
  let dyn: { offset: number; filesz: number } | undefined;
  const cstr = (at: number): string => {
    const end = b.indexOf(0, at);
    if (at >= b.length || end < 0) throw new ElfError(`${what}: string at ${at} out of bounds`);
    return new TextDecoder().decode(b.subarray(at, end));
  };
  for (let i = 0; i < phnum; i++) {
    const h = phoff + i * phentsize;
    const type = dv.getUint32(h + PHDR.type, true);
    const seg = { vaddr: u64(h + PHDR.vaddr), offset: u64(h + PHDR.offset), filesz: u64(h + PHDR.filesz) };
    if (seg.offset + seg.filesz > b.length) throw new ElfError(`${what}: segment ${i} out of bounds`);
    if (type === PT_LOAD) loads.push(seg);
    else if (type === PT_INTERP) interp = cstr(seg.offset);
    else if (type === PT_DYNAMIC) dyn = seg;
  }
  const out: ElfDynamic = { interp, needed: [], rpath: [], runpath: [] };
  if (dyn === undefined) return out;
  // DT_STRTAB holds a virtual address: map it to the file through the PT_LOAD that covers it.
  const fileOffset = (vaddr: number): number => {
    const seg = loads.find((l) => vaddr >= l.vaddr && vaddr < l.vaddr + l.filesz);
    if (seg === undefined) throw new ElfError(`${what}: address 0x${vaddr.toString(16)} is in no segment`);
    return seg.offset + (vaddr - seg.vaddr);
  };
  const tags: [number, number][] = [];
  for (let at = dyn.offset; at + 16 <= dyn.offset + dyn.filesz; at += 16) {
    const tag = u64(at);
    if (tag === DT_NULL) break;
    tags.push([tag, u64(at + 8)]);
  }
  const strtab = tags.find(([t]) => t === DT_STRTAB)?.[1];
  if (strtab === undefined) throw new ElfError(`${what}: dynamic section without DT_STRTAB`);
  const str = (off: number): string => cstr(fileOffset(strtab) + off);
  for (const [tag, val] of tags) {
    if (tag === DT_NEEDED) out.needed.push(str(val));
    else if (tag === DT_RPATH) out.rpath.push(...str(val).split(':'));
    else if (tag === DT_RUNPATH) out.runpath.push(...str(val).split(':'));
  }
  return out;
}

/** A read-only view of a file tree (an initramfs): file bytes and symlink targets by absolute path. */
export interface FileTree {
  /** The bytes of a regular file, or undefined. */
  file(path: string): Uint8Array | undefined;
  /** The target of a symlink, or undefined. */
  link(path: string): string | undefined;
}

/** Resolve symlinks in every component of an absolute `path` (at most 40, as Linux's ELOOP). */
export function realPath(tree: FileTree, path: string): string | undefined {
  let parts = path.split('/').filter((p) => p !== '');
  let done: string[] = [];
  for (let hops = 0; parts.length > 0;) {
    const name = parts.shift() as string;
    if (name === '.') continue;
    if (name === '..') {
      done.pop();
      continue;
    }
    const here = `/${[...done, name].join('/')}`;
    const target = tree.link(here);
    if (target === undefined) {
      done.push(name);
      continue;
    }
    if (++hops > 40) return undefined;
    parts = [...target.split('/').filter((p) => p !== ''), ...parts];
    if (target.startsWith('/')) done = [];
  }
  const p = `/${done.join('/')}`;
  return tree.file(p) === undefined ? undefined : p;
}

/** What is missing for one program. */
export interface LoadCheck {
  interp: string | undefined;
  /** Libraries found, by DT_NEEDED name, with their real path. */
  found: Map<string, string>;
  /** `needer: name` for each DT_NEEDED found nowhere, and the interpreter if absent. */
  missing: string[];
}

/**
 * Follow `program`'s PT_INTERP and DT_NEEDED (breadth-first, each library once) inside `tree`, with
 * ld.so's search order for a library: the needer's DT_RPATH (only without DT_RUNPATH), then its
 * DT_RUNPATH, then `systemDirs`. `$ORIGIN` is the needer's folder.
 */
export function checkLoadable(tree: FileTree, program: string, systemDirs: readonly string[]): LoadCheck {
  const exe = tree.file(program);
  if (exe === undefined) return { interp: undefined, found: new Map(), missing: [`${program} itself`] };
  const top = elfDynamic(exe, program);
  const missing: string[] = [];
  if (top.interp === undefined) missing.push(`${program}: no PT_INTERP`);
  else if (realPath(tree, top.interp) === undefined) missing.push(`${program}: interpreter ${top.interp}`);
  const found = new Map<string, string>();
  const queue: { path: string; dyn: ElfDynamic }[] = [{ path: program, dyn: top }];
  while (queue.length > 0) {
    const { path, dyn } = queue.shift() as { path: string; dyn: ElfDynamic };
    const origin = posix.dirname(path);
    const dirs = [...(dyn.runpath.length === 0 ? dyn.rpath : []), ...dyn.runpath]
      .map((d) => d.replace(/\$(ORIGIN|\{ORIGIN\})/g, origin))
      .concat(systemDirs);
    for (const name of dyn.needed) {
      if (found.has(name)) continue;
      const hit = name.includes('/')
        ? realPath(tree, name)
        : dirs.map((d) => realPath(tree, posix.join(d, name))).find((p) => p !== undefined);
      if (hit === undefined) {
        missing.push(`${path}: ${name}`);
        continue;
      }
      found.set(name, hit);
      queue.push({ path: hit, dyn: elfDynamic(tree.file(hit) as Uint8Array, hit) });
    }
  }
  return { interp: top.interp, found, missing };
}

/** glibc's built-in library folders for a Debian multiarch tuple (its ld.so's system search path). */
export function debianSystemDirs(multiarch: string): string[] {
  return [`/lib/${multiarch}`, `/usr/lib/${multiarch}`, '/lib', '/usr/lib'];
}

/** A FileTree over initramfs members (paths without the leading '/'). */
export function treeOfEntries(entries: readonly CpioEntry[]): FileTree {
  const files = new Map<string, Uint8Array>();
  const links = new Map<string, string>();
  for (const e of entries) {
    if (e.kind === 'file') files.set(`/${e.path}`, e.data);
    else if (e.kind === 'symlink') links.set(`/${e.path}`, e.target);
  }
  return { file: (p) => files.get(p), link: (p) => links.get(p) };
}
