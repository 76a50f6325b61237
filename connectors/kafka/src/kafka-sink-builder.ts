import { DeliveryGuarantee, isDeliveryGuarantee } from '@riffle/core';
import type { KafkaProducerClientFactory } from './kafka-producer-client.js';
import { createKafkajsProducerClient } from './kafkajs-producer-client.js';
import type { KafkaRecordSerializationSchema } from './serialization.js';
import type { KafkaSink, KafkaSinkConfig } from './kafka-sink.js';

const BOOTSTRAP = /^[^\s,:]+:\d{1,5}$/;
const CLIENT_PROPERTIES = ['client.id', 'request.timeout.ms', 'connection.timeout.ms'] as const;
/** Kafka's producer default is 60 s; Flink's is 1 h, which default brokers (max 15 min) refuse. */
const DEFAULT_TRANSACTION_TIMEOUT_MS = 900_000;

/**
 * Builds a {@link KafkaSink}. Setters record options; `build()` validates them all and throws an
 * error naming the first bad option. Required: bootstrap servers and a record serializer; with
 * EXACTLY_ONCE also a transactional-id prefix.
 */
export class KafkaSinkBuilder<T> {
  private bootstrapServers: string[] | undefined;
  private serializer: KafkaRecordSerializationSchema<T> | undefined;
  private deliveryGuarantee: DeliveryGuarantee = DeliveryGuarantee.NONE;
  private transactionalIdPrefix: string | undefined;
  private transactionTimeoutMs = DEFAULT_TRANSACTION_TIMEOUT_MS;
  private readonly properties: Record<string, string> = {};
  private clientFactory: KafkaProducerClientFactory = createKafkajsProducerClient;

  constructor(private readonly create: (config: KafkaSinkConfig<T>) => KafkaSink<T>) {}

  /** `host:port` list, comma-separated or as an array. */
  setBootstrapServers(servers: string | readonly string[]): this {
    this.bootstrapServers = (typeof servers === 'string' ? servers.split(',') : [...servers]).map((s) => s.trim()).filter((s) => s.length > 0);
    return this;
  }

  /** Turns elements into Kafka records: `KafkaRecordSerializationSchema.builder<T>().setTopic(t).setValueSerializationSchema(s).build()`. */
  setRecordSerializer(serializer: KafkaRecordSerializationSchema<T>): this {
    this.serializer = serializer;
    return this;
  }

  /** `DeliveryGuarantee.NONE` (default), `AT_LEAST_ONCE` or `EXACTLY_ONCE`. */
  setDeliveryGuarantee(guarantee: DeliveryGuarantee): this {
    this.deliveryGuarantee = guarantee;
    return this;
  }

  /**
   * The prefix of the sink's transactional ids (`prefix-subtask-index`). Required with
   * EXACTLY_ONCE; must be unique to the job across the cluster and stay the same across restarts
   * (so a recovery finds the transactions to abort).
   */
  setTransactionalIdPrefix(prefix: string): this {
    this.transactionalIdPrefix = prefix;
    return this;
  }

  /**
   * How long a transaction may stay open before the broker aborts it (default 900,000 ms, the
   * broker's default maximum). Must cover the checkpoint interval plus a recovery; at most the
   * broker's `transaction.max.timeout.ms` (checked when the job starts).
   */
  setTransactionTimeout(ms: number): this {
    this.transactionTimeoutMs = ms;
    return this;
  }

  /**
   * A client property: `client.id`, `request.timeout.ms`, `connection.timeout.ms`, and the sink's
   * `transaction.timeout.ms` (as `setTransactionTimeout`), `sink.batch.size` (records per produce
   * request, default 1,000) and `sink.max.in.flight` (produce requests in flight without
   * transactions, default 5). Unknown keys fail `build()`.
   */
  setProperty(key: string, value: string | number | boolean): this {
    this.properties[key] = String(value);
    return this;
  }

  /** Replaces the Kafka client (default: kafkajs). For other client libraries and tests. */
  setClientFactory(factory: KafkaProducerClientFactory): this {
    this.clientFactory = factory;
    return this;
  }

  /** Validates every option and builds the sink; throws naming the first bad option. */
  build(): KafkaSink<T> {
    if (!this.bootstrapServers || this.bootstrapServers.length === 0) throw new Error('KafkaSink: bootstrap servers are required (setBootstrapServers)');
    for (const s of this.bootstrapServers) {
      if (!BOOTSTRAP.test(s)) throw new Error(`KafkaSink: bootstrap server '${s}' is not host:port (setBootstrapServers)`);
    }
    if (!this.serializer) throw new Error('KafkaSink: a record serializer is required (setRecordSerializer)');
    if (!isDeliveryGuarantee(this.deliveryGuarantee)) throw new Error(`KafkaSink: unknown delivery guarantee '${String(this.deliveryGuarantee)}' (setDeliveryGuarantee)`);
    const positiveInt = (what: string, v: string | number): number => {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`KafkaSink: ${what} must be a positive integer, got '${v}'`);
      return n;
    };
    let timeout = this.transactionTimeoutMs;
    let batchSize = 1000;
    let maxInFlight = 5;
    const clientProperties: Record<string, string> = {};
    for (const [key, value] of Object.entries(this.properties)) {
      switch (key) {
        case 'transaction.timeout.ms':
          timeout = positiveInt(`property '${key}'`, value);
          break;
        case 'sink.batch.size':
          batchSize = positiveInt(`property '${key}'`, value);
          break;
        case 'sink.max.in.flight':
          maxInFlight = positiveInt(`property '${key}'`, value);
          break;
        default:
          if (!(CLIENT_PROPERTIES as readonly string[]).includes(key)) {
            throw new Error(`KafkaSink: unknown property '${key}' (known: ${CLIENT_PROPERTIES.join(', ')}, transaction.timeout.ms, sink.batch.size, sink.max.in.flight)`);
          }
          if (key !== 'client.id') positiveInt(`property '${key}'`, value);
          clientProperties[key] = value;
      }
    }
    positiveInt('the transaction timeout (setTransactionTimeout)', timeout);
    const prefix = this.transactionalIdPrefix;
    if (this.deliveryGuarantee === DeliveryGuarantee.EXACTLY_ONCE) {
      if (prefix === undefined || prefix.trim() === '') throw new Error('KafkaSink: EXACTLY_ONCE needs a transactional-id prefix unique to the job (setTransactionalIdPrefix)');
    }
    if (prefix !== undefined && !/^[a-zA-Z0-9._-]{1,200}$/.test(prefix)) {
      throw new Error(`KafkaSink: the transactional-id prefix '${prefix}' may hold only letters, digits, '.', '_' and '-' (setTransactionalIdPrefix)`);
    }
    return this.create({
      bootstrapServers: this.bootstrapServers,
      properties: clientProperties,
      serializer: this.serializer,
      deliveryGuarantee: this.deliveryGuarantee,
      transactionalIdPrefix: prefix ?? 'riffle-kafka-sink',
      transactionTimeoutMs: timeout,
      batchSize,
      maxInFlight,
      clientFactory: this.clientFactory,
    });
  }
}
