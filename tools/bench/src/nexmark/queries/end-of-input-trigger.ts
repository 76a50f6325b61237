import { Trigger, TriggerResult, type TimeWindow, type TriggerContext } from '@riffle/datastream';

/** An event time the final watermark of a bounded input passes and no real event reaches. */
const END_OF_INPUT = Number.MAX_SAFE_INTEGER;

/**
 * Fires a processing-time window when the wall clock passes its end (as Flink's
 * `ProcessingTimeTrigger`) and also when a bounded input ends, so that the windows still open
 * then are not lost (Flink drops them). The end is seen as the final watermark, through an
 * event-time timer at `Number.MAX_SAFE_INTEGER`.
 */
export class ProcessingTimeOrEndOfInputTrigger extends Trigger<unknown, TimeWindow> {
  onElement(_element: unknown, _timestamp: number, window: TimeWindow, ctx: TriggerContext): TriggerResult {
    ctx.registerProcessingTimeTimer(window.maxTimestamp());
    ctx.registerEventTimeTimer(END_OF_INPUT);
    return TriggerResult.CONTINUE;
  }

  onEventTime(time: number, _window: TimeWindow, _ctx: TriggerContext): TriggerResult {
    return time === END_OF_INPUT ? TriggerResult.FIRE_AND_PURGE : TriggerResult.CONTINUE;
  }

  onProcessingTime(_time: number, _window: TimeWindow, _ctx: TriggerContext): TriggerResult {
    return TriggerResult.FIRE_AND_PURGE;
  }

  clear(window: TimeWindow, ctx: TriggerContext): void {
    ctx.deleteProcessingTimeTimer(window.maxTimestamp());
    ctx.deleteEventTimeTimer(END_OF_INPUT);
  }

  override toString(): string {
    return 'ProcessingTimeOrEndOfInputTrigger()';
  }
}
