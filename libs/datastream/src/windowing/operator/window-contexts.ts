import { StreamRecord, type Collector, type Output, type OutputTag, type TypeSerializer } from '@riffle/core';
import {
  DefaultKeyedStateStore,
  type AggregatingState,
  type AggregatingStateDescriptor,
  type HeapKeyedStateBackend,
  type KeyedStateStore,
  type ListState,
  type ListStateDescriptor,
  type MapState,
  type MapStateDescriptor,
  type MergingState,
  type ReducingState,
  type ReducingStateDescriptor,
  type State,
  type StateDescriptor,
  type ValueState,
  type ValueStateDescriptor,
} from '@riffle/state';
import type { InternalTimerService } from '@riffle/runtime';
import type { EvictorContext } from '../evictors/evictor.js';
import type { ProcessWindowContext } from '../functions/window-functions.js';
import type { OnMergeContext } from '../triggers/trigger.js';
import type { Window } from '../windows/window.js';

/**
 * The context objects of the window operator, one of each per operator instance and reused:
 * the operator points them at the current window before each call. The current key is always
 * the keyed state backend's (set from the record, or from the timer before it fires).
 */

/** The trigger context (Flink's `WindowOperator.Context`), also the merge and evictor context. */
export class WindowTriggerContext<W extends Window> implements OnMergeContext, EvictorContext {
  /** The window the trigger is called for. */
  window!: W;
  /** During `onMerge`: the windows merged into {@link window}. */
  mergedWindows: readonly W[] | undefined;

  constructor(
    private readonly backend: HeapKeyedStateBackend<unknown>,
    private readonly timers: InternalTimerService<W>,
    private readonly windowSerializer: TypeSerializer<W>,
  ) {}

  getCurrentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }

  getCurrentWatermark(): number {
    return this.timers.currentWatermark();
  }

  registerProcessingTimeTimer(time: number): void {
    this.timers.registerProcessingTimeTimer(this.window, time);
  }

  registerEventTimeTimer(time: number): void {
    this.timers.registerEventTimeTimer(this.window, time);
  }

  deleteProcessingTimeTimer(time: number): void {
    this.timers.deleteProcessingTimeTimer(this.window, time);
  }

  deleteEventTimeTimer(time: number): void {
    this.timers.deleteEventTimeTimer(this.window, time);
  }

  getPartitionedState<S extends State>(descriptor: StateDescriptor<S>): S {
    return this.backend.getPartitionedState(this.window, this.windowSerializer, descriptor) as unknown as S;
  }

  mergePartitionedState(descriptor: StateDescriptor<MergingState<any, any>>): void {
    const merged = this.mergedWindows;
    if (merged === undefined || merged.length === 0) return;
    const state = this.backend.getOrCreateKeyedState(this.windowSerializer, descriptor) as unknown as { mergeNamespaces?: (t: W, s: Iterable<W>) => void };
    if (typeof state.mergeNamespaces !== 'function') {
      throw new TypeError(`The given state descriptor '${descriptor.name}' does not refer to a mergeable state (MergingState)`);
    }
    state.mergeNamespaces(this.window, merged);
  }
}

/** Keyed state in the namespace of the current window (Flink's `PerWindowStateStore`). */
class PerWindowStateStore<W extends Window> implements KeyedStateStore {
  window!: W;

  constructor(
    private readonly backend: HeapKeyedStateBackend<unknown>,
    private readonly windowSerializer: TypeSerializer<W>,
  ) {}

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.backend.getPartitionedState(this.window, this.windowSerializer, descriptor);
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.backend.getPartitionedState(this.window, this.windowSerializer, descriptor);
  }

  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    return this.backend.getPartitionedState(this.window, this.windowSerializer, descriptor);
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.backend.getPartitionedState(this.window, this.windowSerializer, descriptor) as unknown as ReducingState<T>;
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.backend.getPartitionedState(this.window, this.windowSerializer, descriptor);
  }
}

/** The context of window functions (Flink's `WindowOperator.WindowContext`). */
export class WindowProcessContext<W extends Window> implements ProcessWindowContext<W> {
  private currentWindow!: W;
  private readonly perWindow: PerWindowStateStore<W>;
  private readonly global: KeyedStateStore;
  private readonly sideRecord = new StreamRecord<unknown>(undefined);

  constructor(
    backend: HeapKeyedStateBackend<unknown>,
    private readonly timers: InternalTimerService<W>,
    windowSerializer: TypeSerializer<W>,
    private readonly out: Output<unknown>,
  ) {
    this.perWindow = new PerWindowStateStore(backend, windowSerializer);
    this.global = new DefaultKeyedStateStore(backend);
  }

  /** Points the context at `window`. */
  setWindow(window: W): void {
    this.currentWindow = window;
    this.perWindow.window = window;
  }

  window(): W {
    return this.currentWindow;
  }

  currentProcessingTime(): number {
    return this.timers.currentProcessingTime();
  }

  currentWatermark(): number {
    return this.timers.currentWatermark();
  }

  windowState(): KeyedStateStore {
    return this.perWindow;
  }

  globalState(): KeyedStateStore {
    return this.global;
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    if (tag === null || tag === undefined) throw new TypeError('output(): the OutputTag must not be null');
    this.out.collectSide(tag, this.sideRecord.replaceWithTimestamp(value, this.currentWindow.maxTimestamp()));
  }
}

/** Emits window results with the window's max timestamp, reusing one record. */
export class WindowResultCollector<T> implements Collector<T> {
  private readonly reuse = new StreamRecord<T>(undefined as T);

  constructor(private readonly output: Output<T>) {}

  setTimestamp(timestamp: number): void {
    this.reuse.timestamp = timestamp;
  }

  collect(value: T): void {
    this.reuse.value = value;
    this.output.collect(this.reuse);
  }
}
