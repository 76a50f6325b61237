import { NO_TIMESTAMP, StreamRecord, Watermark, type KeySelectorLike, type TwoInputStreamOperator, type WatermarkStatus } from '@riffle/core';
import { AbstractStreamOperatorTestHarness, toKeySelector, type OperatorOrFactory, type StreamOperatorTestHarnessOptions } from './abstract-stream-operator-test-harness.js';

/** Options of a {@link TwoInputStreamOperatorTestHarness}. */
export interface TwoInputStreamOperatorTestHarnessOptions<IN1, IN2> extends StreamOperatorTestHarnessOptions {
  /** Keys the first input (e.g. the keyed side of a broadcast connection). */
  readonly keySelector1?: KeySelectorLike<IN1, unknown>;
  /** Keys the second input. */
  readonly keySelector2?: KeySelectorLike<IN2, unknown>;
}

/**
 * Drives one two-input operator (Flink's `TwoInputStreamOperatorTestHarness`, and its keyed
 * variant when key selectors are given): `processElement1/2`, `processWatermark1/2` (the
 * operator combines them as the minimum over active inputs), `processWatermarkStatus1/2`. See
 * {@link AbstractStreamOperatorTestHarness} for the lifecycle, snapshots and output accessors.
 */
export class TwoInputStreamOperatorTestHarness<
  IN1,
  IN2,
  OUT,
  OP extends TwoInputStreamOperator<IN1, IN2, OUT> = TwoInputStreamOperator<IN1, IN2, OUT>,
> extends AbstractStreamOperatorTestHarness<OUT, OP> {
  private readonly record1 = new StreamRecord<IN1>(undefined as IN1);
  private readonly record2 = new StreamRecord<IN2>(undefined as IN2);

  constructor(operator: OperatorOrFactory<OP>, options: TwoInputStreamOperatorTestHarnessOptions<IN1, IN2> = {}) {
    super(
      operator,
      [
        options.keySelector1 === undefined ? undefined : toKeySelector(options.keySelector1),
        options.keySelector2 === undefined ? undefined : toKeySelector(options.keySelector2),
      ],
      options,
    );
  }

  /** Processes one record of the first input; without `timestamp` it carries none. */
  processElement1(value: IN1, timestamp?: number): void {
    this.checkOpen();
    this.operator.processElement1(this.record1.replaceWithTimestamp(value, timestamp ?? NO_TIMESTAMP));
  }

  /** Processes one record of the second input; without `timestamp` it carries none. */
  processElement2(value: IN2, timestamp?: number): void {
    this.checkOpen();
    this.operator.processElement2(this.record2.replaceWithTimestamp(value, timestamp ?? NO_TIMESTAMP));
  }

  processWatermark1(timestamp: number): void {
    this.checkOpen();
    this.operator.processWatermark1(new Watermark(timestamp));
  }

  processWatermark2(timestamp: number): void {
    this.checkOpen();
    this.operator.processWatermark2(new Watermark(timestamp));
  }

  /** Advances both inputs' watermarks to `timestamp`. */
  processBothWatermarks(timestamp: number): void {
    this.processWatermark1(timestamp);
    this.processWatermark2(timestamp);
  }

  processWatermarkStatus1(status: WatermarkStatus): void {
    this.checkOpen();
    this.operator.processWatermarkStatus1(status);
  }

  processWatermarkStatus2(status: WatermarkStatus): void {
    this.checkOpen();
    this.operator.processWatermarkStatus2(status);
  }
}
