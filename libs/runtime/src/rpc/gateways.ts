import type { JobStatus } from '../client/job-client.js';
import type {
  JobSubmission,
  SerializedError,
  SlotAllocation,
  TaskDeploymentDescriptor,
  TaskExecutionStateUpdate,
} from './messages.js';

/**
 * The RPC gateways. JobManager-side and TaskManager-side components reach each other only
 * through these interfaces, with plain-data arguments, so an in-process call, a cross-thread
 * message and a cross-process request are interchangeable transports. Every method is async.
 */

/** Final outcome of a job as the Dispatcher keeps it. */
export interface JobResult {
  readonly jobId: string;
  readonly jobName: string;
  readonly status: Extract<JobStatus, 'FINISHED' | 'FAILED' | 'CANCELED'>;
  readonly error?: SerializedError;
  readonly startTime: number;
  readonly endTime: number;
  /** Collected values by collect-sink id. */
  readonly collected: Record<string, unknown[]>;
  /** The metrics of the last attempt's tasks, each summed over its operator's subtasks (see `MetricGroup`). */
  readonly metrics?: Record<string, number>;
}

export interface JobOverview {
  readonly jobId: string;
  readonly jobName: string;
  readonly status: JobStatus;
  readonly startTime: number;
}

/** Accepts jobs and answers for them (Flink's Dispatcher). */
export interface DispatcherGateway {
  submitJob(submission: JobSubmission): Promise<void>;
  requestJobStatus(jobId: string): Promise<JobStatus>;
  requestJobResult(jobId: string): Promise<JobResult>;
  cancelJob(jobId: string): Promise<void>;
  /** Takes a savepoint of a running job into a new folder inside `targetDirectory`; resolves with its folder. */
  triggerSavepoint(jobId: string, targetDirectory: string): Promise<string>;
  /** Takes a savepoint, then stops the job (FINISHED); resolves with the savepoint's folder. */
  stopWithSavepoint(jobId: string, targetDirectory: string): Promise<string>;
  requestCheckpointStats(jobId: string): Promise<import('../jobmaster/job-checkpointing.js').CheckpointStatsSnapshot[]>;
  listJobs(): Promise<JobOverview[]>;
}

/** Registration info of a TaskExecutor. */
export interface TaskExecutorRegistration {
  readonly taskExecutorId: string;
  readonly numberOfSlots: number;
}

export interface SlotReport {
  readonly taskExecutorId: string;
  readonly total: number;
  readonly free: number;
}

/** Owns the slots of all TaskExecutors and hands them to JobMasters (Flink's ResourceManager). */
export interface ResourceManagerGateway {
  registerTaskExecutor(registration: TaskExecutorRegistration, gateway: TaskExecutorGateway): Promise<void>;
  unregisterTaskExecutor(taskExecutorId: string): Promise<void>;
  /** Allocates `count` slots for a job; rejects with a clear message if they cannot be had within the timeout. */
  requestSlots(jobId: string, count: number, timeoutMs: number): Promise<SlotAllocation[]>;
  /** Returns a job's slots; the TaskExecutor stops the slots' worker threads. */
  releaseSlots(jobId: string): Promise<void>;
  slotReport(): Promise<SlotReport[]>;
}

/** What a slot's worker thread needs to rebuild the job's graph. */
export type SlotJobInfo = Omit<JobSubmission, 'jobGraph'> & {
  /** Fingerprint of the JobGraph; the rebuilt graph must match it. */
  readonly fingerprint: string;
  /** The job's default parallelism, so the rebuilt graph gets the same parallelisms as the client's. */
  readonly defaultParallelism: number;
};

/** Runs tasks in slots (Flink's TaskExecutor). */
export interface TaskExecutorGateway {
  /** Activates an allocated slot for a job: starts its worker thread, which loads the job module. */
  allocateSlot(allocation: SlotAllocation, submission: SlotJobInfo, jobMaster: JobMasterGateway): Promise<void>;
  submitTask(tdd: TaskDeploymentDescriptor): Promise<void>;
  cancelTask(executionId: string): Promise<void>;
  /** Frees a slot: cancels what still runs in it and terminates its worker thread. */
  freeSlot(allocationId: string): Promise<void>;
  /** Forwards a control message to the task (split assignment, no-more-splits, source events). */
  sendOperatorEvent(executionId: string, event: OperatorEvent): Promise<void>;
  /** Forwards a checkpoint control message to the task (trigger, complete, aborted). */
  sendCheckpointEvent(executionId: string, event: CheckpointEvent): Promise<void>;
  /** Number of live worker threads (for tests and metrics). */
  activeWorkerCount(): number;
}

/** Events between a source's enumerator on the JobMaster and its readers in the tasks. */
export type OperatorEvent =
  | { readonly kind: 'add-splits'; readonly splits: Array<{ version: number; bytes: Uint8Array }> }
  | { readonly kind: 'no-more-splits' }
  | { readonly kind: 'source-event'; readonly event: unknown };

/**
 * Checkpoint control messages from the JobMaster to every task. `start` reaches every task of
 * the checkpoint: a source task takes its snapshot and injects the barrier on receipt; other
 * tasks learn where to write their state, and snapshot when the barrier is aligned.
 */
export type CheckpointEvent =
  | {
      readonly kind: 'start';
      readonly checkpointId: number;
      readonly timestamp: number;
      readonly options: { readonly mode: 'EXACTLY_ONCE' | 'AT_LEAST_ONCE'; readonly isSavepoint: boolean };
      /** The checkpoint folder the task writes its state files into. */
      readonly directory: string;
    }
  | { readonly kind: 'complete'; readonly checkpointId: number }
  | { readonly kind: 'aborted'; readonly checkpointId: number; readonly reason: string };

/** Durations a task reports with its acknowledgement, ms. */
export interface TaskCheckpointTimings {
  readonly alignmentDurationMs: number;
  readonly syncDurationMs: number;
  readonly asyncDurationMs: number;
}

/** Events from a task to the JobMaster. */
export type TaskEvent =
  | { readonly kind: 'reader-registered'; readonly subtaskIndex: number }
  | { readonly kind: 'split-request'; readonly subtaskIndex: number }
  | { readonly kind: 'source-event'; readonly subtaskIndex: number; readonly event: unknown }
  | { readonly kind: 'collect'; readonly collectId: string; readonly values: unknown[] }
  | {
      readonly kind: 'checkpoint-ack';
      readonly checkpointId: number;
      readonly files: import('../checkpoint/storage/checkpoint-metadata.js').StateFileHandle[];
      readonly timings: TaskCheckpointTimings;
    }
  | { readonly kind: 'checkpoint-decline'; readonly checkpointId: number; readonly reason: string }
  /** The task's metrics, sent once just before it reports a terminal state. */
  | { readonly kind: 'metrics'; readonly values: Record<string, number> };

/** One job's master (Flink's JobMaster). */
export interface JobMasterGateway {
  updateTaskExecutionState(update: TaskExecutionStateUpdate): Promise<void>;
  /** An event from a task's operator (source readers, collect sinks). */
  sendTaskEvent(jobId: string, executionId: string, vertexId: string, event: TaskEvent): Promise<void>;
}
