/**
 * The connector's own small view of a Kafka client. The source talks only to this interface, so
 * another client library can be added later beside the kafkajs one ({@link KafkajsClient}).
 * Offsets are plain numbers (safe integers: 2^53 records per partition is out of reach).
 */

/** A topic-partition. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A record as fetched from Kafka, before deserialization. */
export interface KafkaConsumerRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The record's Kafka timestamp (ms since the epoch). */
  readonly timestamp: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: Readonly<Record<string, Uint8Array | string | ReadonlyArray<Uint8Array | string> | undefined>>;
}

/** Which offset to look up per partition in {@link KafkaClient.fetchOffsets}. */
export type OffsetSpec =
  | { readonly kind: 'earliest' }
  | { readonly kind: 'latest' }
  /** The first offset whose record timestamp is at or after `timestamp`; latest when there is none. */
  | { readonly kind: 'timestamp'; readonly timestamp: number }
  /** The group's committed offset; `undefined` in the answer when the group committed none. */
  | { readonly kind: 'committed'; readonly groupId: string };

/** A start position for a {@link KafkaFetcher}. */
export interface PartitionStart extends TopicPartition {
  readonly offset: number;
}

/** A {@link KafkaConsumerRecord} the reader fills in place for each record (see {@link PartitionRecords.recordAt}). */
export interface MutableKafkaConsumerRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: KafkaConsumerRecord['headers'];
}

/**
 * Fetched records of one partition, in offset order, and the partition's fetch position after
 * them: every record before `nextOffset` has been delivered (offsets without a record, such as
 * transaction markers, aborted or compacted records, are skipped). `size` may be 0 when only the
 * position moved. Records are read by index into a reused object, so a client hands over what it
 * fetched without copying each record.
 */
export interface PartitionRecords extends TopicPartition {
  readonly size: number;
  /** The offset of the `i`-th record. */
  offsetAt(i: number): number;
  /** Writes the `i`-th record into `into` (every field). */
  recordAt(i: number, into: MutableKafkaConsumerRecord): void;
  readonly nextOffset: number;
}

/** {@link PartitionRecords} over an array of records (for other clients and tests). */
export class ArrayPartitionRecords implements PartitionRecords {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly records: readonly KafkaConsumerRecord[],
    readonly nextOffset: number,
  ) {}

  get size(): number {
    return this.records.length;
  }

  offsetAt(i: number): number {
    return this.records[i].offset;
  }

  recordAt(i: number, into: MutableKafkaConsumerRecord): void {
    const r = this.records[i];
    into.topic = r.topic;
    into.partition = r.partition;
    into.offset = r.offset;
    into.timestamp = r.timestamp;
    into.key = r.key;
    into.value = r.value;
    into.headers = r.headers;
  }
}

/**
 * Fetches records of a fixed set of partitions. `poll` resolves with the next fetched batches
 * (each of one partition; a partition's batches in order) once there are some; at most one
 * `poll` is outstanding at a time. The fetcher buffers a bounded amount ahead of `poll`.
 * `close` ends fetching; an outstanding `poll` then resolves with nothing.
 */
export interface KafkaFetcher {
  poll(): Promise<PartitionRecords[]>;
  close(): Promise<void>;
}

/** Options of a fetcher. */
export interface FetcherOptions {
  /** Records buffered ahead of `poll` at most (approximate: whole fetched batches are kept). */
  readonly maxBufferedRecords: number;
}

/**
 * A connection to a Kafka cluster used by the enumerator (metadata and offsets) and by readers
 * (fetchers). Methods may be called concurrently; `close` releases everything.
 */
export interface KafkaClient {
  listTopics(): Promise<string[]>;
  /** Partitions of the named topics, or of every topic matching `pattern`. Unknown topics fail. */
  fetchPartitions(topics: readonly string[] | RegExp): Promise<TopicPartition[]>;
  /** The offset per partition (key `topic-partition`) for `spec`. */
  fetchOffsets(partitions: readonly TopicPartition[], spec: OffsetSpec): Promise<Map<string, number | undefined>>;
  createFetcher(starts: readonly PartitionStart[], options: FetcherOptions): Promise<KafkaFetcher>;
  /** Commits `offsets` (the next offsets to read) for `groupId`. */
  commitOffsets(groupId: string, offsets: readonly PartitionStart[]): Promise<void>;
  close(): Promise<void>;
}

/** Creates a client; called on the JobMaster (enumerator) and in each source subtask (reader). */
export type KafkaClientFactory = (config: KafkaClientConfig) => KafkaClient;

/** What a client needs to connect. */
export interface KafkaClientConfig {
  readonly bootstrapServers: readonly string[];
  /** Extra client properties (`client.id`, `request.timeout.ms`, …). */
  readonly properties: Readonly<Record<string, string>>;
}

/** The key of a topic-partition in maps: `topic-partition` (also the split id). */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}
