// The guest-physical address map: RAM plus memory-mapped devices, with overlap checks.
// Devices see offsets relative to their base and accesses of 1, 2 or 4 bytes; 8-byte accesses are
// split into two 4-byte ones, low word first (what a 32-bit-register device expects).

import type { GuestMemory } from './guest-memory.js';

/** A memory-mapped device. Offsets are relative to the device's base; sizes are 1, 2 or 4 bytes. */
export interface MmioDevice {
  read(offset: number, size: number): number;
  write(offset: number, size: number, value: number): void;
}

interface Region {
  readonly base: number;
  readonly sizeBytes: number;
  readonly name: string;
  readonly dev: MmioDevice;
}

export class BusError extends Error {}

export class PhysBus {
  private readonly regions: Region[] = [];
  /** Last region hit: MMIO accesses cluster on one device (the UART, a virtqueue notify). */
  private last: Region | undefined;

  constructor(readonly ram: GuestMemory) {}

  /** Map `dev` at [base, base+sizeBytes). Throws on overlap with RAM or another device. */
  map(name: string, base: number, sizeBytes: number, dev: MmioDevice): void {
    const end = base + sizeBytes;
    const overlaps = (b: number, s: number): boolean => base < b + s && b < end;
    if (overlaps(this.ram.base, this.ram.sizeBytes)) throw new BusError(`${name} overlaps RAM`);
    for (const r of this.regions) {
      if (overlaps(r.base, r.sizeBytes)) throw new BusError(`${name} overlaps ${r.name}`);
    }
    this.regions.push({ base, sizeBytes, name, dev });
    this.regions.sort((a, b) => a.base - b.base);
  }

  private find(pa: number, size: number): Region | undefined {
    const l = this.last;
    if (l !== undefined && pa >= l.base && pa + size <= l.base + l.sizeBytes) return l;
    for (const r of this.regions) {
      if (pa >= r.base && pa + size <= r.base + r.sizeBytes) return (this.last = r);
    }
    return undefined;
  }

  /** True when an MMIO device answers at [pa, pa+size). */
  isMmio(pa: number, size: number): boolean {
    return this.find(pa, size) !== undefined;
  }

  /**
   * Read from a device. Returns false (an access fault for the CPU) when nothing is mapped there.
   * The value lands in `result` as (lo, hi) words.
   */
  mmioRead(pa: number, size: number, result: Int32Array): boolean {
    const r = this.find(pa, size);
    if (r === undefined) return false;
    const off = pa - r.base;
    if (size === 8) {
      result[0] = r.dev.read(off, 4);
      result[1] = r.dev.read(off + 4, 4);
    } else {
      result[0] = r.dev.read(off, size);
      result[1] = 0;
    }
    return true;
  }

  mmioWrite(pa: number, size: number, lo: number, hi: number): boolean {
    const r = this.find(pa, size);
    if (r === undefined) return false;
    const off = pa - r.base;
    if (size === 8) {
      r.dev.write(off, 4, lo);
      r.dev.write(off + 4, 4, hi);
    } else {
      r.dev.write(off, size, size === 4 ? lo : lo & ((1 << (size * 8)) - 1));
    }
    return true;
  }
}
