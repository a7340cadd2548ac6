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
  version: 2;
  msip: number[];
  mtimecmp: string[];
  /**
   * mtime when saved, as a decimal string. Restored as is, then following the restoring host's
   * clock: guest time neither jumps back nor forward by the time spent saved.
   */
  mtime: string;
}

export class Clint implements MmioDevice {
  private readonly msip: Uint8Array;
  private readonly mtimecmpLo: Uint32Array;
  private readonly mtimecmpHi: Uint32Array;
  /** mtime as last sampled: both halves of one 64-bit read see the same value. */
  private mtimeSample = 0n;
  /** mtime = clock ticks + offset; software may write mtime (ACLINT MTIMER: mtime is read-write). */
  private offset = 0n;

  constructor(
    readonly numHarts: number,
    private readonly clock: Clock,
    private readonly lines: ClintLines,
  ) {
    this.msip = new Uint8Array(numHarts);
    this.mtimecmpLo = new Uint32Array(numHarts).fill(0xffffffff);
    this.mtimecmpHi = new Uint32Array(numHarts).fill(0xffffffff);
  }

  /** Current mtime, exact. */
  mtime64(): bigint {
    return BigInt.asUintN(64, BigInt(this.clock.ticks()) + this.offset);
  }

  /** Current mtime as a number (exact below 2^53, which 10 MHz reaches after 28 years). */
  mtime(): number {
    return this.offset === 0n ? this.clock.ticks() : Number(this.mtime64());
  }

  /** mtimecmp of `hart` as a number (values beyond 2^53 are never reached by mtime). */
  mtimecmp(hart: number): number {
    return this.mtimecmpHi[hart] * 4294967296 + this.mtimecmpLo[hart];
  }

  /** Re-evaluate the timer lines against the current time. */
  update(): void {
    const now = this.mtime();
    for (let h = 0; h < this.numHarts; h++) this.lines.setTimer(h, now >= this.mtimecmp(h));
  }

  /** Ticks until the earliest timer deadline (0 if one is due, Infinity if none is armed). */
  ticksToNextDeadline(): number {
    const now = this.mtime();
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
      this.mtimeSample = this.mtime64();
      return Number(BigInt.asIntN(32, this.mtimeSample));
    }
    if (offset === MTIME + 4) return Number(BigInt.asIntN(32, this.mtimeSample >> 32n));
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
      this.lines.setTimer(h, this.mtime() >= this.mtimecmp(h));
      return;
    }
    if (offset === MTIME || offset === MTIME + 4) {
      // A 64-bit write arrives as low word then high word; each replaces its half of mtime.
      const cur = this.mtime64();
      const v = BigInt(value >>> 0);
      const next = offset === MTIME ? (cur & ~0xffffffffn) | v : (cur & 0xffffffffn) | (v << 32n);
      this.offset = next - BigInt(this.clock.ticks());
      this.update();
    }
  }

  save(): ClintState {
    return {
      version: 2,
      mtime: this.mtime64().toString(),
      msip: [...this.msip],
      mtimecmp: [...this.mtimecmpLo].map((lo, h) =>
        (BigInt(this.mtimecmpHi[h]) * 4294967296n + BigInt(lo)).toString(),
      ),
    };
  }

  /** Load `s` (from `save`); throws on a state of another hart count or a malformed value. */
  restore(s: ClintState): void {
    const dec = (v: unknown): bigint => {
      if (typeof v !== 'string' || !/^[0-9]{1,20}$/.test(v))
        throw new Error(`CLINT state: '${String(v)}' is not a count`);
      return BigInt.asUintN(64, BigInt(v));
    };
    if (s.version !== 2) throw new Error(`CLINT state version ${String(s.version)} is not 2`);
    if (
      !Array.isArray(s.msip) ||
      s.msip.length !== this.numHarts ||
      !Array.isArray(s.mtimecmp) ||
      s.mtimecmp.length !== this.numHarts
    )
      throw new Error('CLINT state does not fit this board');
    const mtimecmp = s.mtimecmp.map(dec);
    this.offset = dec(s.mtime) - BigInt(this.clock.ticks());
    s.msip.forEach((v, h) => {
      this.msip[h] = v & 1;
      this.lines.setSoftware(h, (v & 1) !== 0);
    });
    mtimecmp.forEach((b, h) => {
      this.mtimecmpLo[h] = Number(b & 0xffffffffn);
      this.mtimecmpHi[h] = Number(b >> 32n);
    });
    this.update();
  }
}
