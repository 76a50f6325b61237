// Network stack throughput: `[string, number]` tuples through RecordWriter → cross-thread channel
// (MessagePort, transferred buffers) → StreamNetworkInput, and through an in-thread channel.
// Prints figures; gates nothing. Run: node --import tsx libs/runtime/src/network/network.bench.ts [records]
 
import { MessageChannel } from 'node:worker_threads';
import { StreamRecord } from '@riffle/core';
import { spawnWorker } from '../util/spawn-worker.js';
import { describeInputGate, describeResultPartition, type EdgeDeployment } from './network-descriptors.js';
import { NetworkEnvironment } from './network-environment.js';
import type { DataOutput } from './stream-network-input.js';
import type { ProducerWorkerData, ProducerWorkerReport } from './test-fixtures/producer-worker.js';
import { tupleSerializer } from './test-fixtures/test-serializers.js';

type Tuple = [string, number];
const records = Number(process.argv[2] ?? 5_000_000);

class CountingOutput implements DataOutput<Tuple> {
  count = 0;
  sum = 0;
  emitRecord(r: StreamRecord<Tuple>): void {
    this.count++;
    this.sum += r.value[1];
  }
  emitWatermark(): void {}
  emitWatermarkStatus(): void {}
}

async function crossThread(kind: 'rebalance' | 'hash'): Promise<void> {
  const edge: EdgeDeployment = { scope: 'bench', jobEdgeId: kind, partitionerKind: kind, producerThreads: ['producer'], consumerThreads: ['main'] };
  const env = new NetworkEnvironment('main');
  const { port1, port2 } = new MessageChannel();
  env.addPeer('producer', port1);
  const input = env.createNetworkInput(describeInputGate(edge, 0), tupleSerializer);
  const out = new CountingOutput();
  const data: ProducerWorkerData = { threadId: 'producer', parentThreadId: 'main', port: port2, config: {}, edge, producerSubtask: 0, records, keys: 10_000 };
  const worker = spawnWorker(new URL('./test-fixtures/producer-worker.ts', import.meta.url), data, { transferList: [port2] });
  const report = new Promise<ProducerWorkerReport>((resolve) => worker.on('message', resolve));
  await input.available();
  const start = performance.now();
  for (;;) {
    const st = input.processAvailable(out, 100_000);
    if (st === 'END_OF_INPUT') break;
    if (st === 'NOTHING_AVAILABLE') await input.available();
  }
  const ms = performance.now() - start;
  const r = await report;
  if (out.count !== records) throw new Error(`lost records: ${out.count} of ${records}`);
  console.log(
    `cross-thread ${kind.padEnd(9)} ${records} records in ${ms.toFixed(0)} ms: ${((records / ms) * 1000 / 1e6).toFixed(2)} M records/s ` +
      `(producer ${(((records / r.elapsedMs) * 1000) / 1e6).toFixed(2)} M/s, ${r.buffersOut} buffers, ${r.waits} backpressure waits, ` +
      `max buffered producer ${(r.maxBufferedBytes / 1024).toFixed(0)} KiB / consumer ${(env.stats().maxBufferedBytes / 1024).toFixed(0)} KiB)`,
  );
  env.close();
  port1.close();
}

async function inThread(): Promise<void> {
  const edge: EdgeDeployment = { scope: 'bench', jobEdgeId: 'local', partitionerKind: 'forward', producerThreads: ['t'], consumerThreads: ['t'] };
  const env = new NetworkEnvironment('t');
  const writer = env.createRecordWriter(describeResultPartition(edge, 0), {
    serializer: tupleSerializer,
    partitioner: { kind: 'forward' },
    maxParallelism: 128,
    producerSubtask: 0,
    operatorName: 'bench',
  });
  const input = env.createNetworkInput(describeInputGate(edge, 0), tupleSerializer);
  const out = new CountingOutput();
  const keys = Array.from({ length: 10_000 }, (_, k) => `key-${k}`);
  const rec = new StreamRecord<Tuple>(['', 0]);
  const start = performance.now();
  let i = 0;
  let ended = false;
  while (!ended) {
    while (writer.isAvailable() && i < records) {
      const end = Math.min(records, i + 64);
      for (; i < end; i++) writer.emit(rec.replace<Tuple>([keys[i % keys.length]!, i]));
    }
    if (i === records && !writer.partition.isFinished()) writer.emitEndOfPartition();
    ended = input.processAvailable(out, 100_000) === 'END_OF_INPUT';
  }
  const ms = performance.now() - start;
  if (out.count !== records) throw new Error(`lost records: ${out.count} of ${records}`);
  console.log(`in-thread  forward   ${records} records in ${ms.toFixed(0)} ms: ${((records / ms) * 1000 / 1e6).toFixed(2)} M records/s (write + read on one core)`);
}

await inThread();
await crossThread('rebalance');
await crossThread('hash');
