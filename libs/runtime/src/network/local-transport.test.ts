import { describe, expect, it } from 'vitest';
import { StreamRecord } from '@riffle/core';
import { anyAvailable } from './availability.js';
import { maxPartitionBytes, resolveNetworkConfig } from './network-config.js';
import { describeInputGate, describeResultPartition, type EdgeDeployment } from './network-descriptors.js';
import { NetworkEnvironment } from './network-environment.js';
import { localPair } from './test-fixtures/local-pair.js';
import { drain, produce } from './test-fixtures/pumps.js';
import { CollectingOutput, tupleSerializer } from './test-fixtures/test-serializers.js';

const small = { bufferSize: 256, buffersPerSubpartition: 2, floatingBuffersPerPartition: 1, overdraftBuffersPerPartition: 2, creditsPerChannel: 2 };
type Tuple = [string, number];

describe('local transport with credits', () => {
  it('sends only as many buffers as the consumer granted credits, and turns unavailable when the pool is used up', async () => {
    const { env, writer, input } = localPair(tupleSerializer, small);
    const rec = new StreamRecord<Tuple>(['', 0]);
    let i = 0;
    while (writer.isAvailable()) writer.emit(rec.replace([`k${i}`, i++]));
    // pool of 3: two buffers delivered (the credits), one being filled
    let s = env.stats();
    expect(s.queuedAtConsumersBytes).toBe(2 * 256);
    expect(s.writingBytes).toBe(256);
    expect(s.queuedAtProducersBytes).toBe(0);
    expect(writer.partition.stats().buffersInUse).toBe(3);

    let woke = false;
    const waiting = writer.available().then(() => (woke = true));
    await Promise.resolve();
    expect(woke).toBe(false);

    const out = new CollectingOutput<Tuple>();
    // consume exactly the first buffer: its records, then the buffer goes back with a credit
    while (writer.partition.stats().buffersInUse === 3) input.processAvailable(out, 1);
    await waiting;
    expect(woke).toBe(true);
    expect(writer.isAvailable()).toBe(true);
    s = env.stats();
    expect(s.queuedAtConsumersBytes).toBe(256);

    // a unit of work that keeps writing while unavailable draws on the overdraft, then beyond
    while (writer.isAvailable()) writer.emit(rec.replace([`k${i}`, i++]));
    for (let k = 0; k < 40; k++) writer.emit(rec.replace([`k${i}`, i++]));
    expect(env.stats().overdraftBuffers).toBeGreaterThan(0);
    writer.emitEndOfPartition();
    await drain(input, out);
    expect(out.records().map((r) => r[1])).toEqual(Array.from({ length: i }, (_, k) => k));
    expect(env.stats().bufferedBytes).toBe(0);
    expect(env.stats().overdraftBuffers).toBe(0);
  });

  it('keeps a slow consumer from growing memory: buffered bytes stay within the pool bound and every record arrives', async () => {
    const { env, writer, input } = localPair(tupleSerializer, small);
    const out = new CollectingOutput<Tuple>();
    const n = 50_000;
    const values = (function* () {
      for (let i = 0; i < n; i++) yield [`key-${i % 97}`, i] as Tuple;
    })();
    const consumer = (async () => {
      for (;;) {
        const st = input.processAvailable(out, 7); // slow: a few records per turn
        if (st === 'END_OF_INPUT') return;
        if (st === 'NOTHING_AVAILABLE') await input.available();
        else await new Promise<void>((r) => setImmediate(r));
      }
    })();
    const waits = await produce(writer, values);
    await consumer;
    expect(waits).toBeGreaterThan(10);
    expect(out.records().length).toBe(n);
    expect(out.records().every((r, i) => r[1] === i)).toBe(true);
    const s = env.stats();
    expect(s.maxBufferedBytes).toBeLessThanOrEqual(maxPartitionBytes(resolveNetworkConfig(small), 1));
    expect(s.excessBufferRequests).toBe(0);
    expect(s.bufferedBytes).toBe(0);
  });

  it('delivers data written before the consumer registered', async () => {
    const env = new NetworkEnvironment('t0', small);
    const edge: EdgeDeployment = { scope: 's', jobEdgeId: 'e', partitionerKind: 'forward', producerThreads: ['t0'], consumerThreads: ['t0'] };
    const writer = env.createRecordWriter(describeResultPartition(edge, 0), {
      serializer: tupleSerializer,
      partitioner: { kind: 'forward' },
      maxParallelism: 128,
      producerSubtask: 0,
      operatorName: 'src',
    });
    writer.emit(new StreamRecord<Tuple>(['early', 1]));
    writer.emitEndOfPartition();
    expect(env.stats().queuedAtProducersBytes).toBe(256);
    const input = env.createNetworkInput(describeInputGate(edge, 0), tupleSerializer);
    const out = new CollectingOutput<Tuple>();
    await drain(input, out);
    expect(out.records()).toEqual([['early', 1]]);
    await writer.partition.whenFullyConsumed();
  });

  it('wakes a task waiting on any of several gates', async () => {
    const env = new NetworkEnvironment('t0', small);
    const edges = ['a', 'b'].map(
      (id): EdgeDeployment => ({ scope: 's', jobEdgeId: id, partitionerKind: 'forward', producerThreads: ['t0'], consumerThreads: ['t0'] }),
    );
    const writers = edges.map((e) =>
      env.createRecordWriter(describeResultPartition(e, 0), {
        serializer: tupleSerializer,
        partitioner: { kind: 'forward' },
        maxParallelism: 128,
        producerSubtask: 0,
        operatorName: e.jobEdgeId,
      }),
    );
    const inputs = edges.map((e) => env.createNetworkInput(describeInputGate(e, 0), tupleSerializer));
    let woke = false;
    const waiting = anyAvailable(inputs).then(() => (woke = true));
    await Promise.resolve();
    expect(woke).toBe(false);
    writers[1]!.emit(new StreamRecord<Tuple>(['b', 2]));
    writers[1]!.flushAll();
    await waiting;
    expect(inputs[1]!.isAvailable()).toBe(true);
    expect(inputs[0]!.isAvailable()).toBe(false);
  });

  it('reads a union of gates and ends when every channel of every gate ended', async () => {
    const env = new NetworkEnvironment('t0', small);
    const edges = ['a', 'b'].map(
      (id): EdgeDeployment => ({ scope: 's', jobEdgeId: id, partitionerKind: 'rebalance', producerThreads: ['t0', 't0'], consumerThreads: ['t0'] }),
    );
    const writers = edges.flatMap((e) =>
      [0, 1].map((p) =>
        env.createRecordWriter(describeResultPartition(e, p), {
          serializer: tupleSerializer,
          partitioner: { kind: 'rebalance' },
          maxParallelism: 128,
          producerSubtask: p,
          operatorName: `${e.jobEdgeId}${p}`,
        }),
      ),
    );
    const input = env.createNetworkInput(edges.map((e) => describeInputGate(e, 0)), tupleSerializer);
    expect(input.numChannels).toBe(4);
    const out = new CollectingOutput<Tuple>();
    const producing = Promise.all(writers.map((w, k) => produce(w, Array.from({ length: 500 }, (_, i): Tuple => [`w${k}`, i]))));
    await drain(input, out);
    await producing;
    for (let k = 0; k < 4; k++) {
      expect(out.records().filter((r) => r[0] === `w${k}`).map((r) => r[1])).toEqual(Array.from({ length: 500 }, (_, i) => i));
    }
    expect(env.registered()).toEqual({ partitions: 0, gates: 0, producerChannels: 0, consumerChannels: 0 });
  });

  it('broadcasts every record, small or oversized, to every consumer', async () => {
    const env = new NetworkEnvironment('t0', small);
    const edge: EdgeDeployment = { scope: 's', jobEdgeId: 'b', partitionerKind: 'broadcast', producerThreads: ['t0'], consumerThreads: ['t0', 't0', 't0'] };
    const writer = env.createRecordWriter(describeResultPartition(edge, 0), {
      serializer: tupleSerializer,
      partitioner: { kind: 'broadcast' },
      maxParallelism: 128,
      producerSubtask: 0,
      operatorName: 'bc',
    });
    const inputs = [0, 1, 2].map((c) => env.createNetworkInput(describeInputGate(edge, c), tupleSerializer));
    const outs = inputs.map(() => new CollectingOutput<Tuple>());
    const values = Array.from({ length: 300 }, (_, i): Tuple => [i % 50 === 0 ? 'x'.repeat(1000) : `v${i}`, i]);
    await Promise.all([produce(writer, values), ...inputs.map((inp, c) => drain(inp, outs[c]!))]);
    for (const out of outs) expect(out.records()).toEqual(values);
    expect(env.stats().bufferedBytes).toBe(0);
  });

  it('frees every buffer when the consumer is released, and fails the consumer when the producer is released', async () => {
    const a = localPair(tupleSerializer, small);
    const rec = new StreamRecord<Tuple>(['x', 0]);
    while (a.writer.isAvailable()) a.writer.emit(rec);
    a.input.release();
    expect(() => a.writer.emit(rec)).not.toThrow();
    a.writer.partition.release();
    expect(a.env.stats().bufferedBytes).toBe(0);
    expect(a.env.registered()).toEqual({ partitions: 0, gates: 0, producerChannels: 0, consumerChannels: 0 });

    const b = localPair(tupleSerializer, small);
    b.writer.emit(rec);
    b.writer.flushAll();
    b.writer.partition.release();
    expect(() => b.input.processAvailable(new CollectingOutput<Tuple>(), 10)).toThrow(/producer released/);
    b.input.release();
    expect(b.env.stats().bufferedBytes).toBe(0);
  });
});
