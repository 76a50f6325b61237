import { ProcessFunction, getLogger, type Collector, type Counter, type OutputTag, type ProcessContext } from '@riffle/core';
import type { KafkaConsumerRecord } from './kafka-client.js';
import type { KafkaRecordDeserializationSchema } from './deserialization.js';

const log = getLogger('KafkaDeadLetters');

/**
 * A record the source could not deserialize, with the error (see
 * `KafkaSourceBuilder.setDeadLetterOutput`). Plain data, so it crosses threads and processes
 * with the default serializer.
 */
export interface KafkaDeadLetter {
  readonly kind: 'kafka-dead-letter';
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The record's Kafka timestamp (ms since the epoch). */
  readonly timestamp: number;
  /** The raw key and value bytes, as fetched. */
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  /** What was wrong: the deserializer's error message. */
  readonly error: string;
}

/** True when `value` is a {@link KafkaDeadLetter}. */
export function isKafkaDeadLetter(value: unknown): value is KafkaDeadLetter {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'kafka-dead-letter';
}

/**
 * Wraps a record deserializer: a record it fails on is emitted as a {@link KafkaDeadLetter}
 * instead of failing the source. Values emitted before the failure (a record schema emitting
 * several) stay emitted.
 */
export class DeadLetterDeserializationSchema<T> implements KafkaRecordDeserializationSchema<T | KafkaDeadLetter> {
  /** Records turned into dead letters by this instance (one per source subtask). */
  numRecordsSkipped = 0;

  constructor(readonly inner: KafkaRecordDeserializationSchema<T>) {}

  deserialize(record: KafkaConsumerRecord, out: Collector<T | KafkaDeadLetter>): void {
    try {
      this.inner.deserialize(record, out);
    } catch (cause) {
      this.numRecordsSkipped++;
      out.collect({
        kind: 'kafka-dead-letter',
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        timestamp: record.timestamp,
        key: record.key,
        value: record.value,
        error: cause instanceof Error ? cause.message : String(cause),
      });
    }
  }
}

/**
 * Splits the output of a Kafka source built with `setDeadLetterOutput(tag)`: good values go on,
 * dead letters go to the side output `tag` (read it with `getSideOutput(tag)`), counted in
 * {@link numRecordsSkipped} and in the metric `numRecordsSkipped` of the operator's metric group
 * (`JobExecutionResult.getMetrics()['<operator name>.numRecordsSkipped']`), and logged when the
 * subtask closes.
 *
 * ```ts
 * const orders = env.fromSource(source, wm, 'orders').process(new KafkaDeadLetterRouter<Order>(deadLetters));
 * const bad = orders.getSideOutput(deadLetters);
 * ```
 */
export class KafkaDeadLetterRouter<T> extends ProcessFunction<T | KafkaDeadLetter, T> {
  /** Dead letters routed by this instance (one per subtask). */
  numRecordsSkipped = 0;
  private skipped: Counter | undefined;

  constructor(readonly tag: OutputTag<KafkaDeadLetter>) {
    super();
  }

  override open(): void {
    this.skipped = this.getRuntimeContext().getMetricGroup().counter('numRecordsSkipped');
  }

  processElement(value: T | KafkaDeadLetter, ctx: ProcessContext, out: Collector<T>): void {
    if (isKafkaDeadLetter(value)) {
      this.numRecordsSkipped++;
      this.skipped?.inc();
      ctx.output(this.tag, value);
    } else {
      out.collect(value);
    }
  }

  override close(): void {
    if (this.numRecordsSkipped > 0) log.warn('Kafka source: records routed to the dead-letter output', { tag: this.tag.id, skipped: this.numRecordsSkipped });
  }
}
