import {
  DataInputDeserializer,
  DataOutputSerializer,
  dynamicSerializer,
  type Boundedness,
  type SourceOutput,
  type SimpleVersionedSerializer,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type SourceSplit,
  type SplitEnumerator,
  type SplitEnumeratorContext,
  type TypeSerializer,
  SplitListSerializer,
  StaticSplitEnumerator,
  checkVersion,
} from '@riffle/core';
import { SplitQueueSourceReader, type SplitReadStatus } from './split-queue-source-reader.js';

/**
 * A slice of the collection, carrying its elements so that it can be shipped from the
 * enumerator to a reader (and into a checkpoint). `offset` is the index of the next element to
 * emit: 0 for a fresh split, advanced in a reader's snapshot.
 */
export interface CollectionSplit<T> extends SourceSplit {
  readonly elements: readonly T[];
  readonly offset: number;
}

/**
 * The elements of a collection, in order (Flink's `FromElementsSource`). The collection is copied
 * when the source is built. The enumerator cuts it into one contiguous split per source subtask
 * (`fromElements`/`fromCollection` run it with parallelism 1, so order is kept) and ships the
 * elements inside the splits, serialized with `serializer` (the dynamic serializer by default),
 * so every element must be serializable by it (structured-cloneable values for the default);
 * the constructor checks this so that a bad element fails when the job is built. Bounded.
 */
export class CollectionSource<T> implements Source<T, CollectionSplit<T>, CollectionSplit<T>[]> {
  readonly elements: readonly T[];
  private readonly splitSerializer: CollectionSplitSerializer<T>;

  constructor(elements: Iterable<T>, serializer: TypeSerializer<T> = dynamicSerializer()) {
    this.elements = Array.from(elements);
    this.splitSerializer = new CollectionSplitSerializer(serializer);
    const probe = new DataOutputSerializer();
    for (let i = 0; i < this.elements.length; i++) {
      probe.clear();
      try {
        serializer.serialize(this.elements[i]!, probe);
      } catch (error) {
        throw new Error(
          `collection source: element ${i} cannot be serialized with the '${serializer.id}' serializer ` +
            `(elements are shipped to the workers): ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  getBoundedness(): Boundedness {
    return 'BOUNDED';
  }

  createEnumerator(context: SplitEnumeratorContext<CollectionSplit<T>>): SplitEnumerator<CollectionSplit<T>, CollectionSplit<T>[]> {
    return new StaticSplitEnumerator(context, splitCollection(this.elements, context.currentParallelism()));
  }

  restoreEnumerator(
    context: SplitEnumeratorContext<CollectionSplit<T>>,
    checkpoint: CollectionSplit<T>[],
  ): SplitEnumerator<CollectionSplit<T>, CollectionSplit<T>[]> {
    return new StaticSplitEnumerator(context, checkpoint);
  }

  createReader(context: SourceReaderContext): SourceReader<T, CollectionSplit<T>> {
    return new CollectionReader<T>(context);
  }

  getSplitSerializer(): SimpleVersionedSerializer<CollectionSplit<T>> {
    return this.splitSerializer;
  }

  getEnumeratorCheckpointSerializer(): SimpleVersionedSerializer<CollectionSplit<T>[]> {
    return new SplitListSerializer(this.splitSerializer);
  }
}

/** Contiguous slices of nearly equal size, at most `numSplits`, ids `"0"`, `"1"`, …; none for an empty collection. */
function splitCollection<T>(elements: readonly T[], numSplits: number): CollectionSplit<T>[] {
  const n = Math.max(1, Math.min(numSplits, elements.length));
  const splits: CollectionSplit<T>[] = [];
  if (elements.length === 0) return splits;
  const base = Math.floor(elements.length / n);
  const extra = elements.length % n;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = start + base + (i < extra ? 1 : 0);
    splits.push({ splitId: String(i), elements: elements.slice(start, end), offset: 0 });
    start = end;
  }
  return splits;
}

class CollectionReader<T> extends SplitQueueSourceReader<T, CollectionSplit<T>> {
  private split: CollectionSplit<T> | undefined;
  private offset = 0;

  protected beginSplit(split: CollectionSplit<T>): void {
    this.split = split;
    this.offset = split.offset;
  }

  protected readSplit(output: SourceOutput<T>, max: number): SplitReadStatus {
    const elements = this.split!.elements;
    const stop = Math.min(elements.length, this.offset + max);
    let i = this.offset;
    for (; i < stop; i++) output.collect(elements[i]!);
    this.offset = i;
    return i >= elements.length ? 'FINISHED' : 'MORE';
  }

  protected snapshotSplit(split: CollectionSplit<T>): CollectionSplit<T> {
    return { splitId: split.splitId, elements: split.elements, offset: this.offset };
  }
}

/**
 * Format, version 1: string split id, varuint offset, varuint element count, then every element
 * with the element serializer. Only the elements from `offset` on are needed to resume, but all
 * are kept so a split reads back exactly as it was written.
 */
class CollectionSplitSerializer<T> implements SimpleVersionedSerializer<CollectionSplit<T>> {
  constructor(private readonly serializer: TypeSerializer<T>) {}

  getVersion(): number {
    return 1;
  }

  serialize(split: CollectionSplit<T>): Uint8Array {
    const out = new DataOutputSerializer();
    out.writeString(split.splitId);
    out.writeVarUint(split.offset);
    out.writeVarUint(split.elements.length);
    for (const element of split.elements) this.serializer.serialize(element, out);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): CollectionSplit<T> {
    checkVersion('CollectionSplitSerializer', version, 1);
    const input = new DataInputDeserializer(bytes);
    const splitId = input.readString();
    const offset = input.readVarUint();
    const count = input.readVarUint();
    const elements: T[] = new Array(count);
    for (let i = 0; i < count; i++) elements[i] = this.serializer.deserialize(input);
    return { splitId, elements, offset };
  }
}
