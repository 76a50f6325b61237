/**
 * SplitMix64: the algorithm of `java.util.SplittableRandom` (Steele, Lea, Flood 2014) with an
 * explicit seed and the default gamma, so a Riffle generator is bit-reproducible where Flink's
 * (unseeded) is not. Outputs are bit-identical to `new java.util.SplittableRandom(seed)` for
 * `nextInt()`, `nextInt(bound)`, `nextLong()` and `nextDouble()`, draw for draw (checked against
 * a `bigint` reference and against values printed by a JVM).
 *
 * Speed: every draw, whatever it returns, consumes exactly one step of the seed sequence, so the
 * 64-bit mixing runs ahead in bulk (see split-mix-64-kernel.ts: WebAssembly with native 64-bit
 * multiplies, or a JS fallback) and a draw is an indexed read. No bigint on the hot path; the
 * state reported by {@link SplitMix64.stateHi}/{@link SplitMix64.stateLo} is the logical one
 * (draws consumed), not the look-ahead.
 */
import { KERNEL_CAPACITY, type SplitMix64Kernel, createSplitMix64Kernel } from './split-mix-64-kernel.js';

const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;
const MASK_64 = (1n << 64n) - 1n;
const TWO_32 = 4294967296;


/** Which implementation computes the 64-bit mixing: `'auto'` prefers WebAssembly. */
export type SplitMix64Backend = 'auto' | 'wasm' | 'js';

/** Converts a JS number or bigint seed to an unsigned 64-bit bigint (two's complement). */
function seedToUint64(seed: number | bigint): bigint {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    throw new RangeError(`SplitMix64: seed must be a safe integer or a bigint, got ${seed}`);
  }
  return BigInt.asUintN(64, BigInt(seed));
}

function isUint32(x: number): boolean {
  return Number.isInteger(x) && x >= 0 && x < TWO_32;
}

/**
 * A SplittableRandom-compatible generator. Capture it with {@link SplitMix64.stateHi} /
 * {@link SplitMix64.stateLo} and rebuild it with {@link SplitMix64.fromState} (how checkpoints
 * store it). Bounds are not validated on the hot path: pass integers in the documented ranges.
 */
export class SplitMix64 {
  private readonly kernel: SplitMix64Kernel;
  private readonly out32: Int32Array;
  private readonly outDouble: Float64Array;
  /** Next unread index of the look-ahead buffers; KERNEL_CAPACITY = all consumed. */
  private pos = KERNEL_CAPACITY;
  /** Seed before the first step of the current buffer: `[lo, hi]` int32. */
  private readonly base = new Int32Array(2);

  /**
   * Equivalent of `new SplittableRandom(seed)`. A number seed must be a safe integer; negative
   * values and bigints are taken modulo 2^64 (two's complement), like a Java `long`.
   */
  constructor(seed: number | bigint, backend: SplitMix64Backend = 'auto') {
    this.kernel = createSplitMix64Kernel(backend);
    this.out32 = this.kernel.out32;
    this.outDouble = this.kernel.outDouble;
    this.setSeed(seedToUint64(seed));
  }

  /** Rebuilds a generator from {@link stateHi} and {@link stateLo}; it continues the same sequence. */
  static fromState(hi: number, lo: number, backend: SplitMix64Backend = 'auto'): SplitMix64 {
    if (!isUint32(hi) || !isUint32(lo)) {
      throw new RangeError(`SplitMix64.fromState: state halves must be uint32 values, got ${hi}, ${lo}`);
    }
    return new SplitMix64((BigInt(hi) << 32n) | BigInt(lo), backend);
  }

  /** Which implementation this generator runs on. */
  get backend(): 'wasm' | 'js' {
    return this.kernel.backend;
  }

  /** High half (uint32) of the current 64-bit state (after the draws consumed so far). */
  get stateHi(): number {
    return Number(this.state() >> 32n);
  }

  /** Low half (uint32) of the current 64-bit state. */
  get stateLo(): number {
    return Number(this.state() & 0xffffffffn);
  }

  private state(): bigint {
    const base = (BigInt(this.base[1] >>> 0) << 32n) | BigInt(this.base[0] >>> 0);
    return (base + BigInt(this.pos) * GOLDEN_GAMMA) & MASK_64;
  }

  private setSeed(seed: bigint): void {
    const s = this.kernel.seed;
    s[0] = Number(seed & 0xffffffffn) | 0;
    s[1] = Number(seed >> 32n) | 0;
    this.pos = this.refill();
  }

  /** Computes the next KERNEL_CAPACITY steps; returns the new read index (0). */
  private refill(): number {
    const s = this.kernel.seed;
    this.base[0] = s[0];
    this.base[1] = s[1];
    this.kernel.fill(KERNEL_CAPACITY);
    return 0;
  }

  /** Java's `nextInt()`: mix32 of the next seed, a signed int32. */
  nextInt32(): number {
    let p = this.pos;
    if (p === KERNEL_CAPACITY) p = this.refill();
    this.pos = p + 1;
    return this.out32[p];
  }

  /**
   * Java's `nextInt(bound)`: uniform in `[0, bound)` for an integer `1 <= bound <= 2^31 - 1`,
   * masking for powers of two and otherwise rejecting over-represented candidates, exactly as
   * SplittableRandom does (so the number of draws consumed matches too).
   */
  nextInt(bound: number): number {
    let r = this.nextInt32();
    const m = bound - 1;
    if ((bound & m) === 0) return r & m;
    // for (int u = r >>> 1; u + m - (r = u % bound) < 0; u = nextInt() >>> 1);
    // Java's int overflow (sum >= 2^31) becomes an explicit comparison.
    let u = r >>> 1;
    for (;;) {
      r = u % bound;
      if (u + m - r <= 0x7fffffff) return r;
      u = this.nextInt32() >>> 1;
    }
  }

  /**
   * Fills `out[0, length)` with the character codes of nexmark's `StringsGenerator.nextString`
   * loop, draw for draw: per character `nextInt(13) === 0 ? specialCode : 97 + nextInt(26)`.
   * Specialised here because it is the generator's hottest loop (constant divisors, no per-draw
   * calls); `out` must hold at least `length` entries and `specialCode` must be below 256.
   */
  nextCharCodes(out: Uint8Array, length: number, specialCode: number): void {
    const o = this.out32;
    let p = this.pos;
    for (let i = 0; i < length; i++) {
      if (p === KERNEL_CAPACITY) p = this.refill();
      let u = o[p++] >>> 1;
      let r = u % 13;
      while (u + 12 - r > 0x7fffffff) {
        if (p === KERNEL_CAPACITY) p = this.refill();
        u = o[p++] >>> 1;
        r = u % 13;
      }
      if (r === 0) {
        out[i] = specialCode;
        continue;
      }
      if (p === KERNEL_CAPACITY) p = this.refill();
      u = o[p++] >>> 1;
      r = u % 26;
      while (u + 25 - r > 0x7fffffff) {
        if (p === KERNEL_CAPACITY) p = this.refill();
        u = o[p++] >>> 1;
        r = u % 26;
      }
      out[i] = 97 + r;
    }
    this.pos = p;
  }

  /**
   * The Nexmark model's `LongGenerator.nextLong(random, n)`: `nextInt(n)` when `n < 2^31 - 1`,
   * else `abs(nextLong() % n)` (skewed, as in nexmark/nexmark). `n` is a positive safe integer.
   */
  nextLong(bound: number): number {
    if (bound < 0x7fffffff) return this.nextInt(bound);
    // Cold path (only with extreme configurations): exact 64-bit remainder via bigint.
    const r = Number(this.nextLong64() % BigInt(bound));
    return r < 0 ? -r : r;
  }

  /** Java's `nextLong()` as a signed 64-bit bigint (for tests and cold paths, not per record). */
  nextLong64(): bigint {
    const seed = (this.state() + GOLDEN_GAMMA) & MASK_64;
    if (this.pos === KERNEL_CAPACITY) this.refill();
    this.pos++;
    return mix64(seed);
  }

  /** Java's `nextDouble()`: `(nextLong() >>> 11) * 2^-53`, uniform in `[0, 1)`. */
  nextDouble(): number {
    let p = this.pos;
    if (p === KERNEL_CAPACITY) p = this.refill();
    this.pos = p + 1;
    return this.outDouble[p];
  }
}

/**
 * Java's `mix64` applied to `seed + GOLDEN_GAMMA * (index + 1)` (mod 2^64), i.e. the
 * `(index + 1)`-th `nextLong()` of `new SplittableRandom(seed)`, computed directly. Used to derive
 * independent, reproducible seeds for sub-streams (URL cache, extra pool, generator splits).
 * Cold path: uses bigint.
 */
export function deriveSeed(seed: number | bigint, index: number): bigint {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new RangeError(`deriveSeed: index must be a non-negative safe integer, got ${index}`);
  }
  return mix64((seedToUint64(seed) + GOLDEN_GAMMA * BigInt(index + 1)) & MASK_64);
}

/** Java's `mix64` of an unsigned 64-bit seed, as a signed 64-bit bigint (cold path). */
function mix64(seed: bigint): bigint {
  let z = seed;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
  return BigInt.asIntN(64, z ^ (z >> 31n));
}
