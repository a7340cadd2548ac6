// The memory and interrupt map of the `virt` board: QEMU virt's layout (hw/riscv/virt.c's
// published map, also DESIGN.md section 4), so that firmware and habits made for it fit.

export const VIRT_MAP = {
  test: { base: 0x0010_0000, size: 0x1000 },
  rtc: { base: 0x0010_1000, size: 0x1000, irq: 11 },
  clint: { base: 0x0200_0000, size: 0x10000 },
  plic: { base: 0x0c00_0000 },
  uart0: { base: 0x1000_0000, size: 0x100, irq: 10 },
  virtio: { base: 0x1000_1000, size: 0x1000, count: 8, firstIrq: 1 },
  ram: { base: 0x8000_0000 },
} as const;

/** PLIC sources: 1..95 as on QEMU virt (the UART, RTC and virtio slots use 1..11). */
export const VIRT_PLIC_SOURCES = 96;

/** Timebase of mtime and the `time` CSR: 10 MHz, as QEMU virt. */
export const VIRT_TIMEBASE_HZ = 10_000_000;

/** Input clock of the 16550, as QEMU virt describes it (Linux only uses it for baud divisors). */
export const VIRT_UART_CLOCK_HZ = 3_686_400;

/** Where the kernel goes: RAM + 2 MiB (the RV64 Image text_offset). */
export const VIRT_KERNEL_OFFSET = 0x20_0000;
