/**
 * The elements that flow through a stream: records, watermarks and watermark-status changes.
 *
 * Records are passed between chained operators as a mutable {@link StreamRecord} that the sender
 * may reuse for the next record (as Flink does with object reuse enabled). An operator must
 * therefore never keep a `StreamRecord` beyond the call that received it: keep its `value`.
 */

/** Marker for "this record carries no timestamp". */
export const NO_TIMESTAMP = Number.NEGATIVE_INFINITY;

/** The smallest watermark: nothing is known about event time yet. */
export const MIN_WATERMARK = Number.NEGATIVE_INFINITY;

/** The largest watermark, emitted when a bounded input ends so that every event-time timer and window fires. */
export const MAX_WATERMARK = Number.POSITIVE_INFINITY;

/** A data element with an optional event timestamp (milliseconds since the epoch). */
export class StreamRecord<T> {
  constructor(
    public value: T,
    public timestamp: number = NO_TIMESTAMP,
  ) {}

  /** True when the record carries an event timestamp. */
  hasTimestamp(): boolean {
    return this.timestamp !== NO_TIMESTAMP;
  }

  /** Reuses this object for another value, keeping the timestamp. Returns `this`, retyped. */
  replace<X>(value: X): StreamRecord<X> {
    const self = this as unknown as StreamRecord<X>;
    self.value = value;
    return self;
  }

  /** Reuses this object for another value and timestamp. Returns `this`, retyped. */
  replaceWithTimestamp<X>(value: X, timestamp: number): StreamRecord<X> {
    const self = this as unknown as StreamRecord<X>;
    self.value = value;
    self.timestamp = timestamp;
    return self;
  }

  /** A fresh copy; use when a record must outlive the call that received it. */
  copy(): StreamRecord<T> {
    return new StreamRecord(this.value, this.timestamp);
  }
}

/** Event-time progress: no record with a timestamp at or below `timestamp` is expected any more. */
export class Watermark {
  static readonly MAX = new Watermark(MAX_WATERMARK);
  static readonly MIN = new Watermark(MIN_WATERMARK);
  constructor(public readonly timestamp: number) {}
}

/** Whether an input currently produces data (ACTIVE) or is idle and must not hold back watermarks (IDLE). */
export type WatermarkStatus = 'ACTIVE' | 'IDLE';
