import { describe, expect, it } from 'vitest';
import { StreamRecord, dynamicSerializer, type TypeSerializer } from '@riffle/core';
import { describeInputGate, describeResultPartition, type EdgeDeployment } from './network-descriptors.js';
import { NetworkEnvironment } from './network-environment.js';
import type { PartitionerSpec } from '../graph/stream-graph.js';
import { drain, produce } from './test-fixtures/pumps.js';
import { CollectingOutput } from './test-fixtures/test-serializers.js';

const small = { bufferSize: 256, buffersPerSubpartition: 2, floatingBuffersPerPartition: 1, overdraftBuffersPerPartition: 2, creditsPerChannel: 2 };
const serializer = dynamicSerializer() as TypeSerializer<Row>;

interface Row {
  readonly id: number;
  readonly [field: string]: unknown;
}

/** Records of a few shapes (two with the same keys in another order), nested, some larger than a buffer. */
function rows(producer: number, n: number): Row[] {
  return Array.from({ length: n }, (_, i): Row => {
    const id = producer * 1_000_000 + i;
    switch (i % 4) {
      case 0:
        return { id, kind: 'bid', price: i, extra: i % 50 === 0 ? 'x'.repeat(600) : `e${i}` };
      case 1:
        return { kind: 'bid', id, extra: `e${i}`, price: i };
      case 2:
        return { id, person: { name: `p${i}`, tags: [{ t: 'a' }, { t: 'b' }] }, at: new Date(i), big: BigInt(i) };
      default:
        return { id, counts: new Map([['k', { n: i }]]), seen: new Set([{ n: i }]), none: undefined };
    }
  });
}

async function exchange(partitioner: PartitionerSpec, producers: number, consumers: number, n: number): Promise<Row[][]> {
  const env = new NetworkEnvironment('t0', small);
  const edge: EdgeDeployment = {
    scope: 's',
    jobEdgeId: partitioner.kind,
    partitionerKind: partitioner.kind,
    producerThreads: Array.from({ length: producers }, () => 't0'),
    consumerThreads: Array.from({ length: consumers }, () => 't0'),
  };
  const writers = Array.from({ length: producers }, (_, p) =>
    env.createRecordWriter(describeResultPartition(edge, p), {
      serializer,
      partitioner,
      maxParallelism: 128,
      producerSubtask: p,
      operatorName: `p${p}`,
    }),
  );
  const inputs = Array.from({ length: consumers }, (_, c) => env.createNetworkInput(describeInputGate(edge, c), serializer));
  const outs = inputs.map(() => new CollectingOutput<Row>());
  await Promise.all([...writers.map((w, p) => produce(w, rows(p, n))), ...inputs.map((input, c) => drain(input, outs[c]!))]);
  expect(env.stats().bufferedBytes).toBe(0);
  return outs.map((o) => o.records());
}

describe('object shape tables on network channels', () => {
  it('deliver every record intact over hash-partitioned channels, each channel with its own shapes', async () => {
    const n = 2000;
    const received = await exchange({ kind: 'hash', keySelector: { getKey: (r: Row) => r.id } }, 2, 3, n);
    const all = received.flat();
    expect(all.length).toBe(2 * n);
    for (const p of [0, 1]) {
      expect(all.filter((r) => Math.floor(r.id / 1_000_000) === p).sort((a, b) => a.id - b.id)).toEqual(rows(p, n));
    }
    // the same key in another order reads back in that order
    expect(Object.keys(all.find((r) => r.id === 1)!)).toEqual(['kind', 'id', 'extra', 'price']);
  });

  it('deliver the same records to every consumer of a broadcast, in order', async () => {
    const received = await exchange({ kind: 'broadcast' }, 1, 3, 500);
    for (const records of received) expect(records).toEqual(rows(0, 500));
  });

  it('keep writer and reader in step when a record fails to serialize after defining a new shape', async () => {
    const env = new NetworkEnvironment('t0', small);
    const edge: EdgeDeployment = { scope: 's', jobEdgeId: 'f', partitionerKind: 'forward', producerThreads: ['t0'], consumerThreads: ['t0'] };
    const writer = env.createRecordWriter(describeResultPartition(edge, 0), {
      serializer: dynamicSerializer(),
      partitioner: { kind: 'forward' },
      maxParallelism: 128,
      producerSubtask: 0,
      operatorName: 'p',
    });
    const input = env.createNetworkInput(describeInputGate(edge, 0), dynamicSerializer());
    const rec = new StreamRecord<unknown>(undefined);
    writer.emit(rec.replace({ a: 1 }));
    // defines shapes {b, c} and {inner} before failing on the function value
    expect(() => writer.emit(rec.replace({ b: { inner: 1 }, c: () => 0 }))).toThrow(TypeError);
    const after = [{ b: { inner: 2 }, c: 3 }, { a: 4 }, { b: { inner: 5 }, c: 6 }];
    for (const v of after) writer.emit(rec.replace(v));
    writer.emitEndOfPartition();
    const out = new CollectingOutput<unknown>();
    await drain(input, out);
    expect(out.records()).toEqual([{ a: 1 }, ...after]);
  });
});
