import { DuckDBTimestampValue, type DuckDBAppender } from '@duckdb/node-api';

/** The DuckDB column types the sink writes. Riffle values map to them as listed in the README. */
export type DuckDbColumnType = 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'TIMESTAMP';

/** All supported column types. */
export const DUCKDB_COLUMN_TYPES: readonly DuckDbColumnType[] = ['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'VARCHAR', 'TIMESTAMP'];

/** One column of the sink's table: a record field of the same name, written as `type`. */
export interface DuckDbColumn {
  readonly name: string;
  readonly type: DuckDbColumnType;
}

/** Appends one non-null value of a column. */
export type ValueAppender = (appender: DuckDBAppender, value: unknown) => void;

const appendBoolean: ValueAppender = (a, v) => a.appendBoolean(v as boolean);
const appendInteger: ValueAppender = (a, v) => a.appendInteger(v as number);
const appendBigInt: ValueAppender = (a, v) => a.appendBigInt(typeof v === 'bigint' ? v : BigInt(v as number));
const appendDouble: ValueAppender = (a, v) => a.appendDouble(v as number);
const appendVarchar: ValueAppender = (a, v) => a.appendVarchar(typeof v === 'string' ? v : String(v));
const appendTimestamp: ValueAppender = (a, v) => {
  const ms = v instanceof Date ? v.getTime() : (v as number);
  a.appendTimestamp(new DuckDBTimestampValue(BigInt(Math.round(ms)) * 1000n));
};

/** The appender function of a column type (chosen once per writer, not per record). */
export function valueAppender(type: DuckDbColumnType): ValueAppender {
  switch (type) {
    case 'BOOLEAN':
      return appendBoolean;
    case 'INTEGER':
      return appendInteger;
    case 'BIGINT':
      return appendBigInt;
    case 'DOUBLE':
      return appendDouble;
    case 'VARCHAR':
      return appendVarchar;
    case 'TIMESTAMP':
      return appendTimestamp;
  }
}

/**
 * Derives the columns from a sample record (the first record the writer sees, or one given to
 * the builder): numbers become DOUBLE (a later fraction must still fit), bigints BIGINT, strings
 * VARCHAR, booleans BOOLEAN, Dates TIMESTAMP. A null, undefined or nested field cannot be typed:
 * that is an error naming the field, asking for `setColumns`.
 */
export function deriveColumns(sample: object): DuckDbColumn[] {
  const columns: DuckDbColumn[] = [];
  for (const [name, value] of Object.entries(sample)) {
    let type: DuckDbColumnType;
    if (typeof value === 'number') type = 'DOUBLE';
    else if (typeof value === 'bigint') type = 'BIGINT';
    else if (typeof value === 'string') type = 'VARCHAR';
    else if (typeof value === 'boolean') type = 'BOOLEAN';
    else if (value instanceof Date) type = 'TIMESTAMP';
    else
      throw new Error(
        `DuckDbSink: cannot derive the DuckDB type of field "${name}" from the record (${value === null ? 'null' : typeof value}); declare the columns with setColumns([...])`,
      );
    columns.push({ name, type });
  }
  if (columns.length === 0) throw new Error('DuckDbSink: cannot derive columns from a record without fields; declare them with setColumns([...])');
  return columns;
}
