import { WatermarkStrategy } from '@riffle/core';
import { defineJob } from '@riffle/datastream';
import { JsonDeserializationSchema, KafkaSource, OffsetsInitializer, type OffsetsInitializerSpec } from '@riffle/connector-kafka';

/** A test record: partition and index within it. */
export interface KafkaTestRecord {
  p: number;
  i: number;
}

/** `earliest`, `latest`, `timestamp:<ms>` or `offsets:<partition>=<offset>,...` (other partitions: earliest). */
function offsets(spec: string, topic: string): OffsetsInitializerSpec {
  if (spec === 'earliest') return OffsetsInitializer.earliest();
  if (spec === 'latest') return OffsetsInitializer.latest();
  if (spec.startsWith('timestamp:')) return OffsetsInitializer.timestamp(Number(spec.slice('timestamp:'.length)));
  if (spec.startsWith('offsets:')) {
    const list = spec
      .slice('offsets:'.length)
      .split(',')
      .map((kv) => kv.split('=').map(Number))
      .map(([partition, offset]) => ({ topic, partition, offset }));
    return OffsetsInitializer.offsets(list);
  }
  throw new Error(`unknown offsets spec '${spec}'`);
}

/**
 * Reads `--topic` (or every topic matching `--pattern`) from `--brokers` as JSON from `--starting` offsets up to `--bounded` offsets
 * and collects the records under 'records'.
 */
export default defineJob((env, params) => {
  const topic = params.getRequired('topic');
  const builder = KafkaSource.builder<KafkaTestRecord>().setBootstrapServers(params.getRequired('brokers'));
  const pattern = params.get('pattern');
  if (pattern) builder.setTopicPattern(new RegExp(pattern));
  else builder.setTopics(topic);
  const source = builder
    .setStartingOffsets(offsets(params.get('starting', 'earliest')!, topic))
    .setBounded(offsets(params.get('bounded', 'latest')!, topic))
    .setValueOnlyDeserializer(new JsonDeserializationSchema<KafkaTestRecord>())
    .setProperty('client.id', 'riffle-kafka-it')
    .build();
  env.fromSource(source, WatermarkStrategy.noWatermarks(), 'Kafka').addCollectSink('records');
});
