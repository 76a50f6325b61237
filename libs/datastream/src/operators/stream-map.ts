import type { MapFunction, MapFunctionLike, OneInputStreamOperator, StreamRecord } from '@riffle/core';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.js';

/** Runs a {@link MapFunction}: one output record per input record, with the input's timestamp. */
export class StreamMap<IN, OUT> extends AbstractUdfStreamOperator<OUT, MapFunctionLike<IN, OUT>> implements OneInputStreamOperator<IN, OUT> {
  private readonly mapper: MapFunction<IN, OUT>;

  constructor(fn: MapFunctionLike<IN, OUT>) {
    super(fn);
    this.mapper = typeof fn === 'function' ? { map: fn } : fn;
  }

  processElement(record: StreamRecord<IN>): void {
    this.output.collect(record.replace(this.mapper.map(record.value)));
  }
}
