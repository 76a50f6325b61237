/** What a {@link RollingPolicy} knows about the in-progress part file of a bucket. */
export interface PartFileInfo {
  readonly bucketId: string;
  /** Processing time (ms) when the part file was opened. */
  readonly creationTime: number;
  /** Processing time (ms) of the last record written to it. */
  readonly lastUpdateTime: number;
  /** Bytes written so far, including bytes still buffered in memory. */
  readonly size: number;
}

/**
 * Decides when the in-progress part file of a bucket is closed ("rolled") to become a pending
 * file, committed at the next successful checkpoint (Flink's `RollingPolicy`). All methods are
 * called synchronously on the task thread and must be cheap.
 * - `shouldRollOnEvent` is asked before each record is written to an open part file;
 * - `shouldRollOnProcessingTime` is asked for each open part file when the sink checks
 *   processing time (on records, at most once per bucket check interval, and at every flush);
 * - `shouldRollOnCheckpoint` is asked for each open part file at every checkpoint
 *   (`prepareCommit`). A part file that does not roll is persisted and resumed after a failure.
 * At the end of input every part file rolls regardless of the policy.
 */
export interface RollingPolicy<T> {
  shouldRollOnCheckpoint(partFile: PartFileInfo): boolean;
  shouldRollOnEvent(partFile: PartFileInfo, element: T): boolean;
  shouldRollOnProcessingTime(partFile: PartFileInfo, currentTime: number): boolean;
}

/**
 * Rolls when a part file reaches `maxPartSize` bytes, has been open for `rolloverInterval` ms,
 * or has received no record for `inactivityInterval` ms (Flink's `DefaultRollingPolicy`; same
 * defaults: 128 MiB, 60 s, 60 s). At a checkpoint a file rolls only when over the size limit.
 */
export class DefaultRollingPolicy<T = unknown> implements RollingPolicy<T> {
  static readonly DEFAULT_MAX_PART_SIZE = 128 * 1024 * 1024;
  static readonly DEFAULT_ROLLOVER_INTERVAL = 60_000;
  static readonly DEFAULT_INACTIVITY_INTERVAL = 60_000;

  private constructor(
    readonly maxPartSize: number,
    readonly rolloverInterval: number,
    readonly inactivityInterval: number,
  ) {}

  static builder(): DefaultRollingPolicyBuilder {
    return new DefaultRollingPolicyBuilder();
  }

  /** @internal used by the builder, which validates first. */
  static create<T>(maxPartSize: number, rolloverInterval: number, inactivityInterval: number): DefaultRollingPolicy<T> {
    return new DefaultRollingPolicy<T>(maxPartSize, rolloverInterval, inactivityInterval);
  }

  shouldRollOnCheckpoint(partFile: PartFileInfo): boolean {
    return partFile.size >= this.maxPartSize;
  }

  shouldRollOnEvent(partFile: PartFileInfo): boolean {
    return partFile.size >= this.maxPartSize;
  }

  shouldRollOnProcessingTime(partFile: PartFileInfo, currentTime: number): boolean {
    return currentTime - partFile.creationTime >= this.rolloverInterval || currentTime - partFile.lastUpdateTime >= this.inactivityInterval;
  }
}

/** Builds a {@link DefaultRollingPolicy}; `build()` throws naming a bad option. */
export class DefaultRollingPolicyBuilder {
  private maxPartSize = DefaultRollingPolicy.DEFAULT_MAX_PART_SIZE;
  private rolloverInterval = DefaultRollingPolicy.DEFAULT_ROLLOVER_INTERVAL;
  private inactivityInterval = DefaultRollingPolicy.DEFAULT_INACTIVITY_INTERVAL;

  /** Roll once a part file holds at least `bytes` bytes. */
  withMaxPartSize(bytes: number): this {
    this.maxPartSize = bytes;
    return this;
  }

  /** Roll once a part file has been open for `ms` milliseconds. */
  withRolloverInterval(ms: number): this {
    this.rolloverInterval = ms;
    return this;
  }

  /** Roll once a part file has received no record for `ms` milliseconds. */
  withInactivityInterval(ms: number): this {
    this.inactivityInterval = ms;
    return this;
  }

  build<T = unknown>(): DefaultRollingPolicy<T> {
    checkPositive('maxPartSize', this.maxPartSize);
    checkPositive('rolloverInterval', this.rolloverInterval);
    checkPositive('inactivityInterval', this.inactivityInterval);
    return DefaultRollingPolicy.create<T>(this.maxPartSize, this.rolloverInterval, this.inactivityInterval);
  }
}

function checkPositive(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`DefaultRollingPolicy: '${name}' must be a positive number, got ${String(v)}`);
}

/**
 * Rolls at every checkpoint and never otherwise (Flink's `OnCheckpointRollingPolicy`): each
 * checkpoint publishes exactly the records written since the previous one. The policy bulk
 * formats (Parquet) require, since their files cannot be resumed.
 */
export class OnCheckpointRollingPolicy<T = unknown> implements RollingPolicy<T> {
  shouldRollOnCheckpoint(): boolean {
    return true;
  }
  shouldRollOnEvent(): boolean {
    return false;
  }
  shouldRollOnProcessingTime(): boolean {
    return false;
  }
}
