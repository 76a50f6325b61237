import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { runJob } from '@riffle/datastream';
import { TestKafka } from '@riffle/connector-kafka/testing';
import { etlEvent } from './jobs/etl-warehouse.job.js';
import { useTempDirs } from './support/temp-dirs.js';
import { planKafkaSuite } from './support/kafka-plan.js';

const JOB = new URL('./jobs/etl-warehouse.job.ts', import.meta.url);
const PARTITIONS = 4;

const plan = planKafkaSuite('Kafka → Parquet ETL');

const tempDir = useTempDirs();

/** Runs `sql` on an in-memory DuckDB and returns its rows (BIGINTs as numbers). */
async function duckDb(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const conn = await instance.connect();
    try {
      const rows = (await conn.runAndReadAll(sql)).getRowObjects();
      return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

describe.skipIf(plan.kind === 'missing')('Kafka → Parquet ETL (real broker, Parquet files read by DuckDB)', () => {
  let kafka: TestKafka;

  beforeAll(async () => {
    kafka = await TestKafka.start(plan);
  }, 300_000);

  afterAll(async () => {
    await kafka?.stop();
  }, 180_000);

  it('after a thrown exception and a killed worker thread, every record is in exactly one finished Parquet file and no in-progress file is left', async () => {
    const n = 100_000;
    const keys = 1000;
    const topic = await kafka.createTopic(PARTITIONS, 'etl-parquet');
    const messages = [];
    for (let i = 0; i < n; i++) messages.push({ partition: etlEvent(i, keys).key % PARTITIONS, value: JSON.stringify(etlEvent(i, keys)) });
    await kafka.produce(topic, messages);
    const out = tempDir('riffle-etl-parquet-');
    // ~50,000 records per subtask, read and mapped at parallelism 2 into a Parquet sink at
    // parallelism 1. Attempt 0: the worker thread of map subtask 1 dies at the first record after a
    // checkpoint of the attempt completed (its 40,000th at the latest); attempt 1 (restored): the
    // map subtasks throw at the same point. Every subtask is still reading then. The killed thread
    // runs no sink: with the whole pipeline chained in both threads, the JobMaster's restart after
    // a dead worker thread often fails ("Illegal transition of execution ... from RUNNING to
    // CANCELED") and the job hangs.
    await runJob(JOB, {
      parallelism: 2,
      args: ['--brokers', kafka.brokers.join(','), '--in', topic, '--sink', 'parquet', '--out', out, '--checkpoints', tempDir('riffle-etl-parquet-chk-'), '--kill', '1@0', '--fail', '1@1', '--fail-by', '40000', '--kill-subtask', '1', '--sink-parallelism', '1', '--trigger', 'completed'],
    });
    const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.filter((e) => e.name.startsWith('.')).map((e) => e.name)).toEqual([]);
    expect(files.length).toBeGreaterThan(2);
    const glob = `'${out}/**/*.parquet'`;
    const [stats] = await duckDb(
      `SELECT count(*) AS n, count(DISTINCT id) AS ids, min(id) AS lo, max(id) AS hi, sum(cents) AS cents, max(attempt) AS last_attempt FROM read_parquet(${glob})`,
    );
    expect(stats).toEqual({ n, ids: n, lo: 0, hi: n - 1, cents: (n * (n - 1)) / 2, last_attempt: 2 });
    const types = await duckDb(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${glob}))`);
    expect(types).toEqual([
      { column_name: 'id', column_type: 'BIGINT' },
      { column_name: 'key', column_type: 'INTEGER' },
      { column_name: 'cents', column_type: 'BIGINT' },
      { column_name: 'ts', column_type: 'TIMESTAMP' },
      { column_name: 'attempt', column_type: 'INTEGER' },
    ]);
    const wrong = await duckDb(`SELECT count(*) AS n FROM read_parquet(${glob}) WHERE key <> id % ${keys} OR cents <> id OR epoch_ms(ts) <> ${etlEvent(0, keys).ts} + id * 10`);
    expect(wrong).toEqual([{ n: 0 }]);
  }, 120_000);
});
