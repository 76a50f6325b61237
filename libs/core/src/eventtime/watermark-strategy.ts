import {
  AscendingTimestampsWatermarks,
  BoundedOutOfOrdernessWatermarks,
  NoWatermarksGenerator,
  WatermarksWithIdleness,
  type TimestampAssigner,
  type TimestampAssignerLike,
  type WatermarkGenerator,
  type WatermarkGeneratorContext,
} from './watermark-generator.js';

/** A duration in ms, or anything with `toMilliseconds()` (such as `Time.seconds(5)`). */
export type DurationLike = number | { toMilliseconds(): number };

export function toMillis(d: DurationLike): number {
  return typeof d === 'number' ? d : d.toMilliseconds();
}

/** The record's own timestamp (from the source), as Flink's `RecordTimestampAssigner`. */
const RECORD_TIMESTAMP: TimestampAssigner<unknown> = { extractTimestamp: (_e, ts) => ts };

/**
 * How a stream gets timestamps and watermarks (Flink's `WatermarkStrategy`): a factory of
 * {@link WatermarkGenerator}s and {@link TimestampAssigner}s, created per source split (in
 * `fromSource`) or per subtask (in `assignTimestampsAndWatermarks`). Immutable: every `with…`
 * returns a new strategy. Building one does nothing; the runtime creates generators in the tasks.
 */
export class WatermarkStrategy<T> {
  private constructor(
    private readonly generatorFactory: (ctx: WatermarkGeneratorContext) => WatermarkGenerator<T>,
    private readonly assigner: TimestampAssigner<T> | undefined,
    /** Idle timeout in ms, or 0 for none. */
    readonly idleTimeoutMs: number,
  ) {}

  /** Watermarks that trail the largest timestamp seen by `maxOutOfOrderness` (plus 1 ms). */
  static forBoundedOutOfOrderness<T>(maxOutOfOrderness: DurationLike): WatermarkStrategy<T> {
    const ms = toMillis(maxOutOfOrderness);
    new BoundedOutOfOrdernessWatermarks(ms); // validates
    return new WatermarkStrategy<T>(() => new BoundedOutOfOrdernessWatermarks<T>(ms), undefined, 0);
  }

  /** For timestamps that never decrease: the watermark follows the largest timestamp seen. */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => new AscendingTimestampsWatermarks<T>(), undefined, 0);
  }

  /** No watermarks: event-time timers and windows never fire (except at the end of bounded input). */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => new NoWatermarksGenerator<T>(), undefined, 0);
  }

  /** A custom generator, created once per split or subtask: periodic (`onPeriodicEmit`) or punctuated (`onEvent`). */
  static forGenerator<T>(supplier: (ctx: WatermarkGeneratorContext) => WatermarkGenerator<T>): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(supplier, undefined, 0);
  }

  /** Takes event timestamps from the records with `assigner` instead of the source's own timestamps. */
  withTimestampAssigner(assigner: TimestampAssignerLike<T>): WatermarkStrategy<T> {
    const a: TimestampAssigner<T> = typeof assigner === 'function' ? { extractTimestamp: assigner } : assigner;
    return new WatermarkStrategy<T>(this.generatorFactory, a, this.idleTimeoutMs);
  }

  /** Marks a split or subtask idle after `idleTimeout` without events, so it does not hold back watermarks. */
  withIdleness(idleTimeout: DurationLike): WatermarkStrategy<T> {
    const ms = toMillis(idleTimeout);
    if (!(ms > 0)) throw new Error(`withIdleness: the idle timeout must be > 0 ms, got ${ms}`);
    return new WatermarkStrategy<T>(this.generatorFactory, this.assigner, ms);
  }

  /** Creates a generator (wrapped for idleness when configured). Called by the runtime. */
  createWatermarkGenerator(ctx: WatermarkGeneratorContext): WatermarkGenerator<T> {
    const g = this.generatorFactory(ctx);
    return this.idleTimeoutMs > 0 ? new WatermarksWithIdleness(g, this.idleTimeoutMs, () => ctx.currentProcessingTime()) : g;
  }

  /** Creates the timestamp assigner; without one, records keep the source's timestamps. Called by the runtime. */
  createTimestampAssigner(): TimestampAssigner<T> {
    return this.assigner ?? (RECORD_TIMESTAMP as TimestampAssigner<T>);
  }

  /** True when a timestamp assigner was set. */
  hasTimestampAssigner(): boolean {
    return this.assigner !== undefined;
  }
}
