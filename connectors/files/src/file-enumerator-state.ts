import { DataInputDeserializer, DataOutputSerializer, type SimpleVersionedSerializer } from '@riffle/core';
import { readSplitV1, writeSplitV1, type FileSourceSplit } from './file-source-split.js';

/**
 * The checkpointed state of a {@link FileSourceEnumerator}: the splits not yet assigned (or
 * handed back by a failed reader) and every file path already turned into splits, so that a
 * restored enumerator never reads a file twice (Flink's `PendingSplitsCheckpoint`).
 */
export interface FileEnumeratorState {
  readonly pendingSplits: readonly FileSourceSplit[];
  readonly processedPaths: readonly string[];
}

/**
 * Version 1 of a {@link FileEnumeratorState}: count (varuint) then each pending split in the
 * split's version 1 layout, then count (varuint) then each processed path (string).
 */
export class FileEnumeratorStateSerializer implements SimpleVersionedSerializer<FileEnumeratorState> {
  static readonly VERSION = 1;

  getVersion(): number {
    return FileEnumeratorStateSerializer.VERSION;
  }

  serialize(state: FileEnumeratorState): Uint8Array {
    const out = new DataOutputSerializer(256);
    out.writeVarUint(state.pendingSplits.length);
    for (const s of state.pendingSplits) writeSplitV1(s, out);
    out.writeVarUint(state.processedPaths.length);
    for (const p of state.processedPaths) out.writeString(p);
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): FileEnumeratorState {
    if (version !== 1) throw new Error(`FileEnumeratorStateSerializer: unknown version ${version} (this build reads version 1)`);
    const input = new DataInputDeserializer(bytes);
    const pendingSplits: FileSourceSplit[] = [];
    for (let n = input.readVarUint(); n > 0; n--) pendingSplits.push(readSplitV1(input));
    const processedPaths: string[] = [];
    for (let n = input.readVarUint(); n > 0; n--) processedPaths.push(input.readString());
    return { pendingSplits, processedPaths };
  }
}
