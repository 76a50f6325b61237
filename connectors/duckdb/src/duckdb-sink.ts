import type {
  DeliveryGuarantee,
  SimpleVersionedSerializer,
  SinkInitContext,
  StatefulSink,
  TwoPhaseCommittingSink,
} from '@riffle/core';
import type { DuckDbColumn } from './column-types.js';
import { DuckDbCommittableSerializer, DuckDbWriterStateSerializer, type DuckDbCommittable, type DuckDbWriterState } from './duckdb-committable.js';
import { DuckDbCommitter } from './duckdb-committer.js';
import { validateDuckDbSinkOptions, type DuckDbSinkOptions, type DuckDbWriteMode } from './duckdb-sink-options.js';
import { DuckDbSinkWriter } from './duckdb-sink-writer.js';

/**
 * Writes records (plain objects whose fields are the table's columns) into a DuckDB table.
 * Build it with {@link DuckDbSink.builder}. The sink object is part of the job graph: it opens
 * nothing until the runtime creates its writers and committers.
 *
 * Delivery: EXACTLY_ONCE stages each checkpoint's rows per subtask in a DuckDB file and commits
 * them with a commit marker in one transaction when the checkpoint completes (replays are no-ops);
 * AT_LEAST_ONCE and NONE write through at every flush (checkpoint barrier and end of input).
 * One process owns the database file; see the package README.
 */
export class DuckDbSink<T extends object>
  implements TwoPhaseCommittingSink<T, DuckDbCommittable>, StatefulSink<T, DuckDbWriterState>
{
  /** Starts a builder. */
  static builder<T extends object>(): DuckDbSinkBuilder<T> {
    return new DuckDbSinkBuilder<T>();
  }

  /** Use {@link DuckDbSink.builder}. */
  constructor(readonly options: DuckDbSinkOptions) {}

  createWriter(context: SinkInitContext): Promise<DuckDbSinkWriter<T>> {
    return DuckDbSinkWriter.open<T>(this.options, context);
  }

  restoreWriter(context: SinkInitContext, states: readonly DuckDbWriterState[]): Promise<DuckDbSinkWriter<T>> {
    return DuckDbSinkWriter.open<T>(this.options, context, states);
  }

  createCommitter(): DuckDbCommitter {
    return new DuckDbCommitter(this.options);
  }

  getCommittableSerializer(): SimpleVersionedSerializer<DuckDbCommittable> {
    return new DuckDbCommittableSerializer();
  }

  getWriterStateSerializer(): SimpleVersionedSerializer<DuckDbWriterState> {
    return new DuckDbWriterStateSerializer();
  }
}

/** Builder of a {@link DuckDbSink}; every option is checked at {@link DuckDbSinkBuilder.build}. */
export class DuckDbSinkBuilder<T extends object> {
  private database: string | undefined;
  private table: string | undefined;
  private columns: readonly DuckDbColumn[] | undefined;
  private primaryKey: readonly string[] | undefined;
  private writeMode: DuckDbWriteMode | undefined;
  private deliveryGuarantee: DeliveryGuarantee | undefined;
  private batchSize: number | undefined;
  private stagingDirectory: string | undefined;
  private deadLetterTable: string | undefined;

  /** The database file (created when absent). Required. */
  setDatabase(path: string): this {
    this.database = path;
    return this;
  }

  /** The table (`name` or `schema.name`), created when absent. Required. */
  setTable(name: string): this {
    this.table = name;
    return this;
  }

  /** Declares the columns (record fields of the same names). Otherwise derived from the first record. */
  setColumns(columns: readonly DuckDbColumn[]): this {
    this.columns = columns;
    return this;
  }

  /** The primary key of a created table; required for upsert. */
  setPrimaryKey(columns: readonly string[]): this {
    this.primaryKey = columns;
    return this;
  }

  /** `append` (default) or `upsert` (insert or update by primary key, last value wins). */
  setWriteMode(mode: DuckDbWriteMode): this {
    this.writeMode = mode;
    return this;
  }

  /** NONE, AT_LEAST_ONCE (default) or EXACTLY_ONCE. */
  setDeliveryGuarantee(guarantee: DeliveryGuarantee): this {
    this.deliveryGuarantee = guarantee;
    return this;
  }

  /** Rows the appender buffers before handing them to DuckDB (default 10,000). */
  setBatchSize(rows: number): this {
    this.batchSize = rows;
    return this;
  }

  /** Where EXACTLY_ONCE stages checkpoint rows (default `<database>.riffle-staging`). */
  setStagingDirectory(dir: string): this {
    this.stagingDirectory = dir;
    return this;
  }

  /**
   * Routes records that do not fit the columns (wrong type, out of range, null key) into this
   * table, with the error and the record as JSON, instead of failing the job. They are committed
   * with the good rows of the same checkpoint and counted (`rejectedRecords` of the writer, and
   * `rejected_count` of the commit marker).
   */
  setDeadLetterTable(name: string): this {
    this.deadLetterTable = name;
    return this;
  }

  /** Validates the options (an error names the bad option) and builds the sink. */
  build(): DuckDbSink<T> {
    return new DuckDbSink<T>(
      validateDuckDbSinkOptions({
        database: this.database,
        table: this.table,
        columns: this.columns,
        primaryKey: this.primaryKey,
        writeMode: this.writeMode,
        deliveryGuarantee: this.deliveryGuarantee,
        batchSize: this.batchSize,
        stagingDirectory: this.stagingDirectory,
        deadLetterTable: this.deadLetterTable,
      }),
    );
  }
}
