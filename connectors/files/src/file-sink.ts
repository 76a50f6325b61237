import { resolve } from 'node:path';
import type { SimpleVersionedSerializer, SinkInitContext, TwoPhaseCommittingSink } from '@riffle/core';
import { DateTimeBucketAssigner, type BucketAssigner } from './bucket-assigner.js';
import type { FileSinkCommittable, FileWriterBucketState } from './committable.js';
import type { Encoder } from './encoder.js';
import { FileCommitter } from './file-committer.js';
import { FileWriter, type FileWriterConfig } from './file-writer.js';
import { OutputFileConfig } from './output-file-config.js';
import { RowPartFileFactory } from './row-part-file.js';
import { DefaultRollingPolicy, type RollingPolicy } from './rolling-policy.js';
import { FileSinkCommittableSerializer, FileWriterBucketStateSerializer } from './serializers.js';

/**
 * Writes a stream into part files under a base directory, exactly once (Flink's `FileSink`).
 *
 * Each subtask writes one in-progress part file per bucket (sub-directory chosen by the
 * {@link BucketAssigner}) under a hidden name. The {@link RollingPolicy} closes part files; a
 * closed file is pending until the checkpoint that covers it completes, when the
 * {@link FileCommitter} renames it to its final name. Only finished files are ever visible
 * under final names; after a failure, in-progress files are truncated to their checkpointed
 * length and resumed, and pending files are committed again (idempotently).
 *
 * Build it with {@link FileSink.forRowFormat}; bulk formats (Parquet) will come as
 * `FileSink.forBulkFormat(dir, writerFactory)`, rolling on every checkpoint.
 */
export class FileSink<T> implements TwoPhaseCommittingSink<T, FileSinkCommittable> {
  /** @internal use {@link FileSink.forRowFormat}. */
  constructor(private readonly config: FileWriterConfig<T>) {}

  /** A builder for a sink writing each record with `encoder` under `basePath`. */
  static forRowFormat<T>(basePath: string, encoder: Encoder<T>): RowFormatBuilder<T> {
    return new RowFormatBuilder<T>(basePath, encoder);
  }

  /** The absolute base directory. */
  get basePath(): string {
    return this.config.basePath;
  }

  createWriter(context: SinkInitContext): FileWriter<T> {
    return new FileWriter(this.config, context);
  }

  /**
   * A writer restored from the states its predecessors snapshotted (any number, from any
   * subtasks): in-progress files are truncated to their checkpointed length and resumed. The
   * committables of the restored checkpoint are re-committed separately, by the committer.
   */
  restoreWriter(context: SinkInitContext, states: readonly FileWriterBucketState[]): FileWriter<T> {
    const writer = new FileWriter(this.config, context);
    writer.restore(states);
    return writer;
  }

  createCommitter(): FileCommitter {
    return new FileCommitter();
  }

  getCommittableSerializer(): SimpleVersionedSerializer<FileSinkCommittable> {
    return new FileSinkCommittableSerializer();
  }

  getWriterStateSerializer(): SimpleVersionedSerializer<FileWriterBucketState> {
    return new FileWriterBucketStateSerializer();
  }
}

/**
 * Configures a row-format {@link FileSink}. Defaults: {@link DateTimeBucketAssigner}
 * (`yyyy-MM-dd--HH`, UTC), {@link DefaultRollingPolicy} (128 MiB / 60 s / 60 s),
 * {@link OutputFileConfig.defaults} (`part`, no suffix), `Date.now` as the clock, processing-time
 * rolling checked at most every 60 s. `build()` validates and throws naming the bad option.
 */
export class RowFormatBuilder<T> {
  private bucketAssigner: BucketAssigner<T> = new DateTimeBucketAssigner<T>();
  private rollingPolicy: RollingPolicy<T> = DefaultRollingPolicy.builder().build<T>();
  private outputFileConfig = OutputFileConfig.defaults();
  private clock: () => number = Date.now;
  private bucketCheckInterval = 60_000;

  constructor(
    private readonly basePath: string,
    private readonly encoder: Encoder<T>,
  ) {}

  withBucketAssigner(assigner: BucketAssigner<T>): this {
    this.bucketAssigner = assigner;
    return this;
  }

  withRollingPolicy(policy: RollingPolicy<T>): this {
    this.rollingPolicy = policy;
    return this;
  }

  withOutputFileConfig(config: OutputFileConfig): this {
    this.outputFileConfig = config;
    return this;
  }

  /** How often (ms of the clock) open part files are checked against the time-based rolling rules. */
  withBucketCheckInterval(ms: number): this {
    this.bucketCheckInterval = ms;
    return this;
  }

  /** The processing-time clock (epoch ms), for tests; default `Date.now`. */
  withClock(clock: () => number): this {
    this.clock = clock;
    return this;
  }

  build(): FileSink<T> {
    if (typeof this.basePath !== 'string' || this.basePath.length === 0) throw new Error("FileSink: 'basePath' must be a non-empty directory path");
    if (!this.encoder || typeof this.encoder.encode !== 'function') throw new Error("FileSink: 'encoder' must be an Encoder (an object with encode(element, out))");
    if (!this.bucketAssigner || typeof this.bucketAssigner.getBucketId !== 'function') throw new Error("FileSink: 'bucketAssigner' must have getBucketId(element, context)");
    const p = this.rollingPolicy as Partial<RollingPolicy<T>> | undefined;
    if (!p || typeof p.shouldRollOnCheckpoint !== 'function' || typeof p.shouldRollOnEvent !== 'function' || typeof p.shouldRollOnProcessingTime !== 'function') {
      throw new Error("FileSink: 'rollingPolicy' must implement shouldRollOnCheckpoint, shouldRollOnEvent and shouldRollOnProcessingTime");
    }
    if (!(this.outputFileConfig instanceof OutputFileConfig)) throw new Error("FileSink: 'outputFileConfig' must be built with OutputFileConfig.builder()");
    if (typeof this.clock !== 'function') throw new Error("FileSink: 'clock' must be a function returning epoch milliseconds");
    if (!Number.isFinite(this.bucketCheckInterval) || this.bucketCheckInterval <= 0) throw new Error(`FileSink: 'bucketCheckInterval' must be a positive number, got ${String(this.bucketCheckInterval)}`);
    return new FileSink<T>({
      basePath: resolve(this.basePath),
      partFileFactory: new RowPartFileFactory(this.encoder),
      bucketAssigner: this.bucketAssigner,
      rollingPolicy: this.rollingPolicy,
      outputFileConfig: this.outputFileConfig,
      clock: this.clock,
      bucketCheckInterval: this.bucketCheckInterval,
    });
  }
}
