import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
// Test/bench only (a devDependency): runs the sink in real jobs; library code imports only @riffle/core.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { runJob } from '@riffle/datastream';
import { query, tempDir } from './test-support.js';

const JOB = new URL('./jobs/orders-to-duckdb.job.ts', import.meta.url);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('DuckDbSink in bounded jobs', () => {
  for (const guarantee of ['EXACTLY_ONCE', 'AT_LEAST_ONCE']) {
    it(`writes exactly the expected rows at parallelism 2 (${guarantee})`, async () => {
      const t = tempDir('riffle-duckdb-job-');
      cleanups.push(t.cleanup);
      const database = join(t.dir, 'w.duckdb');
      const records = 20_000;
      await runJob(JOB, { parallelism: 2, args: ['--database', database, '--records', String(records), '--guarantee', guarantee] });
      const [stats] = await query(database, 'SELECT count(*)::INT AS n, count(DISTINCT id)::INT AS d, min(id)::INT AS lo, max(id)::INT AS hi, sum(amount) AS s FROM orders');
      expect(stats).toEqual({ n: records, d: records, lo: 0, hi: records - 1, s: ((records - 1) * records) / 2 / 4 });
      const [c] = await query(database, "SELECT count(*)::INT AS n FROM orders WHERE customer <> 'c' || (id % 97)::VARCHAR");
      expect(c!.n).toBe(0);
      if (guarantee === 'EXACTLY_ONCE') {
        const markers = await query(database, 'SELECT DISTINCT subtask_id::INT AS s FROM _riffle_sink_commits ORDER BY s');
        expect(markers).toEqual([{ s: 0 }, { s: 1 }]);
        expect(readdirSync(`${database}.riffle-staging`)).toEqual([]);
      } else {
        expect(existsSync(`${database}.riffle-staging`)).toBe(false);
      }
    });
  }

  it('upserts in a bounded job: the table holds one row per key with its last value', async () => {
    const t = tempDir('riffle-duckdb-job-');
    cleanups.push(t.cleanup);
    const database = join(t.dir, 'u.duckdb');
    // Ids n, n + 1000, ... share key n % 1000; at parallelism 1 the input order is n, so the last
    // value of each key is that of the highest n. (At higher parallelism "last" across subtasks
    // is not defined by the input, so the oracle needs one subtask.)
    await runJob(JOB, { parallelism: 1, args: ['--database', database, '--records', '10000', '--keys', '1000', '--mode', 'upsert'] });
    const rows = await query(database, 'SELECT id::INT AS id, amount FROM orders ORDER BY id');
    expect(rows).toEqual(Array.from({ length: 1000 }, (_, k) => ({ id: k, amount: (9000 + k) / 4 })));
  });
});
