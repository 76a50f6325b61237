import { getLogger, type StreamOperator } from '@riffle/core';
import type { CheckpointAbortReason, CheckpointAlignmentMetrics, CheckpointListener } from '../network/checkpoint-barrier-handler.js';
import type { CheckpointBarrier } from '../network/checkpoint-barrier.js';
import { AbstractStreamOperator } from '../operators/abstract-stream-operator.js';
import type { CheckpointEvent, TaskEvent } from '../rpc/gateways.js';
import { snapshotOperator, type OperatorSnapshotBytes } from '../checkpoint/snapshot/operator-snapshot-bytes.js';
import type { StateFileHandle, StateFileKind } from '../checkpoint/storage/checkpoint-metadata.js';
import { FileSystemCheckpointWriter } from '../checkpoint/storage/file-system-checkpoint-writer.js';
import type { TaskOutputWriter } from './task-io.js';

const log = getLogger('SubtaskCheckpointCoordinator');

/** One operator of the task's chain, as the checkpoint sees it. */
export interface CheckpointedOperator {
  readonly uid: string;
  readonly name: string;
  readonly operator: StreamOperator<unknown>;
}

/** The source reader's part of a source task's snapshot: its splits, as one state file. */
export interface ReaderStateSnapshotter {
  readonly uid: string;
  snapshot(checkpointId: number): Uint8Array;
  notifyCheckpointComplete(checkpointId: number): void | Promise<void>;
}

export interface SubtaskCheckpointContext {
  readonly jobId: string;
  readonly subtaskIndex: number;
  readonly taskName: string;
  /** The chain, head first. */
  readonly chain: readonly CheckpointedOperator[];
  readonly writers: readonly TaskOutputWriter[];
  readonly reader?: ReaderStateSnapshotter;
  report(event: TaskEvent): void;
  /** Fails the task with `error` (from a mail, on the task thread). */
  fail(error: unknown): void;
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // a checkpoint aborted before anyone waited is not an unhandled rejection
  return { promise, resolve, reject };
}

/** How many checkpoint ids the coordinator remembers (directories, aborts). */
const MAX_TRACKED = 64;

/**
 * The task side of checkpointing (Flink's `SubtaskCheckpointCoordinator`), one per task, used
 * only on the task thread.
 *
 * At a checkpoint (a `start` event in a source task, aligned barriers elsewhere) it runs, in one
 * synchronous step: every operator's `prepareSnapshotPreBarrier`, the barrier on every output,
 * and the state snapshot of every operator (and the reader's splits) as bytes; an operator whose
 * pre-barrier step returned a promise is snapshotted when the promise resolves. Then,
 * asynchronously, it writes the state files into the checkpoint folder and acknowledges them to
 * the JobMaster, or declines the checkpoint if anything failed. Completion and abort
 * notifications reach every operator.
 */
export class SubtaskCheckpointCoordinator implements CheckpointListener {
  private readonly directories = new Map<number, Deferred<string>>();
  private readonly aborted = new Set<number>();
  private inFlightCommits: Promise<void> = Promise.resolve();
  /** Set once the task's input ended: it takes no further checkpoints (see {@link endOfInput}). */
  private inputEnded = false;
  /** While the task waits for its final checkpoint: the id taken for it (undefined: none yet). */
  private final: { taken: number | undefined; readonly done: Deferred<void> } | undefined;
  /** The newest checkpoint this task snapshotted (0: none). */
  private lastTaken = 0;
  /** The newest checkpoint whose start this task received without taking it (it waits for barriers, or was finishing). */
  private latestUntakenStart: Extract<CheckpointEvent, { kind: 'start' }> | undefined;
  /** The newest checkpoint this task heard completed (0: none). */
  private lastCompleted = 0;

  constructor(private readonly ctx: SubtaskCheckpointContext) {}

  /** Handles a checkpoint control message (as a mail, on the task thread). */
  onEvent(event: CheckpointEvent, isSourceTask: boolean): void {
    switch (event.kind) {
      case 'start':
        this.directory(event.checkpointId).resolve(event.directory);
        // A start can arrive after the task took the same checkpoint through its barriers.
        if (event.checkpointId <= this.lastTaken) break;
        // A task waiting for its final checkpoint has no input left to bring a barrier: it starts
        // the checkpoint itself, as a source does.
        if ((isSourceTask && !this.inputEnded) || (this.final !== undefined && this.final.taken === undefined)) {
          if (this.final !== undefined && !this.aborted.has(event.checkpointId)) this.final.taken = event.checkpointId;
          this.checkpoint({ checkpointId: event.checkpointId, timestamp: event.timestamp, options: event.options }, 0);
        } else if (this.final === undefined && (this.latestUntakenStart === undefined || event.checkpointId > this.latestUntakenStart.checkpointId)) {
          // A task waiting for barriers (or finishing): if its input ends before they come, its
          // final checkpoint, if it takes one, must be this one (it waits for this task).
          this.latestUntakenStart = event;
        }
        break;
      case 'complete':
        if (event.checkpointId > this.lastCompleted) this.lastCompleted = event.checkpointId;
        this.notifyComplete(event.checkpointId);
        if (this.final?.taken !== undefined && event.checkpointId >= this.final.taken) {
          const done = this.final.done;
          this.final = undefined;
          // Resolved once the completion reached the operators (the sink's last commit) and settled.
          void this.inFlightCommits.then(
            () => done.resolve(),
            (e: unknown) => done.reject(e instanceof Error ? e : new Error(String(e))),
          );
        }
        break;
      case 'aborted':
        this.markAborted(event.checkpointId, event.reason);
        if (this.final?.taken === event.checkpointId) this.final.taken = undefined;
        break;
    }
  }

  /**
   * The task's input ended and its operators are finishing (a sink commits its last
   * committables at once). A checkpoint started from now on is not taken here: the task reports
   * FINISHED soon, which releases the checkpoint from waiting for it, and its outputs end, which
   * aligns the tasks downstream. Taking it would pre-commit data that no completion would commit.
   */
  endOfInput(): void {
    this.inputEnded = true;
  }

  /**
   * After the task's input ended and its operators finished: take part in the next checkpoint
   * that starts (triggered by its `start` event, whatever the task's kind) and resolve once a
   * checkpoint taken from now on completed and its notifications settled (Flink's final
   * checkpoint, see `StreamOperator.awaitsFinalCheckpoint`). An aborted or declined one is
   * followed by the next. Rejects with `reason` when {@link cancelFinalCheckpoint} is called.
   */
  awaitFinalCheckpoint(): Promise<void> {
    const final = (this.final = { taken: undefined as number | undefined, done: deferred<void>() });
    // A checkpoint that started but whose barriers never came (the inputs ended first), or that
    // started while the operators finished, waits for this task: take it now (it cannot complete
    // without this task, and no later one starts before it ends).
    const missed = this.latestUntakenStart;
    this.latestUntakenStart = undefined;
    if (missed !== undefined && missed.checkpointId > this.lastTaken && missed.checkpointId > this.lastCompleted && !this.aborted.has(missed.checkpointId)) {
      final.taken = missed.checkpointId;
      this.checkpoint({ checkpointId: missed.checkpointId, timestamp: missed.timestamp, options: missed.options }, 0);
    }
    return final.done.promise;
  }

  /** The task is cancelled: stop waiting for the final checkpoint. */
  cancelFinalCheckpoint(reason: Error): void {
    const final = this.final;
    this.final = undefined;
    final?.done.reject(reason);
  }

  /** Resolves when the completion notifications handed to operators so far have settled. */
  whenCommitted(): Promise<void> {
    return this.inFlightCommits;
  }

  // --- CheckpointListener (from the barrier handler, inside input processing) ---

  triggerCheckpointOnBarrier(barrier: CheckpointBarrier, metrics: CheckpointAlignmentMetrics): void {
    this.checkpoint(barrier, metrics.alignmentDurationMs);
  }

  abortCheckpointOnBarrier(checkpointId: number, reason: CheckpointAbortReason): void {
    for (const w of this.ctx.writers) w.broadcastCancel(checkpointId);
    this.decline(checkpointId, `the task's inputs gave it up (${reason})`);
  }

  // --- the checkpoint ---

  private checkpoint(barrier: CheckpointBarrier, alignmentDurationMs: number): void {
    const id = barrier.checkpointId;
    if (this.aborted.has(id)) {
      // Still forward the barrier: downstream tasks must not wait for it forever.
      for (const w of this.ctx.writers) w.broadcastCancel(id);
      return;
    }
    if (id > this.lastTaken) this.lastTaken = id;
    const started = performance.now();
    const prepared = new Map<StreamOperator<unknown>, Promise<void>>();
    for (const member of this.ctx.chain) {
      const r = member.operator.prepareSnapshotPreBarrier?.(id);
      if (r instanceof Promise) prepared.set(member.operator, r);
    }
    for (const w of this.ctx.writers) w.broadcastBarrier(barrier);
    const parts: Array<Promise<{ uid: string; bytes: OperatorSnapshotBytes }>> = [];
    let readerBytes: Uint8Array | undefined;
    try {
      for (const member of this.ctx.chain) {
        const op = member.operator;
        if (!(op instanceof AbstractStreamOperator)) continue;
        const uid = member.uid;
        const pending = prepared.get(op);
        parts.push(
          pending
            ? pending.then(() => ({ uid, bytes: snapshotOperator(op, id, barrier.timestamp) }))
            : Promise.resolve({ uid, bytes: snapshotOperator(op, id, barrier.timestamp) }),
        );
      }
      if (this.ctx.reader) readerBytes = this.ctx.reader.snapshot(id);
    } catch (e) {
      this.decline(id, `snapshotting state failed: ${errorText(e)}`);
      return;
    }
    const syncDurationMs = performance.now() - started;
    void this.writeAndAcknowledge(barrier, parts, readerBytes, { alignmentDurationMs, syncDurationMs });
  }

  private async writeAndAcknowledge(
    barrier: CheckpointBarrier,
    parts: Array<Promise<{ uid: string; bytes: OperatorSnapshotBytes }>>,
    readerBytes: Uint8Array | undefined,
    timings: { alignmentDurationMs: number; syncDurationMs: number },
  ): Promise<void> {
    const id = barrier.checkpointId;
    const asyncStart = performance.now();
    try {
      const snapshots = await Promise.all(parts);
      const directory = await this.directory(id).promise;
      const writer = new FileSystemCheckpointWriter({ checkpointId: id, jobId: this.ctx.jobId, directory, isSavepoint: barrier.options.isSavepoint });
      const subtask = this.ctx.subtaskIndex;
      const writes: Promise<StateFileHandle>[] = [];
      for (const { uid, bytes } of snapshots) {
        for (const kind of ['keyed', 'operator', 'timers'] as const satisfies readonly StateFileKind[]) {
          const blob = bytes[kind];
          if (blob !== undefined) writes.push(writer.writeStateFile(uid, subtask, kind, blob));
        }
      }
      if (readerBytes !== undefined && this.ctx.reader) writes.push(writer.writeStateFile(this.ctx.reader.uid, subtask, 'source', readerBytes));
      const files = await Promise.all(writes);
      this.forget(id);
      this.ctx.report({
        kind: 'checkpoint-ack',
        checkpointId: id,
        files,
        timings: { ...timings, asyncDurationMs: performance.now() - asyncStart },
      });
    } catch (e) {
      this.decline(id, `writing state failed: ${errorText(e)}`);
    }
  }

  private decline(checkpointId: number, reason: string): void {
    this.forget(checkpointId);
    if (this.final?.taken === checkpointId) this.final.taken = undefined;
    if (this.aborted.has(checkpointId)) return; // the coordinator already gave it up
    log.debug(`${this.ctx.taskName} (${this.ctx.subtaskIndex + 1}) declines checkpoint ${checkpointId}: ${reason}`);
    this.ctx.report({ kind: 'checkpoint-decline', checkpointId, reason });
  }

  private notifyComplete(checkpointId: number): void {
    this.forget(checkpointId);
    const work: Promise<void>[] = [];
    const run = (name: string, f: () => void | Promise<void>): void => {
      try {
        const r = f();
        if (r instanceof Promise) work.push(r.catch((e: unknown) => Promise.reject(tag(e, name))));
      } catch (e) {
        work.push(Promise.reject(tag(e, name)));
      }
    };
    for (const member of this.ctx.chain) {
      const op = member.operator;
      if (op.notifyCheckpointComplete) run(member.name, () => op.notifyCheckpointComplete!(checkpointId));
    }
    const reader = this.ctx.reader;
    if (reader) run(this.ctx.chain[0]?.name ?? 'source', () => reader.notifyCheckpointComplete(checkpointId));
    if (work.length === 0) return;
    const all = Promise.all(work).then(
      () => {},
      (e: unknown) => this.ctx.fail(e),
    );
    this.inFlightCommits = this.inFlightCommits.then(() => all);
  }

  private markAborted(checkpointId: number, reason: string): void {
    this.aborted.add(checkpointId);
    if (this.aborted.size > MAX_TRACKED) this.aborted.delete(this.aborted.values().next().value!);
    const d = this.directories.get(checkpointId);
    this.directories.delete(checkpointId);
    d?.reject(new Error(`checkpoint ${checkpointId} was aborted: ${reason}`));
    for (const member of this.ctx.chain) {
      try {
        member.operator.notifyCheckpointAborted?.(checkpointId);
      } catch (e) {
        log.warn(`${member.name}: notifyCheckpointAborted(${checkpointId}) threw: ${errorText(e)}`);
      }
    }
  }

  private directory(checkpointId: number): Deferred<string> {
    let d = this.directories.get(checkpointId);
    if (!d) {
      d = deferred<string>();
      this.directories.set(checkpointId, d);
      if (this.directories.size > MAX_TRACKED) {
        const oldest = this.directories.keys().next().value!;
        this.directories.get(oldest)!.reject(new Error(`checkpoint ${oldest} is too old`));
        this.directories.delete(oldest);
      }
    }
    return d;
  }

  private forget(checkpointId: number): void {
    this.directories.delete(checkpointId);
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function tag(e: unknown, operatorName: string): unknown {
  if (e instanceof Error) (e as Error & { riffleOperatorName?: string }).riffleOperatorName ??= operatorName;
  return e;
}
