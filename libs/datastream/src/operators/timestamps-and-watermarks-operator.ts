import {
  MAX_WATERMARK,
  NO_TIMESTAMP,
  Watermark,
  type OneInputStreamOperator,
  type StreamRecord,
  type TimestampAssigner,
  type WatermarkGenerator,
  type WatermarkOutput,
  type WatermarkStrategy,
} from '@riffle/core';
import { AbstractStreamOperator } from '@riffle/runtime';

/**
 * `assignTimestampsAndWatermarks(strategy)` (Flink's TimestampsAndWatermarksOperator): gives
 * every record the timestamp the strategy's assigner extracts, feeds the watermark generator, and
 * emits its watermarks (periodically every `autoWatermarkIntervalMs`, and whenever a punctuated
 * generator emits). Watermarks from upstream are dropped, except the final maximum watermark of a
 * bounded input. A timestamp that is not a finite number fails the job naming the operator.
 */
export class TimestampsAndWatermarksOperator<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T>, WatermarkOutput {
  private assigner!: TimestampAssigner<T>;
  private generator!: WatermarkGenerator<T>;
  private emitted = Number.NEGATIVE_INFINITY;
  private idle = false;
  private cancelPeriodic: (() => void) | undefined;

  constructor(
    private readonly strategy: WatermarkStrategy<T>,
    private readonly autoWatermarkIntervalMs: () => number,
  ) {
    super();
  }

  override open(): void {
    const time = this.getProcessingTimeService();
    this.assigner = this.strategy.createTimestampAssigner();
    this.generator = this.strategy.createWatermarkGenerator({ currentProcessingTime: () => time.getCurrentProcessingTime() });
    const interval = this.autoWatermarkIntervalMs();
    if (interval > 0) this.cancelPeriodic = time.scheduleAtFixedRate(() => this.generator.onPeriodicEmit(this), interval, interval);
  }

  processElement(record: StreamRecord<T>): void {
    const value = record.value;
    const ts = this.assigner.extractTimestamp(value, record.hasTimestamp() ? record.timestamp : NO_TIMESTAMP);
    if (typeof ts !== 'number' || !Number.isFinite(ts)) {
      throw new Error(
        `The timestamp assigner of operator '${this.runtimeContext.getTaskName()}' returned ${typeof ts === 'number' ? String(ts) : typeof ts} ` +
          'for a record; event timestamps must be finite numbers of milliseconds',
      );
    }
    record.timestamp = ts;
    this.output.collect(record);
    this.generator.onEvent(value, ts, this);
  }

  override processWatermark(mark: Watermark): void {
    // Only the end of a bounded input gets through: this operator makes its own watermarks.
    if (mark.timestamp === MAX_WATERMARK && this.emitted !== MAX_WATERMARK) {
      this.emitted = MAX_WATERMARK;
      this.output.emitWatermark(mark);
    }
  }

  // --- WatermarkOutput for the generator ---

  emitWatermark(timestamp: number): void {
    this.markActive();
    if (timestamp <= this.emitted) return; // a watermark that goes back is ignored, as in Flink
    this.emitted = timestamp;
    this.output.emitWatermark(new Watermark(timestamp));
  }

  markIdle(): void {
    if (this.idle) return;
    this.idle = true;
    this.output.emitWatermarkStatus('IDLE');
  }

  markActive(): void {
    if (!this.idle) return;
    this.idle = false;
    this.output.emitWatermarkStatus('ACTIVE');
  }

  override close(): void | Promise<void> {
    this.cancelPeriodic?.();
    return super.close();
  }
}
