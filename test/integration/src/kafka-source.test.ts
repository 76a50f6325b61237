import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '@riffle/datastream';
import { TestKafka } from '@riffle/connector-kafka/testing';
import type { KafkaTestRecord } from './jobs/kafka-source.job.js';
import { planKafkaSuite } from './support/kafka-plan.js';

const JOB = new URL('./jobs/kafka-source.job.ts', import.meta.url);
const PARTITIONS = 4;
const PER_PARTITION = 2_500;
const BASE_TS = 1_700_000_000_000;

const plan = planKafkaSuite('KafkaSource on the MiniCluster');

describe.skipIf(plan.kind === 'missing')('KafkaSource on the MiniCluster', () => {
  let kafka: TestKafka;
  let topic: string;

  beforeAll(async () => {
    kafka = await TestKafka.start(plan);
    topic = await kafka.createTopic(PARTITIONS, 'source');
    const messages = [];
    for (let i = 0; i < PER_PARTITION; i++) {
      for (let p = 0; p < PARTITIONS; p++) messages.push({ partition: p, value: JSON.stringify({ p, i }), timestamp: BASE_TS + i });
    }
    await kafka.produce(topic, messages);
  }, 300_000);

  afterAll(async () => {
    await kafka?.stop();
  }, 180_000);

  async function read(parallelism: number, starting = 'earliest', bounded = 'latest', on = topic, extra: string[] = []): Promise<KafkaTestRecord[]> {
    const { result } = await runJob(JOB, {
      parallelism,
      args: ['--brokers', kafka.brokers.join(','), '--topic', on, '--starting', starting, '--bounded', bounded, ...extra],
    });
    return result!.getCollected<KafkaTestRecord>('records');
  }

  /** Count per (partition, index); every expected record exactly once and nothing else. */
  function expectExactly(records: KafkaTestRecord[], from: (p: number) => number, to: (p: number) => number = () => PER_PARTITION): void {
    const seen = new Map<string, number>();
    for (const r of records) seen.set(`${r.p}:${r.i}`, (seen.get(`${r.p}:${r.i}`) ?? 0) + 1);
    let expected = 0;
    for (let p = 0; p < PARTITIONS; p++) {
      for (let i = from(p); i < to(p); i++) {
        expected++;
        if (seen.get(`${p}:${i}`) !== 1) expect.fail(`record ${p}:${i} seen ${seen.get(`${p}:${i}`) ?? 0} times`);
      }
    }
    expect(records.length).toBe(expected);
  }

  for (const parallelism of [1, 2, 4]) {
    it(`reads all ${(PARTITIONS * PER_PARTITION).toLocaleString('en')} records of a ${PARTITIONS}-partition topic exactly once at parallelism ${parallelism}`, async () => {
      expectExactly(await read(parallelism), () => 0);
    });
  }

  it('starts at the end of the log with latest(): a source bounded at latest reads nothing and finishes', async () => {
    expect(await read(2, 'latest')).toEqual([]);
  });

  it('starts at the given offsets, other partitions at the earliest', async () => {
    const records = await read(2, 'offsets:0=2000,2=2499');
    expectExactly(records, (p) => (p === 0 ? 2000 : p === 2 ? 2499 : 0));
  });

  it('starts at the first record at or after a timestamp', async () => {
    expectExactly(await read(2, `timestamp:${BASE_TS + 2400}`), () => 2400);
  });

  it('stops before the given stopping offsets', async () => {
    expectExactly(await read(2, 'offsets:1=100', 'offsets:0=10,1=150,2=0,3=2500'), (p) => (p === 1 ? 100 : 0), (p) => [10, 150, 0, 2500][p]);
  });

  it('fails the job naming topic, partition and offset of a malformed JSON record', async () => {
    const bad = await kafka.createTopic(2, 'malformed');
    await kafka.produce(bad, [
      { partition: 1, value: JSON.stringify({ p: 1, i: 0 }) },
      { partition: 1, value: JSON.stringify({ p: 1, i: 1 }) },
      { partition: 1, value: '{"p": 1, "i": ' },
      { partition: 0, value: JSON.stringify({ p: 0, i: 0 }) },
    ]);
    let error: unknown;
    try {
      await read(2, 'earliest', 'latest', bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`topic ${bad}, partition 1, offset 2`);
  });

  it('reads every topic matching a pattern, and no other', async () => {
    const first = await kafka.createTopic(2, 'pattern-x');
    const second = await kafka.createTopic(1, 'pattern-x');
    await kafka.createTopic(1, 'pattern-y');
    await kafka.produce(first, [0, 1].flatMap((p) => [0, 1, 2].map((i) => ({ partition: p, value: JSON.stringify({ p, i }) }))));
    await kafka.produce(second, [0, 1, 2, 3].map((i) => ({ partition: 0, value: JSON.stringify({ p: 10, i }) })));
    const prefix = first.slice(0, first.lastIndexOf('-'));
    const records = await read(2, 'earliest', 'latest', first, ['--pattern', `${prefix.replace(/[.-]/g, '\\$&')}-\\d+`]);
    expect(records.map((r) => `${r.p}:${r.i}`).sort()).toEqual(['0:0', '0:1', '0:2', '1:0', '1:1', '1:2', '10:0', '10:1', '10:2', '10:3'].sort());
  });
});
