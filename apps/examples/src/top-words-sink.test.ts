import { describe, expect, it } from 'vitest';
import type { SinkInitContext } from '@riffle/core';
import { TopWordsSink, finalCounts, formatTopWords, topWords } from './top-words-sink.js';

function context(parallelism: number): SinkInitContext {
  return { getSubtaskId: () => 0, getNumberOfParallelSubtasks: () => parallelism, getAttemptNumber: () => 0, getJobId: () => 'job' };
}

describe('TopWordsSink', () => {
  it('prints the n most frequent words once, at the end of input, from the latest rolling counts', () => {
    const printed: string[] = [];
    const writer = new TopWordsSink(2, (t) => printed.push(t)).createWriter(context(1));
    const ctx = { timestamp: () => undefined, currentWatermark: () => Number.MIN_SAFE_INTEGER };
    for (const update of [['b', 1], ['a', 1], ['b', 2], ['c', 1], ['a', 2], ['b', 3]] as const) writer.write([update[0], update[1]], ctx);
    writer.flush(false); // a checkpoint: nothing final yet
    expect(printed).toEqual([]);
    writer.flush(true);
    expect(printed).toEqual([formatTopWords([['b', 3], ['a', 2]], 6, 3)]);
    expect(printed[0]).toBe('Top 2 of 3 distinct words (6 words in all):\n  1. b            3\n  2. a            2\n');
  });

  it('refuses to run with more than one instance, which would each see only some words', () => {
    expect(() => new TopWordsSink(3).createWriter(context(2))).toThrow(/parallelism 1/);
    expect(() => new TopWordsSink(0)).toThrow(/positive integer/);
  });
});

describe('topWords / finalCounts', () => {
  it('orders by count, then alphabetically, whatever the arrival order', () => {
    const counts = new Map([['pear', 2], ['apple', 2], ['fig', 5], ['kiwi', 1]]);
    expect(topWords(counts, 3)).toEqual([['fig', 5], ['apple', 2], ['pear', 2]]);
    expect(topWords(new Map([...counts].reverse()), 3)).toEqual([['fig', 5], ['apple', 2], ['pear', 2]]);
    expect(topWords(counts, 10)).toHaveLength(4);
  });

  it('takes the highest rolling count of each word as its final count', () => {
    expect(finalCounts([['a', 1], ['b', 1], ['a', 2], ['a', 3], ['b', 2]])).toEqual(new Map([['a', 3], ['b', 2]]));
  });
});
