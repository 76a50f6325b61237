import { describe, expect, it } from 'vitest';
import { SplitMix64, deriveSeed } from './split-mix-64.js';

/**
 * Independent bigint transcription of Java 8 `java.util.SplittableRandom` (seed constructor,
 * GOLDEN_GAMMA increment, mix64 / mix32, nextInt(bound) with the power-of-two and rejection
 * paths, nextDouble). Slow and obviously correct; the oracle for the uint32-halves version.
 */
class ReferenceSplittableRandom {
  private static readonly GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;
  private static readonly MASK = (1n << 64n) - 1n;
  private seed: bigint;

  constructor(seed: bigint) {
    this.seed = BigInt.asUintN(64, seed);
  }

  private nextSeed(): bigint {
    this.seed = (this.seed + ReferenceSplittableRandom.GOLDEN_GAMMA) & ReferenceSplittableRandom.MASK;
    return this.seed;
  }

  private static mix64(z: bigint): bigint {
    const m = ReferenceSplittableRandom.MASK;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & m;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & m;
    return z ^ (z >> 31n);
  }

  private static mix32(z: bigint): number {
    const m = ReferenceSplittableRandom.MASK;
    z = ((z ^ (z >> 33n)) * 0x62a9d9ed799705f5n) & m;
    return Number(BigInt.asIntN(32, (((z ^ (z >> 28n)) * 0xcb24d0a5c88c35b3n) & m) >> 32n));
  }

  nextLong(): bigint {
    return BigInt.asIntN(64, ReferenceSplittableRandom.mix64(this.nextSeed()));
  }

  nextInt(): number {
    return ReferenceSplittableRandom.mix32(this.nextSeed());
  }

  nextIntBounded(bound: number): number {
    let r = this.nextInt();
    const m = bound - 1;
    if ((bound & m) === 0) return r & m;
    // Java int arithmetic: u + m - r overflows (goes negative) when it reaches 2^31.
    for (let u = r >>> 1; ; u = this.nextInt() >>> 1) {
      r = u % bound;
      if (((u + m - r) | 0) >= 0) return r;
    }
  }

  nextDouble(): number {
    return Number(BigInt.asUintN(64, this.nextLong()) >> 11n) * 2 ** -53;
  }
}

// Printed by OpenJDK 17 `java.util.SplittableRandom` for the same call sequence (Gold.java):
// 3 × nextLong(), 3 × nextInt(), nextInt(b) for b in BOUNDS, 3 × nextDouble().
const BOUNDS = [1, 2, 13, 26, 10000, 1500000000, 2147483647, 1073741824];
const JVM_GOLDEN: Record<string, { longs: bigint[]; ints: number[]; bounded: number[]; doubles: number[] }> = {
  '0': {
    longs: [-2152535657050944081n, 7960286522194355700n, 487617019471545679n],
    ints: [-974129710, 172035578, 1503663573],
    bounded: [0, 1, 4, 15, 5011, 1094833259, 1486124450, 466795861],
    doubles: [0.7082223347395465, 0.518482183942174, 0.48891463048250494],
  },
  '42': {
    longs: [-4767286540954276203n, 2949826092126892291n, 5139283748462763858n],
    ints: [-1024560952, -1540993733, -1746239153],
    bounded: [0, 0, 3, 4, 7945, 823239971, 1790603846, 354156256],
    doubles: [0.20343510930023068, 0.10357423567927071, 0.49549865814924343],
  },
  '-1': {
    longs: [-1956407806741107680n, -1612297016619662647n, 4048727598324417001n],
    ints: [594280831, 1848859375, 68359140],
    bounded: [0, 1, 7, 12, 6842, 1062121125, 350356325, 483549247],
    doubles: [0.6755162022604899, 0.4083177220351426, 0.1920674232718188],
  },
  '123456789012345': {
    longs: [-2855823898702881541n, -5019708002228497972n, 1687501732163850911n],
    ints: [-1060153385, 610646012, 1739718381],
    bounded: [0, 1, 9, 10, 1988, 274440858, 989809158, 580487986],
    doubles: [0.10423125431349589, 0.9686407263074867, 0.38248492554079494],
  },
};

describe('SplitMix64', () => {
  for (const [seed, golden] of Object.entries(JVM_GOLDEN)) {
    it(`reproduces java.util.SplittableRandom(${seed}) longs, ints, bounded ints and doubles`, () => {
      const rng = new SplitMix64(BigInt(seed));
      expect([rng.nextLong64(), rng.nextLong64(), rng.nextLong64()]).toEqual(golden.longs);
      expect([rng.nextInt32(), rng.nextInt32(), rng.nextInt32()]).toEqual(golden.ints);
      expect(BOUNDS.map((b) => rng.nextInt(b))).toEqual(golden.bounded);
      expect([rng.nextDouble(), rng.nextDouble(), rng.nextDouble()]).toEqual(golden.doubles);
    });
  }

  it('follows the rejection path of nextInt(bound) draw for draw like the JVM', () => {
    // Bound 1.5e9 rejects ~30 % of candidates, so the draw count diverges quickly if wrong.
    const rng = new SplitMix64(7);
    const values = Array.from({ length: 20 }, () => rng.nextInt(1_500_000_000));
    expect(values).toEqual([
      1332694696, 349607553, 784385053, 493486521, 1158536205, 527000107, 1241217191, 884477684, 356735844,
      898931233, 504971830, 60291388, 661919376, 859410469, 435767497, 1195245579, 437585355, 1031449339,
      855742943, 477500123,
    ]);
    expect(rng.nextLong64()).toBe(-731800634568754711n);
  });

  it('matches the bigint reference over long mixed sequences for many seeds', () => {
    const bounds = [2, 3, 4, 5, 10, 11, 13, 26, 100, 111, 1010, 10000, 65536, 1 << 30, 2147483647, 2000000001];
    for (const seed of [0n, 1n, 42n, -42n, 0x7fffffffffffffffn, -(1n << 63n), 0xdeadbeefcafen]) {
      const fast = new SplitMix64(seed);
      const ref = new ReferenceSplittableRandom(seed);
      for (let i = 0; i < 2000; i++) {
        switch (i % 4) {
          case 0:
            expect(fast.nextLong64()).toBe(ref.nextLong());
            break;
          case 1:
            expect(fast.nextInt32()).toBe(ref.nextInt());
            break;
          case 2: {
            const b = bounds[i % bounds.length];
            expect(fast.nextInt(b)).toBe(ref.nextIntBounded(b));
            break;
          }
          default:
            expect(fast.nextDouble()).toBe(ref.nextDouble());
        }
      }
    }
  });

  it('nextLong(bound) is nextInt(bound) below 2^31 - 1 and abs(nextLong() % bound) above', () => {
    const a = new SplitMix64(99);
    const b = new SplitMix64(99);
    expect(a.nextLong(1010)).toBe(b.nextInt(1010));
    const big = 2 ** 40 + 17;
    const expected = b.nextLong64() % BigInt(big);
    expect(a.nextLong(big)).toBe(Number(expected < 0n ? -expected : expected));
    const atLimit = 0x7fffffff; // Integer.MAX_VALUE itself takes the long path in the model
    const expected2 = b.nextLong64() % BigInt(atLimit);
    expect(a.nextLong(atLimit)).toBe(Number(expected2 < 0n ? -expected2 : expected2));
  });

  it('continues the identical sequence after fromState', () => {
    const rng = new SplitMix64(42);
    for (let i = 0; i < 57; i++) rng.nextDouble();
    const copy = SplitMix64.fromState(rng.stateHi, rng.stateLo);
    for (let i = 0; i < 100; i++) expect(copy.nextInt(1000)).toBe(rng.nextInt(1000));
  });

  it('reports the logical state: the seed advanced once per draw consumed, across buffer refills', () => {
    const rng = new SplitMix64(42n);
    const seedAfter = (draws: number) => BigInt.asUintN(64, 42n + BigInt(draws) * 0x9e3779b97f4a7c15n);
    const state = () => (BigInt(rng.stateHi) << 32n) | BigInt(rng.stateLo);
    expect(state()).toBe(seedAfter(0));
    let draws = 0;
    for (const n of [1, 100, 1946, 1, 1, 5000]) {
      for (let i = 0; i < n; i++) {
        if (i % 2 === 0) rng.nextInt32();
        else rng.nextDouble();
      }
      draws += n;
      expect(state()).toBe(seedAfter(draws));
    }
    rng.nextLong64();
    expect(state()).toBe(seedAfter(draws + 1));
  });

  it('produces identical output on the WebAssembly and the plain-JS backends', () => {
    const wasm = new SplitMix64(-7n, 'wasm');
    const js = new SplitMix64(-7n, 'js');
    expect(wasm.backend).toBe('wasm');
    expect(js.backend).toBe('js');
    for (let i = 0; i < 10_000; i++) {
      expect(js.nextInt32()).toBe(wasm.nextInt32());
      expect(js.nextDouble()).toBe(wasm.nextDouble());
    }
    const a = new Uint8Array(500);
    const b = new Uint8Array(500);
    wasm.nextCharCodes(a, 500, 95);
    js.nextCharCodes(b, 500, 95);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(js.nextLong64()).toBe(wasm.nextLong64());
    expect([js.stateHi, js.stateLo]).toEqual([wasm.stateHi, wasm.stateLo]);
  });

  it('nextCharCodes draws exactly like nextInt(13) / nextInt(26) per character', () => {
    const fast = new SplitMix64(11);
    const ref = new ReferenceSplittableRandom(11n);
    const out = new Uint8Array(5000);
    fast.nextCharCodes(out, 5000, 32);
    for (let i = 0; i < 5000; i++) {
      const expected = ref.nextIntBounded(13) === 0 ? 32 : 97 + ref.nextIntBounded(26);
      expect(out[i]).toBe(expected);
    }
    expect(fast.nextLong64()).toBe(ref.nextLong());
  });

  it('rejects unsafe number seeds and malformed state', () => {
    expect(() => new SplitMix64(2 ** 60)).toThrow(/safe integer/);
    expect(() => SplitMix64.fromState(-1, 0)).toThrow(/uint32/);
  });

  it('deriveSeed(seed, i) is the (i + 1)-th nextLong of SplittableRandom(seed)', () => {
    const rng = new SplitMix64(42);
    for (let i = 0; i < 5; i++) expect(deriveSeed(42, i)).toBe(rng.nextLong64());
  });
});
