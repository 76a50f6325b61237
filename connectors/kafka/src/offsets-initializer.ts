import { partitionKey, type KafkaClient, type TopicPartition } from './kafka-client.js';

/** What a committed-offsets initializer falls back to for partitions the group never committed. */
export type OffsetResetStrategy = 'EARLIEST' | 'LATEST' | 'NONE';

/**
 * Decides a starting (or, for `setBounded`, stopping) offset per partition (Flink's
 * `OffsetsInitializer`). It runs in the enumerator, on the JobMaster, when partitions are
 * discovered; splits then carry concrete offsets. Plain data, so it can be described and validated.
 */
export type OffsetsInitializerSpec =
  | { readonly kind: 'earliest' }
  | { readonly kind: 'latest' }
  | { readonly kind: 'timestamp'; readonly timestamp: number }
  | { readonly kind: 'committed'; readonly reset: OffsetResetStrategy }
  | { readonly kind: 'offsets'; readonly offsets: ReadonlyMap<string, number>; readonly reset: OffsetResetStrategy };

/** Factories for {@link OffsetsInitializerSpec}s. */
export const OffsetsInitializer = {
  /** The earliest offset still in the log. */
  earliest(): OffsetsInitializerSpec {
    return { kind: 'earliest' };
  },
  /** The end of the log when the partition is discovered. */
  latest(): OffsetsInitializerSpec {
    return { kind: 'latest' };
  },
  /** The first record with a timestamp at or after `timestamp` (ms); the end of the log if none. */
  timestamp(timestamp: number): OffsetsInitializerSpec {
    if (!Number.isFinite(timestamp) || timestamp < 0) throw new Error(`OffsetsInitializer.timestamp: timestamp must be a non-negative number of ms, got ${timestamp}`);
    return { kind: 'timestamp', timestamp };
  },
  /** The offsets committed by the source's group id; `reset` for partitions without one (default NONE: fail). */
  committedOffsets(reset: OffsetResetStrategy = 'NONE'): OffsetsInitializerSpec {
    return { kind: 'committed', reset };
  },
  /**
   * Given offsets, keyed `topic-partition` or as a list; `reset` for partitions not in the map
   * (default EARLIEST).
   */
  offsets(offsets: ReadonlyMap<string, number> | ReadonlyArray<TopicPartition & { offset: number }>, reset: OffsetResetStrategy = 'EARLIEST'): OffsetsInitializerSpec {
    const map = new Map<string, number>();
    if (offsets instanceof Map) for (const [k, v] of offsets) map.set(k, v);
    else for (const o of offsets as ReadonlyArray<TopicPartition & { offset: number }>) map.set(partitionKey(o.topic, o.partition), o.offset);
    for (const [k, v] of map) {
      if (!Number.isSafeInteger(v) || v < 0) throw new Error(`OffsetsInitializer.offsets: offset of ${k} must be a non-negative integer, got ${v}`);
    }
    return { kind: 'offsets', offsets: map, reset };
  },
} as const;

/** Resolves `spec` to a concrete offset for every partition; fails naming a partition it cannot place. */
export async function resolveOffsets(
  client: KafkaClient,
  partitions: readonly TopicPartition[],
  spec: OffsetsInitializerSpec,
  groupId: string | undefined,
): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  if (partitions.length === 0) return result;
  if (spec.kind === 'earliest' || spec.kind === 'latest' || spec.kind === 'timestamp') {
    const answer = await client.fetchOffsets(partitions, spec);
    for (const p of partitions) {
      const key = partitionKey(p.topic, p.partition);
      const offset = answer.get(key);
      if (offset === undefined) throw new Error(`Kafka source: no ${spec.kind} offset for partition ${key}`);
      result.set(key, offset);
    }
    return result;
  }
  let known: Map<string, number | undefined>;
  if (spec.kind === 'committed') {
    if (groupId === undefined) throw new Error(`Kafka source: committedOffsets() needs setGroupId()`);
    known = await client.fetchOffsets(partitions, { kind: 'committed', groupId });
  } else {
    known = new Map(spec.offsets);
  }
  const missing = partitions.filter((p) => known.get(partitionKey(p.topic, p.partition)) === undefined);
  if (missing.length > 0) {
    if (spec.reset === 'NONE') {
      throw new Error(`Kafka source: no ${spec.kind} offset for partition ${partitionKey(missing[0].topic, missing[0].partition)} and the reset strategy is NONE`);
    }
    const fallback = await client.fetchOffsets(missing, { kind: spec.reset === 'EARLIEST' ? 'earliest' : 'latest' });
    for (const [k, v] of fallback) known.set(k, v);
  }
  for (const p of partitions) {
    const key = partitionKey(p.topic, p.partition);
    result.set(key, known.get(key)!);
  }
  return result;
}
