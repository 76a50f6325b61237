import type { Sink, SinkInitContext, SinkWriter } from '@riffle/core';

/** A word and its count, as WordCount emits them. */
export type WordWithCount = [word: string, count: number];

/**
 * The `n` most frequent words of `counts` (word → count), most frequent first; ties in
 * alphabetical order, so that the result does not depend on arrival order.
 */
export function topWords(counts: ReadonlyMap<string, number>, n: number): WordWithCount[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n);
}

/**
 * The final count of every word from a stream of rolling updates (`keyBy(word).sum(1)` emits
 * one update per word occurrence, each one higher than the last for its word): the highest.
 */
export function finalCounts(updates: Iterable<WordWithCount>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [word, count] of updates) {
    if (count > (counts.get(word) ?? 0)) counts.set(word, count);
  }
  return counts;
}

/** Renders the top words as a small table, one line per word (the text the sink prints). */
export function formatTopWords(top: readonly WordWithCount[], totalWords: number, distinctWords: number): string {
  const width = Math.max(4, ...top.map(([w]) => w.length));
  const lines = [`Top ${top.length} of ${distinctWords} distinct words (${totalWords} words in all):`];
  top.forEach(([word, count], i) => {
    lines.push(`${String(i + 1).padStart(3)}. ${word.padEnd(width)} ${String(count).padStart(9)}`);
  });
  return lines.join('\n') + '\n';
}

/**
 * A Sink V2 sink that keeps the latest count of every word and, at the end of input, writes the
 * `n` most frequent words as a table (see {@link formatTopWords}) through `write` (stdout by
 * default). It must run with parallelism 1 so that it sees every word: a bounded job's way of
 * printing a final result instead of every rolling update.
 *
 * With an unbounded input the end never comes and nothing is printed; a windowed top-N is the
 * streaming answer to that.
 */
export class TopWordsSink implements Sink<WordWithCount> {
  constructor(
    readonly n: number,
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`TopWordsSink: n must be a positive integer, got ${n}`);
  }

  createWriter(context: SinkInitContext): SinkWriter<WordWithCount> {
    if (context.getNumberOfParallelSubtasks() !== 1) {
      throw new Error(`TopWordsSink must run with parallelism 1 to see every word, got ${context.getNumberOfParallelSubtasks()}`);
    }
    return new TopWordsWriter(this.n, this.write);
  }
}

class TopWordsWriter implements SinkWriter<WordWithCount> {
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly n: number,
    private readonly out: (text: string) => void,
  ) {}

  write(value: WordWithCount): void {
    // Updates of one word come from one upstream subtask, in order: the last is the highest.
    if (value[1] > (this.counts.get(value[0]) ?? 0)) this.counts.set(value[0], value[1]);
  }

  flush(endOfInput: boolean): void {
    if (!endOfInput) return;
    let total = 0;
    for (const c of this.counts.values()) total += c;
    this.out(formatTopWords(topWords(this.counts, this.n), total, this.counts.size));
  }

  close(): void {}
}
