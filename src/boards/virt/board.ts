// The `virt` board: QEMU virt's memory map with a CLINT, a PLIC, an NS16550A console, a goldfish
// RTC, the SiFive test device for poweroff/reboot and eight virtio-mmio slots. It boots Linux in
// two ways: PV, where tsvirt answers the SBI and the kernel starts in S-mode, and full emulation,
// where real M-mode firmware (OpenSBI fw_dynamic or fw_jump) runs first.

import type { CharBackend } from '../../backends/char.js';
import type { Gunzip } from '../../loaders/gunzip.js';
import { HostClock, type Clock } from '../../core/clock.js';
import { fromNum, out } from '../../core/u64.js';
import * as C from '../../cpu/riscv/csr-defs.js';
import { isaProfile, type IsaProfile } from '../../cpu/riscv/isa/profile.js';
import { RiscvHart } from '../../cpu/riscv/hart.js';
import { Clint } from '../../devices/clint/clint.js';
import { GoldfishRtc } from '../../devices/goldfish-rtc/rtc.js';
import type { IrqLine } from '../../devices/irq.js';
import { Plic, plicSize } from '../../devices/plic/plic.js';
import { SifiveTestDevice } from '../../devices/syscon/test-device.js';
import { Uart16550 } from '../../devices/uart16550/uart.js';
import { VirtioMmio } from '../../devices/virtio/mmio.js';
import type { VirtioDevice } from '../../devices/virtio/types.js';
import type { TcgBoard } from '../../engine/tcg/board.js';
import { type KernelFile, loadKernel } from '../../loaders/linux.js';
import { PhysBus } from '../../memory/bus.js';
import { GuestMemory } from '../../memory/guest-memory.js';
import { baseExtension } from '../../sbi/base.js';
import { dbcnExtension } from '../../sbi/dbcn.js';
import { hsmExtension } from '../../sbi/hsm.js';
import { ipiExtension } from '../../sbi/ipi.js';
import { rfenceExtension } from '../../sbi/rfence.js';
import { pmuExtension, type SbiPmuExtension } from '../../sbi/pmu.js';
import { Sbi, type SbiPlatform } from '../../sbi/sbi.js';
import { srstExtension } from '../../sbi/srst.js';
import { timeExtension } from '../../sbi/time.js';
import { BootError, checkPlacements, type Placement } from '../placement.js';
import { buildVirtFdt } from './fdt.js';
import { VIRT_KERNEL_OFFSET, VIRT_MAP, VIRT_PLIC_SOURCES, VIRT_TIMEBASE_HZ } from './memory-map.js';

export { BootError };

/** How the machine stopped. */
export type VirtStop = { kind: 'poweroff' } | { kind: 'reboot' } | { kind: 'fail'; code: number };

export interface VirtOptions {
  memoryBytes: number;
  /**
   * Host bytes to reserve after RAM in the same memory, for the engine (engineHostBytes in
   * engine/tcg/loop.ts); default 0: RAM alone, which the WebAssembly translator cannot use.
   */
  hostBytes?: number;
  /**
   * RAM made beforehand, holding the state to restore (an incoming migration writes pages into it
   * as they arrive, so nothing is copied at the switch-over); with `restoring`. Its base, size and
   * host area must be those this board would make.
   */
  memory?: GuestMemory;
  harts: number;
  /** The kernel's bytes, or the file to read them from (see KernelFile). */
  kernel: Uint8Array | KernelFile;
  initrd?: Uint8Array;
  append: string;
  /** M-mode firmware image (flat binary loaded at RAM base), or undefined for the built-in SBI. */
  bios?: Uint8Array;
  /** The host's gzip decoder, for gzip-compressed kernels (none: they are refused). */
  gunzip?: Gunzip;
  /** The harts' extensions (isa/profile.ts; default: DEFAULT_CPU). */
  isa?: IsaProfile;
  /** The NS16550A's host side (the console, unless the console is virtio). */
  console: CharBackend;
  /**
   * virtio devices (at most 8): the first in the highest slot, as on QEMU virt, because the device
   * tree lists the slots from the highest down and Linux probes them in that order: the first
   * disk becomes vda and the first NIC eth0.
   */
  virtio?: readonly VirtioDevice[];
  /** Diagnostics for the user (a device that needs a reset, ...). */
  warn?: (msg: string) => void;
  /** The timebase (default: host time at 10 MHz); tests pass a deterministic one. */
  clock?: Clock;
  /** The RTC's wall-clock time in ns (default: the host's). */
  rtcNowNs?: () => bigint;
  /** Bytes for the device tree's /chosen/rng-seed, which seeds Linux's CRNG (none: no seed). */
  rngSeed?: Uint8Array;
  /**
   * The machine is about to load a snapshot (boards/virt/state.ts): nothing is loaded into RAM
   * (the kernel is not read) and the harts are not reset for boot; RAM stays all zero.
   */
  restoring?: boolean;
}

const MiB = 1024 * 1024;
/** fw_dynamic_info (OpenSBI docs/firmware/fw_dynamic.md): magic "OSBI", version 2. */
const FW_DYNAMIC_INFO_MAGIC = 0x4942534f;
const FW_DYNAMIC_INFO_VERSION = 2;
const FW_DYNAMIC_NEXT_MODE_S = 1;
/** fw_dynamic_info: six u64 fields (magic, version, next_addr, next_mode, options, boot_hart). */
const FW_DYNAMIC_INFO_BYTES = 6 * 8;
/** The device tree's area at the top of RAM. */
const FDT_AREA_BYTES = 2 * MiB;

export class VirtBoard implements TcgBoard {
  readonly mem: GuestMemory;
  readonly bus: PhysBus;
  readonly harts: RiscvHart[] = [];
  readonly clint: Clint;
  readonly plic: Plic;
  readonly uart: Uart16550;
  readonly rtc: GoldfishRtc;
  readonly fdtAddr: number;
  /** The virtio transports, in the order of `opts.virtio`. */
  readonly transports: VirtioMmio[] = [];
  /** The built-in SBI's PMU extension (PV boot only). */
  sbiPmu: SbiPmuExtension | undefined = undefined;
  stop: VirtStop | undefined = undefined;

  /** Where fw_dynamic_info goes (with --bios): the 4 KiB page below the device tree. */
  private get fwDynamicInfoAddr(): number {
    return this.fdtAddr - 0x1000;
  }

  constructor(readonly opts: VirtOptions) {
    const n = opts.harts;
    const m = opts.memory;
    if (m !== undefined && (m.base !== VIRT_MAP.ram.base || m.sizeBytes !== opts.memoryBytes))
      throw new Error('VirtBoard: the memory given is not of this board (base or size)');
    this.mem = m ?? new GuestMemory(VIRT_MAP.ram.base, opts.memoryBytes, false, opts.hostBytes ?? 0);
    this.bus = new PhysBus(this.mem);
    const clock = opts.clock ?? new HostClock(VIRT_TIMEBASE_HZ);
    const line = (hart: number, bit: number): IrqLine => ({ set: (level) => this.setLine(hart, bit, level) });

    this.clint = new Clint(n, clock, {
      setSoftware: (h, level) => this.setLine(h, C.MIP_MSIP, level),
      setTimer: (h, level) => this.setLine(h, C.MIP_MTIP, level),
    });
    const contexts: IrqLine[] = [];
    for (let h = 0; h < n; h++) contexts.push(line(h, C.MIP_MEIP), line(h, C.MIP_SEIP));
    this.plic = new Plic({ numSources: VIRT_PLIC_SOURCES - 1, contexts });
    this.uart = new Uart16550(opts.console, this.plic.source(VIRT_MAP.uart0.irq));
    this.rtc = new GoldfishRtc(
      opts.rtcNowNs ?? (() => BigInt(Date.now()) * 1_000_000n),
      this.plic.source(VIRT_MAP.rtc.irq),
    );
    const test = new SifiveTestDevice((kind, code) => this.halt(kind === 'fail' ? { kind, code } : { kind }));

    this.bus.map('test', VIRT_MAP.test.base, VIRT_MAP.test.size, test);
    this.bus.map('rtc', VIRT_MAP.rtc.base, VIRT_MAP.rtc.size, this.rtc);
    this.bus.map('clint', VIRT_MAP.clint.base, VIRT_MAP.clint.size, this.clint);
    this.bus.map('plic', VIRT_MAP.plic.base, plicSize(2 * n), this.plic);
    this.bus.map('uart0', VIRT_MAP.uart0.base, VIRT_MAP.uart0.size, this.uart);
    const devices = opts.virtio ?? [];
    if (devices.length > VIRT_MAP.virtio.count) {
      throw new BootError(`at most ${VIRT_MAP.virtio.count} virtio devices fit the virt board`);
    }
    for (let k = 0; k < VIRT_MAP.virtio.count; k++) {
      const base = VIRT_MAP.virtio.base + k * VIRT_MAP.virtio.size;
      const dev = devices[VIRT_MAP.virtio.count - 1 - k];
      if (dev !== undefined) {
        const t = new VirtioMmio(dev, this.mem, this.plic.source(VIRT_MAP.virtio.firstIrq + k), {
          onNeedsReset: (why) => opts.warn?.(`virtio slot ${k}: device needs reset: ${why}`),
        });
        this.bus.map(`virtio${k}`, base, VIRT_MAP.virtio.size, t);
        this.transports[VIRT_MAP.virtio.count - 1 - k] = t;
        continue;
      }
      // An empty slot has a valid MagicValue and Version and DeviceID 0, so the driver skips it
      // quietly (virtio 1.2 section 4.2.3.1.1).
      this.bus.map(`virtio${k}`, base, VIRT_MAP.virtio.size, {
        read: (off) => (off === 0 ? 0x74726976 : off === 4 ? 2 : 0),
        write: () => {},
      });
    }

    const isa = opts.isa ?? isaProfile();
    for (let id = 0; id < n; id++) {
      this.harts.push(
        new RiscvHart(id, this.mem, this.bus, {
          mtime: () => this.clint.mtime(),
          mtime64: () => this.clint.mtime64(),
          isa,
        }),
      );
    }

    // Memory layout: firmware at RAM base, kernel at +2 MiB, initrd halfway up (at most +128 MiB),
    // the device tree in the last 2 MiB, and with firmware, fw_dynamic_info in the 4 KiB below it.
    // Every piece is checked against RAM and against all the others before the initrd, the device
    // tree and fw_dynamic_info are written (the kernel loader checks its own file against RAM).
    const ramEnd = this.mem.base + this.mem.sizeBytes;
    this.fdtAddr = ramEnd - FDT_AREA_BYTES;
    if (opts.restoring === true) {
      if (opts.bios === undefined) this.installSbi();
      return;
    }
    if (opts.bios !== undefined && !this.mem.contains(this.mem.base, opts.bios.length)) {
      throw new BootError('--bios: the firmware does not fit in guest RAM');
    }
    if (opts.bios !== undefined && opts.bios.length > VIRT_KERNEL_OFFSET) {
      throw new BootError(`--bios: the firmware is larger than ${VIRT_KERNEL_OFFSET / MiB} MiB`);
    }
    if (opts.bios !== undefined) this.mem.write(this.mem.base, opts.bios);
    const kernel = loadKernel(this.mem, opts.kernel, opts.gunzip);
    if (kernel.end > this.fdtAddr)
      throw new BootError('the kernel does not fit in guest RAM; use a larger --memory');
    const placed: Placement[] = [{ name: 'kernel', start: kernel.start, end: kernel.end }];
    let initrd: { start: number; end: number } | undefined;
    if (opts.initrd !== undefined) {
      const want = this.mem.base + Math.min(this.mem.sizeBytes / 2, 128 * MiB);
      const start = alignUp(Math.max(kernel.end, want), 4096);
      const end = start + opts.initrd.length;
      if (end > this.fdtAddr)
        throw new BootError('the initrd does not fit in guest RAM; use a larger --memory');
      initrd = { start, end };
      placed.push({ name: 'initrd', ...initrd });
    }
    if (opts.bios !== undefined) {
      placed.push({ name: 'firmware', start: this.mem.base, end: this.mem.base + opts.bios.length });
      placed.push({
        name: 'fw_dynamic_info',
        start: this.fwDynamicInfoAddr,
        end: this.fwDynamicInfoAddr + FW_DYNAMIC_INFO_BYTES,
      });
    }
    const fdt = buildVirtFdt({
      harts: n,
      ramBytes: this.mem.sizeBytes,
      bootargs: opts.append,
      initrd,
      isa,
      mmuType: 'riscv,sv48',
      rngSeed: opts.rngSeed,
    });
    if (fdt.length > FDT_AREA_BYTES) {
      throw new BootError(
        `the device tree (${fdt.length} bytes) is larger than its ${FDT_AREA_BYTES / MiB} MiB; shorten --append`,
      );
    }
    placed.push({ name: 'device tree', start: this.fdtAddr, end: this.fdtAddr + fdt.length });
    checkPlacements(this.mem, placed);
    if (opts.initrd !== undefined && initrd !== undefined) this.mem.write(initrd.start, opts.initrd);
    this.mem.write(this.fdtAddr, fdt);

    if (opts.bios !== undefined) this.resetForFirmware(kernel.entry);
    else this.resetForPv(kernel.entry);
  }

  /** Full emulation: every hart enters the firmware in M-mode (OpenSBI's fw_dynamic convention). */
  private resetForFirmware(kernelEntry: number): void {
    const info = this.fwDynamicInfoAddr;
    const words = [
      FW_DYNAMIC_INFO_MAGIC,
      FW_DYNAMIC_INFO_VERSION,
      kernelEntry,
      FW_DYNAMIC_NEXT_MODE_S,
      0,
      -1,
    ];
    words.forEach((w, k) => this.mem.write64(info + 8 * k, BigInt.asUintN(64, BigInt(w))));
    for (const h of this.harts) {
      h.reset(this.mem.base);
      h.setX(10, h.hartId, 0); // a0 = hart id
      setAddr(h, 11, this.fdtAddr); // a1 = device tree
      setAddr(h, 12, info); // a2 = fw_dynamic_info
    }
  }

  /**
   * PV: tsvirt is the SBI. The boot hart enters the kernel in S-mode with a0 = hart id and
   * a1 = device tree; the others wait stopped for HSM hart_start. M-mode state is set up the way
   * SBI firmware leaves it: interrupts and exceptions delegated, counters and Sstc enabled.
   */
  private resetForPv(kernelEntry: number): void {
    this.installSbi();
    for (const h of this.harts) {
      h.reset(kernelEntry);
      // With H, what VS-mode raises (its ECALLs, guest-page faults, virtual instructions) goes to
      // the hypervisor in HS-mode, as OpenSBI delegates them.
      h.medeleg = (C.MEDELEG_WRITABLE | (h.hasH ? C.MEDELEG_H : 0)) & ~(1 << C.CAUSE_SUPERVISOR_ECALL);
      // Counter overflow goes to the supervisor, whose perf driver handles it (as OpenSBI does).
      h.mideleg = C.S_INTERRUPTS | (h.isa.has('sscofpmf') ? C.MIP_LCOFIP : 0);
      // Every counter readable from S-mode: the SBI PMU extension's counters are read directly.
      h.mcounteren = -1;
      // As M-mode firmware does (OpenSBI too): every supervisor feature the hart has is enabled,
      // the cache-block operations among them (Linux's clear_page is CBO.ZERO with Zicboz).
      h.writeMenvcfg(
        C.ENVCFG_CBIE | C.ENVCFG_CBCFE | C.ENVCFG_CBZE,
        C.MENVCFG_HI_STCE | C.MENVCFG_HI_PBMTE | C.MENVCFG_HI_ADUE,
      );
      h.pmp.openAll();
      h.pmpChanged();
      h.running = h.hartId === 0;
    }
    this.enterSupervisor(this.harts[0], kernelEntry);
    setAddr(this.harts[0], 11, this.fdtAddr);
  }

  /** PV: tsvirt answers the harts' supervisor ECALLs. */
  private installSbi(): void {
    const platform: SbiPlatform = {
      harts: this.harts,
      startHart: (id, addr, lo, hi) => {
        const h = this.harts[id];
        this.enterSupervisor(h, addr);
        h.setX(11, lo, hi);
        h.running = true;
      },
      stopHart: (id) => {
        const h = this.harts[id];
        h.running = false;
        h.yieldLoop = true;
      },
      reset: (type, reason) =>
        this.halt(
          type === 0 ? (reason === 0 ? { kind: 'poweroff' } : { kind: 'fail', code: 1 }) : { kind: 'reboot' },
        ),
      consoleWrite: (bytes) => this.opts.console.write(bytes),
      physSlice: (addr, len) => (this.mem.contains(addr, len) ? this.mem.slice(addr, len) : undefined),
    };
    const sbi: Sbi = new Sbi([
      baseExtension(() => sbi, { mvendorid: 0, marchid: 0, mimpid: 0 }),
      timeExtension,
      ipiExtension(platform),
      rfenceExtension(platform),
      hsmExtension(platform),
      srstExtension(platform),
      dbcnExtension(platform),
      (this.sbiPmu = pmuExtension()),
    ]);
    for (const h of this.harts) h.sbiHandler = (hart) => sbi.handle(hart);
  }

  private enterSupervisor(h: RiscvHart, pc: number): void {
    h.priv = C.PRV_S;
    h.pc = h.npc = pc;
    h.satpMode = 0;
    h.mstatus &= ~C.MSTATUS_SIE;
    // What M-mode firmware leaves behind (OpenSBI does the same on every hart start): user mode
    // may read cycle, time and instret. Linux only rewrites scounteren when an SBI PMU exists;
    // without this, user-space rdtime (the vDSO clock, BusyBox ping) is an illegal instruction.
    h.scounteren = 7;
    h.setX(10, h.hartId, 0);
    h.waiting = false;
    h.updateContext();
  }

  private waker: (() => void) | undefined;

  setWaker(wake: () => void): void {
    this.waker = wake;
  }

  private setLine(hart: number, bit: number, level: boolean): void {
    const h = this.harts[hart];
    if (h === undefined) return;
    h.irqLines = level ? h.irqLines | bit : h.irqLines & ~bit;
    if (level) this.waker?.();
  }

  private halt(s: VirtStop): void {
    this.stop ??= s;
    for (const h of this.harts) h.yieldLoop = true;
  }

  get stopped(): boolean {
    return this.stop !== undefined;
  }

  tick(): void {
    this.clint.update();
    this.rtc.poll();
  }

  afterSlice(): void {}

  msToNextEvent(): number {
    let ticks = this.clint.ticksToNextDeadline();
    const now = this.clint.mtime();
    for (const h of this.harts) {
      if (h.sbiTimer || (h.menvcfgHi & C.MENVCFG_HI_STCE) !== 0)
        ticks = Math.min(ticks, Math.max(0, h.stimecmpNum - now));
    }
    return Math.min((ticks / VIRT_TIMEBASE_HZ) * 1000, this.rtc.nsToNextAlarm() / 1e6);
  }
}

function alignUp(v: number, a: number): number {
  return Math.ceil(v / a) * a;
}

/**
 * x[r] = a physical address. With more than 2 GiB of RAM the device tree (in its last 2 MiB) is
 * above 4 GiB: a 32-bit value would send the kernel to the wrong place, where it faults before
 * it prints anything.
 */
function setAddr(h: RiscvHart, r: number, addr: number): void {
  h.setX(r, fromNum(addr), out.hi);
}
