import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureKafkaTopic } from './kafka-admin.js';
import { TestKafka, missingBrokerBanner, planKafkaBroker } from './testing/kafka-test-broker.js';

const plan = planKafkaBroker();
const inCi = Boolean(process.env.CI);
if (plan.kind === 'missing' && !inCi) console.warn(missingBrokerBanner(plan.reason));
if (plan.kind === 'missing' && inCi) {
  describe('ensureKafkaTopic', () => {
    it('can reach a Kafka broker in CI', () => expect.fail(`CI must run the Kafka tests: ${plan.reason}`));
  });
}

describe.skipIf(plan.kind === 'missing')('ensureKafkaTopic', () => {
  let kafka: TestKafka;
  const topic = `riffle-test-ensure-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    kafka = await TestKafka.start(plan);
  }, 300_000);

  afterAll(async () => {
    await kafka?.admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await kafka?.stop();
  }, 180_000);

  it('creates a missing topic with the partitions asked for, ready to write, and leaves an existing one alone', async () => {
    expect(await ensureKafkaTopic(kafka.brokers.join(','), topic, { partitions: 3 })).toBe(true);
    const [meta] = (await kafka.admin.fetchTopicMetadata({ topics: [topic] })).topics;
    expect(meta!.partitions.map((p) => p.leader >= 0)).toEqual([true, true, true]);
    await kafka.produce(topic, [{ partition: 2, value: 'x' }]);
    expect(await ensureKafkaTopic(kafka.brokers, topic, { partitions: 5 })).toBe(false);
    expect((await kafka.admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions).toHaveLength(3);
  });

  it('rejects an empty server list', async () => {
    await expect(ensureKafkaTopic(' , ', topic)).rejects.toThrow(/no bootstrap servers/);
  });
});
