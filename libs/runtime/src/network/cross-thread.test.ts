import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { StreamRecord, Watermark } from '@riffle/core';
import { spawnWorker } from '../util/spawn-worker.js';
import { anyAvailable } from './availability.js';
import { maxPartitionBytes, resolveNetworkConfig } from './network-config.js';
import { describeInputGate, type EdgeDeployment } from './network-descriptors.js';
import { NetworkEnvironment } from './network-environment.js';
import type { DataOutput } from './stream-network-input.js';
import type { ProducerWorkerData, ProducerWorkerReport } from './test-fixtures/producer-worker.js';
import { tupleSerializer } from './test-fixtures/test-serializers.js';

type Tuple = [string, number];

/** Checks order and counts without keeping records. */
class CheckingOutput implements DataOutput<Tuple> {
  count = 0;
  last = -1;
  outOfOrder = 0;
  badKeys = 0;
  emitRecord(record: StreamRecord<Tuple>): void {
    const [key, i] = record.value;
    if (i <= this.last) this.outOfOrder++;
    if (key !== `key-${i % 1000}`) this.badKeys++;
    this.last = i;
    this.count++;
  }
  emitWatermark(_mark: Watermark): void {}
  emitWatermarkStatus(): void {}
}

describe('cross-thread network channel', () => {
  it('moves 2,000,000 records from a producer worker to slow-then-fast consumers within the pool bound, in order per channel', async () => {
    const config = { bufferSize: 32 * 1024, buffersPerSubpartition: 2, floatingBuffersPerPartition: 4, overdraftBuffersPerPartition: 5, creditsPerChannel: 2 };
    const records = 2_000_000;
    const edge: EdgeDeployment = { scope: 'job@0', jobEdgeId: 'src->sink', partitionerKind: 'rebalance', producerThreads: ['worker-1'], consumerThreads: ['main', 'main'] };
    const env = new NetworkEnvironment('main', config);
    const { port1, port2 } = new MessageChannel();
    env.addPeer('worker-1', port1);
    const inputs = [0, 1].map((c) => env.createNetworkInput(describeInputGate(edge, c), tupleSerializer));
    const outs = inputs.map(() => new CheckingOutput());

    const data: ProducerWorkerData = { threadId: 'worker-1', parentThreadId: 'main', port: port2, config, edge, producerSubtask: 0, records, keys: 1000 };
    const worker = spawnWorker(new URL('./test-fixtures/producer-worker.ts', import.meta.url), data, { transferList: [port2] });
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    const report = new Promise<ProducerWorkerReport>((resolve, reject) => {
      worker.on('message', (m: ProducerWorkerReport) => m.kind === 'producer-done' && resolve(m));
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`producer worker exited with ${code} before reporting`)));
    });

    const ended = [false, false];
    let slowTurns = 0;
    while (!ended[0] || !ended[1]) {
      const slow = outs[0]!.count + outs[1]!.count < 40_000; // deliberately slow at first: a few records per macrotask
      let idle = true;
      for (let c = 0; c < 2; c++) {
        if (ended[c]) continue;
        const st = inputs[c]!.processAvailable(outs[c]!, slow ? 8 : 50_000);
        if (st === 'END_OF_INPUT') ended[c] = true;
        else if (st === 'MORE_AVAILABLE') idle = false;
      }
      if (slow) {
        slowTurns++;
        await new Promise<void>((r) => setImmediate(r));
      } else if (idle && !(ended[0] && ended[1])) {
        await anyAvailable(inputs.filter((_, c) => !ended[c]));
      }
    }
    const r = await report;
    expect(await exited).toBe(0);
    env.close();
    port1.close();

    expect(outs[0]!.count + outs[1]!.count).toBe(records);
    for (const out of outs) {
      expect(out.outOfOrder).toBe(0);
      expect(out.badKeys).toBe(0);
    }
    expect(r.recordsOut).toBe(records);
    expect(slowTurns).toBeGreaterThan(1000);
    expect(r.waits).toBeGreaterThan(0); // the slow phase backpressured the producer
    expect(r.excessBufferRequests).toBe(0);
    const bound = maxPartitionBytes(resolveNetworkConfig(config), r.numSubpartitions);
    expect(r.maxBufferedBytes).toBeGreaterThan(0);
    expect(r.maxBufferedBytes).toBeLessThanOrEqual(bound);
    // consumer side: at most the granted credits per channel
    expect(env.stats().maxBufferedBytes).toBeLessThanOrEqual(2 * config.creditsPerChannel * config.bufferSize);
    expect(r.bufferedBytes).toBe(0);
    expect(env.stats().bufferedBytes).toBe(0);
  });
});
