import { formatDateTime, granularityOf } from './date-time-format.js';

/** What a {@link BucketAssigner} may look at besides the element (Flink's `BucketAssigner.Context`). */
export interface BucketAssignerContext {
  /** The sink's processing-time clock, in epoch milliseconds. */
  currentProcessingTime(): number;
  /** The sink operator's current watermark. */
  currentWatermark(): number;
  /** The record's event timestamp, or `undefined` when it has none. */
  timestamp(): number | undefined;
}

/**
 * Chooses the bucket (a sub-directory of the sink's base path) of each record. Called
 * synchronously per record on the task thread: it must be cheap and deterministic for a
 * given element and context. The id is a relative path (`/` separates levels); `''` is the
 * base path itself. It must not contain `..` segments or start with `/`.
 */
export interface BucketAssigner<T> {
  getBucketId(element: T, context: BucketAssignerContext): string;
}

/** Every record goes to the base path itself (Flink's `BasePathBucketAssigner`). */
export class BasePathBucketAssigner<T = unknown> implements BucketAssigner<T> {
  getBucketId(): string {
    return '';
  }
}

/**
 * Buckets by time (Flink's `DateTimeBucketAssigner`): the bucket id is a time formatted with
 * `format` (default `yyyy-MM-dd--HH`, one directory per hour) in `timeZone` (an IANA zone,
 * default `UTC`).
 *
 * Which time: the record's event timestamp when it has one, otherwise the sink's processing
 * time. (Flink always uses processing time; using the event timestamp makes bucketing of
 * replayed data deterministic. Records without timestamps behave exactly as in Flink.)
 *
 * Supported pattern letters: `yyyy`, `yy`, `MM`, `dd`, `HH`, `mm`, `ss`, `SSS`; text in
 * single quotes is literal; other characters are copied.
 */
export class DateTimeBucketAssigner<T = unknown> implements BucketAssigner<T> {
  static readonly DEFAULT_FORMAT = 'yyyy-MM-dd--HH';

  private readonly unitMs: number;
  private cachedUnit = Number.NaN;
  private cachedId = '';

  constructor(
    readonly format: string = DateTimeBucketAssigner.DEFAULT_FORMAT,
    readonly timeZone: string = 'UTC',
  ) {
    // Validates the pattern and the zone now (at job build time), not at the first record.
    formatDateTime(0, format, timeZone);
    const unit = granularityOf(format);
    // Zones other than UTC may be offset by quarter hours: never cache coarser than that.
    this.unitMs = timeZone === 'UTC' ? unit : Math.min(unit, 15 * 60_000);
  }

  getBucketId(_element: T, context: BucketAssignerContext): string {
    const time = context.timestamp() ?? context.currentProcessingTime();
    const unit = Math.floor(time / this.unitMs);
    if (unit !== this.cachedUnit) {
      this.cachedId = formatDateTime(time, this.format, this.timeZone);
      this.cachedUnit = unit;
    }
    return this.cachedId;
  }
}
