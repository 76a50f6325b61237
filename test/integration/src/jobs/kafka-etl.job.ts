import { OutputTag, WatermarkStrategy, isDeliveryGuarantee } from '@riffle/core';
import { defineJob } from '@riffle/datastream';
import {
  JsonDeserializationSchema,
  JsonSerializationSchema,
  KafkaDeadLetterRouter,
  KafkaRecordSerializationSchema,
  KafkaSink,
  KafkaSource,
  OffsetsInitializer,
  type KafkaDeadLetter,
} from '@riffle/connector-kafka';

/** An input record. */
export interface EtlIn {
  id: number;
  amount: number;
}

/** An output record. */
export interface EtlOut {
  id: number;
  cents: number;
}

/** A dead letter as collected (bytes decoded for the test). */
export interface CollectedDeadLetter {
  topic: string;
  partition: number;
  offset: number;
  value: string | null;
  error: string;
}

export const DEAD_LETTERS = new OutputTag<KafkaDeadLetter>('dead-letters');

/**
 * Reads `--in` (JSON `EtlIn`, bounded at its end) from `--brokers`, maps each record to cents and
 * writes it to `--out` with `--guarantee` (NONE | AT_LEAST_ONCE | EXACTLY_ONCE; prefix `--prefix`).
 * With `--dead-letters true`, malformed records go to a side output collected under 'dead-letters'.
 */
export default defineJob((env, params) => {
  const guarantee = params.get('guarantee', 'EXACTLY_ONCE')!;
  if (!isDeliveryGuarantee(guarantee)) throw new Error(`unknown guarantee ${guarantee}`);
  const builder = KafkaSource.builder<EtlIn>()
    .setBootstrapServers(params.getRequired('brokers'))
    .setTopics(params.getRequired('in'))
    .setStartingOffsets(OffsetsInitializer.earliest())
    .setBounded(OffsetsInitializer.latest())
    .setValueOnlyDeserializer(new JsonDeserializationSchema<EtlIn>());
  const sink = KafkaSink.builder<EtlOut>()
    .setBootstrapServers(params.getRequired('brokers'))
    .setRecordSerializer(
      KafkaRecordSerializationSchema.builder<EtlOut>()
        .setTopic(params.getRequired('out'))
        .setKeySerializationSchema({ serialize: (r) => new TextEncoder().encode(String(r.id)) })
        .setValueSerializationSchema(new JsonSerializationSchema<EtlOut>())
        .build(),
    )
    .setDeliveryGuarantee(guarantee)
    .setTransactionalIdPrefix(params.get('prefix', 'riffle-it-etl')!)
    .build();
  const toCents = (r: EtlIn): EtlOut => ({ id: r.id, cents: Math.round(r.amount * 100) });

  if (params.get('dead-letters') === 'true') {
    const parsed = env.fromSource(builder.setDeadLetterOutput(DEAD_LETTERS).build(), WatermarkStrategy.noWatermarks(), 'Kafka').process(new KafkaDeadLetterRouter<EtlIn>(DEAD_LETTERS));
    parsed.map(toCents).sinkTo(sink);
    parsed
      .getSideOutput(DEAD_LETTERS)
      .map((d): CollectedDeadLetter => ({ topic: d.topic, partition: d.partition, offset: d.offset, value: d.value === null ? null : new TextDecoder().decode(d.value), error: d.error }))
      .addCollectSink('dead-letters');
  } else {
    env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), 'Kafka').map(toCents).sinkTo(sink);
  }
});
