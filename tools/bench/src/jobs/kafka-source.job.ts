import { WatermarkStrategy } from '@riffle/core';
import { DiscardingSink, defineJob } from '@riffle/datastream';
import { KafkaSource, OffsetsInitializer, SimpleStringSchema } from '@riffle/connector-kafka';

/** Reads `--topic` on `--brokers` from earliest to latest as strings into a discarding sink. */
export default defineJob((env, params) => {
  const source = KafkaSource.builder<string>()
    .setBootstrapServers(params.getRequired('brokers'))
    .setTopics(params.getRequired('topic'))
    .setStartingOffsets(OffsetsInitializer.earliest())
    .setBounded(OffsetsInitializer.latest())
    .setValueOnlyDeserializer(new SimpleStringSchema())
    .build();
  env.fromSource(source, WatermarkStrategy.noWatermarks(), 'Kafka').sinkTo(new DiscardingSink<string>());
});
