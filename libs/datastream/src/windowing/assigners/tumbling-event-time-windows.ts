import { NO_TIMESTAMP, type DurationLike, type TypeSerializer } from '@riffle/core';
import { EventTimeTrigger } from '../triggers/event-time-trigger.js';
import type { Trigger } from '../triggers/trigger.js';
import { TimeWindow, TimeWindowSerializer } from '../windows/time-window.js';
import { TimeWindowCache } from './time-window-cache.js';
import { durationArg, WindowAssigner, type WindowAssignerContext } from './window-assigner.js';

/** The error for an element without a timestamp reaching an event-time assigner. */
export function missingTimestamp(assigner: string): Error {
  return new Error(
    `${assigner}: a record has no timestamp (NO_TIMESTAMP). Event-time windows need timestamps: ` +
      'did you forget a WatermarkStrategy (fromSource / assignTimestampsAndWatermarks), or did you mean a processing-time window?',
  );
}

/**
 * Tumbling (fixed-size, non-overlapping) event-time windows (Flink's `TumblingEventTimeWindows`):
 * an element with timestamp `t` belongs to `[start, start + size)` where `start` is aligned to
 * `offset` (windows are aligned to the epoch when the offset is 0; use e.g. `-8 * 3600_000` (ms) with
 * day windows for a time zone).
 */
export class TumblingEventTimeWindows extends WindowAssigner<unknown, TimeWindow> {
  private readonly cache: TimeWindowCache;

  private constructor(
    private readonly size: number,
    private readonly offset: number,
  ) {
    super();
    this.cache = new TimeWindowCache(size, offset);
  }

  /** Windows of `size` (a `Time` or ms), shifted by `offset` (|offset| < size). */
  static of(size: DurationLike, offset: DurationLike = 0): TumblingEventTimeWindows {
    const s = durationArg(size, 'TumblingEventTimeWindows.of', 'size');
    const o = durationArg(offset, 'TumblingEventTimeWindows.of', 'offset');
    if (Math.abs(o) >= s || s <= 0) throw new RangeError(`TumblingEventTimeWindows parameters must satisfy abs(offset) < size, got size ${s} and offset ${o}`);
    return new TumblingEventTimeWindows(s, o % s);
  }

  assignWindows(_element: unknown, timestamp: number, _context: WindowAssignerContext): readonly TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestamp('TumblingEventTimeWindows');
    const start = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.size);
    return this.cache.singleton(start, start + this.size);
  }

  getSize(): number {
    return this.size;
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }

  getWindowSerializer(): TypeSerializer<TimeWindow> {
    return TimeWindowSerializer.INSTANCE;
  }

  isEventTime(): boolean {
    return true;
  }

  override toString(): string {
    return `TumblingEventTimeWindows(${this.size})`;
  }
}
