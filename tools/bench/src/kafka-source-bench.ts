import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { formatTable, measureJob, type Measurement } from './measure.js';

/**
 * `KAFKA_BROKERS=host:port npx tsx tools/bench/src/kafka-source-bench.ts [--records N] [--partitions P] [--parallelism 1,2]`
 *
 * Fills a fresh topic with N small messages (default 1,000,000 over 4 partitions), then reads it
 * whole twice: with a bare kafkajs consumer (eachBatch, counting) and with a Riffle job
 * (KafkaSource bounded at latest → DiscardingSink) on a local MiniCluster, and prints messages/s
 * for both. The topic is deleted afterwards. Prints figures; gates nothing.
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
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          seen += batch.messages.length;
          if (seen >= records) resolve();
        },
      })
      .catch(reject);
  });
  const wallSeconds = (performance.now() - t0) / 1000;
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

try {
  await fill();
  const rows: Measurement[] = [await bareConsumer()];
  for (const p of parallelisms) {
    rows.push(await measureJob('riffle KafkaSource', new URL('./jobs/kafka-source.job.ts', import.meta.url), records, p, ['--brokers', brokers.join(','), '--topic', topic]));
  }
  for (const r of rows) process.stderr.write(`${r.name} p=${r.parallelism}: ${Math.round(r.recordsPerSecond).toLocaleString('en-US')} messages/s\n`);
  process.stdout.write(formatTable(rows) + '\n');
} finally {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}
