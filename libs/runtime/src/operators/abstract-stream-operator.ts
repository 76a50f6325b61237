import {
  MIN_WATERMARK,
  Watermark,
  type KeySelector,
  type Output,
  type RuntimeContext,
  type StreamOperator,
  type StreamOperatorParameters,
  type WatermarkStatus,
} from '@riffle/core';

/**
 * Base class for operators. Stores what `setup` hands over and handles event-time progress the
 * way Flink's AbstractStreamOperator does:
 * - one input: a watermark that advances is applied (`processWatermark`) and forwarded;
 * - two inputs: the operator's watermark is the minimum over the inputs that are not idle;
 *   it is idle only when both inputs are;
 * - watermark status changes are forwarded when the operator's own status changes.
 * Subclasses that fire event-time timers override `processWatermark` and call `super` last.
 */
export abstract class AbstractStreamOperator<OUT> implements StreamOperator<OUT> {
  protected output!: Output<OUT>;
  protected runtimeContext!: RuntimeContext;
  protected keySelectors: ReadonlyArray<KeySelector<any, any> | undefined> = [];
  protected services: ReadonlyMap<string, unknown> = new Map();
  /** The operator's current event-time watermark. */
  protected currentWatermark = MIN_WATERMARK;
  private readonly inputWatermarks = [MIN_WATERMARK, MIN_WATERMARK];
  private readonly inputIdle = [false, false];
  private status: WatermarkStatus = 'ACTIVE';

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

  processWatermarkStatus(status: WatermarkStatus): void {
    this.setStatus(status);
  }

  processWatermark1(mark: Watermark): void {
    this.inputWatermarks[0] = mark.timestamp;
    this.combineWatermarks();
  }

  processWatermark2(mark: Watermark): void {
    this.inputWatermarks[1] = mark.timestamp;
    this.combineWatermarks();
  }

  processWatermarkStatus1(status: WatermarkStatus): void {
    this.inputIdle[0] = status === 'IDLE';
    this.combineStatus();
  }

  processWatermarkStatus2(status: WatermarkStatus): void {
    this.inputIdle[1] = status === 'IDLE';
    this.combineStatus();
  }

  private combineStatus(): void {
    this.setStatus(this.inputIdle[0] && this.inputIdle[1] ? 'IDLE' : 'ACTIVE');
    // An input that became idle no longer holds the other one back.
    this.combineWatermarks();
  }

  private combineWatermarks(): void {
    const [w1, w2] = this.inputWatermarks as [number, number];
    const [i1, i2] = this.inputIdle as [boolean, boolean];
    const combined = i1 && !i2 ? w2 : i2 && !i1 ? w1 : Math.min(w1, w2);
    if (combined > this.currentWatermark) this.processWatermark(new Watermark(combined));
  }

  private setStatus(status: WatermarkStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.output.emitWatermarkStatus(status);
  }
}
