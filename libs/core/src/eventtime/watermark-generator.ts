/**
 * Event-time contracts (Flink's `org.apache.flink.api.common.eventtime`). A WatermarkGenerator
 * sees every event (`onEvent`) and is asked periodically (`onPeriodicEmit`, every
 * `autoWatermarkInterval` ms) for progress; it emits watermarks and idleness through a
 * {@link WatermarkOutput}. Both calls run on the task thread, never concurrently, and must not block.
 */

/** Where a generator emits event-time progress. Emitting a watermark marks the output active again. */
export interface WatermarkOutput {
  /** Emits a watermark (ms). Watermarks that do not advance are ignored. */
  emitWatermark(timestamp: number): void;
  /** This output will produce no events for a while: it must not hold back downstream watermarks. */
  markIdle(): void;
  /** Ends idleness without emitting a watermark. */
  markActive(): void;
}

export interface WatermarkGenerator<T> {
  /** Called for every event, with the timestamp the assigner gave it. Punctuated generators emit here. */
  onEvent(event: T, eventTimestamp: number, output: WatermarkOutput): void;
  /** Called every auto-watermark interval. Periodic generators emit here. */
  onPeriodicEmit(output: WatermarkOutput): void;
}

/** Extracts an event's timestamp (ms). `recordTimestamp` is the timestamp the record already had, or -Infinity. */
export interface TimestampAssigner<T> {
  extractTimestamp(element: T, recordTimestamp: number): number;
}

export type TimestampAssignerLike<T> = TimestampAssigner<T> | ((element: T, recordTimestamp: number) => number);

/** What a generator or assigner factory may use. */
export interface WatermarkGeneratorContext {
  /** The current processing time (ms), from the task's clock. */
  currentProcessingTime(): number;
}

/**
 * Flink's `BoundedOutOfOrdernessWatermarks`: once an event with timestamp T was seen, no event
 * older than T − bound follows, so the watermark is `maxTimestamp − bound − 1`, emitted periodically.
 */
export class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T> {
  private maxTimestamp: number;

  constructor(private readonly outOfOrdernessMs: number) {
    if (!(outOfOrdernessMs >= 0)) throw new Error(`the maximum out-of-orderness must be >= 0 ms, got ${outOfOrdernessMs}`);
    this.maxTimestamp = Number.NEGATIVE_INFINITY;
  }

  onEvent(_event: T, eventTimestamp: number): void {
    if (eventTimestamp > this.maxTimestamp) this.maxTimestamp = eventTimestamp;
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    if (this.maxTimestamp !== Number.NEGATIVE_INFINITY) output.emitWatermark(this.maxTimestamp - this.outOfOrdernessMs - 1);
  }
}

/** Flink's `AscendingTimestampsWatermarks`: bounded out-of-orderness with a bound of 0. */
export class AscendingTimestampsWatermarks<T> extends BoundedOutOfOrdernessWatermarks<T> {
  constructor() {
    super(0);
  }
}

/** Emits no watermarks at all (`WatermarkStrategy.noWatermarks()`). */
export class NoWatermarksGenerator<T> implements WatermarkGenerator<T> {
  onEvent(): void {}
  onPeriodicEmit(): void {}
}

/**
 * Wraps a generator and marks the output idle when no event arrived for `idleTimeoutMs` of
 * processing time, checked at each periodic emit (Flink's `WatermarksWithIdleness`).
 */
export class WatermarksWithIdleness<T> implements WatermarkGenerator<T> {
  private counter = 0;
  private lastCounter = 0;
  private startOfInactivity = 0;
  private idle = false;

  constructor(
    private readonly inner: WatermarkGenerator<T>,
    private readonly idleTimeoutMs: number,
    private readonly clock: () => number,
  ) {
    if (!(idleTimeoutMs > 0)) throw new Error(`the idle timeout must be > 0 ms, got ${idleTimeoutMs}`);
  }

  onEvent(event: T, eventTimestamp: number, output: WatermarkOutput): void {
    this.inner.onEvent(event, eventTimestamp, output);
    this.counter++;
    if (this.idle) {
      this.idle = false;
      output.markActive();
    }
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    if (this.checkIfIdle()) {
      if (!this.idle) {
        this.idle = true;
        output.markIdle();
      }
    } else {
      this.inner.onPeriodicEmit(output);
    }
  }

  private checkIfIdle(): boolean {
    if (this.counter !== this.lastCounter) {
      this.lastCounter = this.counter;
      this.startOfInactivity = 0;
      return false;
    }
    const now = this.clock();
    if (this.startOfInactivity === 0) {
      this.startOfInactivity = now;
      return false;
    }
    return now - this.startOfInactivity >= this.idleTimeoutMs;
  }
}
