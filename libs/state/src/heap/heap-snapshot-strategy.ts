import { DataInputDeserializer, DataOutputSerializer, type TypeSerializer } from '@riffle/core';
import { keyGroupRangeContains, type KeyGroupRange } from '../key-group-range.js';
import { KeyGroupBlockWriter, parseKeyGroupBlock, type KeyGroupStateSection } from '../snapshot/key-group-block.js';
import type { KeyedStateMetaInfo, KeyedStateSnapshot, KeyGroupStateBytes } from '../snapshot/keyed-state-snapshot.js';
import type { RegisteredKeyedState } from './heap-state-factory.js';
import { fromMapKey, toMapKey } from './map-key.js';
import type { NamespaceEntry, StateTable } from './state-table.js';
import type { StoredValueCodec } from './stored-value-codec.js';

/** Restored entries of a state that has not been registered again yet (kept serialized). */
export interface PendingRestoredState {
  readonly meta: KeyedStateMetaInfo;
  /** Section of each key group that has entries. */
  readonly byKeyGroup: Map<number, KeyGroupStateSection>;
}

/**
 * Writes a heap backend's snapshot: for each key group of `range`, one block holding the
 * entries of every registered state (through their serializers; expired values left out where
 * full-snapshot cleanup is on) and, unchanged, the sections of restored states that were not
 * registered again. Synchronous: the result does not share memory with the working state.
 */
export function writeKeyedSnapshot(
  range: KeyGroupRange,
  maxParallelism: number,
  keySerializer: TypeSerializer<unknown>,
  states: Iterable<RegisteredKeyedState>,
  pending: Iterable<PendingRestoredState>,
  now: number,
): KeyedStateSnapshot {
  const registered = [...states];
  const restoredOnly = [...pending];
  const writer = new KeyGroupBlockWriter();
  const entries = new DataOutputSerializer(4096);
  const keyGroups: KeyGroupStateBytes[] = [];
  for (let keyGroup = range.start; keyGroup <= range.end; keyGroup++) {
    const index = keyGroup - range.start;
    writer.begin();
    for (const state of registered) {
      if (state.table.size === 0) continue;
      entries.clear();
      const count = writeStateEntries(state, index, keySerializer, entries, now);
      if (count > 0) writer.addState(state.meta.name, count, entries.data);
    }
    for (const state of restoredOnly) {
      const section = state.byKeyGroup.get(keyGroup);
      if (section !== undefined) writer.addState(section.name, section.entryCount, section.bytes);
    }
    const block = writer.finish(keyGroup);
    if (block !== undefined) keyGroups.push({ keyGroup, bytes: block });
  }
  return {
    maxParallelism,
    keyGroupRange: { start: range.start, end: range.end },
    keySerializerId: keySerializer.id,
    states: [...registered.map((s) => s.meta), ...restoredOnly.map((s) => s.meta)],
    keyGroups,
  };
}

function writeStateEntries(
  state: RegisteredKeyedState,
  keyGroupIndex: number,
  keySerializer: TypeSerializer<unknown>,
  out: DataOutputSerializer,
  now: number,
): number {
  const filterNow = state.fullSnapshotCleanup ? now : undefined;
  const { codec, namespaceSerializer } = state;
  let count = 0;
  for (const entry of state.table.namespaces.values()) {
    const map = entry.maps?.[keyGroupIndex];
    if (map === undefined || map.size === 0) continue;
    for (const [mapKey, stored] of map) {
      if (filterNow !== undefined && !codec.hasLive(stored, filterNow)) continue;
      keySerializer.serialize(fromMapKey(mapKey), out);
      namespaceSerializer.serialize(entry.namespace, out);
      codec.write(stored, out, filterNow);
      count++;
    }
  }
  return count;
}

/**
 * Collects, from any number of snapshots, the key groups within `range`, as pending restored
 * states by name. Throws if the snapshots disagree with the backend (max parallelism, key
 * serializer) or with each other (one state described two ways, one key group twice).
 */
export function collectRestoredStates(
  snapshots: Iterable<KeyedStateSnapshot>,
  range: KeyGroupRange,
  maxParallelism: number,
  keySerializerId: string,
): Map<string, PendingRestoredState> {
  const pending = new Map<string, PendingRestoredState>();
  const seen = new Set<number>();
  for (const snapshot of snapshots) {
    if (snapshot.maxParallelism !== maxParallelism) {
      throw new Error(
        `cannot restore keyed state written with max parallelism ${snapshot.maxParallelism} into a backend with max parallelism ${maxParallelism}: ` +
          'the max parallelism (number of key groups) of an operator cannot change across restores',
      );
    }
    if (snapshot.keySerializerId !== keySerializerId) {
      throw new Error(`cannot restore keyed state: the snapshot's keys were written with serializer '${snapshot.keySerializerId}' but the backend uses '${keySerializerId}'`);
    }
    const metas = new Map<string, KeyedStateMetaInfo>();
    for (const meta of snapshot.states) {
      metas.set(meta.name, meta);
      const known = pending.get(meta.name);
      if (known === undefined) pending.set(meta.name, { meta, byKeyGroup: new Map() });
      else if (!sameMeta(known.meta, meta)) throw new Error(`cannot restore keyed state '${meta.name}': the snapshots describe it differently`);
    }
    for (const { keyGroup, bytes } of snapshot.keyGroups) {
      if (!keyGroupRangeContains(range, keyGroup)) continue;
      if (seen.has(keyGroup)) throw new Error(`cannot restore keyed state: key group ${keyGroup} appears in more than one snapshot`);
      seen.add(keyGroup);
      for (const section of parseKeyGroupBlock(bytes, keyGroup)) {
        if (!metas.has(section.name)) throw new Error(`key group ${keyGroup} holds entries of state '${section.name}', which its snapshot does not describe`);
        pending.get(section.name)!.byKeyGroup.set(keyGroup, section);
      }
    }
  }
  return pending;
}

/** Deserializes a pending state's entries into the table of the state registered under its name. */
export function loadRestoredState(
  pending: PendingRestoredState,
  table: StateTable<unknown, unknown>,
  codec: StoredValueCodec<unknown>,
  namespaceSerializer: TypeSerializer<unknown>,
  rangeStart: number,
  keySerializer: TypeSerializer<unknown>,
  restoreTime: number,
): void {
  const input = new DataInputDeserializer();
  const sourceTtl = pending.meta.ttl;
  let lastNamespace: unknown = undefined;
  let lastEntry: NamespaceEntry<unknown, unknown> | undefined;
  for (const [keyGroup, section] of pending.byKeyGroup) {
    const index = keyGroup - rangeStart;
    input.setBuffer(section.bytes);
    for (let i = 0; i < section.entryCount; i++) {
      const key = keySerializer.deserialize(input);
      const namespace = namespaceSerializer.deserialize(input);
      const stored = codec.read(input, sourceTtl, restoreTime);
      if (lastEntry === undefined || namespace !== lastNamespace) {
        lastNamespace = namespace;
        lastEntry = table.entryFor(namespace);
      }
      table.put(lastEntry, index, toMapKey(key), stored);
    }
    if (input.remaining() !== 0) throw new Error(`state '${pending.meta.name}', key group ${keyGroup}: ${input.remaining()} bytes left after ${section.entryCount} entries`);
  }
}

function sameMeta(a: KeyedStateMetaInfo, b: KeyedStateMetaInfo): boolean {
  return (
    a.kind === b.kind &&
    a.namespaceSerializerId === b.namespaceSerializerId &&
    a.serializerId === b.serializerId &&
    a.valueSerializerId === b.valueSerializerId &&
    a.ttl === b.ttl
  );
}
