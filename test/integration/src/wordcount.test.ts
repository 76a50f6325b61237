import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { wordAt } from './jobs/wordcount.job.js';

const JOB = new URL('./jobs/wordcount.job.ts', import.meta.url);

function expectedCounts(words: number, vocabulary: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let n = 0; n < words; n++) {
    const w = wordAt(n, vocabulary);
    m.set(w, (m.get(w) ?? 0) + 1);
  }
  return m;
}

describe('WordCount on the MiniCluster', () => {
  it('counts a small text exactly at parallelism 2', async () => {
    const { result } = await runJob(JOB, { parallelism: 2, args: ['--words', '5000', '--vocabulary', '100'] });
    const rolling = result!.getCollected<[string, number]>('counts');
    expect(rolling.length).toBe(5000);
    const finals = new Map<string, number>();
    for (const [w, c] of rolling) finals.set(w, Math.max(finals.get(w) ?? 0, c));
    expect(finals).toEqual(expectedCounts(5000, 100));
  });
});
