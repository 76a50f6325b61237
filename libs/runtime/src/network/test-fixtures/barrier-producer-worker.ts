// Worker entry for the cross-thread barrier test: one producer subtask writing `[p<subtask>, i]`
// tuples to a consumer on the parent thread, with checkpoint barrier k written right after record
// k * barrierEvery - 1, honouring backpressure; then end of partition and a report of its counters.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { StreamRecord } from '@riffle/core';
import type { NetworkConfig } from '../network-config.js';
import { describeResultPartition, type EdgeDeployment } from '../network-descriptors.js';
import { NetworkEnvironment } from '../network-environment.js';
import { tupleSerializer } from './test-serializers.js';

export interface BarrierProducerData {
  readonly threadId: string;
  readonly parentThreadId: string;
  readonly port: MessagePort;
  readonly config: Partial<NetworkConfig>;
  readonly edge: EdgeDeployment;
  readonly producerSubtask: number;
  readonly records: number;
  readonly barrierEvery: number;
}

export interface BarrierProducerReport {
  readonly kind: 'barrier-producer-done';
  readonly waits: number;
  readonly barriers: number;
  readonly maxBufferedBytes: number;
  readonly bufferedBytes: number;
  readonly excessBufferRequests: number;
  readonly numSubpartitions: number;
}

const data = (workerData as { data: BarrierProducerData }).data;
const env = new NetworkEnvironment(data.threadId, data.config);
env.addPeer(data.parentThreadId, data.port);
const writer = env.createRecordWriter(describeResultPartition(data.edge, data.producerSubtask), {
  serializer: tupleSerializer,
  partitioner: { kind: 'rebalance' },
  maxParallelism: 128,
  producerSubtask: data.producerSubtask,
  operatorName: 'barrier-producer',
});

const key = `p${data.producerSubtask}`;
const rec = new StreamRecord<[string, number]>([key, 0]);
let waits = 0;
let barriers = 0;
let i = 0;
while (i < data.records) {
  if (!writer.isAvailable()) {
    waits++;
    await writer.available();
  }
  const end = Math.min(data.records, i + 64);
  for (; i < end; i++) {
    writer.emit(rec.replace<[string, number]>([key, i]));
    if ((i + 1) % data.barrierEvery === 0) {
      barriers++;
      writer.broadcastBarrier({ checkpointId: (i + 1) / data.barrierEvery, timestamp: Date.now(), options: { mode: 'EXACTLY_ONCE', isSavepoint: false } });
    }
  }
}
writer.emitEndOfPartition();
await writer.partition.whenFullyConsumed();
const stats = env.stats();
parentPort!.postMessage({
  kind: 'barrier-producer-done',
  waits,
  barriers,
  maxBufferedBytes: stats.maxBufferedBytes,
  bufferedBytes: stats.bufferedBytes,
  excessBufferRequests: stats.excessBufferRequests,
  numSubpartitions: writer.partition.numSubpartitions,
} satisfies BarrierProducerReport);
env.close();
data.port.close();
