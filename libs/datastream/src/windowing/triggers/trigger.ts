import type { MergingState, State, StateDescriptor } from '@riffle/state';
import type { Window } from '../windows/window.js';

/**
 * What a trigger decides for a window (Flink's `TriggerResult`): whether to evaluate the window
 * function on the window's contents now (`fire`), and whether to drop the contents afterwards
 * (`purge`). Window metadata (timers, trigger state) is not purged: that happens when the
 * window is cleaned up.
 */
export class TriggerResult {
  /** Do nothing. */
  static readonly CONTINUE = new TriggerResult('CONTINUE', false, false);
  /** Evaluate the window and keep its contents. */
  static readonly FIRE = new TriggerResult('FIRE', true, false);
  /** Drop the window's contents without evaluating them. */
  static readonly PURGE = new TriggerResult('PURGE', false, true);
  /** Evaluate the window, then drop its contents. */
  static readonly FIRE_AND_PURGE = new TriggerResult('FIRE_AND_PURGE', true, true);

  private constructor(
    readonly name: string,
    private readonly fire: boolean,
    private readonly purge: boolean,
  ) {}

  isFire(): boolean {
    return this.fire;
  }

  isPurge(): boolean {
    return this.purge;
  }

  toString(): string {
    return this.name;
  }
}

/**
 * What a trigger may do while it runs (Flink's `Trigger.TriggerContext`). Every call refers to
 * the key and window the trigger was invoked for; the context is only valid during that call.
 */
export interface TriggerContext {
  /** The current processing time (the task's clock). */
  getCurrentProcessingTime(): number;
  /** The operator's current event-time watermark. */
  getCurrentWatermark(): number;
  /** Calls `onProcessingTime(time)` for this key and window once processing time reaches `time`. */
  registerProcessingTimeTimer(time: number): void;
  /** Calls `onEventTime(time)` for this key and window once the watermark reaches `time`. */
  registerEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  /**
   * State of this trigger for the current key and window (the window is the state's namespace).
   * Clear it in `clear`, or it outlives the window.
   */
  getPartitionedState<S extends State>(descriptor: StateDescriptor<S>): S;
}

/** The context of {@link Trigger.onMerge}: the trigger state of the merged windows can be merged into the new window. */
export interface OnMergeContext extends TriggerContext {
  /** Merges the state of `descriptor` (a list, reducing or aggregating state) of the merged windows into the current window. */
  mergePartitionedState(descriptor: StateDescriptor<MergingState<any, any>>): void;
}

/**
 * Decides when a window is evaluated and purged (Flink's `Trigger`). One trigger object serves
 * every key and window of an operator instance, so keep per-window data in
 * `ctx.getPartitionedState`, never in fields.
 *
 * Call order, per window: `onElement` for each element added, `onEventTime`/`onProcessingTime`
 * for the trigger's timers (and for the window operator's cleanup timer, which a trigger
 * should answer with CONTINUE unless the time is its own), `onMerge` when merging windows
 * (sessions) combine, and `clear` once when the window is dropped. All calls are synchronous and
 * happen on the task thread, per key; none may block.
 */
export abstract class Trigger<T, W extends Window> {
  /** Called for every element added to `window`. */
  abstract onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult;

  /** Called when a processing-time timer set through `ctx` fires. */
  abstract onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult;

  /** Called when an event-time timer set through `ctx` fires. */
  abstract onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult;

  /** True if this trigger can be used with merging window assigners (it implements `onMerge`). */
  canMerge(): boolean {
    return false;
  }

  /**
   * Called when windows merged into `window`: re-register timers for the new window and merge
   * trigger state (the merged windows' `clear` runs after this).
   */
  onMerge(_window: W, _ctx: OnMergeContext): void {
    throw new Error(`${this.constructor.name} does not support merging`);
  }

  /** Removes the timers and state this trigger holds for `window`: the window is being dropped. */
  abstract clear(window: W, ctx: TriggerContext): void;

  toString(): string {
    return `${this.constructor.name}()`;
  }
}
