import {
  getLogger,
  type InputStatus,
  type ReaderOutput,
  type SourceOutput,
  type SourceReader,
  type SourceReaderContext,
  type SourceSplit,
} from '@riffle/core';

const log = getLogger('SplitQueueSourceReader');

/** What {@link SplitQueueSourceReader.readSplit} reports about the split it read from. */
export type SplitReadStatus = 'MORE' | 'WAIT' | 'FINISHED';

/** How many records a built-in reader emits per `pollNext` at most. */
export const DEFAULT_POLL_BATCH_SIZE = 256;

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The reader behind the built-in bounded sources (Flink's `IteratorSourceReader` pattern): it
 * reads its splits one after the other and asks the enumerator for the next split only when it
 * has none left, so work spreads over readers that finish early. It ends once the enumerator
 * said there are no more splits and every assigned split is finished.
 *
 * Subclasses read one split at a time in {@link readSplit}, emitting at most `max` records and
 * remembering how far they got, so that {@link snapshotSplit} can report the position: a reader
 * restored from such a snapshot continues with the next record, without loss or duplication.
 * A subclass that waits for I/O returns `'WAIT'` and calls {@link signalAvailable} when it can
 * continue.
 */
export abstract class SplitQueueSourceReader<T, SplitT extends SourceSplit> implements SourceReader<T, SplitT> {
  private readonly queue: SplitT[] = [];
  private current: SplitT | undefined;
  private noMoreSplits = false;
  private splitRequested = false;
  private available: Promise<void> = RESOLVED;
  private resolveAvailable: (() => void) | undefined;

  constructor(
    protected readonly context: SourceReaderContext,
    /** Records emitted per `pollNext` at most. */
    protected readonly batchSize: number = DEFAULT_POLL_BATCH_SIZE,
  ) {}

  /**
   * Makes `split` the current split; called once per split before the first `readSplit`.
   * The split carries its start position (the original one, or a restored snapshot's).
   */
  protected abstract beginSplit(split: SplitT): void;

  /** Emits up to `max` records of the current split and reports whether more are ready. */
  protected abstract readSplit(output: SourceOutput<T>, max: number): SplitReadStatus;

  /** The current split with its current position (a fresh object, for a checkpoint). */
  protected abstract snapshotSplit(split: SplitT): SplitT;

  /** Releases what the current split held (called when it is finished, and at close). */
  protected endSplit(): void | Promise<void> {}

  start(): void | Promise<void> {
    // A restored reader already has splits; a fresh one asks for its first.
    if (this.queue.length === 0 && !this.current) this.requestSplit();
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (!this.current) {
      const next = this.queue.shift();
      if (!next) {
        if (this.noMoreSplits) return 'END_OF_INPUT';
        this.requestSplit();
        this.markUnavailable();
        return 'NOTHING_AVAILABLE';
      }
      this.current = next;
      this.beginSplit(next);
    }
    // Each split's records go through its own output, so watermarks are generated per split.
    const splitId = this.current.splitId;
    const status = this.readSplit(output.createOutputForSplit(splitId), this.batchSize);
    if (status === 'FINISHED') {
      output.releaseOutputForSplit(splitId);
      this.current = undefined;
      const ended = this.endSplit();
      if (ended) ended.catch((error: unknown) => log.warn('releasing a finished split failed', { error: String(error) }));
      return 'MORE_AVAILABLE';
    }
    if (status === 'WAIT') {
      this.markUnavailable();
      return 'NOTHING_AVAILABLE';
    }
    return 'MORE_AVAILABLE';
  }

  isAvailable(): Promise<void> {
    return this.available;
  }

  addSplits(splits: SplitT[]): void {
    this.queue.push(...splits);
    this.splitRequested = false;
    this.signalAvailable();
  }

  notifyNoMoreSplits(): void {
    this.noMoreSplits = true;
    this.signalAvailable();
  }

  snapshotState(_checkpointId: number): SplitT[] {
    const state = this.current ? [this.snapshotSplit(this.current)] : [];
    for (const split of this.queue) state.push(split);
    return state;
  }

  async close(): Promise<void> {
    if (this.current) {
      this.current = undefined;
      await this.endSplit();
    }
  }

  /** Wakes up a task waiting on {@link isAvailable}. */
  protected signalAvailable(): void {
    const resolve = this.resolveAvailable;
    this.resolveAvailable = undefined;
    this.available = RESOLVED;
    resolve?.();
  }

  private markUnavailable(): void {
    if (this.resolveAvailable) return;
    this.available = new Promise<void>((resolve) => (this.resolveAvailable = resolve));
  }

  private requestSplit(): void {
    if (this.splitRequested || this.noMoreSplits) return;
    this.splitRequested = true;
    this.context.sendSplitRequest();
  }
}
