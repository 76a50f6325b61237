import type { HeapKeyedStateBackend } from './heap/heap-keyed-state-backend.js';
import type { AggregatingStateDescriptor, ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, ValueStateDescriptor } from './state-descriptor.js';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from './state.js';

/**
 * Keyed state accessors as user functions call them on their runtime context (Flink's
 * `KeyedStateStore`, behind `getRuntimeContext().getState(...)`). Each call returns the state
 * object for the descriptor's name, bound to the current key; call in `open` and keep it.
 */
export interface KeyedStateStore {
  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV>;
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>;
}

/** A {@link KeyedStateStore} over a keyed state backend, in the void namespace. */
export class DefaultKeyedStateStore implements KeyedStateStore {
  constructor(private readonly backend: HeapKeyedStateBackend<any>) {}

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.backend.getPartitionedState(descriptor);
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.backend.getPartitionedState(descriptor);
  }

  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    return this.backend.getPartitionedState(descriptor);
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.backend.getPartitionedState(descriptor);
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.backend.getPartitionedState(descriptor);
  }
}
