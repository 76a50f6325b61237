import { resolve } from 'node:path';
import { OutputTag, type Boundedness, type SimpleVersionedSerializer, type Source, type SourceReaderContext, type SplitEnumeratorContext } from '@riffle/core';
import type { FileDeadLetter } from './file-dead-letter.js';
import { FileEnumeratorStateSerializer, type FileEnumeratorState } from './file-enumerator-state.js';
import type { BulkFormat, StreamFormat } from './file-source-format.js';
import { FileSourceEnumerator } from './file-source-enumerator.js';
import { FileSourceReader } from './file-source-reader.js';
import { FileSourceSplitSerializer, type FileSourceSplit } from './file-source-split.js';
import { StreamFormatAdapter } from './stream-format-adapter.js';

/** The resolved configuration of a {@link FileSource}. */
interface FileSourceConfig<T> {
  readonly paths: readonly string[];
  readonly format: BulkFormat<T>;
  /** Directory monitoring interval in ms; 0 = bounded. */
  readonly monitorInterval: number;
  /** Set when unreadable blocks become {@link FileDeadLetter}s in the stream. */
  readonly deadLetterTag: OutputTag<FileDeadLetter> | undefined;
}

/**
 * Reads files (Flink's `FileSource`), bounded or continuously monitoring directories.
 *
 * Paths are files or directories (listed recursively; names starting with `.` or `_` are
 * skipped, so a FileSink's in-progress and pending files are never read). Each file is divided
 * into splits by its format: one per file for stream formats such as text lines, one per row
 * group for Parquet. The enumerator hands splits to readers on request; each reader checkpoints
 * its current split with the number of records already emitted, and resumes there after a
 * failure. The enumerator checkpoints the unassigned splits and the paths it has already
 * processed.
 *
 * Bad input fails the job by default with an error naming the file, the block (row group) and
 * the position; with {@link FileSourceBuilder.setDeadLetterOutput} the unreadable block is
 * skipped and a {@link FileDeadLetter} emitted in its place, which a `FileDeadLetterRouter`
 * sends to the side output (as with the Kafka source).
 *
 * ```ts
 * const lines = FileSource.forRecordStreamFormat(new TextLineInputFormat(), '/data/in').build();
 * const rows = FileSource.forBulkFileFormat(ParquetFormat.forRows(), '/data/parquet')
 *   .monitorContinuously(10_000)
 *   .build();
 * ```
 */
export class FileSource<T> implements Source<T, FileSourceSplit, FileEnumeratorState> {
  /** @internal use {@link FileSource.forRecordStreamFormat} or {@link FileSource.forBulkFileFormat}. */
  constructor(private readonly config: FileSourceConfig<T>) {}

  /** A builder for a source reading each file as one stream of records (text lines). */
  static forRecordStreamFormat<T>(format: StreamFormat<T>, ...paths: string[]): FileSourceBuilder<T> {
    if (!format || typeof format.read !== 'function') throw new Error("FileSource: 'format' must be a StreamFormat (an object with read(path))");
    return new FileSourceBuilder<T>(new StreamFormatAdapter(format), paths);
  }

  /** A builder for a source reading files of a bulk format (Parquet), split by block. */
  static forBulkFileFormat<T>(format: BulkFormat<T>, ...paths: string[]): FileSourceBuilder<T> {
    if (!format || typeof format.listBlocks !== 'function' || typeof format.createReader !== 'function') {
      throw new Error("FileSource: 'format' must be a BulkFormat (an object with listBlocks(path) and createReader(path, block, skip))");
    }
    return new FileSourceBuilder<T>(format, paths);
  }

  /** The absolute paths read. */
  get paths(): readonly string[] {
    return this.config.paths;
  }

  /** The dead-letter tag, when configured. */
  get deadLetterTag(): OutputTag<FileDeadLetter> | undefined {
    return this.config.deadLetterTag;
  }

  getBoundedness(): Boundedness {
    return this.config.monitorInterval > 0 ? 'CONTINUOUS_UNBOUNDED' : 'BOUNDED';
  }

  createEnumerator(context: SplitEnumeratorContext<FileSourceSplit>): FileSourceEnumerator<T> {
    return new FileSourceEnumerator(context, this.config.paths, this.config.format, this.config.monitorInterval);
  }

  restoreEnumerator(context: SplitEnumeratorContext<FileSourceSplit>, checkpoint: FileEnumeratorState): FileSourceEnumerator<T> {
    return new FileSourceEnumerator(context, this.config.paths, this.config.format, this.config.monitorInterval, checkpoint);
  }

  createReader(context: SourceReaderContext): FileSourceReader<T> {
    return new FileSourceReader(context, this.config.format, this.config.deadLetterTag !== undefined);
  }

  getSplitSerializer(): SimpleVersionedSerializer<FileSourceSplit> {
    return new FileSourceSplitSerializer();
  }

  getEnumeratorCheckpointSerializer(): SimpleVersionedSerializer<FileEnumeratorState> {
    return new FileEnumeratorStateSerializer();
  }
}

/** Configures a {@link FileSource}; `build()` validates and throws naming the bad option. */
export class FileSourceBuilder<T> {
  private monitorInterval = 0;
  private deadLetterTag: OutputTag<FileDeadLetter> | undefined;

  constructor(
    private readonly format: BulkFormat<T>,
    private readonly paths: readonly string[],
  ) {}

  /**
   * Makes the source unbounded: the enumerator lists the paths again every `intervalMs` and
   * reads files it has not seen before (Flink's `monitorContinuously`).
   */
  monitorContinuously(intervalMs: number): this {
    this.monitorInterval = intervalMs;
    return this;
  }

  /** Reads the paths once and ends (the default). */
  processStaticFileSet(): this {
    this.monitorInterval = 0;
    return this;
  }

  /**
   * Skips unreadable blocks instead of failing the job, emitting a {@link FileDeadLetter} for
   * each (with the processing time as its timestamp; a timestamp assigner must accept them).
   * Route them to the side output `tag` with a `FileDeadLetterRouter` right after the
   * source, then read them with `getSideOutput(tag)`. The returned builder is typed for the
   * wider stream, as the Kafka source's is.
   */
  setDeadLetterOutput(tag: OutputTag<FileDeadLetter>): FileSourceBuilder<T | FileDeadLetter> {
    this.deadLetterTag = tag;
    return this as unknown as FileSourceBuilder<T | FileDeadLetter>;
  }

  build(): FileSource<T> {
    if (this.paths.length === 0) throw new Error("FileSource: 'paths' must name at least one file or directory");
    for (const p of this.paths) if (typeof p !== 'string' || p.length === 0) throw new Error(`FileSource: 'paths' must be non-empty strings, got ${JSON.stringify(p)}`);
    if (typeof this.monitorInterval !== 'number' || !Number.isFinite(this.monitorInterval) || this.monitorInterval < 0) {
      throw new Error(`FileSource: 'monitorContinuously' interval must be a positive number of ms, got ${String(this.monitorInterval)}`);
    }
    if (this.deadLetterTag !== undefined && !(this.deadLetterTag instanceof OutputTag)) throw new Error("FileSource: 'deadLetterOutput' must be an OutputTag");
    return new FileSource<T>({
      paths: this.paths.map((p) => resolve(p)),
      format: this.format,
      monitorInterval: this.monitorInterval,
      deadLetterTag: this.deadLetterTag,
    });
  }
}
