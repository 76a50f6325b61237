import { toMillis, type DurationLike } from '@riffle/core';
import type { Window } from '../windows/window.js';
import { removeWhere, type Evictor, type EvictorContext, type TimestampedValue } from './evictor.js';

/**
 * Keeps the elements within `windowSize` of the newest element's timestamp: drops every element
 * whose timestamp is at or below `max timestamp - windowSize` (Flink's `TimeEvictor`). Does
 * nothing when the elements carry no timestamps. Evicts before the window function unless
 * `doEvictAfter`.
 */
export class TimeEvictor implements Evictor<unknown, Window> {
  private constructor(
    private readonly windowSize: number,
    private readonly doEvictAfter: boolean,
  ) {}

  /** Keeps elements newer than `max timestamp - windowSize` (a `Time` or ms ≥ 0). */
  static of(windowSize: DurationLike, doEvictAfter = false): TimeEvictor {
    const ms = toMillis(windowSize);
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`TimeEvictor.of: the window size must be >= 0 ms, got ${ms}`);
    return new TimeEvictor(ms, doEvictAfter);
  }

  evictBefore(elements: TimestampedValue<unknown>[], _size: number, _window: Window, _ctx: EvictorContext): void {
    if (!this.doEvictAfter) this.evict(elements);
  }

  evictAfter(elements: TimestampedValue<unknown>[], _size: number, _window: Window, _ctx: EvictorContext): void {
    if (this.doEvictAfter) this.evict(elements);
  }

  getWindowSize(): number {
    return this.windowSize;
  }

  private evict(elements: TimestampedValue<unknown>[]): void {
    // As in Flink, the first element decides whether the contents carry timestamps.
    if (elements.length === 0 || !elements[0]!.hasTimestamp()) return;
    let max = Number.NEGATIVE_INFINITY;
    for (const e of elements) if (e.timestamp > max) max = e.timestamp;
    const cutoff = max - this.windowSize;
    removeWhere(elements, (e) => e.timestamp <= cutoff);
  }

  toString(): string {
    return `TimeEvictor(${this.windowSize}${this.doEvictAfter ? ', after' : ''})`;
  }
}
