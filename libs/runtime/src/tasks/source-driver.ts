import {
  MIN_WATERMARK,
  NO_TIMESTAMP,
  StreamRecord,
  Watermark,
  type InputStatus,
  type Output,
  type ReaderOutput,
  type SourceOutput,
  type SourceReader,
  type SourceSplit,
  type TimestampAssigner,
  type WatermarkGenerator,
  type WatermarkOutput,
  type WatermarkStrategy,
} from '@riffle/core';
import { tagOperatorError } from './operator-error.js';
import type { ProcessingTimeService } from './processing-time-service.js';

/**
 * Drives a SourceReader at the head of a source task (the part of Flink's SourceOperator that
 * emits). `poll` asks the reader for records; they go straight down the chain in one reused
 * StreamRecord. With a WatermarkStrategy, each split gets its own timestamp assigner and
 * watermark generator (records emitted without a split share one more), and the task's
 * watermark is the minimum over the splits that are not idle; when all are idle, the task is.
 */
export class SourceDriver<T> implements ReaderOutput<T> {
  private readonly record = new StreamRecord<T>(undefined as T);
  private readonly outputs = new Map<string, SplitOutput<T>>();
  private main: SplitOutput<T> | undefined;
  private watermark = MIN_WATERMARK;
  private idle = false;
  private cancelPeriodic: (() => void) | undefined;

  constructor(
    readonly reader: SourceReader<T, SourceSplit>,
    private readonly output: Output<T>,
    readonly sourceName: string,
    private readonly strategy: WatermarkStrategy<T> | undefined,
    private readonly time: ProcessingTimeService,
  ) {}

  /** Starts periodic watermark emission (every `intervalMs`; 0 disables it). */
  startPeriodicEmission(intervalMs: number): void {
    if (!this.strategy || intervalMs <= 0) return;
    this.cancelPeriodic = this.time.scheduleAtFixedRate(() => this.emitPeriodic(), intervalMs, intervalMs);
  }

  stop(): void {
    this.cancelPeriodic?.();
  }

  /** End of a bounded input: the maximum watermark, so that every event-time timer and window fires. */
  emitFinalWatermark(): void {
    this.stop();
    if (this.idle) {
      this.idle = false;
      this.output.emitWatermarkStatus('ACTIVE');
    }
    this.watermark = Watermark.MAX.timestamp;
    this.output.emitWatermark(Watermark.MAX);
  }

  poll(): InputStatus {
    try {
      return this.reader.pollNext(this);
    } catch (e) {
      throw tagOperatorError(e, this.sourceName);
    }
  }

  // --- ReaderOutput: records emitted without a split go through the shared "main" output ---

  collect(value: T, timestamp?: number): void {
    if (this.strategy === undefined) {
      this.emitRecord(value, timestamp === undefined ? NO_TIMESTAMP : timestamp);
      return;
    }
    (this.main ??= this.register('')).collect(value, timestamp);
  }

  emitWatermark(timestamp: number): void {
    (this.main ??= this.register('')).emitWatermark(timestamp);
  }

  markIdle(): void {
    (this.main ??= this.register('')).markIdle();
  }

  markActive(): void {
    (this.main ??= this.register('')).markActive();
  }

  createOutputForSplit(splitId: string): SourceOutput<T> {
    if (this.strategy === undefined) return this;
    return this.outputs.get(splitId) ?? this.register(splitId);
  }

  releaseOutputForSplit(splitId: string): void {
    if (this.outputs.delete(splitId)) this.combine();
  }

  // --- internals ---

  /** Emits one record down the chain. */
  emitRecord(value: T, timestamp: number): void {
    const r = this.record;
    r.value = value;
    r.timestamp = timestamp;
    this.output.collect(r);
  }

  private register(splitId: string): SplitOutput<T> {
    const strategy = this.strategy!;
    const out = new SplitOutput<T>(
      this,
      strategy.createTimestampAssigner(),
      strategy.createWatermarkGenerator({ currentProcessingTime: () => this.time.getCurrentProcessingTime() }),
    );
    this.outputs.set(splitId, out);
    return out;
  }

  private emitPeriodic(): void {
    try {
      for (const out of this.outputs.values()) out.generator.onPeriodicEmit(out);
    } catch (e) {
      throw tagOperatorError(e, this.sourceName);
    }
  }

  /** Recomputes the task's watermark and status from the split outputs. */
  combine(): void {
    let min = Number.POSITIVE_INFINITY;
    let active = 0;
    for (const out of this.outputs.values()) {
      if (out.idle) continue;
      active++;
      if (out.watermark < min) min = out.watermark;
    }
    if (active === 0) {
      if (this.outputs.size > 0 && !this.idle) {
        this.idle = true;
        this.output.emitWatermarkStatus('IDLE');
      }
      return;
    }
    if (this.idle) {
      this.idle = false;
      this.output.emitWatermarkStatus('ACTIVE');
    }
    if (min > this.watermark && min !== MIN_WATERMARK) {
      this.watermark = min;
      this.output.emitWatermark(new Watermark(min));
    }
  }

  /** Rejects timestamps that are not finite numbers, naming the source. */
  checkTimestamp(ts: unknown): number {
    // A record that had no timestamp and got none from the assigner stays without one.
    if (ts === NO_TIMESTAMP) return ts;
    if (typeof ts !== 'number' || !Number.isFinite(ts)) {
      throw new Error(
        `The timestamp assigner of source '${this.sourceName}' returned ${typeof ts === 'number' ? String(ts) : typeof ts} for a record; ` +
          'event timestamps must be finite numbers of milliseconds',
      );
    }
    return ts;
  }
}

/** One split's output: its own timestamp assigner, watermark generator, watermark and idleness. */
class SplitOutput<T> implements SourceOutput<T>, WatermarkOutput {
  watermark = MIN_WATERMARK;
  idle = false;

  constructor(
    private readonly driver: SourceDriver<T>,
    private readonly assigner: TimestampAssigner<T>,
    readonly generator: WatermarkGenerator<T>,
  ) {}

  collect(value: T, timestamp?: number): void {
    const ts = this.driver.checkTimestamp(this.assigner.extractTimestamp(value, timestamp === undefined ? NO_TIMESTAMP : timestamp));
    this.driver.emitRecord(value, ts);
    this.generator.onEvent(value, ts, this);
  }

  /** From the generator (or a reader emitting its own watermarks). A watermark that goes back is ignored, as in Flink. */
  emitWatermark(timestamp: number): void {
    const wasIdle = this.idle;
    this.idle = false;
    if (timestamp > this.watermark) this.watermark = timestamp;
    else if (!wasIdle) return;
    this.driver.combine();
  }

  markIdle(): void {
    if (this.idle) return;
    this.idle = true;
    this.driver.combine();
  }

  markActive(): void {
    if (!this.idle) return;
    this.idle = false;
    this.driver.combine();
  }
}
