import { Types, toMillis, type DurationLike } from '@riffle/core';
import { ReducingStateDescriptor } from '@riffle/state';
import type { Window } from '../windows/window.js';
import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from './trigger.js';

const min = (a: number, b: number): number => Math.min(a, b);

/**
 * Fires every `interval` of event time while the window is open, and at its end (Flink's
 * `ContinuousEventTimeTrigger`). Firing times are aligned to multiples of the interval; the
 * next one is kept in per-window trigger state.
 */
export class ContinuousEventTimeTrigger<W extends Window = Window> extends Trigger<unknown, W> {
  private readonly stateDesc = new ReducingStateDescriptor<number>('fire-time', min, Types.NUMBER);

  private constructor(private readonly interval: number) {
    super();
  }

  /** Fires every `interval` (a `Time` or ms > 0). */
  static of<W extends Window = Window>(interval: DurationLike): ContinuousEventTimeTrigger<W> {
    const ms = toMillis(interval);
    if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`ContinuousEventTimeTrigger.of: the interval must be > 0 ms, got ${ms}`);
    return new ContinuousEventTimeTrigger<W>(ms);
  }

  onElement(_element: unknown, timestamp: number, window: W, ctx: TriggerContext): TriggerResult {
    // The watermark is already past the window: fire at once.
    if (window.maxTimestamp() <= ctx.getCurrentWatermark()) return TriggerResult.FIRE;
    ctx.registerEventTimeTimer(window.maxTimestamp());
    const fireTimestamp = ctx.getPartitionedState(this.stateDesc);
    if (fireTimestamp.get() === undefined) this.registerNextFireTimestamp(timestamp - (timestamp % this.interval), window, ctx);
    return TriggerResult.CONTINUE;
  }

  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    if (time === window.maxTimestamp()) return TriggerResult.FIRE;
    const fireTimestampState = ctx.getPartitionedState(this.stateDesc);
    const fireTimestamp = fireTimestampState.get();
    if (fireTimestamp === time) {
      fireTimestampState.clear();
      this.registerNextFireTimestamp(time, window, ctx);
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  onProcessingTime(_time: number, _window: W, _ctx: TriggerContext): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  override canMerge(): boolean {
    return true;
  }

  override onMerge(_window: W, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.stateDesc);
    const next = ctx.getPartitionedState(this.stateDesc).get();
    if (next !== undefined) ctx.registerEventTimeTimer(next);
  }

  clear(_window: W, ctx: TriggerContext): void {
    const fireTimestamp = ctx.getPartitionedState(this.stateDesc);
    const timestamp = fireTimestamp.get();
    if (timestamp !== undefined) {
      ctx.deleteEventTimeTimer(timestamp);
      fireTimestamp.clear();
    }
  }

  getInterval(): number {
    return this.interval;
  }

  override toString(): string {
    return `ContinuousEventTimeTrigger(${this.interval})`;
  }

  private registerNextFireTimestamp(time: number, window: W, ctx: TriggerContext): void {
    const next = Math.min(time + this.interval, window.maxTimestamp());
    ctx.getPartitionedState(this.stateDesc).add(next);
    ctx.registerEventTimeTimer(next);
  }
}
