import { createRequire } from 'node:module';
// Before kafkajs: replaces its read_committed filter (see the module).
import './kafkajs-aborted-filter.js';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import type {
  EndTransactionResult,
  KafkaProducer,
  KafkaProducerClient,
  KafkaProducerRecord,
  KafkaTransaction,
  ProducerOptions,
  TransactionHandle,
} from './kafka-producer-client.js';

/*
 * kafkajs keeps a transactional producer's id and epoch private and cannot resume a transaction
 * begun by another process. Like Flink's FlinkKafkaInternalProducer (which uses reflection), this
 * client reaches into kafkajs 2.x internals: the cluster factory a `Kafka` instance holds, the
 * EOS manager (InitProducerId, AddPartitionsToTxn, sequence numbers) and the message producer.
 * kafkajs has no exports map, so its `src/` modules load by path. Pinned by the tests against a
 * real broker; a kafkajs upgrade must keep them green.
 */
const require = createRequire(import.meta.url);

interface KafkajsLogger {
  namespace(name: string): KafkajsLogger;
}
interface KafkajsBroker {
  endTxn(request: { transactionalId: string; producerId: number; producerEpoch: number; transactionResult: boolean }): Promise<unknown>;
}
interface KafkajsCluster {
  retry: Record<string, unknown> | undefined;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  findGroupCoordinator(request: { groupId: string; coordinatorType: number }): Promise<KafkajsBroker>;
}
interface KafkajsEosManager {
  getProducerId(): number;
  getProducerEpoch(): number;
  initProducerId(): Promise<void>;
  beginTransaction(): void;
}
interface KafkajsMessageProducer {
  sendBatch(request: { acks: number; topicMessages: Array<{ topic: string; messages: unknown[] }> }): Promise<unknown>;
}
type CreateCluster = (options: { allowAutoTopicCreation?: boolean; maxInFlightRequests?: number | null }) => KafkajsCluster;

const createEosManager = require('kafkajs/src/producer/eosManager/index.js') as (options: {
  logger: KafkajsLogger;
  cluster: KafkajsCluster;
  transactionTimeout: number;
  transactional: boolean;
  transactionalId: string;
}) => KafkajsEosManager;
const createMessageProducer = require('kafkajs/src/producer/messageProducer.js') as (options: {
  logger: KafkajsLogger;
  cluster: KafkajsCluster;
  partitioner: unknown;
  eosManager: KafkajsEosManager;
  idempotent: boolean;
  retrier: unknown;
  getConnectionStatus: () => string;
}) => KafkajsMessageProducer;
const createRetry = require('kafkajs/src/retry/index.js') as (options: Record<string, unknown>) => unknown;
const { CONNECTION_STATUS } = require('kafkajs/src/network/connectionStatus.js') as { CONNECTION_STATUS: { CONNECTED: string } };
const TRANSACTION_COORDINATOR = 1;
// ConfigResourceTypes.BROKER (kafkajs exports the enum as a type only under ESM).
const BROKER_RESOURCE = 4;

/** The private member of a `Kafka` instance whose symbol is described `description`. */
function privateMember<X>(kafka: Kafka, description: string): X {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === description);
  if (!symbol) throw new Error(`kafkajs internals changed: Kafka has no '${description}' member (the Kafka sink needs kafkajs 2.x)`);
  return (kafka as unknown as Record<symbol, X>)[symbol];
}

function toMessage(r: KafkaProducerRecord): Record<string, unknown> {
  return {
    partition: r.partition,
    key: r.key === null ? null : Buffer.from(r.key.buffer, r.key.byteOffset, r.key.byteLength),
    value: r.value === null ? null : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
    timestamp: r.timestamp === undefined ? undefined : String(r.timestamp),
    headers: r.headers,
  };
}

/** Groups records by topic, keeping their order within a topic. */
function topicMessages(records: readonly KafkaProducerRecord[]): Array<{ topic: string; messages: unknown[] }> {
  if (records.length === 0) return [];
  const first = records[0].topic;
  let single = true;
  for (let i = 1; i < records.length && single; i++) single = records[i].topic === first;
  if (single) return [{ topic: first, messages: records.map(toMessage) }];
  const byTopic = new Map<string, unknown[]>();
  for (const r of records) {
    let list = byTopic.get(r.topic);
    if (!list) byTopic.set(r.topic, (list = []));
    list.push(toMessage(r));
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

const FENCED = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'INVALID_PRODUCER_ID_MAPPING']);
const RETRIABLE_END = new Set(['CONCURRENT_TRANSACTIONS', 'COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR']);

/**
 * The {@link KafkaProducerClient} on kafkajs. One cluster connection is shared by the client's
 * transactions and end-transaction requests; each transaction has its own producer id and epoch.
 */
export class KafkajsProducerClient implements KafkaProducerClient {
  private readonly kafka: Kafka;
  private cluster: KafkajsCluster | undefined;
  private connecting: Promise<KafkajsCluster> | undefined;
  private readonly producers = new Set<Producer>();
  private readonly logger: KafkajsLogger;

  constructor(config: { readonly bootstrapServers: readonly string[]; readonly properties: Readonly<Record<string, string>> }) {
    const p = config.properties;
    this.kafka = new Kafka({
      clientId: p['client.id'] ?? 'riffle-kafka-sink',
      brokers: [...config.bootstrapServers],
      requestTimeout: p['request.timeout.ms'] === undefined ? undefined : Number(p['request.timeout.ms']),
      connectionTimeout: p['connection.timeout.ms'] === undefined ? undefined : Number(p['connection.timeout.ms']),
      logLevel: logLevel.NOTHING,
    });
    this.logger = privateMember<KafkajsLogger>(this.kafka, 'private:Kafka:logger');
  }

  private async getCluster(): Promise<KafkajsCluster> {
    if (this.cluster) return this.cluster;
    this.connecting ??= (async () => {
      const create = privateMember<CreateCluster>(this.kafka, 'private:Kafka:createCluster');
      const cluster = create({ allowAutoTopicCreation: false, maxInFlightRequests: 1 });
      await cluster.connect();
      this.cluster = cluster;
      return cluster;
    })();
    return this.connecting;
  }

  async createProducer(options: ProducerOptions): Promise<KafkaProducer> {
    const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
    this.producers.add(producer);
    return {
      send: async (records) => {
        if (records.length > 0) await producer.sendBatch({ acks: options.acks, topicMessages: topicMessages(records) as never });
      },
      close: async () => {
        this.producers.delete(producer);
        await producer.disconnect();
      },
    };
  }

  private async initialise(transactionalId: string, timeoutMs: number): Promise<{ cluster: KafkajsCluster; eos: KafkajsEosManager }> {
    const cluster = await this.getCluster();
    const eos = createEosManager({ logger: this.logger.namespace('RiffleTxn'), cluster, transactionTimeout: timeoutMs, transactional: true, transactionalId });
    await eos.initProducerId();
    return { cluster, eos };
  }

  async beginTransaction(transactionalId: string, timeoutMs: number): Promise<KafkaTransaction> {
    const { cluster, eos } = await this.initialise(transactionalId, timeoutMs);
    eos.beginTransaction();
    const messages = createMessageProducer({
      logger: this.logger.namespace('RiffleTxn'),
      cluster,
      partitioner: Partitioners.DefaultPartitioner(),
      eosManager: eos,
      idempotent: true,
      retrier: createRetry({ ...cluster.retry, retries: Number.MAX_SAFE_INTEGER }),
      getConnectionStatus: () => CONNECTION_STATUS.CONNECTED,
    });
    const handle: TransactionHandle = { transactionalId, producerId: Number(eos.getProducerId()), epoch: eos.getProducerEpoch() };
    let hasRecords = false;
    let released = false;
    let chain: Promise<unknown> = Promise.resolve();
    return {
      handle,
      get hasRecords() {
        return hasRecords;
      },
      send(records) {
        if (released) return Promise.reject(new Error(`Kafka transaction ${transactionalId} was released`));
        if (records.length === 0) return chain.then(() => undefined);
        hasRecords = true;
        const batch = topicMessages(records);
        // Idempotent sends must not overtake each other (sequence numbers): one at a time.
        const next = chain.then(() => messages.sendBatch({ acks: -1, topicMessages: batch }));
        chain = next.catch(() => undefined);
        return next.then(() => undefined);
      },
      release() {
        released = true;
      },
    };
  }

  async fenceTransactionalId(transactionalId: string, timeoutMs: number): Promise<{ readonly epoch: number }> {
    const { eos } = await this.initialise(transactionalId, timeoutMs);
    return { epoch: eos.getProducerEpoch() };
  }

  async endTransaction(handle: TransactionHandle, commit: boolean): Promise<EndTransactionResult> {
    const cluster = await this.getCluster();
    for (let attempt = 0; ; attempt++) {
      try {
        await cluster.refreshMetadataIfNecessary();
        const broker = await cluster.findGroupCoordinator({ groupId: handle.transactionalId, coordinatorType: TRANSACTION_COORDINATOR });
        await broker.endTxn({ transactionalId: handle.transactionalId, producerId: handle.producerId, producerEpoch: handle.epoch, transactionResult: commit });
        return { kind: 'ended' };
      } catch (error) {
        const type = (error as { type?: string }).type ?? '';
        const message = error instanceof Error ? error.message : String(error);
        if (FENCED.has(type)) return { kind: 'fenced', detail: `${type}: ${message}` };
        if (type === 'INVALID_TXN_STATE') return { kind: 'invalid-state', detail: `${type}: ${message}` };
        if (!RETRIABLE_END.has(type) || attempt >= 50) throw error;
        // The coordinator is still writing an earlier end (or loading): ask again shortly.
        await new Promise((resolve) => setTimeout(resolve, Math.min(50 * (attempt + 1), 1000)));
      }
    }
  }

  async maxTransactionTimeoutMs(): Promise<number | undefined> {
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    try {
      const { brokers } = await admin.describeCluster();
      let max: number | undefined;
      const answer = await admin.describeConfigs({
        includeSynonyms: false,
        resources: brokers.map((b) => ({ type: BROKER_RESOURCE, name: String(b.nodeId), configNames: ['transaction.max.timeout.ms'] })),
      });
      for (const resource of answer.resources) {
        for (const entry of resource.configEntries) {
          const v = Number(entry.configValue);
          if (entry.configName === 'transaction.max.timeout.ms' && Number.isFinite(v)) max = max === undefined ? v : Math.min(max, v);
        }
      }
      return max;
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    for (const p of [...this.producers]) await p.disconnect().catch(() => undefined);
    this.producers.clear();
    const cluster = this.cluster ?? (this.connecting ? await this.connecting.catch(() => undefined) : undefined);
    this.cluster = undefined;
    this.connecting = undefined;
    if (cluster) await cluster.disconnect();
  }
}

/** The default {@link KafkaProducerClientFactory}: kafkajs. */
export function createKafkajsProducerClient(config: { readonly bootstrapServers: readonly string[]; readonly properties: Readonly<Record<string, string>> }): KafkaProducerClient {
  return new KafkajsProducerClient(config);
}
