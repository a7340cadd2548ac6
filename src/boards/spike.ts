// The `spike` board: the machine of the Spike ISA simulator that test suites target. RAM at
// 0x8000_0000, a CLINT at 0x200_0000, HTIF through the ELF's tohost/fromhost symbols. Execution
// starts at the ELF entry in M-mode with a0 = hart id.

import { HostClock, type Clock } from '../core/clock.js';
import type { RiscvHart } from '../cpu/riscv/hart.js';
import type { IsaProfile } from '../cpu/riscv/isa/profile.js';
import { RiscvHart as Hart } from '../cpu/riscv/hart.js';
import { MIP_MSIP, MIP_MTIP } from '../cpu/riscv/csr-defs.js';
import { Clint, CLINT_SIZE } from '../devices/clint/clint.js';
import { Htif } from '../devices/htif/htif.js';
import { ElfError, loadElf, parseElf } from '../loaders/elf.js';
import { PhysBus } from '../memory/bus.js';
import { GuestMemory } from '../memory/guest-memory.js';
import type { TcgBoard } from '../engine/tcg/board.js';

export const SPIKE_MEMORY_MAP = {
  clint: { base: 0x0200_0000, size: CLINT_SIZE },
  ram: { base: 0x8000_0000 },
} as const;

/** Timebase of the CLINT, as on Spike and QEMU's spike machine. */
export const SPIKE_TIMEBASE_HZ = 10_000_000;

export interface SpikeOptions {
  elf: Uint8Array;
  memoryBytes: number;
  /**
   * Host bytes to reserve after RAM in the same memory, for the engine (engineHostBytes in
   * engine/tcg/loop.ts); default 0: RAM alone, which the WebAssembly translator cannot use.
   */
  hostBytes?: number;
  harts?: number;
  /** The harts' extensions (isa/profile.ts; default: DEFAULT_CPU). */
  isa?: IsaProfile;
  /** Console output of HTIF device 1. */
  putchar(byte: number): void;
  /** Diagnostics (unsupported HTIF commands). */
  warn(msg: string): void;
  /** The timebase (default: host time at 10 MHz); tests pass a deterministic one. */
  clock?: Clock;
  /**
   * Build the machine to restore a snapshot into: the ELF gives the HTIF mailboxes, but is not
   * loaded (RAM comes from the snapshot).
   */
  restoring?: boolean;
  /** RAM made beforehand holding the state to restore (an incoming migration's); with `restoring`. */
  memory?: GuestMemory;
}

export class SpikeBoard implements TcgBoard {
  readonly mem: GuestMemory;
  readonly harts: RiscvHart[] = [];
  readonly clint: Clint;
  readonly htif: Htif;
  /** Exit code reported through HTIF, once the guest has stopped. */
  exitCode: number | undefined = undefined;

  constructor(opts: SpikeOptions) {
    const img = parseElf(opts.elf);
    const tohost = img.symbols.get('tohost');
    if (tohost === undefined) {
      throw new ElfError(
        'the ELF file has no `tohost` symbol: programs for the spike board report through HTIF',
      );
    }
    const n = opts.harts ?? 1;
    if (
      opts.memory !== undefined &&
      (opts.memory.base !== SPIKE_MEMORY_MAP.ram.base || opts.memory.sizeBytes !== opts.memoryBytes)
    )
      throw new Error("SpikeBoard: the memory given is not the machine's RAM");
    this.mem =
      opts.memory ?? new GuestMemory(SPIKE_MEMORY_MAP.ram.base, opts.memoryBytes, false, opts.hostBytes ?? 0);
    if (opts.restoring !== true) loadElf(this.mem, opts.elf, img);
    // HTIF reads and writes these doublewords from the host side: they must be guest RAM.
    const fromhost = img.symbols.get('fromhost');
    for (const [name, sym] of [
      ['tohost', tohost],
      ['fromhost', fromhost],
    ] as const) {
      if (sym !== undefined && !this.mem.contains(sym.value, 8)) {
        throw new ElfError(
          `the \`${name}\` symbol (0x${sym.value.toString(16)}) is outside guest RAM ` +
            `(0x${this.mem.base.toString(16)}-0x${(this.mem.base + this.mem.sizeBytes).toString(16)})`,
        );
      }
    }
    const bus = new PhysBus(this.mem);
    const clock = opts.clock ?? new HostClock(SPIKE_TIMEBASE_HZ);
    this.clint = new Clint(n, clock, {
      setSoftware: (h, level) => this.setLine(h, MIP_MSIP, level),
      setTimer: (h, level) => this.setLine(h, MIP_MTIP, level),
    });
    bus.map('clint', SPIKE_MEMORY_MAP.clint.base, SPIKE_MEMORY_MAP.clint.size, this.clint);
    this.htif = new Htif(this.mem, tohost.value, fromhost?.value, {
      putchar: opts.putchar,
      exit: (code) => {
        this.exitCode = code;
      },
      unsupported: (d, c, p) =>
        opts.warn(`unsupported HTIF command: device ${d}, command ${c}, payload 0x${p.toString(16)}`),
    });
    for (let id = 0; id < n; id++) {
      const h = new Hart(id, this.mem, bus, {
        mtime: () => this.clint.mtime(),
        mtime64: () => this.clint.mtime64(),
        watch: this.htif,
        isa: opts.isa,
      });
      h.reset(img.entry);
      h.x[2 * 10] = id; // a0 = mhartid, as Spike's boot ROM leaves it
      this.harts.push(h);
    }
  }

  private setLine(hart: number, bit: number, level: boolean): void {
    const h = this.harts[hart];
    if (h !== undefined) h.irqLines = level ? h.irqLines | bit : h.irqLines & ~bit;
  }

  get stopped(): boolean {
    return this.exitCode !== undefined;
  }

  tick(): void {
    this.clint.update();
  }

  afterSlice(): void {
    this.htif.poll();
  }

  msToNextEvent(): number {
    return (this.clint.ticksToNextDeadline() / SPIKE_TIMEBASE_HZ) * 1000;
  }
}
