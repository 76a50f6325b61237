import { DataInputDeserializer } from '../serialization/data-input-deserializer.js';
import { DataOutputSerializer } from '../serialization/data-output-serializer.js';
import type { SimpleVersionedSerializer } from '../serialization/type-serializer.js';

/** Throws a clear error for a format version a serializer does not know. */
export function checkVersion(serializer: string, version: number, ...known: number[]): void {
  if (!known.includes(version)) {
    throw new Error(`${serializer}: unknown format version ${version} (this build reads ${known.join(', ')})`);
  }
}

/**
 * Serializes a list of splits (an enumerator checkpoint, a reader's split state) with a split
 * serializer. Format, version 1: varuint split-serializer version, varuint count, then each split
 * as length-prefixed bytes.
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
