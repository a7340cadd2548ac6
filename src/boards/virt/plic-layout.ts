// Size of the PLIC's register window for a number of contexts (riscv-plic-1.0.0, chapter 3:
// per-context threshold/claim blocks start at 0x200000, 0x1000 apart).

export function plicSizeBytes(contexts: number): number {
  const raw = 0x200000 + contexts * 0x1000;
  // Round up to a 4 KiB multiple, like every other MMIO window.
  return Math.ceil(raw / 0x1000) * 0x1000;
}
