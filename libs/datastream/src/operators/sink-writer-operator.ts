import {
  getLogger,
  isStatefulSink,
  isTwoPhaseCommittingSink,
  StreamRecord,
  Types,
  type Committer,
  type CommittingSinkWriter,
  type OneInputStreamOperator,
  type SimpleVersionedSerializer,
  type Sink,
  type SinkInitContext,
  type SinkWriter,
  type SinkWriterContext,
  type StatefulSinkWriter,
} from '@riffle/core';
import { ListStateDescriptor, type ListState } from '@riffle/state';
import {
  AbstractStreamOperator,
  decodeVersionedBlob,
  encodeVersionedBlob,
  CHECKPOINTING_ENABLED,
  MAILBOX_EXECUTOR,
  type FunctionInitializationContext,
  type FunctionSnapshotContext,
  type MailboxExecutor,
} from '@riffle/runtime';
import { commitWithRetries } from './sink-commit.js';

const log = getLogger('SinkWriterOperator');

/** The pending key of the committables pre-committed at the end of input (until a final checkpoint claims them). */
const END_OF_INPUT = Number.MAX_SAFE_INTEGER;

const WRITER_STATE_MAGIC = 'RSWS';
const COMMITTABLE_MAGIC = 'RSCM';

/**
 * Runs a Sink V2 sink (`sinkTo`): the writer, and for a `TwoPhaseCommittingSink` the committer,
 * in one operator per subtask.
 *
 * At a checkpoint barrier (`prepareSnapshotPreBarrier`) the writer is flushed, pre-commits
 * (`prepareCommit`) and snapshots its state (`snapshotState`, for a `StatefulSink`); these may
 * be asynchronous, so records arriving meanwhile are buffered (and the task's input held) and
 * written afterwards. The committables are kept, with their checkpoint id, in operator state;
 * when a checkpoint completes, every committable up to it is committed. After a failure the
 * writer is restored from its state (`restoreWriter`) and the restored committables are
 * committed again at open (commits are idempotent by contract). At the end of input the writer
 * flushes and pre-commits; without checkpointing it commits at once, with checkpointing the last
 * committables join the task's final checkpoint and are committed when it completes (FLIP-147:
 * committing at once would let a later failure elsewhere replay the records into the sink).
 * A commit failure with an unknown reason fails the job; a known reason is logged and the
 * committable dropped (Flink's semantics).
 */
export class SinkWriterOperator<T> extends AbstractStreamOperator<never> implements OneInputStreamOperator<T, never> {
  private writer: SinkWriter<T> | undefined;
  private record: StreamRecord<T> | undefined;
  private readonly writerContext: SinkWriterContext = {
    timestamp: () => (this.record && this.record.hasTimestamp() ? this.record.timestamp : undefined),
    currentWatermark: () => this.currentWatermark,
  };
  private writerStateList?: ListState<Uint8Array>;
  private committableList?: ListState<Uint8Array>;
  private restoredWriterStates: unknown[] = [];
  /** Committables not yet committed, by the checkpoint that pre-committed them. */
  private readonly pending = new Map<number, unknown[]>();
  /** Set by `finish()`: the writer has pre-committed its last records; later checkpoints only carry committables. */
  private finished = false;
  /** Writer state of the checkpoint being taken (set by the pre-barrier step). */
  private preparedWriterState: unknown[] = [];
  /** While the pre-barrier step runs: records to write once it is done. */
  private buffered: Array<{ value: T; timestamp: number }> | undefined;
  private preparing: Promise<void> | undefined;
  private committing: Promise<void> = Promise.resolve();
  private committer: Committer<unknown> | undefined;

  constructor(readonly sink: Sink<T>) {
    super();
  }

  protected override initializeState(context: FunctionInitializationContext): void {
    const store = context.getOperatorStateStore();
    this.writerStateList = store.getListState(new ListStateDescriptor('sink-writer-state', Types.BYTES));
    this.committableList = store.getListState(new ListStateDescriptor('sink-committables', Types.BYTES));
    if (!context.isRestored()) return;
    if (isStatefulSink(this.sink)) {
      const serializer = this.sink.getWriterStateSerializer();
      for (const blob of this.writerStateList.get()) this.restoredWriterStates.push(decodeVersionedBlob(WRITER_STATE_MAGIC, serializer, blob, 'sink writer state'));
    }
    if (isTwoPhaseCommittingSink(this.sink)) {
      const serializer = this.sink.getCommittableSerializer();
      for (const blob of this.committableList.get()) {
        const { checkpointId, committable } = decodeCommittable(serializer, blob);
        let list = this.pending.get(checkpointId);
        if (!list) this.pending.set(checkpointId, (list = []));
        list.push(committable);
      }
    }
  }

  override async open(): Promise<void> {
    const rc = this.runtimeContext;
    const context: SinkInitContext = {
      getSubtaskId: () => rc.getIndexOfThisSubtask(),
      getNumberOfParallelSubtasks: () => rc.getNumberOfParallelSubtasks(),
      getAttemptNumber: () => rc.getAttemptNumber(),
      getJobId: () => rc.getJobId(),
    };
    this.writer =
      this.restoredWriterStates.length > 0 && isStatefulSink(this.sink)
        ? await this.sink.restoreWriter(context, this.restoredWriterStates)
        : await this.sink.createWriter(context);
    this.restoredWriterStates = [];
    // Committables of the restored checkpoint belong to completed checkpoints: commit them now.
    if (this.pending.size > 0) await this.commitUpTo(Number.MAX_SAFE_INTEGER);
  }

  processElement(record: StreamRecord<T>): void {
    if (this.buffered) {
      this.buffered.push({ value: record.value, timestamp: record.timestamp });
      return;
    }
    this.record = record;
    this.writer!.write(record.value, this.writerContext);
    this.record = undefined;
  }

  /** Flush, pre-commit and snapshot the writer before the barrier; later records wait in a buffer. */
  prepareSnapshotPreBarrier(checkpointId: number): void | Promise<void> {
    const before = this.preparing ?? Promise.resolve();
    // Records buffered while an earlier pre-barrier step runs arrived before this barrier: they
    // belong to this checkpoint and are written just before its step. Later ones buffer anew.
    const earlier = this.buffered;
    this.buffered = [];
    const step = before.then(() => {
      if (earlier) this.writeBuffered(earlier);
      return this.prepare(checkpointId);
    });
    this.preparing = step;
    const executor = this.services.get(MAILBOX_EXECUTOR) as MailboxExecutor | undefined;
    const done = step.then(() => {
      // The checkpoint's writer state and committables were captured by `prepare`, so writing the
      // buffered records now cannot leak into this checkpoint's snapshot (taken by a later reaction).
      // A later step in flight writes them itself, before its own pre-commit.
      if (this.preparing !== step) return;
      this.preparing = undefined;
      const records = this.buffered ?? [];
      this.buffered = undefined;
      this.writeBuffered(records);
    });
    // A failed flush or pre-commit fails the task (the checkpoint alone would only be declined).
    const failed = done.catch((e: unknown) => {
      executor?.execute(() => {
        throw e;
      });
    });
    executor?.holdInputUntil(failed);
    return step;
  }

  private writeBuffered(records: ReadonlyArray<{ value: T; timestamp: number }>): void {
    const r = new StreamRecord<T>(undefined as T);
    for (const { value, timestamp } of records) {
      r.value = value;
      r.timestamp = timestamp;
      this.record = r;
      this.writer!.write(value, this.writerContext);
    }
    this.record = undefined;
  }

  private async prepare(checkpointId: number): Promise<void> {
    if (this.finished) {
      // The final checkpoint: the committables of the end of input become this checkpoint's.
      const last = this.pending.get(END_OF_INPUT);
      if (last) {
        this.pending.delete(END_OF_INPUT);
        this.pending.set(checkpointId, [...(this.pending.get(checkpointId) ?? []), ...last]);
      }
      this.preparedWriterState = isStatefulSink(this.sink) ? (this.writer as StatefulSinkWriter<T, unknown>).snapshotState(checkpointId) : [];
      return;
    }
    const writer = this.writer!;
    await writer.flush(false);
    if (isTwoPhaseCommittingSink(this.sink)) {
      const committables = await (writer as CommittingSinkWriter<T, unknown>).prepareCommit();
      if (committables.length > 0) this.pending.set(checkpointId, committables);
    }
    this.preparedWriterState = isStatefulSink(this.sink) ? (writer as StatefulSinkWriter<T, unknown>).snapshotState(checkpointId) : [];
  }

  protected override snapshotState(_context: FunctionSnapshotContext): void {
    if (isStatefulSink(this.sink)) {
      const serializer = this.sink.getWriterStateSerializer();
      this.writerStateList!.update(this.preparedWriterState.map((s) => encodeVersionedBlob(WRITER_STATE_MAGIC, serializer, s)));
    }
    if (isTwoPhaseCommittingSink(this.sink)) {
      const serializer = this.sink.getCommittableSerializer();
      const blobs: Uint8Array[] = [];
      for (const [checkpointId, list] of this.pending) for (const c of list) blobs.push(encodeCommittable(serializer, checkpointId, c));
      this.committableList!.update(blobs);
    }
  }

  notifyCheckpointComplete(checkpointId: number): Promise<void> {
    return this.commitUpTo(checkpointId);
  }

  notifyCheckpointAborted(checkpointId: number): void {
    // The committables stay: the next checkpoint's state carries them, and commits are by id range.
    log.debug('checkpoint aborted; its committables are committed with the next one', { checkpointId });
  }

  override async finish(): Promise<void> {
    // A pre-barrier step still running: its reaction writes the records buffered meanwhile first.
    if (this.preparing) await this.preparing;
    const writer = this.writer!;
    await writer.flush(true);
    if (isTwoPhaseCommittingSink(this.sink)) {
      const committables = await (writer as CommittingSinkWriter<T, unknown>).prepareCommit();
      if (committables.length > 0) this.pending.set(END_OF_INPUT, committables);
      this.finished = true;
      if (!this.awaitsFinalCheckpoint()) await this.commitUpTo(END_OF_INPUT);
    }
  }

  /** With checkpointing, a two-phase committing sink commits its last committables with the task's final checkpoint. */
  awaitsFinalCheckpoint(): boolean {
    return this.finished && this.services.get(CHECKPOINTING_ENABLED) === true;
  }

  override async close(): Promise<void> {
    await this.committing.catch(() => {});
    const writer = this.writer;
    this.writer = undefined;
    const committer = this.committer;
    this.committer = undefined;
    try {
      await writer?.close();
    } finally {
      await committer?.close();
    }
  }

  /** Commits every pending committable of checkpoints up to `checkpointId`, one commit at a time. */
  private commitUpTo(checkpointId: number): Promise<void> {
    const next = this.committing.then(async () => {
      if (!isTwoPhaseCommittingSink(this.sink)) return;
      const ids = [...this.pending.keys()].filter((id) => id <= checkpointId).sort((a, b) => a - b);
      if (ids.length === 0) return;
      const committables = ids.flatMap((id) => this.pending.get(id)!);
      this.committer ??= await this.sink.createCommitter();
      await commitWithRetries(this.committer, committables, this.runtimeContext.getTaskName());
      for (const id of ids) this.pending.delete(id);
    });
    this.committing = next.catch(() => {});
    return next;
  }
}

function encodeCommittable(serializer: SimpleVersionedSerializer<unknown>, checkpointId: number, committable: unknown): Uint8Array {
  const blob = encodeVersionedBlob(COMMITTABLE_MAGIC, serializer, committable);
  const out = new Uint8Array(8 + blob.length);
  new DataView(out.buffer).setFloat64(0, checkpointId, true);
  out.set(blob, 8);
  return out;
}

function decodeCommittable(serializer: SimpleVersionedSerializer<unknown>, bytes: Uint8Array): { checkpointId: number; committable: unknown } {
  if (bytes.length < 8) throw new Error(`sink committable state: truncated (${bytes.length} bytes)`);
  const checkpointId = new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0, true);
  return { checkpointId, committable: decodeVersionedBlob(COMMITTABLE_MAGIC, serializer, bytes.subarray(8), 'sink committable') };
}
