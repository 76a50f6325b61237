import { DeliveryGuarantee, isDeliveryGuarantee } from '@riffle/core';
import { DUCKDB_COLUMN_TYPES, type DuckDbColumn } from './column-types.js';

/** How rows reach the table: appended, or inserted-or-updated by primary key. */
export type DuckDbWriteMode = 'append' | 'upsert';

/** The validated configuration of a {@link DuckDbSink}. */
export interface DuckDbSinkOptions {
  /** Path of the DuckDB database file (created when absent). */
  readonly database: string;
  /** Table name, optionally `schema.table`; created when absent. */
  readonly table: string;
  /** Declared columns; `undefined` = derived from the first record. */
  readonly columns: readonly DuckDbColumn[] | undefined;
  readonly primaryKey: readonly string[];
  readonly writeMode: DuckDbWriteMode;
  readonly deliveryGuarantee: DeliveryGuarantee;
  /** Rows buffered by the appender before it hands them to DuckDB. */
  readonly batchSize: number;
  /** Where EXACTLY_ONCE stages checkpoint rows; default `<database>.riffle-staging`. */
  readonly stagingDirectory: string;
  /**
   * Table that receives records that do not fit the columns (with the error), in the same
   * transaction as the good rows; `undefined` = such a record fails the job (the default).
   */
  readonly deadLetterTable: string | undefined;
}

/** Defaults of the optional settings. */
export const DUCKDB_SINK_DEFAULTS = {
  writeMode: 'append' as DuckDbWriteMode,
  deliveryGuarantee: DeliveryGuarantee.AT_LEAST_ONCE as DeliveryGuarantee,
  batchSize: 10_000,
};

function fail(option: string, problem: string): never {
  throw new Error(`DuckDbSink: invalid option ${option}: ${problem}`);
}

/** Checks raw builder settings and returns the options, or throws an error naming the option. */
export function validateDuckDbSinkOptions(raw: {
  database?: unknown;
  table?: unknown;
  columns?: unknown;
  primaryKey?: unknown;
  writeMode?: unknown;
  deliveryGuarantee?: unknown;
  batchSize?: unknown;
  stagingDirectory?: unknown;
  deadLetterTable?: unknown;
}): DuckDbSinkOptions {
  if (typeof raw.database !== 'string' || raw.database.length === 0) fail('database', 'set the database file path with setDatabase(path)');
  if (raw.database === ':memory:') fail('database', 'an in-memory database cannot be shared by subtasks; give a file path');
  if (typeof raw.table !== 'string' || raw.table.trim().length === 0) fail('table', 'set the table name with setTable(name)');
  if (raw.table.split('.').length > 2 || raw.table.split('.').some((p) => p.length === 0)) fail('table', `"${raw.table}" is not "table" or "schema.table"`);

  let columns: DuckDbColumn[] | undefined;
  if (raw.columns !== undefined) {
    if (!Array.isArray(raw.columns) || raw.columns.length === 0) fail('columns', 'expected a non-empty array of { name, type }');
    const seen = new Set<string>();
    columns = raw.columns.map((c: unknown, i: number) => {
      const col = c as Partial<DuckDbColumn>;
      if (typeof col?.name !== 'string' || col.name.length === 0) fail('columns', `column ${i} has no name`);
      if (!DUCKDB_COLUMN_TYPES.includes(col.type!)) fail('columns', `column "${col.name}" has type ${String(col.type)}; expected one of ${DUCKDB_COLUMN_TYPES.join(', ')}`);
      if (seen.has(col.name)) fail('columns', `column "${col.name}" appears twice`);
      seen.add(col.name);
      return { name: col.name, type: col.type! };
    });
  }

  const primaryKey = raw.primaryKey ?? [];
  if (!Array.isArray(primaryKey) || primaryKey.some((k) => typeof k !== 'string' || k.length === 0)) fail('primaryKey', 'expected an array of column names');
  if (new Set(primaryKey).size !== primaryKey.length) fail('primaryKey', 'a column appears twice');
  if (columns !== undefined) {
    for (const k of primaryKey as string[]) if (!columns.some((c) => c.name === k)) fail('primaryKey', `"${k}" is not one of the columns`);
  }

  const writeMode = raw.writeMode ?? DUCKDB_SINK_DEFAULTS.writeMode;
  if (writeMode !== 'append' && writeMode !== 'upsert') fail('writeMode', `expected 'append' or 'upsert', got ${String(writeMode)}`);
  if (writeMode === 'upsert' && primaryKey.length === 0) fail('primaryKey', "upsert mode needs a primary key: setPrimaryKey([...])");

  const deliveryGuarantee = raw.deliveryGuarantee ?? DUCKDB_SINK_DEFAULTS.deliveryGuarantee;
  if (!isDeliveryGuarantee(deliveryGuarantee)) fail('deliveryGuarantee', `expected NONE, AT_LEAST_ONCE or EXACTLY_ONCE, got ${String(deliveryGuarantee)}`);

  const batchSize = raw.batchSize ?? DUCKDB_SINK_DEFAULTS.batchSize;
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1) fail('batchSize', `expected a positive integer, got ${String(batchSize)}`);

  const stagingDirectory = raw.stagingDirectory ?? `${raw.database}.riffle-staging`;
  if (typeof stagingDirectory !== 'string' || stagingDirectory.length === 0) fail('stagingDirectory', 'expected a directory path');

  const deadLetterTable = raw.deadLetterTable;
  if (deadLetterTable !== undefined) {
    if (typeof deadLetterTable !== 'string' || deadLetterTable.length === 0 || deadLetterTable.split('.').length > 2) fail('deadLetterTable', `"${String(deadLetterTable)}" is not "table" or "schema.table"`);
    if (deadLetterTable === raw.table) fail('deadLetterTable', 'must differ from the table');
  }

  return { database: raw.database, table: raw.table, columns, primaryKey: primaryKey as string[], writeMode, deliveryGuarantee, batchSize, stagingDirectory, deadLetterTable };
}
