import type { KeySelector, OneInputStreamOperator, ReduceFunction, ReduceFunctionLike, StreamRecord } from '@riffle/core';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.js';
import { extractKey, mapKey, requireKeySelector } from './keys.js';

/**
 * Rolling reduce on a keyed stream (Flink's `StreamGroupedReduceOperator`): for each record,
 * `reduce(current, record)` with the key's current value (the first record of a key is taken as
 * it is) and emits the new value, so every update is emitted. Also runs the built-in
 * aggregations (`sum`, `min`, `max`, `minBy`, `maxBy`).
 *
 * The per-key values live in a `Map` owned by the operator for now; the keyed-state issue moves
 * them into a `ValueState` so that they are checkpointed and redistributed on rescaling.
 */
export class StreamGroupedReduce<T> extends AbstractUdfStreamOperator<T, ReduceFunctionLike<T>> implements OneInputStreamOperator<T, T> {
  private readonly reducer: ReduceFunction<T>;
  /** One mutable holder per key, so an update costs one Map lookup. */
  private readonly values = new Map<unknown, { value: T }>();
  private keySelector!: KeySelector<T, unknown>;
  private name = '';

  constructor(fn: ReduceFunctionLike<T>) {
    super(fn);
    this.reducer = typeof fn === 'function' ? { reduce: fn } : fn;
  }

  override open(): void | Promise<void> {
    this.name = this.runtimeContext.getTaskName();
    this.keySelector = requireKeySelector(this.keySelectors, 0, this.name);
    return super.open();
  }

  processElement(record: StreamRecord<T>): void {
    const key = mapKey(extractKey(this.keySelector, record.value, this.name));
    const holder = this.values.get(key);
    if (holder === undefined) {
      this.values.set(key, { value: record.value });
      this.output.collect(record);
      return;
    }
    const next = this.reducer.reduce(holder.value, record.value);
    holder.value = next;
    this.output.collect(record.replace(next));
  }
}
