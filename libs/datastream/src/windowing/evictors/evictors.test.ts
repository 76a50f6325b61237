import { describe, expect, it } from 'vitest';
import { TimeWindow } from '../windows/time-window.js';
import { CountEvictor } from './count-evictor.js';
import { DeltaEvictor } from './delta-evictor.js';
import { TimestampedValue } from './evictor.js';
import { TimeEvictor } from './time-evictor.js';

const w = new TimeWindow(0, 100);
const ctx = { getCurrentProcessingTime: () => 0, getCurrentWatermark: () => 0 };
const elems = (...pairs: Array<[number, number]>): TimestampedValue<number>[] => pairs.map(([v, t]) => new TimestampedValue(v, t));
const values = (es: TimestampedValue<number>[]): number[] => es.map((e) => e.value);

describe('CountEvictor', () => {
  it('keeps the last n elements before the function, or after it with doEvictAfter', () => {
    const before = elems([1, 1], [2, 2], [3, 3], [4, 4], [5, 5]);
    CountEvictor.of(2).evictBefore(before, before.length, w, ctx);
    expect(values(before)).toEqual([4, 5]);
    const after = elems([1, 1], [2, 2], [3, 3]);
    const e = CountEvictor.of(1, true);
    e.evictBefore(after, after.length, w, ctx);
    expect(values(after)).toEqual([1, 2, 3]);
    e.evictAfter(after, after.length, w, ctx);
    expect(values(after)).toEqual([3]);
    const small = elems([1, 1]);
    CountEvictor.of(5).evictBefore(small, 1, w, ctx);
    expect(values(small)).toEqual([1]);
  });
});

describe('TimeEvictor', () => {
  it('drops elements at or before max timestamp - size', () => {
    const es = elems([1, 10], [2, 50], [3, 40], [4, 60], [5, 20]);
    TimeEvictor.of(20).evictBefore(es, es.length, w, ctx);
    // max 60, cutoff 40: 40 and below go.
    expect(values(es)).toEqual([2, 4]);
  });

  it('does nothing without timestamps', () => {
    const es = [new TimestampedValue(1), new TimestampedValue(2)];
    TimeEvictor.of(0).evictBefore(es, 2, w, ctx);
    expect(es).toHaveLength(2);
  });
});

describe('DeltaEvictor', () => {
  it('drops elements whose delta to the last element reaches the threshold', () => {
    const es = elems([1, 0], [8, 0], [5, 0], [9, 0], [7, 0]);
    DeltaEvictor.of(3, (a: number, b: number) => Math.abs(a - b)).evictBefore(es, es.length, w, ctx);
    expect(values(es)).toEqual([8, 5, 9, 7]);
    const after = elems([1, 0], [10, 0]);
    const e = DeltaEvictor.of(5, { getDelta: (a: number, b: number) => Math.abs(a - b) }, true);
    e.evictBefore(after, 2, w, ctx);
    expect(values(after)).toEqual([1, 10]);
    e.evictAfter(after, 2, w, ctx);
    expect(values(after)).toEqual([10]);
  });
});
