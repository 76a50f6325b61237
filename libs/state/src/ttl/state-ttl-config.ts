/**
 * State time-to-live configuration (Flink's `StateTtlConfig`). A keyed state value (a list
 * element, a map entry) expires `ttl` milliseconds after its last access timestamp was set;
 * which accesses set it is the {@link UpdateType}, whether an expired value that is still stored
 * may be read is the {@link StateVisibility}. Time is processing time, read from the backend's
 * `TtlTimeProvider`.
 *
 * Expired values are removed lazily: when read, by incremental cleanup (a few entries per state
 * access, and optionally per record), and left out of snapshots with full-snapshot cleanup.
 */

/** When the last access timestamp of a value is (re)set. */
export const UpdateType = {
  /** TTL disabled: values never expire. */
  Disabled: 'Disabled',
  /** Set on creation and on every write (`update`, `add`, `put`). Flink's default. */
  OnCreateAndWrite: 'OnCreateAndWrite',
  /** Set on creation, on every write and on every read that finds the value unexpired. */
  OnReadAndWrite: 'OnReadAndWrite',
} as const;
/** See {@link UpdateType}. */
export type UpdateType = (typeof UpdateType)[keyof typeof UpdateType];

/** Whether an expired value that has not been cleaned up yet may be returned. */
export const StateVisibility = {
  /** Return an expired value if it is still stored (it is removed by that read). */
  ReturnExpiredIfNotCleanedUp: 'ReturnExpiredIfNotCleanedUp',
  /** Never return an expired value. Flink's default. */
  NeverReturnExpired: 'NeverReturnExpired',
} as const;
/** See {@link StateVisibility}. */
export type StateVisibility = (typeof StateVisibility)[keyof typeof StateVisibility];

/** Incremental cleanup: check `cleanupSize` entries per state access (and per record if asked). */
export interface IncrementalCleanupStrategy {
  readonly cleanupSize: number;
  readonly runCleanupForEveryRecord: boolean;
}

/** Which cleanup strategies are active (besides the lazy removal on read, which always is). */
export interface CleanupStrategies {
  /** Expired values are left out of snapshots (the working state keeps them until read or cleaned). */
  readonly fullSnapshot: boolean;
  /** Incremental cleanup, or `undefined` when disabled. */
  readonly incremental: IncrementalCleanupStrategy | undefined;
}

/** Flink's default background cleanup for heap state: 5 entries per access, not per record. */
const DEFAULT_INCREMENTAL: IncrementalCleanupStrategy = Object.freeze({ cleanupSize: 5, runCleanupForEveryRecord: false });

/** An immutable TTL configuration; build one with {@link StateTtlConfig.newBuilder}. */
export class StateTtlConfig {
  /** Flink-style access: `StateTtlConfig.UpdateType.OnReadAndWrite`. */
  static readonly UpdateType = UpdateType;
  /** Flink-style access: `StateTtlConfig.StateVisibility.NeverReturnExpired`. */
  static readonly StateVisibility = StateVisibility;
  /** TTL disabled (the default of every descriptor). */
  static readonly DISABLED: StateTtlConfig = new StateTtlConfig(Number.MAX_SAFE_INTEGER, UpdateType.Disabled, StateVisibility.NeverReturnExpired, {
    fullSnapshot: false,
    incremental: undefined,
  });

  private constructor(
    /** Time to live in milliseconds. */
    readonly ttl: number,
    readonly updateType: UpdateType,
    readonly stateVisibility: StateVisibility,
    readonly cleanupStrategies: CleanupStrategies,
  ) {
    Object.freeze(this);
  }

  /** Starts a configuration with a time to live of `ttlMs` milliseconds (positive, finite). */
  static newBuilder(ttlMs: number): StateTtlConfigBuilder {
    return new StateTtlConfigBuilder(ttlMs);
  }

  /** Whether values expire at all (the update type is not `Disabled`). */
  isEnabled(): boolean {
    return this.updateType !== UpdateType.Disabled;
  }

  /** @internal Used by the builder only. */
  static create(ttl: number, updateType: UpdateType, visibility: StateVisibility, cleanup: CleanupStrategies): StateTtlConfig {
    return new StateTtlConfig(ttl, updateType, visibility, Object.freeze({ ...cleanup }));
  }

  toString(): string {
    const inc = this.cleanupStrategies.incremental;
    return (
      `StateTtlConfig{ttl=${this.ttl}ms, updateType=${this.updateType}, stateVisibility=${this.stateVisibility}, ` +
      `fullSnapshot=${this.cleanupStrategies.fullSnapshot}, incremental=${inc ? `${inc.cleanupSize}/${inc.runCleanupForEveryRecord}` : 'off'}}`
    );
  }
}

/**
 * Builds a {@link StateTtlConfig}. Defaults, as in Flink: `OnCreateAndWrite`,
 * `NeverReturnExpired`, and background cleanup on (for the heap backend: incremental cleanup of
 * 5 entries per state access) unless {@link disableCleanupInBackground} is called.
 */
export class StateTtlConfigBuilder {
  private updateType: UpdateType = UpdateType.OnCreateAndWrite;
  private visibility: StateVisibility = StateVisibility.NeverReturnExpired;
  private fullSnapshot = false;
  private incremental: IncrementalCleanupStrategy | undefined;
  private backgroundCleanup = true;

  constructor(private ttl: number) {
    checkTtl(ttl);
  }

  setUpdateType(updateType: UpdateType): this {
    if (!Object.values(UpdateType).includes(updateType)) throw new TypeError(`unknown TTL update type '${String(updateType)}'`);
    this.updateType = updateType;
    return this;
  }

  updateTtlOnCreateAndWrite(): this {
    return this.setUpdateType(UpdateType.OnCreateAndWrite);
  }

  updateTtlOnReadAndWrite(): this {
    return this.setUpdateType(UpdateType.OnReadAndWrite);
  }

  setStateVisibility(visibility: StateVisibility): this {
    if (!Object.values(StateVisibility).includes(visibility)) throw new TypeError(`unknown TTL state visibility '${String(visibility)}'`);
    this.visibility = visibility;
    return this;
  }

  returnExpiredIfNotCleanedUp(): this {
    return this.setStateVisibility(StateVisibility.ReturnExpiredIfNotCleanedUp);
  }

  neverReturnExpired(): this {
    return this.setStateVisibility(StateVisibility.NeverReturnExpired);
  }

  /** Replaces the time to live (milliseconds). */
  setTtl(ttlMs: number): this {
    checkTtl(ttlMs);
    this.ttl = ttlMs;
    return this;
  }

  /** Leaves expired values out of snapshots (checkpoints and savepoints). */
  cleanupFullSnapshot(): this {
    this.fullSnapshot = true;
    return this;
  }

  /**
   * Checks `cleanupSize` entries (positive integer) of the state for expiry on every access to
   * the state, continuing where the previous check stopped; with `runCleanupForEveryRecord`,
   * also whenever the backend moves to the next record's key.
   */
  cleanupIncrementally(cleanupSize: number, runCleanupForEveryRecord: boolean): this {
    if (!Number.isInteger(cleanupSize) || cleanupSize <= 0) {
      throw new RangeError(`cleanupIncrementally: the number of entries to clean up per access must be a positive integer, got ${cleanupSize}`);
    }
    this.incremental = { cleanupSize, runCleanupForEveryRecord };
    return this;
  }

  /** Turns the default background (incremental) cleanup off; explicit strategies stay on. */
  disableCleanupInBackground(): this {
    this.backgroundCleanup = false;
    return this;
  }

  build(): StateTtlConfig {
    const incremental = this.incremental ?? (this.backgroundCleanup ? DEFAULT_INCREMENTAL : undefined);
    return StateTtlConfig.create(this.ttl, this.updateType, this.visibility, { fullSnapshot: this.fullSnapshot, incremental });
  }
}

function checkTtl(ttl: number): void {
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0) {
    throw new RangeError(`a state TTL must be a positive, finite number of milliseconds, got ${ttl}`);
  }
}
