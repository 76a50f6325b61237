import { DataInputDeserializer, DataOutputSerializer, getLogger, type TypeSerializer } from '@riffle/core';
import type { ListStateDescriptor, MapStateDescriptor, StateDescriptor } from '../state-descriptor.js';
import type { ListState } from '../state.js';
import type { BroadcastState, ReadOnlyBroadcastState } from './broadcast-state.js';
import { HeapBroadcastState, ReadOnlyHeapBroadcastState } from './heap-broadcast-state.js';
import type { OperatorStateDistributionMode, OperatorStateEntrySnapshot, OperatorStateSnapshot } from './operator-state-snapshot.js';
import { PartitionableListState } from './partitionable-list-state.js';
import { toMapKey } from '../heap/map-key.js';

const log = getLogger('riffle.state.operator');

/**
 * Operator (non-keyed) state as functions see it (Flink's `OperatorStateStore`), e.g. a source
 * keeping its offsets or a sink its pending transactions.
 */
export interface OperatorStateStore {
  /** A list whose elements are split evenly across the subtasks on restore. */
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  /** A list of which every subtask receives all elements (of all subtasks) on restore. */
  getUnionListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  /** A map replicated on every subtask; on restore every subtask gets one subtask's copy. */
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V>;
}

interface RegisteredListState {
  readonly state: PartitionableListState<unknown>;
  readonly mode: OperatorStateDistributionMode;
  readonly serializer: TypeSerializer<unknown>;
}

interface RegisteredBroadcastState {
  readonly state: HeapBroadcastState<unknown, unknown>;
  readonly keySerializer: TypeSerializer<unknown>;
  readonly valueSerializer: TypeSerializer<unknown>;
}

/**
 * The operator state of one operator subtask (Flink's `DefaultOperatorStateBackend`).
 *
 * Lifecycle: create one per operator subtask; on recovery call {@link restore} once, before
 * registering states, with this subtask's share computed by `redistributeOperatorState`; then
 * register states (in `initializeState`/`open`); {@link snapshot} between records. Runs on the
 * task thread. Restored states stay serialized until registered again (then read with the
 * serializers given then); states never registered again are carried into later snapshots.
 * State TTL does not apply to operator state (as in Flink): a TTL configuration on the
 * descriptor is ignored, with a warning.
 */
export class DefaultOperatorStateBackend implements OperatorStateStore {
  private readonly listStates = new Map<string, RegisteredListState>();
  private readonly broadcastStates = new Map<string, RegisteredBroadcastState>();
  private pending = new Map<string, OperatorStateEntrySnapshot>();
  private restored = false;

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.listState(descriptor, 'SPLIT_DISTRIBUTE') as ListState<T>;
  }

  getUnionListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.listState(descriptor, 'UNION') as ListState<T>;
  }

  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V> {
    const name = descriptor.name;
    const existing = this.broadcastStates.get(name);
    const keySerializer = descriptor.getKeySerializer() as TypeSerializer<unknown>;
    const valueSerializer = descriptor.getValueSerializer() as TypeSerializer<unknown>;
    if (existing !== undefined) {
      if (existing.keySerializer.id !== keySerializer.id || existing.valueSerializer.id !== valueSerializer.id) {
        throw new Error(`broadcast state '${name}' is already registered with other serializers`);
      }
      return existing.state as HeapBroadcastState<K, V>;
    }
    if (this.listStates.has(name)) throw new Error(`operator state '${name}' is already registered as a list state`);
    this.warnTtl(descriptor);
    const state = new HeapBroadcastState<unknown, unknown>(name);
    const restored = this.takePending(name, 'BROADCAST', [keySerializer.id, valueSerializer.id]);
    if (restored !== undefined) {
      const input = new DataInputDeserializer();
      for (const bytes of restored.elements) {
        input.setBuffer(bytes);
        const key = keySerializer.deserialize(input);
        state.map.set(toMapKey(key), valueSerializer.deserialize(input));
      }
    }
    this.broadcastStates.set(name, { state, keySerializer, valueSerializer });
    return state as HeapBroadcastState<K, V>;
  }

  /** The read-only view of a broadcast state (registering it if needed), for the non-broadcast side. */
  getReadOnlyBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V> {
    return new ReadOnlyHeapBroadcastState(this.getBroadcastState(descriptor) as HeapBroadcastState<K, V>);
  }

  /** Names of the registered list and union list states. */
  getRegisteredStateNames(): string[] {
    return [...this.listStates.keys()];
  }

  /** Names of the registered broadcast states. */
  getRegisteredBroadcastStateNames(): string[] {
    return [...this.broadcastStates.keys()];
  }

  /** A snapshot of every state (synchronous; independent of the working state afterwards). */
  snapshot(): OperatorStateSnapshot {
    const states: OperatorStateEntrySnapshot[] = [];
    const out = new DataOutputSerializer(256);
    for (const [name, { state, mode, serializer }] of this.listStates) {
      const elements = state.list.map((element) => {
        out.clear();
        serializer.serialize(element, out);
        return out.toUint8Array();
      });
      states.push({ name, mode, serializerIds: [serializer.id], elements });
    }
    for (const [name, { state, keySerializer, valueSerializer }] of this.broadcastStates) {
      const elements: Uint8Array[] = [];
      for (const [key, value] of state.entries()) {
        out.clear();
        keySerializer.serialize(key, out);
        valueSerializer.serialize(value, out);
        elements.push(out.toUint8Array());
      }
      states.push({ name, mode: 'BROADCAST', serializerIds: [keySerializer.id, valueSerializer.id], elements });
    }
    for (const state of this.pending.values()) states.push(state);
    return { states };
  }

  /**
   * Restores this subtask's share of the operator state (see `redistributeOperatorState`).
   * Call at most once, before any state is registered.
   */
  restore(snapshot: OperatorStateSnapshot): void {
    if (this.restored) throw new Error('restore may be called only once per operator state backend');
    if (this.listStates.size + this.broadcastStates.size > 0) throw new Error('restore must run before any operator state is registered');
    const pending = new Map<string, OperatorStateEntrySnapshot>();
    for (const state of snapshot.states) {
      if (pending.has(state.name)) throw new Error(`operator state snapshot describes '${state.name}' twice`);
      pending.set(state.name, state);
    }
    this.pending = pending;
    this.restored = true;
  }

  /** Drops all state. */
  dispose(): void {
    this.listStates.clear();
    this.broadcastStates.clear();
    this.pending.clear();
  }

  private listState(descriptor: ListStateDescriptor<unknown>, mode: OperatorStateDistributionMode): PartitionableListState<unknown> {
    const name = descriptor.name;
    const serializer = descriptor.getElementSerializer();
    const existing = this.listStates.get(name);
    if (existing !== undefined) {
      if (existing.mode !== mode) throw new Error(`operator state '${name}' is registered with mode ${existing.mode}, not ${mode}`);
      if (existing.serializer.id !== serializer.id) throw new Error(`operator state '${name}' is already registered with serializer '${existing.serializer.id}'`);
      return existing.state;
    }
    if (this.broadcastStates.has(name)) throw new Error(`operator state '${name}' is already registered as a broadcast state`);
    this.warnTtl(descriptor);
    const state = new PartitionableListState<unknown>(name);
    const restored = this.takePending(name, mode, [serializer.id]);
    if (restored !== undefined) {
      const input = new DataInputDeserializer();
      state.list = restored.elements.map((bytes) => {
        input.setBuffer(bytes);
        return serializer.deserialize(input);
      });
    }
    this.listStates.set(name, { state, mode, serializer });
    return state;
  }

  private takePending(name: string, mode: OperatorStateDistributionMode, serializerIds: string[]): OperatorStateEntrySnapshot | undefined {
    const restored = this.pending.get(name);
    if (restored === undefined) return undefined;
    if (restored.mode !== mode) throw new Error(`cannot restore operator state '${name}': it was written with mode ${restored.mode} but is registered with mode ${mode}`);
    if (restored.serializerIds.join('\u0000') !== serializerIds.join('\u0000')) {
      throw new Error(`cannot restore operator state '${name}': it was written with serializers [${restored.serializerIds.join(', ')}] but is registered with [${serializerIds.join(', ')}]`);
    }
    this.pending.delete(name);
    return restored;
  }

  private warnTtl(descriptor: StateDescriptor): void {
    if (descriptor.getTtlConfig().isEnabled()) log.warn(`state TTL applies to keyed state only; ignored for operator state '${descriptor.name}'`);
  }
}
