import { describe, expect, it } from 'vitest';
import { StreamRecord } from '@riffle/core';
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js';
import type { KeyedStream, SingleOutputStreamOperator } from '../streams/data-stream.js';
import { openNodeOperator, type OneInput } from '../testing/operator-test-utils.js';
import { FieldAccessor } from './aggregations.js';

type Row = [string, number, string];

const ROWS: Row[] = [
  ['a', 3, 'x1'],
  ['a', 1, 'x2'],
  ['b', 5, 'y1'],
  ['a', 1, 'x3'],
  ['a', 4, 'x4'],
  ['b', 5, 'y2'],
];

/** Builds `keyBy(...)` + `aggregate`, runs `input` through the aggregation operator and returns what it emitted. */
async function rolling<T>(input: T[], key: (t: T) => unknown, aggregate: (k: KeyedStream<T, unknown>) => SingleOutputStreamOperator<T>): Promise<T[]> {
  const env = new StreamExecutionEnvironment({ jobModule: 'file:///t.ts', params: {}, parallelism: 1 });
  const out = aggregate(env.fromCollection(input).keyBy(key));
  out.print();
  const graph = env.getStreamGraph();
  // Nodes: 1 source, 2 aggregation, 3 print.
  const { operator, output } = await openNodeOperator<T, OneInput<T, T>>(graph, 2);
  for (const value of input) operator.processElement(new StreamRecord(value));
  return output.values();
}

const byKey = (t: Row) => t[0];

describe('rolling aggregations on keyed streams (Flink semantics)', () => {
  it('sum keeps a running sum; other fields stay those of the first record of the key', async () => {
    expect(await rolling(ROWS, byKey, (k) => k.sum(1))).toEqual([
      ['a', 3, 'x1'],
      ['a', 4, 'x1'],
      ['b', 5, 'y1'],
      ['a', 5, 'x1'],
      ['a', 9, 'x1'],
      ['b', 10, 'y1'],
    ]);
  });

  it('min and max update only the field; other fields stay those of the first record', async () => {
    expect(await rolling(ROWS, byKey, (k) => k.min(1))).toEqual([
      ['a', 3, 'x1'],
      ['a', 1, 'x1'],
      ['b', 5, 'y1'],
      ['a', 1, 'x1'],
      ['a', 1, 'x1'],
      ['b', 5, 'y1'],
    ]);
    expect(await rolling(ROWS, byKey, (k) => k.max(1))).toEqual([
      ['a', 3, 'x1'],
      ['a', 3, 'x1'],
      ['b', 5, 'y1'],
      ['a', 3, 'x1'],
      ['a', 4, 'x1'],
      ['b', 5, 'y1'],
    ]);
  });

  it('minBy and maxBy emit whole records; ties keep the first record unless first is false', async () => {
    const tags = (rows: Row[]) => rows.map((r) => r[2]);
    expect(tags(await rolling(ROWS, byKey, (k) => k.minBy(1)))).toEqual(['x1', 'x2', 'y1', 'x2', 'x2', 'y1']);
    expect(tags(await rolling(ROWS, byKey, (k) => k.minBy(1, false)))).toEqual(['x1', 'x2', 'y1', 'x3', 'x3', 'y2']);
    expect(tags(await rolling(ROWS, byKey, (k) => k.maxBy(1)))).toEqual(['x1', 'x1', 'y1', 'x1', 'x4', 'y1']);
    expect(tags(await rolling(ROWS, byKey, (k) => k.maxBy(1, false)))).toEqual(['x1', 'x1', 'y1', 'x1', 'x4', 'y2']);
  });

  it('aggregates nested object fields by name without mutating the input records', async () => {
    type Player = { user: string; stats: { score: number; level: bigint }; note: string };
    const input: Player[] = [
      { user: 'ann', stats: { score: 10, level: 1n }, note: 'first' },
      { user: 'bob', stats: { score: 7, level: 2n }, note: 'b' },
      { user: 'ann', stats: { score: 5, level: 3n }, note: 'second' },
    ];
    const frozen = JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    const sums = await rolling(input, (p) => p.user, (k) => k.sum('stats.score'));
    expect(sums.map((p) => [p.user, p.stats.score, p.note])).toEqual([
      ['ann', 10, 'first'],
      ['bob', 7, 'b'],
      ['ann', 15, 'first'],
    ]);
    const levels = await rolling(input, (p) => p.user, (k) => k.sum('stats.level'));
    expect(levels.map((p) => p.stats.level)).toEqual([1n, 2n, 4n]);
    const mins = await rolling(input, (p) => p.user, (k) => k.minBy('stats.score'));
    expect(mins.map((p) => p.note)).toEqual(['first', 'b', 'second']);
    expect(JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).toBe(frozen);
  });

  it('reduce combines the current value with each record and emits every update', async () => {
    const words = ['a', 'b', 'a', 'c', 'a'].map((w): [string, number] => [w, 1]);
    const counts = await rolling(words, (t) => t[0], (k) => k.reduce((x, y) => [x[0], x[1] + y[1]]));
    expect(counts).toEqual([
      ['a', 1],
      ['b', 1],
      ['a', 2],
      ['c', 1],
      ['a', 3],
    ]);
  });

  it('treats composite keys that are equal by value as the same key', async () => {
    const input = [
      { k: ['x', 1], v: 1 },
      { k: ['x', 1], v: 2 },
      { k: ['x', 2], v: 4 },
    ];
    const sums = await rolling(input, (r) => r.k, (k) => k.sum('v'));
    expect(sums.map((r) => r.v)).toEqual([1, 3, 4]);
  });

  it('fails clearly on values that cannot be summed or compared', async () => {
    await expect(rolling(ROWS, byKey, (k) => k.sum(2))).rejects.toThrow(/sum\('2'\): cannot add string and string/);
    const mixed: Array<[string, unknown]> = [
      ['a', 1],
      ['a', 'one'],
    ];
    await expect(rolling(mixed, (t) => t[0], (k) => k.max(1))).rejects.toThrow(/max\('1'\): cannot compare number with string/);
    await expect(rolling(ROWS, byKey, (k) => k.sum('nope.deeper'))).rejects.toThrow(/field 'nope.deeper' does not exist/);
  });
});

describe('FieldAccessor', () => {
  it('reads tuple positions as numbers, digit strings or f-names, and writes copies', () => {
    const rec = { a: [1, [2, 3]] as [number, [number, number]] };
    expect(new FieldAccessor('a.1.f0').get(rec)).toBe(2);
    expect(new FieldAccessor('a.f1.1').get(rec)).toBe(3);
    const updated = new FieldAccessor('a.1.0').set(rec, 9);
    expect(updated).toEqual({ a: [1, [9, 3]] });
    expect(rec).toEqual({ a: [1, [2, 3]] });
    expect(new FieldAccessor(0).get(['z'])).toBe('z');
  });
});
