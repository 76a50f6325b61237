/**
 * A small seeded pseudo-random generator for the examples' data generators (mulberry32).
 *
 * Every generated record is a pure function of `(seed, index)`: the generator is re-seeded per
 * record with {@link seedFor}, so a record's content does not depend on which parallel subtask
 * produces it or in which order. Not for cryptography; its only job is reproducible test data.
 */
export class SeededRandom {
  private state = 0;

  /** Restarts the sequence at `seed` (a 32-bit integer). */
  reseed(seed: number): this {
    this.state = seed | 0;
    return this;
  }

  /** The next value in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A uniformly chosen element of `values` (which must not be empty). */
  pick<T>(values: readonly T[]): T {
    return values[this.nextInt(values.length)]!;
  }
}

/** A well-mixed 32-bit seed for record `index` of a stream generated with `seed` (and an optional stream number). */
export function seedFor(seed: number, index: number, stream = 0): number {
  let h = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ (index | 0), 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ Math.floor(index / 4294967296) ^ Math.imul(stream | 0, 0x27d4eb2f), 0x85ebca6b);
  return (h ^ (h >>> 15)) | 0;
}
