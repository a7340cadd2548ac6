// Malformed-input fuzzing of the kernel loader (loadKernel: ELF, gzip, Image with and without the
// EFI stub), from random mutations of valid files and from random bytes. The properties: it either
// loads, with the kernel, its entry and its footprint inside RAM, or throws a KernelError; it never
// throws anything else, never writes outside RAM (a canary follows RAM in the same buffer), writes
// nothing to RAM when it refuses a file, never reads past the end of the file, and reads no more
// than the file's bytes plus its 4 KiB of headers. Used by the unit test (a fixed slice) and
// tools/fuzz-loaders.mjs (long campaigns).

import { nodeGunzip } from '../../host/node/gunzip.js';
import { gzipSync } from 'node:zlib';
import { Prng } from '../../core/prng.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { KernelError, loadKernel, type KernelFile } from '../../loaders/linux.js';
import { ELF_OFFSETS, buildElf, buildImage, sectionHeaderAt } from './samples.js';

const BASE = 0x8000_0000;
const MiB = 1024 * 1024;
/** RAM of the fuzzed machine: small, so that files can be larger than it. */
export const FUZZ_RAM_BYTES = 4 * MiB;
const CANARY_BYTES = 64 * 1024;
const CANARY = 0xa5;
/** What loadKernel may read besides the file's bytes once: its headers, read first. */
const HEAD_BYTES = 4096;

/** Counters of a campaign; `failures` holds the first problems (case seed and message). */
export interface LoaderFuzzReport {
  cases: number;
  /** Loaded, by format. */
  loadedElf: number;
  loadedImage: number;
  loadedGzip: number;
  /** Refused with a KernelError. */
  rejected: number;
  /** Gzip inputs refused at the cap: they decompress to more than RAM. */
  bombs: number;
  /** Inputs given as a KernelFile (read on demand) rather than as bytes. */
  asFile: number;
  failures: { seed: number; message: string }[];
}

export function emptyLoaderReport(): LoaderFuzzReport {
  return {
    cases: 0,
    loadedElf: 0,
    loadedImage: 0,
    loadedGzip: 0,
    rejected: 0,
    bombs: 0,
    asFile: 0,
    failures: [],
  };
}

/** A valid ELF for RAM at BASE: 1-4 non-overlapping segments, some symbols (a few kernel-virtual). */
function elfSeed(r: Prng): Uint8Array {
  const segments = [];
  let at = BASE + r.below(64) * 4096;
  for (let k = 1 + r.below(4); k > 0; k--) {
    const data = r.bytes(r.below(2048));
    const memSize = data.length + r.below(8192);
    segments.push({ paddr: at, data, memSize });
    at += memSize + r.below(4) * 4096;
  }
  const symbols = [];
  for (let k = r.below(6); k > 0; k--) {
    const value = r.chance(0.3)
      ? 0xffffffff80000000n + BigInt(r.below(1 << 20))
      : BigInt(BASE + r.below(MiB));
    symbols.push({ name: `sym${k}_${r.below(1000)}`, value });
  }
  return buildElf({ entry: segments[0].paddr, segments, symbols });
}

function imageSeed(r: Prng): Uint8Array {
  const efi = r.chance(0.5);
  const sizeBytes = (efi ? 8192 : 64) + r.below(64 * 1024);
  return buildImage({
    sizeBytes,
    textOffset: r.pick([0, 0x200000, 0x1000, 0x400000]),
    imageSize: sizeBytes + r.below(MiB),
    efi,
  });
}

/** Values that break size and offset arithmetic. */
const HOSTILE_U64 = [
  0n,
  1n,
  0x7fn,
  0xffffn,
  0x7fffffffn,
  0xffffffffn,
  0x100000000n,
  BigInt(BASE),
  BigInt(BASE + FUZZ_RAM_BYTES),
  (1n << 53n) - 1n,
  1n << 53n,
  1n << 63n,
  (1n << 64n) - 1n,
  (1n << 64n) - 8n,
];

/** One to a few corruptions: bytes, header fields set to hostile values, truncation, extension. */
function mutate(r: Prng, input: Uint8Array): Uint8Array {
  let b = new Uint8Array(input); // a copy (Buffer#slice, unlike Uint8Array#slice, shares memory)
  for (let n = 1 + r.below(3); n > 0; n--) {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const isElf = b[0] === 0x7f && b[1] === 0x45;
    switch (r.below(6)) {
      case 0: // random bytes anywhere
        for (let k = 1 + r.below(8); k > 0 && b.length > 0; k--) b[r.below(b.length)] = r.below(256);
        break;
      case 1: {
        // a 64-bit field: an ELF header/program/section field, or an Image/PE header word
        const v = BigInt.asUintN(
          64,
          r.chance(0.7)
            ? r.pick(HOSTILE_U64) + BigInt(r.below(3)) - 1n
            : BigInt(b.length + r.below(64)) - 32n,
        );
        let at = r.below(Math.max(1, Math.min(b.length, 512)));
        if (isElf && b.length >= 64) {
          const shoff = b.length >= 48 ? Number(dv.getBigUint64(ELF_OFFSETS.e_shoff, true)) : 0;
          const choices: number[] = [ELF_OFFSETS.e_entry, ELF_OFFSETS.e_phoff, ELF_OFFSETS.e_shoff];
          for (const f of [
            ELF_OFFSETS.p_offset,
            ELF_OFFSETS.p_paddr,
            ELF_OFFSETS.p_filesz,
            ELF_OFFSETS.p_memsz,
          ])
            choices.push(ELF_OFFSETS.phdr(r.below(2)) + f);
          if (shoff > 0 && shoff < b.length)
            for (const f of [ELF_OFFSETS.sh_offset, ELF_OFFSETS.sh_size, ELF_OFFSETS.sh_entsize])
              choices.push(sectionHeaderAt(b, r.below(3)) + f);
          at = r.pick(choices);
        } else if (r.chance(0.5)) {
          at = r.pick([8, 16, 0x3c, 0x40 + 6, 0xf8 + 16, 0xf8 + 20, 0xf8 + 56, 0xf8 + 60]);
        }
        if (at + 8 <= b.length) dv.setBigUint64(at, v, true);
        break;
      }
      case 2: // a 16-bit count or entry size
        if (isElf && b.length >= 64) {
          const at = r.pick([
            ELF_OFFSETS.e_phentsize,
            ELF_OFFSETS.e_phnum,
            ELF_OFFSETS.e_shentsize,
            ELF_OFFSETS.e_shnum,
          ]);
          dv.setUint16(at, r.pick([0, 1, 2, 3, 24, 40, 55, 56, 57, 64, 0xff00, 0xffff]), true);
        } else if (b.length >= 0x48) {
          dv.setUint16(0x40 + 6, r.pick([0, 1, 2, 3, 96, 0xffff]), true); // PE NumberOfSections
        }
        break;
      case 3: // truncation
        b = b.subarray(0, r.below(b.length + 1)).slice();
        break;
      case 4: // extension with junk
        b = Uint8Array.from([...b, ...r.bytes(r.below(4096))]);
        break;
      default: // a 32-bit field (ELF sh_link/sh_type/st_name, PE raw data pointers)
        if (b.length >= 4)
          dv.setUint32(
            r.below(b.length - 3) & ~3,
            r.pick([0, 1, 2, 3, 7, 0xffff, 0xffffffff, b.length]),
            true,
          );
    }
  }
  return b;
}

const bombs = new Map<number, Uint8Array>();
/** gzip of zeros: more than RAM (by `extraBytes`), or sometimes exactly RAM's size. */
function bomb(extraBytes: number): Uint8Array {
  let b = bombs.get(extraBytes);
  if (b === undefined) {
    b = new Uint8Array(gzipSync(new Uint8Array(FUZZ_RAM_BYTES + extraBytes), { level: 9 }));
    bombs.set(extraBytes, b);
  }
  return b;
}

/**
 * The input of a case: a mutated seed file, a gzip of one, a bomb, or random bytes. `bomb` marks
 * a gzip stream known to decompress to more than RAM, which must be stopped at the cap.
 */
function input(r: Prng): { bytes: Uint8Array; bomb: boolean } {
  if (r.below(8) === 2 && r.chance(0.5))
    return { bytes: bomb(r.pick([1, 4096, FUZZ_RAM_BYTES])), bomb: true };
  return { bytes: fileBytes(r), bomb: false };
}

function fileBytes(r: Prng): Uint8Array {
  switch (r.below(8)) {
    case 0:
      return r.bytes(r.below(8192));
    case 1: {
      // random bytes behind a real magic number
      const b = r.bytes(64 + r.below(8192));
      b.set(
        r.pick([
          [0x7f, 0x45, 0x4c, 0x46, 2, 1],
          [0x1f, 0x8b, 8, 0],
          [0x4d, 0x5a],
        ]),
        0,
      );
      return b;
    }
    case 2:
      return mutate(r, bomb(r.pick([0, 1])));
    case 3:
    case 4:
      return r.chance(0.15) ? elfSeed(r) : mutate(r, elfSeed(r));
    case 5:
    case 6:
      return r.chance(0.15) ? imageSeed(r) : mutate(r, imageSeed(r));
    default: {
      // gzip of a (mutated) seed, and sometimes the gzip stream itself mutated
      const inner = r.chance(0.5) ? elfSeed(r) : imageSeed(r);
      const gz = gzipSync(r.chance(0.5) ? inner : mutate(r, inner), { level: 1 });
      return r.chance(0.4) ? mutate(r, gz) : gz;
    }
  }
}

/** A KernelFile over `bytes` that records what the loader read, and fails reads past the end. */
function fileOver(bytes: Uint8Array): KernelFile & { readBytes: number; pastEnd: string | undefined } {
  return {
    size: bytes.length,
    readBytes: 0,
    pastEnd: undefined,
    read(dst: Uint8Array, pos: number): void {
      if (!(pos >= 0 && pos + dst.length <= bytes.length)) {
        this.pastEnd ??= `read of ${dst.length} bytes at ${pos} in a file of ${bytes.length}`;
        throw new Error('fuzz: read past the end of the file');
      }
      this.readBytes += dst.length;
      dst.set(bytes.subarray(pos, pos + dst.length));
    },
  };
}

/** Runs cases seed, seed+1, ..., each one reproducible from its own seed. */
export function runLoaderFuzz(seed: number, cases: number, report = emptyLoaderReport()): LoaderFuzzReport {
  // RAM in a buffer with a canary area after it: the loader must never reach the canary.
  const mem = new GuestMemory(BASE, FUZZ_RAM_BYTES, false, CANARY_BYTES);
  // Buffers, for native comparisons (memcmp) of 4 MiB per case.
  const ram = Buffer.from(mem.bytes.buffer, 0, FUZZ_RAM_BYTES);
  const zeros = Buffer.alloc(FUZZ_RAM_BYTES);
  const canary = Buffer.from(mem.bytes.buffer, FUZZ_RAM_BYTES, CANARY_BYTES);
  const canaryWant = Buffer.alloc(CANARY_BYTES, CANARY);
  canary.fill(CANARY);
  for (let c = 0; c < cases; c++) {
    const caseSeed = seed + c;
    const r = new Prng(caseSeed);
    const fail = (message: string): void => {
      if (report.failures.length < 100) report.failures.push({ seed: caseSeed, message });
    };
    const { bytes, bomb: isBomb } = input(r);
    const asFile = r.chance(0.5);
    const file = asFile ? fileOver(bytes) : undefined;
    report.cases++;
    if (asFile) report.asFile++;
    let loaded = false;
    try {
      const k = loadKernel(mem, file ?? bytes, nodeGunzip);
      loaded = true;
      if (k.format === 'elf') report.loadedElf++;
      else if (k.format === 'image.gz') report.loadedGzip++;
      else report.loadedImage++;
      const inRam = (a: number): boolean => a >= BASE && a <= BASE + FUZZ_RAM_BYTES;
      if (!(inRam(k.start) && inRam(k.end) && k.start <= k.end && mem.contains(k.entry, 2))) {
        fail(`loaded outside RAM: ${JSON.stringify(k)}`);
      }
    } catch (e) {
      if (e instanceof KernelError) {
        report.rejected++;
        const capped = /^decompressed kernel is larger than guest RAM/.test(e.message);
        if (capped) report.bombs++;
        if (isBomb && !capped) fail(`a gzip of more than RAM was not stopped at the cap: ${e.message}`);
      } else {
        fail(`not a KernelError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      }
    }
    if (file !== undefined) {
      if (file.pastEnd !== undefined) fail(`the loader read past the end of the file: ${file.pastEnd}`);
      if (file.readBytes > bytes.length + HEAD_BYTES)
        fail(`read ${file.readBytes} bytes of a ${bytes.length}-byte file`);
    }
    if (!canary.equals(canaryWant)) {
      fail('wrote past the end of RAM');
      canary.fill(CANARY);
    }
    if (!loaded && !ram.equals(zeros)) fail('wrote to RAM, then refused the file');
    if (loaded || !ram.equals(zeros)) ram.fill(0);
  }
  return report;
}
