// Worker entry for the cross-thread network test and benchmark: produces `[key, i]` tuples through
// a RecordWriter to consumers on the parent thread, honouring backpressure, then reports its
// network counters to the parent.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { StreamRecord } from '@riffle/core';
import type { NetworkConfig } from '../network-config.js';
import { describeResultPartition, type EdgeDeployment } from '../network-descriptors.js';
import { NetworkEnvironment } from '../network-environment.js';
import { tupleSerializer } from './test-serializers.js';

export interface ProducerWorkerData {
  readonly threadId: string;
  readonly parentThreadId: string;
  readonly port: MessagePort;
  readonly config: Partial<NetworkConfig>;
  readonly edge: EdgeDeployment;
  readonly producerSubtask: number;
  readonly records: number;
  /** Distinct keys (`key-0` … `key-(k-1)`). */
  readonly keys: number;
}

export interface ProducerWorkerReport {
  readonly kind: 'producer-done';
  readonly waits: number;
  readonly maxBufferedBytes: number;
  readonly bufferedBytes: number;
  readonly excessBufferRequests: number;
  readonly numSubpartitions: number;
  readonly recordsOut: number;
  readonly buffersOut: number;
  readonly elapsedMs: number;
}

const data = (workerData as { data: ProducerWorkerData }).data;
const env = new NetworkEnvironment(data.threadId, data.config);
env.addPeer(data.parentThreadId, data.port);
const writer = env.createRecordWriter(describeResultPartition(data.edge, data.producerSubtask), {
  serializer: tupleSerializer,
  partitioner: data.edge.partitionerKind === 'hash' ? { kind: 'hash', keySelector: { getKey: (v: [string, number]) => v[0] } } : { kind: data.edge.partitionerKind as 'rebalance' },
  maxParallelism: 128,
  producerSubtask: data.producerSubtask,
  operatorName: 'test-producer',
});

const keys = Array.from({ length: data.keys }, (_, k) => `key-${k}`);
const value: [string, number] = ['', 0];
const rec = new StreamRecord<[string, number]>(value);
let waits = 0;
const start = performance.now();
let i = 0;
while (i < data.records) {
  if (!writer.isAvailable()) {
    waits++;
    await writer.available();
  }
  // one unit of work: a small batch, as a source task's mailbox would emit between availability checks
  const end = Math.min(data.records, i + 64);
  for (; i < end; i++) {
    // a fresh tuple per record: the consumer side keeps nothing, but a real source would allocate too
    writer.emit(rec.replace<[string, number]>([keys[i % keys.length]!, i]));
  }
}
writer.emitEndOfPartition();
await writer.partition.whenFullyConsumed();
const stats = env.stats();
const pstats = writer.partition.stats();
parentPort!.postMessage({
  kind: 'producer-done',
  waits,
  maxBufferedBytes: stats.maxBufferedBytes,
  bufferedBytes: stats.bufferedBytes,
  excessBufferRequests: stats.excessBufferRequests,
  numSubpartitions: writer.partition.numSubpartitions,
  recordsOut: pstats.recordsOut,
  buffersOut: pstats.buffersOut,
  elapsedMs: performance.now() - start,
} satisfies ProducerWorkerReport);
env.close();
data.port.close();
