import type { DuckDBConnection } from '@duckdb/node-api';
import { qualifiedTable, quoteIdent, quoteLiteral } from './sql.js';

/** A column as DuckDB reports it (type as SQL text). */
export interface ColumnDefinition {
  readonly name: string;
  readonly type: string;
}

/** Name of the commit-marker table, in the same schema as the sink's table. */
export const COMMIT_MARKER_TABLE = '_riffle_sink_commits';

/** Creates `catalog.table` with the columns and primary key unless it exists. */
export async function ensureTable(
  conn: DuckDBConnection,
  catalog: string,
  table: string,
  columns: readonly ColumnDefinition[],
  primaryKey: readonly string[],
): Promise<void> {
  const defs = columns.map((c) => `${quoteIdent(c.name)} ${c.type}`);
  if (primaryKey.length > 0) defs.push(`PRIMARY KEY (${primaryKey.map(quoteIdent).join(', ')})`);
  await conn.run(`CREATE TABLE IF NOT EXISTS ${qualifiedTable(table, catalog)} (${defs.join(', ')})`);
}

/** Creates the commit-marker table in `catalog` unless it exists. */
export async function ensureMarkerTable(conn: DuckDBConnection, catalog: string): Promise<void> {
  await conn.run(
    `CREATE TABLE IF NOT EXISTS ${qualifiedTable(COMMIT_MARKER_TABLE, catalog)} (` +
      'transaction_id VARCHAR PRIMARY KEY, job_id VARCHAR NOT NULL, subtask_id INTEGER NOT NULL, ' +
      'checkpoint_sequence BIGINT NOT NULL, table_name VARCHAR NOT NULL, row_count BIGINT NOT NULL, rejected_count BIGINT NOT NULL, committed_at TIMESTAMP NOT NULL)',
  );
}

/**
 * Copies every row of `source` (a qualified table) into `catalog.table`. In upsert mode the rows
 * are first de-duplicated by key, the last appended (highest rowid) winning, because DuckDB's
 * `ON CONFLICT` refuses a key twice in one statement; then existing keys are updated.
 */
export async function moveRows(
  conn: DuckDBConnection,
  source: string,
  catalog: string,
  table: string,
  columns: readonly ColumnDefinition[],
  writeMode: 'append' | 'upsert',
  primaryKey: readonly string[],
): Promise<void> {
  const names = columns.map((c) => quoteIdent(c.name)).join(', ');
  const target = qualifiedTable(table, catalog);
  if (writeMode === 'append') {
    await conn.run(`INSERT INTO ${target} (${names}) SELECT ${names} FROM ${source}`);
    return;
  }
  const key = primaryKey.map(quoteIdent).join(', ');
  const rest = columns.filter((c) => !primaryKey.includes(c.name));
  const action = rest.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${rest.map((c) => `${quoteIdent(c.name)} = excluded.${quoteIdent(c.name)}`).join(', ')}`;
  await conn.run(
    `INSERT INTO ${target} (${names}) SELECT ${names} FROM ${source} ` +
      `QUALIFY row_number() OVER (PARTITION BY ${key} ORDER BY rowid DESC) = 1 ON CONFLICT (${key}) ${action}`,
  );
}

/** The columns of a table of an attached database, in order. */
export async function describeColumns(conn: DuckDBConnection, catalog: string, table: string): Promise<ColumnDefinition[]> {
  const reader = await conn.runAndReadAll(
    `SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ${quoteLiteral(catalog)} AND table_name = ${quoteLiteral(table)} ORDER BY column_index`,
  );
  return reader.getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));
}

/** Columns of the dead-letter table (and of the writer's `rejected` staging table). */
export const DEAD_LETTER_COLUMNS: readonly ColumnDefinition[] = [
  { name: 'table_name', type: 'VARCHAR' },
  { name: 'subtask_id', type: 'INTEGER' },
  { name: 'field', type: 'VARCHAR' },
  { name: 'error', type: 'VARCHAR' },
  { name: 'record', type: 'VARCHAR' },
  { name: 'rejected_at', type: 'TIMESTAMP' },
];

/** Copies the staged rejected records (`source`) into the dead-letter table, creating it when absent. */
export async function moveRejected(conn: DuckDBConnection, source: string, catalog: string, deadLetterTable: string): Promise<void> {
  await ensureTable(conn, catalog, deadLetterTable, DEAD_LETTER_COLUMNS, []);
  const names = DEAD_LETTER_COLUMNS.map((c) => quoteIdent(c.name)).join(', ');
  await conn.run(`INSERT INTO ${qualifiedTable(deadLetterTable, catalog)} (${names}) SELECT ${names} FROM ${source}`);
}
