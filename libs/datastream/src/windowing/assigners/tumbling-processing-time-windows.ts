import type { DurationLike, TypeSerializer } from '@riffle/core';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.js';
import type { Trigger } from '../triggers/trigger.js';
import { TimeWindow, TimeWindowSerializer } from '../windows/time-window.js';
import { TimeWindowCache } from './time-window-cache.js';
import { durationArg, WindowAssigner, type WindowAssignerContext } from './window-assigner.js';

/**
 * Tumbling windows over processing time (Flink's `TumblingProcessingTimeWindows`): an element
 * belongs to the window containing the task's current processing time when it arrives.
 */
export class TumblingProcessingTimeWindows extends WindowAssigner<unknown, TimeWindow> {
  private readonly cache: TimeWindowCache;

  private constructor(
    private readonly size: number,
    private readonly offset: number,
  ) {
    super();
    this.cache = new TimeWindowCache(size, offset);
  }

  /** Windows of `size` (a `Time` or ms), shifted by `offset` (|offset| < size). */
  static of(size: DurationLike, offset: DurationLike = 0): TumblingProcessingTimeWindows {
    const s = durationArg(size, 'TumblingProcessingTimeWindows.of', 'size');
    const o = durationArg(offset, 'TumblingProcessingTimeWindows.of', 'offset');
    if (Math.abs(o) >= s || s <= 0) throw new RangeError(`TumblingProcessingTimeWindows parameters must satisfy abs(offset) < size, got size ${s} and offset ${o}`);
    return new TumblingProcessingTimeWindows(s, o % s);
  }

  assignWindows(_element: unknown, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    const now = context.getCurrentProcessingTime();
    const start = TimeWindow.getWindowStartWithOffset(now, this.offset, this.size);
    return this.cache.singleton(start, start + this.size);
  }

  getSize(): number {
    return this.size;
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
    return `TumblingProcessingTimeWindows(${this.size})`;
  }
}
