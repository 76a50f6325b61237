import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DeliveryGuarantee, OutputTag, RichMapFunction, WatermarkStrategy } from '@riffle/core';
import { RestartStrategies, defineJob } from '@riffle/datastream';
import { FileSink, OutputFileConfig } from '@riffle/connector-files';
import { ParquetWriters } from '@riffle/connector-parquet';
import { DuckDbSink } from '@riffle/connector-duckdb';
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

/** An input record, as JSON in the input topic. Record `id` goes to partition `key % partitions`. */
export interface EtlEvent {
  id: number;
  key: number;
  amount: number;
  ts: number;
}

/** What every sink receives: the event in cents, with the attempt that processed it. */
export interface EtlRow {
  id: number;
  key: number;
  cents: number;
  ts: number;
  attempt: number;
}

/** A dead letter as collected (value bytes decoded for the test). */
export interface EtlDeadLetter {
  topic: string;
  partition: number;
  offset: number;
  value: string | null;
  error: string;
}

const DEAD_LETTERS = new OutputTag<KafkaDeadLetter>('etl-dead-letters');

/** The input event of id `i` (`keys` distinct keys; the key of id `i` is `i % keys`). */
export function etlEvent(i: number, keys: number): EtlEvent {
  return { id: i, key: i % keys, amount: i / 100, ts: Date.UTC(2024, 5, 30, 22) + i * 10 };
}

/** `15000@0,10000@1`: at the 15,000th record a subtask sees in attempt 0, at its 10,000th in attempt 1. */
function parsePoints(spec: string): Map<number, number> {
  const byAttempt = new Map<number, number>();
  for (const part of spec.split(',').filter(Boolean)) {
    const [at, attempt] = part.split('@').map(Number);
    byAttempt.set(attempt!, at!);
  }
  return byAttempt;
}

/** Whether `jobDir` holds a completed checkpoint (`chk-N/_metadata`) with N >= `since`. */
function completedSince(jobDir: string, since: number): boolean {
  if (!existsSync(jobDir)) return false;
  return readdirSync(jobDir).some((name) => {
    const m = /^chk-(\d+)$/.exec(name);
    return m !== null && Number(m[1]) >= since && existsSync(join(jobDir, name, '_metadata'));
  });
}

/**
 * Maps an event to an {@link EtlRow}; in attempt `a` it throws (`--fail n@a`) or ends its worker
 * thread abruptly (`--kill n@a`: `process.exit` in a worker stops the thread without cleanup) at
 * the first record, from the n-th its subtask sees, after its second checkpoint snapshot of that
 * attempt (`--trigger snapshots`, the default; checkpoints run one at a time, so the first one
 * completed or was aborted by then) or after a checkpoint of that attempt completed (`--trigger
 * completed`: a checkpoint snapshotted after the subtask's first record, seen in the checkpoint
 * directory, checked every 500 records; the recovery then restores a checkpoint of this attempt
 * holding rows of it), or at the latest at its
 * `--fail-by`-th record. Counting per subtask, with `--fail-by` well below a
 * subtask's share of the input, lets every subtask fail before it reaches the end of its input,
 * so every failure lands while all subtasks still read.
 */
class ToRowSaboteur extends RichMapFunction<EtlEvent, EtlRow> {
  private seen = 0;
  /** The id of this attempt's first checkpoint snapshot after a mapped record (-1: none yet), and how many snapshots were taken. */
  private firstCheckpoint = -1;
  private snapshots = 0;
  /** A checkpoint of this attempt completed (found in the checkpoint directory). */
  private completed = false;

  constructor(
    private readonly fail: Map<number, number>,
    private readonly kill: Map<number, number>,
    private readonly killSubtask: number,
    private readonly by: number,
    private readonly checkpoints: string,
    private readonly afterCompleted: boolean,
  ) {
    super();
  }

  /** A CheckpointedFunction without state: notes the first checkpoint of this attempt. */
  initializeState(): void {}

  snapshotState(ctx: { getCheckpointId(): number }): void {
    // Only a checkpoint taken after this subtask mapped a record counts: the Kafka reader may
    // still be connecting while the first checkpoints complete, and a checkpoint holding no row
    // would let the failure come before anything of this attempt was committed.
    if (this.firstCheckpoint < 0 && this.seen > 0) this.firstCheckpoint = ctx.getCheckpointId();
    this.snapshots++;
  }

  map(e: EtlEvent): EtlRow {
    const attempt = this.getRuntimeContext().getAttemptNumber();
    this.seen++;
    if (this.afterCompleted) {
      // Every 500 records until found: has a checkpoint of this attempt completed (its _metadata written)?
      if (!this.completed && this.firstCheckpoint >= 0 && this.seen % 500 === 0) this.completed = completedSince(join(this.checkpoints, this.getRuntimeContext().getJobId()), this.firstCheckpoint);
    } else {
      this.completed = this.snapshots >= 2;
    }
    if (this.completed || this.seen >= this.by) {
      if (this.seen >= (this.fail.get(attempt) ?? Infinity)) throw new Error(`injected failure in attempt ${attempt} at record ${this.seen} (id ${e.id})`);
      if (this.seen >= (this.kill.get(attempt) ?? Infinity) && (this.killSubtask < 0 || this.getRuntimeContext().getIndexOfThisSubtask() === this.killSubtask)) process.exit(3);
    }
    return { id: e.id, key: e.key, cents: Math.round(e.amount * 100), ts: e.ts, attempt };
  }
}

/**
 * The ETL acceptance job: JSON events from the Kafka topic `--in` (bounded at its end) → map to
 * {@link EtlRow} (with `--fail` / `--kill` failure injection) → `--sink`:
 * - `duckdb`: table `--table` of the DuckDB file `--db`, EXACTLY_ONCE, `--write-mode append`
 *   (primary key `id`) or `upsert` (primary key `key`: the last row per key wins);
 * - `parquet`: Parquet part files under `--out` (FileSink, rolled at every checkpoint);
 * - `kafka`: JSON rows into the topic `--out`, EXACTLY_ONCE (transactional id prefix `--prefix`).
 * With `--dead-letters true`, malformed input goes to a side output collected under
 * 'dead-letters'. `--kill-subtask i` kills only subtask i's worker thread; `--sink-parallelism`
 * sets the DuckDB or Parquet sink's parallelism (1 with `--kill-subtask 1` at p=2 keeps DuckDB out of the
 * killed thread: ending a thread while DuckDB's native work is in flight aborts the process).
 * Checkpoints every `--interval` ms (default 100) into `--checkpoints`; up to 5
 * restarts.
 */
export default defineJob((env, params) => {
  env.enableCheckpointing(params.getNumber('interval', 100));
  env.getCheckpointConfig().setCheckpointStorage(params.getRequired('checkpoints'));
  env.setRestartStrategy(RestartStrategies.fixedDelayRestart(5, 0));
  const brokers = params.getRequired('brokers');
  const builder = KafkaSource.builder<EtlEvent>()
    .setBootstrapServers(brokers)
    .setTopics(params.getRequired('in'))
    .setStartingOffsets(OffsetsInitializer.earliest())
    .setBounded(OffsetsInitializer.latest())
    .setValueOnlyDeserializer(new JsonDeserializationSchema<EtlEvent>());
  const saboteur = new ToRowSaboteur(parsePoints(params.get('fail', '')!), parsePoints(params.get('kill', '')!), params.getNumber('kill-subtask', -1), params.getNumber('fail-by', Infinity), params.getRequired('checkpoints'), params.get('trigger', 'snapshots') === 'completed');

  let events;
  if (params.get('dead-letters') === 'true') {
    events = env
      .fromSource(builder.setDeadLetterOutput(DEAD_LETTERS).build(), WatermarkStrategy.noWatermarks(), 'Kafka')
      .uid('kafka-in')
      .process(new KafkaDeadLetterRouter<EtlEvent>(DEAD_LETTERS))
      .name('Dead Letter Router')
      .uid('router');
    events
      .getSideOutput(DEAD_LETTERS)
      .map((d): EtlDeadLetter => ({ topic: d.topic, partition: d.partition, offset: d.offset, value: d.value === null ? null : new TextDecoder().decode(d.value), error: d.error }))
      .addCollectSink('dead-letters');
  } else {
    events = env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), 'Kafka').uid('kafka-in');
  }
  const rows = events.map(saboteur).name('To Row').uid('to-row');

  const sink = params.getRequired('sink');
  if (sink === 'duckdb') {
    const upsert = params.get('write-mode', 'append') === 'upsert';
    const written = rows.sinkTo(
        DuckDbSink.builder<EtlRow>()
          .setDatabase(params.getRequired('db'))
          .setTable(params.get('table', 'events')!)
          .setColumns([
            { name: 'id', type: 'BIGINT' },
            { name: 'key', type: 'BIGINT' },
            { name: 'cents', type: 'BIGINT' },
            { name: 'ts', type: 'BIGINT' },
            { name: 'attempt', type: 'INTEGER' },
          ])
          .setPrimaryKey([upsert ? 'key' : 'id'])
          .setWriteMode(upsert ? 'upsert' : 'append')
          .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
          .build(),
      )
      .name('DuckDB')
      .uid('duckdb');
    const sinkParallelism = params.getNumber('sink-parallelism', 0);
    if (sinkParallelism > 0) written.setParallelism(sinkParallelism);
  } else if (sink === 'parquet') {
    const written = rows
      .sinkTo(
        FileSink.forBulkFormat<EtlRow>(
          params.getRequired('out'),
          ParquetWriters.forRows<EtlRow>({ id: 'int64', key: 'int32', cents: 'int64', ts: 'timestamp-millis', attempt: 'int32' }),
        )
          .withOutputFileConfig(OutputFileConfig.builder().withPartSuffix('.parquet').build())
          .build(),
      )
      .name('Parquet')
      .uid('parquet');
    const sinkParallelism = params.getNumber('sink-parallelism', 0);
    if (sinkParallelism > 0) written.setParallelism(sinkParallelism);
  } else if (sink === 'kafka') {
    rows
      .sinkTo(
        KafkaSink.builder<EtlRow>()
          .setBootstrapServers(brokers)
          .setRecordSerializer(
            KafkaRecordSerializationSchema.builder<EtlRow>()
              .setTopic(params.getRequired('out'))
              .setKeySerializationSchema({ serialize: (r) => new TextEncoder().encode(String(r.id)) })
              .setValueSerializationSchema(new JsonSerializationSchema<EtlRow>())
              .build(),
          )
          .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
          .setTransactionalIdPrefix(params.getRequired('prefix'))
          .build(),
      )
      .name('Kafka Out')
      .uid('kafka-out');
  } else {
    throw new Error(`unknown --sink ${sink}: duckdb, parquet or kafka`);
  }
});
