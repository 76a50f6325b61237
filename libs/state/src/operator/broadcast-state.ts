import type { MapState } from '../state.js';

/**
 * The read-only view of a broadcast state, for the non-broadcast side of a broadcast
 * connection (Flink's `ReadOnlyBroadcastState`): the keyed or non-keyed side must not change
 * broadcast state, because every subtask has to hold the same copy. Do not mutate the values
 * either; they are the stored objects.
 */
export interface ReadOnlyBroadcastState<K, V> {
  get(key: K): V | undefined;
  contains(key: K): boolean;
  /** The entries as read-only pairs, in insertion order. */
  immutableEntries(): Iterable<readonly [K, V]>;
}

/**
 * Operator state replicated to every subtask (Flink's `BroadcastState`), written by the
 * broadcast side only, with the same updates in every subtask so that all copies stay equal.
 * A map with the {@link MapState} semantics (keys compare by value).
 */
export interface BroadcastState<K, V> extends MapState<K, V>, ReadOnlyBroadcastState<K, V> {}
