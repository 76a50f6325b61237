import { BIGINT, BOOLEAN, DOUBLE, DuckDBTimestampValue, INTEGER, TIMESTAMP, VARCHAR, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

/** The DuckDB column types the sink writes. Riffle values map to them as listed in the README. */
export type DuckDbColumnType = 'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'TIMESTAMP';

/** All supported column types. */
export const DUCKDB_COLUMN_TYPES: readonly DuckDbColumnType[] = ['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'VARCHAR', 'TIMESTAMP'];

/** One column of the sink's table: a record field of the same name, written as `type`. */
export interface DuckDbColumn {
  readonly name: string;
  readonly type: DuckDbColumnType;
}

/** What a {@link ValueConverter} returns for a value that does not fit its column. */
export const INVALID: unique symbol = Symbol('invalid DuckDB value');

/**
 * Converts one non-null record field to the DuckDB value of its column, or returns
 * {@link INVALID} when it does not fit (chosen once per writer, not per record). A value of the
 * wrong type is never coerced silently (a string in a DOUBLE column would become NaN).
 */
export type ValueConverter = (value: unknown) => DuckDBValue | typeof INVALID;

const toBoolean: ValueConverter = (v) => (typeof v === 'boolean' ? v : INVALID);
const toInteger: ValueConverter = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? v : INVALID);
const toBigInt: ValueConverter = (v) => (typeof v === 'bigint' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : INVALID);
const toDouble: ValueConverter = (v) => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : INVALID);
const toVarchar: ValueConverter = (v) =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : INVALID;
const toTimestamp: ValueConverter = (v) => {
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Number.NaN;
  return Number.isFinite(ms) ? new DuckDBTimestampValue(BigInt(Math.round(ms)) * 1000n) : INVALID;
};

/** The converter of a column type. */
export function valueConverter(type: DuckDbColumnType): ValueConverter {
  switch (type) {
    case 'BOOLEAN':
      return toBoolean;
    case 'INTEGER':
      return toInteger;
    case 'BIGINT':
      return toBigInt;
    case 'DOUBLE':
      return toDouble;
    case 'VARCHAR':
      return toVarchar;
    case 'TIMESTAMP':
      return toTimestamp;
  }
}

/** The DuckDB logical type of a column type. */
export function duckDbType(type: DuckDbColumnType): DuckDBType {
  switch (type) {
    case 'BOOLEAN':
      return BOOLEAN;
    case 'INTEGER':
      return INTEGER;
    case 'BIGINT':
      return BIGINT;
    case 'DOUBLE':
      return DOUBLE;
    case 'VARCHAR':
      return VARCHAR;
    case 'TIMESTAMP':
      return TIMESTAMP;
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
