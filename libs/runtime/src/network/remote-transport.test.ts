import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { assignKeyToParallelOperator, StreamRecord } from '@riffle/core';
import { describeInputGate, describeResultPartition, type EdgeDeployment } from './network-descriptors.js';
import { NetworkEnvironment } from './network-environment.js';
import { drain, produce } from './test-fixtures/pumps.js';
import { CollectingOutput, tupleSerializer } from './test-fixtures/test-serializers.js';

type Tuple = [string, number];
const small = { bufferSize: 512, buffersPerSubpartition: 2, floatingBuffersPerPartition: 2, overdraftBuffersPerPartition: 2, creditsPerChannel: 2 };
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Two environments in this thread joined by a MessageChannel: the cross-thread protocol, without workers. */
function twoEnvs(connect = true) {
  // (ports are returned so a test can send its own markers; the environments ignore non-`net:` kinds)
  const a = new NetworkEnvironment('A', small);
  const b = new NetworkEnvironment('B', small);
  const { port1, port2 } = new MessageChannel();
  const link = (): void => {
    a.addPeer('B', port1);
    b.addPeer('A', port2);
  };
  if (connect) link();
  cleanups.push(() => {
    a.close();
    b.close();
    port1.close();
    port2.close();
  });
  return { a, b, link, port1, port2 };
}

const writerOf = (env: NetworkEnvironment, edge: EdgeDeployment, p: number) =>
  env.createRecordWriter(describeResultPartition(edge, p), {
    serializer: tupleSerializer,
    partitioner: edge.partitionerKind === 'hash' ? { kind: 'hash', keySelector: { getKey: (v: Tuple) => v[0] } } : { kind: 'forward' },
    maxParallelism: 128,
    producerSubtask: p,
    operatorName: `producer${p}`,
  });

describe('cross-thread protocol over a MessagePort', () => {
  it('loses no data whatever the order of producer registration, consumer registration and addPeer', async () => {
    const { a, b, link } = twoEnvs(false);
    const edge: EdgeDeployment = { scope: 's', jobEdgeId: 'e', partitionerKind: 'forward', producerThreads: ['A'], consumerThreads: ['B'] };
    const writer = writerOf(a, edge, 0);
    const producing = produce(writer, Array.from({ length: 5000 }, (_, i): Tuple => [`v${i}`, i]));
    const input = b.createNetworkInput(describeInputGate(edge, 0), tupleSerializer);
    link();
    const out = new CollectingOutput<Tuple>();
    await drain(input, out);
    await producing;
    await writer.partition.whenFullyConsumed();
    expect(out.records().map((r) => r[1])).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(a.stats().bufferedBytes).toBe(0);
    expect(b.stats().bufferedBytes).toBe(0);
    expect(a.stats().maxBufferedBytes).toBeGreaterThan(0);
  });

  it('keeps credits that arrive before the producer registers', async () => {
    const { a, b, port1, port2 } = twoEnvs();
    const edge: EdgeDeployment = { scope: 's', jobEdgeId: 'c', partitionerKind: 'forward', producerThreads: ['A'], consumerThreads: ['B'] };
    const input = b.createNetworkInput(describeInputGate(edge, 0), tupleSerializer);
    // the port is ordered: once this marker reached A, so did the credits sent before it
    const marker = new Promise<void>((resolve) => port1.on('message', (m: { kind: string }) => m.kind === 'test:marker' && resolve()));
    port2.postMessage({ kind: 'test:marker' });
    await marker;
    const writer = writerOf(a, edge, 0);
    const out = new CollectingOutput<Tuple>();
    await Promise.all([produce(writer, [['late-producer', 1] as Tuple]), drain(input, out)]);
    expect(out.records()).toEqual([['late-producer', 1]]);
  }, 10_000);

  it('routes keyed records from two producers to the consumer the key group names, on both threads', async () => {
    const { a, b } = twoEnvs();
    const edge: EdgeDeployment = { scope: 's', jobEdgeId: 'k', partitionerKind: 'hash', producerThreads: ['A', 'B'], consumerThreads: ['A', 'B', 'B'] };
    const inputs = [
      a.createNetworkInput(describeInputGate(edge, 0), tupleSerializer),
      b.createNetworkInput(describeInputGate(edge, 1), tupleSerializer),
      b.createNetworkInput(describeInputGate(edge, 2), tupleSerializer),
    ];
    const outs = inputs.map(() => new CollectingOutput<Tuple>());
    const writers = [writerOf(a, edge, 0), writerOf(b, edge, 1)];
    const n = 3000;
    await Promise.all([
      ...writers.map((w, p) => produce(w, Array.from({ length: n }, (_, i): Tuple => [`key${i % 50}`, p * n + i]))),
      ...inputs.map((inp, c) => drain(inp, outs[c]!)),
    ]);
    let total = 0;
    outs.forEach((out, c) => {
      for (const [key] of out.records()) expect(assignKeyToParallelOperator(key, 128, 3)).toBe(c);
      for (const p of [0, 1]) {
        const fromP = out.records().filter((r) => Math.floor(r[1] / n) === p).map((r) => r[1]);
        expect(fromP).toEqual([...fromP].sort((x, y) => x - y)); // in order per channel
      }
      total += out.records().length;
    });
    expect(total).toBe(2 * n);
  });

  it('tolerates late messages after a consumer is released mid-stream and frees the producer side', async () => {
    const { a, b } = twoEnvs();
    const edge: EdgeDeployment = { scope: 's', jobEdgeId: 'r', partitionerKind: 'forward', producerThreads: ['A'], consumerThreads: ['B'] };
    const writer = writerOf(a, edge, 0);
    const input = b.createNetworkInput(describeInputGate(edge, 0), tupleSerializer);
    const rec = new StreamRecord<Tuple>(['x', 1]);
    while (writer.isAvailable()) writer.emit(rec);
    await input.available();
    input.release(); // buffers in flight arrive after this
    while (a.stats().queuedAtProducersBytes + a.stats().inFlightBytes > 0) await new Promise<void>((r) => setImmediate(r));
    expect(b.stats().bufferedBytes).toBe(0);
    // the producer keeps working (its consumer is gone) until the task is cancelled
    for (let i = 0; i < 100; i++) writer.emit(rec);
    writer.partition.release();
    expect(a.stats().bufferedBytes).toBe(0);
  });

  it('fails the consumer when the remote producer is released before end of partition', async () => {
    const { a, b } = twoEnvs();
    const edge: EdgeDeployment = { scope: 's', jobEdgeId: 'f', partitionerKind: 'forward', producerThreads: ['A'], consumerThreads: ['B'] };
    const writer = writerOf(a, edge, 0);
    const input = b.createNetworkInput(describeInputGate(edge, 0), tupleSerializer);
    writer.partition.release();
    await input.available();
    expect(() => input.processAvailable(new CollectingOutput<Tuple>(), 10)).toThrow(/producer released its partition/);
  });
});
