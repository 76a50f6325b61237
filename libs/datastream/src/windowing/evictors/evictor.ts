import { NO_TIMESTAMP } from '@riffle/core';
import type { Window } from '../windows/window.js';

/**
 * An element of a window together with its timestamp (Flink's `TimestampedValue`), as evictors
 * see the window's contents.
 */
export class TimestampedValue<T> {
  constructor(
    readonly value: T,
    /** The element's timestamp, or `NO_TIMESTAMP` (-Infinity) when it has none. */
    readonly timestamp: number = NO_TIMESTAMP,
  ) {}

  getValue(): T {
    return this.value;
  }

  getTimestamp(): number {
    return this.timestamp;
  }

  hasTimestamp(): boolean {
    return this.timestamp !== NO_TIMESTAMP;
  }
}

/** What an evictor can learn while it runs (Flink's `Evictor.EvictorContext`). */
export interface EvictorContext {
  getCurrentProcessingTime(): number;
  getCurrentWatermark(): number;
}

/**
 * Removes elements from a window before and/or after the window function runs on a firing
 * (Flink's `Evictor`). Windows with an evictor keep every element (no incremental
 * aggregation), so that elements can be removed.
 *
 * `elements` is the window's contents in arrival order; remove elements by mutating the array
 * in place (`splice`, or compacting and setting `length`). What remains after `evictAfter` is
 * the window's new contents. Both methods run synchronously on the task thread for the key
 * and window being fired.
 */
export interface Evictor<T, W extends Window> {
  /** Runs before the window function; `size` is `elements.length` on entry. */
  evictBefore(elements: TimestampedValue<T>[], size: number, window: W, ctx: EvictorContext): void;
  /** Runs after the window function; `size` is `elements.length` on entry. */
  evictAfter(elements: TimestampedValue<T>[], size: number, window: W, ctx: EvictorContext): void;
}

/** Removes, in place, the elements for which `drop` returns true (keeping the order of the rest). */
export function removeWhere<T>(elements: T[], drop: (element: T) => boolean): void {
  let kept = 0;
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i]!;
    if (!drop(e)) elements[kept++] = e;
  }
  elements.length = kept;
}
