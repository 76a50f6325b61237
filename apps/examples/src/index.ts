/**
 * The example jobs, for tools that want to run them (`runJob(EXAMPLE_JOBS.wordcount, …)`), and
 * the data generators and helpers they use, for tests that need the same input.
 */

/** The example job modules, by name. Each default-exports `defineJob(...)`. */
export const EXAMPLE_JOBS = {
  wordcount: new URL('./wordcount.job.ts', import.meta.url),
  parseEnrich: new URL('./parse-enrich.job.ts', import.meta.url),
  connectUnion: new URL('./connect-union.job.ts', import.meta.url),
  sessionization: new URL('./sessionization.job.ts', import.meta.url),
  fraudDetection: new URL('./fraud-detection.job.ts', import.meta.url),
  topN: new URL('./top-n.job.ts', import.meta.url),
} as const;

export { SeededRandom, seedFor } from './random.js';
export { generateLine, lineCount, wordOfRank, VOCABULARY_SIZE, WORDS_PER_LINE } from './text-generator.js';
export { TopWordsSink, finalCounts, formatTopWords, topWords, type WordWithCount } from './top-words-sink.js';
export * from './clickstream.js';
export * from './click-parser.js';
export * from './activity.js';
export * from './site-clicks.js';
export * from './transactions.js';
export { punctuatedBoundedOutOfOrderness } from './punctuated-watermarks.js';
