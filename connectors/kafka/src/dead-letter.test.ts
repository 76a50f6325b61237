import { describe, expect, it } from 'vitest';
import { OutputTag, type Collector, type ProcessContext } from '@riffle/core';
import { DeadLetterDeserializationSchema, KafkaDeadLetterRouter, isKafkaDeadLetter, type KafkaDeadLetter } from './dead-letter.js';
import { JsonDeserializationSchema, ValueOnlyDeserializationSchema } from './deserialization.js';
import type { KafkaConsumerRecord } from './kafka-client.js';

const record = (offset: number, value: string): KafkaConsumerRecord => ({
  topic: 'orders',
  partition: 2,
  offset,
  timestamp: 1000 + offset,
  key: null,
  value: new TextEncoder().encode(value),
  headers: {},
});

describe('dead letters', () => {
  it('turns a record the deserializer fails on into a dead letter with the raw bytes, position and error', () => {
    const schema = new DeadLetterDeserializationSchema(new ValueOnlyDeserializationSchema(new JsonDeserializationSchema<{ a: number }>()));
    const out: unknown[] = [];
    const collector: Collector<unknown> = { collect: (v) => out.push(v) };
    schema.deserialize(record(7, '{"a":1}'), collector);
    schema.deserialize(record(8, '{"a":'), collector);
    expect(out[0]).toEqual({ a: 1 });
    const dead = out[1] as KafkaDeadLetter;
    expect(isKafkaDeadLetter(dead)).toBe(true);
    expect(dead).toMatchObject({ kind: 'kafka-dead-letter', topic: 'orders', partition: 2, offset: 8, timestamp: 1008, key: null });
    expect(new TextDecoder().decode(dead.value!)).toBe('{"a":');
    expect(dead.error).toMatch(/JSON/);
    expect(schema.numRecordsSkipped).toBe(1);
  });

  it('routes dead letters to the side output and counts them; good values go on', () => {
    const tag = new OutputTag<KafkaDeadLetter>('dlq');
    const router = new KafkaDeadLetterRouter<{ a: number }>(tag);
    const main: unknown[] = [];
    const side: Array<[string, unknown]> = [];
    const ctx = { output: (t: OutputTag<unknown>, v: unknown) => side.push([t.id, v]) } as unknown as ProcessContext;
    const out: Collector<{ a: number }> = { collect: (v) => main.push(v) };
    const dead: KafkaDeadLetter = { kind: 'kafka-dead-letter', topic: 't', partition: 0, offset: 3, timestamp: 0, key: null, value: null, error: 'bad' };
    router.processElement({ a: 1 }, ctx, out);
    router.processElement(dead, ctx, out);
    expect(main).toEqual([{ a: 1 }]);
    expect(side).toEqual([['dlq', dead]]);
    expect(router.numRecordsSkipped).toBe(1);
  });
});
