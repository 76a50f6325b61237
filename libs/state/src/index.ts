/**
 * @riffle/state: keyed state, operator state and broadcast state, partitioned by key groups so
 * that jobs restore at another parallelism. See README.md for the model and the formats.
 */
export type { State, ValueState, AppendingState, MergingState, ListState, MapState, ReducingState, AggregatingState } from './state.js';
export {
  StateDescriptor,
  ValueStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  AggregatingStateDescriptor,
  StateKind,
  stateKindName,
} from './state-descriptor.js';
export type {
  InternalKvState,
  InternalMergingState,
  InternalValueState,
  InternalListState,
  InternalMapState,
  InternalReducingState,
  InternalAggregatingState,
  InternalStateOf,
} from './internal-state.js';
export { VoidNamespace, VOID_NAMESPACE_SERIALIZER } from './namespace.js';
export { NAMESPACE_MAP_KEY, toMapKey } from './heap/map-key.js';
export { type KeyGroupRange, keyGroupRangeContains } from './key-group-range.js';
export { StateTtlConfig, StateTtlConfigBuilder, UpdateType, StateVisibility, type CleanupStrategies, type IncrementalCleanupStrategy } from './ttl/state-ttl-config.js';
export { type TtlTimeProvider, SYSTEM_TTL_TIME_PROVIDER, ManualTtlTimeProvider } from './ttl/ttl-time-provider.js';
export { HeapKeyedStateBackend, type HeapKeyedStateBackendOptions } from './heap/heap-keyed-state-backend.js';
export { type KeyedStateStore, DefaultKeyedStateStore } from './keyed-state-store.js';
export {
  type KeyedStateSnapshot,
  type KeyedStateMetaInfo,
  type KeyGroupStateBytes,
  KeyedStateSnapshotSerializer,
  KEYED_STATE_SNAPSHOT_SERIALIZER,
  KEYED_STATE_SNAPSHOT_MAGIC,
  KEYED_STATE_SNAPSHOT_VERSION,
} from './snapshot/keyed-state-snapshot.js';
export { KEY_GROUP_BLOCK_MAGIC, KEY_GROUP_BLOCK_VERSION } from './snapshot/key-group-block.js';
export { type OperatorStateStore, DefaultOperatorStateBackend } from './operator/operator-state-backend.js';
export type { BroadcastState, ReadOnlyBroadcastState } from './operator/broadcast-state.js';
export {
  OperatorStateDistributionMode,
  type OperatorStateSnapshot,
  type OperatorStateEntrySnapshot,
  OperatorStateSnapshotSerializer,
  OPERATOR_STATE_SNAPSHOT_SERIALIZER,
  OPERATOR_STATE_SNAPSHOT_MAGIC,
  OPERATOR_STATE_SNAPSHOT_VERSION,
} from './operator/operator-state-snapshot.js';
export { redistributeOperatorState } from './operator/redistribute-operator-state.js';
