// mulberry32: a tiny seeded generator, so that property tests and fuzz campaigns reproduce from
// their seed. Not for anything that must be unpredictable (virtio-rng reads the host's CSPRNG).

/** Uniform 32-bit unsigned integers from `seed`. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform doubles in [0, 1) from `seed` (32 random bits each). */
export function prng(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}

/** Seeded choices for property tests and fuzzers, on {@link mulberry32}. */
export class Prng {
  readonly u32: () => number;
  constructor(seed: number) {
    this.u32 = mulberry32(seed);
  }
  /** Integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.u32() / 2 ** 32) * n);
  }
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)];
  }
  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.below(256);
    return b;
  }
}
