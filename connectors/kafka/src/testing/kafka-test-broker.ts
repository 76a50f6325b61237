import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
// Before kafkajs: replaces its read_committed filter (see the module).
import '../kafkajs-aborted-filter.js';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';

const execFileAsync = promisify(execFile);
const brokerScript = fileURLToPath(new URL('../../../../tools/kafka/broker', import.meta.url));

/**
 * Which broker the Kafka tests use: the cluster in `KAFKA_BROKERS` if set, else one started with
 * `tools/kafka/broker start`, else none (with the reason). Tests skip loudly on `missing` outside
 * CI and fail in CI (`CI` set).
 */
export type KafkaBrokerPlan = { kind: 'external'; brokers: string[] } | { kind: 'own' } | { kind: 'missing'; reason: string };

/** Decides the {@link KafkaBrokerPlan} (synchronously, at module load). */
export function planKafkaBroker(): KafkaBrokerPlan {
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external) return { kind: 'external', brokers: external.split(',').map((b) => b.trim()).filter((b) => b.length > 0) };
  const check = spawnSync(brokerScript, ['check'], { encoding: 'utf8' });
  if (check.status === 0) return { kind: 'own' };
  return { kind: 'missing', reason: (check.stderr || check.error?.message || `exit ${check.status}`).trim() };
}

/** The loud skip banner for a `missing` plan. */
export function missingBrokerBanner(reason: string): string {
  return [
    '',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    '!!! SKIPPING the Kafka connector tests: no Kafka broker can be started here.',
    `!!! ${reason}`,
    '!!! Install Java 11+ and Maven, or set KAFKA_BROKERS=host:port to use your own cluster.',
    '!!! (In CI, CI=true, this is a failure, not a skip.)',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    '',
  ].join('\n');
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

/** A record read back by {@link TestKafka.readCommitted}. */
export interface ConsumedRecord {
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
}

/** A broker for one test file: creates random topics, produces, and cleans everything up in `stop`. */
export class TestKafka {
  private readonly created: string[] = [];
  private readonly runId = randomUUID().slice(0, 8);

  private constructor(
    readonly brokers: string[],
    readonly kafka: Kafka,
    readonly admin: Admin,
    private readonly producer: Producer,
    private readonly ownEnv: NodeJS.ProcessEnv | undefined,
  ) {}

  /** Connects to the planned broker (starting one if the plan is `own`). */
  static async start(plan: KafkaBrokerPlan): Promise<TestKafka> {
    let brokers: string[];
    let ownEnv: NodeJS.ProcessEnv | undefined;
    if (plan.kind === 'external') brokers = plan.brokers;
    else if (plan.kind === 'own') {
      ownEnv = { ...process.env, KAFKA_PORT: String(await freePort()) };
      let stdout: string;
      try {
        ({ stdout } = await execFileAsync(brokerScript, ['start'], { env: ownEnv, timeout: 300_000 }));
      } catch (error) {
        throw new Error(`tools/kafka/broker start failed: ${String(error)}\n${(error as { stderr?: string }).stderr ?? ''}`);
      }
      const match = /^KAFKA_BROKERS=(.+)$/m.exec(stdout);
      if (!match) throw new Error(`tools/kafka/broker start printed no KAFKA_BROKERS line: ${stdout}`);
      brokers = match[1].split(',');
    } else throw new Error(`no Kafka broker: ${plan.reason}`);
    const kafka = new Kafka({ clientId: 'riffle-kafka-test', brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    return new TestKafka(brokers, kafka, admin, producer, ownEnv);
  }

  /** Creates a randomly named topic, deleted again by {@link stop}. */
  async createTopic(numPartitions: number, label = 't'): Promise<string> {
    const topic = `riffle-test-${label}-${this.runId}-${this.created.length}`;
    await this.admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1 }], waitForLeaders: false });
    this.created.push(topic);
    // kafkajs' own wait (waitForLeaders) retries only "leader not available"; right after the
    // creation a KRaft broker may still answer "does not host this topic-partition" (seen in CI).
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
        const partitions = topics[0]?.partitions ?? [];
        if (partitions.length === numPartitions && partitions.every((p) => p.leader >= 0)) return topic;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`topic ${topic}: no leader for all ${numPartitions} partitions after 30 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Produces `messages` to exactly the given partitions, in batches, waiting for all replicas. */
  async produce(topic: string, messages: ReadonlyArray<{ partition: number; value: string; key?: string; timestamp?: number }>): Promise<void> {
    for (let i = 0; i < messages.length; i += 2000) {
      await this.producer.send({
        topic,
        acks: -1,
        messages: messages.slice(i, i + 2000).map((m) => ({
          partition: m.partition,
          value: m.value,
          key: m.key ?? null,
          timestamp: m.timestamp === undefined ? undefined : String(m.timestamp),
        })),
      });
    }
  }

  /**
   * The last stable offset per partition: a `read_committed` consumer sees nothing at or past it
   * (an open transaction holds it at the transaction's first offset).
   */
  async lastStableOffsets(topic: string): Promise<Map<number, number>> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  }

  /**
   * Reads `topic` from the beginning as a `read_committed` consumer until at least `expected`
   * records arrived and every partition was read up to its last stable offset (so records beyond
   * `expected` are caught too). Fails after `timeoutMs` naming what it got. Each offset counts
   * once: the reader's own group may rejoin (a coordinator that moves, as on a freshly started
   * broker) and, committing nothing, read the topic again from the beginning; records the topic
   * really holds twice have different offsets and are all returned.
   */
  async readCommitted(topic: string, expected: number, timeoutMs = 60_000): Promise<ConsumedRecord[]> {
    const consumer = this.kafka.consumer({ groupId: `riffle-test-reader-${randomUUID()}`, readUncommitted: false, maxWaitTimeInMs: 100 });
    const records: ConsumedRecord[] = [];
    const seen = new Set<string>();
    const position = new Map<number, number>();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      // Batches of only transaction markers never reach eachBatch; their end still moves the position.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const next = Number(payload.lastOffset) + 1;
        if (next > (position.get(payload.partition) ?? 0)) position.set(payload.partition, next);
      });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            const at = `${batch.partition}:${m.offset}`;
            if (seen.has(at)) continue;
            seen.add(at);
            records.push({ partition: batch.partition, offset: Number(m.offset), key: m.key?.toString() ?? null, value: m.value?.toString() ?? null });
          }
          const next = Number(batch.lastOffset()) + 1;
          if (next > (position.get(batch.partition) ?? 0)) position.set(batch.partition, next);
        },
      });
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (records.length >= expected) {
          const stable = await this.lastStableOffsets(topic);
          if ([...stable].every(([p, lso]) => lso === 0 || (position.get(p) ?? 0) >= lso)) return records;
        }
        if (Date.now() > deadline) throw new Error(`readCommitted(${topic}): ${records.length} records after ${timeoutMs} ms, expected ${expected}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await consumer.disconnect();
    }
  }

  /** Deletes the topics created here, disconnects, and stops the broker if it started one. */
  async stop(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    if (this.created.length > 0) await this.admin.deleteTopics({ topics: this.created }).catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
    if (this.ownEnv) await execFileAsync(brokerScript, ['stop'], { env: this.ownEnv, timeout: 120_000 });
  }
}
