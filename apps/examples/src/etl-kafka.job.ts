/**
 * The ETL demo's pipeline (`etl.job.ts`) reading its JSON bid lines from a Kafka topic instead of
 * generating them. Fill the topic first with `bids-to-kafka.job.ts` (which creates it):
 *
 *   tools/kafka/broker start                       # prints KAFKA_BROKERS=127.0.0.1:9092
 *   npx riffle run apps/examples/src/bids-to-kafka.job.ts -p 2 -- --events 200000
 *   npx riffle run apps/examples/src/etl-kafka.job.ts -p 2 -- --out /tmp/etl-kafka
 *   tools/kafka/broker stop                        # only if you started it
 *
 * It prints the same progress and summary as `etl.job.ts` (see the examples README, "ETL demo",
 * for the known differences of this variant).
 *
 * Parameters (after `--`): `--brokers` (default `$KAFKA_BROKERS` or 127.0.0.1:9092), `--topic`
 * (default `riffle-bids`), `--out DIR` (default ./riffle-etl-out), `--follow` to keep reading new
 * records instead of stopping at the offsets the topic had when the job started.
 */
import { resolve } from 'node:path';
import { KafkaSource, OffsetsInitializer, SimpleStringSchema } from '@riffle/connector-kafka';
import { WatermarkStrategy } from '@riffle/core';
import { defineJob } from '@riffle/datastream';
import { buildWarehousePipeline, prepareOutput, runWithProgress } from './etl-pipeline.js';

export default defineJob(async (env, params) => {
  const out = resolve(params.get('out', 'riffle-etl-out'));
  prepareOutput(env, out);
  const builder = KafkaSource.builder<string>()
    .setBootstrapServers(params.get('brokers', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'))
    .setTopics(params.get('topic', 'riffle-bids'))
    .setStartingOffsets(OffsetsInitializer.earliest())
    .setValueOnlyDeserializer(new SimpleStringSchema());
  if (!params.has('follow')) builder.setBounded(OffsetsInitializer.latest());
  const lines = env.fromSource(builder.build(), WatermarkStrategy.noWatermarks<string>(), 'Kafka Bids').uid('kafka-bids');
  buildWarehousePipeline(lines, out);
  await runWithProgress(env, out, 'Riffle ETL demo (Kafka)');
});
