// Physical memory protection (privileged spec 3.7): 16 entries, grain 4 bytes. Each access of
// S or U mode, and each access of M mode that a locked entry covers, is checked against the
// lowest-numbered entry that matches any of its bytes. The software TLB only ever holds pages
// that one entry allows whole (`allowsPage`), so the fast paths need no check of their own.

/** pmpcfg fields. */
const CFG_R = 1;
const CFG_W = 2;
const CFG_X = 4;
const CFG_A_SHIFT = 3;
const CFG_L = 0x80;
const A_OFF = 0;
const A_TOR = 1;
const A_NA4 = 2;

/** Entries implemented (pmpcfg0/2 and pmpaddr0..15). */
export const PMP_ENTRIES = 16;

/** Access kinds, as mmu.ts numbers them: fetch, load, store. */
const PERM_OF_ACCESS = [CFG_X, CFG_R, CFG_W];

interface Region {
  /** [lo, hi) in bytes. */
  readonly lo: number;
  readonly hi: number;
  readonly perm: number;
  readonly locked: boolean;
}

/** The hart's PMP registers as regions, rebuilt whenever a pmpcfg or pmpaddr register changes. */
export class Pmp {
  /** pmpcfg as bytes, one per entry. */
  readonly cfg = new Uint8Array(PMP_ENTRIES);
  /** pmpaddr as int32 pairs (bits 55:2 of the address). */
  readonly addr = new Int32Array(2 * PMP_ENTRIES);
  private regions: Region[] = [];
  /** Some entry is locked: M-mode accesses need checking too. */
  private anyLocked = false;

  /** pmpaddr n as a number (< 2^54, exact). */
  private addrOf(n: number): number {
    return (this.addr[2 * n + 1] >>> 0) * 4294967296 + (this.addr[2 * n] >>> 0);
  }

  /** Recompute the regions after a register write. */
  update(): void {
    const regions: Region[] = [];
    for (let n = 0; n < PMP_ENTRIES; n++) {
      const c = this.cfg[n];
      const a = (c >>> CFG_A_SHIFT) & 3;
      let lo: number;
      let hi: number;
      if (a === A_OFF) {
        // Matches nothing: leaving it out of the list keeps the priority order of the others, and
        // every TLB miss and page-table step of S and U runs through this list.
        continue;
      } else if (a === A_TOR) {
        lo = n === 0 ? 0 : this.addrOf(n - 1) * 4;
        hi = this.addrOf(n) * 4;
      } else if (a === A_NA4) {
        lo = this.addrOf(n) * 4;
        hi = lo + 4;
      } else {
        // NAPOT: the trailing ones of pmpaddr give the size, 2^(ones + 3) bytes.
        // Counted on the int32 halves: pmpaddr may exceed 2^53, where a number is inexact.
        const lo32 = this.addr[2 * n];
        const hi32 = this.addr[2 * n + 1] & 0x3fffff;
        const ones =
          lo32 === -1
            ? 32 + Math.min(22, 31 - Math.clz32(~hi32 & (hi32 + 1)))
            : 31 - Math.clz32(~lo32 & (lo32 + 1));
        const size = 2 ** (ones + 3);
        // The base: pmpaddr with its trailing ones cleared, times 4 (exact: a multiple of size).
        const baseHi = ones >= 32 ? hi32 & ~((2 ** (ones - 32) - 1) | 0) : hi32;
        const baseLo = ones >= 32 ? 0 : lo32 & ~((2 ** ones - 1) | 0);
        lo = ((baseHi >>> 0) * 4294967296 + (baseLo >>> 0)) * 4;
        hi = lo + size;
      }
      if (hi > lo) regions.push({ lo, hi, perm: c & (CFG_R | CFG_W | CFG_X), locked: (c & CFG_L) !== 0 });
    }
    this.regions = regions;
    this.anyLocked = regions.some((r) => r.locked);
  }

  /**
   * Whether an access of kind `access` (0 fetch, 1 load, 2 store) by privilege `priv` (3 = M)
   * to the bytes [pa, pa + len) is allowed.
   */
  allows(pa: number, len: number, access: number, priv: number): boolean {
    if (priv === 3 && !this.anyLocked) return true;
    const end = pa + len;
    for (const r of this.regions) {
      if (end <= r.lo || pa >= r.hi) continue;
      // Matching some bytes but not all fails, whatever the permissions.
      if (pa < r.lo || end > r.hi) return false;
      if (priv === 3 && !r.locked) return true;
      return (r.perm & PERM_OF_ACCESS[access]) !== 0;
    }
    return priv === 3;
  }

  /**
   * What M-mode firmware leaves for the supervisor when it keeps no memory for itself (tsvirt's
   * built-in SBI): entry 0 is a NAPOT region over every address, readable, writable, executable.
   */
  openAll(): void {
    this.addr[0] = -1;
    this.addr[1] = 0x3fffff;
    this.cfg[0] = (3 << CFG_A_SHIFT) | CFG_R | CFG_W | CFG_X;
    this.update();
  }

  /** Whether the whole 4 KiB page at `page` allows the access, so that the TLB may hold it. */
  allowsPage(page: number, access: number, priv: number): boolean {
    return this.allows(page, 4096, access, priv);
  }
}
