import type {
  Boundedness,
  SimpleVersionedSerializer,
  Source,
  SourceOutput,
  SourceReader,
  SourceReaderContext,
  SplitEnumerator,
  SplitEnumeratorContext,
  TypeInformation,
} from '@riffle/core';
import { SplitListSerializer, StaticSplitEnumerator } from '@riffle/core';
import { GeneratingSourceReader, type SplitCursor } from '../source/generating-source-reader.js';
import { indexRangeSplitSerializer, splitIndexRange, type IndexRangeSplit } from './index-range-split.js';

/** Turns an index into a record. Called per record on the task thread: keep it synchronous and cheap. */
export type GeneratorFunction<T> = (index: number) => T;

/** Pacing of a {@link DataGeneratorSource}. */
export interface DataGeneratorRateLimit {
  /** Records per second of wall-clock time, per source subtask (a positive finite number). */
  readonly recordsPerSecond: number;
}

/** Records per `pollNext` at most. */
const BATCH_SIZE = 1024;

/**
 * Flink's `DataGeneratorSource`: the records `generatorFunction(0)`, …, `generatorFunction(count-1)`
 * (or of every index for `'unbounded'`), each index exactly once. The index range is cut into
 * one split per source subtask; a split's checkpointed state is its next index, so a restored job
 * regenerates nothing twice and skips nothing (the function must be deterministic for replays to
 * match). With a rate limit, each subtask emits at most `recordsPerSecond` records per second,
 * throttled through `isAvailable()` (the task is never blocked). Records carry no timestamp.
 *
 * Validated when constructed: a bad argument throws a `RangeError` naming it. The object is part
 * of the job graph, rebuilt in every worker from the job module; it holds no resources.
 */
export class DataGeneratorSource<T> implements Source<T, IndexRangeSplit, IndexRangeSplit[]> {
  /** Number of indexes generated (`Number.MAX_SAFE_INTEGER` for an unbounded source). */
  readonly count: number;
  private readonly unbounded: boolean;

  constructor(
    private readonly generatorFunction: GeneratorFunction<T>,
    count: number | 'unbounded',
    readonly rateLimit?: DataGeneratorRateLimit,
    private readonly typeInfo?: TypeInformation<T>,
  ) {
    if (typeof generatorFunction !== 'function') throw new TypeError('DataGeneratorSource: generatorFunction must be a function');
    if (count === 'unbounded') this.count = Number.MAX_SAFE_INTEGER;
    else if (Number.isSafeInteger(count) && count >= 0) this.count = count;
    else throw new RangeError(`DataGeneratorSource: count must be a non-negative safe integer or 'unbounded', got ${String(count)}`);
    this.unbounded = count === 'unbounded';
    if (rateLimit !== undefined) {
      const rate = rateLimit.recordsPerSecond;
      if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
        throw new RangeError(`DataGeneratorSource: rateLimit.recordsPerSecond must be a positive finite number, got ${String(rate)}`);
      }
    }
  }

  getBoundedness(): Boundedness {
    return this.unbounded ? 'CONTINUOUS_UNBOUNDED' : 'BOUNDED';
  }

  /** The type information given to the constructor (pass it to `fromSource`), if any. */
  getProducedType(): TypeInformation<T> | undefined {
    return this.typeInfo;
  }

  createEnumerator(context: SplitEnumeratorContext<IndexRangeSplit>): SplitEnumerator<IndexRangeSplit, IndexRangeSplit[]> {
    return new StaticSplitEnumerator(context, splitIndexRange(this.count, context.currentParallelism()), { preferSubtaskSplit: true });
  }

  restoreEnumerator(
    context: SplitEnumeratorContext<IndexRangeSplit>,
    checkpoint: IndexRangeSplit[],
  ): SplitEnumerator<IndexRangeSplit, IndexRangeSplit[]> {
    return new StaticSplitEnumerator(context, checkpoint, { preferSubtaskSplit: true });
  }

  createReader(context: SourceReaderContext): SourceReader<T, IndexRangeSplit> {
    return new DataGeneratorReader(context, this.generatorFunction, this.rateLimit?.recordsPerSecond);
  }

  getSplitSerializer(): SimpleVersionedSerializer<IndexRangeSplit> {
    return indexRangeSplitSerializer;
  }

  getEnumeratorCheckpointSerializer(): SimpleVersionedSerializer<IndexRangeSplit[]> {
    return new SplitListSerializer(indexRangeSplitSerializer);
  }
}

class DataGeneratorReader<T> extends GeneratingSourceReader<T, IndexRangeSplit> {
  constructor(
    context: SourceReaderContext,
    private readonly generatorFunction: GeneratorFunction<T>,
    recordsPerSecond: number | undefined,
  ) {
    super(context, BATCH_SIZE, recordsPerSecond);
  }

  protected openSplit(split: IndexRangeSplit): SplitCursor<T, IndexRangeSplit> {
    return new IndexRangeCursor(split, this.generatorFunction);
  }
}

class IndexRangeCursor<T> implements SplitCursor<T, IndexRangeSplit> {
  readonly splitId: string;
  private next: number;
  private readonly end: number;

  constructor(
    split: IndexRangeSplit,
    private readonly generatorFunction: GeneratorFunction<T>,
  ) {
    this.splitId = split.splitId;
    this.next = split.next;
    this.end = split.end;
  }

  emit(output: SourceOutput<T>, max: number): number {
    const fn = this.generatorFunction;
    const start = this.next;
    const stop = Math.min(this.end, start + max);
    let i = start;
    for (; i < stop; i++) output.collect(fn(i));
    this.next = i;
    return i - start;
  }

  isFinished(): boolean {
    return this.next >= this.end;
  }

  snapshot(): IndexRangeSplit {
    return { splitId: this.splitId, next: this.next, end: this.end };
  }
}
