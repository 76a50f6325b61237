import type { KeySelector, StreamRecord, TwoInputStreamOperator } from '@riffle/core';
import type { CoProcessFunctionLike, KeyedCoProcessFunctionLike } from '../functions.js';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.js';
import { extractKey, requireKeySelector } from './keys.js';
import { KEYED_TIMERS_PENDING, NON_KEYED_TIMERS, NoTimersTimerService, OperatorProcessContext } from './process-context.js';
import { TimestampedCollector } from './timestamped-collector.js';

/**
 * Runs a `CoProcessFunction` (non-keyed inputs) or a `KeyedCoProcessFunction` (both inputs keyed,
 * `keyed = true`): `processElement1`/`processElement2` per input, side outputs through the
 * context, and in the keyed case `ctx.getCurrentKey()`.
 */
export class CoProcessOperator<K, IN1, IN2, OUT>
  extends AbstractUdfStreamOperator<OUT, CoProcessFunctionLike<IN1, IN2, OUT> | KeyedCoProcessFunctionLike<K, IN1, IN2, OUT>>
  implements TwoInputStreamOperator<IN1, IN2, OUT>
{
  private collector!: TimestampedCollector<OUT>;
  private context!: OperatorProcessContext<K>;
  private keySelector1: KeySelector<IN1, K> | undefined;
  private keySelector2: KeySelector<IN2, K> | undefined;
  private name = '';

  constructor(
    fn: CoProcessFunctionLike<IN1, IN2, OUT> | KeyedCoProcessFunctionLike<K, IN1, IN2, OUT>,
    private readonly keyed: boolean,
  ) {
    super(fn);
  }

  override open(): void | Promise<void> {
    this.name = this.runtimeContext.getTaskName();
    if (this.keyed) {
      this.keySelector1 = requireKeySelector(this.keySelectors, 0, this.name);
      this.keySelector2 = requireKeySelector(this.keySelectors, 1, this.name);
    }
    this.collector = new TimestampedCollector(this.output);
    const timers = new NoTimersTimerService(() => this.currentWatermark, this.keyed ? KEYED_TIMERS_PENDING : NON_KEYED_TIMERS);
    this.context = new OperatorProcessContext<K>(this.output, timers);
    return super.open();
  }

  processElement1(record: StreamRecord<IN1>): void {
    if (this.keySelector1) this.context.key = extractKey(this.keySelector1, record.value, this.name) as K;
    this.collector.setTimestampFrom(record);
    this.context.record = record;
    (this.userFunction as KeyedCoProcessFunctionLike<K, IN1, IN2, OUT>).processElement1(record.value, this.context, this.collector);
  }

  processElement2(record: StreamRecord<IN2>): void {
    if (this.keySelector2) this.context.key = extractKey(this.keySelector2, record.value, this.name) as K;
    this.collector.setTimestampFrom(record);
    this.context.record = record;
    (this.userFunction as KeyedCoProcessFunctionLike<K, IN1, IN2, OUT>).processElement2(record.value, this.context, this.collector);
  }
}
