/** The validated configuration of a {@link DuckDbSource}. */
export interface DuckDbSourceOptions {
  readonly database: string;
  /** The table read (`name` or `schema.name`), or `undefined` when a query is given. */
  readonly table: string | undefined;
  /** The query read, or `undefined` when a table is given. */
  readonly query: string | undefined;
  /** The numeric column the ranges split; a table defaults to its `rowid`; a query without one is one split. */
  readonly splitColumn: string | undefined;
  /** Number of ranges; `undefined` = twice the source parallelism. */
  readonly numSplits: number | undefined;
  /** Rows a reader emits per poll at most. */
  readonly pollBatchSize: number;
}

function fail(option: string, problem: string): never {
  throw new Error(`DuckDbSource: invalid option ${option}: ${problem}`);
}

/** Checks raw builder settings and returns the options, or throws an error naming the option. */
export function validateDuckDbSourceOptions(raw: Partial<Record<keyof DuckDbSourceOptions, unknown>>): DuckDbSourceOptions {
  if (typeof raw.database !== 'string' || raw.database.length === 0) fail('database', 'set the database file path with setDatabase(path)');
  if (raw.table !== undefined && raw.query !== undefined) fail('query', 'set either a table or a query, not both');
  if (raw.table === undefined && raw.query === undefined) fail('table', 'set a table with setTable(name) or a query with setQuery(sql)');
  if (raw.table !== undefined && (typeof raw.table !== 'string' || raw.table.length === 0 || raw.table.split('.').length > 2)) fail('table', `"${String(raw.table)}" is not "table" or "schema.table"`);
  if (raw.query !== undefined && (typeof raw.query !== 'string' || raw.query.trim().length === 0)) fail('query', 'expected SQL text');
  if (raw.splitColumn !== undefined && (typeof raw.splitColumn !== 'string' || raw.splitColumn.length === 0)) fail('splitColumn', 'expected a column name');
  if (raw.numSplits !== undefined && (typeof raw.numSplits !== 'number' || !Number.isInteger(raw.numSplits) || raw.numSplits < 1)) fail('numSplits', `expected a positive integer, got ${String(raw.numSplits)}`);
  const pollBatchSize = raw.pollBatchSize ?? 1024;
  if (typeof pollBatchSize !== 'number' || !Number.isInteger(pollBatchSize) || pollBatchSize < 1) fail('pollBatchSize', `expected a positive integer, got ${String(pollBatchSize)}`);
  return {
    database: raw.database,
    table: raw.table as string | undefined,
    query: raw.query as string | undefined,
    splitColumn: (raw.splitColumn as string | undefined) ?? (raw.table !== undefined ? 'rowid' : undefined),
    numSplits: raw.numSplits as number | undefined,
    pollBatchSize,
  };
}
