// The instruction decoder, derived from the ISA tables (never a hand-written switch): a bucket per
// (major opcode, funct3) holding the entries that can match, and a direct-mapped cache from
// instruction word to semantics, the way Spike builds its opcode map from encoding.h. Compressed
// halfwords expand through the profile's own RVC table first.

import { RvcTable } from './isa/c.js';
import type { CInsnSpec, Exec, InsnSpec } from './isa/types.js';

/** Bits that select a bucket: opcode[6:2] and funct3. */
const BUCKET_BITS = 0x707c;
const bucketOf = (w: number): number => ((w >>> 2) & 31) | (((w >>> 12) & 7) << 5);

const illegalExec: Exec = (h) => h.illegal();

export class Decoder {
  private readonly buckets: InsnSpec[][] = [];
  static readonly CACHE_SIZE = 1 << 16;
  readonly keys = new Int32Array(Decoder.CACHE_SIZE);
  readonly fns: Exec[] = new Array<Exec>(Decoder.CACHE_SIZE).fill(illegalExec);
  /** 1 where the cached instruction ends a translated block (its facts), for the interpreter. */
  readonly ends = new Uint8Array(Decoder.CACHE_SIZE);

  /**
   * The compressed instructions of the profile: every engine expands a halfword through it (the
   * interpreter, both translators, and the cold interpreter's table), so a halfword of an
   * extension the profile lacks is illegal everywhere.
   */
  readonly rvc: RvcTable;

  /**
   * `insns`: the instructions of an ISA profile (isa/profile.ts), first match wins; `cinsns`: its
   * compressed instructions.
   */
  constructor(
    readonly insns: readonly InsnSpec[],
    cinsns: readonly CInsnSpec[],
  ) {
    this.rvc = new RvcTable(cinsns);
    for (let b = 0; b < 256; b++) {
      const w = 3 | ((b & 31) << 2) | ((b >>> 5) << 12);
      this.buckets.push(insns.filter((s) => ((w ^ s.match) & s.mask & (BUCKET_BITS | 3)) === 0));
    }
    // Key 0 is the all-zero word, which is illegal: the initial fill is already right for it.
    this.ends[0] = 1;
  }

  /**
   * The 32-bit word (int32) that the compressed halfword `c` stands for in this profile, 0 when it
   * is reserved here (an illegal instruction). Bits above 15 are ignored; a table lookup.
   */
  expand(c: number): number {
    return this.rvc.expand(c);
  }

  /** The table entry for a 32-bit instruction word, or undefined if it is not a valid encoding. */
  find(w: number): InsnSpec | undefined {
    if ((w & 3) !== 3) return undefined;
    for (const s of this.buckets[bucketOf(w)])
      if (((w ^ s.match) & s.mask) === 0) {
        this.decoded.add(s);
        return s;
      }
    return undefined;
  }

  /**
   * Every entry this decoder has decoded for execution (a cache miss, or a block scanned for
   * translation): evidence of which extensions a guest uses, cheap since only misses add to it.
   */
  readonly decoded = new Set<InsnSpec>();

  static hash(w: number): number {
    return Math.imul(w, 0x9e3779b1) >>> 16;
  }

  /** Semantics of word `w` (32-bit form), filling the cache. */
  lookup(w: number): Exec {
    const k = Decoder.hash(w);
    if (this.keys[k] === w) return this.fns[k];
    const spec = this.find(w);
    const e = spec?.exec ?? illegalExec;
    this.keys[k] = w;
    this.fns[k] = e;
    // An illegal instruction traps, which ends a block too.
    this.ends[k] = spec === undefined || spec.facts.endsBlock ? 1 : 0;
    return e;
  }
}
