// Where a board puts what it loads into guest RAM before the first instruction (firmware, kernel,
// initrd, boot data, device tree): one check that every piece lies in RAM and none overlaps
// another, so that no piece silently overwrites another and nothing is written outside RAM.

/** A boot-time error in the machine's set-up that the user can fix (sizes, files, options). */
export class BootError extends Error {}

/** A piece of guest RAM that a board fills: [start, end), guest-physical addresses. */
export interface Placement {
  /** What it is, as the user knows it ("initrd", "device tree"). */
  name: string;
  start: number;
  end: number;
}

const range = (start: number, end: number): string => `0x${start.toString(16)}-0x${end.toString(16)}`;

/**
 * Throws a BootError naming the piece unless every placement lies in RAM [base, base + sizeBytes),
 * and naming both pieces when two of them overlap. Empty placements (start = end) hold nothing and
 * are not checked.
 */
export function checkPlacements(
  ram: { base: number; sizeBytes: number },
  placements: readonly Placement[],
): void {
  const ramEnd = ram.base + ram.sizeBytes;
  const pieces = placements.filter((p) => p.end !== p.start);
  for (const p of pieces) {
    if (!(p.start >= ram.base && p.end <= ramEnd && p.start < p.end)) {
      const hint = p.start >= ram.base && p.end > ramEnd ? '; use a larger --memory' : '';
      throw new BootError(
        `the ${p.name} (${range(p.start, p.end)}) does not fit in guest RAM (${range(ram.base, ramEnd)})${hint}`,
      );
    }
  }
  for (let i = 0; i < pieces.length; i++) {
    for (let j = i + 1; j < pieces.length; j++) {
      const [a, b] = [pieces[i], pieces[j]];
      if (a.start < b.end && b.start < a.end) {
        throw new BootError(
          `the ${a.name} (${range(a.start, a.end)}) overlaps the ${b.name} (${range(b.start, b.end)})`,
        );
      }
    }
  }
}
