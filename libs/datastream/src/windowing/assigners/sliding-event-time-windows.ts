import { NO_TIMESTAMP, type DurationLike, type TypeSerializer } from '@riffle/core';
import { EventTimeTrigger } from '../triggers/event-time-trigger.js';
import type { Trigger } from '../triggers/trigger.js';
import { TimeWindow, TimeWindowSerializer } from '../windows/time-window.js';
import { TimeWindowCache } from './time-window-cache.js';
import { missingTimestamp } from './tumbling-event-time-windows.js';
import { durationArg, WindowAssigner, type WindowAssignerContext } from './window-assigner.js';

/**
 * Sliding (overlapping) event-time windows of `size`, one starting every `slide` (Flink's
 * `SlidingEventTimeWindows`): an element belongs to `ceil(size / slide)` windows (fewer when the
 * size is not a multiple of the slide, for some timestamps).
 */
export class SlidingEventTimeWindows extends WindowAssigner<unknown, TimeWindow> {
  private readonly cache: TimeWindowCache;

  private constructor(
    private readonly size: number,
    private readonly slide: number,
    private readonly offset: number,
  ) {
    super();
    this.cache = new TimeWindowCache(slide, offset);
  }

  /** Windows of `size` every `slide` (both a `Time` or ms), shifted by `offset` (|offset| < slide). */
  static of(size: DurationLike, slide: DurationLike, offset: DurationLike = 0): SlidingEventTimeWindows {
    const s = durationArg(size, 'SlidingEventTimeWindows.of', 'size');
    const sl = durationArg(slide, 'SlidingEventTimeWindows.of', 'slide');
    const o = durationArg(offset, 'SlidingEventTimeWindows.of', 'offset');
    if (Math.abs(o) >= sl || s <= 0 || sl <= 0) {
      throw new RangeError(`SlidingEventTimeWindows parameters must satisfy abs(offset) < slide and size > 0, got size ${s}, slide ${sl} and offset ${o}`);
    }
    return new SlidingEventTimeWindows(s, sl, o);
  }

  assignWindows(_element: unknown, timestamp: number, _context: WindowAssignerContext): readonly TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestamp('SlidingEventTimeWindows');
    return this.cache.sliding(timestamp, this.size);
  }

  getSize(): number {
    return this.size;
  }

  getSlide(): number {
    return this.slide;
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
    return `SlidingEventTimeWindows(${this.size}, ${this.slide})`;
  }
}
