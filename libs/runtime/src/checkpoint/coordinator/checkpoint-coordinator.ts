import { getLogger } from '@riffle/core';
import type { CheckpointingMode } from '../../network/index.js';
import { assembleCheckpointMetadata, type OperatorCheckpointShape } from '../storage/assemble-checkpoint-metadata.js';
import type { StateFileHandle } from '../storage/checkpoint-metadata.js';
import type { CheckpointStorage, CheckpointWriter, CompletedCheckpointHandle } from '../storage/checkpoint-storage.js';

const log = getLogger('CheckpointCoordinator');

/** `env.getCheckpointConfig()` as plain data (Flink's names and defaults). */
export interface CheckpointCoordinatorConfig {
  readonly intervalMs: number;
  readonly mode: CheckpointingMode;
  /** A checkpoint not complete after this long is aborted (default 10 min). */
  readonly timeoutMs: number;
  /** Least time between the end of one checkpoint and the trigger of the next (default 0). */
  readonly minPauseMs: number;
  /** Checkpoints in progress at once (default 1). */
  readonly maxConcurrent: number;
  /** Consecutive failed checkpoints tolerated before the job fails (default 0). */
  readonly tolerableFailures: number;
}

export const DEFAULT_CHECKPOINT_CONFIG: Omit<CheckpointCoordinatorConfig, 'intervalMs'> = {
  mode: 'EXACTLY_ONCE',
  timeoutMs: 600_000,
  minPauseMs: 0,
  maxConcurrent: 1,
  tolerableFailures: 0,
};

/** What one task reports when it acknowledges a checkpoint. */
export interface TaskCheckpointMetrics {
  readonly alignmentDurationMs: number;
  readonly syncDurationMs: number;
  readonly asyncDurationMs: number;
}

/** Statistics of one checkpoint (`JobClient` and logs). */
export interface CheckpointStats {
  readonly checkpointId: number;
  readonly isSavepoint: boolean;
  status: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  readonly triggerTimestamp: number;
  durationMs?: number;
  /** Bytes of all state files. */
  sizeBytes: number;
  failureReason?: string;
  /** Per acknowledging execution. */
  readonly tasks: Map<string, TaskCheckpointMetrics>;
}

/** How the coordinator reaches the job (the JobMaster implements it). */
export interface CheckpointCoordinatorContext {
  readonly jobId: string;
  /** Every operator of the job (uid, parallelism, max parallelism), for the metadata. */
  operators(): readonly OperatorCheckpointShape[];
  /** Executions that must acknowledge every checkpoint (all running subtasks). */
  expectedExecutions(): readonly string[];
  /** Asks the source subtasks to take a snapshot and inject the barrier. */
  triggerSources(checkpointId: number, timestamp: number, options: { mode: CheckpointingMode; isSavepoint: boolean; directory: string }): void;
  /** Snapshot of the coordinators' state (source enumerators) by operator uid, taken at trigger time. */
  snapshotCoordinators(checkpointId: number): ReadonlyMap<string, Uint8Array>;
  notifyCheckpointComplete(checkpointId: number): void;
  notifyCheckpointAborted(checkpointId: number, reason: string): void;
  /** Called when more consecutive checkpoints failed than tolerated. */
  failJob(cause: Error): void;
  now(): number;
  schedule(delayMs: number, action: () => void): () => void;
}

interface Pending {
  readonly id: number;
  readonly timestamp: number;
  readonly writer: CheckpointWriter;
  readonly coordinatorState: ReadonlyMap<string, Uint8Array>;
  readonly waitingFor: Set<string>;
  readonly files: StateFileHandle[];
  readonly stats: CheckpointStats;
  readonly cancelTimeout: () => void;
  readonly resolve: (handle: CompletedCheckpointHandle) => void;
  readonly reject: (e: Error) => void;
}

/**
 * Flink's CheckpointCoordinator: triggers checkpoints (periodically, or a savepoint on request)
 * by asking the sources to inject barriers, collects every task's acknowledgement (the state files
 * it wrote), then writes the checkpoint's metadata through the storage and notifies every task.
 * A decline, a timeout or a failed commit aborts the checkpoint (and removes its folder: a task
 * still writing state for it gets an error, which it must report as a decline, not a task
 * failure); more consecutive failures than tolerated fail the job. One per job, owned by the
 * JobMaster (through `JobCheckpointing`). Runs on the JobMaster's event loop; no method blocks.
 */
export class CheckpointCoordinator {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly history: CheckpointStats[] = [];
  private consecutiveFailures = 0;
  private lastCompletedAt = Number.NEGATIVE_INFINITY;
  private cancelPeriodic: (() => void) | undefined;
  private stopped = false;
  private readonly completing = new Set<Promise<void>>();
  /** The last checkpoint commit queued: commits run one at a time, in the order their checkpoints became complete. */
  private commitChain: Promise<void> = Promise.resolve();

  constructor(
    readonly config: CheckpointCoordinatorConfig,
    private readonly storage: CheckpointStorage,
    private readonly ctx: CheckpointCoordinatorContext,
  ) {
    if (!(config.intervalMs >= 10)) throw new Error(`checkpoint interval must be at least 10 ms, got ${config.intervalMs}`);
    if (!(config.timeoutMs > 0)) throw new Error(`checkpoint timeout must be positive, got ${config.timeoutMs}`);
    if (!(config.maxConcurrent >= 1)) throw new Error(`maxConcurrentCheckpoints must be at least 1, got ${config.maxConcurrent}`);
  }

  /** Starts periodic checkpoints (the first after one interval). */
  startPeriodic(): void {
    this.stopped = false;
    this.scheduleNext(this.config.intervalMs);
  }

  /** Stops triggering and aborts what is in progress. */
  stop(reason = 'checkpointing stopped'): void {
    this.stopped = true;
    this.cancelPeriodic?.();
    for (const p of [...this.pending.values()]) this.abort(p, reason, false);
  }

  /** Resolves once every checkpoint that was completing (writing its metadata) has completed or failed. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.completing]);
  }

  private track(completion: Promise<void>): void {
    this.completing.add(completion);
    void completion.finally(() => this.completing.delete(completion));
  }

  /** Makes the next checkpoint id at least `id` (after restoring checkpoint `id - 1`, ids continue from it). */
  advanceCheckpointIdTo(id: number): void {
    if (id > this.nextId) this.nextId = id;
  }

  /** The checkpoints so far, oldest first. */
  getStats(): readonly CheckpointStats[] {
    return this.history;
  }

  /** Number of checkpoints in progress. */
  numPending(): number {
    return this.pending.size;
  }

  /**
   * Triggers a checkpoint now (or a savepoint into `savepointDir`); resolves when it completed,
   * rejects when it was aborted.
   */
  async triggerCheckpoint(options: { savepointDir?: string } = {}): Promise<CompletedCheckpointHandle> {
    const id = this.nextId++;
    const timestamp = this.ctx.now();
    const isSavepoint = options.savepointDir !== undefined;
    const writer = isSavepoint
      ? await this.storage.createSavepointWriter(id, options.savepointDir!)
      : await this.storage.createCheckpointWriter(id);
    const coordinatorState = this.ctx.snapshotCoordinators(id);
    const stats: CheckpointStats = { checkpointId: id, isSavepoint, status: 'IN_PROGRESS', triggerTimestamp: timestamp, sizeBytes: 0, tasks: new Map() };
    this.history.push(stats);
    return new Promise<CompletedCheckpointHandle>((resolve, reject) => {
      const p: Pending = {
        id,
        timestamp,
        writer,
        coordinatorState,
        waitingFor: new Set(this.ctx.expectedExecutions()),
        files: [],
        stats,
        cancelTimeout: this.ctx.schedule(this.config.timeoutMs, () => this.abort(p, `checkpoint ${id} expired after ${this.config.timeoutMs} ms`, true)),
        resolve,
        reject,
      };
      this.pending.set(id, p);
      this.ctx.triggerSources(id, timestamp, { mode: this.config.mode, isSavepoint, directory: writer.directory });
    });
  }

  /** A task finished its part of checkpoint `checkpointId`: the state files it wrote. */
  acknowledgeTask(executionId: string, checkpointId: number, files: readonly StateFileHandle[], metrics: TaskCheckpointMetrics): void {
    const p = this.pending.get(checkpointId);
    if (!p || !p.waitingFor.delete(executionId)) return; // late, duplicate or aborted
    p.files.push(...files);
    p.stats.tasks.set(executionId, metrics);
    for (const f of files) p.stats.sizeBytes += f.size;
    if (p.waitingFor.size === 0) this.completeInTurn(p);
  }

  /**
   * A task finished (all its input was processed and passed on): it owes no acknowledgement to
   * the checkpoints in progress, and takes part in none after. Its effects are in the state of
   * the tasks downstream, and its source splits are finished.
   */
  taskFinished(executionId: string): void {
    for (const p of [...this.pending.values()]) {
      if (p.waitingFor.delete(executionId) && p.waitingFor.size === 0) this.completeInTurn(p);
    }
  }

  /** A task could not take part in checkpoint `checkpointId` (e.g. a newer barrier overtook it). */
  declineTask(executionId: string, checkpointId: number, reason: string): void {
    const p = this.pending.get(checkpointId);
    if (p) this.abort(p, `task ${executionId} declined checkpoint ${checkpointId}: ${reason}`, true);
  }

  /**
   * Commits a checkpoint every task acknowledged, after the commits queued before it. Two commits
   * must not overlap: committing a newer checkpoint removes the folders of older incomplete ones,
   * which failed the older commit half-way (its metadata rename found no folder) and, counted as
   * a checkpoint failure, restarted the job.
   */
  private completeInTurn(p: Pending): void {
    this.pending.delete(p.id);
    p.cancelTimeout();
    const commit = this.commitChain.then(() => this.complete(p));
    this.commitChain = commit;
    this.track(commit);
  }

  private async complete(p: Pending): Promise<void> {
    try {
      const metadata = assembleCheckpointMetadata({
        checkpointId: p.id,
        timestamp: p.timestamp,
        jobId: this.ctx.jobId,
        isSavepoint: p.stats.isSavepoint,
        operators: this.ctx.operators(),
        stateFiles: p.files,
        coordinatorState: p.coordinatorState,
      });
      const handle = await p.writer.commit(metadata);
      p.stats.status = 'COMPLETED';
      p.stats.durationMs = this.ctx.now() - p.timestamp;
      this.consecutiveFailures = 0;
      this.lastCompletedAt = this.ctx.now();
      log.info(`completed checkpoint ${p.id} of job ${this.ctx.jobId} (${p.stats.sizeBytes} bytes in ${p.stats.durationMs} ms)`);
      // Older checkpoints still in progress are subsumed by this one.
      for (const older of [...this.pending.values()]) if (older.id < p.id) this.abort(older, `subsumed by checkpoint ${p.id}`, false);
      // Stopped meanwhile (the job is failing or ending): the checkpoint exists and a restore may
      // use it, but the tasks being torn down must not commit on it.
      if (!this.stopped) this.ctx.notifyCheckpointComplete(p.id);
      p.resolve(handle);
    } catch (e) {
      // After stop() (the job ended or is failing) a commit that loses the race is no failure.
      this.fail(p, `committing checkpoint ${p.id} failed: ${e instanceof Error ? e.message : String(e)}`, !this.stopped);
      await p.writer.abort().catch(() => {});
    }
  }

  private abort(p: Pending, reason: string, countsAsFailure: boolean): void {
    if (!this.pending.delete(p.id)) return;
    p.cancelTimeout();
    void p.writer.abort().catch(() => {});
    this.fail(p, reason, countsAsFailure);
  }

  private fail(p: Pending, reason: string, countsAsFailure: boolean): void {
    p.stats.status = 'FAILED';
    p.stats.failureReason = reason;
    p.stats.durationMs = this.ctx.now() - p.timestamp;
    log.warn(reason);
    this.ctx.notifyCheckpointAborted(p.id, reason);
    p.reject(new Error(reason));
    if (countsAsFailure && ++this.consecutiveFailures > this.config.tolerableFailures) {
      this.ctx.failJob(new Error(`Exceeded checkpoint tolerable failure threshold (${this.config.tolerableFailures}): ${reason}`));
    }
  }

  private scheduleNext(delayMs: number): void {
    if (this.stopped) return;
    this.cancelPeriodic = this.ctx.schedule(delayMs, () => {
      if (this.stopped) return;
      const sinceLast = this.ctx.now() - this.lastCompletedAt;
      if (this.pending.size >= this.config.maxConcurrent || sinceLast < this.config.minPauseMs) {
        this.scheduleNext(Math.max(1, this.config.minPauseMs - Math.max(0, sinceLast)));
        return;
      }
      this.triggerCheckpoint().catch(() => {}); // failures are counted and logged by the coordinator
      this.scheduleNext(this.config.intervalMs);
    });
  }
}
