import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { JobExecutionError } from '@riffle/runtime';
import { TestKafka } from '@riffle/connector-kafka/testing';
import type { CollectedDeadLetter, EtlOut } from './jobs/kafka-etl.job.js';
import { planKafkaSuite } from './support/kafka-plan.js';
import { useTempDirs } from './support/temp-dirs.js';

const tempDir = useTempDirs();
const JOB = new URL('./jobs/kafka-etl.job.ts', import.meta.url);
const PARTITIONS = 4;
const RECORDS = 4_000;

const plan = planKafkaSuite('Kafka → Kafka jobs on the MiniCluster');

describe.skipIf(plan.kind === 'missing')('Kafka → Kafka jobs on the MiniCluster', () => {
  let kafka: TestKafka;
  let run = 0;

  beforeAll(async () => {
    kafka = await TestKafka.start(plan);
  }, 300_000);

  afterAll(async () => {
    await kafka?.stop();
  }, 180_000);

  /** Count per id: every id in `expected` exactly once, nothing else (the failure says how many were doubled or lost, per input partition). */
  function expectEachOnce(records: ReadonlyArray<{ value: string | null }>, expected: Iterable<number>): void {
    const seen = new Map<number, number>();
    for (const r of records) {
      const out = JSON.parse(r.value!) as EtlOut;
      expect(out.cents).toBe(out.id * 10 + 1);
      seen.set(out.id, (seen.get(out.id) ?? 0) + 1);
    }
    const doubled = new Array<number>(PARTITIONS).fill(0);
    const doubledIds: number[] = [];
    const lost = new Array<number>(PARTITIONS).fill(0);
    let n = 0;
    for (const id of expected) {
      n++;
      const k = seen.get(id) ?? 0;
      if (k > 1) {
        doubled[id % PARTITIONS]!++;
        doubledIds.push(id);
      }
      if (k === 0) lost[id % PARTITIONS]!++;
    }
    const span = doubledIds.length === 0 ? 'none' : `${Math.min(...doubledIds)}..${Math.max(...doubledIds)}`;
    expect({ doubledPerPartition: doubled, doubledIds: span, lostPerPartition: lost, total: records.length }).toEqual({
      doubledPerPartition: new Array(PARTITIONS).fill(0),
      doubledIds: 'none',
      lostPerPartition: new Array(PARTITIONS).fill(0),
      total: n,
    });
  }

  for (const guarantee of ['AT_LEAST_ONCE', 'EXACTLY_ONCE'] as const) {
    it(`copies a ${PARTITIONS}-partition topic through map into another topic, ${guarantee}, each record once for a read_committed consumer`, async () => {
      const input = await kafka.createTopic(PARTITIONS, 'etl-in');
      const output = await kafka.createTopic(PARTITIONS, 'etl-out');
      const messages = [];
      for (let id = 0; id < RECORDS; id++) messages.push({ partition: id % PARTITIONS, value: JSON.stringify({ id, amount: id / 10 + 0.01 }) });
      await kafka.produce(input, messages);
      await runJob(JOB, {
        parallelism: 2,
        args: ['--brokers', kafka.brokers.join(','), '--in', input, '--out', output, '--guarantee', guarantee, '--prefix', `riffle-it-etl-${process.pid}-${run++}`],
      });
      expectEachOnce(await kafka.readCommitted(output, RECORDS), Array.from({ length: RECORDS }, (_, i) => i));
    });
  }

  it('EXACTLY_ONCE with a transaction timeout above the broker maximum fails at submission, naming the sink, without restarts or output', async () => {
    const input = await kafka.createTopic(1, 'etl-timeout-in');
    const output = await kafka.createTopic(1, 'etl-timeout-out');
    await kafka.produce(input, [{ partition: 0, value: JSON.stringify({ id: 1, amount: 1 }) }]);
    const checkpoints = tempDir('riffle-it-timeout-');
    const run = runJob(JOB, {
      parallelism: 1,
      // With checkpointing the job would restart up to 5 times on a task failure.
      args: ['--brokers', kafka.brokers.join(','), '--in', input, '--out', output, '--checkpoints', checkpoints, '--transaction-timeout', '3600000', '--prefix', `riffle-it-timeout-${process.pid}`],
    });
    await expect(run).rejects.toThrow(/sink '.*' rejected its configuration: KafkaSink: the transaction timeout 3600000 ms exceeds the broker's transaction.max.timeout.ms 900000 ms/);
    const error = (await run.then(
      () => undefined,
      (e: unknown) => e,
    )) as JobExecutionError;
    expect(error).toBeInstanceOf(JobExecutionError);
    expect(error.operatorName).toMatch(/Writer|Sink/);
    expect(await kafka.readCommitted(output, 0)).toEqual([]);
  });

  it('EXACTLY_ONCE through thrown exceptions in two attempts: a read_committed consumer sees each input record once', async () => {
    await runWithFailures(['--fail', '3000@0,2000@1']);
  });

  it('EXACTLY_ONCE through a thrown exception and a killed worker thread: a read_committed consumer sees each input record once', async () => {
    await runWithFailures(['--fail', '3000@0', '--kill', '2000@1']);
  });

  async function runWithFailures(failures: string[]): Promise<void> {
    // Failures are counted per subtask (e.g. each fails at its 3,000th record in the first attempt),
    // so no subtask reaches the end of its input before the failures: every failure lands while
    // all subtasks still read (a finished one's last commit is covered by final-checkpoint.test.ts).
    const n = 40_000;
    const input = await kafka.createTopic(PARTITIONS, 'eo-fail-in');
    const output = await kafka.createTopic(PARTITIONS, 'eo-fail-out');
    const messages = [];
    for (let id = 0; id < n; id++) messages.push({ partition: id % PARTITIONS, value: JSON.stringify({ id, amount: id / 10 + 0.01 }) });
    await kafka.produce(input, messages);
    const checkpoints = tempDir('riffle-kafka-eo-');
    await runJob(JOB, {
      parallelism: 2,
      args: [
        ...['--brokers', kafka.brokers.join(','), '--in', input, '--out', output, '--guarantee', 'EXACTLY_ONCE'],
        ...['--prefix', `riffle-it-eo-fail-${process.pid}-${run++}`, '--checkpoints', checkpoints, ...failures],
      ],
    });
    expectEachOnce(await kafka.readCommitted(output, n), Array.from({ length: n }, (_, i) => i));
  }

  it('routes 1% malformed JSON to the dead-letter output with topic, partition and offset, and writes every good record', async () => {
    const input = await kafka.createTopic(PARTITIONS, 'dlq-in');
    const output = await kafka.createTopic(PARTITIONS, 'dlq-out');
    const messages: Array<{ partition: number; value: string }> = [];
    const planted = new Map<string, string>(); // "partition:offset" -> value
    const offsets = new Array<number>(PARTITIONS).fill(0);
    const good: number[] = [];
    for (let id = 0; id < RECORDS; id++) {
      const partition = id % PARTITIONS;
      const bad = id % 100 === 37;
      const value = bad ? `{"id": ${id}, "amount": oops` : JSON.stringify({ id, amount: id / 10 + 0.01 });
      if (bad) planted.set(`${partition}:${offsets[partition]}`, value);
      else good.push(id);
      offsets[partition]++;
      messages.push({ partition, value });
    }
    await kafka.produce(input, messages);
    const { result } = await runJob(JOB, {
      parallelism: 2,
      args: ['--brokers', kafka.brokers.join(','), '--in', input, '--out', output, '--guarantee', 'AT_LEAST_ONCE', '--dead-letters', 'true'],
    });
    const dead = result!.getCollected<CollectedDeadLetter>('dead-letters');
    expect(planted.size).toBe(RECORDS / 100);
    expect(dead).toHaveLength(planted.size);
    for (const d of dead) {
      expect(d.topic).toBe(input);
      expect(d.value).toBe(planted.get(`${d.partition}:${d.offset}`));
      expect(d.error).toMatch(/JSON/);
    }
    expect(new Set(dead.map((d) => `${d.partition}:${d.offset}`))).toEqual(new Set(planted.keys()));
    expectEachOnce(await kafka.readCommitted(output, good.length), good);
  });
});
