import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaSourceReader } from './kafka-source-reader.js';
import { createKafkajsClient } from './kafkajs-client.js';
import { JsonDeserializationSchema, ValueOnlyDeserializationSchema, type KafkaRecordDeserializationSchema } from './deserialization.js';
import { DeadLetterDeserializationSchema } from './dead-letter.js';
import { kafkaPartitionSplit, KafkaPartitionSplitSerializer, NO_STOPPING_OFFSET, type KafkaPartitionSplit } from './kafka-split.js';
import { OffsetsInitializer, resolveOffsets } from './offsets-initializer.js';
import { TestKafka, missingBrokerBanner, planKafkaBroker } from './testing/kafka-test-broker.js';
import { TestingReaderOutput, driveReader, testingReaderContext } from './testing/reader-driver.js';

const plan = planKafkaBroker();
const inCi = Boolean(process.env.CI);
if (plan.kind === 'missing' && !inCi) console.warn(missingBrokerBanner(plan.reason));
if (plan.kind === 'missing' && inCi) {
  describe('KafkaSourceReader', () => {
    it('can reach a Kafka broker in CI', () => expect.fail(`CI must run the Kafka tests: ${plan.reason}`));
  });
}

interface Msg {
  p: number;
  i: number;
}

describe.skipIf(plan.kind === 'missing')('KafkaSourceReader against a real broker', () => {
  let kafka: TestKafka;
  let topic: string;
  const PER_PARTITION = 500;

  beforeAll(async () => {
    kafka = await TestKafka.start(plan);
    topic = await kafka.createTopic(2, 'reader');
    const messages = [];
    for (let p = 0; p < 2; p++) for (let i = 0; i < PER_PARTITION; i++) messages.push({ partition: p, value: JSON.stringify({ p, i }), timestamp: 1_000_000 + i });
    await kafka.produce(topic, messages);
  }, 300_000);

  afterAll(async () => {
    await kafka?.stop();
  }, 180_000);

  function newReader<T>(schema: KafkaRecordDeserializationSchema<T>, maxRecordsPerPoll = 100, commitGroupId?: string): KafkaSourceReader<T> {
    return new KafkaSourceReader<T>(testingReaderContext(), createKafkajsClient({ bootstrapServers: kafka.brokers, properties: {} }), schema, {
      maxBufferedRecords: 200,
      maxRecordsPerPoll,
      commitGroupId,
    });
  }

  it('emits each partition through its own split output with the Kafka timestamp and stops at the stopping offset', async () => {
    const reader = newReader(new ValueOnlyDeserializationSchema(new JsonDeserializationSchema<Msg>()));
    const out = new TestingReaderOutput<Msg>();
    reader.addSplits([kafkaPartitionSplit(topic, 0, 10, 110), kafkaPartitionSplit(topic, 1, 0, 50)]);
    reader.notifyNoMoreSplits();
    try {
      expect(await driveReader(reader, out, () => false)).toBe('END_OF_INPUT');
    } finally {
      await reader.close();
    }
    const p0 = out.records.filter((r) => r.splitId === `${topic}-0`);
    const p1 = out.records.filter((r) => r.splitId === `${topic}-1`);
    expect(p0.map((r) => r.value.i)).toEqual(Array.from({ length: 100 }, (_, k) => 10 + k));
    expect(p1.map((r) => r.value.i)).toEqual(Array.from({ length: 50 }, (_, k) => k));
    expect(p0.every((r) => r.value.p === 0 && r.timestamp === 1_000_000 + r.value.i)).toBe(true);
    expect(out.released.sort()).toEqual([`${topic}-0`, `${topic}-1`]);
  });

  it('continues from a snapshot without loss or duplication', async () => {
    const schema = new ValueOnlyDeserializationSchema(new JsonDeserializationSchema<Msg>());
    const serializer = new KafkaPartitionSplitSerializer();
    const first = newReader(schema, 37);
    const out1 = new TestingReaderOutput<Msg>();
    first.addSplits([kafkaPartitionSplit(topic, 0, 0, PER_PARTITION), kafkaPartitionSplit(topic, 1, 0, PER_PARTITION)]);
    let snapshot: KafkaPartitionSplit[];
    try {
      await driveReader(first, out1, (o) => o.records.length >= 333);
      // The snapshot crosses a process boundary: through the split serializer.
      snapshot = first.snapshotState(1).map((s) => serializer.deserialize(1, serializer.serialize(s)));
    } finally {
      await first.close();
    }
    expect(out1.records.length).toBeGreaterThanOrEqual(333);
    expect(out1.records.length).toBeLessThan(2 * PER_PARTITION);

    const second = newReader(schema, 37);
    const out2 = new TestingReaderOutput<Msg>();
    second.addSplits(snapshot);
    second.notifyNoMoreSplits();
    try {
      expect(await driveReader(second, out2, () => false)).toBe('END_OF_INPUT');
    } finally {
      await second.close();
    }
    for (let p = 0; p < 2; p++) {
      const all = [...out1.records, ...out2.records].filter((r) => r.value.p === p).map((r) => r.value.i);
      expect(all).toEqual(Array.from({ length: PER_PARTITION }, (_, k) => k));
    }
  });

  it('fails naming topic, partition and offset when a record does not deserialize', async () => {
    const bad = await kafka.createTopic(1, 'bad');
    await kafka.produce(bad, [
      { partition: 0, value: '{"ok":1}' },
      { partition: 0, value: '{not json' },
    ]);
    const reader = newReader(new ValueOnlyDeserializationSchema(new JsonDeserializationSchema()));
    reader.addSplits([kafkaPartitionSplit(bad, 0, 0, 2)]);
    reader.notifyNoMoreSplits();
    try {
      await expect(driveReader(reader, new TestingReaderOutput(), () => false)).rejects.toThrow(
        new RegExp(`topic ${bad}, partition 0, offset 1: .*JSON`),
      );
    } finally {
      await reader.close();
    }
  });

  it('lets an error thrown downstream of the source through as it is, not as a deserialization failure or a dead letter', async () => {
    const reader = newReader(new DeadLetterDeserializationSchema(new ValueOnlyDeserializationSchema(new JsonDeserializationSchema<Msg>())));
    reader.addSplits([kafkaPartitionSplit(topic, 0, 0, 10)]);
    reader.notifyNoMoreSplits();
    /** A chained operator that fails on the third record. */
    class FailingOutput extends TestingReaderOutput<unknown> {
      override createOutputForSplit(splitId: string) {
        const inner = super.createOutputForSplit(splitId);
        return {
          ...inner,
          collect: (value: unknown, timestamp?: number) => {
            if (this.records.length === 2) throw new Error('downstream operator failed');
            inner.collect(value, timestamp);
          },
        };
      }
    }
    const out = new FailingOutput();
    try {
      await expect(driveReader(reader, out, () => false)).rejects.toThrow(/^downstream operator failed$/);
      expect(out.records.map((r) => r.value)).toEqual([
        { p: 0, i: 0 },
        { p: 0, i: 1 },
      ]);
    } finally {
      await reader.close();
    }
  });

  it('ignores a second assignment of a partition it already reads, so no record is emitted twice', async () => {
    const reader = newReader(new ValueOnlyDeserializationSchema(new JsonDeserializationSchema<Msg>()), 10);
    const out = new TestingReaderOutput<Msg>();
    reader.addSplits([kafkaPartitionSplit(topic, 0, 0, 50)]);
    try {
      await driveReader(reader, out, (o) => o.records.length >= 20);
      // A stale assignment of the same partition from its start (an enumerator checkpoint older than the reader's).
      reader.addSplits([kafkaPartitionSplit(topic, 0, 0, 50)]);
      reader.notifyNoMoreSplits();
      expect(await driveReader(reader, out, () => false)).toBe('END_OF_INPUT');
      expect(out.records.map((r) => (r.value as Msg).i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    } finally {
      await reader.close();
    }
  });

  it('ends a bounded split whose stopping offset lies past a transaction marker, skipping aborted records', async () => {
    const tx = await kafka.createTopic(1, 'tx');
    const producer = kafka.kafka.producer({ transactionalId: `riffle-reader-${tx}`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (const [label, commit] of [['a', true], ['b', false], ['c', true]] as const) {
        const t = await producer.transaction();
        await t.send({ topic: tx, messages: [0, 1, 2].map((i) => ({ partition: 0, value: `${label}${i}` })) });
        if (commit) await t.commit();
        else await t.abort();
      }
    } finally {
      await producer.disconnect();
    }
    // 9 records and 3 markers: the log ends at 12, after the last commit marker. The transaction
    // coordinator writes markers after commit()/abort() return: wait (bounded) for the last one.
    let high = 0;
    for (let i = 0; i < 200 && high < 12; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 25));
      high = Number((await kafka.admin.fetchTopicOffsets(tx))[0]!.high);
    }
    expect(high).toBe(12);
    const strings = { deserialize: (r: { value: Uint8Array | null }, out: { collect(v: string): void }) => out.collect(Buffer.from(r.value!).toString()) };
    const reader = newReader<string>(strings);
    const out = new TestingReaderOutput<string>();
    reader.addSplits([kafkaPartitionSplit(tx, 0, 0, 12)]);
    try {
      await driveReader(reader, out, () => out.released.length === 1, 30_000);
      expect(reader.snapshotState(1)).toEqual([]);
      reader.notifyNoMoreSplits();
      expect(await driveReader(reader, out, () => false)).toBe('END_OF_INPUT');
    } finally {
      await reader.close();
    }
    expect(out.records.map((r) => r.value)).toEqual(['a0', 'a1', 'a2', 'c0', 'c1', 'c2']);
  });

  it('keeps reading an unbounded split as records arrive, and commits checkpointed offsets for committedOffsets()', async () => {
    const live = await kafka.createTopic(1, 'live');
    const groupId = `riffle-reader-group-${live}`;
    const schema = new ValueOnlyDeserializationSchema(new JsonDeserializationSchema<Msg>());
    const reader = newReader(schema, 100, groupId);
    const out = new TestingReaderOutput<Msg>();
    reader.addSplits([kafkaPartitionSplit(live, 0, 0, NO_STOPPING_OFFSET)]);
    try {
      await kafka.produce(live, [0, 1, 2].map((i) => ({ partition: 0, value: JSON.stringify({ p: 0, i }) })));
      await driveReader(reader, out, (o) => o.records.length >= 3);
      await kafka.produce(live, [3, 4].map((i) => ({ partition: 0, value: JSON.stringify({ p: 0, i }) })));
      await driveReader(reader, out, (o) => o.records.length >= 5);
      expect(out.records.map((r) => r.value.i)).toEqual([0, 1, 2, 3, 4]);
      expect(out.idleness).toEqual([]);
      expect(reader.snapshotState(7)).toEqual([kafkaPartitionSplit(live, 0, 5, NO_STOPPING_OFFSET)]);
      reader.notifyCheckpointComplete(7);
      // The commit runs in the background: wait until the group shows it.
      const client = createKafkajsClient({ bootstrapServers: kafka.brokers, properties: {} });
      try {
        const deadline = Date.now() + 30_000;
        let committed: number | undefined;
        while (committed !== 5 && Date.now() < deadline) {
          const offsets = await resolveOffsets(client, [{ topic: live, partition: 0 }], OffsetsInitializer.committedOffsets('NONE'), groupId).catch(() => undefined);
          committed = offsets?.get(`${live}-0`);
          if (committed !== 5) await new Promise((r) => setTimeout(r, 100));
        }
        expect(committed).toBe(5);
      } finally {
        await client.close();
      }
    } finally {
      await reader.close();
    }
    await kafka.admin.deleteGroups([groupId]).catch(() => undefined);
  });

  it('gives a record deserializer the key, value, headers, topic, partition, offset and timestamp', async () => {
    const meta = await kafka.createTopic(2, 'meta');
    const producer = kafka.kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: meta,
        acks: -1,
        messages: [
          { partition: 1, key: 'k1', value: 'v1', timestamp: '1234', headers: { trace: 'abc' } },
          { partition: 1, key: null, value: null, timestamp: '1235' },
        ],
      });
    } finally {
      await producer.disconnect();
    }
    const seen: string[] = [];
    const reader = newReader<string>({
      deserialize: (r, out) => {
        const trace = r.headers.trace;
        const header = trace === undefined ? '-' : Buffer.from(trace as Uint8Array).toString();
        const text = (b: Uint8Array | null) => (b === null ? 'null' : Buffer.from(b).toString());
        seen.push(`${r.topic === meta}|${r.partition}|${r.offset}|${r.timestamp}|${text(r.key)}|${text(r.value)}|${header}`);
        out.collect(text(r.value));
      },
    });
    const out = new TestingReaderOutput<string>();
    reader.addSplits([kafkaPartitionSplit(meta, 1, 0, 2)]);
    reader.notifyNoMoreSplits();
    try {
      expect(await driveReader(reader, out, () => false)).toBe('END_OF_INPUT');
    } finally {
      await reader.close();
    }
    expect(seen).toEqual(['true|1|0|1234|k1|v1|abc', 'true|1|1|1235|null|null|-']);
    expect(out.records.map((r) => [r.value, r.timestamp, r.splitId])).toEqual([
      ['v1', 1234, `${meta}-1`],
      ['null', 1235, `${meta}-1`],
    ]);
  });

  it('marks an unbounded reader without partitions idle, and active again once it gets one', async () => {
    const topicOfOne = await kafka.createTopic(1, 'idle');
    await kafka.produce(topicOfOne, [{ partition: 0, value: JSON.stringify({ p: 0, i: 0 }) }]);
    const reader = newReader(new ValueOnlyDeserializationSchema(new JsonDeserializationSchema<Msg>()));
    const out = new TestingReaderOutput<Msg>();
    try {
      expect(reader.pollNext(out)).toBe('NOTHING_AVAILABLE');
      expect(reader.pollNext(out)).toBe('NOTHING_AVAILABLE');
      expect(out.idleness).toEqual(['idle']);
      reader.addSplits([kafkaPartitionSplit(topicOfOne, 0, 0, NO_STOPPING_OFFSET)]);
      await driveReader(reader, out, (o) => o.records.length === 1);
      expect(out.idleness).toEqual(['idle', 'active']);
    } finally {
      await reader.close();
    }
  });
});
