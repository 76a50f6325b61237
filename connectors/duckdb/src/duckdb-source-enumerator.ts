import type { SplitEnumerator, SplitEnumeratorContext } from '@riffle/core';
import type { DuckDbSourceOptions } from './duckdb-source-options.js';
import type { DuckDbEnumState, DuckDbSplit } from './duckdb-split.js';
import { computeSplits } from './split-queries.js';

/**
 * Hands the ranges of a {@link DuckDbSource} to readers on request, one at a time (so a fast
 * reader takes more), and "no more splits" when none is left. The ranges are computed in
 * `start` from the split column's min and max (one read-only query); a restored enumerator
 * keeps the pending splits of its checkpoint instead. Split requests that arrive before the
 * ranges are known are answered once they are.
 */
export class DuckDbSourceEnumerator implements SplitEnumerator<DuckDbSplit, DuckDbEnumState> {
  private pending: DuckDbSplit[];
  private computed: boolean;
  private readonly waiting: number[] = [];

  constructor(
    private readonly context: SplitEnumeratorContext<DuckDbSplit>,
    private readonly options: DuckDbSourceOptions,
    restored?: DuckDbEnumState,
  ) {
    this.pending = restored ? [...restored.pendingSplits] : [];
    this.computed = restored?.splitsComputed ?? false;
  }

  async start(): Promise<void> {
    if (this.computed) return;
    const n = this.options.numSplits ?? Math.max(1, 2 * this.context.currentParallelism());
    this.pending = await computeSplits(this.options, n);
    this.computed = true;
    for (const subtask of this.waiting.splice(0)) this.handleSplitRequest(subtask);
  }

  handleSplitRequest(subtask: number): void {
    if (!this.computed) {
      this.waiting.push(subtask);
      return;
    }
    const split = this.pending.shift();
    if (split === undefined) this.context.signalNoMoreSplits(subtask);
    else this.context.assignSplit(split, subtask);
  }

  addSplitsBack(splits: DuckDbSplit[], _subtask: number): void {
    this.pending.unshift(...splits);
  }

  addReader(_subtask: number): void {
    // Readers ask for splits when they have none.
  }

  snapshotState(_checkpointId: number): DuckDbEnumState {
    return { pendingSplits: [...this.pending], splitsComputed: this.computed };
  }

  close(): void {}
}
