import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { COUNTS_COLLECT_ID, finalCounts, generateLine, lineCount, topWords, type WordWithCount } from './wordcount.job.js';

const JOB = new URL('./wordcount.job.ts', import.meta.url);

/** The independent count: every generated line, words matched (not split) with a regex, a Map. */
function referenceCounts(words: number, seed: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let line = 0; line < lineCount(words); line++) {
    for (const w of generateLine(line, words, seed).toLowerCase().match(/\p{L}+/gu) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return counts;
}

async function rollingCounts(parallelism: number, args: string[]): Promise<WordWithCount[]> {
  const { result } = await runJob(JOB, { parallelism, args: [...args, '--output', 'collect'] });
  return result!.getCollected<WordWithCount>(COUNTS_COLLECT_ID);
}

/** Rolling updates of one word must count up by one each. */
function outOfStepUpdates(updates: WordWithCount[]): number {
  const last = new Map<string, number>();
  let bad = 0;
  for (const [w, c] of updates) {
    if (c !== (last.get(w) ?? 0) + 1) bad++;
    last.set(w, c);
  }
  return bad;
}

describe('WordCount over generated text', () => {
  const WORDS = 30_000;
  const SEED = 5;
  const expected = referenceCounts(WORDS, SEED);

  it('generates a skewed, mixed-case, punctuated text that tokenizes to exactly --words words', () => {
    let total = 0;
    for (const c of expected.values()) total += c;
    expect(total).toBe(WORDS);
    expect(expected.size).toBeGreaterThan(500);
    const sample = Array.from({ length: 50 }, (_, i) => generateLine(i, WORDS, SEED)).join('\n');
    expect(sample).toMatch(/[A-Z]/);
    expect(sample).toMatch(/[,.;(-]/);
    // Pure function of (line, words, seed): the same line twice, another seed another text.
    expect(generateLine(123, WORDS, SEED)).toBe(generateLine(123, WORDS, SEED));
    expect(generateLine(123, WORDS, SEED + 1)).not.toBe(generateLine(123, WORDS, SEED));
  });

  for (const parallelism of [1, 2, 4]) {
    it(`counts every word exactly at parallelism ${parallelism}, emitting one rolling update per occurrence`, async () => {
      const updates = await rollingCounts(parallelism, ['--words', String(WORDS), '--seed', String(SEED)]);
      expect(updates.length).toBe(WORDS);
      expect(outOfStepUpdates(updates)).toBe(0);
      const counts = finalCounts(updates);
      expect(counts).toEqual(expected);
      expect(topWords(counts, 10)).toEqual(topWords(expected, 10));
    });
  }
});

describe('WordCount over text files (--input)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-wordcount-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Counted by hand: lower-cased, split on anything that is not a letter.
  const PART1 = 'The quick brown fox -- jumps over the lazy dog.\r\nTHE DOG barks; the Fox runs!\n';
  const PART2 = '\n"Don\'t panic," said the fox\'s friend.\n1234 5678 !!!\nCafé, CAFÉ & café: naïve résumé';
  const EXPECTED = new Map(
    Object.entries({
      the: 5, fox: 3, dog: 2, quick: 1, brown: 1, jumps: 1, over: 1, lazy: 1, barks: 1, runs: 1,
      don: 1, t: 1, panic: 1, said: 1, s: 1, friend: 1, café: 3, naïve: 1, résumé: 1,
    }),
  );
  const file = join(dir, 'text.txt');
  writeFileSync(file, PART1 + PART2);
  const parts = join(dir, 'parts');
  mkdirSync(parts);
  writeFileSync(join(parts, 'a.txt'), PART1);
  writeFileSync(join(parts, 'b.txt'), PART2);

  for (const parallelism of [1, 2]) {
    it(`counts the words of a file, case-insensitively and without punctuation, at parallelism ${parallelism}`, async () => {
      const updates = await rollingCounts(parallelism, ['--input', file]);
      expect(outOfStepUpdates(updates)).toBe(0);
      expect(finalCounts(updates)).toEqual(EXPECTED);
    });
  }

  it('counts the words of every file in a directory', async () => {
    const updates = await rollingCounts(2, ['--input', parts]);
    expect(finalCounts(updates)).toEqual(EXPECTED);
    expect(topWords(finalCounts(updates), 3)).toEqual([
      ['the', 5],
      ['café', 3],
      ['fox', 3],
    ]);
  });
});
