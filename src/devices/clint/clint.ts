// CLINT: the SiFive core-local interruptor, i.e. the ACLINT MSWI and MTIMER devices at their
// classic offsets (RISC-V ACLINT spec 1.0: MSWI msip[h] at 4*h, MTIMER mtimecmp[h] at 0x4000 + 8*h,
// mtime at 0xbff8). It drives two lines per hart; it knows nothing of the CPU.

import type { Clock } from '../../core/clock.js';
import type { MmioDevice } from '../../memory/bus.js';

export const CLINT_SIZE = 0x10000;
const MSIP_BASE = 0x0;
const MTIMECMP_BASE = 0x4000;
const MTIME = 0xbff8;

/** Interrupt outputs of the CLINT for one hart. */
export interface ClintLines {
  setSoftware(hart: number, level: boolean): void;
  setTimer(hart: number, level: boolean): void;
}

export interface ClintState {
  version: 1;
  msip: number[];
  mtimecmp: string[];
}

export class Clint implements MmioDevice {
  private readonly msip: Uint8Array;
  private readonly mtimecmpLo: Uint32Array;
  private readonly mtimecmpHi: Uint32Array;
  /** mtime as last sampled: both halves of one 64-bit read see the same value. */
  private mtimeSample = 0;

  constructor(
    readonly numHarts: number,
    private readonly clock: Clock,
    private readonly lines: ClintLines,
  ) {
    this.msip = new Uint8Array(numHarts);
    this.mtimecmpLo = new Uint32Array(numHarts).fill(0xffffffff);
    this.mtimecmpHi = new Uint32Array(numHarts).fill(0xffffffff);
  }

  /** Current mtime. */
  mtime(): number {
    return this.clock.ticks();
  }

  /** mtimecmp of `hart` as a number (values beyond 2^53 are never reached by mtime). */
  mtimecmp(hart: number): number {
    return this.mtimecmpHi[hart] * 4294967296 + this.mtimecmpLo[hart];
  }

  /** Re-evaluate the timer lines against the current time. */
  update(): void {
    const now = this.clock.ticks();
    for (let h = 0; h < this.numHarts; h++) this.lines.setTimer(h, now >= this.mtimecmp(h));
  }

  /** Ticks until the earliest timer deadline (0 if one is due, Infinity if none is armed). */
  ticksToNextDeadline(): number {
    const now = this.clock.ticks();
    let best = Infinity;
    for (let h = 0; h < this.numHarts; h++) best = Math.min(best, Math.max(0, this.mtimecmp(h) - now));
    return best;
  }

  read(offset: number, size: number): number {
    if (size !== 4) return 0;
    if (offset < MSIP_BASE + 4 * this.numHarts) return this.msip[offset >>> 2];
    const t = offset - MTIMECMP_BASE;
    if (t >= 0 && t < 8 * this.numHarts) {
      const h = t >>> 3;
      return (t & 4 ? this.mtimecmpHi[h] : this.mtimecmpLo[h]) | 0;
    }
    if (offset === MTIME) {
      this.mtimeSample = this.clock.ticks();
      return this.mtimeSample | 0;
    }
    if (offset === MTIME + 4) return Math.floor(this.mtimeSample / 4294967296) | 0;
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    if (size !== 4) return;
    if (offset < MSIP_BASE + 4 * this.numHarts) {
      const h = offset >>> 2;
      this.msip[h] = value & 1;
      this.lines.setSoftware(h, (value & 1) !== 0);
      return;
    }
    const t = offset - MTIMECMP_BASE;
    if (t >= 0 && t < 8 * this.numHarts) {
      const h = t >>> 3;
      if (t & 4) this.mtimecmpHi[h] = value >>> 0;
      else this.mtimecmpLo[h] = value >>> 0;
      this.lines.setTimer(h, this.clock.ticks() >= this.mtimecmp(h));
    }
    // mtime is read-only here: the timebase follows host time.
  }

  save(): ClintState {
    return {
      version: 1,
      msip: [...this.msip],
      mtimecmp: [...this.mtimecmpLo].map((lo, h) =>
        (BigInt(this.mtimecmpHi[h]) * 4294967296n + BigInt(lo)).toString(),
      ),
    };
  }

  restore(s: ClintState): void {
    if (s.version !== 1 || s.msip.length !== this.numHarts)
      throw new Error('CLINT state does not fit this board');
    s.msip.forEach((v, h) => {
      this.msip[h] = v;
      this.lines.setSoftware(h, v !== 0);
    });
    s.mtimecmp.forEach((v, h) => {
      const b = BigInt(v);
      this.mtimecmpLo[h] = Number(b & 0xffffffffn);
      this.mtimecmpHi[h] = Number(b >> 32n);
    });
    this.update();
  }
}
