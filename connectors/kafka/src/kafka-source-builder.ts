import type { OutputTag } from '@riffle/core';
import type { KafkaClientFactory } from './kafka-client.js';
import { DeadLetterDeserializationSchema, type KafkaDeadLetter } from './dead-letter.js';
import { KAFKAJS_PROPERTIES, createKafkajsClient } from './kafkajs-client.js';
import { ValueOnlyDeserializationSchema, type DeserializationSchema, type KafkaRecordDeserializationSchema } from './deserialization.js';
import { OffsetsInitializer, type OffsetsInitializerSpec } from './offsets-initializer.js';
import type { KafkaSource, KafkaSourceConfig } from './kafka-source.js';

const BOOTSTRAP = /^[^\s,:]+:\d{1,5}$/;

/**
 * Builds a {@link KafkaSource}. Setters record options; `build()` validates them all and throws
 * an error naming the first bad option. Required: bootstrap servers, topics (or a pattern) and a
 * deserializer.
 */
export class KafkaSourceBuilder<T> {
  private bootstrapServers: string[] | undefined;
  private topics: string[] | RegExp | undefined;
  private topicsSetTwice = false;
  private groupId: string | undefined;
  private startingOffsets: OffsetsInitializerSpec = OffsetsInitializer.earliest();
  private stoppingOffsets: OffsetsInitializerSpec | undefined;
  private deserializer: KafkaRecordDeserializationSchema<T> | undefined;
  private readonly properties: Record<string, string> = {};
  private partitionDiscoveryIntervalMs = -1;
  private commitOffsetsOnCheckpoint = true;
  private maxBufferedRecords = 10_000;
  private maxRecordsPerPoll = 1_000;
  private clientFactory: KafkaClientFactory = createKafkajsClient;
  private deadLetterOutput: OutputTag<KafkaDeadLetter> | undefined;

  constructor(private readonly create: (config: KafkaSourceConfig<T>) => KafkaSource<T>) {}

  /** `host:port` list, comma-separated or as an array. */
  setBootstrapServers(servers: string | readonly string[]): this {
    this.bootstrapServers = (typeof servers === 'string' ? servers.split(',') : [...servers]).map((s) => s.trim()).filter((s) => s.length > 0);
    return this;
  }

  /** The topics to read (all their partitions). Exclusive with `setTopicPattern`. */
  setTopics(...topics: Array<string | readonly string[]>): this {
    if (this.topics !== undefined) this.topicsSetTwice = true;
    this.topics = topics.flat();
    return this;
  }

  /** Every topic whose whole name matches `pattern` (internal `__` topics excluded). Exclusive with `setTopics`. */
  setTopicPattern(pattern: RegExp): this {
    if (this.topics !== undefined) this.topicsSetTwice = true;
    this.topics = pattern;
    return this;
  }

  /** The consumer group: used by `committedOffsets()` and to commit offsets when checkpoints complete. */
  setGroupId(groupId: string): this {
    this.groupId = groupId;
    return this;
  }

  /** Where each partition starts (default `OffsetsInitializer.earliest()`). */
  setStartingOffsets(offsets: OffsetsInitializerSpec): this {
    this.startingOffsets = offsets;
    return this;
  }

  /** Makes the source BOUNDED: each partition stops before the offset `offsets` gives (resolved at start). */
  setBounded(offsets: OffsetsInitializerSpec): this {
    this.stoppingOffsets = offsets;
    return this;
  }

  /** Deserializes each record value (key, headers and metadata ignored). */
  setValueOnlyDeserializer(schema: DeserializationSchema<T>): this {
    this.deserializer = new ValueOnlyDeserializationSchema(schema);
    return this;
  }

  /** Deserializes whole records (key, value, headers, topic, partition, offset, timestamp). */
  setDeserializer(schema: KafkaRecordDeserializationSchema<T>): this {
    this.deserializer = schema;
    return this;
  }

  /**
   * A client property. Known: `client.id`, `request.timeout.ms`, `connection.timeout.ms`,
   * `fetch.max.wait.ms`, `fetch.max.bytes`, `max.partition.fetch.bytes` (default 262,144),
   * `session.timeout.ms`, and the source's own
   * `commit.offsets.on.checkpoint` (true|false), `partition.discovery.interval.ms`,
   * `source.max.buffered.records`, `source.max.records.per.poll`.
   */
  setProperty(key: string, value: string | number | boolean): this {
    this.properties[key] = String(value);
    return this;
  }

  /** ms between checks for new partitions of an unbounded source; 0 or negative turns discovery off (the default). */
  setPartitionDiscoveryInterval(ms: number): this {
    this.partitionDiscoveryIntervalMs = ms;
    return this;
  }

  /** Replaces the Kafka client (default: kafkajs). For other client libraries and tests. */
  setClientFactory(factory: KafkaClientFactory): this {
    this.clientFactory = factory;
    return this;
  }

  /**
   * Keeps the job running when a record cannot be deserialized: instead of failing (the
   * default), the source emits a {@link KafkaDeadLetter} (raw key and value, topic, partition,
   * offset, timestamp, error) in its stream, which becomes `T | KafkaDeadLetter`. Route them to the
   * side output `tag` with `.process(new KafkaDeadLetterRouter<T>(tag))` right after `fromSource`,
   * then read them with `getSideOutput(tag)`; the router counts them. Call it after the
   * deserializer is set (the returned builder is typed for the wider stream).
   */
  setDeadLetterOutput(tag: OutputTag<KafkaDeadLetter>): KafkaSourceBuilder<T | KafkaDeadLetter> {
    this.deadLetterOutput = tag;
    return this as unknown as KafkaSourceBuilder<T | KafkaDeadLetter>;
  }

  /** Validates every option and builds the source; throws naming the first bad option. */
  build(): KafkaSource<T> {
    if (!this.bootstrapServers || this.bootstrapServers.length === 0) throw new Error('KafkaSource: bootstrap servers are required (setBootstrapServers)');
    for (const s of this.bootstrapServers) {
      if (!BOOTSTRAP.test(s)) throw new Error(`KafkaSource: bootstrap server '${s}' is not host:port (setBootstrapServers)`);
    }
    if (this.topics === undefined) throw new Error('KafkaSource: topics are required (setTopics or setTopicPattern)');
    if (this.topicsSetTwice) throw new Error('KafkaSource: set topics once, with either setTopics or setTopicPattern');
    if (Array.isArray(this.topics)) {
      if (this.topics.length === 0) throw new Error('KafkaSource: setTopics needs at least one topic');
      for (const t of this.topics) {
        if (typeof t !== 'string' || !/^[a-zA-Z0-9._-]{1,249}$/.test(t)) throw new Error(`KafkaSource: '${String(t)}' is not a valid topic name (setTopics)`);
      }
    }
    if (this.groupId !== undefined && this.groupId.trim() === '') throw new Error('KafkaSource: the group id must not be empty (setGroupId)');
    if (!this.deserializer) throw new Error('KafkaSource: a deserializer is required (setValueOnlyDeserializer or setDeserializer)');
    if (this.startingOffsets.kind === 'committed' && this.groupId === undefined) {
      throw new Error('KafkaSource: setStartingOffsets(OffsetsInitializer.committedOffsets()) needs setGroupId');
    }
    if (this.stoppingOffsets?.kind === 'earliest') throw new Error('KafkaSource: setBounded(OffsetsInitializer.earliest()) would read nothing; use latest(), offsets() or timestamp()');
    if (this.stoppingOffsets?.kind === 'committed' && this.groupId === undefined) throw new Error('KafkaSource: setBounded(committedOffsets()) needs setGroupId');

    const clientProperties: Record<string, string> = {};
    let discovery = this.partitionDiscoveryIntervalMs;
    let commit = this.commitOffsetsOnCheckpoint;
    let maxBuffered = this.maxBufferedRecords;
    let maxPerPoll = this.maxRecordsPerPoll;
    const positiveInt = (key: string, v: string): number => {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`KafkaSource: property '${key}' must be a positive integer, got '${v}'`);
      return n;
    };
    for (const [key, value] of Object.entries(this.properties)) {
      switch (key) {
        case 'commit.offsets.on.checkpoint':
          if (value !== 'true' && value !== 'false') throw new Error(`KafkaSource: property '${key}' must be true or false, got '${value}'`);
          commit = value === 'true';
          break;
        case 'partition.discovery.interval.ms':
          discovery = Number(value);
          break;
        case 'source.max.buffered.records':
          maxBuffered = positiveInt(key, value);
          break;
        case 'source.max.records.per.poll':
          maxPerPoll = positiveInt(key, value);
          break;
        default:
          if (!(KAFKAJS_PROPERTIES as readonly string[]).includes(key)) {
            throw new Error(`KafkaSource: unknown property '${key}' (known: ${KAFKAJS_PROPERTIES.join(', ')}, commit.offsets.on.checkpoint, partition.discovery.interval.ms, source.max.buffered.records, source.max.records.per.poll)`);
          }
          if (key !== 'client.id') positiveInt(key, value);
          clientProperties[key] = value;
      }
    }
    if (!Number.isFinite(discovery)) throw new Error(`KafkaSource: the partition discovery interval must be a number of ms, got ${discovery} (setPartitionDiscoveryInterval)`);
    if (discovery > 0 && this.stoppingOffsets) discovery = -1; // a bounded source reads the partitions it found at start

    return this.create({
      client: { bootstrapServers: this.bootstrapServers, properties: clientProperties },
      topics: this.topics,
      groupId: this.groupId,
      startingOffsets: this.startingOffsets,
      stoppingOffsets: this.stoppingOffsets,
      deserializer: this.deadLetterOutput ? (new DeadLetterDeserializationSchema(this.deserializer) as unknown as KafkaRecordDeserializationSchema<T>) : this.deserializer,
      deadLetterOutput: this.deadLetterOutput,
      partitionDiscoveryIntervalMs: discovery,
      commitOffsetsOnCheckpoint: commit && this.groupId !== undefined,
      maxBufferedRecords: maxBuffered,
      maxRecordsPerPoll: maxPerPoll,
      clientFactory: this.clientFactory,
    });
  }
}
