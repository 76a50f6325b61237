import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Kafka, type Consumer, type ConsumerRunConfig } from 'kafkajs';
import { createKafkajsClient } from './kafkajs-client.js';
import type { KafkaClient, PartitionRecords } from './kafka-client.js';
import { TestKafka, missingBrokerBanner, planKafkaBroker } from './testing/kafka-test-broker.js';

const plan = planKafkaBroker();
const inCi = Boolean(process.env.CI);
if (plan.kind === 'missing' && !inCi) console.warn(missingBrokerBanner(plan.reason));
if (plan.kind === 'missing' && inCi) {
  describe('KafkajsClient fetcher', () => {
    it('can reach a Kafka broker in CI', () => expect.fail(`CI must run the Kafka tests: ${plan.reason}`));
  });
}

type CrashListener = (event: { payload: { error: Error; groupId: string; restart: boolean } }) => void;

/** A kafkajs-style error: retriable as a lost group coordinator, or not (as a denied authorization). */
function crashError(retriable: boolean): Error {
  return retriable
    ? Object.assign(new Error('This is not the correct coordinator for this group'), { name: 'KafkaJSProtocolError', retriable: true })
    : Object.assign(new Error('Not authorized to access group'), { name: 'KafkaJSProtocolError', retriable: false });
}

/**
 * Makes the first consumer kafkajs hands out crash the way kafkajs crashes one: its group state is
 * dropped (`stop()`, which `disconnect()` does inside kafkajs' crash handler) and then CRASH is
 * emitted. `when` 'joining' crashes inside `run()` (a failed group join: `run()` still resolves);
 * a number crashes after that many batches were handed to `eachBatch`.
 */
function crashFirstConsumer(when: 'joining' | number, retriable = true): { consumers: () => number } {
  const original = Kafka.prototype.consumer;
  let created = 0;
  vi.spyOn(Kafka.prototype, 'consumer').mockImplementation(function (this: Kafka, config) {
    const consumer: Consumer = original.call(this, config);
    if (created++ > 0) return consumer;
    const listeners: CrashListener[] = [];
    const on = consumer.on.bind(consumer);
    consumer.on = ((event: string, listener: CrashListener) => {
      if (event === consumer.events.CRASH) listeners.push(listener);
      return on(event as never, listener as never);
    }) as Consumer['on'];
    const crash = async () => {
      await consumer.disconnect();
      for (const l of listeners) l({ payload: { error: crashError(retriable), groupId: 'g', restart: false } });
    };
    const run = consumer.run.bind(consumer);
    consumer.run = async (cfg?: ConsumerRunConfig) => {
      if (when === 'joining') {
        await run(cfg);
        await crash();
        return;
      }
      let batches = 0;
      const eachBatch = cfg!.eachBatch!;
      await run({
        ...cfg,
        eachBatch: async (payload) => {
          await eachBatch(payload);
          if (++batches === when) setImmediate(() => void crash());
        },
      });
    };
    return consumer;
  });
  return { consumers: () => created };
}

describe.skipIf(plan.kind === 'missing')('KafkajsClient fetcher against a real broker', () => {
  let kafka: TestKafka;
  let topic: string;
  let client: KafkaClient;
  const PER_PARTITION = 3000;

  beforeAll(async () => {
    kafka = await TestKafka.start(plan);
    topic = await kafka.createTopic(2, 'fetcher');
    const messages = [];
    for (let p = 0; p < 2; p++) for (let i = 0; i < PER_PARTITION; i++) messages.push({ partition: p, value: `${p}:${i}` });
    await kafka.produce(topic, messages);
  }, 300_000);

  afterAll(async () => {
    await kafka?.stop();
  }, 180_000);

  afterEach(async () => {
    vi.restoreAllMocks();
    await client?.close();
  });

  async function newFetcher(startAt: number) {
    // Small fetches: many batches, so a crash falls between them.
    client = createKafkajsClient({ bootstrapServers: kafka.brokers, properties: { 'max.partition.fetch.bytes': '4096' } });
    return client.createFetcher(
      [
        { topic, partition: 0, offset: startAt },
        { topic, partition: 1, offset: startAt },
      ],
      { maxBufferedRecords: 500 },
    );
  }

  /** Polls until every partition reached `PER_PARTITION`; returns the offsets seen per partition. */
  async function readAll(startAt: number): Promise<Map<number, number[]>> {
    const fetcher = await newFetcher(startAt);
    const seen = new Map<number, number[]>([
      [0, []],
      [1, []],
    ]);
    const deadline = Date.now() + 60_000;
    while ([...seen.values()].some((offsets) => offsets.length < PER_PARTITION - startAt) && Date.now() < deadline) {
      const batches: PartitionRecords[] = await fetcher.poll();
      for (const b of batches) for (let i = 0; i < b.size; i++) seen.get(b.partition)!.push(b.offsetAt(i));
    }
    await fetcher.close();
    return seen;
  }

  const expected = (from: number) => Array.from({ length: PER_PARTITION - from }, (_, i) => from + i);

  it('replaces a consumer that crashed while joining its group, and starts at the requested offsets', async () => {
    const spy = crashFirstConsumer('joining');
    const seen = await readAll(1000);
    expect(spy.consumers()).toBe(2);
    expect(seen.get(0)).toEqual(expected(1000));
    expect(seen.get(1)).toEqual(expected(1000));
  }, 90_000);

  it('replaces a consumer that crashed mid-read: the new one continues after the last fetched batch, nothing lost or repeated', async () => {
    const spy = crashFirstConsumer(3);
    const seen = await readAll(0);
    expect(spy.consumers()).toBe(2);
    expect(seen.get(0)).toEqual(expected(0));
    expect(seen.get(1)).toEqual(expected(0));
  }, 90_000);

  it('fails on a crash that is not retriable, with the crash error', async () => {
    crashFirstConsumer(1, false);
    const fetcher = await newFetcher(0);
    const drain = async () => {
      for (;;) await fetcher.poll();
    };
    await expect(drain()).rejects.toThrow('Not authorized to access group');
    await fetcher.close();
  }, 90_000);
});
