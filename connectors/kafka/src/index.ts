export { KafkaSource, type KafkaSourceConfig } from './kafka-source.js';
export { KafkaSourceBuilder } from './kafka-source-builder.js';
export { OffsetsInitializer, type OffsetsInitializerSpec, type OffsetResetStrategy } from './offsets-initializer.js';
export {
  SimpleStringSchema,
  JsonDeserializationSchema,
  ValueOnlyDeserializationSchema,
  type DeserializationSchema,
  type KafkaRecordDeserializationSchema,
} from './deserialization.js';
export {
  NO_STOPPING_OFFSET,
  kafkaPartitionSplit,
  KafkaPartitionSplitSerializer,
  KafkaSourceEnumStateSerializer,
  type KafkaPartitionSplit,
  type KafkaSourceEnumState,
} from './kafka-split.js';
export { KafkaSourceEnumerator, splitOwner, type KafkaEnumeratorConfig } from './kafka-source-enumerator.js';
export { KafkaSourceReader, type KafkaReaderOptions } from './kafka-source-reader.js';
export {
  ArrayPartitionRecords,
  partitionKey,
  type KafkaClient,
  type KafkaClientConfig,
  type KafkaClientFactory,
  type KafkaConsumerRecord,
  type KafkaFetcher,
  type FetcherOptions,
  type MutableKafkaConsumerRecord,
  type PartitionRecords,
  type OffsetSpec,
  type PartitionStart,
  type TopicPartition,
} from './kafka-client.js';
export { KafkajsClient, createKafkajsClient, KAFKAJS_PROPERTIES } from './kafkajs-client.js';
export { KafkaSink, type KafkaSinkConfig } from './kafka-sink.js';
export { KafkaSinkBuilder } from './kafka-sink-builder.js';
export { KafkaSinkWriter, type KafkaSinkWriterOptions } from './kafka-sink-writer.js';
export { KafkaCommitter } from './kafka-committer.js';
export {
  KafkaCommittableSerializer,
  KafkaWriterStateSerializer,
  transactionalId,
  type KafkaCommittable,
  type KafkaWriterState,
} from './kafka-committable.js';
export {
  JsonSerializationSchema,
  KafkaRecordSerializationSchema,
  KafkaRecordSerializationSchemaBuilder,
  type SerializationSchema,
} from './serialization.js';
export type {
  EndTransactionResult,
  KafkaProducer,
  KafkaProducerClient,
  KafkaProducerClientFactory,
  KafkaProducerRecord,
  KafkaTransaction,
  ProducerOptions,
  TransactionHandle,
} from './kafka-producer-client.js';
export { KafkajsProducerClient, createKafkajsProducerClient } from './kafkajs-producer-client.js';
export {
  DeadLetterDeserializationSchema,
  KafkaDeadLetterRouter,
  isKafkaDeadLetter,
  type KafkaDeadLetter,
} from './dead-letter.js';
export { ensureKafkaTopic, type EnsureTopicOptions } from './kafka-admin.js';
