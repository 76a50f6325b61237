import type {
  AggregatingState,
  AggregatingStateDescriptor,
  KeyedStateStore,
  ListState,
  ListStateDescriptor,
  MapState,
  MapStateDescriptor,
  ReducingState,
  ReducingStateDescriptor,
  ValueState,
  ValueStateDescriptor,
} from '@riffle/state';

/**
 * Keyed state through the runtime context, as in Flink: `getRuntimeContext().getState(descriptor)`
 * in a function on a keyed stream returns state bound to the key of the record being processed.
 * Declared here (the layer that owns both the context and the state backend) by augmenting the
 * core RuntimeContext interface.
 */
declare module '@riffle/core' {
  interface RuntimeContext {
    getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
    getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
    getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV>;
    getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
    getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>;
  }
}

/** The error for keyed state requested outside a keyed context. */
export function notKeyed(taskName: string, what: string): Error {
  return new Error(`${what}: keyed state is only available on a keyed stream (after keyBy), but operator '${taskName}' is not keyed`);
}

/** Delegates the keyed-state accessors to a store that the operator sets once it has a keyed backend. */
export class KeyedStateAccess {
  store: KeyedStateStore | undefined;

  constructor(private readonly taskName: () => string) {}

  private get(what: string): KeyedStateStore {
    if (!this.store) throw notKeyed(this.taskName(), what);
    return this.store;
  }

  getState<T>(d: ValueStateDescriptor<T>): ValueState<T> {
    return this.get('getState').getState(d);
  }
  getListState<T>(d: ListStateDescriptor<T>): ListState<T> {
    return this.get('getListState').getListState(d);
  }
  getMapState<UK, UV>(d: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    return this.get('getMapState').getMapState(d);
  }
  getReducingState<T>(d: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.get('getReducingState').getReducingState(d);
  }
  getAggregatingState<IN, ACC, OUT>(d: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.get('getAggregatingState').getAggregatingState(d);
  }
}
