import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { TestKafka } from '@riffle/connector-kafka/testing';
import { etlEvent, type EtlRow } from './jobs/etl-warehouse.job.js';
import { planKafkaSuite } from './support/kafka-plan.js';
import { useTempDirs } from './support/temp-dirs.js';

const tempDir = useTempDirs();
const JOB = new URL('./jobs/etl-warehouse.job.ts', import.meta.url);
const PARTITIONS = 4;

const plan = planKafkaSuite('Kafka → Kafka ETL');

describe.skipIf(plan.kind === 'missing')('Kafka → Kafka ETL (real broker)', () => {
  let kafka: TestKafka;

  beforeAll(async () => {
    kafka = await TestKafka.start(plan);
  }, 300_000);

  afterAll(async () => {
    await kafka?.stop();
  }, 180_000);

  it('EXACTLY_ONCE through two induced failures: a read_committed consumer of the output sees each input record exactly once', async () => {
    const n = 100_000;
    const keys = 1000;
    const input = await kafka.createTopic(PARTITIONS, 'etl-kk-in');
    const output = await kafka.createTopic(PARTITIONS, 'etl-kk-out');
    const messages = [];
    for (let i = 0; i < n; i++) messages.push({ partition: etlEvent(i, keys).key % PARTITIONS, value: JSON.stringify(etlEvent(i, keys)) });
    await kafka.produce(input, messages);
    const checkpoints = tempDir('riffle-etl-kk-chk-');
    // ~50,000 records per subtask: a subtask throws at the first record after its second
    // checkpoint (at its 15,000th at the latest) in attempt 0, and again in attempt 1 (restored); attempt 2 runs to the end.
    // Every subtask is still reading then (a finished one's last commit is covered by
    // final-checkpoint.test.ts).
    await runJob(JOB, {
      parallelism: 2,
      args: [
        ...['--brokers', kafka.brokers.join(','), '--in', input, '--sink', 'kafka', '--out', output, '--prefix', `riffle-it-etl-kk-${process.pid}-${Date.now()}`],
        ...['--checkpoints', checkpoints, '--fail', '1@0,1@1', '--fail-by', '15000'],
      ],
    });
    const records = await kafka.readCommitted(output, n);
    const seen = new Map<number, number>();
    const attempts = new Set<number>();
    const copies = new Map<number, string[]>();
    for (const r of records) {
      const row = JSON.parse(r.value!) as EtlRow;
      const c = copies.get(row.id) ?? [];
      c.push(`attempt ${row.attempt} at ${r.partition}:${r.offset}`);
      copies.set(row.id, c);
      expect(row.cents).toBe(row.id);
      expect(r.key).toBe(String(row.id));
      seen.set(row.id, (seen.get(row.id) ?? 0) + 1);
      attempts.add(row.attempt);
    }
    let doubled = 0;
    let lost = 0;
    const doubledIds: string[] = [];
    for (let id = 0; id < n; id++) {
      const k = seen.get(id) ?? 0;
      if (k > 1 && doubled++ < 5) doubledIds.push(`${id}: ${copies.get(id)!.join(', ')}`);
      if (k === 0) lost++;
    }
    expect({ total: records.length, distinct: seen.size, doubled, lost, doubledIds }).toEqual({ total: n, distinct: n, doubled: 0, lost: 0, doubledIds: [] });
    // Both failures happened: the last committed output came from attempt 2. (An attempt may
    // commit nothing when it fails before its first checkpoint completes.)
    expect(Math.max(...attempts)).toBe(2);
  }, 120_000);
});
