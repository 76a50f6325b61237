import type { KafkaProducerRecord } from './kafka-producer-client.js';

/** Turns a value into bytes (Flink's `SerializationSchema`). Called per record on the task thread: synchronous. */
export interface SerializationSchema<T> {
  serialize(value: T): Uint8Array;
}

const encoder = new TextEncoder();

/** A JSON document per value (UTF-8). `undefined` values (which JSON cannot hold) fail. */
export class JsonSerializationSchema<T = unknown> implements SerializationSchema<T> {
  serialize(value: T): Uint8Array {
    const text = JSON.stringify(value);
    if (text === undefined) throw new Error('JsonSerializationSchema: the value has no JSON form (undefined or a function)');
    return encoder.encode(text);
  }
}

/**
 * Turns an element into the Kafka record to write: topic, optional partition and key, value,
 * optional timestamp and headers (Flink's `KafkaRecordSerializationSchema`). Called per record on
 * the task thread: synchronous; a throw fails the sink's task. Build the usual one with
 * {@link KafkaRecordSerializationSchema.builder}.
 */
export interface KafkaRecordSerializationSchema<T> {
  /** `timestamp` is the element's event timestamp, when it has one. */
  serialize(element: T, timestamp: number | undefined): KafkaProducerRecord;
}

/** Builds a {@link KafkaRecordSerializationSchema} from a topic and value (and key) schemas. */
export class KafkaRecordSerializationSchemaBuilder<T> {
  private topic: string | ((element: T) => string) | undefined;
  private valueSchema: SerializationSchema<T> | undefined;
  private keySchema: SerializationSchema<T> | undefined;
  private partitioner: ((element: T, key: Uint8Array | null, numPartitionsHint: undefined) => number) | undefined;

  /** A fixed topic, or a function choosing one per element. */
  setTopic(topic: string): this;
  setTopic(topic: (element: T) => string): this;
  setTopic(topic: string | ((element: T) => string)): this {
    this.topic = topic;
    return this;
  }

  /** Alias of `setTopic(fn)`, Flink's `setTopicSelector`. */
  setTopicSelector(selector: (element: T) => string): this {
    this.topic = selector;
    return this;
  }

  /** Serializes each element into the record value. Required. */
  setValueSerializationSchema(schema: SerializationSchema<T>): this {
    this.valueSchema = schema;
    return this;
  }

  /** Serializes each element into the record key (default: no key; Kafka's partitioner then spreads records). */
  setKeySerializationSchema(schema: SerializationSchema<T>): this {
    this.keySchema = schema;
    return this;
  }

  /** Chooses the partition per element (default: Kafka's partitioner, by key hash). */
  setPartitioner(partitioner: (element: T, key: Uint8Array | null) => number): this {
    this.partitioner = partitioner;
    return this;
  }

  /** Validates and builds; throws naming the missing option. */
  build(): KafkaRecordSerializationSchema<T> {
    const topic = this.topic;
    const valueSchema = this.valueSchema;
    const keySchema = this.keySchema;
    const partitioner = this.partitioner;
    if (topic === undefined) throw new Error('KafkaRecordSerializationSchema: a topic is required (setTopic)');
    if (typeof topic === 'string' && !/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) throw new Error(`KafkaRecordSerializationSchema: '${topic}' is not a valid topic name (setTopic)`);
    if (!valueSchema) throw new Error('KafkaRecordSerializationSchema: a value serialization schema is required (setValueSerializationSchema)');
    return {
      serialize(element: T, timestamp: number | undefined): KafkaProducerRecord {
        const key = keySchema ? keySchema.serialize(element) : null;
        return {
          topic: typeof topic === 'string' ? topic : topic(element),
          partition: partitioner ? partitioner(element, key, undefined) : undefined,
          key,
          value: valueSchema.serialize(element),
          timestamp,
        };
      },
    };
  }
}

/** Namespace of {@link KafkaRecordSerializationSchema} builders. */
export const KafkaRecordSerializationSchema = {
  builder<T>(): KafkaRecordSerializationSchemaBuilder<T> {
    return new KafkaRecordSerializationSchemaBuilder<T>();
  },
};
