import type { SimpleVersionedSerializer } from '../serialization/type-serializer.js';

/**
 * The Sink contract (Flink Sink V2). A {@link SinkWriter} per subtask receives records; a sink
 * that supports exactly-once also has a {@link Committer}: at a checkpoint barrier the writer
 * pre-commits (`prepareCommit` returns committables), and once the checkpoint completes the
 * committer commits them. Commits are replayed after recovery, so they must be idempotent.
 */

export interface SinkWriterContext {
  /** The record's event timestamp, or `undefined`. */
  timestamp(): number | undefined;
  /** The current watermark of the sink operator. */
  currentWatermark(): number;
}

export interface SinkInitContext {
  getSubtaskId(): number;
  getNumberOfParallelSubtasks(): number;
  getAttemptNumber(): number;
  getJobId(): string;
}

/**
 * Writes records. `write` is called per record on the task thread and must not block;
 * `flush(endOfInput)` is called at every checkpoint barrier and at the end of input, and may be async.
 */
export interface SinkWriter<T> {
  write(value: T, context: SinkWriterContext): void;
  flush(endOfInput: boolean): void | Promise<void>;
  close(): void | Promise<void>;
}

/** A writer that produces committables for two-phase commit. */
export interface CommittingSinkWriter<T, CommT> extends SinkWriter<T> {
  /** Called after `flush` at a barrier (and at end of input): the transactions to commit for this checkpoint. */
  prepareCommit(): CommT[] | Promise<CommT[]>;
}

/** One committable handed to the committer, with the means to report its outcome. */
export interface CommitRequest<CommT> {
  getCommittable(): CommT;
  /** How many times this committable was tried before (0 on the first attempt). */
  getNumberOfRetries(): number;
  signalFailedWithKnownReason(error: Error): void;
  signalFailedWithUnknownReason(error: Error): void;
  retryLater(): void;
  signalAlreadyCommitted(): void;
}

/** Commits committables once their checkpoint is complete. Must be idempotent. */
export interface Committer<CommT> {
  commit(requests: CommitRequest<CommT>[]): void | Promise<void>;
  close(): void | Promise<void>;
}

export interface Sink<T> {
  createWriter(context: SinkInitContext): SinkWriter<T> | Promise<SinkWriter<T>>;
  /**
   * Checks the sink's configuration against the external system once, when the job is submitted,
   * before any task is deployed (Riffle's addition: a check that needs I/O, such as a limit of
   * the broker, cannot run in a builder's synchronous `build()`). A rejection fails the job at
   * once (no restart), with the sink's error.
   */
  validate?(): Promise<void>;
}

export interface TwoPhaseCommittingSink<T, CommT> extends Sink<T> {
  createWriter(context: SinkInitContext): CommittingSinkWriter<T, CommT> | Promise<CommittingSinkWriter<T, CommT>>;
  createCommitter(): Committer<CommT> | Promise<Committer<CommT>>;
  getCommittableSerializer(): SimpleVersionedSerializer<CommT>;
}

/**
 * A writer whose state is checkpointed (Flink's `StatefulSinkWriter`). At a checkpoint barrier
 * the runtime calls `flush(false)`, then `prepareCommit()` (when the writer commits), then
 * `snapshotState(checkpointId)`; the states are restored with {@link StatefulSink.restoreWriter}.
 * `snapshotState` is synchronous and must not be called concurrently with `write`.
 */
export interface StatefulSinkWriter<T, WriterStateT> extends SinkWriter<T> {
  snapshotState(checkpointId: number): WriterStateT[];
}

/**
 * A sink whose writers have state. After a failure or a rescale the runtime calls
 * `restoreWriter` with the states this subtask is given (any number, from any subtasks of the
 * previous run: writer state is redistributed like operator list state), instead of `createWriter`.
 */
export interface StatefulSink<T, WriterStateT> extends Sink<T> {
  createWriter(context: SinkInitContext): StatefulSinkWriter<T, WriterStateT> | Promise<StatefulSinkWriter<T, WriterStateT>>;
  restoreWriter(
    context: SinkInitContext,
    states: readonly WriterStateT[],
  ): StatefulSinkWriter<T, WriterStateT> | Promise<StatefulSinkWriter<T, WriterStateT>>;
  getWriterStateSerializer(): SimpleVersionedSerializer<WriterStateT>;
}

/** True when a sink's writers have checkpointed state. */
export function isStatefulSink<T>(sink: Sink<T>): sink is StatefulSink<T, unknown> {
  const s = sink as Partial<StatefulSink<T, unknown>>;
  return typeof s.restoreWriter === 'function' && typeof s.getWriterStateSerializer === 'function';
}

/** True when a sink supports two-phase commit. */
export function isTwoPhaseCommittingSink<T>(sink: Sink<T>): sink is TwoPhaseCommittingSink<T, unknown> {
  return typeof (sink as Partial<TwoPhaseCommittingSink<T, unknown>>).createCommitter === 'function';
}
