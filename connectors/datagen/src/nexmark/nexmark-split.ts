import { DataInputDeserializer, DataOutputSerializer, type SimpleVersionedSerializer, type SourceSplit, checkVersion } from '@riffle/core';
import type { GeneratorState } from './generator.js';
import { generatorStateSerializer } from './generator-state-serializer.js';

/**
 * A split of a {@link NexmarkSource}: one Nexmark generator (split `k` of `splitGeneratorConfig`,
 * id `"k"`) at a position. A reader's snapshot holds the generator's current snapshot, so a
 * reader restored from it continues with exactly the events the original would have emitted.
 */
export interface NexmarkSplit extends SourceSplit {
  readonly state: GeneratorState;
}

/**
 * Format, version 1: string split id, varuint version of the generator-state format, then the
 * generator state in that format as length-prefixed bytes (`generatorStateSerializer`).
 */
export class NexmarkSplitSerializer implements SimpleVersionedSerializer<NexmarkSplit> {
  getVersion(): number {
    return 1;
  }

  serialize(split: NexmarkSplit): Uint8Array {
    const out = new DataOutputSerializer(256);
    out.writeString(split.splitId);
    out.writeVarUint(generatorStateSerializer.getVersion());
    out.writeBytes(generatorStateSerializer.serialize(split.state));
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): NexmarkSplit {
    checkVersion('NexmarkSplitSerializer', version, 1);
    const input = new DataInputDeserializer(bytes);
    const splitId = input.readString();
    const stateVersion = input.readVarUint();
    return { splitId, state: generatorStateSerializer.deserialize(stateVersion, input.readBytes()) };
  }
}

/** The shared {@link NexmarkSplitSerializer}. */
export const nexmarkSplitSerializer = new NexmarkSplitSerializer();
