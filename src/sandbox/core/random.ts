/**
 * Deterministic randomness. Generated records are derived from (seed, type, ordinal) on demand instead
 * of being stored, so every value must come from a pure hash rather than a stateful generator.
 */

/** 32-bit avalanche hash of up to three integers (a murmur3-style finaliser). */
export function hash32(seed: number, a: number, b = 0): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (a >>> 0), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= b >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A float in [0, 1) for (seed, a, b). */
export function unit(seed: number, a: number, b = 0): number {
  return hash32(seed, a, b) / 4294967296;
}

/** Picks an element of a non-empty list by hash. */
export function pick<T>(list: readonly T[], seed: number, a: number, b = 0): T {
  return list[hash32(seed, a, b) % list.length] as T;
}

/** Stateful generator for sequences (fault shares, ids): mulberry32. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Stable small integer for a string (used to key per-type hash streams). */
export function stringKey(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
