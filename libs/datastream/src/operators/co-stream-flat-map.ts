import type { CoFlatMapFunction, StreamRecord, TwoInputStreamOperator } from '@riffle/core';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.js';
import { TimestampedCollector } from './timestamped-collector.js';

/** Runs a {@link CoFlatMapFunction} over two connected inputs. */
export class CoStreamFlatMap<IN1, IN2, OUT>
  extends AbstractUdfStreamOperator<OUT, CoFlatMapFunction<IN1, IN2, OUT>>
  implements TwoInputStreamOperator<IN1, IN2, OUT>
{
  private collector!: TimestampedCollector<OUT>;

  override open(): void | Promise<void> {
    this.collector = new TimestampedCollector(this.output);
    return super.open();
  }

  processElement1(record: StreamRecord<IN1>): void {
    this.collector.setTimestampFrom(record);
    this.userFunction.flatMap1(record.value, this.collector);
  }

  processElement2(record: StreamRecord<IN2>): void {
    this.collector.setTimestampFrom(record);
    this.userFunction.flatMap2(record.value, this.collector);
  }
}
