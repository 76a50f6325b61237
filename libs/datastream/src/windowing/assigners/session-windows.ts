import { NO_TIMESTAMP, type DurationLike, type TypeSerializer } from '@riffle/core';
import { EventTimeTrigger } from '../triggers/event-time-trigger.js';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.js';
import type { Trigger } from '../triggers/trigger.js';
import { TimeWindow, TimeWindowSerializer } from '../windows/time-window.js';
import { missingTimestamp } from './tumbling-event-time-windows.js';
import { durationArg, MergingWindowAssigner, type MergeCallback, type WindowAssignerContext } from './window-assigner.js';

/** Computes the session gap of an element, in ms (Flink's `SessionWindowTimeGapExtractor`). */
export interface SessionWindowTimeGapExtractor<T> {
  extract(element: T): number;
}

/** A {@link SessionWindowTimeGapExtractor} or a plain `(element) => ms`. */
export type SessionWindowTimeGapExtractorLike<T> = SessionWindowTimeGapExtractor<T> | ((element: T) => number);

function toExtractor<T>(e: SessionWindowTimeGapExtractorLike<T>, api: string): SessionWindowTimeGapExtractor<T> {
  if (typeof e === 'function') return { extract: e };
  if (e !== null && typeof e === 'object' && typeof e.extract === 'function') return e;
  throw new TypeError(`${api}: expected a gap extractor function or an object with extract`);
}

function checkGap(gap: number, api: string): number {
  if (!(gap > 0)) throw new RangeError(`${api}: the session gap must be > 0 ms, got ${gap}`);
  return gap;
}

function dynamicGap<T>(extractor: SessionWindowTimeGapExtractor<T>, element: T): number {
  const gap = extractor.extract(element);
  if (!(gap > 0)) throw new RangeError(`Dynamic session time gap must satisfy 0 < gap, got ${gap}`);
  return gap;
}

/**
 * Base of the session assigners: each element opens the window `[t, t + gap)`; windows of a
 * key that overlap or touch merge into one session (Flink's `TimeWindow.mergeWindows`).
 */
abstract class SessionWindows<T> extends MergingWindowAssigner<T, TimeWindow> {
  mergeWindows(windows: readonly TimeWindow[], callback: MergeCallback<TimeWindow>): void {
    TimeWindow.mergeWindows(windows, callback);
  }

  getWindowSerializer(): TypeSerializer<TimeWindow> {
    return TimeWindowSerializer.INSTANCE;
  }
}

/**
 * Event-time session windows (Flink's `EventTimeSessionWindows`): a session of a key ends when
 * no element arrives for `gap` of event time.
 */
export class EventTimeSessionWindows extends SessionWindows<unknown> {
  private constructor(private readonly gap: number) {
    super();
  }

  /** Sessions that close after `gap` (a `Time` or ms > 0) without elements. */
  static withGap(gap: DurationLike): EventTimeSessionWindows {
    return new EventTimeSessionWindows(checkGap(durationArg(gap, 'EventTimeSessionWindows.withGap', 'gap'), 'EventTimeSessionWindows.withGap'));
  }

  /** Sessions whose gap each element decides (`extractor(element)` in ms, > 0). */
  static withDynamicGap<T>(extractor: SessionWindowTimeGapExtractorLike<T>): DynamicEventTimeSessionWindows<T> {
    return new DynamicEventTimeSessionWindows(toExtractor(extractor, 'EventTimeSessionWindows.withDynamicGap'));
  }

  assignWindows(_element: unknown, timestamp: number, _context: WindowAssignerContext): readonly TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestamp('EventTimeSessionWindows');
    return [new TimeWindow(timestamp, timestamp + this.gap)];
  }

  getGap(): number {
    return this.gap;
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create();
  }

  isEventTime(): boolean {
    return true;
  }

  override toString(): string {
    return `EventTimeSessionWindows(${this.gap})`;
  }
}

/** Event-time sessions with a per-element gap (Flink's `DynamicEventTimeSessionWindows`). */
export class DynamicEventTimeSessionWindows<T> extends SessionWindows<T> {
  /** @internal use `EventTimeSessionWindows.withDynamicGap` */
  constructor(private readonly extractor: SessionWindowTimeGapExtractor<T>) {
    super();
  }

  assignWindows(element: T, timestamp: number, _context: WindowAssignerContext): readonly TimeWindow[] {
    if (timestamp === NO_TIMESTAMP) throw missingTimestamp('DynamicEventTimeSessionWindows');
    return [new TimeWindow(timestamp, timestamp + dynamicGap(this.extractor, element))];
  }

  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return EventTimeTrigger.create();
  }

  isEventTime(): boolean {
    return true;
  }
}

/**
 * Processing-time session windows (Flink's `ProcessingTimeSessionWindows`): a session of a key
 * ends when no element arrives for `gap` of processing time.
 */
export class ProcessingTimeSessionWindows extends SessionWindows<unknown> {
  private constructor(private readonly gap: number) {
    super();
  }

  /** Sessions that close after `gap` (a `Time` or ms > 0) without elements. */
  static withGap(gap: DurationLike): ProcessingTimeSessionWindows {
    return new ProcessingTimeSessionWindows(checkGap(durationArg(gap, 'ProcessingTimeSessionWindows.withGap', 'gap'), 'ProcessingTimeSessionWindows.withGap'));
  }

  /** Sessions whose gap each element decides (`extractor(element)` in ms, > 0). */
  static withDynamicGap<T>(extractor: SessionWindowTimeGapExtractorLike<T>): DynamicProcessingTimeSessionWindows<T> {
    return new DynamicProcessingTimeSessionWindows(toExtractor(extractor, 'ProcessingTimeSessionWindows.withDynamicGap'));
  }

  assignWindows(_element: unknown, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    const now = context.getCurrentProcessingTime();
    return [new TimeWindow(now, now + this.gap)];
  }

  getGap(): number {
    return this.gap;
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }

  isEventTime(): boolean {
    return false;
  }

  override toString(): string {
    return `ProcessingTimeSessionWindows(${this.gap})`;
  }
}

/** Processing-time sessions with a per-element gap (Flink's `DynamicProcessingTimeSessionWindows`). */
export class DynamicProcessingTimeSessionWindows<T> extends SessionWindows<T> {
  /** @internal use `ProcessingTimeSessionWindows.withDynamicGap` */
  constructor(private readonly extractor: SessionWindowTimeGapExtractor<T>) {
    super();
  }

  assignWindows(element: T, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    const now = context.getCurrentProcessingTime();
    return [new TimeWindow(now, now + dynamicGap(this.extractor, element))];
  }

  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return ProcessingTimeTrigger.create();
  }

  isEventTime(): boolean {
    return false;
  }
}
