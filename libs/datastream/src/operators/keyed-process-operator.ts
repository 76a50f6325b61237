import type { KeySelector, OneInputStreamOperator, StreamRecord } from '@riffle/core';
import type { KeyedProcessFunctionLike } from '../functions.js';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.js';
import { extractKey, requireKeySelector } from './keys.js';
import { KEYED_TIMERS_PENDING, NoTimersTimerService, OperatorProcessContext } from './process-context.js';
import { TimestampedCollector } from './timestamped-collector.js';

type KeyedProcessElement<K, I, O> = Exclude<KeyedProcessFunctionLike<K, I, O>, (...args: any[]) => void>;

/**
 * Runs a `KeyedProcessFunction` on a keyed stream: like {@link ProcessOperator}, and
 * `ctx.getCurrentKey()` names the key of the record being processed.
 */
export class KeyedProcessOperator<K, IN, OUT>
  extends AbstractUdfStreamOperator<OUT, KeyedProcessFunctionLike<K, IN, OUT>>
  implements OneInputStreamOperator<IN, OUT>
{
  private readonly fn: KeyedProcessElement<K, IN, OUT>;
  private collector!: TimestampedCollector<OUT>;
  private context!: OperatorProcessContext<K>;
  private keySelector!: KeySelector<IN, K>;
  private name = '';

  constructor(fn: KeyedProcessFunctionLike<K, IN, OUT>) {
    super(fn);
    this.fn = typeof fn === 'function' ? { processElement: fn } : fn;
  }

  override open(): void | Promise<void> {
    this.name = this.runtimeContext.getTaskName();
    this.keySelector = requireKeySelector(this.keySelectors, 0, this.name);
    this.collector = new TimestampedCollector(this.output);
    this.context = new OperatorProcessContext<K>(this.output, new NoTimersTimerService(() => this.currentWatermark, KEYED_TIMERS_PENDING));
    return super.open();
  }

  processElement(record: StreamRecord<IN>): void {
    this.context.key = extractKey(this.keySelector, record.value, this.name) as K;
    this.collector.setTimestampFrom(record);
    this.context.record = record;
    this.fn.processElement(record.value, this.context, this.collector);
  }
}
