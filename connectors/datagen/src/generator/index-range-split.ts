import { DataInputDeserializer, DataOutputSerializer, type SimpleVersionedSerializer, type SourceSplit, checkVersion } from '@riffle/core';

/**
 * A split of a {@link DataGeneratorSource}: the indexes `next … end-1` still to generate. A
 * reader's snapshot has `next` advanced to the next index it will emit, so a reader restored from
 * it continues without loss or duplication. Unbounded splits have `end` =
 * `Number.MAX_SAFE_INTEGER`.
 */
export interface IndexRangeSplit extends SourceSplit {
  /** The next index to generate. */
  readonly next: number;
  /** One past the last index of the split. */
  readonly end: number;
}

/**
 * Cuts `[0, count)` into `numSplits` contiguous splits whose sizes differ by at most one (the
 * first ones are the larger) with ids `"0"`, `"1"`, …; fewer (none for `count = 0`) when `count`
 * is smaller than `numSplits`.
 */
export function splitIndexRange(count: number, numSplits: number): IndexRangeSplit[] {
  if (!Number.isInteger(numSplits) || numSplits < 1) throw new RangeError(`splitIndexRange: numSplits must be a positive integer, got ${numSplits}`);
  const base = Math.floor(count / numSplits);
  const extra = count % numSplits;
  const splits: IndexRangeSplit[] = [];
  let start = 0;
  for (let i = 0; i < numSplits; i++) {
    const size = base + (i < extra ? 1 : 0);
    if (size === 0) break;
    splits.push({ splitId: String(i), next: start, end: start + size });
    start += size;
  }
  return splits;
}

/** Format, version 1: string split id, float64 `next`, float64 `end`. */
export class IndexRangeSplitSerializer implements SimpleVersionedSerializer<IndexRangeSplit> {
  getVersion(): number {
    return 1;
  }

  serialize(split: IndexRangeSplit): Uint8Array {
    const out = new DataOutputSerializer(32);
    out.writeString(split.splitId);
    out.writeFloat64(split.next);
    out.writeFloat64(split.end);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): IndexRangeSplit {
    checkVersion('IndexRangeSplitSerializer', version, 1);
    const input = new DataInputDeserializer(bytes);
    const splitId = input.readString();
    const next = input.readFloat64();
    const end = input.readFloat64();
    return { splitId, next, end };
  }
}

/** The shared {@link IndexRangeSplitSerializer}. */
export const indexRangeSplitSerializer = new IndexRangeSplitSerializer();
