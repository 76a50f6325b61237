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
  partitionKey,
  type KafkaClient,
  type KafkaClientConfig,
  type KafkaClientFactory,
  type KafkaConsumerRecord,
  type KafkaFetcher,
  type FetcherOptions,
  type OffsetSpec,
  type PartitionStart,
  type TopicPartition,
} from './kafka-client.js';
export { KafkajsClient, createKafkajsClient, KAFKAJS_PROPERTIES } from './kafkajs-client.js';
