// Smoke test of the real Kafka broker that tools/kafka/broker runs (or of the cluster named by
// KAFKA_BROKERS): partitioned produce/consume and transactions, through kafkajs.
//
// Which broker: KAFKA_BROKERS if set; otherwise one started here with `broker start` on a free
// port and stopped afterwards. Without Java (or without Maven and no cached jars) the suite is
// skipped with a loud warning, except in CI (CI set), where that is a failure.
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Consumer, EachMessagePayload, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const brokerScript = fileURLToPath(new URL('../broker', import.meta.url));
const inCi = Boolean(process.env.CI);

type BrokerPlan =
  | { kind: 'external'; brokers: string[] }
  | { kind: 'own' }
  | { kind: 'missing'; reason: string };

function planBroker(): BrokerPlan {
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external) {
    return { kind: 'external', brokers: external.split(',').map((b) => b.trim()).filter((b) => b.length > 0) };
  }
  const check = spawnSync(brokerScript, ['check'], { encoding: 'utf8' });
  if (check.status === 0) return { kind: 'own' };
  const reason = (check.stderr || check.error?.message || `exit ${check.status}`).trim();
  return { kind: 'missing', reason };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs the consumer until `done` returns true for a delivered message, or fails after `timeoutMs`. */
async function consumeUntil(
  consumer: Consumer,
  done: (payload: EachMessagePayload) => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const finished = new Promise<void>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    consumer
      .run({
        eachMessage: async (payload) => {
          if (done(payload)) resolve();
        },
      })
      .catch(reject);
  });
  try {
    await finished;
  } finally {
    clearTimeout(timer);
  }
}

const plan = planBroker();

if (plan.kind === 'missing' && !inCi) {
  console.warn(
    [
      '',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '!!! SKIPPING the Kafka broker tests: no Kafka broker can be started here.',
      `!!! ${plan.reason}`,
      '!!! Install Java 11+ and Maven, or set KAFKA_BROKERS=host:port to use your own cluster.',
      '!!! (In CI, CI=true, this is a failure, not a skip.)',
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
      '',
    ].join('\n'),
  );
}

if (plan.kind === 'missing' && inCi) {
  describe('Kafka broker (tools/kafka/broker)', () => {
    it('can be started in CI', () => {
      expect.fail(`CI must run the Kafka tests, but no broker can be started: ${plan.reason}`);
    });
  });
}

describe.skipIf(plan.kind === 'missing')('Kafka broker (tools/kafka/broker)', () => {
  const runId = randomUUID().slice(0, 8);
  const createdTopics: string[] = [];
  const clients: Array<Producer | Consumer> = [];
  let ownBrokerEnv: NodeJS.ProcessEnv | undefined;
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    let brokers: string[];
    if (plan.kind === 'external') {
      brokers = plan.brokers;
    } else {
      ownBrokerEnv = { ...process.env, KAFKA_PORT: String(await freePort()) };
      let stdout: string;
      try {
        ({ stdout } = await execFileAsync(brokerScript, ['start'], { env: ownBrokerEnv, timeout: 300_000 }));
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr ?? '';
        throw new Error(`tools/kafka/broker start failed: ${String(error)}\n${stderr}`);
      }
      const match = /^KAFKA_BROKERS=(.+)$/m.exec(stdout);
      if (!match) throw new Error(`tools/kafka/broker start printed no KAFKA_BROKERS line: ${stdout}`);
      brokers = match[1].split(',');
    }
    // kafkajs logs retriable broker answers (coordinator loading, concurrent transactions) as errors;
    // real failures surface as rejected promises, so its log stays off.
    kafka = new Kafka({ clientId: `riffle-kafka-smoke-${runId}`, brokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  }, 300_000);

  afterAll(async () => {
    for (const client of clients) await client.disconnect().catch(() => undefined);
    if (admin) {
      if (createdTopics.length > 0) await admin.deleteTopics({ topics: createdTopics }).catch(() => undefined);
      await admin.disconnect();
    }
    if (ownBrokerEnv) await execFileAsync(brokerScript, ['stop'], { env: ownBrokerEnv, timeout: 120_000 });
  }, 180_000);

  async function createTopic(numPartitions: number): Promise<string> {
    const topic = `riffle-smoke-${runId}-${createdTopics.length}`;
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    expect(created).toBe(true);
    createdTopics.push(topic);
    return topic;
  }

  function track<T extends Producer | Consumer>(client: T): T {
    clients.push(client);
    return client;
  }

  it('delivers 1,000 produced messages across 4 partitions back to a consumer', async () => {
    const topic = await createTopic(4);
    const count = 1_000;

    const producer = track(kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner }));
    await producer.connect();
    for (let start = 0; start < count; start += 250) {
      const messages = [];
      for (let i = start; i < start + 250; i++) messages.push({ key: `key-${i}`, value: `value-${i}` });
      await producer.send({ topic, acks: -1, messages });
    }

    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.map((o) => o.partition).sort()).toEqual([0, 1, 2, 3]);
    expect(offsets.reduce((sum, o) => sum + Number(o.high), 0)).toBe(count);

    const received = new Map<string, string>();
    const partitionsSeen = new Set<number>();
    const lastOffset = new Map<number, bigint>();
    let deliveries = 0;
    let outOfOrder = 0;
    const consumer = track(kafka.consumer({ groupId: `riffle-smoke-${runId}-plain` }));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumeUntil(
      consumer,
      ({ partition, message }) => {
        deliveries++;
        partitionsSeen.add(partition);
        const offset = BigInt(message.offset);
        const previous = lastOffset.get(partition);
        if (previous !== undefined && offset <= previous) outOfOrder++;
        lastOffset.set(partition, offset);
        received.set(String(message.key), String(message.value));
        return received.size === count;
      },
      60_000,
      `${count} messages on ${topic}`,
    );
    await consumer.stop();

    expect(received.size).toBe(count);
    expect(deliveries).toBe(count);
    expect(outOfOrder).toBe(0);
    expect([...partitionsSeen].sort()).toEqual([0, 1, 2, 3]);
    for (let i = 0; i < count; i++) expect(received.get(`key-${i}`)).toBe(`value-${i}`);
  });

  it('shows a read-committed consumer the committed transactions and never the aborted one', async () => {
    const topic = await createTopic(1);
    const batch = (label: string) => Array.from({ length: 10 }, (_, i) => ({ key: label, value: `${label}-${i}` }));

    const producer = track(
      kafka.producer({
        transactionalId: `riffle-smoke-${runId}-tx`,
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
    );
    await producer.connect();
    const committed = await producer.transaction();
    await committed.send({ topic, messages: batch('committed') });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: batch('aborted') });
    await aborted.abort();
    // A last committed transaction after the aborted one: once the consumer has read it, it has
    // passed every aborted record of this single-partition topic.
    const last = await producer.transaction();
    await last.send({ topic, messages: batch('last') });
    await last.commit();

    // 30 data records plus one commit/abort marker per transaction. The transaction coordinator
    // writes the markers after commit()/abort() return, so wait for the last one (bounded).
    let high = 0;
    for (let attempt = 0; attempt < 100; attempt++) {
      high = Number((await admin.fetchTopicOffsets(topic))[0]!.high);
      if (high >= 33) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(high).toBe(33);

    const readValues = async (readUncommitted: boolean, expected: number): Promise<string[]> => {
      const values: string[] = [];
      const consumer = track(
        kafka.consumer({ groupId: `riffle-smoke-${runId}-${readUncommitted ? 'uncommitted' : 'committed'}`, readUncommitted }),
      );
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumeUntil(
        consumer,
        ({ message }) => {
          values.push(String(message.value));
          return String(message.value) === 'last-9';
        },
        60_000,
        `the last committed transaction on ${topic} (readUncommitted: ${readUncommitted})`,
      );
      await consumer.stop();
      expect(values).toHaveLength(expected);
      return values;
    };

    const readCommitted = await readValues(false, 20);
    expect(readCommitted).toEqual([...batch('committed'), ...batch('last')].map((m) => m.value));

    // The aborted records are really in the log: only the isolation level hides them.
    const readUncommitted = await readValues(true, 30);
    expect(readUncommitted).toEqual([...batch('committed'), ...batch('aborted'), ...batch('last')].map((m) => m.value));
  });
});
