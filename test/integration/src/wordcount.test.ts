import { describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { wordAt } from './jobs/wordcount.job.js';

const JOB = new URL('./jobs/wordcount.job.ts', import.meta.url);
const WORDS = 1_000_000;
const VOCABULARY = 5000;

/** The independent count: a plain loop and a Map. */
function expectedCounts(words: number, vocabulary: number): Map<string, number> {
  const m = new Map<string, number>();
  for (let n = 0; n < words; n++) {
    const w = wordAt(n, vocabulary);
    m.set(w, (m.get(w) ?? 0) + 1);
  }
  return m;
}

describe('WordCount on the MiniCluster (worker threads)', () => {
  const expected = expectedCounts(WORDS, VOCABULARY);

  for (const parallelism of [1, 2, 4]) {
    it(`counts ${WORDS.toLocaleString('en')} words exactly at parallelism ${parallelism}`, async () => {
      const { result } = await runJob(JOB, { parallelism, args: ['--words', String(WORDS), '--vocabulary', String(VOCABULARY)] });
      const rolling = result!.getCollected<[string, number]>('counts');
      // A rolling sum emits one update per word, each count one higher than the last for its word.
      expect(rolling.length).toBe(WORDS);
      const finals = new Map<string, number>();
      let outOfStep = 0;
      for (const [w, c] of rolling) {
        if (c !== (finals.get(w) ?? 0) + 1) outOfStep++;
        finals.set(w, c);
      }
      expect(outOfStep).toBe(0);
      expect(finals).toEqual(expected);
    });
  }
});
