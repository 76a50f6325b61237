import type { InputStatus, ReaderOutput, SourceOutput, SourceReader, SourceReaderContext, SourceSplit } from '@riffle/core';
import { RateLimiter } from './rate-limiter.js';

/**
 * A split being read by a {@link GeneratingSourceReader}: it knows its position, emits the next
 * records and reports that position as a split for a checkpoint.
 */
export interface SplitCursor<T, SplitT extends SourceSplit> {
  readonly splitId: string;
  /** Emits up to `max` (≥ 1) records through `output` and returns how many it emitted. Synchronous. */
  emit(output: SourceOutput<T>, max: number): number;
  /** True once every record of the split was emitted. */
  isFinished(): boolean;
  /** The split at its current position (a fresh object): restoring it continues with the next record. */
  snapshot(): SplitT;
}

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * The reader of the datagen sources. It asks the enumerator for a split when it starts without
 * one and whenever all its splits are finished, and reads every split it holds in turn, one
 * batch of at most `batchSize` records per `pollNext` through the split's own output (so
 * watermarks are generated per split). A finished split's output is released. It ends once the
 * enumerator said there are no more splits and every split is finished; an unbounded split never
 * finishes.
 *
 * With a rate limit, `pollNext` emits only what the {@link RateLimiter} grants and otherwise
 * returns NOTHING_AVAILABLE with an `isAvailable()` promise that a timer resolves when records
 * are due: the task is never blocked.
 */
export abstract class GeneratingSourceReader<T, SplitT extends SourceSplit> implements SourceReader<T, SplitT> {
  private readonly cursors: SplitCursor<T, SplitT>[] = [];
  private nextCursor = 0;
  private noMoreSplits = false;
  private splitRequested = false;
  private available: Promise<void> = RESOLVED;
  private resolveAvailable: (() => void) | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly limiter: RateLimiter | undefined;

  constructor(
    protected readonly context: SourceReaderContext,
    /** Records per `pollNext` at most. */
    private readonly batchSize: number,
    /** Records per second for this reader, or undefined for as fast as possible. */
    recordsPerSecond: number | undefined,
    clock?: () => number,
  ) {
    this.limiter = recordsPerSecond === undefined ? undefined : new RateLimiter(recordsPerSecond, batchSize, clock);
  }

  /** Opens a split (fresh or restored) for reading. */
  protected abstract openSplit(split: SplitT): SplitCursor<T, SplitT>;

  start(): void {
    // A restored reader already has its splits; a fresh one asks for its first.
    if (this.cursors.length === 0) this.requestSplit();
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    const cursors = this.cursors;
    if (cursors.length === 0) {
      if (this.noMoreSplits) return 'END_OF_INPUT';
      this.requestSplit();
      this.markUnavailable();
      return 'NOTHING_AVAILABLE';
    }
    let max = this.batchSize;
    const limiter = this.limiter;
    if (limiter) {
      max = limiter.acquire(max);
      if (max === 0) {
        this.wakeAfter(limiter.delayMs());
        return 'NOTHING_AVAILABLE';
      }
    }
    if (this.nextCursor >= cursors.length) this.nextCursor = 0;
    const cursor = cursors[this.nextCursor]!;
    const emitted = cursor.emit(output.createOutputForSplit(cursor.splitId), max);
    if (limiter && emitted < max) limiter.release(max - emitted);
    if (cursor.isFinished()) {
      output.releaseOutputForSplit(cursor.splitId);
      cursors.splice(this.nextCursor, 1);
    } else {
      this.nextCursor++;
    }
    return 'MORE_AVAILABLE';
  }

  isAvailable(): Promise<void> {
    return this.available;
  }

  addSplits(splits: SplitT[]): void {
    for (const split of splits) this.cursors.push(this.openSplit(split));
    this.splitRequested = false;
    this.signalAvailable();
  }

  notifyNoMoreSplits(): void {
    this.noMoreSplits = true;
    this.signalAvailable();
  }

  snapshotState(_checkpointId: number): SplitT[] {
    return this.cursors.map((c) => c.snapshot());
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.cursors.length = 0;
    this.signalAvailable();
  }

  private wakeAfter(ms: number): void {
    this.markUnavailable();
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.signalAvailable();
    }, ms);
  }

  private signalAvailable(): void {
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
