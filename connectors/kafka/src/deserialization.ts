import type { Collector } from '@riffle/core';
import type { KafkaConsumerRecord } from './kafka-client.js';

/**
 * Turns a whole Kafka record (key, value, headers, topic, partition, offset, timestamp) into any
 * number of values. Called on the task thread for every record: synchronous. A thrown error fails
 * the source with the record's topic, partition and offset in the message (or, with a dead-letter
 * output, emits a dead letter). The `record` object is reused for the next record: keep its
 * fields (the key and value bytes may be kept), not the object itself.
 */
export interface KafkaRecordDeserializationSchema<T> {
  deserialize(record: KafkaConsumerRecord, out: Collector<T>): void;
}

/** Turns a record value's bytes into one value (Flink's `DeserializationSchema`). `null` is a tombstone. */
export interface DeserializationSchema<T> {
  deserialize(value: Uint8Array | null): T;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

const encoder = new TextEncoder();

/**
 * Strings as UTF-8, both ways (also a sink's `SerializationSchema<string>`). Deserializing: a
 * tombstone (null value) is `''`; invalid UTF-8 fails.
 */
export class SimpleStringSchema implements DeserializationSchema<string> {
  deserialize(value: Uint8Array | null): string {
    return value === null ? '' : decoder.decode(value);
  }

  serialize(value: string): Uint8Array {
    return encoder.encode(value);
  }
}

/** The value parsed as JSON; a tombstone or malformed JSON fails. No validation against `T`. */
export class JsonDeserializationSchema<T = unknown> implements DeserializationSchema<T> {
  deserialize(value: Uint8Array | null): T {
    if (value === null) throw new Error('a null value (tombstone) is not JSON');
    return JSON.parse(decoder.decode(value)) as T;
  }
}

/** Adapts a value-only schema to a record schema. */
export class ValueOnlyDeserializationSchema<T> implements KafkaRecordDeserializationSchema<T> {
  constructor(readonly valueSchema: DeserializationSchema<T>) {}

  deserialize(record: KafkaConsumerRecord, out: Collector<T>): void {
    out.collect(this.valueSchema.deserialize(record.value));
  }
}
