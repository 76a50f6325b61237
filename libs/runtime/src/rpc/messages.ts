/**
 * Plain-data messages exchanged between the JobManager side (Dispatcher, ResourceManager,
 * JobMaster) and the TaskManager side (TaskExecutor, tasks). Everything here must survive
 * `structuredClone` (in-process and cross-thread) and JSON (cross-process, later).
 */

/** An error as it crosses a boundary: enough to rebuild and print it. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** The operator in which the error was raised, when known. */
  readonly operatorName?: string;
  /** The subtask index in which the error was raised, when known. */
  readonly subtaskIndex?: number;
  readonly taskName?: string;
}

/**
 * Errors that are consequences of another task's failure (its partitions were released under a
 * consumer). When a job fails, the first error that is not one of these is reported as the cause.
 */
export const SECONDARY_FAILURE_NAMES: ReadonlySet<string> = new Set(['PartitionReleasedError']);

/** Turns any thrown value into a {@link SerializedError}. */
export function serializeError(e: unknown, extra: Partial<SerializedError> = {}): SerializedError {
  if (e instanceof Error) {
    const tagged = e as Error & { riffleOperatorName?: string };
    return {
      name: e.name,
      message: e.message,
      stack: e.stack,
      operatorName: extra.operatorName ?? tagged.riffleOperatorName,
      subtaskIndex: extra.subtaskIndex,
      taskName: extra.taskName,
    };
  }
  return { name: 'Error', message: String(e), ...extra };
}

/** Rebuilds an Error from its serialized form, keeping the original name and stack. */
export function deserializeError(s: SerializedError): Error {
  const e = new Error(s.message);
  e.name = s.name;
  if (s.stack) e.stack = s.stack;
  return e;
}

/** Identifies one slot of one TaskExecutor. */
export interface SlotId {
  readonly taskExecutorId: string;
  readonly slotIndex: number;
}

/** A slot handed to a job. `allocationId` names this allocation; the slot's worker thread carries it. */
export interface SlotAllocation {
  readonly allocationId: string;
  readonly slotId: SlotId;
  readonly jobId: string;
}

/** Where a subtask runs: the allocation (one worker thread) it was deployed into. */
export interface TaskLocation {
  readonly allocationId: string;
  readonly taskExecutorId: string;
}

/** One input channel's producer, or one output subpartition's consumer. */
export interface ChannelPeer {
  readonly subtaskIndex: number;
  readonly location: TaskLocation;
}

export interface InputGateDeploymentDescriptor {
  readonly jobEdgeId: string;
  readonly inputIndex: 0 | 1;
  readonly producers: ChannelPeer[];
}

export interface ResultPartitionDeploymentDescriptor {
  readonly jobEdgeId: string;
  readonly consumers: ChannelPeer[];
  /** Parallelism of the consuming vertex (the channel selector's channel count for ALL_TO_ALL edges). */
  readonly consumerParallelism: number;
}

/** The checkpoint (or savepoint) a redeployed subtask restores its state from. */
export interface TaskRestoreDescriptor {
  /** Absolute path of the checkpoint folder (holds `_metadata`, verified by the JobMaster). */
  readonly directory: string;
  readonly checkpointId: number;
}

/** Everything a TaskExecutor needs to start one subtask (Flink's TaskDeploymentDescriptor). */
export interface TaskDeploymentDescriptor {
  readonly jobId: string;
  readonly executionId: string;
  readonly vertexId: string;
  readonly taskName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly attemptNumber: number;
  readonly allocationId: string;
  readonly inputs: InputGateDeploymentDescriptor[];
  readonly outputs: ResultPartitionDeploymentDescriptor[];
  /** Set when the job checkpoints: how the task aligns barriers. */
  readonly checkpointing?: {
    readonly mode: 'EXACTLY_ONCE' | 'AT_LEAST_ONCE';
    /** The job takes periodic checkpoints (without, tasks still take savepoints). */
    readonly periodic: boolean;
  };
  /** Set when the subtask starts from a checkpoint or savepoint. */
  readonly restore?: TaskRestoreDescriptor;
}

/** A task's state change, reported by the TaskExecutor to the JobMaster. */
export interface TaskExecutionStateUpdate {
  readonly jobId: string;
  readonly executionId: string;
  readonly state: 'INITIALIZING' | 'RUNNING' | 'FINISHED' | 'CANCELED' | 'FAILED';
  readonly error?: SerializedError;
}

/** What a job needs to run: its graph as data, and how workers rebuild the user code. */
export interface JobSubmission {
  readonly jobGraph: import('../graph/job-graph.js').JobGraph;
  /** Module URL that every worker imports to rebuild the StreamGraph. */
  readonly jobModule: string;
  readonly params: Readonly<Record<string, string>>;
  /** Start from this savepoint (or retained checkpoint) instead of empty state. */
  readonly savepointRestore?: SavepointRestoreSettings;
}

/** Flink's `SavepointRestoreSettings`: `riffle run --fromSavepoint <path> [--allowNonRestoredState]`. */
export interface SavepointRestoreSettings {
  /** A savepoint or checkpoint folder (with `_metadata`). */
  readonly path: string;
  /** Skip state of operators the job no longer has instead of failing (default false). */
  readonly allowNonRestoredState?: boolean;
}
