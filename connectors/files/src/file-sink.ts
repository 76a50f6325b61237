import { resolve } from 'node:path';
import type { SimpleVersionedSerializer, SinkInitContext, StatefulSink, TwoPhaseCommittingSink } from '@riffle/core';
import { DateTimeBucketAssigner, type BucketAssigner } from './bucket-assigner.js';
import type { FileSinkCommittable, FileWriterBucketState } from './committable.js';
import type { Encoder } from './encoder.js';
import { FileCommitter } from './file-committer.js';
import { FileWriter, type FileWriterConfig } from './file-writer.js';
import { OutputFileConfig } from './output-file-config.js';
import { RowPartFileFactory } from './row-part-file.js';
import { DefaultRollingPolicy, OnCheckpointRollingPolicy, type RollingPolicy } from './rolling-policy.js';
import { BulkPartFileFactory, type BulkWriterFactory } from './bulk-format.js';
import type { PartFileFactory } from './part-file.js';
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
 * Build it with {@link FileSink.forRowFormat} (records encoded one by one, resumable part files)
 * or {@link FileSink.forBulkFormat} (block formats such as Parquet, rolled at every checkpoint).
 */
export class FileSink<T> implements TwoPhaseCommittingSink<T, FileSinkCommittable>, StatefulSink<T, FileWriterBucketState> {
  /** @internal use {@link FileSink.forRowFormat}. */
  constructor(private readonly config: FileWriterConfig<T>) {}

  /** A builder for a sink writing each record with `encoder` under `basePath`. */
  static forRowFormat<T>(basePath: string, encoder: Encoder<T>): RowFormatBuilder<T> {
    return new RowFormatBuilder<T>(basePath, encoder);
  }

  /** A builder for a sink writing part files of a bulk format (Parquet) with `writerFactory`. */
  static forBulkFormat<T>(basePath: string, writerFactory: BulkWriterFactory<T>): BulkFormatBuilder<T> {
    return new BulkFormatBuilder<T>(basePath, writerFactory);
  }

  /** The absolute base directory. */
  get basePath(): string {
    return this.config.basePath;
  }

  /** A writer without state; in a later attempt it first deletes the hidden files earlier attempts left. */
  createWriter(context: SinkInitContext): FileWriter<T> {
    const writer = new FileWriter(this.config, context);
    if (context.getAttemptNumber() > 0) writer.discardOrphans();
    return writer;
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

/** Records of one event-loop turn that share one reading of the default system clock. */
const SYSTEM_CLOCK_STRIDE = 16;

/**
 * The options every {@link FileSink} builder shares. Defaults: {@link DateTimeBucketAssigner}
 * (`yyyy-MM-dd--HH`, UTC), {@link OutputFileConfig.defaults} (`part`, no suffix), `Date.now` as
 * the clock (up to 16 records of one event-loop turn share a reading; a record arriving after a
 * pause always gets a fresh one), processing-time rolling checked at most every 60 s; the rolling
 * policy's default depends on the format. `build()` validates and throws naming the bad option.
 */
export abstract class FileSinkBuilder<T> {
  protected bucketAssigner: BucketAssigner<T> = new DateTimeBucketAssigner<T>();
  protected abstract rollingPolicy: RollingPolicy<T>;
  protected outputFileConfig = OutputFileConfig.defaults();
  protected clock: () => number = Date.now;
  /** Whether `clock` is still the default system clock (read once per 16 records of a turn, see build()). */
  private systemClock = true;
  protected bucketCheckInterval = 60_000;

  constructor(protected readonly basePath: string) {}

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

  /** The processing-time clock (epoch ms), for tests; default `Date.now`. It is read for every record. */
  withClock(clock: () => number): this {
    this.clock = clock;
    this.systemClock = false;
    return this;
  }

  /** The format of part files, validated. */
  protected abstract partFileFactory(): PartFileFactory<T>;

  build(): FileSink<T> {
    if (typeof this.basePath !== 'string' || this.basePath.length === 0) throw new Error("FileSink: 'basePath' must be a non-empty directory path");
    const partFileFactory = this.partFileFactory();
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
      partFileFactory,
      bucketAssigner: this.bucketAssigner,
      rollingPolicy: this.rollingPolicy,
      outputFileConfig: this.outputFileConfig,
      clock: this.clock,
      // Reading the system clock costs 25-60 ns, as much as the rest of the per-record work: up
      // to 16 records of one event-loop turn (microseconds apart) share a reading.
      clockStride: this.systemClock ? SYSTEM_CLOCK_STRIDE : 1,
      bucketCheckInterval: this.bucketCheckInterval,
    });
  }
}

/**
 * Configures a row-format {@link FileSink} ({@link FileSink.forRowFormat}): records are encoded
 * one by one and part files can be resumed after a failure. Default rolling policy:
 * {@link DefaultRollingPolicy} (128 MiB / 60 s / 60 s).
 */
export class RowFormatBuilder<T> extends FileSinkBuilder<T> {
  protected rollingPolicy: RollingPolicy<T> = DefaultRollingPolicy.builder().build<T>();

  constructor(
    basePath: string,
    private readonly encoder: Encoder<T>,
  ) {
    super(basePath);
  }

  protected partFileFactory(): PartFileFactory<T> {
    if (!this.encoder || typeof this.encoder.encode !== 'function') throw new Error("FileSink: 'encoder' must be an Encoder (an object with encode(element, out))");
    return new RowPartFileFactory(this.encoder);
  }
}

/**
 * Configures a bulk-format {@link FileSink} ({@link FileSink.forBulkFormat}): a
 * `BulkWriter` per part file encodes records in blocks and writes a footer when the file
 * rolls. Bulk part files cannot be resumed, so every one rolls at each checkpoint; the rolling
 * policy (default {@link OnCheckpointRollingPolicy}) may roll earlier by size or time.
 */
export class BulkFormatBuilder<T> extends FileSinkBuilder<T> {
  protected rollingPolicy: RollingPolicy<T> = new OnCheckpointRollingPolicy<T>();

  constructor(
    basePath: string,
    private readonly writerFactory: BulkWriterFactory<T>,
  ) {
    super(basePath);
  }

  protected partFileFactory(): PartFileFactory<T> {
    if (!this.writerFactory || typeof this.writerFactory.create !== 'function') throw new Error("FileSink: 'writerFactory' must be a BulkWriterFactory (an object with create(out))");
    return new BulkPartFileFactory(this.writerFactory);
  }
}
