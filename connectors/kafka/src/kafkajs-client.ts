import { randomUUID } from 'node:crypto';
// Before kafkajs: replaces its read_committed filter (see the module).
import './kafkajs-aborted-filter.js';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import type { Admin, Consumer, EachBatchPayload, KafkaMessage, PartitionAssigner } from 'kafkajs';
import { getLogger } from '@riffle/core';
import {
  ArrayPartitionRecords,
  partitionKey,
  type FetcherOptions,
  type KafkaClient,
  type KafkaClientConfig,
  type KafkaFetcher,
  type MutableKafkaConsumerRecord,
  type OffsetSpec,
  type PartitionRecords,
  type PartitionStart,
  type TopicPartition,
} from './kafka-client.js';

const log = getLogger('KafkajsClient');

/** Properties this client understands (others are rejected at `build()`). */
export const KAFKAJS_PROPERTIES = [
  'client.id',
  'request.timeout.ms',
  'connection.timeout.ms',
  'fetch.max.wait.ms',
  'fetch.max.bytes',
  'max.partition.fetch.bytes',
  'session.timeout.ms',
] as const;

function numberProperty(props: Readonly<Record<string, string>>, name: string): number | undefined {
  const v = props[name];
  return v === undefined ? undefined : Number(v);
}

/**
 * The {@link KafkaClient} on kafkajs. kafkajs has no manual partition assignment, so a fetcher
 * is a consumer in a group of its own (a random group id, nothing committed) whose assigner hands
 * it exactly its partitions, seeked to their start offsets.
 */
export class KafkajsClient implements KafkaClient {
  private readonly kafka: Kafka;
  private admin: Admin | undefined;
  private adminConnecting: Promise<Admin> | undefined;
  private readonly fetchers = new Set<KafkaFetcher>();

  constructor(private readonly config: KafkaClientConfig) {
    const p = config.properties;
    this.kafka = new Kafka({
      clientId: p['client.id'] ?? 'riffle-kafka-source',
      brokers: [...config.bootstrapServers],
      requestTimeout: numberProperty(p, 'request.timeout.ms'),
      connectionTimeout: numberProperty(p, 'connection.timeout.ms'),
      // Failures surface as rejected promises; kafkajs' own log would go to the console.
      logLevel: logLevel.NOTHING,
    });
  }

  private async getAdmin(): Promise<Admin> {
    if (this.admin) return this.admin;
    this.adminConnecting ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
      return admin;
    })();
    return this.adminConnecting;
  }

  async listTopics(): Promise<string[]> {
    return (await this.getAdmin()).listTopics();
  }

  async fetchPartitions(topics: readonly string[] | RegExp): Promise<TopicPartition[]> {
    const admin = await this.getAdmin();
    let names: string[];
    if (topics instanceof RegExp) {
      const all = await admin.listTopics();
      names = all.filter((t) => !t.startsWith('__') && new RegExp(`^(?:${topics.source})$`, topics.flags.replace('g', '')).test(t));
      if (names.length === 0) return [];
    } else {
      names = [...topics];
    }
    const metadata = await admin.fetchTopicMetadata({ topics: names });
    const result: TopicPartition[] = [];
    for (const t of metadata.topics) {
      for (const p of t.partitions) result.push({ topic: t.name, partition: p.partitionId });
    }
    return result.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }

  async fetchOffsets(partitions: readonly TopicPartition[], spec: OffsetSpec): Promise<Map<string, number | undefined>> {
    const admin = await this.getAdmin();
    const topics = [...new Set(partitions.map((p) => p.topic))];
    const result = new Map<string, number | undefined>();
    const wanted = new Set(partitions.map((p) => partitionKey(p.topic, p.partition)));
    const put = (topic: string, partition: number, offset: number | undefined) => {
      const key = partitionKey(topic, partition);
      if (wanted.has(key)) result.set(key, offset);
    };
    if (spec.kind === 'committed') {
      const answer = await admin.fetchOffsets({ groupId: spec.groupId, topics });
      for (const t of answer) for (const p of t.partitions) put(t.topic, p.partition, Number(p.offset) >= 0 ? Number(p.offset) : undefined);
      return result;
    }
    for (const topic of topics) {
      if (spec.kind === 'timestamp') {
        const answer = await admin.fetchTopicOffsetsByTimestamp(topic, spec.timestamp);
        // Kafka answers -1 when no record is that late: start at the end then.
        const latest = await admin.fetchTopicOffsets(topic);
        const high = new Map(latest.map((o) => [o.partition, Number(o.high)]));
        for (const o of answer) put(topic, o.partition, Number(o.offset) >= 0 ? Number(o.offset) : high.get(o.partition));
      } else {
        for (const o of await admin.fetchTopicOffsets(topic)) put(topic, o.partition, Number(spec.kind === 'earliest' ? o.low : o.high));
      }
    }
    return result;
  }

  async createFetcher(starts: readonly PartitionStart[], options: FetcherOptions): Promise<KafkaFetcher> {
    const fetcher = new KafkajsFetcher(this.kafka, this.config, starts, options, () => this.fetchers.delete(fetcher));
    this.fetchers.add(fetcher);
    await fetcher.start();
    return fetcher;
  }

  async commitOffsets(groupId: string, offsets: readonly PartitionStart[]): Promise<void> {
    const admin = await this.getAdmin();
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const o of offsets) {
      let list = byTopic.get(o.topic);
      if (!list) byTopic.set(o.topic, (list = []));
      list.push({ partition: o.partition, offset: String(o.offset) });
    }
    for (const [topic, partitions] of byTopic) await admin.setOffsets({ groupId, topic, partitions });
  }

  async close(): Promise<void> {
    for (const f of [...this.fetchers]) await f.close();
    const admin = this.admin ?? (this.adminConnecting ? await this.adminConnecting.catch(() => undefined) : undefined);
    this.admin = undefined;
    this.adminConnecting = undefined;
    if (admin) await admin.disconnect();
  }
}

/** An assigner that gives every member of the (one-member) group exactly `partitions`. */
function fixedAssigner(partitions: readonly TopicPartition[]): PartitionAssigner {
  const assignment: Record<string, number[]> = {};
  for (const p of partitions) (assignment[p.topic] ??= []).push(p.partition);
  return () => ({
    name: 'RiffleFixedAssigner',
    version: 1,
    assign: async ({ members }) =>
      members.map((m) => ({
        memberId: m.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment, userData: Buffer.alloc(0) }),
      })),
    protocol: ({ topics }) => ({
      name: 'RiffleFixedAssigner',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
    }),
  });
}

const HEARTBEAT_WHILE_FULL_MS = 1000;
const DEFAULT_MAX_PARTITION_FETCH_BYTES = 262_144;
/** A consumer still starting after this long gets a warning naming the step it is in (diagnostics only). */
const SLOW_START_WARNING_MS = 20_000;
const NO_HEADERS = Object.freeze({});

/** A kafkajs batch read in place: records are not copied, offsets and timestamps parsed on access. */
class KafkajsPartitionRecords implements PartitionRecords {
  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly messages: readonly KafkaMessage[],
    readonly nextOffset: number,
  ) {}

  get size(): number {
    return this.messages.length;
  }

  offsetAt(i: number): number {
    return Number(this.messages[i].offset);
  }

  recordAt(i: number, into: MutableKafkaConsumerRecord): void {
    const m = this.messages[i];
    into.topic = this.topic;
    into.partition = this.partition;
    into.offset = Number(m.offset);
    into.timestamp = Number(m.timestamp);
    into.key = m.key;
    into.value = m.value;
    into.headers = m.headers ?? NO_HEADERS;
  }
}

/** Restarts of a crashed consumer a fetcher attempts before it fails (backoff doubles from 100 ms). */
const MAX_CONSUMER_RESTARTS = 8;

/** Whether kafkajs would retry after this crash (its own rule: retries exhausted or a retriable cause). */
function retriable(error: unknown): boolean {
  let cause = error as { name?: string; retriable?: boolean; cause?: unknown } | undefined;
  if (cause?.name === 'KafkaJSNumberOfRetriesExceeded') return true;
  while (cause?.cause !== undefined) cause = cause.cause as typeof cause;
  return cause?.retriable === true;
}

/**
 * Fetches a fixed set of partitions with a kafkajs consumer. kafkajs restarts a crashed consumer
 * (a failed group join, a lost coordinator) with a new consumer group state, which forgets every
 * `seek`: the partitions would restart at the earliest offset. So kafkajs' own restart is off,
 * and the fetcher replaces a crashed consumer itself, seeked to where the records it handed out
 * (or buffered) end. A crash that is not retriable, or too many in a row, fails the fetcher.
 */
class KafkajsFetcher implements KafkaFetcher {
  private consumer: Consumer;
  private readonly queue: PartitionRecords[] = [];
  private queued = 0;
  private waiter: ((batches: PartitionRecords[]) => void) | undefined;
  private failure: unknown;
  private failed: ((error: unknown) => void) | undefined;
  private drained: (() => void) | undefined;
  private closed = false;
  /** The next offset per partition (key `topic-partition`): where a replacement consumer starts. */
  private readonly positions = new Map<string, PartitionStart>();
  /** Restarts since the last batch arrived. */
  private restarts = 0;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: KafkaClientConfig,
    private readonly starts: readonly PartitionStart[],
    private readonly options: FetcherOptions,
    private readonly onClose: () => void,
  ) {
    for (const s of starts) this.positions.set(partitionKey(s.topic, s.partition), s);
    this.consumer = this.createConsumer();
  }

  private createConsumer(): Consumer {
    const p = this.config.properties;
    return this.kafka.consumer({
      groupId: `riffle-fetcher-${randomUUID()}`,
      partitionAssigners: [fixedAssigner(this.starts)],
      maxWaitTimeInMs: numberProperty(p, 'fetch.max.wait.ms') ?? 100,
      maxBytes: numberProperty(p, 'fetch.max.bytes'),
      // Smaller than kafkajs' 1 MiB: a fetched batch lives until the task has emitted it, and
      // smaller batches die younger (less GC), with an earlier first record (measured in the README).
      maxBytesPerPartition: numberProperty(p, 'max.partition.fetch.bytes') ?? DEFAULT_MAX_PARTITION_FETCH_BYTES,
      sessionTimeout: numberProperty(p, 'session.timeout.ms'),
      allowAutoTopicCreation: false,
      retry: { restartOnFailure: async () => false },
    });
  }

  start(): Promise<void> {
    return this.run(this.consumer);
  }

  private async run(consumer: Consumer): Promise<void> {
    let crashed = false;
    consumer.on(consumer.events.CRASH, (event) => {
      crashed = true;
      if (consumer === this.consumer && !this.closed) this.crashed(event.payload.error);
    });
    // Batches of only transaction markers or aborted records never reach eachBatch; their end
    // still moves the position (a bounded split may stop right after them).
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0 && consumer === this.consumer && !this.closed) {
        this.push(new ArrayPartitionRecords(payload.topic, payload.partition, [], Number(payload.lastOffset) + 1));
      }
    });
    // A start that hangs leaves its split unread with no error: say where it hangs.
    let step = 'connecting';
    const slow = setTimeout(() => {
      if (consumer === this.consumer && !this.closed) {
        log.warn(`a Kafka consumer has been ${step} for ${SLOW_START_WARNING_MS / 1000} s`, { partitions: this.starts.map((s) => `${s.topic}-${s.partition}`).join(',') });
      }
    }, SLOW_START_WARNING_MS);
    slow.unref();
    try {
      await consumer.connect();
      step = 'subscribing';
      await consumer.subscribe({ topics: [...new Set(this.starts.map((s) => s.topic))], fromBeginning: true });
      step = 'joining its group';
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: true, eachBatch: (payload) => this.onBatch(consumer, payload) });
    } finally {
      clearTimeout(slow);
    }
    // A consumer that crashed while joining its group has no group state to seek in; the crash
    // handler has already scheduled its replacement (or failed the fetcher).
    if (crashed || this.closed) return;
    for (const s of this.positions.values()) consumer.seek({ topic: s.topic, partition: s.partition, offset: String(s.offset) });
  }

  private crashed(error: unknown): void {
    if (!retriable(error) || this.restarts >= MAX_CONSUMER_RESTARTS) {
      this.fail(error);
      return;
    }
    const delay = 100 * 2 ** this.restarts++;
    log.warn('the Kafka consumer crashed; replacing it at the current positions', { error: String(error), restart: this.restarts, delayMs: delay });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.closed) return;
      const consumer = (this.consumer = this.createConsumer());
      this.run(consumer).catch((e: unknown) => {
        if (consumer === this.consumer && !this.closed) this.crashed(e);
      });
    }, delay);
  }

  private async onBatch(consumer: Consumer, { batch, heartbeat, isRunning }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    if (batch.messages.length === 0 || consumer !== this.consumer) return;
    this.restarts = 0;
    // lastOffset() counts a trailing transaction marker, so the position passes it.
    this.push(new KafkajsPartitionRecords(topic, partition, batch.messages, Number(batch.lastOffset()) + 1));
    // Backpressure: keep kafkajs from fetching more while the buffer is full, heartbeating so
    // the group does not evict this (only) member.
    while (this.queued > this.options.maxBufferedRecords && !this.closed && isRunning()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, HEARTBEAT_WHILE_FULL_MS);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.drained = undefined;
      await heartbeat().catch(() => undefined);
    }
  }

  private push(batch: PartitionRecords): void {
    this.positions.set(partitionKey(batch.topic, batch.partition), { topic: batch.topic, partition: batch.partition, offset: batch.nextOffset });
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      this.failed = undefined;
      waiter([batch]);
      return;
    }
    this.queue.push(batch);
    this.queued += batch.size;
  }

  private fail(error: unknown): void {
    this.failure = error;
    const failed = this.failed;
    this.waiter = undefined;
    this.failed = undefined;
    failed?.(error);
  }

  poll(): Promise<PartitionRecords[]> {
    if (this.failure !== undefined) return Promise.reject(this.failure instanceof Error ? this.failure : new Error(String(this.failure)));
    if (this.queue.length > 0) {
      const all = this.queue.splice(0, this.queue.length);
      this.queued = 0;
      this.drained?.();
      return Promise.resolve(all);
    }
    if (this.closed) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.failed = reject;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.restartTimer);
    this.drained?.();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.([]);
    this.onClose();
    try {
      await this.consumer.disconnect();
    } catch (error) {
      log.warn('disconnecting a Kafka consumer failed', { error: String(error) });
    }
  }
}

/** The default {@link KafkaClientFactory}: kafkajs. */
export function createKafkajsClient(config: KafkaClientConfig): KafkaClient {
  return new KafkajsClient(config);
}
