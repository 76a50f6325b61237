import type { TypeSerializer } from '@riffle/core';
import { Trigger, TriggerResult } from '../triggers/trigger.js';
import { GLOBAL_WINDOW_SERIALIZER, GlobalWindow } from '../windows/global-window.js';
import { WindowAssigner } from './window-assigner.js';

/** The default trigger of {@link GlobalWindows}: never fires (Flink's `GlobalWindows.NeverTrigger`). */
export class NeverTrigger extends Trigger<unknown, GlobalWindow> {
  onElement(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }

  clear(): void {}

  override canMerge(): boolean {
    return true;
  }

  override onMerge(): void {}
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

  assignWindows(): readonly GlobalWindow[] {
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
