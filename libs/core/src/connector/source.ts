import type { SimpleVersionedSerializer } from '../serialization/type-serializer.js';

/**
 * The Source contract (Flink FLIP-27). A source is split into units of work ({@link SourceSplit});
 * a {@link SplitEnumerator} on the JobMaster discovers splits and assigns them, and a
 * {@link SourceReader} in every source subtask reads the splits it was given. Bounded and
 * unbounded sources share the contract; {@link Boundedness} decides whether BATCH mode may run them.
 *
 * A `Source` object is part of the job graph: it is built on the client, on the JobMaster and in
 * every worker by running the same job module, so it must be cheap to construct and must not
 * connect to anything until `createEnumerator` / `createReader`.
 */

export type Boundedness = 'BOUNDED' | 'CONTINUOUS_UNBOUNDED';

/** A unit of work. `splitId` is unique within the source and stable across restarts. */
export interface SourceSplit {
  readonly splitId: string;
}

/** What `SourceReader.pollNext` reports about further input. */
export type InputStatus = 'MORE_AVAILABLE' | 'NOTHING_AVAILABLE' | 'END_OF_INPUT';

/** Where records of one split (or of the reader as a whole) go. `collect` is synchronous and never blocks. */
export interface SourceOutput<T> {
  /** Emits a record, with an event timestamp (ms) when the source knows one. */
  collect(value: T, timestamp?: number): void;
  /** Emits a watermark directly (for sources that generate their own). */
  emitWatermark(timestamp: number): void;
  /** Marks this output idle: it holds back no watermark until it emits again. */
  markIdle(): void;
  /** Ends idleness. */
  markActive(): void;
}

/**
 * The output a reader's `pollNext` gets. A reader that reads several splits should emit each
 * split's records through `createOutputForSplit(splitId)`: the runtime then generates watermarks
 * per split and combines them by their minimum (ignoring idle splits), as Flink does, so one
 * split running ahead of another does not make the other's records late.
 */
export interface ReaderOutput<T> extends SourceOutput<T> {
  /** The output of one split (created on first use, the same object on later calls). */
  createOutputForSplit(splitId: string): SourceOutput<T>;
  /** The split is finished: its output stops holding back the watermark. */
  releaseOutputForSplit(splitId: string): void;
}

/** Services the runtime offers a reader. */
export interface SourceReaderContext {
  /** Index of the reader's subtask. */
  getIndexOfSubtask(): number;
  /** Parallelism of the source. */
  currentParallelism(): number;
  /** Asks the enumerator for a split; the answer arrives through `addSplits` or `notifyNoMoreSplits`. */
  sendSplitRequest(): void;
  /** Sends a custom event to the enumerator. */
  sendSourceEventToCoordinator(event: unknown): void;
}

/**
 * Reads records from the splits assigned to it, in a source subtask. All methods are called
 * from the task's mailbox thread, never concurrently.
 *
 * `pollNext` must not block: it emits what is at hand (any number of records; a few thousand
 * at most per call keeps the task responsive) and returns NOTHING_AVAILABLE when it must wait,
 * after which the task awaits `isAvailable()` before polling again. It returns END_OF_INPUT only
 * once it has no splits, was told there will be no more, and has emitted everything.
 */
export interface SourceReader<T, SplitT extends SourceSplit> {
  start(): void | Promise<void>;
  pollNext(output: ReaderOutput<T>): InputStatus;
  /** Resolves when `pollNext` may make progress again. */
  isAvailable(): Promise<void>;
  addSplits(splits: SplitT[]): void;
  notifyNoMoreSplits(): void;
  /** The current state of every unfinished split, for a checkpoint. Must not block. */
  snapshotState(checkpointId: number): SplitT[];
  notifyCheckpointComplete?(checkpointId: number): void | Promise<void>;
  handleSourceEvents?(event: unknown): void;
  close(): void | Promise<void>;
}

/** What the runtime offers an enumerator on the JobMaster. */
export interface SplitEnumeratorContext<SplitT extends SourceSplit> {
  currentParallelism(): number;
  /** Subtask indexes of the readers that are registered now. */
  registeredReaders(): ReadonlySet<number>;
  /** Hands splits to readers. Splits go to a reader only while it is registered. */
  assignSplits(assignment: ReadonlyMap<number, SplitT[]>): void;
  assignSplit(split: SplitT, subtask: number): void;
  /** Tells a reader it will get no more splits. */
  signalNoMoreSplits(subtask: number): void;
  sendEventToSourceReader(subtask: number, event: unknown): void;
}

/**
 * Discovers and assigns splits, on the JobMaster. Called from one thread; calls never overlap.
 * `addSplitsBack` returns the splits of a failed reader (since its last checkpoint) for reassignment.
 */
export interface SplitEnumerator<SplitT extends SourceSplit, CheckpointT> {
  start(): void | Promise<void>;
  handleSplitRequest(subtask: number): void;
  addSplitsBack(splits: SplitT[], subtask: number): void;
  addReader(subtask: number): void;
  snapshotState(checkpointId: number): CheckpointT;
  handleSourceEvent?(subtask: number, event: unknown): void;
  notifyCheckpointComplete?(checkpointId: number): void;
  close(): void | Promise<void>;
}

export interface Source<T, SplitT extends SourceSplit, EnumCheckpointT> {
  getBoundedness(): Boundedness;
  createEnumerator(context: SplitEnumeratorContext<SplitT>): SplitEnumerator<SplitT, EnumCheckpointT>;
  restoreEnumerator(context: SplitEnumeratorContext<SplitT>, checkpoint: EnumCheckpointT): SplitEnumerator<SplitT, EnumCheckpointT>;
  createReader(context: SourceReaderContext): SourceReader<T, SplitT>;
  getSplitSerializer(): SimpleVersionedSerializer<SplitT>;
  getEnumeratorCheckpointSerializer(): SimpleVersionedSerializer<EnumCheckpointT>;
}
