import type { SourceSplit, SplitEnumerator, SplitEnumeratorContext } from './source.js';

/** Options of a {@link StaticSplitEnumerator}. */
export interface StaticSplitEnumeratorOptions {
  /**
   * Answer subtask `k` with the split whose id is `"k"` while it is unassigned (one split per
   * subtask, so subtask `k` normally reads split `k`); otherwise, or when false (the default),
   * with the next remaining split.
   */
  readonly preferSubtaskSplit?: boolean;
}

/**
 * An enumerator whose splits are all known when it is created (Flink's `IteratorSourceEnumerator`):
 * readers ask for splits; a request is answered with a remaining split (see
 * {@link StaticSplitEnumeratorOptions.preferSubtaskSplit}), or with "no more splits" once none is
 * left. Splits handed back after a reader failure are offered again first. Its checkpoint is the
 * list of splits not yet assigned. Calls come from one thread and never overlap.
 */
export class StaticSplitEnumerator<SplitT extends SourceSplit> implements SplitEnumerator<SplitT, SplitT[]> {
  private readonly remaining: SplitT[];

  constructor(
    private readonly context: SplitEnumeratorContext<SplitT>,
    splits: readonly SplitT[],
    private readonly options: StaticSplitEnumeratorOptions = {},
  ) {
    this.remaining = [...splits];
  }

  start(): void {}

  handleSplitRequest(subtask: number): void {
    if (this.remaining.length === 0) {
      this.context.signalNoMoreSplits(subtask);
      return;
    }
    const own = this.options.preferSubtaskSplit ? this.remaining.findIndex((s) => s.splitId === String(subtask)) : -1;
    const [split] = this.remaining.splice(own >= 0 ? own : 0, 1);
    this.context.assignSplit(split!, subtask);
  }

  addSplitsBack(splits: SplitT[], _subtask: number): void {
    // Returned splits go first: they are the oldest work.
    this.remaining.unshift(...splits);
  }

  addReader(_subtask: number): void {
    // Readers ask for splits themselves when they start.
  }

  snapshotState(_checkpointId: number): SplitT[] {
    return [...this.remaining];
  }

  close(): void {}
}
