import type { Window } from '../windows/window.js';
import { removeWhere, type Evictor, type EvictorContext, type TimestampedValue } from './evictor.js';

/** Measures the distance between two elements (Flink's `DeltaFunction`). */
export interface DeltaFunction<T> {
  getDelta(oldDataPoint: T, newDataPoint: T): number;
}

/** A {@link DeltaFunction} or a plain `(old, new) => number`. */
export type DeltaFunctionLike<T> = DeltaFunction<T> | ((oldDataPoint: T, newDataPoint: T) => number);

/**
 * Drops every element whose delta to the last element of the window is at least `threshold`
 * (Flink's `DeltaEvictor`). Evicts before the window function unless `doEvictAfter`.
 */
export class DeltaEvictor<T> implements Evictor<T, Window> {
  private readonly deltaFunction: DeltaFunction<T>;

  private constructor(
    private readonly threshold: number,
    deltaFunction: DeltaFunctionLike<T>,
    private readonly doEvictAfter: boolean,
  ) {
    this.deltaFunction = typeof deltaFunction === 'function' ? { getDelta: deltaFunction } : deltaFunction;
  }

  static of<T>(threshold: number, deltaFunction: DeltaFunctionLike<T>, doEvictAfter = false): DeltaEvictor<T> {
    if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new TypeError(`DeltaEvictor.of: the threshold must be a number, got ${String(threshold)}`);
    if (typeof deltaFunction !== 'function' && typeof deltaFunction?.getDelta !== 'function') {
      throw new TypeError('DeltaEvictor.of: expected a delta function or an object with getDelta');
    }
    return new DeltaEvictor(threshold, deltaFunction, doEvictAfter);
  }

  evictBefore(elements: TimestampedValue<T>[], _size: number, _window: Window, _ctx: EvictorContext): void {
    if (!this.doEvictAfter) this.evict(elements);
  }

  evictAfter(elements: TimestampedValue<T>[], _size: number, _window: Window, _ctx: EvictorContext): void {
    if (this.doEvictAfter) this.evict(elements);
  }

  private evict(elements: TimestampedValue<T>[]): void {
    if (elements.length === 0) return;
    const last = elements[elements.length - 1]!.value;
    removeWhere(elements, (e) => this.deltaFunction.getDelta(e.value, last) >= this.threshold);
  }

  toString(): string {
    return `DeltaEvictor(${this.threshold}${this.doEvictAfter ? ', after' : ''})`;
  }
}
