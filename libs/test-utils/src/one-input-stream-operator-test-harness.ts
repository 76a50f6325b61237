import { NO_TIMESTAMP, StreamRecord, Watermark, type KeySelectorLike, type OneInputStreamOperator, type WatermarkStatus } from '@riffle/core';
import { AbstractStreamOperatorTestHarness, toKeySelector, type OperatorOrFactory, type StreamOperatorTestHarnessOptions } from './abstract-stream-operator-test-harness.js';

/** Options of a {@link OneInputStreamOperatorTestHarness}. */
export interface OneInputStreamOperatorTestHarnessOptions<IN> extends StreamOperatorTestHarnessOptions {
  /** Makes the input keyed: the operator gets a keyed state backend and timers. */
  readonly keySelector?: KeySelectorLike<IN, unknown>;
}

/**
 * Drives one one-input operator (Flink's `OneInputStreamOperatorTestHarness`): feed records with
 * optional timestamps, watermarks and watermark statuses, advance processing time, run mails,
 * and read what the operator emitted. See {@link AbstractStreamOperatorTestHarness} for the
 * lifecycle, snapshots and output accessors.
 *
 * ```ts
 * const harness = await new OneInputStreamOperatorTestHarness(new StreamMap((x: number) => x * 2)).open();
 * harness.processElement(1, 10);
 * harness.processWatermark(10);
 * expect(harness.getOutput()).toEqual([{ value: 2, timestamp: 10 }, { watermark: 10 }]);
 * ```
 *
 * The harness passes the operator one reused `StreamRecord`, as the network input does, so an
 * operator that keeps the record object instead of its value is caught.
 */
export class OneInputStreamOperatorTestHarness<IN, OUT, OP extends OneInputStreamOperator<IN, OUT> = OneInputStreamOperator<IN, OUT>> extends AbstractStreamOperatorTestHarness<
  OUT,
  OP
> {
  private readonly record = new StreamRecord<IN>(undefined as IN);

  constructor(operator: OperatorOrFactory<OP>, options: OneInputStreamOperatorTestHarnessOptions<IN> = {}) {
    super(operator, [options.keySelector === undefined ? undefined : toKeySelector(options.keySelector)], options);
  }

  /** Processes one record; without `timestamp` the record carries none. */
  processElement(value: IN, timestamp?: number): void {
    this.checkOpen();
    this.operator.processElement(this.record.replaceWithTimestamp(value, timestamp ?? NO_TIMESTAMP));
  }

  /** Processes several records in order, all without timestamps or all at `timestamp`. */
  processElements(values: Iterable<IN>, timestamp?: number): void {
    for (const value of values) this.processElement(value, timestamp);
  }

  /** Processes a watermark. */
  processWatermark(timestamp: number): void {
    this.checkOpen();
    this.operator.processWatermark(new Watermark(timestamp));
  }

  /** Marks the input idle or active again. */
  processWatermarkStatus(status: WatermarkStatus): void {
    this.checkOpen();
    this.operator.processWatermarkStatus(status);
  }
}
