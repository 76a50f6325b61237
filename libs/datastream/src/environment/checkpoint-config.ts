import { DEFAULT_CHECKPOINT_SETTINGS, validateCheckpointSettings, type CheckpointSettings, type CheckpointingMode as Mode } from '@riffle/runtime';

/** Checkpointing modes, with Flink's names (`CheckpointingMode.EXACTLY_ONCE`). */
export const CheckpointingMode = {
  EXACTLY_ONCE: 'EXACTLY_ONCE',
  AT_LEAST_ONCE: 'AT_LEAST_ONCE',
} as const satisfies Record<string, Mode>;
/** `'EXACTLY_ONCE' | 'AT_LEAST_ONCE'`. */
export type CheckpointingMode = Mode;

/**
 * How a job checkpoints (Flink's `CheckpointConfig`), from `env.getCheckpointConfig()`.
 * Checkpointing is on once an interval is set (`env.enableCheckpointing(ms)`). Every setter
 * validates its argument and throws naming the option.
 */
export class CheckpointConfig {
  private intervalMs = -1;
  private settings: Omit<CheckpointSettings, 'intervalMs'> = { ...DEFAULT_CHECKPOINT_SETTINGS };

  /** Whether checkpointing is enabled (an interval was set). */
  isCheckpointingEnabled(): boolean {
    return this.intervalMs > 0;
  }

  /** Interval between checkpoint triggers, ms (at least 10). */
  setCheckpointInterval(intervalMs: number): this {
    this.check({ intervalMs }, 'setCheckpointInterval');
    this.intervalMs = intervalMs;
    return this;
  }

  getCheckpointInterval(): number {
    return this.intervalMs;
  }

  /** EXACTLY_ONCE (aligned barriers, the default) or AT_LEAST_ONCE (no alignment). */
  setCheckpointingMode(mode: CheckpointingMode): this {
    return this.set({ mode }, 'setCheckpointingMode');
  }

  getCheckpointingMode(): CheckpointingMode {
    return this.settings.mode;
  }

  /** A checkpoint not complete after this long is aborted (default 10 minutes). */
  setCheckpointTimeout(timeoutMs: number): this {
    return this.set({ timeoutMs }, 'setCheckpointTimeout');
  }

  /** Least time between the end of one checkpoint and the start of the next (default 0). */
  setMinPauseBetweenCheckpoints(minPauseMs: number): this {
    return this.set({ minPauseMs }, 'setMinPauseBetweenCheckpoints');
  }

  /** Checkpoints that may be in progress at once (default 1). */
  setMaxConcurrentCheckpoints(maxConcurrent: number): this {
    return this.set({ maxConcurrent }, 'setMaxConcurrentCheckpoints');
  }

  /** Consecutive checkpoint failures tolerated before the job fails (default 0). */
  setTolerableCheckpointFailureNumber(tolerableFailures: number): this {
    return this.set({ tolerableFailures }, 'setTolerableCheckpointFailureNumber');
  }

  /** Base directory of checkpoint storage (default `<tmpdir>/riffle-checkpoints`). */
  setCheckpointStorage(dir: string): this {
    return this.set({ storageDir: dir }, 'setCheckpointStorage');
  }

  getCheckpointStorage(): string | undefined {
    return this.settings.storageDir;
  }

  /** How many completed checkpoints to keep (default 1; Flink's `state.checkpoints.num-retained`). */
  setNumRetainedCheckpoints(retainedCheckpoints: number): this {
    return this.set({ retainedCheckpoints }, 'setNumRetainedCheckpoints');
  }

  /** The settings as plain data for the StreamGraph; undefined when checkpointing is disabled. */
  toSettings(): CheckpointSettings | undefined {
    return this.isCheckpointingEnabled() ? { ...this.settings, intervalMs: this.intervalMs } : undefined;
  }

  private set(patch: Partial<CheckpointSettings>, where: string): this {
    const next = { ...this.settings, ...patch };
    this.check(patch, where);
    this.settings = next;
    return this;
  }

  private check(patch: Partial<CheckpointSettings>, where: string): void {
    validateCheckpointSettings({ ...this.settings, intervalMs: 1000, ...patch }, where);
  }
}
