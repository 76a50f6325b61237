import { HeapKeyedStateBackend, type MergingState, type State, type StateDescriptor } from '@riffle/state';
import type { OnMergeContext } from '../triggers/trigger.js';
import { TimeWindowSerializer, type TimeWindow } from '../windows/time-window.js';

/**
 * A trigger context for unit tests of triggers: timers are recorded per window (as
 * `"<identity>@<time>"` strings) and trigger state lives in a real heap backend under one key.
 */
export class TestingTriggerContext implements OnMergeContext {
  readonly eventTimers = new Set<string>();
  readonly processingTimers = new Set<string>();
  readonly backend = HeapKeyedStateBackend.forSubtask<string>(128, 1, 0);
  watermark = Number.NEGATIVE_INFINITY;
  processingTime = 0;
  window!: TimeWindow;
  mergedWindows: TimeWindow[] = [];

  constructor() {
    this.backend.setCurrentKey('k');
  }

  /** Points the context at `window` (as the operator does before each call). */
  at(window: TimeWindow): this {
    this.window = window;
    return this;
  }

  getCurrentProcessingTime(): number {
    return this.processingTime;
  }
  getCurrentWatermark(): number {
    return this.watermark;
  }
  registerProcessingTimeTimer(time: number): void {
    this.processingTimers.add(`${this.window.identity()}@${time}`);
  }
  registerEventTimeTimer(time: number): void {
    this.eventTimers.add(`${this.window.identity()}@${time}`);
  }
  deleteProcessingTimeTimer(time: number): void {
    this.processingTimers.delete(`${this.window.identity()}@${time}`);
  }
  deleteEventTimeTimer(time: number): void {
    this.eventTimers.delete(`${this.window.identity()}@${time}`);
  }
  getPartitionedState<S extends State>(descriptor: StateDescriptor<S>): S {
    return this.backend.getPartitionedState(this.window, TimeWindowSerializer.INSTANCE, descriptor) as unknown as S;
  }
  mergePartitionedState(descriptor: StateDescriptor<MergingState<any, any>>): void {
    const state = this.backend.getOrCreateKeyedState(TimeWindowSerializer.INSTANCE, descriptor) as unknown as { mergeNamespaces(t: TimeWindow, s: TimeWindow[]): void };
    state.mergeNamespaces(this.window, this.mergedWindows);
  }
}
