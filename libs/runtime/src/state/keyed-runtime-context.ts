import type {
  AggregatingState,
  AggregatingStateDescriptor,
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
