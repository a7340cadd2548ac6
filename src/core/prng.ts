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
