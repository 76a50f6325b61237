import type { FilterFunction, FilterFunctionLike, OneInputStreamOperator, StreamRecord } from '@riffle/core';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.js';

/** Runs a {@link FilterFunction}: forwards the records for which it returns true. */
export class StreamFilter<T> extends AbstractUdfStreamOperator<T, FilterFunctionLike<T>> implements OneInputStreamOperator<T, T> {
  private readonly predicate: FilterFunction<T>;

  constructor(fn: FilterFunctionLike<T>) {
    super(fn);
    this.predicate = typeof fn === 'function' ? { filter: fn } : fn;
  }

  processElement(record: StreamRecord<T>): void {
    if (this.predicate.filter(record.value)) this.output.collect(record);
  }
}
