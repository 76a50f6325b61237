import {
  DataInputDeserializer,
  DataOutputSerializer,
  type SimpleVersionedSerializer,
  type SourceSplit,
  type SplitEnumerator,
  type SplitEnumeratorContext,
} from '@riffle/core';

/**
 * The enumerator of the built-in bounded sources (Flink's `IteratorSourceEnumerator`): all splits
 * are known when it is created; each split request is answered with the next remaining split, or
 * with "no more splits" once none is left. Splits handed back after a reader failure are offered
 * again. Its checkpoint is the list of splits not yet assigned.
 */
export class StaticSplitEnumerator<SplitT extends SourceSplit> implements SplitEnumerator<SplitT, SplitT[]> {
  private readonly remaining: SplitT[];

  constructor(
    private readonly context: SplitEnumeratorContext<SplitT>,
    splits: readonly SplitT[],
  ) {
    this.remaining = [...splits];
  }

  start(): void {}

  handleSplitRequest(subtask: number): void {
    const split = this.remaining.shift();
    if (split) this.context.assignSplit(split, subtask);
    else this.context.signalNoMoreSplits(subtask);
  }

  addSplitsBack(splits: SplitT[], _subtask: number): void {
    // Returned splits go first: they are the oldest work.
    this.remaining.unshift(...splits);
  }

  addReader(_subtask: number): void {
    // Readers ask for splits themselves (see SplitQueueSourceReader.start).
  }

  snapshotState(_checkpointId: number): SplitT[] {
    return [...this.remaining];
  }

  close(): void {}
}

/**
 * Serializes a list of splits (an enumerator checkpoint) with a split serializer. Format,
 * version 1: varuint split-serializer version, varuint count, then each split as
 * length-prefixed bytes.
 */
export class SplitListSerializer<SplitT> implements SimpleVersionedSerializer<SplitT[]> {
  constructor(private readonly splitSerializer: SimpleVersionedSerializer<SplitT>) {}

  getVersion(): number {
    return 1;
  }

  serialize(splits: SplitT[]): Uint8Array {
    const out = new DataOutputSerializer();
    out.writeVarUint(this.splitSerializer.getVersion());
    out.writeVarUint(splits.length);
    for (const split of splits) out.writeBytes(this.splitSerializer.serialize(split));
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): SplitT[] {
    checkVersion('SplitListSerializer', version, 1);
    const input = new DataInputDeserializer(bytes);
    const splitVersion = input.readVarUint();
    const count = input.readVarUint();
    const splits: SplitT[] = [];
    for (let i = 0; i < count; i++) splits.push(this.splitSerializer.deserialize(splitVersion, input.readBytes()));
    return splits;
  }
}

/** Throws a clear error for a format version a serializer does not know. */
export function checkVersion(serializer: string, version: number, ...known: number[]): void {
  if (!known.includes(version)) {
    throw new Error(`${serializer}: unknown format version ${version} (this build reads ${known.join(', ')})`);
  }
}
