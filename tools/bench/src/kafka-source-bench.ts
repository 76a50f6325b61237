import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { ReaderOutput, SourceOutput } from '@riffle/core';
import { KafkaSourceReader, SimpleStringSchema, ValueOnlyDeserializationSchema, createKafkajsClient, kafkaPartitionSplit } from '@riffle/connector-kafka';
import { testingReaderContext } from '@riffle/connector-kafka/testing';
import { formatTable, measureJob, type Measurement } from './measure.js';

/**
 * `KAFKA_BROKERS=host:port npx tsx tools/bench/src/kafka-source-bench.ts [--records N] [--partitions P] [--parallelism 1,2] [--props k=v,...]`
 *
 * Fills a fresh topic with N small messages (default 1,000,000 over 4 partitions), then reads it
 * whole: with a bare kafkajs consumer (eachBatch, counting), with the connector alone (a
 * KafkaSourceReader polled in a loop on this thread, no runtime), and with a Riffle job
 * (KafkaSource bounded at latest → discarding sink) on a local MiniCluster. Prints messages/s for
 * each: end to end (the job's figure includes MiniCluster start-up, worker threads loading the
 * job, and the fetcher joining its group; the consumer's includes its group join), per CPU-second
 * (process CPU, all threads), first record to last record, and for the job also per CPU-second
 * net of its fixed cost (the same job over 4 messages). On a shared machine the CPU figures are
 * the stable ones. The topics are deleted afterwards. Prints figures; gates nothing.
 */
const argv = process.argv.slice(2);
const opt = (key: string, def: string) => {
  const i = argv.indexOf(key);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : def;
};
const brokers = process.env.KAFKA_BROKERS?.split(',').filter((b) => b.length > 0);
if (!brokers?.length) {
  process.stderr.write('set KAFKA_BROKERS (e.g. eval "$(tools/kafka/broker start)")\n');
  process.exit(2);
}
const records = Number(opt('--records', '1000000'));
const partitions = Number(opt('--partitions', '4'));
const parallelisms = opt('--parallelism', '1,2').split(',').map(Number);
const sourceProps = opt('--props', '');

const kafka = new Kafka({ clientId: 'riffle-bench', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
const topic = `riffle-bench-${randomUUID().slice(0, 8)}`;
await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });

async function fill(): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const t0 = performance.now();
  const batch = 10_000;
  for (let start = 0; start < records; start += batch) {
    const messages = [];
    for (let i = start; i < Math.min(records, start + batch); i++) messages.push({ partition: i % partitions, value: `message-${i}` });
    await producer.send({ topic, acks: 1, messages });
  }
  await producer.disconnect();
  process.stderr.write(`produced ${records.toLocaleString('en-US')} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

async function bareConsumer(): Promise<Measurement> {
  const consumer = kafka.consumer({ groupId: `riffle-bench-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let seen = 0;
  let first = 0;
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          if (seen === 0) first = performance.now();
          seen += batch.messages.length;
          if (seen >= records) resolve();
        },
      })
      .catch(reject);
  });
  const end = performance.now();
  const wallSeconds = (end - t0) / 1000;
  steady.set('kafkajs consumer 1', records / ((end - first) / 1000));
  const cpu = process.cpuUsage(cpu0);
  await consumer.disconnect();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    name: 'kafkajs consumer',
    records,
    parallelism: 1,
    wallSeconds,
    cpuSeconds,
    coresUsed: cpuSeconds / wallSeconds,
    recordsPerSecond: records / wallSeconds,
    recordsPerCoreSecond: records / cpuSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

/** A reader output that drops everything (counting), like a DiscardingSink chained to the source. */
class DiscardingReaderOutput implements ReaderOutput<string>, SourceOutput<string> {
  count = 0;
  collect(): void {
    this.count++;
  }
  emitWatermark(): void {}
  markIdle(): void {}
  markActive(): void {}
  createOutputForSplit(): SourceOutput<string> {
    return this;
  }
  releaseOutputForSplit(): void {}
}

/**
 * The connector alone, without the runtime: a KafkaSourceReader (kafkajs fetcher, split state,
 * deserialization with SimpleStringSchema) polled in a loop on this thread into a discarding output.
 */
async function readerOnly(): Promise<Measurement> {
  const reader = new KafkaSourceReader<string>(
    testingReaderContext(),
    createKafkajsClient({ bootstrapServers: brokers!, properties: {} }),
    new ValueOnlyDeserializationSchema(new SimpleStringSchema()),
    { maxBufferedRecords: 10_000, maxRecordsPerPoll: 1_000, commitGroupId: undefined },
  );
  const ends = await admin.fetchTopicOffsets(topic);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  reader.addSplits(ends.map((o) => kafkaPartitionSplit(topic, o.partition, 0, Number(o.high))));
  reader.notifyNoMoreSplits();
  const out = new DiscardingReaderOutput();
  let first = 0;
  for (;;) {
    const status = reader.pollNext(out);
    if (first === 0 && out.count > 0) first = performance.now();
    if (status === 'END_OF_INPUT') break;
    if (status === 'NOTHING_AVAILABLE') await reader.isAvailable();
    else if (out.count % 50_000 < 1_000) await new Promise<void>((resolve) => setImmediate(resolve)); // let the fetcher run, as the mailbox does
  }
  const end = performance.now();
  const cpu = process.cpuUsage(cpu0);
  await reader.close();
  if (out.count !== records) throw new Error(`the reader read ${out.count} messages, expected ${records}`);
  const wallSeconds = (end - t0) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  steady.set('KafkaSourceReader alone 1', records / ((end - first) / 1000));
  return {
    name: 'KafkaSourceReader alone',
    records,
    parallelism: 1,
    wallSeconds,
    cpuSeconds,
    coresUsed: cpuSeconds / wallSeconds,
    recordsPerSecond: records / wallSeconds,
    recordsPerCoreSecond: records / cpuSeconds,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

/** Messages/s from the first record to the last, per `name parallelism`. */
const steady = new Map<string, number>();

/** Runs the Riffle job, reading its sinks' first/last record times for the steady-state rate. */
async function riffleJob(parallelism: number): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'riffle-kafka-bench-'));
  try {
    const submitted = performance.timeOrigin + performance.now();
    const m = await measureJob('riffle KafkaSource', new URL('./jobs/kafka-source.job.ts', import.meta.url), records, parallelism, [
      '--brokers',
      brokers!.join(','),
      '--topic',
      topic,
      '--stats-dir',
      dir,
      '--props',
      sourceProps,
    ]);
    const stats = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { first: number; last: number; count: number });
    const first = Math.min(...stats.filter((s) => s.count > 0).map((s) => s.first));
    const last = Math.max(...stats.map((s) => s.last));
    const count = stats.reduce((n, s) => n + s.count, 0);
    if (count !== records) throw new Error(`the job read ${count} messages, expected ${records}`);
    steady.set(`riffle KafkaSource ${parallelism}`, count / ((last - first) / 1000));
    const done = performance.timeOrigin + performance.now();
    process.stderr.write(`riffle KafkaSource p=${parallelism}: ${Math.round(first - submitted)} ms from submission to the first record, ${Math.round(done - last)} ms from the last record to the job's end\n`);
    return m;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The job's fixed cost: the same job over a topic of 4 messages (MiniCluster start-up, worker
 * threads loading the job, enumerator and fetcher set-up, shutdown).
 */
async function fixedJobCost(): Promise<{ wallSeconds: number; cpuSeconds: number }> {
  const tiny = `${topic}-tiny`;
  await admin.createTopics({ topics: [{ topic: tiny, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
  try {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: tiny, messages: Array.from({ length: 4 }, (_, i) => ({ partition: i % partitions, value: `message-${i}` })) });
    await producer.disconnect();
    const m = await measureJob('fixed', new URL('./jobs/kafka-source.job.ts', import.meta.url), 4, 1, ['--brokers', brokers!.join(','), '--topic', tiny]);
    return { wallSeconds: m.wallSeconds, cpuSeconds: m.cpuSeconds };
  } finally {
    await admin.deleteTopics({ topics: [tiny] }).catch(() => undefined);
  }
}

try {
  await fill();
  const fixed = await fixedJobCost();
  process.stderr.write(`riffle job fixed cost (4 messages): ${fixed.wallSeconds.toFixed(2)} s wall, ${fixed.cpuSeconds.toFixed(2)} CPU s\n`);
  const rows: Measurement[] = [await bareConsumer(), await readerOnly()];
  for (const p of parallelisms) rows.push(await riffleJob(p));
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  for (const r of rows) {
    process.stderr.write(
      `${r.name} p=${r.parallelism}: ${fmt(r.recordsPerSecond)} messages/s end to end, ${fmt(r.recordsPerCoreSecond)} per CPU-second, ` +
        `${fmt(steady.get(`${r.name} ${r.parallelism}`) ?? NaN)} messages/s first to last record\n`,
    );
  }
  for (const r of rows.filter((x) => x.name === 'riffle KafkaSource')) {
    process.stderr.write(`riffle KafkaSource p=${r.parallelism} without the fixed job cost: ${fmt(r.records / (r.cpuSeconds - fixed.cpuSeconds))} per CPU-second\n`);
  }
  process.stdout.write(formatTable(rows) + '\n');
} finally {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}
