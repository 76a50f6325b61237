// Exchange cost of undeclared-type records (the dynamic serializer): Nexmark-like bid and auction
// objects (string fields cut from a shared pool, as the generator does) written by a RecordWriter
// and read by a StreamNetworkInput on one thread, forward edge. Prints ns per record (write +
// read; wall and process CPU time, the latter less disturbed by other load) and bytes per
// record; gates nothing.
// Run: node --import tsx libs/runtime/src/network/records.bench.ts [records] [rounds]

import { StreamRecord, dynamicSerializer } from '@riffle/core';
import { describeInputGate, describeResultPartition, type EdgeDeployment } from './network-descriptors.js';
import { NetworkEnvironment } from './network-environment.js';
import type { DataOutput } from './stream-network-input.js';

const records = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 5);

let seed = 42;
function rand(n: number): number {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return Math.floor((seed / 4294967296) * n);
}
let pool = '';
for (let i = 0; i < 4096; i++) pool += String.fromCharCode(97 + rand(26));
const cut = (len: number): string => {
  const at = rand(pool.length - len);
  return pool.substring(at, at + len);
};
const channels = ['Google', 'Facebook', 'Baidu', 'Apple'];
const urls = channels.map((c) => `https://www.nexmark.com/${c.toLowerCase()}/item.htm?query=1&channel_id=${cut(12)}`);

function event(i: number): object {
  if (i % 16 === 0) {
    return {
      kind: 'auction', id: 1000 + i, itemName: cut(20), description: cut(100), initialBid: rand(1e6), reserve: rand(2e6),
      dateTime: 1.7e12 + i, expires: 1.7e12 + i + 5e4, seller: 1000 + rand(1e4), category: 10 + rand(5), extra: cut(330),
    };
  }
  const c = rand(4);
  return { kind: 'bid', auction: 1000 + rand(1e4), bidder: 1000 + rand(1e5), price: rand(1e6), channel: channels[c], url: urls[c], dateTime: 1.7e12 + i, extra: cut(60 + rand(16)) };
}

class CountingOutput implements DataOutput<object> {
  count = 0;
  emitRecord(): void {
    this.count++;
  }
  emitWatermark(): void {}
  emitWatermarkStatus(): void {}
}

const events = Array.from({ length: 100_000 }, (_, i) => event(i));

function run(): { nsPerRecord: number; cpuNsPerRecord: number; bytesPerRecord: number } {
  const edge: EdgeDeployment = { scope: 'bench', jobEdgeId: 'local', partitionerKind: 'forward', producerThreads: ['t'], consumerThreads: ['t'] };
  const env = new NetworkEnvironment('t');
  const serializer = dynamicSerializer();
  const writer = env.createRecordWriter(describeResultPartition(edge, 0), {
    serializer,
    partitioner: { kind: 'forward' },
    maxParallelism: 128,
    producerSubtask: 0,
    operatorName: 'bench',
  });
  const input = env.createNetworkInput(describeInputGate(edge, 0), serializer);
  const out = new CountingOutput();
  const rec = new StreamRecord<object>({});
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  let i = 0;
  let ended = false;
  while (!ended) {
    while (writer.isAvailable() && i < records) {
      const end = Math.min(records, i + 64);
      for (; i < end; i++) writer.emit(rec.replace(events[i % events.length]!));
    }
    if (i === records && !writer.partition.isFinished()) writer.emitEndOfPartition();
    ended = input.processAvailable(out, 100_000) === 'END_OF_INPUT';
  }
  const ns = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpuStart);
  if (out.count !== records) throw new Error(`lost records: ${out.count} of ${records}`);
  const bytes = input.gates[0]!.stats().bytesIn;
  env.close();
  return { nsPerRecord: ns / records, cpuNsPerRecord: ((cpu.user + cpu.system) * 1000) / records, bytesPerRecord: bytes / records };
}

const wall: number[] = [];
const cpu: number[] = [];
for (let r = 0; r < rounds; r++) {
  const { nsPerRecord, cpuNsPerRecord, bytesPerRecord } = run();
  wall.push(nsPerRecord);
  cpu.push(cpuNsPerRecord);
  console.log(`round ${r + 1}: ${nsPerRecord.toFixed(0)} ns/record wall, ${cpuNsPerRecord.toFixed(0)} CPU (write + read), ${bytesPerRecord.toFixed(1)} bytes/record`);
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`median ${median(wall).toFixed(0)} ns/record wall, ${median(cpu).toFixed(0)} CPU over ${records} Nexmark-like records`);
