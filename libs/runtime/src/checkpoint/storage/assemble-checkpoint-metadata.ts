import type { CheckpointMetadata, OperatorCheckpointMetadata, StateFileHandle } from './checkpoint-metadata.js';

/** What the coordinator knows about an operator when it assembles a checkpoint's metadata. */
export interface OperatorCheckpointShape {
  readonly operatorUid: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
}

/** Input of {@link assembleCheckpointMetadata}. */
export interface CheckpointMetadataParts {
  readonly checkpointId: number;
  readonly timestamp: number;
  readonly jobId: string;
  readonly isSavepoint: boolean;
  /** Every operator of the job, including those without state. */
  readonly operators: readonly OperatorCheckpointShape[];
  /** The handles acknowledged by all tasks, in any order. */
  readonly stateFiles: readonly StateFileHandle[];
  readonly coordinatorState?: ReadonlyMap<string, Uint8Array>;
}

/**
 * Groups the state file handles acknowledged by the tasks into {@link CheckpointMetadata}
 * (files of a subtask sorted by kind, then path, so equal inputs give equal bytes). Throws
 * naming the file when a handle belongs to an unknown operator or to a subtask outside its
 * operator's parallelism, or when the same file is acknowledged twice.
 */
export function assembleCheckpointMetadata(parts: CheckpointMetadataParts): CheckpointMetadata {
  const byUid = new Map<string, StateFileHandle[][]>();
  for (const op of parts.operators) {
    if (byUid.has(op.operatorUid)) throw new Error(`assembleCheckpointMetadata: operator '${op.operatorUid}' listed twice`);
    byUid.set(op.operatorUid, Array.from({ length: op.parallelism }, () => []));
  }
  const seen = new Set<string>();
  for (const f of parts.stateFiles) {
    const subtasks = byUid.get(f.operatorUid);
    if (subtasks === undefined) throw new Error(`assembleCheckpointMetadata: state file '${f.path}' belongs to unknown operator '${f.operatorUid}'`);
    const files = subtasks[f.subtaskIndex];
    if (files === undefined) {
      throw new Error(
        `assembleCheckpointMetadata: state file '${f.path}' is for subtask ${f.subtaskIndex} of operator '${f.operatorUid}' with parallelism ${subtasks.length}`,
      );
    }
    if (seen.has(f.path)) throw new Error(`assembleCheckpointMetadata: state file '${f.path}' acknowledged twice`);
    seen.add(f.path);
    files.push(f);
  }
  const operators: OperatorCheckpointMetadata[] = parts.operators.map((op) => ({
    operatorUid: op.operatorUid,
    parallelism: op.parallelism,
    maxParallelism: op.maxParallelism,
    subtaskStates: byUid.get(op.operatorUid)!.map((files) => files.sort(compareFiles)),
  }));
  return {
    checkpointId: parts.checkpointId,
    timestamp: parts.timestamp,
    jobId: parts.jobId,
    isSavepoint: parts.isSavepoint,
    operators,
    coordinatorState: parts.coordinatorState ?? new Map(),
  };
}

function compareFiles(a: StateFileHandle, b: StateFileHandle): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
