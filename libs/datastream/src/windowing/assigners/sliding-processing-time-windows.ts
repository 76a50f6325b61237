import type { DurationLike, TypeSerializer } from '@riffle/core';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.js';
import type { Trigger } from '../triggers/trigger.js';
import { TimeWindowSerializer, type TimeWindow } from '../windows/time-window.js';
import { TimeWindowCache } from './time-window-cache.js';
import { durationArg, WindowAssigner, type WindowAssignerContext } from './window-assigner.js';

/** Sliding windows over processing time (Flink's `SlidingProcessingTimeWindows`). */
export class SlidingProcessingTimeWindows extends WindowAssigner<unknown, TimeWindow> {
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
  static of(size: DurationLike, slide: DurationLike, offset: DurationLike = 0): SlidingProcessingTimeWindows {
    const s = durationArg(size, 'SlidingProcessingTimeWindows.of', 'size');
    const sl = durationArg(slide, 'SlidingProcessingTimeWindows.of', 'slide');
    const o = durationArg(offset, 'SlidingProcessingTimeWindows.of', 'offset');
    if (Math.abs(o) >= sl || s <= 0 || sl <= 0) {
      throw new RangeError(`SlidingProcessingTimeWindows parameters must satisfy abs(offset) < slide and size > 0, got size ${s}, slide ${sl} and offset ${o}`);
    }
    return new SlidingProcessingTimeWindows(s, sl, o);
  }

  assignWindows(_element: unknown, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    return this.cache.sliding(context.getCurrentProcessingTime(), this.size);
  }

  getSize(): number {
    return this.size;
  }

  getSlide(): number {
    return this.slide;
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }

  getWindowSerializer(): TypeSerializer<TimeWindow> {
    return TimeWindowSerializer.INSTANCE;
  }

  isEventTime(): boolean {
    return false;
  }

  override toString(): string {
    return `SlidingProcessingTimeWindows(${this.size}, ${this.slide})`;
  }
}
