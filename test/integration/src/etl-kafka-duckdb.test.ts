import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { queryDuckDb } from '@riffle/connector-duckdb';
import { TestKafka } from '@riffle/connector-kafka/testing';
import { etlEvent, type EtlDeadLetter } from './jobs/etl-warehouse.job.js';
import { useTempDirs } from './support/temp-dirs.js';
import { planKafkaSuite } from './support/kafka-plan.js';

const JOB = new URL('./jobs/etl-warehouse.job.ts', import.meta.url);
const PARTITIONS = 4;

const plan = planKafkaSuite('Kafka → DuckDB ETL');

const tempDir = useTempDirs();

describe.skipIf(plan.kind === 'missing')('Kafka → DuckDB ETL (real broker, real DuckDB file)', () => {
  let kafka: TestKafka;

  beforeAll(async () => {
    kafka = await TestKafka.start(plan);
  }, 300_000);

  afterAll(async () => {
    await kafka?.stop();
  }, 180_000);

  /** A fresh 4-partition topic holding events 0..n-1 as JSON, event `i` in partition `key % 4`. */
  async function inputTopic(label: string, n: number, keys: number, value: (i: number) => string = (i) => JSON.stringify(etlEvent(i, keys))): Promise<string> {
    const topic = await kafka.createTopic(PARTITIONS, label);
    const messages = [];
    for (let i = 0; i < n; i++) messages.push({ partition: etlEvent(i, keys).key % PARTITIONS, value: value(i) });
    await kafka.produce(topic, messages);
    return topic;
  }

  function jobArgs(topic: string, db: string, extra: string[]): string[] {
    return ['--brokers', kafka.brokers.join(','), '--in', topic, '--sink', 'duckdb', '--db', db, '--checkpoints', tempDir('riffle-etl-duckdb-chk-'), ...extra];
  }

  it('EXACTLY_ONCE: 100,000 JSON records through a thrown exception and a killed worker thread end as exactly 100,000 rows with unique ids', async () => {
    const n = 100_000;
    const topic = await inputTopic('etl-duckdb-eo', n, 1000);
    const db = join(tempDir('riffle-etl-duckdb-'), 'warehouse.duckdb');
    // Two map subtasks read 2 partitions each (~50,000 records) into a DuckDB sink at parallelism 1.
    // Attempt 0: the worker thread of map subtask 1 dies at the first record after a checkpoint of
    // the attempt completed (its 40,000th at the latest); attempt 1 (restored): the map subtasks
    // throw at the same point. Waiting for a completed checkpoint, not just a snapshot, is what
    // makes rows of attempt 0 certain to survive: on a quiet machine a subtask reads 25,000 records
    // before its first checkpoint completes. The killed thread runs no sink: ending a thread while
    // DuckDB's native work is in flight aborts the whole process ("terminate called after throwing
    // an instance of 'Napi::Error'"), and with the whole pipeline chained in both threads the
    // JobMaster's restart after a dead worker thread often fails ("Illegal transition of execution
    // ... from RUNNING to CANCELED") and the job hangs.
    const failures = ['--kill', '1@0', '--fail', '1@1', '--fail-by', '40000', '--kill-subtask', '1', '--trigger', 'completed'];
    await runJob(JOB, { parallelism: 2, args: jobArgs(topic, db, ['--sink-parallelism', '1', ...failures]) });
    const [stats] = await queryDuckDb(
      db,
      'SELECT count(*) AS n, count(DISTINCT id) AS ids, min(id) AS lo, max(id) AS hi, sum(cents) AS cents, max(attempt) AS last_attempt FROM events',
    );
    expect(stats).toEqual({ n, ids: n, lo: 0, hi: n - 1, cents: (n * (n - 1)) / 2, last_attempt: 2 });
    const wrong = await queryDuckDb(db, 'SELECT count(*) AS n FROM events WHERE key <> id % 1000 OR cents <> id');
    expect(wrong).toEqual([{ n: 0 }]);
    // The failures really happened (the last rows come from attempt 2), and the recovery restored a
    // checkpoint rather than starting over: rows committed by attempt 0 survived. (Attempt 1 may
    // fail before any of its checkpoints completed; then none of its rows remain.)
    const attempts = await queryDuckDb(db, 'SELECT attempt, count(*) AS n FROM events GROUP BY attempt ORDER BY attempt');
    expect(attempts[0]!.attempt).toBe(0);
  }, 120_000);

  it('upsert: the final table holds the last value of every key of the input', async () => {
    const n = 30_000;
    const keys = 500;
    const topic = await inputTopic('etl-duckdb-upsert', n, keys);
    const db = join(tempDir('riffle-etl-upsert-'), 'warehouse.duckdb');
    await runJob(JOB, { parallelism: 2, args: jobArgs(topic, db, ['--write-mode', 'upsert', '--fail', '1@0', '--fail-by', '5000']) });
    const rows = await queryDuckDb(db, 'SELECT key, id, cents FROM events ORDER BY key');
    // Each key lives in one partition, read in order by one subtask: the last input record of key k is the largest id with id % keys = k.
    const expected = Array.from({ length: keys }, (_, k) => {
      const id = n - keys + k;
      return { key: k, id, cents: id };
    });
    expect(rows).toEqual(expected);
    const [attempts] = await queryDuckDb(db, 'SELECT count(*) AS commits FROM _riffle_sink_commits');
    expect(attempts!.commits).toBeGreaterThan(0);
  }, 120_000);

  it('1% malformed JSON with a dead-letter output: the job finishes, the dead letters are exactly the planted records with their offsets, every good record is in the warehouse', async () => {
    const n = 20_000;
    const keys = 1000;
    const bad = (i: number): boolean => i % 100 === 37;
    const topic = await inputTopic('etl-duckdb-dlq', n, keys, (i) => (bad(i) ? `{"id": ${i}, "amount": oops` : JSON.stringify(etlEvent(i, keys))));
    // Where each planted record lands: partition key % 4, offset = records before it in that partition.
    const planted = new Map<string, string>();
    const offsets = new Array<number>(PARTITIONS).fill(0);
    for (let i = 0; i < n; i++) {
      const p = etlEvent(i, keys).key % PARTITIONS;
      if (bad(i)) planted.set(`${p}:${offsets[p]}`, `{"id": ${i}, "amount": oops`);
      offsets[p]++;
    }
    const db = join(tempDir('riffle-etl-dlq-'), 'warehouse.duckdb');
    const { result } = await runJob(JOB, { parallelism: 2, args: jobArgs(topic, db, ['--dead-letters', 'true']) });
    const dead = result!.getCollected<EtlDeadLetter>('dead-letters');
    expect(planted.size).toBe(n / 100);
    expect(dead).toHaveLength(planted.size);
    for (const d of dead) {
      expect(d.topic).toBe(topic);
      expect(d.value).toBe(planted.get(`${d.partition}:${d.offset}`));
      expect(d.error).toMatch(/JSON/);
    }
    expect(new Set(dead.map((d) => `${d.partition}:${d.offset}`))).toEqual(new Set(planted.keys()));
    // The skipped records are counted in the router's metric group, summed over its two subtasks.
    expect(result!.getMetrics()).toMatchObject({ 'Dead Letter Router.numRecordsSkipped': planted.size });
    const [stats] = await queryDuckDb(db, `SELECT count(*) AS n, count(DISTINCT id) AS ids, count(*) FILTER (WHERE id % 100 = 37) AS planted_ids, sum(id) AS ids_sum FROM events`);
    const good = Array.from({ length: n }, (_, i) => i).filter((i) => !bad(i));
    expect(stats).toEqual({ n: good.length, ids: good.length, planted_ids: 0, ids_sum: good.reduce((a, b) => a + b, 0) });
  }, 120_000);
});
