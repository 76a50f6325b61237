import { describe, expect, it } from 'vitest';
import type { SplitEnumeratorContext } from '@riffle/core';
import { KafkaSourceEnumerator, splitOwner, type KafkaEnumeratorConfig } from './kafka-source-enumerator.js';
import { partitionKey, type KafkaClient, type KafkaFetcher, type OffsetSpec, type TopicPartition } from './kafka-client.js';
import { KafkaSourceEnumStateSerializer, type KafkaPartitionSplit } from './kafka-split.js';
import { OffsetsInitializer } from './offsets-initializer.js';

/** Metadata and offsets only: topics with a partition count and a log end per partition (start 0). */
class InMemoryKafkaClient implements KafkaClient {
  closed = false;
  constructor(readonly topics: Map<string, number[]>) {}
  async listTopics(): Promise<string[]> {
    return [...this.topics.keys()];
  }
  async fetchPartitions(topics: readonly string[] | RegExp): Promise<TopicPartition[]> {
    const names = topics instanceof RegExp ? [...this.topics.keys()].filter((t) => topics.test(t)) : topics;
    return names.flatMap((topic) => (this.topics.get(topic) ?? []).map((_, partition) => ({ topic, partition })));
  }
  async fetchOffsets(partitions: readonly TopicPartition[], spec: OffsetSpec): Promise<Map<string, number | undefined>> {
    const result = new Map<string, number | undefined>();
    for (const p of partitions) {
      const end = this.topics.get(p.topic)![p.partition];
      result.set(partitionKey(p.topic, p.partition), spec.kind === 'earliest' ? 0 : spec.kind === 'latest' ? end : undefined);
    }
    return result;
  }
  createFetcher(): Promise<KafkaFetcher> {
    throw new Error('no fetching in memory');
  }
  async commitOffsets(): Promise<void> {}
  async close(): Promise<void> {
    this.closed = true;
  }
}

class TestingEnumeratorContext implements SplitEnumeratorContext<KafkaPartitionSplit> {
  readonly readers = new Set<number>();
  readonly assigned = new Map<number, KafkaPartitionSplit[]>();
  readonly noMore = new Set<number>();
  constructor(readonly parallelism: number) {}
  currentParallelism(): number {
    return this.parallelism;
  }
  registeredReaders(): ReadonlySet<number> {
    return this.readers;
  }
  assignSplits(assignment: ReadonlyMap<number, KafkaPartitionSplit[]>): void {
    for (const [reader, splits] of assignment) {
      if (!this.readers.has(reader)) throw new Error(`reader ${reader} is not registered`);
      this.assigned.set(reader, [...(this.assigned.get(reader) ?? []), ...splits]);
    }
  }
  assignSplit(split: KafkaPartitionSplit, subtask: number): void {
    this.assignSplits(new Map([[subtask, [split]]]));
  }
  signalNoMoreSplits(subtask: number): void {
    this.noMore.add(subtask);
  }
  sendEventToSourceReader(): void {}
}

const bounded: KafkaEnumeratorConfig = {
  topics: ['orders', 'clicks'],
  groupId: undefined,
  startingOffsets: OffsetsInitializer.earliest(),
  stoppingOffsets: OffsetsInitializer.latest(),
  partitionDiscoveryIntervalMs: -1,
};

describe('KafkaSourceEnumerator', () => {
  it('spreads a topic round-robin over readers from a hash-chosen start', () => {
    const owners = [0, 1, 2, 3, 4, 5].map((partition) => splitOwner({ topic: 'orders', partition }, 3));
    expect(new Set(owners.slice(0, 3))).toEqual(new Set([0, 1, 2]));
    expect(owners.slice(3)).toEqual(owners.slice(0, 3));
    // Java's "orders".hashCode() = -1008770331: ((h * 31) & 0x7fffffff) % 3 = 0.
    expect(splitOwner({ topic: 'orders', partition: 0 }, 3)).toBe(0);
  });

  it('assigns every partition with resolved offsets to its owner once registered, then signals no more splits', async () => {
    const client = new InMemoryKafkaClient(new Map([['orders', [10, 20, 30]], ['clicks', [5]]]));
    const context = new TestingEnumeratorContext(2);
    context.readers.add(0);
    const enumerator = new KafkaSourceEnumerator(context, client, bounded);
    await enumerator.start();
    expect(context.noMore).toEqual(new Set([0]));
    expect(context.assigned.has(1)).toBe(false);
    context.readers.add(1);
    enumerator.addReader(1);
    expect(context.noMore).toEqual(new Set([0, 1]));
    const all = [...context.assigned.entries()].flatMap(([reader, splits]) => splits.map((s) => ({ reader, s })));
    expect(all.map(({ s }) => s.splitId).sort()).toEqual(['clicks-0', 'orders-0', 'orders-1', 'orders-2']);
    for (const { reader, s } of all) {
      expect(reader).toBe(splitOwner(s, 2));
      expect(s.startingOffset).toBe(0);
      expect(s.stoppingOffset).toBe(client.topics.get(s.topic)![s.partition]);
    }
    await enumerator.close();
    expect(client.closed).toBe(true);
  });

  it('restored from a checkpoint, assigns only what was not assigned before and returned splits', async () => {
    const client = new InMemoryKafkaClient(new Map([['orders', [10, 20]], ['clicks', [5]]]));
    const context = new TestingEnumeratorContext(2);
    context.readers.add(splitOwner({ topic: 'orders', partition: 0 }, 2));
    const first = new KafkaSourceEnumerator(context, client, bounded);
    await first.start();
    const serializer = new KafkaSourceEnumStateSerializer();
    const state = serializer.deserialize(1, serializer.serialize(first.snapshotState(1)));
    expect(state.assignedPartitions.length + state.pendingSplits.length).toBe(3);

    const restoredContext = new TestingEnumeratorContext(2);
    restoredContext.readers.add(0).add(1);
    const restored = new KafkaSourceEnumerator(restoredContext, client, bounded, state);
    await restored.start();
    const reassigned = [...restoredContext.assigned.values()].flat().map((s) => s.splitId);
    expect(reassigned.sort()).toEqual(state.pendingSplits.map((s) => s.splitId).sort());
    // A failed reader's splits come back and go out again when it re-registers.
    restored.addSplitsBack([{ splitId: 'orders-0', topic: 'orders', partition: 0, startingOffset: 7, stoppingOffset: 10 }], 0);
    const owner = splitOwner({ topic: 'orders', partition: 0 }, 2);
    restored.addReader(owner);
    expect(restoredContext.assigned.get(owner)!.some((s) => s.splitId === 'orders-0' && s.startingOffset === 7)).toBe(true);
    expect(restoredContext.noMore).toEqual(new Set([0, 1]));
    await restored.close();
  });

  it('discovers partitions added later to an unbounded source and reads them from the earliest offset', async () => {
    const client = new InMemoryKafkaClient(new Map([['orders', [10]]]));
    const context = new TestingEnumeratorContext(1);
    context.readers.add(0);
    const enumerator = new KafkaSourceEnumerator(context, client, {
      ...bounded,
      topics: /orders|late/,
      startingOffsets: OffsetsInitializer.latest(),
      stoppingOffsets: undefined,
      partitionDiscoveryIntervalMs: 20,
    });
    await enumerator.start();
    expect(context.assigned.get(0)!.map((s) => [s.splitId, s.startingOffset])).toEqual([['orders-0', 10]]);
    client.topics.set('late', [3, 4]);
    const deadline = Date.now() + 10_000;
    while ((context.assigned.get(0)?.length ?? 0) < 3 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    await enumerator.close();
    expect(context.assigned.get(0)!.map((s) => [s.splitId, s.startingOffset, s.stoppingOffset])).toEqual([
      ['orders-0', 10, -1],
      ['late-0', 0, -1],
      ['late-1', 0, -1],
    ]);
    expect(context.noMore.size).toBe(0);
  });
});
