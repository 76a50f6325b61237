/**
 * Writes seeded Nexmark bids as JSON lines into a Kafka topic, the input of `etl-kafka.job.ts`
 * (AT_LEAST_ONCE). The topic is created first when it does not exist (`--partitions`, default 4):
 * the sink does not rely on auto-creation, whose first writes fail with "This server does not
 * host this topic-partition". Running it again appends the same bids once more.
 *
 *   tools/kafka/broker start
 *   npx riffle run apps/examples/src/bids-to-kafka.job.ts -p 2 -- --events 1000000
 *
 * Parameters (after `--`): `--events N` Nexmark events (about 92% are bids; default 1,000,000),
 * `--brokers` (default `$KAFKA_BROKERS` or 127.0.0.1:9092), `--topic` (default `riffle-bids`),
 * `--partitions` (of a topic created here; default 4).
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { NexmarkSource, type Bid, type NexmarkEvent } from '@riffle/connector-datagen';
import { KafkaRecordSerializationSchema, KafkaSink, SimpleStringSchema, ensureKafkaTopic } from '@riffle/connector-kafka';
import { DeliveryGuarantee } from '@riffle/core';
import { defineJob } from '@riffle/datastream';
import { toBidLine } from './etl-bids.js';

export default defineJob(async (env, params) => {
  env.enableCheckpointing(1000);
  env.getCheckpointConfig().setCheckpointStorage(join(tmpdir(), 'riffle-bids-to-kafka'));
  const topic = params.get('topic', 'riffle-bids');
  const brokers = params.get('brokers', process.env.KAFKA_BROKERS ?? '127.0.0.1:9092');
  // Every worker thread imports this module again to rebuild the graph: create the topic once,
  // on the client, before the job is submitted.
  if (isMainThread && (await ensureKafkaTopic(brokers, topic, { partitions: params.getNumber('partitions', 4) }))) {
    console.log(`created topic ${topic}`);
  }
  env
    .fromSource(new NexmarkSource({ generator: { maxEvents: params.getNumber('events', 1_000_000), seed: 42 } }), undefined, 'Nexmark Events')
    .filter((e: NexmarkEvent) => e.kind === 'bid')
    .map((e: NexmarkEvent) => toBidLine(e as Bid))
    .name('To JSON Lines')
    .sinkTo(
      KafkaSink.builder<string>()
        .setBootstrapServers(brokers)
        .setRecordSerializer(KafkaRecordSerializationSchema.builder<string>().setTopic(topic).setValueSerializationSchema(new SimpleStringSchema()).build())
        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
        .build(),
    )
    .name('Kafka');
});
