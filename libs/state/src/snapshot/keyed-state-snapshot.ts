import { DataInputDeserializer, DataOutputSerializer, type SimpleVersionedSerializer } from '@riffle/core';
import type { KeyGroupRange } from '../key-group-range.js';
import { stateKindName, type StateKind } from '../state-descriptor.js';
import { checkMagic, writeMagic } from './magic.js';

/**
 * A keyed state backend's snapshot: plain data (structured-cloneable, so it can be posted
 * between threads as it is), split by key group so that a restore at another parallelism can
 * take exactly the key groups it owns from any number of snapshots.
 *
 * `keyGroups[i].bytes` is a self-contained, versioned key-group block (see the README for the
 * byte format); `states` describes the states whose entries the blocks hold (serializer ids and
 * TTL flag), which a restore checks against the descriptors registered later.
 */
export interface KeyedStateSnapshot {
  readonly maxParallelism: number;
  /** The key groups the snapshotted backend owned (blocks exist only for non-empty ones). */
  readonly keyGroupRange: KeyGroupRange;
  readonly keySerializerId: string;
  readonly states: readonly KeyedStateMetaInfo[];
  /** One block per non-empty key group, in ascending key-group order. */
  readonly keyGroups: readonly KeyGroupStateBytes[];
}

/** What a snapshot records about one keyed state. */
export interface KeyedStateMetaInfo {
  readonly name: string;
  readonly kind: StateKind;
  readonly namespaceSerializerId: string;
  /** Value (value/reducing state), element (list), accumulator (aggregating) or user-key (map) serializer. */
  readonly serializerId: string;
  /** Map state: the user-value serializer; `''` for the other kinds. */
  readonly valueSerializerId: string;
  /** Whether the entries carry TTL timestamps. */
  readonly ttl: boolean;
}

/** The serialized entries of one key group. */
export interface KeyGroupStateBytes {
  readonly keyGroup: number;
  readonly bytes: Uint8Array;
}

/** Magic of a serialized {@link KeyedStateSnapshot}: `RSKS`. */
export const KEYED_STATE_SNAPSHOT_MAGIC = 'RSKS';
/** Current version of the serialized {@link KeyedStateSnapshot} format. */
export const KEYED_STATE_SNAPSHOT_VERSION = 1;

/**
 * Serializer of whole {@link KeyedStateSnapshot}s, for checkpoint storage. Format, version 1
 * (varuint = LEB128, string = varuint UTF-8 length + bytes):
 *
 *   'R' 'S' 'K' 'S'  u8 version
 *   varuint maxParallelism, varuint rangeStart, varuint rangeEnd, string keySerializerId
 *   varuint stateCount, per state: string name, u8 kind, string namespaceSerializerId,
 *                                  string serializerId, string valueSerializerId, u8 ttl
 *   varuint groupCount, per group: varuint keyGroup, varuint length, key-group block bytes
 */
export class KeyedStateSnapshotSerializer implements SimpleVersionedSerializer<KeyedStateSnapshot> {
  getVersion(): number {
    return KEYED_STATE_SNAPSHOT_VERSION;
  }

  serialize(snapshot: KeyedStateSnapshot): Uint8Array {
    let size = 64;
    for (const g of snapshot.keyGroups) size += g.bytes.length + 10;
    const out = new DataOutputSerializer(size);
    writeMagic(out, KEYED_STATE_SNAPSHOT_MAGIC);
    out.writeUint8(KEYED_STATE_SNAPSHOT_VERSION);
    out.writeVarUint(snapshot.maxParallelism);
    out.writeVarUint(snapshot.keyGroupRange.start);
    out.writeVarUint(snapshot.keyGroupRange.end);
    out.writeString(snapshot.keySerializerId);
    out.writeVarUint(snapshot.states.length);
    for (const s of snapshot.states) {
      out.writeString(s.name);
      out.writeUint8(s.kind);
      out.writeString(s.namespaceSerializerId);
      out.writeString(s.serializerId);
      out.writeString(s.valueSerializerId);
      out.writeUint8(s.ttl ? 1 : 0);
    }
    out.writeVarUint(snapshot.keyGroups.length);
    for (const g of snapshot.keyGroups) {
      out.writeVarUint(g.keyGroup);
      out.writeBytes(g.bytes);
    }
    return out.toUint8Array();
  }

  deserialize(version: number, bytes: Uint8Array): KeyedStateSnapshot {
    if (version !== 1) throw new Error(`unsupported keyed state snapshot version ${version} (this build reads version 1)`);
    const input = new DataInputDeserializer(bytes);
    checkMagic(input, KEYED_STATE_SNAPSHOT_MAGIC, 'keyed state snapshot');
    const stored = input.readUint8();
    if (stored !== 1) throw new Error(`unsupported keyed state snapshot version ${stored} in the header (this build reads version 1)`);
    const maxParallelism = input.readVarUint();
    const start = input.readVarUint();
    const end = input.readVarUint();
    const keySerializerId = input.readString();
    const states: KeyedStateMetaInfo[] = [];
    for (let i = input.readVarUint(); i > 0; i--) {
      const name = input.readString();
      const kind = input.readUint8();
      if (stateKindName(kind).startsWith('unknown')) throw new Error(`keyed state snapshot: state '${name}' has unknown kind ${kind}`);
      states.push({
        name,
        kind: kind as StateKind,
        namespaceSerializerId: input.readString(),
        serializerId: input.readString(),
        valueSerializerId: input.readString(),
        ttl: input.readUint8() === 1,
      });
    }
    const keyGroups: KeyGroupStateBytes[] = [];
    for (let i = input.readVarUint(); i > 0; i--) {
      const keyGroup = input.readVarUint();
      keyGroups.push({ keyGroup, bytes: input.readBytes() });
    }
    if (input.remaining() !== 0) throw new Error(`keyed state snapshot: ${input.remaining()} trailing bytes`);
    return { maxParallelism, keyGroupRange: { start, end }, keySerializerId, states, keyGroups };
  }
}

/** The shared {@link KeyedStateSnapshotSerializer}. */
export const KEYED_STATE_SNAPSHOT_SERIALIZER: SimpleVersionedSerializer<KeyedStateSnapshot> = new KeyedStateSnapshotSerializer();
