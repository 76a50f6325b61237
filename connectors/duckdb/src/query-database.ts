import { openReadOnly } from './split-queries.js';

/**
 * Runs one SQL query against a database file, read-only, and returns its rows as plain objects
 * (BIGINTs as numbers when they fit, else bigint; timestamps as `Date`). For tools and examples
 * that inspect a warehouse after a job ended; a job reads with `DuckDbSource`. Fails with a clear
 * error when another process holds the file.
 */
export async function queryDuckDb(database: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await openReadOnly(database);
  try {
    const conn = await instance.connect();
    try {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjects().map((row) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(row)) out[k] = plain(v);
        return out;
      });
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (v !== null && typeof v === 'object' && 'micros' in v) return new Date(Number((v as { micros: bigint }).micros / 1000n));
  if (v !== null && typeof v === 'object' && 'toDouble' in v && typeof (v as { toDouble: unknown }).toDouble === 'function') return (v as { toDouble(): number }).toDouble();
  return v;
}
