import {
  getLogger,
  type Collector,
  type InputStatus,
  type ReaderOutput,
  type SourceOutput,
  type SourceReader,
  type SourceReaderContext,
} from '@riffle/core';
import { partitionKey, type KafkaClient, type KafkaFetcher, type MutableKafkaConsumerRecord, type PartitionRecords } from './kafka-client.js';
import type { KafkaRecordDeserializationSchema } from './deserialization.js';
import { kafkaPartitionSplit, type KafkaPartitionSplit } from './kafka-split.js';

const log = getLogger('KafkaSourceReader');
const RESOLVED: Promise<void> = Promise.resolve();

/** Tuning of a {@link KafkaSourceReader}. */
export interface KafkaReaderOptions {
  /** Records the fetcher buffers ahead of the reader at most. */
  readonly maxBufferedRecords: number;
  /** Records emitted per `pollNext` at most. */
  readonly maxRecordsPerPoll: number;
  /** Commit the checkpointed offsets to this group when a checkpoint completes (not for correctness). */
  readonly commitGroupId: string | undefined;
}

interface SplitState {
  readonly split: KafkaPartitionSplit;
  /** The next offset to emit. */
  next: number;
  /** The next offset to fetch (past what is buffered). */
  fetchPos: number;
  output: SourceOutput<unknown> | undefined;
}

/**
 * Gathers the values a deserializer produces for one record; reused for every record. They are
 * emitted only after the deserializer returned, so an error thrown downstream (chained
 * operators run inside `SourceOutput.collect`) is never taken for a deserialization failure.
 */
class RecordCollector<T> implements Collector<T> {
  values: T[] = [];
  count = 0;

  collect(value: T): void {
    this.values[this.count++] = value;
  }

  emit(output: SourceOutput<T>, timestamp: number): void {
    const n = this.count;
    this.count = 0;
    if (n === 1) {
      const v = this.values[0];
      this.values[0] = undefined as T;
      output.collect(v, timestamp);
      return;
    }
    for (let i = 0; i < n; i++) {
      const v = this.values[i];
      this.values[i] = undefined as T;
      output.collect(v, timestamp);
    }
  }
}

/**
 * Reads the topic-partitions assigned to it (Flink's `KafkaSourceReader`). One fetcher fetches
 * all of them in the background and buffers a bounded number of records; `pollNext` emits what
 * is buffered through each partition's own split output, with the Kafka record timestamp, and
 * never waits. A split's state is the next offset to emit, so a snapshot restores without loss
 * or duplication. A bounded split ends at its stopping offset; records at or past it are not
 * emitted. A record that fails to deserialize fails the reader naming topic, partition and offset.
 * An unbounded reader without partitions marks its output idle until it gets some.
 */
export class KafkaSourceReader<T> implements SourceReader<T, KafkaPartitionSplit> {
  private readonly splits = new Map<string, SplitState>();
  private readonly batches: PartitionRecords[] = [];
  private batchPos = 0;
  private fetcher: KafkaFetcher | undefined;
  private fetcherGeneration = 0;
  private creating = false;
  private polling = false;
  private noMoreSplits = false;
  private error: Error | undefined;
  private available: Promise<void> = RESOLVED;
  private resolveAvailable: (() => void) | undefined;
  private readonly collector = new RecordCollector<T>();
  /** Filled in place for each record handed to the deserializer. */
  private readonly record: MutableKafkaConsumerRecord = { topic: '', partition: 0, offset: 0, timestamp: 0, key: null, value: null, headers: {} };
  private readonly pendingCommits = new Map<number, KafkaPartitionSplit[]>();
  /** Splits this reader read to their stopping offset. */
  private readonly finished = new Set<string>();
  private closed = false;
  private committing = false;
  private idle = false;

  constructor(
    private readonly context: SourceReaderContext,
    private readonly client: KafkaClient,
    private readonly deserializer: KafkaRecordDeserializationSchema<T>,
    private readonly options: KafkaReaderOptions,
  ) {}

  start(): void {
    // Splits are pushed by the enumerator; nothing to ask for.
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (this.error) throw this.error;
    if (this.idle && this.splits.size > 0) {
      this.idle = false;
      output.markActive();
    }
    let budget = this.options.maxRecordsPerPoll;
    while (budget > 0 && this.batches.length > 0) {
      const batch = this.batches[0];
      const state = this.splits.get(partitionKey(batch.topic, batch.partition));
      if (!state) {
        this.nextBatch();
        continue;
      }
      const size = batch.size;
      const stop = state.split.stoppingOffset;
      const record = this.record;
      let finished = false;
      while (budget > 0 && this.batchPos < size) {
        const offset = batch.offsetAt(this.batchPos);
        if (offset < state.next) {
          this.batchPos++;
          continue;
        }
        if (stop >= 0 && offset >= stop) {
          finished = true;
          break;
        }
        state.output ??= output.createOutputForSplit(state.split.splitId) as SourceOutput<unknown>;
        batch.recordAt(this.batchPos++, record);
        try {
          this.deserializer.deserialize(record, this.collector);
        } catch (cause) {
          this.collector.count = 0;
          throw new Error(
            `Kafka source: could not deserialize the record at topic ${record.topic}, partition ${record.partition}, offset ${record.offset}: ${cause instanceof Error ? cause.message : String(cause)}`,
            { cause },
          );
        }
        state.next = offset + 1;
        this.collector.emit(state.output as SourceOutput<T>, record.timestamp);
        budget--;
      }
      if (this.batchPos >= size) {
        // The whole batch is emitted: the position passes offsets without records (transaction markers).
        if (batch.nextOffset > state.next) state.next = batch.nextOffset;
        this.nextBatch();
      }
      if (finished || (stop >= 0 && state.next >= stop)) this.finishSplit(state, output);
    }
    if (this.splits.size === 0) {
      this.batches.length = 0;
      this.batchPos = 0;
      this.closeFetcher();
      if (this.noMoreSplits) return 'END_OF_INPUT';
      // A reader without partitions (more readers than partitions) must not hold back the watermark.
      if (!this.idle) {
        this.idle = true;
        output.markIdle();
      }
    }
    if (this.batches.length > 0) return 'MORE_AVAILABLE';
    this.markUnavailable();
    this.fetch();
    return this.batches.length > 0 ? 'MORE_AVAILABLE' : 'NOTHING_AVAILABLE';
  }

  isAvailable(): Promise<void> {
    return this.available;
  }

  addSplits(splits: KafkaPartitionSplit[]): void {
    let added = false;
    for (const split of splits) {
      if (split.stoppingOffset >= 0 && split.startingOffset >= split.stoppingOffset) continue;
      // A partition this reader already reads (or finished) must not start over: a second
      // assignment can only be stale (the enumerator's checkpoint taken before it assigned the split,
      // and this reader's checkpoint after), and restarting would emit its records twice.
      const current = this.splits.get(split.splitId);
      if (current || this.finished.has(split.splitId)) {
        log.warn('Kafka source: ignoring a second assignment of a partition this reader already has', {
          split: split.splitId,
          assignedFrom: split.startingOffset,
          readingAt: current?.next ?? 'finished',
        });
        continue;
      }
      this.splits.set(split.splitId, { split, next: split.startingOffset, fetchPos: split.startingOffset, output: undefined });
      added = true;
    }
    // The fetcher's partition set is fixed: a new one replaces it, continuing after what is buffered.
    if (added) this.closeFetcher();
    this.signalAvailable();
  }

  notifyNoMoreSplits(): void {
    this.noMoreSplits = true;
    this.signalAvailable();
  }

  snapshotState(checkpointId: number): KafkaPartitionSplit[] {
    const state: KafkaPartitionSplit[] = [];
    for (const s of this.splits.values()) state.push(kafkaPartitionSplit(s.split.topic, s.split.partition, s.next, s.split.stoppingOffset));
    if (this.options.commitGroupId !== undefined) this.pendingCommits.set(checkpointId, state);
    return state;
  }

  /**
   * Commits the offsets of the completed checkpoint to the group in the background (the task does
   * not wait: a commit can take seconds while the group coordinator loads). At most one commit is
   * in flight; a checkpoint completing meanwhile is skipped, the next one commits newer offsets.
   */
  notifyCheckpointComplete(checkpointId: number): void {
    const offsets = this.pendingCommits.get(checkpointId);
    for (const id of [...this.pendingCommits.keys()]) if (id <= checkpointId) this.pendingCommits.delete(id);
    const groupId = this.options.commitGroupId;
    if (!offsets || offsets.length === 0 || groupId === undefined || this.committing || this.closed) return;
    this.committing = true;
    this.client
      .commitOffsets(groupId, offsets.map((s) => ({ topic: s.topic, partition: s.partition, offset: s.startingOffset })))
      // Committed offsets only report progress to Kafka tools; the checkpoint holds the truth.
      .catch((error: unknown) => log.warn('committing Kafka offsets failed', { checkpointId, error: String(error) }))
      .finally(() => (this.committing = false));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closeFetcher();
    await this.client.close();
  }

  private finishSplit(state: SplitState, output: ReaderOutput<T>): void {
    this.splits.delete(state.split.splitId);
    this.finished.add(state.split.splitId);
    if (state.output) output.releaseOutputForSplit(state.split.splitId);
  }

  /** Makes sure a fetcher runs and a poll is outstanding; results arrive asynchronously. */
  private fetch(): void {
    if (this.closed || this.error || this.splits.size === 0) return;
    if (!this.fetcher) {
      if (this.creating) return;
      this.creating = true;
      const generation = this.fetcherGeneration;
      const starts = [...this.splits.values()].map((s) => ({ topic: s.split.topic, partition: s.split.partition, offset: s.fetchPos }));
      this.client
        .createFetcher(starts, { maxBufferedRecords: this.options.maxBufferedRecords })
        .then((fetcher) => {
          this.creating = false;
          if (generation !== this.fetcherGeneration || this.closed) {
            void fetcher.close();
            this.fetch();
            return;
          }
          this.fetcher = fetcher;
          this.fetch();
        })
        .catch((error: unknown) => this.fail(error));
      return;
    }
    if (this.polling) return;
    this.polling = true;
    const fetcher = this.fetcher;
    fetcher
      .poll()
      .then((records) => {
        this.polling = false;
        if (fetcher !== this.fetcher) {
          this.fetch();
          return;
        }
        if (records.length > 0) {
          this.accept(records);
          this.signalAvailable();
        } else {
          this.fetch();
        }
      })
      .catch((error: unknown) => {
        this.polling = false;
        if (fetcher === this.fetcher) this.fail(error);
      });
  }

  private accept(batches: PartitionRecords[]): void {
    for (const batch of batches) {
      // Remember where a replacement fetcher must continue.
      const state = this.splits.get(partitionKey(batch.topic, batch.partition));
      if (state && batch.nextOffset > state.fetchPos) state.fetchPos = batch.nextOffset;
      this.batches.push(batch);
    }
  }

  private nextBatch(): void {
    this.batches.shift();
    this.batchPos = 0;
  }

  private closeFetcher(): void {
    this.fetcherGeneration++;
    const fetcher = this.fetcher;
    this.fetcher = undefined;
    if (fetcher) fetcher.close().catch((error: unknown) => log.warn('closing a Kafka fetcher failed', { error: String(error) }));
  }

  private fail(error: unknown): void {
    this.creating = false;
    this.error = error instanceof Error ? error : new Error(String(error));
    this.signalAvailable();
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
}
