import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { StreamRecord, Watermark } from '@riffle/core';
import { spawnWorker } from '../util/spawn-worker.js';
import type { CheckpointBarrier } from './checkpoint-barrier.js';
import type { CheckpointAlignmentMetrics, CheckpointListener } from './checkpoint-barrier-handler.js';
import { maxPartitionBytes, resolveNetworkConfig } from './network-config.js';
import { describeInputGate, type EdgeDeployment } from './network-descriptors.js';
import { NetworkEnvironment } from './network-environment.js';
import type { DataOutput } from './stream-network-input.js';
import type { BarrierProducerData, BarrierProducerReport } from './test-fixtures/barrier-producer-worker.js';
import { tupleSerializer } from './test-fixtures/test-serializers.js';

type Tuple = [string, number];

/**
 * Checks, for every triggered checkpoint k, that exactly the records written before barrier k on
 * each producer were dispatched (records `0 … k*every-1`), no more and no fewer.
 */
class AlignmentChecker implements DataOutput<Tuple>, CheckpointListener {
  readonly last = [-1, -1];
  count = 0;
  outOfOrder = 0;
  checkpoints: number[] = [];
  misaligned: string[] = [];
  aborts = 0;
  maxAlignmentMs = 0;
  maxBlockedBytes = 0;
  constructor(private readonly every: number) {}
  emitRecord(r: StreamRecord<Tuple>): void {
    const p = r.value[0] === 'p0' ? 0 : 1;
    if (r.value[1] !== this.last[p]! + 1) this.outOfOrder++;
    this.last[p] = r.value[1];
    this.count++;
  }
  emitWatermark(_m: Watermark): void {}
  emitWatermarkStatus(): void {}
  triggerCheckpointOnBarrier(b: CheckpointBarrier, m: CheckpointAlignmentMetrics): void {
    const cut = b.checkpointId * this.every - 1;
    if (this.last[0] !== cut || this.last[1] !== cut) this.misaligned.push(`cp${b.checkpointId}: p0 at ${this.last[0]}, p1 at ${this.last[1]}, expected ${cut}`);
    this.checkpoints.push(b.checkpointId);
    this.maxAlignmentMs = Math.max(this.maxAlignmentMs, m.alignmentDurationMs);
    this.maxBlockedBytes = Math.max(this.maxBlockedBytes, m.bytesBufferedInBlockedChannels);
  }
  abortCheckpointOnBarrier(): void {
    this.aborts++;
  }
}

describe('checkpoint barriers across threads', () => {
  it('aligns barriers from two backpressured producer threads exactly once, within the memory bound', async () => {
    const config = { bufferSize: 8 * 1024, buffersPerSubpartition: 2, floatingBuffersPerPartition: 2, overdraftBuffersPerPartition: 5, creditsPerChannel: 2 };
    const records = 150_000;
    const every = 10_000;
    const edge: EdgeDeployment = { scope: 'job@0', jobEdgeId: 'src->sink', partitionerKind: 'rebalance', producerThreads: ['w0', 'w1'], consumerThreads: ['main'] };
    const env = new NetworkEnvironment('main', config);
    const input = env.createNetworkInput(describeInputGate(edge, 0), tupleSerializer);
    const out = new AlignmentChecker(every);
    const handler = input.setCheckpointListener(out, 'EXACTLY_ONCE');

    const reports: Promise<BarrierProducerReport>[] = [];
    const exits: Promise<number>[] = [];
    const ports: MessagePort[] = [];
    for (let p = 0; p < 2; p++) {
      const { port1, port2 } = new MessageChannel();
      env.addPeer(`w${p}`, port1);
      ports.push(port1);
      const data: BarrierProducerData = { threadId: `w${p}`, parentThreadId: 'main', port: port2, config, edge, producerSubtask: p, records, barrierEvery: every };
      const worker = spawnWorker(new URL('./test-fixtures/barrier-producer-worker.ts', import.meta.url), data, { transferList: [port2] });
      exits.push(new Promise<number>((resolve) => worker.once('exit', resolve)));
      reports.push(
        new Promise<BarrierProducerReport>((resolve, reject) => {
          worker.on('message', (m: BarrierProducerReport) => m.kind === 'barrier-producer-done' && resolve(m));
          worker.on('error', reject);
          worker.on('exit', (code) => reject(new Error(`producer w${p} exited with ${code} before reporting`)));
        }),
      );
    }

    let observedBlockedBytes = 0;
    let slowTurns = 0;
    for (;;) {
      const slow = out.count < 30_000; // slow at first so both producers stall on credit
      const st = input.processAvailable(out, slow ? 16 : 20_000);
      const blocked = handler.stats().bytesBufferedInBlockedChannels;
      if (blocked > observedBlockedBytes) observedBlockedBytes = blocked;
      if (st === 'END_OF_INPUT') break;
      if (slow) {
        slowTurns++;
        await new Promise<void>((r) => setImmediate(r));
      } else if (st === 'NOTHING_AVAILABLE') {
        await input.available();
      }
    }
    const rs = await Promise.all(reports);
    expect(await Promise.all(exits)).toEqual([0, 0]);
    env.close();
    for (const port of ports) port.close();

    expect(out.count).toBe(2 * records);
    expect(out.outOfOrder).toBe(0);
    expect(out.misaligned).toEqual([]);
    expect(out.checkpoints).toEqual(Array.from({ length: records / every }, (_, k) => k + 1));
    expect(out.aborts).toBe(0);
    expect(slowTurns).toBeGreaterThan(100);
    // channels really were blocked while the other producer caught up
    expect(Math.max(observedBlockedBytes, out.maxBlockedBytes)).toBeGreaterThan(0);
    const bound = maxPartitionBytes(resolveNetworkConfig(config), 1);
    for (const r of rs) {
      expect(r.barriers).toBe(records / every);
      expect(r.waits).toBeGreaterThan(0); // backpressured
      expect(r.excessBufferRequests).toBe(0);
      expect(r.maxBufferedBytes).toBeGreaterThan(0);
      expect(r.maxBufferedBytes).toBeLessThanOrEqual(bound);
      expect(r.bufferedBytes).toBe(0);
    }
    // consumer side: at most the granted credits per channel, blocked or not
    expect(env.stats().maxBufferedBytes).toBeLessThanOrEqual(2 * config.creditsPerChannel * config.bufferSize);
    expect(env.stats().bufferedBytes).toBe(0);
    expect(handler.stats()).toMatchObject({ blockedChannels: 0, lastCompletedCheckpointId: records / every });
  });
});
