import type { CoMapFunction, StreamRecord, TwoInputStreamOperator } from '@riffle/core';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.js';

/** Runs a {@link CoMapFunction} over two connected inputs: `map1` for the first, `map2` for the second. */
export class CoStreamMap<IN1, IN2, OUT>
  extends AbstractUdfStreamOperator<OUT, CoMapFunction<IN1, IN2, OUT>>
  implements TwoInputStreamOperator<IN1, IN2, OUT>
{
  processElement1(record: StreamRecord<IN1>): void {
    this.output.collect(record.replace(this.userFunction.map1(record.value)));
  }

  processElement2(record: StreamRecord<IN2>): void {
    this.output.collect(record.replace(this.userFunction.map2(record.value)));
  }
}
