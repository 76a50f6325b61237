export { DuckDbSink, DuckDbSinkBuilder } from './duckdb-sink.js';
export { DuckDbSinkWriter } from './duckdb-sink-writer.js';
export { DuckDbCommitter } from './duckdb-committer.js';
export {
  DuckDbCommittableSerializer,
  DuckDbWriterStateSerializer,
  type DuckDbCommittable,
  type DuckDbWriterState,
} from './duckdb-committable.js';
export { DUCKDB_SINK_DEFAULTS, type DuckDbSinkOptions, type DuckDbWriteMode } from './duckdb-sink-options.js';
export { DUCKDB_COLUMN_TYPES, deriveColumns, type DuckDbColumn, type DuckDbColumnType } from './column-types.js';
export { DatabaseLock, DatabaseLockedError } from './database-lock.js';
export { COMMIT_MARKER_TABLE } from './table-operations.js';
export { DuckDbSource, DuckDbSourceBuilder } from './duckdb-source.js';
export { DuckDbSourceEnumerator } from './duckdb-source-enumerator.js';
export { DuckDbSourceReader } from './duckdb-source-reader.js';
export type { DuckDbSourceOptions } from './duckdb-source-options.js';
export { DuckDbSplitSerializer, DuckDbEnumStateSerializer, type DuckDbSplit, type DuckDbEnumState } from './duckdb-split.js';
export { queryDuckDb } from './query-database.js';
