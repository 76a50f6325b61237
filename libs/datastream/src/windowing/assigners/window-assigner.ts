import { toMillis, type DurationLike, type TypeSerializer } from '@riffle/core';
import type { Trigger } from '../triggers/trigger.js';
import type { Window } from '../windows/window.js';

/** What an assigner can learn while assigning (Flink's `WindowAssigner.WindowAssignerContext`). */
export interface WindowAssignerContext {
  /** The current processing time of the task (processing-time assigners use it instead of the timestamp). */
  getCurrentProcessingTime(): number;
}

/**
 * Assigns each element to zero or more windows (Flink's `WindowAssigner`). An assigner object
 * may be shared by every parallel instance of a window operator and must hold no per-element
 * state. Called synchronously for every element; the returned array is read at once and not
 * kept.
 */
export abstract class WindowAssigner<T, W extends Window> {
  /**
   * The windows `element` belongs to. `timestamp` is the element's event timestamp
   * (`NO_TIMESTAMP`, i.e. -Infinity, when it has none).
   */
  abstract assignWindows(element: T, timestamp: number, context: WindowAssignerContext): readonly W[];

  /** The trigger used when the window operator is given none. */
  abstract getDefaultTrigger(): Trigger<T, W>;

  /** Writes windows into state snapshots (windows are the namespace of the operator's state). */
  abstract getWindowSerializer(): TypeSerializer<W>;

  /** True for event-time assigners: lateness and cleanup then follow the watermark. */
  abstract isEventTime(): boolean;

  toString(): string {
    return this.constructor.name;
  }
}

/** Receives the result of one merge: `toBeMerged` (two or more windows) become `mergeResult`. */
export type MergeCallback<W> = (toBeMerged: W[], mergeResult: W) => void;

/**
 * An assigner whose windows can merge (Flink's `MergingWindowAssigner`), such as session
 * windows: the operator keeps a set of in-flight windows per key and asks the assigner to merge
 * them each time a window is added.
 */
export abstract class MergingWindowAssigner<T, W extends Window> extends WindowAssigner<T, W> {
  /** Determines which of `windows` merge; calls `callback` once per group of merged windows. */
  abstract mergeWindows(windows: readonly W[], callback: MergeCallback<W>): void;
}

/** Converts a `Time` or ms argument, checking that it is a finite number. */
export function durationArg(value: DurationLike, api: string, what: string): number {
  const ms = typeof value === 'number' || (value !== null && typeof value === 'object' && typeof value.toMilliseconds === 'function') ? toMillis(value) : NaN;
  if (!Number.isFinite(ms)) throw new TypeError(`${api}: the ${what} must be a Time or a finite number of ms, got ${String(value)}`);
  return ms;
}
