import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { TestKafka, missingBrokerBanner, planKafkaBroker } from '@riffle/connector-kafka/testing';
import type { CollectedDeadLetter, EtlOut } from './jobs/kafka-etl.job.js';

const JOB = new URL('./jobs/kafka-etl.job.ts', import.meta.url);
const PARTITIONS = 4;
const RECORDS = 4_000;

const plan = planKafkaBroker();
const inCi = Boolean(process.env.CI);
if (plan.kind === 'missing' && !inCi) console.warn(missingBrokerBanner(plan.reason));
if (plan.kind === 'missing' && inCi) {
  describe('Kafka → Kafka jobs on the MiniCluster', () => {
    it('can reach a Kafka broker in CI', () => expect.fail(`CI must run the Kafka tests: ${plan.reason}`));
  });
}

describe.skipIf(plan.kind === 'missing')('Kafka → Kafka jobs on the MiniCluster', () => {
  let kafka: TestKafka;
  let run = 0;

  beforeAll(async () => {
    kafka = await TestKafka.start(plan);
  }, 300_000);

  afterAll(async () => {
    await kafka?.stop();
  }, 180_000);

  /** Count per id: every id in `expected` exactly once, nothing else. */
  function expectEachOnce(records: ReadonlyArray<{ value: string | null }>, expected: Iterable<number>): void {
    const seen = new Map<number, number>();
    for (const r of records) {
      const out = JSON.parse(r.value!) as EtlOut;
      expect(out.cents).toBe(out.id * 10 + 1);
      seen.set(out.id, (seen.get(out.id) ?? 0) + 1);
    }
    let n = 0;
    for (const id of expected) {
      n++;
      if (seen.get(id) !== 1) expect.fail(`id ${id} seen ${seen.get(id) ?? 0} times`);
    }
    expect(records.length).toBe(n);
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
