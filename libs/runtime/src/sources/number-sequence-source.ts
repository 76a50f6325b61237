import {
  DataInputDeserializer,
  DataOutputSerializer,
  type Boundedness,
  type SourceOutput,
  type SimpleVersionedSerializer,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type SourceSplit,
  type SplitEnumerator,
  type SplitEnumeratorContext,
  SplitListSerializer,
  StaticSplitEnumerator,
  checkVersion,
} from '@riffle/core';
import { SplitQueueSourceReader, type SplitReadStatus } from './split-queue-source-reader.js';

/** A sequence element: a safe-integer number, or a bigint when the range was given as bigints. */
export type SequenceValue = number | bigint;

/**
 * An inclusive sub-range `[from, to]` of a number sequence. A reader's snapshot of a split has
 * `from` advanced to the next number it will emit.
 */
export interface NumberSequenceSplit<N extends SequenceValue = SequenceValue> extends SourceSplit {
  readonly from: N;
  readonly to: N;
}

/**
 * The numbers `from..to` inclusive, in order within each split (Flink's `NumberSequenceSource`).
 * The range is cut into one split per source subtask of nearly equal size; readers pull splits
 * from the enumerator, so every number is emitted exactly once whatever the parallelism.
 * Bounded. Give bigints to get bigints (any size); numbers must be safe integers.
 */
export class NumberSequenceSource<N extends SequenceValue> implements Source<N, NumberSequenceSplit<N>, NumberSequenceSplit<N>[]> {
  constructor(
    readonly from: N,
    readonly to: N,
  ) {
    if (typeof from !== typeof to) throw new Error(`fromSequence: 'from' and 'to' must both be numbers or both be bigints`);
    if (typeof from === 'number' && (!Number.isSafeInteger(from) || !Number.isSafeInteger(to as number))) {
      throw new Error(`fromSequence: 'from' (${from}) and 'to' (${to}) must be safe integers; use bigints for larger values`);
    }
    if (typeof from !== 'number' && typeof from !== 'bigint') throw new Error(`fromSequence: 'from' must be a number or a bigint`);
    if (from > to) throw new Error(`fromSequence: 'from' (${from}) must be <= 'to' (${to})`);
  }

  getBoundedness(): Boundedness {
    return 'BOUNDED';
  }

  createEnumerator(context: SplitEnumeratorContext<NumberSequenceSplit<N>>): SplitEnumerator<NumberSequenceSplit<N>, NumberSequenceSplit<N>[]> {
    return new StaticSplitEnumerator(context, splitNumberRange(this.from, this.to, context.currentParallelism()));
  }

  restoreEnumerator(
    context: SplitEnumeratorContext<NumberSequenceSplit<N>>,
    checkpoint: NumberSequenceSplit<N>[],
  ): SplitEnumerator<NumberSequenceSplit<N>, NumberSequenceSplit<N>[]> {
    return new StaticSplitEnumerator(context, checkpoint);
  }

  createReader(context: SourceReaderContext): SourceReader<N, NumberSequenceSplit<N>> {
    return new NumberSequenceReader<N>(context);
  }

  getSplitSerializer(): SimpleVersionedSerializer<NumberSequenceSplit<N>> {
    return NUMBER_SEQUENCE_SPLIT_SERIALIZER as SimpleVersionedSerializer<NumberSequenceSplit<N>>;
  }

  getEnumeratorCheckpointSerializer(): SimpleVersionedSerializer<NumberSequenceSplit<N>[]> {
    return new SplitListSerializer(this.getSplitSerializer());
  }
}

/**
 * Cuts `[from, to]` into at most `numSplits` contiguous splits whose sizes differ by at most one
 * (the first ones are the larger), with ids `"0"`, `"1"`, …. Fewer splits when the range is shorter.
 */
export function splitNumberRange<N extends SequenceValue>(from: N, to: N, numSplits: number): NumberSequenceSplit<N>[] {
  if (!Number.isInteger(numSplits) || numSplits < 1) throw new Error(`splitNumberRange: numSplits must be a positive integer, got ${numSplits}`);
  const asBigInt = typeof from === 'bigint';
  const lo = BigInt(from);
  const total = BigInt(to) - lo + 1n;
  const n = BigInt(numSplits);
  const base = total / n;
  const extra = total % n;
  const splits: NumberSequenceSplit<N>[] = [];
  let start = lo;
  for (let i = 0n; i < n; i++) {
    const size = base + (i < extra ? 1n : 0n);
    if (size === 0n) break;
    const end = start + size - 1n;
    splits.push({
      splitId: String(splits.length),
      from: (asBigInt ? start : Number(start)) as N,
      to: (asBigInt ? end : Number(end)) as N,
    });
    start = end + 1n;
  }
  return splits;
}

/** Emits the numbers of its splits in order; remembers the next number to emit. */
class NumberSequenceReader<N extends SequenceValue> extends SplitQueueSourceReader<N, NumberSequenceSplit<N>> {
  private splitId = '';
  private next: N = 0 as N;
  private to: N = 0 as N;

  protected beginSplit(split: NumberSequenceSplit<N>): void {
    this.splitId = split.splitId;
    this.next = split.from;
    this.to = split.to;
  }

  protected readSplit(output: SourceOutput<N>, max: number): SplitReadStatus {
    if (typeof this.next === 'number') {
      let next = this.next;
      const to = this.to as number;
      const stop = Math.min(to, next + max - 1);
      for (; next <= stop; next++) output.collect(next as N);
      this.next = next as N;
      return next > to ? 'FINISHED' : 'MORE';
    }
    let next = this.next as bigint;
    const to = this.to as bigint;
    for (let i = 0; i < max && next <= to; i++, next++) output.collect(next as N);
    this.next = next as N;
    return next > to ? 'FINISHED' : 'MORE';
  }

  protected snapshotSplit(_split: NumberSequenceSplit<N>): NumberSequenceSplit<N> {
    return { splitId: this.splitId, from: this.next, to: this.to };
  }
}

/**
 * Format, version 1: uint8 kind (0 = numbers, 1 = bigints), string split id, then `from` and
 * `to`: float64 each for numbers, decimal strings for bigints.
 */
class NumberSequenceSplitSerializer implements SimpleVersionedSerializer<NumberSequenceSplit> {
  getVersion(): number {
    return 1;
  }

  serialize(split: NumberSequenceSplit): Uint8Array {
    const out = new DataOutputSerializer(64);
    const isBigInt = typeof split.from === 'bigint';
    out.writeUint8(isBigInt ? 1 : 0);
    out.writeString(split.splitId);
    if (isBigInt) {
      out.writeString(split.from.toString());
      out.writeString(split.to.toString());
    } else {
      out.writeFloat64(split.from as number);
      out.writeFloat64(split.to as number);
    }
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): NumberSequenceSplit {
    checkVersion('NumberSequenceSplitSerializer', version, 1);
    const input = new DataInputDeserializer(bytes);
    const kind = input.readUint8();
    const splitId = input.readString();
    if (kind === 1) return { splitId, from: BigInt(input.readString()), to: BigInt(input.readString()) };
    if (kind !== 0) throw new Error(`NumberSequenceSplitSerializer: unknown value kind ${kind}`);
    return { splitId, from: input.readFloat64(), to: input.readFloat64() };
  }
}

const NUMBER_SEQUENCE_SPLIT_SERIALIZER = new NumberSequenceSplitSerializer();
