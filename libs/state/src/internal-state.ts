import type { AggregatingState, ListState, MapState, ReducingState, State, ValueState } from './state.js';

/**
 * The runtime's view of keyed state (Flink's `InternalKvState` family): the user interfaces plus
 * the current namespace, for state scoped to windows.
 *
 * A state object belongs to one backend and reads the backend's current key on every access;
 * it also has its own current namespace, `VoidNamespace.INSTANCE` until `setCurrentNamespace`
 * is called. A window operator obtains its window state once
 * (`backend.getOrCreateKeyedState(windowSerializer, descriptor)`) and per record calls
 * `backend.setCurrentKey(key)`, then `state.setCurrentNamespace(window)`, then the state
 * methods. Namespaces compare by value (like keys): two equal window objects name the same
 * window. Re-setting the namespace that is already current (the same object) costs nothing.
 */
export interface InternalKvState<N> extends State {
  setCurrentNamespace(namespace: N): void;
}

/**
 * State whose namespaces can be merged, for merging (session) windows (Flink's
 * `InternalMergingState`).
 */
export interface InternalMergingState<N> {
  /**
   * For the current key, moves the values of `sources` into `target`, combining them with the
   * state's merge rule (list: concatenation; reducing: the reduce function; aggregating:
   * `AggregateFunction.merge`) and removes them from the sources. The sources are combined in
   * the order given, then appended to what `target` holds; `target` may be one of the sources
   * (it then contributes at its position). The current namespace is unchanged.
   */
  mergeNamespaces(target: N, sources: Iterable<N>): void;
}

export interface InternalValueState<N, T> extends ValueState<T>, InternalKvState<N> {}
export interface InternalListState<N, T> extends ListState<T>, InternalKvState<N>, InternalMergingState<N> {}
export interface InternalMapState<N, UK, UV> extends MapState<UK, UV>, InternalKvState<N> {}
export interface InternalReducingState<N, T> extends ReducingState<T>, InternalKvState<N>, InternalMergingState<N> {}
export interface InternalAggregatingState<N, IN, OUT> extends AggregatingState<IN, OUT>, InternalKvState<N>, InternalMergingState<N> {}

/** The internal state type for user state type `S` in namespace type `N`. */
export type InternalStateOf<S, N> =
  S extends MapState<infer UK, infer UV>
    ? InternalMapState<N, UK, UV>
    : S extends ValueState<infer T>
      ? InternalValueState<N, T>
      : S extends ListState<infer T>
        ? InternalListState<N, T>
        : S extends AggregatingState<infer IN, infer OUT>
          ? InternalAggregatingState<N, IN, OUT>
          : InternalKvState<N>;
