import { describe, expect, it } from 'vitest';
import {
  assignKeyToParallelOperator,
  assignToKeyGroup,
  computeOperatorIndexForKeyGroup,
  hashKey,
  keyGroupRangeForSubtask,
  murmurHash,
  stringHash,
} from './key-groups.js';

describe('key groups', () => {
  it('hashes strings like Java String.hashCode', () => {
    expect(stringHash('')).toBe(0);
    expect(stringHash('hello')).toBe(99162322);
    expect(stringHash('polygenelubricants')).toBe(-2147483648);
  });

  it('hashes numbers like Java Integer, Long and Double hashCode', () => {
    expect(hashKey(42)).toBe(42);
    expect(hashKey(-7)).toBe(-7);
    expect(hashKey(2 ** 40 + 5)).toBe((5 ^ 256) | 0); // Long.hashCode(1099511627781)
    expect(hashKey(1.5)).toBe(1073217536); // Double.hashCode(1.5)
    expect(hashKey(0)).toBe(hashKey(-0));
  });

  it('matches golden murmur values from Flink MathUtils.murmurHash', () => {
    // Values computed by running Flink's MathUtils.murmurHash(int) on a JVM.
    const inputs = [0, 1, -1, 42, 2147483647, -2147483648];
    expect(inputs.map(murmurHash)).toEqual([593689054, 68075478, 1982413648, 1134849565, 1653689534, 1718298732]);
  });

  it('puts string keys in the same key group and subtask as Flink (max parallelism 128, parallelism 4)', () => {
    const keys = ['hello', 'flink', 'riffle', 'word-17'];
    expect(keys.map((k) => assignToKeyGroup(k, 128))).toEqual([35, 98, 70, 84]);
    expect(keys.map((k) => assignKeyToParallelOperator(k, 128, 4))).toEqual([1, 3, 2, 2]);
  });

  it('routes every key group to the subtask whose range contains it', () => {
    for (const [maxP, p] of [[128, 1], [128, 3], [128, 4], [7, 3], [32768, 5]] as const) {
      for (let s = 0; s < p; s++) {
        const { start, end } = keyGroupRangeForSubtask(maxP, p, s);
        for (let kg = start; kg <= end; kg++) expect(computeOperatorIndexForKeyGroup(maxP, p, kg)).toBe(s);
      }
    }
  });

  it('hashes structured keys by value, not identity', () => {
    expect(hashKey(['a', 1])).toBe(hashKey(['a', 1]));
    expect(hashKey({ b: 2, a: 'x' })).toBe(hashKey({ a: 'x', b: 2 }));
    expect(hashKey(new Date(5))).toBe(hashKey(new Date(5)));
    expect(hashKey(10n)).toBe(hashKey(10));
    expect(() => hashKey(undefined)).toThrow(/key must be/);
  });

  it('spreads keys over subtasks', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 10000; i++) counts[assignKeyToParallelOperator(`key-${i}`, 128, 4)]++;
    for (const c of counts) expect(c).toBeGreaterThan(1500);
    expect(assignToKeyGroup('x', 128)).toBeLessThan(128);
  });
});
