import type { KeyedStateStore, OperatorStateStore } from '@riffle/state';

/** What a function sees when its state is initialized (Flink's FunctionInitializationContext). */
export interface FunctionInitializationContext {
  /** True when the state was restored from a checkpoint or savepoint. */
  isRestored(): boolean;
  /** Operator (non-keyed) state: list state redistributed by even split or union on rescaling. */
  getOperatorStateStore(): OperatorStateStore;
  /** Keyed state, when the function runs on a keyed stream. */
  getKeyedStateStore(): KeyedStateStore | undefined;
}

/** What a function sees when a checkpoint is taken (Flink's FunctionSnapshotContext). */
export interface FunctionSnapshotContext {
  getCheckpointId(): number;
  getCheckpointTimestamp(): number;
}

/**
 * A function with operator state (Flink's CheckpointedFunction). `initializeState` runs once per
 * subtask before `open` (restored or fresh); `snapshotState` runs on the task thread when a
 * checkpoint is taken, between records, and must bring the registered state up to date (the
 * runtime then snapshots it). Neither may block.
 */
export interface CheckpointedFunction {
  initializeState(context: FunctionInitializationContext): void;
  snapshotState(context: FunctionSnapshotContext): void;
}

export function isCheckpointedFunction(f: unknown): f is CheckpointedFunction {
  const c = f as Partial<CheckpointedFunction> | null;
  return c !== null && typeof c === 'object' && typeof c.initializeState === 'function' && typeof c.snapshotState === 'function';
}
