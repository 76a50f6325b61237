import type { StreamGraph } from '../graph/stream-graph.js';

/** Job lifecycle states, as in Flink. */
export type JobStatus = 'CREATED' | 'RUNNING' | 'FAILING' | 'FAILED' | 'CANCELLING' | 'CANCELED' | 'FINISHED';

/** What a finished job reports. */
export interface JobExecutionResult {
  readonly jobId: string;
  readonly jobName: string;
  /** Wall-clock run time, ms. */
  readonly netRuntimeMs: number;
  /** Records gathered by collect sinks (`executeAndCollect`, `collectAsync`), by collect-sink id, in arrival order. */
  getCollected<T>(collectId: string): T[];
  /**
   * The job's metrics, `<operator name>.<group>...<metric>` → value, each summed over the
   * operator's subtasks, as the tasks of the last attempt reported them when they ended
   * (counters registered through `getRuntimeContext().getMetricGroup()`).
   */
  getMetrics(): Record<string, number>;
}

/** The error a failed job ends with: names the operator and subtask where the user code threw. */
export class JobExecutionError extends Error {
  constructor(
    message: string,
    readonly jobId: string,
    /** The original error, rebuilt from what the worker reported (name, message, stack). */
    override readonly cause: Error,
    readonly operatorName?: string,
    readonly subtaskIndex?: number,
  ) {
    super(message);
    this.name = 'JobExecutionError';
  }
}

/** A handle on a submitted job (Flink's JobClient). */
export interface JobClient {
  getJobID(): string;
  getJobStatus(): Promise<JobStatus>;
  /** Asks the job to cancel; resolves when it is CANCELED (or already terminal). */
  cancel(): Promise<void>;
  /** Resolves when the job FINISHED; rejects with a {@link JobExecutionError} when it FAILED or was CANCELED. */
  getJobExecutionResult(): Promise<JobExecutionResult>;
  /**
   * Takes a savepoint into a new folder inside `targetDirectory` while the job keeps running;
   * resolves with the savepoint's folder (pass it to `riffle run --fromSavepoint`).
   */
  triggerSavepoint(targetDirectory: string): Promise<string>;
  /** Takes a savepoint, then stops the job (it ends FINISHED); resolves with the savepoint's folder. */
  stopWithSavepoint(targetDirectory: string): Promise<string>;
  /** Statistics of the job's checkpoints and savepoints so far, oldest first. */
  getCheckpointStats(): Promise<import('../jobmaster/job-checkpointing.js').CheckpointStatsSnapshot[]>;
}

/** Runs a StreamGraph somewhere (a MiniCluster, a remote cluster, or nowhere: graph capture in a worker). */
export interface PipelineExecutor {
  execute(graph: StreamGraph): Promise<JobClient>;
}
