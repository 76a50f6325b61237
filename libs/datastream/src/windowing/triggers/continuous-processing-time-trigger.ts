import { Types, toMillis, type DurationLike } from '@riffle/core';
import { ReducingStateDescriptor } from '@riffle/state';
import type { Window } from '../windows/window.js';
import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from './trigger.js';

const min = (a: number, b: number): number => Math.min(a, b);

/**
 * Fires every `interval` of processing time while elements arrive (Flink's
 * `ContinuousProcessingTimeTrigger`); firing times are aligned to multiples of the interval.
 */
export class ContinuousProcessingTimeTrigger<W extends Window = Window> extends Trigger<unknown, W> {
  private readonly stateDesc = new ReducingStateDescriptor<number>('fire-time', min, Types.NUMBER);

  private constructor(private readonly interval: number) {
    super();
  }

  /** Fires every `interval` (a `Time` or ms > 0). */
  static of<W extends Window = Window>(interval: DurationLike): ContinuousProcessingTimeTrigger<W> {
    const ms = toMillis(interval);
    if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`ContinuousProcessingTimeTrigger.of: the interval must be > 0 ms, got ${ms}`);
    return new ContinuousProcessingTimeTrigger<W>(ms);
  }

  onElement(_element: unknown, _timestamp: number, window: W, ctx: TriggerContext): TriggerResult {
    const fireTimestamp = ctx.getPartitionedState(this.stateDesc);
    if (fireTimestamp.get() === undefined) this.registerNextFireTimestamp(ctx.getCurrentProcessingTime(), window, ctx);
    return TriggerResult.CONTINUE;
  }

  onEventTime(_time: number, _window: W, _ctx: TriggerContext): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    const fireTimestampState = ctx.getPartitionedState(this.stateDesc);
    if (fireTimestampState.get() === time) {
      fireTimestampState.clear();
      this.registerNextFireTimestamp(time, window, ctx);
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  override canMerge(): boolean {
    return true;
  }

  override onMerge(window: W, ctx: OnMergeContext): void {
    // Drop the merged windows' timers' state and re-register the earliest for the new window.
    ctx.mergePartitionedState(this.stateDesc);
    const next = ctx.getPartitionedState(this.stateDesc).get();
    if (next !== undefined) ctx.registerProcessingTimeTimer(Math.min(next, window.maxTimestamp()));
  }

  clear(_window: W, ctx: TriggerContext): void {
    const fireTimestamp = ctx.getPartitionedState(this.stateDesc);
    const timestamp = fireTimestamp.get();
    if (timestamp !== undefined) {
      ctx.deleteProcessingTimeTimer(timestamp);
      fireTimestamp.clear();
    }
  }

  getInterval(): number {
    return this.interval;
  }

  override toString(): string {
    return `ContinuousProcessingTimeTrigger(${this.interval})`;
  }

  private registerNextFireTimestamp(time: number, window: W, ctx: TriggerContext): void {
    const next = Math.min(time - (time % this.interval) + this.interval, window.maxTimestamp());
    ctx.getPartitionedState(this.stateDesc).add(next);
    ctx.registerProcessingTimeTimer(next);
  }
}
