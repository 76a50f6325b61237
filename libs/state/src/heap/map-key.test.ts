import { hashKey } from '@riffle/core';
import { describe, expect, it } from 'vitest';
import { STRUCTURED_PREFIX, fromMapKey, toMapKey } from './map-key.js';

describe('map keys', () => {
  it('uses primitives as they are', () => {
    for (const v of ['a', '', 1, -2.5, true, null, undefined, 10n]) expect(toMapKey(v)).toBe(v);
    expect(fromMapKey('plain')).toBe('plain');
  });

  it('encodes equal structured values to the same string and decodes them to an equal value', () => {
    const samples: unknown[] = [
      [1, 'a'],
      [],
      {},
      { b: [1, { c: null }], a: 'x"y\\z,]}' },
      [new Date(1700000000000), 0, 1e21, NaN, -Infinity, 12345678901234567890n, true, false],
      { nested: [[[]]], 'odd "name"': { '': 1 } },
      ['\uDFFF lone', '\u0000'],
      JSON.parse(`{"__proto__": 1}`) as unknown,
    ];
    for (const value of samples) {
      const key = toMapKey(value);
      expect(typeof key).toBe('string');
      expect((key as string).startsWith(STRUCTURED_PREFIX)).toBe(true);
      const back = fromMapKey(key);
      expect(back).toEqual(value);
      expect(toMapKey(back)).toBe(key);
      // Equal values have equal key groups, so they must meet in the same Map entry.
      expect(hashKey(back)).toBe(hashKey(value));
    }
    expect(toMapKey({ a: 1, b: 2 })).toBe(toMapKey({ b: 2, a: 1 }));
    expect(toMapKey([0])).toBe(toMapKey([-0]));
    expect(toMapKey([1])).not.toBe(toMapKey(['1']));
    expect(toMapKey([1n])).not.toBe(toMapKey([1]));
  });

  it('round-trips undefined inside MapState user keys', () => {
    expect(fromMapKey(toMapKey([undefined, { a: undefined }]))).toEqual([undefined, { a: undefined }]);
  });

  it('rejects functions and symbols inside structured keys', () => {
    expect(() => toMapKey([() => 1])).toThrow(/a state key must be/);
    expect(() => toMapKey({ s: Symbol('x') })).toThrow(/a state key must be/);
  });

  it('reports corrupt encodings', () => {
    expect(() => fromMapKey(STRUCTURED_PREFIX + '[1')).toThrow(/corrupt/);
    expect(() => fromMapKey(STRUCTURED_PREFIX + '[#1]x')).toThrow(/corrupt/);
  });
});
