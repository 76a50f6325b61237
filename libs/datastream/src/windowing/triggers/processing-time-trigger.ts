import type { Window } from '../windows/window.js';
import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from './trigger.js';

/**
 * Fires when processing time passes the end of the window (Flink's `ProcessingTimeTrigger`),
 * the default trigger of the processing-time assigners.
 */
export class ProcessingTimeTrigger extends Trigger<unknown, Window> {
  private static readonly instance = new ProcessingTimeTrigger();

  private constructor() {
    super();
  }

  /** The shared instance (the trigger holds no data). */
  static create(): ProcessingTimeTrigger {
    return ProcessingTimeTrigger.instance;
  }

  onElement(_element: unknown, _timestamp: number, window: Window, ctx: TriggerContext): TriggerResult {
    ctx.registerProcessingTimeTimer(window.maxTimestamp());
    return TriggerResult.CONTINUE;
  }

  onEventTime(_time: number, _window: Window, _ctx: TriggerContext): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  onProcessingTime(_time: number, _window: Window, _ctx: TriggerContext): TriggerResult {
    return TriggerResult.FIRE;
  }

  override canMerge(): boolean {
    return true;
  }

  override onMerge(window: Window, ctx: OnMergeContext): void {
    const max = window.maxTimestamp();
    if (max > ctx.getCurrentProcessingTime()) ctx.registerProcessingTimeTimer(max);
  }

  clear(window: Window, ctx: TriggerContext): void {
    ctx.deleteProcessingTimeTimer(window.maxTimestamp());
  }

  override toString(): string {
    return 'ProcessingTimeTrigger()';
  }
}
