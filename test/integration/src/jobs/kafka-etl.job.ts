import { OutputTag, RichMapFunction, WatermarkStrategy, isDeliveryGuarantee } from '@riffle/core';
import { RestartStrategies, defineJob } from '@riffle/datastream';
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

/** `500@0,300@1`: in attempt 0 at the 500th record a subtask sees, in attempt 1 at its 300th. */
function parsePoints(spec: string): Map<number, number> {
  const byAttempt = new Map<number, number>();
  for (const part of spec.split(',').filter(Boolean)) {
    const [at, attempt] = part.split('@').map(Number);
    byAttempt.set(attempt!, at!);
  }
  return byAttempt;
}

/**
 * Throws at the n-th record a subtask sees in an attempt (`--fail`), or ends its worker thread
 * abruptly (`--kill`: `process.exit` in a worker stops the thread without cleanup). Counting per
 * subtask makes every subtask fail before it can reach the end of its input.
 */
class Saboteur extends RichMapFunction<EtlIn, EtlIn> {
  private seen = 0;

  constructor(
    private readonly fail: Map<number, number>,
    private readonly kill: Map<number, number>,
  ) {
    super();
  }

  map(r: EtlIn): EtlIn {
    const attempt = this.getRuntimeContext().getAttemptNumber();
    this.seen++;
    if (this.fail.get(attempt) === this.seen) throw new Error(`injected failure in attempt ${attempt} at record ${this.seen} (id ${r.id})`);
    if (this.kill.get(attempt) === this.seen) process.exit(3);
    return r;
  }
}

/**
 * Reads `--in` (JSON `EtlIn`, bounded at its end) from `--brokers`, maps each record to cents and
 * writes it to `--out` with `--guarantee` (NONE | AT_LEAST_ONCE | EXACTLY_ONCE; prefix `--prefix`).
 * With `--dead-letters true`, malformed records go to a side output collected under 'dead-letters'.
 * With `--checkpoints DIR`, checkpoints every `--interval` ms (default 50) and restarts on failure;
 * `--fail` / `--kill` inject failures (see {@link Saboteur}).
 */
export default defineJob((env, params) => {
  const checkpoints = params.get('checkpoints');
  if (checkpoints) {
    env.enableCheckpointing(params.getNumber('interval', 50));
    env.getCheckpointConfig().setCheckpointStorage(checkpoints);
    env.setRestartStrategy(RestartStrategies.fixedDelayRestart(5, 0));
  }
  const saboteur = new Saboteur(parsePoints(params.get('fail', '')!), parsePoints(params.get('kill', '')!));
  const guarantee = params.get('guarantee', 'EXACTLY_ONCE')!;
  if (!isDeliveryGuarantee(guarantee)) throw new Error(`unknown guarantee ${guarantee}`);
  const builder = KafkaSource.builder<EtlIn>()
    .setBootstrapServers(params.getRequired('brokers'))
    .setTopics(params.getRequired('in'))
    .setStartingOffsets(OffsetsInitializer.earliest())
    .setBounded(OffsetsInitializer.latest())
    .setValueOnlyDeserializer(new JsonDeserializationSchema<EtlIn>());
  const sinkBuilder = KafkaSink.builder<EtlOut>()
    .setBootstrapServers(params.getRequired('brokers'))
    .setRecordSerializer(
      KafkaRecordSerializationSchema.builder<EtlOut>()
        .setTopic(params.getRequired('out'))
        .setKeySerializationSchema({ serialize: (r) => new TextEncoder().encode(String(r.id)) })
        .setValueSerializationSchema(new JsonSerializationSchema<EtlOut>())
        .build(),
    )
    .setDeliveryGuarantee(guarantee)
    .setTransactionalIdPrefix(params.get('prefix', 'riffle-it-etl')!);
  const timeout = params.get('transaction-timeout');
  if (timeout !== undefined) sinkBuilder.setTransactionTimeout(Number(timeout));
  const sink = sinkBuilder.build();
  const toCents = (r: EtlIn): EtlOut => ({ id: r.id, cents: Math.round(r.amount * 100) });

  if (params.get('dead-letters') === 'true') {
    const parsed = env.fromSource(builder.setDeadLetterOutput(DEAD_LETTERS).build(), WatermarkStrategy.noWatermarks(), 'Kafka').process(new KafkaDeadLetterRouter<EtlIn>(DEAD_LETTERS));
    parsed.map(toCents).sinkTo(sink);
    parsed
      .getSideOutput(DEAD_LETTERS)
      .map((d): CollectedDeadLetter => ({ topic: d.topic, partition: d.partition, offset: d.offset, value: d.value === null ? null : new TextDecoder().decode(d.value), error: d.error }))
      .addCollectSink('dead-letters');
  } else {
    env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), 'Kafka').uid('kafka-in').map(saboteur).uid('saboteur').map(toCents).uid('cents').sinkTo(sink).uid('kafka-out');
  }
});
