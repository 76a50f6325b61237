import { getLogger, type SplitEnumerator, type SplitEnumeratorContext } from '@riffle/core';
import { partitionKey, type KafkaClient, type TopicPartition } from './kafka-client.js';
import { NO_STOPPING_OFFSET, kafkaPartitionSplit, type KafkaPartitionSplit, type KafkaSourceEnumState } from './kafka-split.js';
import { resolveOffsets, type OffsetsInitializerSpec } from './offsets-initializer.js';

const log = getLogger('KafkaSourceEnumerator');

/** What the enumerator needs of the source's configuration. */
export interface KafkaEnumeratorConfig {
  readonly topics: readonly string[] | RegExp;
  readonly groupId: string | undefined;
  readonly startingOffsets: OffsetsInitializerSpec;
  readonly stoppingOffsets: OffsetsInitializerSpec | undefined;
  /** ms between discoveries of new partitions; 0 or less: discover once (always once when bounded). */
  readonly partitionDiscoveryIntervalMs: number;
}

/** Java's `String.hashCode`, so ownership matches Flink's for the same topic names. */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The reader that owns a partition (Flink's `KafkaSourceEnumerator.getSplitOwner`): a topic's
 * partitions go round-robin over the readers, starting at a reader chosen by the topic's hash,
 * so the rule is stable across restarts and needs no coordination.
 */
export function splitOwner(tp: TopicPartition, numReaders: number): number {
  const start = (Math.imul(javaStringHash(tp.topic), 31) & 0x7fffffff) % numReaders;
  return (start + tp.partition) % numReaders;
}

/**
 * Discovers the partitions of the configured topics (once, or periodically for an unbounded
 * source with discovery on), resolves their starting (and stopping) offsets, and pushes each
 * split to its owner ({@link splitOwner}) once the owner is registered. A bounded source signals
 * "no more splits" to every reader once its first discovery is assigned.
 */
export class KafkaSourceEnumerator implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {
  private readonly assigned = new Map<string, TopicPartition>();
  /** Discovered splits waiting for their owner to register, by owner. */
  private readonly pending = new Map<number, KafkaPartitionSplit[]>();
  private initialDiscoveryFinished: boolean;
  private timer: NodeJS.Timeout | undefined;
  private discovering = false;
  private closed = false;
  private readonly noMoreSignalled = new Set<number>();

  constructor(
    private readonly context: SplitEnumeratorContext<KafkaPartitionSplit>,
    private readonly client: KafkaClient,
    private readonly config: KafkaEnumeratorConfig,
    restored?: KafkaSourceEnumState,
  ) {
    this.initialDiscoveryFinished = restored?.initialDiscoveryFinished ?? false;
    for (const p of restored?.assignedPartitions ?? []) this.assigned.set(partitionKey(p.topic, p.partition), p);
    if (restored) this.addPending(restored.pendingSplits);
  }

  private get bounded(): boolean {
    return this.config.stoppingOffsets !== undefined;
  }

  async start(): Promise<void> {
    if (!this.initialDiscoveryFinished || (!this.bounded && this.config.partitionDiscoveryIntervalMs > 0)) await this.discover();
    this.initialDiscoveryFinished = true;
    this.assignPending();
    if (!this.bounded && this.config.partitionDiscoveryIntervalMs > 0) {
      this.timer = setInterval(() => {
        this.discover()
          .then(() => this.assignPending())
          .catch((error: unknown) => log.warn('Kafka partition discovery failed; retrying at the next interval', { error: String(error) }));
      }, this.config.partitionDiscoveryIntervalMs);
      this.timer.unref();
    }
  }

  private async discover(): Promise<void> {
    if (this.discovering || this.closed) return;
    this.discovering = true;
    try {
      const all = await this.client.fetchPartitions(this.config.topics);
      const known = new Set([...this.assigned.keys(), ...[...this.pending.values()].flat().map((s) => s.splitId)]);
      const fresh = all.filter((p) => !known.has(partitionKey(p.topic, p.partition)));
      if (fresh.length === 0) return;
      // Partitions found after the first discovery started existing after the job did: read them whole.
      const startSpec: OffsetsInitializerSpec = this.initialDiscoveryFinished ? { kind: 'earliest' } : this.config.startingOffsets;
      const starts = await resolveOffsets(this.client, fresh, startSpec, this.config.groupId);
      const stops = this.config.stoppingOffsets ? await resolveOffsets(this.client, fresh, this.config.stoppingOffsets, this.config.groupId) : undefined;
      if (this.closed) return;
      const splits = fresh.map((p) => {
        const key = partitionKey(p.topic, p.partition);
        return kafkaPartitionSplit(p.topic, p.partition, starts.get(key)!, stops ? stops.get(key)! : NO_STOPPING_OFFSET);
      });
      log.info('discovered Kafka partitions', { count: splits.length });
      this.addPending(splits);
    } finally {
      this.discovering = false;
    }
  }

  private addPending(splits: readonly KafkaPartitionSplit[]): void {
    const parallelism = this.context.currentParallelism();
    for (const split of splits) {
      const owner = splitOwner(split, parallelism);
      let list = this.pending.get(owner);
      if (!list) this.pending.set(owner, (list = []));
      list.push(split);
    }
  }

  private assignPending(): void {
    const registered = this.context.registeredReaders();
    const assignment = new Map<number, KafkaPartitionSplit[]>();
    for (const [owner, splits] of this.pending) {
      if (!registered.has(owner) || splits.length === 0) continue;
      assignment.set(owner, splits);
      for (const s of splits) this.assigned.set(s.splitId, { topic: s.topic, partition: s.partition });
      this.pending.delete(owner);
    }
    if (assignment.size > 0) this.context.assignSplits(assignment);
    if (this.bounded && this.initialDiscoveryFinished) {
      for (const reader of registered) {
        if (!this.pending.has(reader) && !this.noMoreSignalled.has(reader)) {
          this.noMoreSignalled.add(reader);
          this.context.signalNoMoreSplits(reader);
        }
      }
    }
  }

  handleSplitRequest(_subtask: number): void {
    // Splits are pushed to their owners; readers never ask.
  }

  addSplitsBack(splits: KafkaPartitionSplit[], subtask: number): void {
    for (const s of splits) this.assigned.delete(s.splitId);
    this.addPending(splits);
    this.noMoreSignalled.delete(subtask);
    // The failed reader gets them back when it registers again.
  }

  addReader(subtask: number): void {
    this.noMoreSignalled.delete(subtask);
    if (this.initialDiscoveryFinished) this.assignPending();
  }

  snapshotState(_checkpointId: number): KafkaSourceEnumState {
    return {
      assignedPartitions: [...this.assigned.values()],
      pendingSplits: [...this.pending.values()].flat(),
      initialDiscoveryFinished: this.initialDiscoveryFinished,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.client.close();
  }
}
