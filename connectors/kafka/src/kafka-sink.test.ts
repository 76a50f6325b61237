import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryGuarantee } from '@riffle/core';
import { KafkaSink } from './kafka-sink.js';
import { KafkaRecordSerializationSchema, JsonSerializationSchema } from './serialization.js';
import { SimpleStringSchema } from './deserialization.js';
import { KafkaCommittableSerializer, KafkaWriterStateSerializer, type KafkaCommittable, type KafkaWriterState } from './kafka-committable.js';
import { createKafkajsProducerClient } from './kafkajs-producer-client.js';
import { TestKafka, missingBrokerBanner, planKafkaBroker } from './testing/kafka-test-broker.js';
import { TestingCommitRequest, testingSinkInitContext, testingWriterContext } from './testing/sink-driver.js';

const plan = planKafkaBroker();
const inCi = Boolean(process.env.CI);
if (plan.kind === 'missing' && !inCi) console.warn(missingBrokerBanner(plan.reason));
if (plan.kind === 'missing' && inCi) {
  describe('KafkaSink', () => {
    it('can reach a Kafka broker in CI', () => expect.fail(`CI must run the Kafka tests: ${plan.reason}`));
  });
}

interface Row {
  id: number;
}

/** Round-trips through the versioned serializers, as a checkpoint does. */
function viaCheckpoint<X>(serializer: { getVersion(): number; serialize(x: X): Uint8Array; deserialize(v: number, b: Uint8Array): X }, xs: readonly X[]): X[] {
  return xs.map((x) => serializer.deserialize(serializer.getVersion(), serializer.serialize(x)));
}

describe('KafkaSink builder', () => {
  const serializer = KafkaRecordSerializationSchema.builder<string>().setTopic('t').setValueSerializationSchema(new SimpleStringSchema()).build();

  it('rejects a missing or bad option naming it', () => {
    expect(() => KafkaSink.builder<string>().setRecordSerializer(serializer).build()).toThrow(/setBootstrapServers/);
    expect(() => KafkaSink.builder<string>().setBootstrapServers('localhost').setRecordSerializer(serializer).build()).toThrow(/not host:port/);
    expect(() => KafkaSink.builder<string>().setBootstrapServers('h:1').build()).toThrow(/setRecordSerializer/);
    expect(() => KafkaSink.builder<string>().setBootstrapServers('h:1').setRecordSerializer(serializer).setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).build()).toThrow(
      /setTransactionalIdPrefix/,
    );
    expect(() => KafkaSink.builder<string>().setBootstrapServers('h:1').setRecordSerializer(serializer).setProperty('acks', 'all').build()).toThrow(/unknown property 'acks'/);
    expect(() => KafkaSink.builder<string>().setBootstrapServers('h:1').setRecordSerializer(serializer).setTransactionTimeout(-5).build()).toThrow(/setTransactionTimeout/);
    expect(() => KafkaRecordSerializationSchema.builder<string>().setValueSerializationSchema(new SimpleStringSchema()).build()).toThrow(/setTopic/);
    expect(() => KafkaRecordSerializationSchema.builder<string>().setTopic('t').build()).toThrow(/setValueSerializationSchema/);
  });

  it('serializes topic, key, value and timestamp through the record serialization schema', () => {
    const schema = KafkaRecordSerializationSchema.builder<Row>()
      .setTopic((r) => `t-${r.id % 2}`)
      .setKeySerializationSchema({ serialize: (r) => new TextEncoder().encode(String(r.id)) })
      .setValueSerializationSchema(new JsonSerializationSchema<Row>())
      .build();
    const record = schema.serialize({ id: 7 }, 1234);
    expect(record.topic).toBe('t-1');
    expect(new TextDecoder().decode(record.key!)).toBe('7');
    expect(new TextDecoder().decode(record.value!)).toBe('{"id":7}');
    expect(record.timestamp).toBe(1234);
  });
});

describe.skipIf(plan.kind === 'missing')('KafkaSink against a real broker', () => {
  let kafka: TestKafka;
  let prefixCount = 0;

  beforeAll(async () => {
    kafka = await TestKafka.start(plan);
  }, 300_000);

  afterAll(async () => {
    await kafka?.stop();
  }, 180_000);

  function sink(topic: string, guarantee: DeliveryGuarantee, prefix = 'unused', timeoutMs?: number): KafkaSink<Row> {
    const b = KafkaSink.builder<Row>()
      .setBootstrapServers(kafka.brokers)
      .setRecordSerializer(
        KafkaRecordSerializationSchema.builder<Row>()
          .setTopic(topic)
          .setKeySerializationSchema({ serialize: (r) => new TextEncoder().encode(String(r.id)) })
          .setValueSerializationSchema(new JsonSerializationSchema<Row>())
          .build(),
      )
      .setDeliveryGuarantee(guarantee)
      .setTransactionalIdPrefix(prefix)
      .setProperty('sink.batch.size', 64);
    if (timeoutMs !== undefined) b.setTransactionTimeout(timeoutMs);
    return b.build();
  }

  const newPrefix = () => `riffle-test-sink-${process.pid}-${Date.now()}-${prefixCount++}`;
  const ids = (records: ReadonlyArray<{ value: string | null }>) => records.map((r) => (JSON.parse(r.value!) as Row).id).sort((a, b) => a - b);
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  it('AT_LEAST_ONCE: after flush every record is acknowledged and readable, keyed by the key schema', async () => {
    const topic = await kafka.createTopic(3, 'sink-alo');
    const writer = await sink(topic, DeliveryGuarantee.AT_LEAST_ONCE).createWriter(testingSinkInitContext());
    for (let i = 0; i < 1000; i++) writer.write({ id: i }, testingWriterContext);
    await writer.flush(false);
    expect(await writer.prepareCommit()).toEqual([]);
    const records = await kafka.readCommitted(topic, 1000);
    expect(ids(records)).toEqual(range(0, 1000));
    for (const r of records) expect(r.key).toBe(String((JSON.parse(r.value!) as Row).id));
    await writer.close();
  });

  it('EXACTLY_ONCE: committed by a new process after a crash, each record is seen once; open transactions stay invisible; a lingering one is aborted on restore', async () => {
    const topic = await kafka.createTopic(2, 'sink-eo');
    const prefix = newPrefix();
    const committables = new KafkaCommittableSerializer();
    const states = new KafkaWriterStateSerializer();

    // --- first process: checkpoint 1 completes and commits; checkpoint 2 is pre-committed, then the process dies.
    const first = sink(topic, DeliveryGuarantee.EXACTLY_ONCE, prefix);
    const writer = await first.createWriter(testingSinkInitContext(0, 1));
    for (let i = 0; i < 300; i++) writer.write({ id: i }, testingWriterContext);
    await writer.flush(false);
    const c1 = await writer.prepareCommit();
    writer.snapshotState(1);
    expect(c1).toHaveLength(1);
    const committer = await first.createCommitter();
    const r1 = new TestingCommitRequest(c1[0]);
    await committer.commit([r1]);
    expect(r1.outcome).toBe('committed');
    expect(ids(await kafka.readCommitted(topic, 300))).toEqual(range(0, 300));

    for (let i = 300; i < 500; i++) writer.write({ id: i }, testingWriterContext);
    await writer.flush(false);
    const stored: KafkaCommittable[] = viaCheckpoint(committables, await writer.prepareCommit());
    const storedState: KafkaWriterState[] = viaCheckpoint(states, writer.snapshotState(2));
    // Written after checkpoint 2, never pre-committed: the attempt's lingering transaction.
    for (let i = 1_000_000; i < 1_000_100; i++) writer.write({ id: i }, testingWriterContext);
    await writer.flush(false);
    // The pre-committed and the lingering transactions hold the last stable offset back: invisible.
    const lsoBefore = await kafka.lastStableOffsets(topic);
    const committedSoFar = await kafka.readCommitted(topic, 300);
    expect(ids(committedSoFar)).toEqual(range(0, 300));
    for (const [p, lso] of lsoBefore) expect(committedSoFar.filter((r) => r.partition === p && r.offset >= lso)).toEqual([]);
    // The first process dies here: the writer and committer are dropped without close().

    // --- new process: new sink and committer instances commit the restored committable, twice.
    const second = sink(topic, DeliveryGuarantee.EXACTLY_ONCE, prefix);
    const committer2 = await second.createCommitter();
    const r2 = new TestingCommitRequest(stored[0]);
    await committer2.commit([r2]);
    expect(r2.outcome).toBe('committed');
    const replay = [new TestingCommitRequest(stored[0], 1), new TestingCommitRequest(c1[0], 1)];
    await committer2.commit(replay);
    expect(replay.map((r) => r.outcome)).toEqual(['committed', 'committed']);

    // Restoring the writer aborts the lingering transaction; the new writer continues.
    const restored = await second.restoreWriter(testingSinkInitContext(0, 1, 1), storedState);
    for (let i = 500; i < 550; i++) restored.write({ id: i }, testingWriterContext);
    await restored.flush(true);
    const c3 = await restored.prepareCommit();
    const r3 = new TestingCommitRequest(c3[0]);
    await committer2.commit([r3]);
    expect(r3.outcome).toBe('committed');

    const all = await kafka.readCommitted(topic, 550);
    expect(ids(all)).toEqual(range(0, 550));
    await restored.close();
    await committer2.close();
    await committer.close();
    await writer.close();
  });

  it('EXACTLY_ONCE: restoring at another parallelism aborts the lingering transactions of every old subtask', async () => {
    const topic = await kafka.createTopic(2, 'sink-rescale');
    const prefix = newPrefix();
    const old = sink(topic, DeliveryGuarantee.EXACTLY_ONCE, prefix);
    const writers = [await old.createWriter(testingSinkInitContext(0, 2)), await old.createWriter(testingSinkInitContext(1, 2))];
    const committables: KafkaCommittable[] = [];
    const snapshot: KafkaWriterState[] = [];
    for (const [s, w] of writers.entries()) {
      for (let i = 0; i < 100; i++) w.write({ id: s * 100 + i }, testingWriterContext);
      await w.flush(false);
      committables.push(...(await w.prepareCommit()));
      snapshot.push(...w.snapshotState(1));
      for (let i = 0; i < 20; i++) w.write({ id: 9_000_000 + s * 100 + i }, testingWriterContext);
      await w.flush(false);
    }
    const next = sink(topic, DeliveryGuarantee.EXACTLY_ONCE, prefix);
    const committer = await next.createCommitter();
    const requests = committables.map((c) => new TestingCommitRequest(c));
    await committer.commit(requests);
    expect(requests.map((r) => r.outcome)).toEqual(['committed', 'committed']);
    // One subtask now, given both old subtasks' states.
    const restored = await next.restoreWriter(testingSinkInitContext(0, 1, 1), viaCheckpoint(new KafkaWriterStateSerializer(), snapshot));
    expect(ids(await kafka.readCommitted(topic, 200))).toEqual(range(0, 200));
    await restored.close();
    await committer.close();
    for (const w of writers) await w.close();
  });

  it('EXACTLY_ONCE: a writer started without state aborts what an attempt that failed before its first checkpoint left open', async () => {
    const topic = await kafka.createTopic(2, 'sink-fresh');
    const prefix = newPrefix();
    const failed = await sink(topic, DeliveryGuarantee.EXACTLY_ONCE, prefix).createWriter(testingSinkInitContext(0, 1, 0));
    for (let i = 0; i < 100; i++) failed.write({ id: 5_000 + i }, testingWriterContext);
    await failed.flush(false);
    expect(await failed.prepareCommit()).toHaveLength(1); // pre-committed, its checkpoint never completes
    failed.snapshotState(1);
    for (let i = 0; i < 100; i++) failed.write({ id: 6_000 + i }, testingWriterContext);
    await failed.flush(false);
    // The next attempt has no checkpoint to restore: a fresh writer.
    const s = sink(topic, DeliveryGuarantee.EXACTLY_ONCE, prefix);
    const writer = await s.createWriter(testingSinkInitContext(0, 1, 1));
    for (let i = 0; i < 10; i++) writer.write({ id: i }, testingWriterContext);
    await writer.flush(true);
    const committer = await s.createCommitter();
    const requests = (await writer.prepareCommit()).map((c) => new TestingCommitRequest(c));
    await committer.commit(requests);
    expect(requests.map((r) => r.outcome)).toEqual(['committed']);
    // Both transactions of the failed attempt are aborted, or they would hold the last stable offset back.
    expect(ids(await kafka.readCommitted(topic, 10))).toEqual(range(0, 10));
    await writer.close();
    await committer.close();
    await failed.close();
  });

  it('EXACTLY_ONCE: a transaction that can no longer be committed fails the commit with a clear reason', async () => {
    const topic = await kafka.createTopic(1, 'sink-fenced');
    const prefix = newPrefix();
    const s = sink(topic, DeliveryGuarantee.EXACTLY_ONCE, prefix);
    const writer = await s.createWriter(testingSinkInitContext());
    writer.write({ id: 1 }, testingWriterContext);
    await writer.flush(false);
    const [committable] = await writer.prepareCommit();
    // Another producer takes the id (as a broker timeout would): the transaction is aborted.
    const other = createKafkajsProducerClient({ bootstrapServers: kafka.brokers, properties: {} });
    await other.fenceTransactionalId(committable.transactionalId, 60_000);
    await other.close();
    const committer = await s.createCommitter();
    const request = new TestingCommitRequest(committable);
    await committer.commit([request]);
    expect(request.outcome).toBe('known-failure');
    expect(request.error?.message).toMatch(new RegExp(`cannot commit transaction '${committable.transactionalId}'.*aborted`));
    expect(await kafka.readCommitted(topic, 0)).toEqual([]);
    await committer.close();
    await writer.close();
  });

  it('EXACTLY_ONCE: a transaction timeout above the broker maximum fails when the writer starts, naming both', async () => {
    const topic = await kafka.createTopic(1, 'sink-timeout');
    const s = sink(topic, DeliveryGuarantee.EXACTLY_ONCE, newPrefix(), 3_600_000);
    await expect(s.createWriter(testingSinkInitContext())).rejects.toThrow(/transaction timeout 3600000 ms exceeds the broker's transaction.max.timeout.ms 900000 ms \(setTransactionTimeout\)/);
  });

  it('validate() (run at job submission) rejects a transaction timeout above the broker maximum and accepts one within it', async () => {
    const topic = await kafka.createTopic(1, 'sink-validate');
    await expect(sink(topic, DeliveryGuarantee.EXACTLY_ONCE, newPrefix(), 3_600_000).validate()).rejects.toThrow(/exceeds the broker's transaction.max.timeout.ms 900000 ms/);
    await expect(sink(topic, DeliveryGuarantee.EXACTLY_ONCE, newPrefix(), 900_000).validate()).resolves.toBeUndefined();
    // Without transactions there is nothing to check.
    await expect(sink(topic, DeliveryGuarantee.AT_LEAST_ONCE, newPrefix(), 3_600_000).validate()).resolves.toBeUndefined();
  });
});
