import type { Window } from '../windows/window.js';
import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from './trigger.js';

/**
 * Turns every FIRE of the nested trigger into FIRE_AND_PURGE (Flink's `PurgingTrigger`): the
 * window's contents are dropped after each evaluation.
 */
export class PurgingTrigger<T, W extends Window> extends Trigger<T, W> {
  private constructor(private readonly nested: Trigger<T, W>) {
    super();
  }

  static of<T, W extends Window>(nested: Trigger<T, W>): PurgingTrigger<T, W> {
    if (!(nested instanceof Trigger)) throw new TypeError('PurgingTrigger.of: expected a Trigger');
    return new PurgingTrigger(nested);
  }

  /** The wrapped trigger. */
  getNestedTrigger(): Trigger<T, W> {
    return this.nested;
  }

  onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onElement(element, timestamp, window, ctx));
  }

  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onEventTime(time, window, ctx));
  }

  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onProcessingTime(time, window, ctx));
  }

  override canMerge(): boolean {
    return this.nested.canMerge();
  }

  override onMerge(window: W, ctx: OnMergeContext): void {
    this.nested.onMerge(window, ctx);
  }

  clear(window: W, ctx: TriggerContext): void {
    this.nested.clear(window, ctx);
  }

  override toString(): string {
    return `PurgingTrigger(${this.nested.toString()})`;
  }
}

function purging(result: TriggerResult): TriggerResult {
  return result.isFire() ? TriggerResult.FIRE_AND_PURGE : result;
}
