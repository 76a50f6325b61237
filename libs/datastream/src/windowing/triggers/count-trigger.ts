import { Types } from '@riffle/core';
import { ReducingStateDescriptor } from '@riffle/state';
import type { Window } from '../windows/window.js';
import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from './trigger.js';

const sum = (a: number, b: number): number => a + b;

/**
 * Fires when the window holds `maxCount` elements since it last fired (Flink's `CountTrigger`).
 * The count lives in per-window trigger state and restarts after every firing; the window's
 * contents are kept unless wrapped in `PurgingTrigger`.
 */
export class CountTrigger<W extends Window = Window> extends Trigger<unknown, W> {
  private readonly stateDesc = new ReducingStateDescriptor<number>('count', sum, Types.NUMBER);

  private constructor(private readonly maxCount: number) {
    super();
  }

  /** Fires every `maxCount` elements (`maxCount` ≥ 1). */
  static of<W extends Window = Window>(maxCount: number): CountTrigger<W> {
    if (!Number.isInteger(maxCount) || maxCount < 1) throw new RangeError(`CountTrigger.of: the count must be an integer >= 1, got ${maxCount}`);
    return new CountTrigger<W>(maxCount);
  }

  onElement(_element: unknown, _timestamp: number, _window: W, ctx: TriggerContext): TriggerResult {
    const count = ctx.getPartitionedState(this.stateDesc);
    count.add(1);
    if (count.get()! >= this.maxCount) {
      count.clear();
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  onEventTime(_time: number, _window: W, _ctx: TriggerContext): TriggerResult {
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
  }

  clear(_window: W, ctx: TriggerContext): void {
    ctx.getPartitionedState(this.stateDesc).clear();
  }

  override toString(): string {
    return `CountTrigger(${this.maxCount})`;
  }
}
