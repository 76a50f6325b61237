import type { OneInputStreamOperator, ReduceFunction, ReduceFunctionLike, StreamRecord } from '@riffle/core';
import { ValueStateDescriptor, type ValueState } from '@riffle/state';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.js';

/**
 * Rolling reduce on a keyed stream (Flink's `StreamGroupedReduceOperator`): for each record,
 * `reduce(current, record)` with the key's current value (the first record of a key is taken as
 * it is) and emits the new value, so every update is emitted. Also runs the built-in
 * aggregations (`sum`, `min`, `max`, `minBy`, `maxBy`). The per-key value is keyed state, so it
 * is snapshotted with checkpoints and redistributed by key group when rescaling.
 */
export class StreamGroupedReduce<T> extends AbstractUdfStreamOperator<T, ReduceFunctionLike<T>> implements OneInputStreamOperator<T, T> {
  private readonly reducer: ReduceFunction<T>;
  private values!: ValueState<T>;

  constructor(fn: ReduceFunctionLike<T>) {
    super(fn);
    this.reducer = typeof fn === 'function' ? { reduce: fn } : fn;
  }

  override open(): void | Promise<void> {
    this.values = this.getKeyedStateBackend().getPartitionedState(new ValueStateDescriptor<T>('_op_state'));
    return super.open();
  }

  processElement(record: StreamRecord<T>): void {
    this.setKeyContextElement(record);
    const current = this.values.value();
    if (current === undefined) {
      this.values.update(record.value);
      this.output.collect(record);
      return;
    }
    const next = this.reducer.reduce(current, record.value);
    this.values.update(next);
    this.output.collect(record.replace(next));
  }
}
