import { DuckDBInstance } from '@duckdb/node-api';
import { explainLockError } from './database-lock.js';
import type { DuckDbSourceOptions } from './duckdb-source-options.js';
import type { DuckDbSplit } from './duckdb-split.js';
import { qualifiedTable, quoteIdent } from './sql.js';

/** The relation the source reads: the table itself (so `rowid` is visible) or the query as a subquery. */
function relation(o: DuckDbSourceOptions): string {
  return o.table !== undefined ? qualifiedTable(o.table) : `(${o.query}) AS riffle_source`;
}

/** The SQL of one split: its range of the split column, in that column's order, past its offset. */
export function splitQuery(o: DuckDbSourceOptions, s: DuckDbSplit): string {
  const select = `SELECT * FROM ${relation(o)}`;
  const offset = s.offset > 0 ? ` OFFSET ${s.offset}` : '';
  if (o.splitColumn === undefined) return `${select}${offset}`;
  const c = quoteIdent(o.splitColumn);
  const where: string[] = [];
  if (s.lower !== null) where.push(`${c} >= ${s.lower}`);
  if (s.upper !== null) where.push(`${c} ${s.upperInclusive ? '<=' : '<'} ${s.upper}`);
  // Rows whose split column is NULL belong to the first range (the one open below).
  let filter = where.join(' AND ');
  if (s.lower === null) filter = filter.length > 0 ? `(${filter} OR ${c} IS NULL)` : '';
  return `${select}${filter.length > 0 ? ` WHERE ${filter}` : ''} ORDER BY ${c}${offset}`;
}

/** Opens the database read-only, explaining a lock held by another process. */
export async function openReadOnly(database: string): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' });
  } catch (e) {
    throw explainLockError(database, e);
  }
}

/**
 * Splits the split column's `[min, max]` into `n` ranges (integral bounds when the column's
 * values are integral). The first range is open below and the last above, so no row is missed.
 */
export async function computeSplits(o: DuckDbSourceOptions, n: number): Promise<DuckDbSplit[]> {
  if (o.splitColumn === undefined) return [{ splitId: 'all', lower: null, upper: null, upperInclusive: false, offset: 0 }];
  const instance = await openReadOnly(o.database);
  try {
    const conn = await instance.connect();
    try {
      const c = quoteIdent(o.splitColumn);
      const reader = await conn.runAndReadAll(`SELECT min(${c})::DOUBLE, max(${c})::DOUBLE, count(*) FILTER (WHERE ${c} <> floor(${c}))::BIGINT FROM ${relation(o)}`);
      const [min, max, fractional] = reader.getRows()[0]! as [number | null, number | null, bigint];
      if (min === null || max === null) return [{ splitId: 'range-0', lower: null, upper: null, upperInclusive: false, offset: 0 }];
      const integral = fractional === 0n;
      const count = integral ? Math.max(1, Math.min(n, max - min + 1)) : n;
      const step = integral ? Math.ceil((max - min + 1) / count) : (max - min) / count;
      const splits: DuckDbSplit[] = [];
      for (let i = 0; i < count; i++) {
        const lower = i === 0 ? null : min + i * step;
        const upper = i === count - 1 ? null : min + (i + 1) * step;
        splits.push({ splitId: `range-${i}`, lower, upper, upperInclusive: false, offset: 0 });
      }
      return splits;
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
