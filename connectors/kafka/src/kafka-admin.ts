// Before kafkajs: replaces its read_committed filter (see the module).
import './kafkajs-aborted-filter.js';
import { Kafka, logLevel } from 'kafkajs';

/** Options of {@link ensureKafkaTopic}. */
export interface EnsureTopicOptions {
  /** Partitions of a topic created here (an existing topic is left as it is). Default 4. */
  readonly partitions?: number;
  /** Replication factor of a topic created here. Default 1 (a single-node broker). */
  readonly replicationFactor?: number;
  /** Client id of the admin connection. Default `riffle-admin`. */
  readonly clientId?: string;
}

/**
 * Creates `topic` on the cluster at `bootstrapServers` unless it exists, and waits until every
 * partition has a leader; resolves `true` when it created the topic, `false` when it was there.
 * For clients and tools that prepare a topic before a job runs (a sink cannot rely on
 * auto-creation: a transactional producer never triggers it, and the first writes of another
 * producer fail with "This server does not host this topic-partition" until metadata catches
 * up). Opens and closes its own admin connection; rejects with the broker's error (unreachable
 * cluster, no permission, invalid name).
 */
export async function ensureKafkaTopic(bootstrapServers: string | readonly string[], topic: string, options: EnsureTopicOptions = {}): Promise<boolean> {
  const brokers = (typeof bootstrapServers === 'string' ? bootstrapServers.split(',') : [...bootstrapServers]).map((b) => b.trim()).filter((b) => b.length > 0);
  if (brokers.length === 0) throw new Error('ensureKafkaTopic: no bootstrap servers');
  const admin = new Kafka({ clientId: options.clientId ?? 'riffle-admin', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (existing.includes(topic)) return false;
    // false when another client created it in the meantime: fine, it exists.
    return await admin.createTopics({
      topics: [{ topic, numPartitions: options.partitions ?? 4, replicationFactor: options.replicationFactor ?? 1 }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}
