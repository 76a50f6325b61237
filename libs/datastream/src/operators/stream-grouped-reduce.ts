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
  private readonly values = new Map<unknown, T>();
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
    const current = this.values.get(key);
    const next = current === undefined && !this.values.has(key) ? record.value : this.reducer.reduce(current as T, record.value);
    this.values.set(key, next);
    this.output.collect(record.replace(next));
  }
}
