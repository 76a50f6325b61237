import type { TypeSerializer } from '@riffle/core';
import type { InternalKvState } from '../internal-state.js';
import { VoidNamespace } from '../namespace.js';
import type { KeyedStateMetaInfo } from '../snapshot/keyed-state-snapshot.js';
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  stateKindName,
  ValueStateDescriptor,
  type StateDescriptor,
} from '../state-descriptor.js';
import { TtlAggregateFunction, TtlAggregatingState } from '../ttl/ttl-aggregating-state.js';
import { TtlIncrementalCleanup } from '../ttl/ttl-incremental-cleanup.js';
import { TtlListState } from '../ttl/ttl-list-state.js';
import { TtlMapState } from '../ttl/ttl-map-state.js';
import { TtlReduceFunction, TtlReducingState } from '../ttl/ttl-reducing-state.js';
import type { TtlTimeProvider } from '../ttl/ttl-time-provider.js';
import { TtlStateContext } from '../ttl/ttl-value.js';
import { TtlValueState } from '../ttl/ttl-value-state.js';
import { HeapAggregatingState } from './heap-aggregating-state.js';
import type { HeapKeyContext } from './heap-key-context.js';
import { HeapListState } from './heap-list-state.js';
import { HeapMapState } from './heap-map-state.js';
import { HeapReducingState } from './heap-reducing-state.js';
import { HeapValueState } from './heap-value-state.js';
import { StateTable } from './state-table.js';
import { listCodec, mapCodec, singleValueCodec, type StoredValueCodec } from './stored-value-codec.js';

/** A state registered with a heap backend: its storage, its format and the object handed out. */
export interface RegisteredKeyedState {
  readonly descriptor: StateDescriptor;
  readonly meta: KeyedStateMetaInfo;
  readonly namespaceSerializer: TypeSerializer<unknown>;
  readonly table: StateTable<unknown, unknown>;
  readonly codec: StoredValueCodec<unknown>;
  /** Leave expired values out of snapshots. */
  readonly fullSnapshotCleanup: boolean;
  /** The state object handed out (a heap state, or its TTL wrapper). */
  readonly state: InternalKvState<unknown>;
  /** Per-record incremental cleanup, when configured. */
  readonly keySelectionListener: { keySelected(): void } | undefined;
}

/**
 * Fills a new state's table (from a restore) before the state objects exist, so that they find
 * the restored namespaces. May throw (e.g. on a format mismatch) to abort the registration.
 */
export type StateTableLoader = (meta: KeyedStateMetaInfo, table: StateTable<unknown, unknown>, codec: StoredValueCodec<unknown>) => void;

/** Creates the storage and state object for `descriptor` (see `HeapKeyedStateBackend.getOrCreateKeyedState`). */
export function createHeapState(
  ctx: HeapKeyContext,
  descriptor: StateDescriptor,
  namespaceSerializer: TypeSerializer<unknown>,
  numKeyGroups: number,
  timeProvider: TtlTimeProvider,
  load?: StateTableLoader,
): RegisteredKeyedState {
  const name = descriptor.name;
  const config = descriptor.getTtlConfig();
  const ttlOn = config.isEnabled();
  const ttlMs = ttlOn ? config.ttl : 0;
  const table = new StateTable<unknown, any>(numKeyGroups);
  const ns: unknown = VoidNamespace.INSTANCE;

  let codec: StoredValueCodec<any>;
  let serializerId: string;
  let valueSerializerId = '';
  if (descriptor instanceof ValueStateDescriptor || descriptor instanceof ReducingStateDescriptor || descriptor instanceof AggregatingStateDescriptor) {
    const serializer = descriptor.getSerializer() as TypeSerializer<unknown>;
    codec = singleValueCodec(serializer, ttlMs);
    serializerId = serializer.id;
  } else if (descriptor instanceof ListStateDescriptor) {
    const serializer = descriptor.getElementSerializer() as TypeSerializer<unknown>;
    codec = listCodec(serializer, ttlMs);
    serializerId = serializer.id;
  } else if (descriptor instanceof MapStateDescriptor) {
    const keySerializer = descriptor.getKeySerializer() as TypeSerializer<unknown>;
    const valueSerializer = descriptor.getValueSerializer() as TypeSerializer<unknown>;
    codec = mapCodec(keySerializer, valueSerializer, ttlMs);
    serializerId = keySerializer.id;
    valueSerializerId = valueSerializer.id;
  } else {
    throw new TypeError(`state '${name}': unsupported descriptor ${String(descriptor)}`);
  }

  const meta: KeyedStateMetaInfo = {
    name,
    kind: descriptor.kind,
    namespaceSerializerId: namespaceSerializer.id,
    serializerId,
    valueSerializerId,
    ttl: ttlOn,
  };
  load?.(meta, table, codec);

  const incremental = ttlOn ? config.cleanupStrategies.incremental : undefined;
  const cleanup = incremental ? new TtlIncrementalCleanup<any>(table, incremental.cleanupSize, (s, now) => codec.purge(s, now), timeProvider) : undefined;
  const ttl = new TtlStateContext(config, timeProvider, cleanup);

  let state: InternalKvState<unknown>;
  if (descriptor instanceof ValueStateDescriptor) {
    const serializer = descriptor.getSerializer() as TypeSerializer<unknown>;
    state = ttlOn
      ? new TtlValueState(new HeapValueState<unknown, any>(ctx, table, name, ns, undefined, serializer), ttl, descriptor.defaultValue, serializer)
      : new HeapValueState(ctx, table, name, ns, descriptor.defaultValue, serializer);
  } else if (descriptor instanceof ListStateDescriptor) {
    const heap = new HeapListState<unknown, any>(ctx, table, name, ns);
    state = ttlOn ? new TtlListState(heap, ttl) : heap;
  } else if (descriptor instanceof MapStateDescriptor) {
    const heap = new HeapMapState<unknown, unknown, any>(ctx, table, name, ns);
    state = ttlOn ? new TtlMapState(heap, ttl) : heap;
  } else if (descriptor instanceof ReducingStateDescriptor) {
    const reducer = ttlOn ? new TtlReduceFunction(descriptor.reduceFunction, ttl) : descriptor.reduceFunction;
    const heap = new HeapReducingState<unknown, any>(ctx, table, name, ns, reducer);
    state = ttlOn ? new TtlReducingState(heap, ttl) : heap;
  } else {
    const agg = descriptor as AggregatingStateDescriptor<unknown, unknown, unknown>;
    const fn = ttlOn ? new TtlAggregateFunction(agg.aggregateFunction, ttl) : agg.aggregateFunction;
    const heap = new HeapAggregatingState<unknown, unknown, any, unknown>(ctx, table, name, ns, fn);
    state = ttlOn ? new TtlAggregatingState(heap, agg.aggregateFunction, ttl) : heap;
  }

  return {
    descriptor,
    meta,
    namespaceSerializer,
    table,
    codec,
    fullSnapshotCleanup: ttlOn && config.cleanupStrategies.fullSnapshot,
    state,
    keySelectionListener: cleanup !== undefined && incremental!.runCleanupForEveryRecord ? cleanup : undefined,
  };
}

/**
 * Why two metas describe different state formats (kind or serializers; the TTL flag is not
 * compared, values convert), or `undefined` if they agree. `first`/`second` say where each
 * came from, for the message.
 */
export function metaMismatch(a: KeyedStateMetaInfo, b: KeyedStateMetaInfo, first = 'was restored', second = 'is registered'): string | undefined {
  const differs = (what: string, x: string, y: string): string => `${what} ${x} ${first} but ${y} ${second}`;
  if (a.kind !== b.kind) return differs('kind', stateKindName(a.kind), stateKindName(b.kind));
  if (a.namespaceSerializerId !== b.namespaceSerializerId) return differs('namespace serializer', `'${a.namespaceSerializerId}'`, `'${b.namespaceSerializerId}'`);
  if (a.serializerId !== b.serializerId) return differs('serializer', `'${a.serializerId}'`, `'${b.serializerId}'`);
  if (a.valueSerializerId !== b.valueSerializerId) return differs('value serializer', `'${a.valueSerializerId}'`, `'${b.valueSerializerId}'`);
  return undefined;
}
