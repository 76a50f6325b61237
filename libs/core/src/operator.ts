import type { KeySelector } from './functions/functions.js';
import type { OutputTag } from './functions/output-tag.js';
import type { RuntimeContext } from './functions/runtime-context.js';
import type { StreamRecord, Watermark, WatermarkStatus } from './stream-element.js';

/**
 * The operator contract. The runtime calls, on one task thread and never concurrently:
 * `setup` → `open` → (`processElement*` | `processWatermark*`)… → `finish` (end of input) → `close`.
 * `close` also runs after a failure or cancellation, without `finish`. Chained operators call
 * each other synchronously through {@link Output}; operators know nothing of transport or placement.
 */

/** Where an operator sends what it produces. Synchronous; the record object may be reused by the caller afterwards. */
export interface Output<T> {
  collect(record: StreamRecord<T>): void;
  /** Emits to the side output named by `tag`; records for tags nobody consumes are dropped. */
  collectSide<X>(tag: OutputTag<X>, record: StreamRecord<X>): void;
  emitWatermark(mark: Watermark): void;
  /** Tells downstream operators that this output is idle (holds back no watermark) or active again. */
  emitWatermarkStatus(status: WatermarkStatus): void;
}

/** Everything an operator receives at `setup`. */
export interface StreamOperatorParameters<OUT> {
  readonly output: Output<OUT>;
  readonly runtimeContext: RuntimeContext;
  /** Key selectors of the operator's inputs when they are keyed (index 0: first input, 1: second). */
  readonly keySelectors: ReadonlyArray<KeySelector<any, any> | undefined>;
  /** Services added by later layers (state backend, timer service), looked up by name. */
  readonly services: ReadonlyMap<string, unknown>;
}

export interface StreamOperator<OUT> {
  setup(params: StreamOperatorParameters<OUT>): void;
  /** Opens user functions; may be async (e.g. connecting to an external system). */
  open(): void | Promise<void>;
  /** All input has been processed: flush buffered results. Not called on failure or cancel. */
  finish(): void | Promise<void>;
  /** Releases resources. Called exactly once, also after failure or cancellation. */
  close(): void | Promise<void>;
  /**
   * Optional (Flink's `prepareSnapshotPreBarrier`). Called on the task thread at checkpoint
   * `checkpointId`, before the barrier goes downstream and before the operator's state is
   * snapshotted. Emit here whatever must precede the barrier. May return a promise for
   * asynchronous pre-commit work (sinks): the operator's snapshot is then taken when it
   * resolves, so until then the operator must keep later input out of its checkpointed state
   * (buffer it, and hold the task's input with the mailbox executor).
   */
  prepareSnapshotPreBarrier?(checkpointId: number): void | Promise<void>;
  /**
   * Optional. Checkpoint `checkpointId` completed on every task (Flink's `CheckpointListener`):
   * commit side effects now. Runs as a mail; a rejection fails the task. Notifications may be
   * skipped (a newer completed checkpoint subsumes older ones), so commit everything up to the id.
   */
  notifyCheckpointComplete?(checkpointId: number): void | Promise<void>;
  /** Optional. Checkpoint `checkpointId` was aborted; drop what was prepared for it only. */
  notifyCheckpointAborted?(checkpointId: number): void;
  /**
   * Optional. True when the operator's side effects become visible only through
   * `notifyCheckpointComplete` (a two-phase committing sink) and the job checkpoints. Its task
   * then, after its input ended and `finish()` ran, takes part in one more checkpoint and waits
   * for it to complete before it ends (Flink's final checkpoint, FLIP-147): a failure elsewhere
   * afterwards restores a checkpoint holding the last committables instead of replaying the last
   * records into the sink. Asked once, after `finish()`.
   */
  awaitsFinalCheckpoint?(): boolean;
}

export interface OneInputStreamOperator<IN, OUT> extends StreamOperator<OUT> {
  processElement(record: StreamRecord<IN>): void;
  processWatermark(mark: Watermark): void;
  /** The input became idle or active again (watermark status). */
  processWatermarkStatus(status: WatermarkStatus): void;
}

export interface TwoInputStreamOperator<IN1, IN2, OUT> extends StreamOperator<OUT> {
  processElement1(record: StreamRecord<IN1>): void;
  processElement2(record: StreamRecord<IN2>): void;
  processWatermark1(mark: Watermark): void;
  processWatermark2(mark: Watermark): void;
  processWatermarkStatus1(status: WatermarkStatus): void;
  processWatermarkStatus2(status: WatermarkStatus): void;
}

/** Creates a fresh operator instance for each subtask. Called in the worker that runs the subtask. */
export type StreamOperatorFactory<OUT> = () => StreamOperator<OUT>;
