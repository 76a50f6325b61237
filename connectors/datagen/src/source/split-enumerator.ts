import {
  DataInputDeserializer,
  DataOutputSerializer,
  type SimpleVersionedSerializer,
  type SourceSplit,
  type SplitEnumerator,
  type SplitEnumeratorContext,
} from '@riffle/core';

/**
 * The enumerator of the datagen sources (the pattern of Flink's `IteratorSourceEnumerator`): all
 * splits are known when it is created (one per source subtask). Readers ask for splits; a request
 * from subtask `k` is answered with the split whose id is `"k"` when it is still unassigned (so
 * subtask `k` normally reads split `k`), else with any remaining split, else with "no more
 * splits". Splits handed back after a reader failure are offered again. Its checkpoint is the
 * list of splits not yet assigned. Calls come from one thread and never overlap.
 */
export class PendingSplitsEnumerator<SplitT extends SourceSplit> implements SplitEnumerator<SplitT, SplitT[]> {
  private readonly remaining: SplitT[];

  constructor(
    private readonly context: SplitEnumeratorContext<SplitT>,
    splits: readonly SplitT[],
  ) {
    this.remaining = [...splits];
  }

  start(): void {}

  handleSplitRequest(subtask: number): void {
    if (this.remaining.length === 0) {
      this.context.signalNoMoreSplits(subtask);
      return;
    }
    const own = this.remaining.findIndex((s) => s.splitId === String(subtask));
    const [split] = this.remaining.splice(own >= 0 ? own : 0, 1);
    this.context.assignSplit(split!, subtask);
  }

  addSplitsBack(splits: SplitT[], _subtask: number): void {
    this.remaining.unshift(...splits);
  }

  addReader(_subtask: number): void {
    // Readers ask for splits themselves when they start.
  }

  snapshotState(_checkpointId: number): SplitT[] {
    return [...this.remaining];
  }

  close(): void {}
}

/**
 * Serializes a list of splits (an enumerator checkpoint) with a split serializer. Format,
 * version 1: varuint split-serializer version, varuint count, then each split as length-prefixed
 * bytes.
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
