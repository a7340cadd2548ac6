// The instruction decoder, derived from the ISA tables (never a hand-written switch): a bucket per
// (major opcode, funct3) holding the entries that can match, and a direct-mapped cache from
// instruction word to semantics, the way Spike builds its opcode map from encoding.h.

import { RV64A } from './isa/a.js';
import { D_INSNS } from './isa/d.js';
import { F_INSNS } from './isa/f.js';
import { RV64I } from './isa/rv64i.js';
import { RV64M } from './isa/m.js';
import { PRIV, ZICSR } from './isa/system.js';
import type { Exec, InsnSpec } from './isa/types.js';

/** Every 32-bit instruction of RV64G plus the privileged ones, in one list. */
export const ALL_INSNS: readonly InsnSpec[] = [
  ...RV64I,
  ...RV64M,
  ...RV64A,
  ...F_INSNS,
  ...D_INSNS,
  ...ZICSR,
  ...PRIV,
];

/** Bits that select a bucket: opcode[6:2] and funct3. */
const BUCKET_BITS = 0x707c;
const bucketOf = (w: number): number => ((w >>> 2) & 31) | (((w >>> 12) & 7) << 5);

const illegalExec: Exec = (h) => h.illegal();

export class Decoder {
  private readonly buckets: InsnSpec[][] = [];
  static readonly CACHE_SIZE = 1 << 16;
  readonly keys = new Int32Array(Decoder.CACHE_SIZE);
  readonly fns: Exec[] = new Array<Exec>(Decoder.CACHE_SIZE).fill(illegalExec);

  constructor(insns: readonly InsnSpec[] = ALL_INSNS) {
    for (let b = 0; b < 256; b++) {
      const w = 3 | ((b & 31) << 2) | ((b >>> 5) << 12);
      this.buckets.push(insns.filter((s) => ((w ^ s.match) & s.mask & (BUCKET_BITS | 3)) === 0));
    }
    // Key 0 is the all-zero word, which is illegal: the initial fill is already right for it.
  }

  /** The table entry for a 32-bit instruction word, or undefined if it is not a valid encoding. */
  find(w: number): InsnSpec | undefined {
    if ((w & 3) !== 3) return undefined;
    for (const s of this.buckets[bucketOf(w)]) if (((w ^ s.match) & s.mask) === 0) return s;
    return undefined;
  }

  static hash(w: number): number {
    return Math.imul(w, 0x9e3779b1) >>> 16;
  }

  /** Semantics of word `w` (32-bit form), filling the cache. */
  lookup(w: number): Exec {
    const k = Decoder.hash(w);
    if (this.keys[k] === w) return this.fns[k];
    const e = this.find(w)?.exec ?? illegalExec;
    this.keys[k] = w;
    this.fns[k] = e;
    return e;
  }
}
