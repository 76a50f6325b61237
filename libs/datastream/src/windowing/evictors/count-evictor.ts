import type { Window } from '../windows/window.js';
import type { Evictor, EvictorContext, TimestampedValue } from './evictor.js';

/**
 * Keeps at most `maxCount` elements in the window, dropping the oldest (first arrived) ones
 * (Flink's `CountEvictor`). Evicts before the window function unless `doEvictAfter`.
 */
export class CountEvictor implements Evictor<unknown, Window> {
  private constructor(
    private readonly maxCount: number,
    private readonly doEvictAfter: boolean,
  ) {}

  /** Keeps the last `maxCount` (≥ 0) elements; before the window function unless `doEvictAfter`. */
  static of(maxCount: number, doEvictAfter = false): CountEvictor {
    if (!Number.isInteger(maxCount) || maxCount < 0) throw new RangeError(`CountEvictor.of: the count must be an integer >= 0, got ${maxCount}`);
    return new CountEvictor(maxCount, doEvictAfter);
  }

  evictBefore(elements: TimestampedValue<unknown>[], size: number, _window: Window, _ctx: EvictorContext): void {
    if (!this.doEvictAfter) this.evict(elements, size);
  }

  evictAfter(elements: TimestampedValue<unknown>[], size: number, _window: Window, _ctx: EvictorContext): void {
    if (this.doEvictAfter) this.evict(elements, size);
  }

  private evict(elements: TimestampedValue<unknown>[], size: number): void {
    if (size <= this.maxCount) return;
    elements.splice(0, size - this.maxCount);
  }

  toString(): string {
    return `CountEvictor(${this.maxCount}${this.doEvictAfter ? ', after' : ''})`;
  }
}
