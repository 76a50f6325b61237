import type { Boundedness, SimpleVersionedSerializer, Source, SourceReaderContext, SplitEnumeratorContext } from '@riffle/core';
import { validateDuckDbSourceOptions, type DuckDbSourceOptions } from './duckdb-source-options.js';
import { DuckDbEnumStateSerializer, DuckDbSplitSerializer, type DuckDbEnumState, type DuckDbSplit } from './duckdb-split.js';
import { DuckDbSourceEnumerator } from './duckdb-source-enumerator.js';
import { DuckDbSourceReader } from './duckdb-source-reader.js';

/**
 * Reads a DuckDB table or query as a bounded FLIP-27 source, split into ranges of a numeric
 * column (a table's `rowid` by default) so that readers in parallel subtasks each read their own
 * ranges. Records are objects keyed by column name. The database is opened read-only, so it must
 * not be open for writing by another process (nor by a sink of the same job). Build with
 * {@link DuckDbSource.builder}; the source opens nothing until the runtime starts it.
 */
export class DuckDbSource<T = Record<string, unknown>> implements Source<T, DuckDbSplit, DuckDbEnumState> {
  /** Starts a builder. */
  static builder<T = Record<string, unknown>>(): DuckDbSourceBuilder<T> {
    return new DuckDbSourceBuilder<T>();
  }

  /** Use {@link DuckDbSource.builder}. */
  constructor(readonly options: DuckDbSourceOptions) {}

  getBoundedness(): Boundedness {
    return 'BOUNDED';
  }

  createEnumerator(context: SplitEnumeratorContext<DuckDbSplit>): DuckDbSourceEnumerator {
    return new DuckDbSourceEnumerator(context, this.options);
  }

  restoreEnumerator(context: SplitEnumeratorContext<DuckDbSplit>, checkpoint: DuckDbEnumState): DuckDbSourceEnumerator {
    return new DuckDbSourceEnumerator(context, this.options, checkpoint);
  }

  createReader(context: SourceReaderContext): DuckDbSourceReader<T> {
    return new DuckDbSourceReader<T>(context, this.options);
  }

  getSplitSerializer(): SimpleVersionedSerializer<DuckDbSplit> {
    return new DuckDbSplitSerializer();
  }

  getEnumeratorCheckpointSerializer(): SimpleVersionedSerializer<DuckDbEnumState> {
    return new DuckDbEnumStateSerializer();
  }
}

/** Builder of a {@link DuckDbSource}; options are checked at {@link DuckDbSourceBuilder.build}. */
export class DuckDbSourceBuilder<T> {
  private readonly raw: Partial<Record<keyof DuckDbSourceOptions, unknown>> = {};

  /** The database file. Required. */
  setDatabase(path: string): this {
    this.raw.database = path;
    return this;
  }

  /** Reads a whole table (split by `rowid` unless {@link setSplitColumn}). Either this or {@link setQuery}. */
  setTable(name: string): this {
    this.raw.table = name;
    return this;
  }

  /** Reads the result of a query; without a split column it is one split. */
  setQuery(sql: string): this {
    this.raw.query = sql;
    return this;
  }

  /** The numeric column whose `[min, max]` is cut into ranges. */
  setSplitColumn(column: string): this {
    this.raw.splitColumn = column;
    return this;
  }

  /** Number of ranges (default: twice the source parallelism). */
  setNumSplits(n: number): this {
    this.raw.numSplits = n;
    return this;
  }

  /** Rows a reader emits per poll at most (default 1,024). */
  setPollBatchSize(n: number): this {
    this.raw.pollBatchSize = n;
    return this;
  }

  /** Validates the options (an error names the bad option) and builds the source. */
  build(): DuckDbSource<T> {
    return new DuckDbSource<T>(validateDuckDbSourceOptions(this.raw));
  }
}
