import type { Window } from '../windows/window.js';
import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from './trigger.js';

/**
 * Fires once the watermark passes the end of the window (Flink's `EventTimeTrigger`), the
 * default trigger of the event-time assigners. An element added to a window the watermark has
 * already passed (possible with allowed lateness) fires the window again at once.
 */
export class EventTimeTrigger extends Trigger<unknown, Window> {
  private static readonly instance = new EventTimeTrigger();

  private constructor() {
    super();
  }

  /** The shared instance (the trigger holds no data). */
  static create(): EventTimeTrigger {
    return EventTimeTrigger.instance;
  }

  onElement(_element: unknown, _timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    const max = window.maxTimestamp();
    if (max <= ctx.getCurrentWatermark()) return TriggerResult.FIRE;
    ctx.registerEventTimeTimer(max);
    return TriggerResult.CONTINUE;
  }

  onEventTime(time: number, window: Window, _ctx: TriggerContext): TriggerResult {
    return time === window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }

  onProcessingTime(_time: number, _window: Window, _ctx: TriggerContext): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  override canMerge(): boolean {
    return true;
  }

  override onMerge(window: Window, ctx: OnMergeContext): void {
    // Only register a timer if the watermark is not yet past the end of the merged window;
    // otherwise the window fired already and the cleanup timer drops it.
    const max = window.maxTimestamp();
    if (max > ctx.getCurrentWatermark()) ctx.registerEventTimeTimer(max);
  }

  clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }

  override toString(): string {
    return 'EventTimeTrigger()';
  }
}
