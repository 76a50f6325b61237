import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLogger } from '@riffle/core';
import { DEFAULT_CHECKPOINT_SETTINGS, type CheckpointSettings } from '../checkpoint/config/checkpoint-settings.js';
import { CheckpointCoordinator, type CheckpointStats } from '../checkpoint/coordinator/checkpoint-coordinator.js';
import type { OperatorCheckpointShape } from '../checkpoint/storage/assemble-checkpoint-metadata.js';
import type { StateFileHandle } from '../checkpoint/storage/checkpoint-metadata.js';
import type { LoadedCheckpoint } from '../checkpoint/storage/checkpoint-storage.js';
import { FileSystemCheckpointStorage } from '../checkpoint/storage/file-system-checkpoint-storage.js';
import type { CheckpointEvent, TaskCheckpointTimings } from '../rpc/gateways.js';

const log = getLogger('JobCheckpointing');

/** Where checkpoints go when the job sets no storage directory. */
export function defaultCheckpointDirectory(): string {
  return join(tmpdir(), 'riffle-checkpoints');
}

/** What {@link JobCheckpointing} needs from its JobMaster. */
export interface JobCheckpointingHost {
  readonly jobId: string;
  operators(): readonly OperatorCheckpointShape[];
  /** Executions of the current attempt that have not finished (each must acknowledge). */
  executions(): readonly string[];
  /** Sends a checkpoint event to one execution. */
  send(executionId: string, event: CheckpointEvent): void;
  /** Enumerator states by source operator uid. */
  snapshotCoordinators(checkpointId: number): ReadonlyMap<string, Uint8Array>;
  notifyCoordinatorsComplete(checkpointId: number): void;
  failJob(cause: Error): void;
}

/** One checkpoint's statistics as the JobClient reports them (plain data). */
export interface CheckpointStatsSnapshot {
  readonly checkpointId: number;
  readonly isSavepoint: boolean;
  readonly status: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  readonly triggerTimestamp: number;
  readonly durationMs?: number;
  readonly sizeBytes: number;
  readonly failureReason?: string;
  /** Longest alignment over the tasks, ms. */
  readonly maxAlignmentDurationMs: number;
  readonly tasks: ReadonlyArray<{ readonly executionId: string } & TaskCheckpointTimings>;
}

/**
 * A job's checkpointing on the JobMaster: the {@link CheckpointCoordinator} over the job's
 * {@link FileSystemCheckpointStorage}, started for each attempt once all its tasks run, stopped
 * on failure and at the end of the job. Tasks that finished take no part in later checkpoints.
 * Savepoints use the same coordinator, with or without periodic checkpoints.
 */
export class JobCheckpointing {
  readonly settings: CheckpointSettings;
  readonly storage: FileSystemCheckpointStorage;
  readonly coordinator: CheckpointCoordinator;
  private readonly periodic: boolean;
  private running = false;

  constructor(
    configured: CheckpointSettings | undefined,
    private readonly host: JobCheckpointingHost,
  ) {
    this.periodic = configured !== undefined;
    // Without periodic checkpoints the coordinator still takes savepoints; the interval is unused.
    this.settings = configured ?? { ...DEFAULT_CHECKPOINT_SETTINGS, intervalMs: 60_000 };
    this.storage = new FileSystemCheckpointStorage(this.settings.storageDir ?? defaultCheckpointDirectory(), host.jobId, {
      retainedCheckpoints: this.settings.retainedCheckpoints,
    });
    this.coordinator = new CheckpointCoordinator(this.settings, this.storage, {
      jobId: host.jobId,
      operators: () => host.operators(),
      expectedExecutions: () => host.executions(),
      triggerSources: (checkpointId, timestamp, options) => {
        const event: CheckpointEvent = {
          kind: 'start',
          checkpointId,
          timestamp,
          options: { mode: options.mode, isSavepoint: options.isSavepoint },
          directory: options.directory,
        };
        for (const id of host.executions()) host.send(id, event);
      },
      snapshotCoordinators: (checkpointId) => host.snapshotCoordinators(checkpointId),
      notifyCheckpointComplete: (checkpointId) => {
        host.notifyCoordinatorsComplete(checkpointId);
        for (const id of host.executions()) host.send(id, { kind: 'complete', checkpointId });
      },
      notifyCheckpointAborted: (checkpointId, reason) => {
        for (const id of host.executions()) host.send(id, { kind: 'aborted', checkpointId, reason });
      },
      failJob: (cause) => host.failJob(cause),
      now: () => Date.now(),
      schedule: (delayMs, action) => {
        const t = setTimeout(action, delayMs);
        return () => clearTimeout(t);
      },
    });
  }

  /** Whether the job takes periodic checkpoints. */
  get isPeriodic(): boolean {
    return this.periodic;
  }

  /** Every task of the attempt runs: start periodic checkpoints (if configured). */
  onAllTasksRunning(): void {
    if (!this.periodic || this.running) return;
    this.running = true;
    this.coordinator.startPeriodic();
  }

  /** A failure, a finished task or the end of the job: no more checkpoints of this attempt. */
  stop(reason: string): void {
    this.running = false;
    this.coordinator.stop(reason);
  }

  acknowledge(executionId: string, checkpointId: number, files: readonly StateFileHandle[], timings: TaskCheckpointTimings): void {
    this.coordinator.acknowledgeTask(executionId, checkpointId, files, timings);
  }

  /** A task finished: pending checkpoints stop waiting for it. */
  taskFinished(executionId: string): void {
    this.coordinator.taskFinished(executionId);
  }

  decline(executionId: string, checkpointId: number, reason: string): void {
    this.coordinator.declineTask(executionId, checkpointId, reason);
  }

  /** The newest restorable checkpoint of this job (skipping damaged ones, with a warning each). */
  findLatestRestorable(): Promise<LoadedCheckpoint | undefined> {
    return this.storage.findLatestRestorable();
  }

  /** Takes a savepoint into `targetDir`; resolves with its folder. */
  async triggerSavepoint(targetDir: string): Promise<string> {
    const handle = await this.coordinator.triggerCheckpoint({ savepointDir: targetDir });
    log.info(`savepoint ${handle.checkpointId} of job ${this.host.jobId} written to ${handle.directory}`);
    return handle.directory;
  }

  stats(): CheckpointStatsSnapshot[] {
    return this.coordinator.getStats().map(toSnapshot);
  }

  /** After the job FINISHED its checkpoints are of no further use: remove them (as Flink does). */
  async discardAll(): Promise<void> {
    await rm(this.storage.jobDirectory, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }).catch((e: unknown) =>
      log.warn(`could not remove the checkpoints of job ${this.host.jobId}: ${String(e)}`),
    );
  }
}

function toSnapshot(s: CheckpointStats): CheckpointStatsSnapshot {
  const tasks = [...s.tasks.entries()].map(([executionId, m]) => ({ executionId, ...m }));
  return {
    checkpointId: s.checkpointId,
    isSavepoint: s.isSavepoint,
    status: s.status,
    triggerTimestamp: s.triggerTimestamp,
    ...(s.durationMs !== undefined ? { durationMs: s.durationMs } : {}),
    sizeBytes: s.sizeBytes,
    ...(s.failureReason !== undefined ? { failureReason: s.failureReason } : {}),
    maxAlignmentDurationMs: tasks.reduce((m, t) => Math.max(m, t.alignmentDurationMs), 0),
    tasks,
  };
}
