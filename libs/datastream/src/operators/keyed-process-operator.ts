import { NO_TIMESTAMP, type OneInputStreamOperator, type StreamRecord } from '@riffle/core';
import type { InternalTimer, Triggerable } from '@riffle/runtime';
import type { VoidNamespace } from '@riffle/state';
import type { KeyedProcessFunctionLike } from '../functions.js';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.js';
import { OperatorProcessContext } from './process-context.js';
import { TimestampedCollector } from './timestamped-collector.js';
import { OnTimerContextImpl, UserTimerService, voidNamespaceIdentity } from './user-timers.js';

type KeyedProcessElement<K, I, O> = Exclude<KeyedProcessFunctionLike<K, I, O>, (...args: any[]) => void>;

/**
 * Runs a `KeyedProcessFunction` on a keyed stream (Flink's KeyedProcessOperator): the record's key
 * is current for keyed state and timers, `ctx.getCurrentKey()` names it, and timers fire
 * `onTimer` with the timer's key current. Records emitted from an event-time timer carry the
 * timer's timestamp; from a processing-time timer, none.
 */
export class KeyedProcessOperator<K, IN, OUT>
  extends AbstractUdfStreamOperator<OUT, KeyedProcessFunctionLike<K, IN, OUT>>
  implements OneInputStreamOperator<IN, OUT>, Triggerable<unknown, VoidNamespace>
{
  private readonly fn: KeyedProcessElement<K, IN, OUT>;
  private collector!: TimestampedCollector<OUT>;
  private context!: OperatorProcessContext<K>;
  private timerContext!: OnTimerContextImpl<K>;

  constructor(fn: KeyedProcessFunctionLike<K, IN, OUT>) {
    super(fn);
    this.fn = typeof fn === 'function' ? { processElement: fn } : fn;
  }

  override open(): void | Promise<void> {
    this.getKeyedStateBackend(); // a clear error when the input is not keyed
    const timers = new UserTimerService(this.getInternalTimerService('user-timers', voidNamespaceIdentity, this));
    this.collector = new TimestampedCollector(this.output);
    this.context = new OperatorProcessContext<K>(this.output, timers);
    this.timerContext = new OnTimerContextImpl<K>(this.output, timers);
    return super.open();
  }

  processElement(record: StreamRecord<IN>): void {
    this.setKeyContextElement(record);
    this.context.key = this.getCurrentKey() as K;
    this.collector.setTimestampFrom(record);
    this.context.record = record;
    this.fn.processElement(record.value, this.context, this.collector);
  }

  onEventTime(timer: InternalTimer<unknown, VoidNamespace>): void {
    this.fire(timer, 'EVENT_TIME');
  }

  onProcessingTime(timer: InternalTimer<unknown, VoidNamespace>): void {
    this.fire(timer, 'PROCESSING_TIME');
  }

  private fire(timer: InternalTimer<unknown, VoidNamespace>, domain: 'EVENT_TIME' | 'PROCESSING_TIME'): void {
    if (!this.fn.onTimer) return;
    const ctx = this.timerContext;
    ctx.domain = domain;
    ctx.key = timer.key as K;
    ctx.time = timer.timestamp;
    this.collector.setTimestamp(domain === 'EVENT_TIME' ? timer.timestamp : NO_TIMESTAMP);
    this.fn.onTimer(timer.timestamp, ctx, this.collector);
  }
}
