import type { FlatMapFunction, FlatMapFunctionLike, OneInputStreamOperator, StreamRecord } from '@riffle/core';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.js';
import { TimestampedCollector } from './timestamped-collector.js';

/** Runs a {@link FlatMapFunction}: any number of output records per input, each with the input's timestamp. */
export class StreamFlatMap<IN, OUT>
  extends AbstractUdfStreamOperator<OUT, FlatMapFunctionLike<IN, OUT>>
  implements OneInputStreamOperator<IN, OUT>
{
  private readonly mapper: FlatMapFunction<IN, OUT>;
  private collector!: TimestampedCollector<OUT>;

  constructor(fn: FlatMapFunctionLike<IN, OUT>) {
    super(fn);
    this.mapper = typeof fn === 'function' ? { flatMap: fn } : fn;
  }

  override open(): void | Promise<void> {
    this.collector = new TimestampedCollector(this.output);
    return super.open();
  }

  processElement(record: StreamRecord<IN>): void {
    this.collector.setTimestampFrom(record);
    this.mapper.flatMap(record.value, this.collector);
  }
}
