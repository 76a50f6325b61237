import type { OneInputStreamOperator, SinkFunction, StreamRecord } from '@riffle/core';
import type { SinkFunctionLike } from '../functions.js';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.js';

/** Runs a per-record `SinkFunction` (`addSink`), Flink's `StreamSink`. */
export class SinkFunctionOperator<T> extends AbstractUdfStreamOperator<never, SinkFunctionLike<T>> implements OneInputStreamOperator<T, never> {
  private readonly sink: SinkFunction<T>;
  private record: StreamRecord<T> | undefined;
  private readonly context = {
    timestamp: (): number | undefined => (this.record && this.record.hasTimestamp() ? this.record.timestamp : undefined),
  };

  constructor(fn: SinkFunctionLike<T>) {
    super(fn);
    this.sink = typeof fn === 'function' ? { invoke: fn } : fn;
  }

  processElement(record: StreamRecord<T>): void {
    this.record = record;
    this.sink.invoke(record.value, this.context);
    this.record = undefined;
  }
}
