/**
 * WordCount, Flink's first example: count how often each word occurs in a text.
 *
 * Shows: a file source (`readTextFile`) or a generated one (`fromSequence` + `map`), a
 * tokenizing `flatMap`, `keyBy` + rolling `sum`, and three ways to end a job.
 *
 * Run it:
 *   npx riffle run apps/examples/src/wordcount.job.ts -p 2                       # generated text, top 10 words
 *   npx riffle run apps/examples/src/wordcount.job.ts -- --input README.md --top 5
 *   npx riffle run apps/examples/src/wordcount.job.ts -- --words 1000 --output print
 *
 * Parameters (after `--`):
 *   --input <path>   a text file, or a directory of them; without it a text is generated
 *   --words N        words in the generated text (default 200000)
 *   --seed S         seed of the generated text (default 42); the same seed gives the same text
 *   --output MODE    top (default) | print | collect
 *   --top N          how many words `top` prints (default 10)
 *
 * Why three outputs: a streaming WordCount has no "final" count. `keyBy(word).sum(1)` emits a
 * rolling update per word occurrence — `(the,1)`, `(the,2)`, … — and a streaming job never knows
 * that no more words will come. `--output print` prints exactly those updates, as Flink's
 * streaming WordCount does (one line per word occurrence, prefixed `subtask> ` when parallel).
 * The input here is bounded, though, so the default `--output top` sends the updates to a
 * single-instance Sink V2 sink ({@link TopWordsSink}) that keeps the latest count per word and
 * prints the top N when its input ends: a readable final result. `--output collect` sends the
 * updates back to the program that ran the job (collect id `'counts'`), for tests and
 * programmatic callers: `finalCounts(result.getCollected('counts'))`, then `topWords(counts, n)`.
 *
 * The text is generated inside the job (a `map` over a number sequence), never while the graph is
 * built: every worker imports this module to rebuild the graph, so building must not do work.
 */
import type { Collector, FlatMapFunction } from '@riffle/core';
import { defineJob, type DataStream } from '@riffle/datastream';
import { SeededRandom } from './random.js';
import { generateLine, lineCount } from './text-generator.js';
import { TopWordsSink, type WordWithCount } from './top-words-sink.js';

export { finalCounts, topWords, formatTopWords, type WordWithCount } from './top-words-sink.js';
export { generateLine, lineCount, WORDS_PER_LINE } from './text-generator.js';

/** The collect id of `--output collect`. */
export const COUNTS_COLLECT_ID = 'counts';

const OUTPUTS = ['top', 'print', 'collect'] as const;
type OutputMode = (typeof OUTPUTS)[number];

/** Anything that is not a letter (in any script) separates words. */
const NON_LETTERS = /[^\p{L}]+/u;

/** Splits a line into lower-case words and emits `(word, 1)` for each (Flink's `Tokenizer`). */
export class Tokenizer implements FlatMapFunction<string, WordWithCount> {
  flatMap(line: string, out: Collector<WordWithCount>): void {
    const tokens = line.toLowerCase().split(NON_LETTERS);
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (token.length > 0) out.collect([token, 1]);
    }
  }
}

export default defineJob((env, params) => {
  const output = params.get('output', 'top') as OutputMode;
  if (!OUTPUTS.includes(output)) throw new Error(`--output must be one of ${OUTPUTS.join(', ')}, got '${output}'`);
  const top = params.getNumber('top', 10);

  let text: DataStream<string>;
  const input = params.get('input');
  if (input !== undefined) {
    text = env.readTextFile(input).name('Text File');
  } else {
    const words = params.getNumber('words', 200_000);
    const seed = params.getNumber('seed', 42);
    if (!Number.isInteger(words) || words < 0) throw new Error(`--words must be a non-negative integer, got ${words}`);
    // Reseeded for every line, so instances that share it (same thread) cannot disturb each other.
    const random = new SeededRandom();
    text = env
      .fromSequence(0, lineCount(words) - 1)
      .name('Line Numbers')
      .map((line) => generateLine(line, words, seed, random))
      .name('Generated Text');
  }

  const counts = text
    .flatMap(new Tokenizer())
    .name('Tokenizer')
    .keyBy((t) => t[0])
    .sum(1)
    .name('Count');

  switch (output) {
    case 'print':
      counts.print();
      break;
    case 'collect':
      counts.addCollectSink(COUNTS_COLLECT_ID);
      break;
    case 'top':
      counts.sinkTo(new TopWordsSink(top)).name('Top Words').setParallelism(1);
      break;
  }
});
