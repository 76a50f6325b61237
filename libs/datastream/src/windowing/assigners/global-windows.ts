import type { TypeSerializer } from '@riffle/core';
import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from '../triggers/trigger.js';
import { GLOBAL_WINDOW_SERIALIZER, GlobalWindow } from '../windows/global-window.js';
import { WindowAssigner, type WindowAssignerContext } from './window-assigner.js';

/** The default trigger of {@link GlobalWindows}: never fires (Flink's `GlobalWindows.NeverTrigger`). */
export class NeverTrigger extends Trigger<unknown, GlobalWindow> {
  onElement(_element: unknown, _timestamp: number, _window: GlobalWindow, _ctx: TriggerContext): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  onEventTime(_time: number, _window: GlobalWindow, _ctx: TriggerContext): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  onProcessingTime(_time: number, _window: GlobalWindow, _ctx: TriggerContext): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  clear(_window: GlobalWindow, _ctx: TriggerContext): void {}

  override canMerge(): boolean {
    return true;
  }

  override onMerge(_window: GlobalWindow, _ctx: OnMergeContext): void {}
}

/**
 * Puts every element of a key into the one {@link GlobalWindow} (Flink's `GlobalWindows`). The
 * default trigger never fires: give a trigger (e.g. `CountTrigger`), as `countWindow` does.
 */
export class GlobalWindows extends WindowAssigner<unknown, GlobalWindow> {
  private static readonly windows: readonly GlobalWindow[] = Object.freeze([GlobalWindow.get()]);

  private constructor() {
    super();
  }

  static create(): GlobalWindows {
    return new GlobalWindows();
  }

  assignWindows(_element: unknown, _timestamp: number, _context: WindowAssignerContext): readonly GlobalWindow[] {
    return GlobalWindows.windows;
  }

  getDefaultTrigger(): Trigger<unknown, GlobalWindow> {
    return new NeverTrigger();
  }

  getWindowSerializer(): TypeSerializer<GlobalWindow> {
    return GLOBAL_WINDOW_SERIALIZER;
  }

  isEventTime(): boolean {
    return false;
  }

  override toString(): string {
    return 'GlobalWindows()';
  }
}
