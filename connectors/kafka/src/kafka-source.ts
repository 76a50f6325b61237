import type {
  Boundedness,
  OutputTag,
  SimpleVersionedSerializer,
  Source,
  SourceReader,
  SourceReaderContext,
  SplitEnumerator,
  SplitEnumeratorContext,
} from '@riffle/core';
import type { KafkaClientConfig, KafkaClientFactory } from './kafka-client.js';
import { KafkaSourceEnumerator } from './kafka-source-enumerator.js';
import { KafkaSourceReader } from './kafka-source-reader.js';
import { KafkaPartitionSplitSerializer, KafkaSourceEnumStateSerializer, type KafkaPartitionSplit, type KafkaSourceEnumState } from './kafka-split.js';
import type { KafkaRecordDeserializationSchema } from './deserialization.js';
import type { OffsetsInitializerSpec } from './offsets-initializer.js';
import type { KafkaDeadLetter } from './dead-letter.js';
import { KafkaSourceBuilder } from './kafka-source-builder.js';

/** The validated configuration of a {@link KafkaSource} (what `KafkaSourceBuilder.build()` produces). */
export interface KafkaSourceConfig<T> {
  readonly client: KafkaClientConfig;
  readonly topics: readonly string[] | RegExp;
  readonly groupId: string | undefined;
  readonly startingOffsets: OffsetsInitializerSpec;
  /** Set when bounded. */
  readonly stoppingOffsets: OffsetsInitializerSpec | undefined;
  readonly deserializer: KafkaRecordDeserializationSchema<T>;
  /** Set by `setDeadLetterOutput`: records that fail to deserialize are emitted as dead letters (the deserializer wraps that). */
  readonly deadLetterOutput?: OutputTag<KafkaDeadLetter>;
  readonly partitionDiscoveryIntervalMs: number;
  readonly commitOffsetsOnCheckpoint: boolean;
  readonly maxBufferedRecords: number;
  readonly maxRecordsPerPoll: number;
  readonly clientFactory: KafkaClientFactory;
}

const SPLIT_SERIALIZER = new KafkaPartitionSplitSerializer();
const ENUM_STATE_SERIALIZER = new KafkaSourceEnumStateSerializer();

/**
 * Reads Kafka topics (Flink's `KafkaSource`): one split per topic-partition, assigned by the
 * enumerator to a fixed owner reader, read from a starting offset and, when bounded, up to a
 * stopping offset. Records carry the Kafka record timestamp. Build one with
 * `KafkaSource.builder<T>()`. Connects to nothing until the enumerator or a reader is created.
 */
export class KafkaSource<T> implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState> {
  /** Starts a builder. */
  static builder<T>(): KafkaSourceBuilder<T> {
    return new KafkaSourceBuilder<T>((config) => new KafkaSource<T>(config));
  }

  constructor(readonly config: KafkaSourceConfig<T>) {}

  /** BOUNDED when `setBounded` was called. */
  getBoundedness(): Boundedness {
    return this.config.stoppingOffsets ? 'BOUNDED' : 'CONTINUOUS_UNBOUNDED';
  }

  createEnumerator(context: SplitEnumeratorContext<KafkaPartitionSplit>): SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {
    return new KafkaSourceEnumerator(context, this.config.clientFactory(this.config.client), this.config);
  }

  restoreEnumerator(
    context: SplitEnumeratorContext<KafkaPartitionSplit>,
    checkpoint: KafkaSourceEnumState,
  ): SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {
    return new KafkaSourceEnumerator(context, this.config.clientFactory(this.config.client), this.config, checkpoint);
  }

  createReader(context: SourceReaderContext): SourceReader<T, KafkaPartitionSplit> {
    return new KafkaSourceReader<T>(context, this.config.clientFactory(this.config.client), this.config.deserializer, {
      maxBufferedRecords: this.config.maxBufferedRecords,
      maxRecordsPerPoll: this.config.maxRecordsPerPoll,
      commitGroupId: this.config.commitOffsetsOnCheckpoint ? this.config.groupId : undefined,
    });
  }

  getSplitSerializer(): SimpleVersionedSerializer<KafkaPartitionSplit> {
    return SPLIT_SERIALIZER;
  }

  getEnumeratorCheckpointSerializer(): SimpleVersionedSerializer<KafkaSourceEnumState> {
    return ENUM_STATE_SERIALIZER;
  }
}
