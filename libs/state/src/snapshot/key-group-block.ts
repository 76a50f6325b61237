import { DataInputDeserializer, DataOutputSerializer } from '@riffle/core';
import { checkMagic, writeMagic } from './magic.js';

/**
 * The serialized entries of one key group: a self-contained, versioned block, so that checkpoint
 * storage may keep key groups apart and a rescaled restore reads only the blocks it owns.
 *
 * Format, version 1:
 *
 *   'R' 'S' 'K' 'G'  u8 version  varuint keyGroup  varuint stateCount
 *   per state: string name, varuint entryCount, varuint byteLength, entries (byteLength bytes)
 *   entry:     key (key serializer), namespace (namespace serializer), value part (per state kind)
 *
 * A state section is opaque bytes to the block, so a restored state that was never registered
 * again can be carried into the next snapshot unchanged.
 */
export const KEY_GROUP_BLOCK_MAGIC = 'RSKG';
/** Current version of the key-group block format. */
export const KEY_GROUP_BLOCK_VERSION = 1;

/** One state's entries within a key-group block. */
export interface KeyGroupStateSection {
  readonly name: string;
  readonly entryCount: number;
  /** The entries (a view into the block; not copied). */
  readonly bytes: Uint8Array;
}

/** Assembles key-group blocks, reusing its buffers from one key group to the next. */
export class KeyGroupBlockWriter {
  private readonly body = new DataOutputSerializer(4096);
  private readonly out = new DataOutputSerializer(4096);
  private stateCount = 0;

  /** Starts the next block. */
  begin(): void {
    this.body.clear();
    this.stateCount = 0;
  }

  addState(name: string, entryCount: number, entries: Uint8Array): void {
    this.body.writeString(name);
    this.body.writeVarUint(entryCount);
    this.body.writeBytes(entries);
    this.stateCount++;
  }

  /** The finished block (a fresh copy), or `undefined` if no state had entries in it. */
  finish(keyGroup: number): Uint8Array | undefined {
    if (this.stateCount === 0) return undefined;
    const out = this.out;
    out.clear();
    writeMagic(out, KEY_GROUP_BLOCK_MAGIC);
    out.writeUint8(KEY_GROUP_BLOCK_VERSION);
    out.writeVarUint(keyGroup);
    out.writeVarUint(this.stateCount);
    out.writeRaw(this.body.data);
    return out.toUint8Array();
  }
}

/** Splits a key-group block into its state sections; throws if it is not a block of `keyGroup`. */
export function parseKeyGroupBlock(bytes: Uint8Array, keyGroup: number): KeyGroupStateSection[] {
  const input = new DataInputDeserializer(bytes);
  checkMagic(input, KEY_GROUP_BLOCK_MAGIC, `key group ${keyGroup}`);
  const version = input.readUint8();
  if (version !== 1) throw new Error(`key group ${keyGroup}: unsupported block version ${version} (this build reads version 1)`);
  const stored = input.readVarUint();
  if (stored !== keyGroup) throw new Error(`key group block labelled ${keyGroup} holds key group ${stored}`);
  const sections: KeyGroupStateSection[] = [];
  for (let n = input.readVarUint(); n > 0; n--) {
    const name = input.readString();
    const entryCount = input.readVarUint();
    const length = input.readVarUint();
    const start = input.position;
    if (length > input.remaining()) throw new Error(`key group ${keyGroup}: state '${name}' is truncated`);
    sections.push({ name, entryCount, bytes: bytes.subarray(start, start + length) });
    input.position = start + length;
  }
  if (input.remaining() !== 0) throw new Error(`key group ${keyGroup}: ${input.remaining()} trailing bytes`);
  return sections;
}
