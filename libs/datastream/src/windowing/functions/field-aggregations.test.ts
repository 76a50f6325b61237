import { describe, expect, it } from 'vitest';
import { ComparableAggregator, SumAggregator, type ComparableAggregationType } from '../../operators/aggregations.js';
import { seededRandom } from '../testing/window-reference.js';
import { ComparableAggregateFunction, SumAggregateFunction } from './field-aggregations.js';

type Rec = { id: number; v: number; nested: { w: number } };
type Tup = [string, number];

function fold<T, ACC>(fn: { createAccumulator(): ACC; add(v: T, a: ACC): ACC; getResult(a: ACC): T }, values: T[]): T {
  let acc = fn.createAccumulator();
  for (const v of values) acc = fn.add(v, acc);
  return fn.getResult(acc);
}

function reduce<T>(fn: { reduce(a: T, b: T): T }, values: T[]): T {
  return values.reduce((a, b) => fn.reduce(a, b));
}

function records(seed: number, n: number): Rec[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, (_, id) => ({ id, v: Math.floor(r() * 10), nested: { w: Math.floor(r() * 10) } }));
}

describe('window field aggregations', () => {
  it('give the results of the rolling aggregations, without mutating the elements', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const input = records(seed, 1 + (seed % 7) * 3);
      const snapshot = JSON.stringify(input);
      for (const field of ['v', 'nested.w']) {
        expect(fold(new SumAggregateFunction<Rec>(field), input)).toEqual(reduce(new SumAggregator<Rec>(field), input));
        for (const type of ['min', 'max', 'minBy', 'maxBy'] as ComparableAggregationType[]) {
          for (const first of [true, false]) {
            expect(fold(new ComparableAggregateFunction<Rec>(type, field, first), input)).toEqual(reduce(new ComparableAggregator<Rec>(type, field, first), input));
          }
        }
      }
      expect(JSON.stringify(input)).toBe(snapshot);
    }
  });

  it('work on tuple positions and merge accumulators like a reduce over both parts', () => {
    const input: Tup[] = [
      ['a', 3],
      ['b', 1],
      ['c', 7],
      ['d', 2],
    ];
    const sum = new SumAggregateFunction<Tup>(1);
    const left = sum.add(input[1]!, sum.add(input[0]!, sum.createAccumulator()));
    const right = sum.add(input[3]!, sum.add(input[2]!, sum.createAccumulator()));
    expect(sum.getResult(sum.merge(left, right))).toEqual(['a', 13]);
    const max = new ComparableAggregateFunction<Tup>('max', 'f1');
    expect(fold(max, input)).toEqual(['a', 7]);
    expect(input).toEqual([
      ['a', 3],
      ['b', 1],
      ['c', 7],
      ['d', 2],
    ]);
  });

  it('return a fresh result each time, unaffected by later elements', () => {
    const sum = new SumAggregateFunction<Tup>(1);
    const acc = sum.add(['a', 1], sum.createAccumulator());
    const first = sum.getResult(acc);
    sum.add(['a', 5], acc);
    expect(first).toEqual(['a', 1]);
    expect(sum.getResult(acc)).toEqual(['a', 6]);
  });

  it('reject fields that cannot be added', () => {
    const sum = new SumAggregateFunction<Tup>(0);
    const acc = sum.add(['a', 1], sum.createAccumulator());
    expect(() => sum.add(['b', 1], acc)).toThrow(/cannot add string and string/);
  });
});
