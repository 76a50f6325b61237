import {
  MIN_WATERMARK,
  Watermark,
  type KeySelector,
  type Output,
  type RuntimeContext,
  type StreamOperator,
  type StreamOperatorParameters,
} from '@riffle/core';

/**
 * Base class for operators. Stores what `setup` hands over, forwards watermarks by default and,
 * for two-input operators, combines the two input watermarks by their minimum (as Flink does).
 * Subclasses override what they need; the per-record methods stay on the subclass.
 */
export abstract class AbstractStreamOperator<OUT> implements StreamOperator<OUT> {
  protected output!: Output<OUT>;
  protected runtimeContext!: RuntimeContext;
  protected keySelectors: ReadonlyArray<KeySelector<any, any> | undefined> = [];
  protected services: ReadonlyMap<string, unknown> = new Map();
  /** The operator's current event-time watermark. */
  protected currentWatermark = MIN_WATERMARK;
  private input1Watermark = MIN_WATERMARK;
  private input2Watermark = MIN_WATERMARK;

  setup(params: StreamOperatorParameters<OUT>): void {
    this.output = params.output;
    this.runtimeContext = params.runtimeContext;
    this.keySelectors = params.keySelectors;
    this.services = params.services;
  }

  open(): void | Promise<void> {}

  finish(): void | Promise<void> {}

  close(): void | Promise<void> {}

  /** Advances the operator's watermark and forwards it. Subclasses that fire timers override and call super. */
  processWatermark(mark: Watermark): void {
    if (mark.timestamp <= this.currentWatermark) return;
    this.currentWatermark = mark.timestamp;
    this.output.emitWatermark(mark);
  }

  processWatermark1(mark: Watermark): void {
    this.input1Watermark = mark.timestamp;
    this.combineWatermarks();
  }

  processWatermark2(mark: Watermark): void {
    this.input2Watermark = mark.timestamp;
    this.combineWatermarks();
  }

  private combineWatermarks(): void {
    const combined = Math.min(this.input1Watermark, this.input2Watermark);
    if (combined > this.currentWatermark) this.processWatermark(new Watermark(combined));
  }
}
