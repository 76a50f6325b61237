import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryDuckDb } from '@riffle/connector-duckdb';
import { runJob } from '@riffle/datastream';
import { BIDS_DIR, WAREHOUSE_FILE, parquetFiles } from './etl-pipeline.js';

const out = mkdtempSync(join(tmpdir(), 'riffle-etl-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function deadLetters(): Array<{ line: string; error: string }> {
  const dir = join(out, 'dead-letters');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .flatMap((e) => readFileSync(join(e.parentPath, e.name), 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as { line: string; error: string });
}

describe('the ETL demo', () => {
  it('puts every good bid exactly once into the hourly Parquet files and the warehouse windows, and bad lines into the dead letters', async () => {
    await runJob(new URL('./etl.job.ts', import.meta.url), { parallelism: 2, args: ['--events', '100000', '--out', out, '--malformed-every', '97'] });
    // Nexmark: 46 of every 50 events are bids.
    const bids = 92_000;
    const bad = deadLetters();
    expect(bad.length).toBeGreaterThan(0);
    for (const d of bad) expect(d.error).toMatch(/JSON|Unexpected|Unterminated|Expected/);
    const [parquet] = await queryDuckDb(join(out, WAREHOUSE_FILE), `SELECT count(*) AS n, count(DISTINCT (auction, bidder, ts, price)) AS distinct_bids FROM read_parquet('${join(out, BIDS_DIR)}/**/*.parquet')`);
    expect(parquet!.n).toBe(bids - bad.length);
    const [warehouse] = await queryDuckDb(join(out, WAREHOUSE_FILE), 'SELECT sum(bids) AS bids, count(*) AS windows, count(DISTINCT (window_start, channel_group)) AS distinct_windows FROM bid_stats');
    expect(warehouse!.bids).toBe(bids - bad.length);
    expect(warehouse!.distinct_windows).toBe(warehouse!.windows);
    expect(parquetFiles(out).every((f) => /dt=\d{4}-\d{2}-\d{2}\/hour=\d{2}\//.test(f))).toBe(true);
    const hidden = readdirSync(join(out, BIDS_DIR), { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.startsWith('.'));
    expect(hidden).toEqual([]);
  });
});
