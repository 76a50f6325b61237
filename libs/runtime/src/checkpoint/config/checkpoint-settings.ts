import { DEFAULT_CHECKPOINT_CONFIG, type CheckpointCoordinatorConfig } from '../coordinator/checkpoint-coordinator.js';

/**
 * A job's checkpointing settings as plain data (what `env.enableCheckpointing()` and
 * `env.getCheckpointConfig()` produce; carried in the StreamGraph and JobGraph config).
 */
export interface CheckpointSettings extends CheckpointCoordinatorConfig {
  /**
   * Base directory of checkpoint storage; checkpoints of a job go to `<dir>/<jobId>/chk-<id>`.
   * Absent: `<os tmpdir>/riffle-checkpoints` (chosen by the JobMaster).
   */
  readonly storageDir?: string;
  /** Completed checkpoints kept (Flink's `state.checkpoints.num-retained`, default 1). */
  readonly retainedCheckpoints: number;
}

/** Defaults for everything but the interval. */
export const DEFAULT_CHECKPOINT_SETTINGS: Omit<CheckpointSettings, 'intervalMs'> = {
  ...DEFAULT_CHECKPOINT_CONFIG,
  retainedCheckpoints: 1,
};

/**
 * Checks settings that may have crossed a process boundary as plain data; throws an Error naming
 * the bad option (with the `where` prefix, e.g. `enableCheckpointing`).
 */
export function validateCheckpointSettings(s: CheckpointSettings, where = 'checkpoint config'): CheckpointSettings {
  const int = (name: string, v: number, min: number): void => {
    if (!Number.isSafeInteger(v) || v < min) throw new Error(`${where}: '${name}' must be an integer >= ${min}, got ${String(v)}`);
  };
  int('intervalMs', s.intervalMs, 10);
  int('timeoutMs', s.timeoutMs, 1);
  int('minPauseMs', s.minPauseMs, 0);
  int('maxConcurrent', s.maxConcurrent, 1);
  int('tolerableFailures', s.tolerableFailures, 0);
  int('retainedCheckpoints', s.retainedCheckpoints, 1);
  if (s.mode !== 'EXACTLY_ONCE' && s.mode !== 'AT_LEAST_ONCE') {
    throw new Error(`${where}: 'mode' must be 'EXACTLY_ONCE' or 'AT_LEAST_ONCE', got ${String(s.mode)}`);
  }
  if (s.storageDir !== undefined && (typeof s.storageDir !== 'string' || s.storageDir === '')) {
    throw new Error(`${where}: 'storageDir' must be a non-empty path`);
  }
  return s;
}
