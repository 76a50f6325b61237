import type { OneInputStreamOperator, StreamRecord } from '@riffle/core';
import type { ProcessFunctionLike } from '../functions.js';
import { AbstractUdfStreamOperator } from './abstract-udf-stream-operator.js';
import { NON_KEYED_TIMERS, NoTimersTimerService, OperatorProcessContext } from './process-context.js';
import { TimestampedCollector } from './timestamped-collector.js';

type ProcessElement<I, O> = Exclude<ProcessFunctionLike<I, O>, (...args: any[]) => void>;

/** Runs a `ProcessFunction` on a non-keyed stream: any outputs, side outputs through `ctx.output`, no timers. */
export class ProcessOperator<IN, OUT> extends AbstractUdfStreamOperator<OUT, ProcessFunctionLike<IN, OUT>> implements OneInputStreamOperator<IN, OUT> {
  private readonly fn: ProcessElement<IN, OUT>;
  private collector!: TimestampedCollector<OUT>;
  private context!: OperatorProcessContext;

  constructor(fn: ProcessFunctionLike<IN, OUT>) {
    super(fn);
    this.fn = typeof fn === 'function' ? { processElement: fn } : fn;
  }

  override open(): void | Promise<void> {
    this.collector = new TimestampedCollector(this.output);
    this.context = new OperatorProcessContext(this.output, new NoTimersTimerService(() => this.currentWatermark, NON_KEYED_TIMERS));
    return super.open();
  }

  processElement(record: StreamRecord<IN>): void {
    this.collector.setTimestampFrom(record);
    this.context.record = record;
    this.fn.processElement(record.value, this.context, this.collector);
  }
}
