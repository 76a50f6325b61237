import {
  MAX_WATERMARK,
  type AggregateFunction,
  type OneInputStreamOperator,
  type OutputTag,
  type ReduceFunction,
  type StreamRecord,
  type TypeInformation,
  type TypeSerializer,
} from '@riffle/core';
import type { InternalTimer, InternalTimerService, Triggerable } from '@riffle/runtime';
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
  type HeapKeyedStateBackend,
  type InternalAggregatingState,
  type InternalListState,
  type InternalReducingState,
  type ValueState,
} from '@riffle/state';
import { AbstractUdfStreamOperator } from '../../operators/abstract-udf-stream-operator.js';
import { MergingWindowAssigner, type WindowAssigner, type WindowAssignerContext } from '../assigners/window-assigner.js';
import type { InternalWindowFunction } from '../functions/internal-window-function.js';
import { EventTimeTrigger } from '../triggers/event-time-trigger.js';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger.js';
import type { Trigger } from '../triggers/trigger.js';
import { windowIdentity, type Window } from '../windows/window.js';
import { MergingWindowSet, type MergeFunction, type WindowMapping } from './merging-window-set.js';
import { AggregatingContents, ListContents, ReducingContents, type WindowContents } from './window-contents.js';
import { WindowProcessContext, WindowResultCollector, WindowTriggerContext } from './window-contexts.js';
import { windowMappingType } from './window-state-types.js';

/** How a window operator keeps the contents of its windows. */
export type WindowContentsSpec<IN> =
  /** Reduced on arrival into one value (`reduce`). */
  | { readonly kind: 'reduce'; readonly reduceFunction: ReduceFunction<IN>; readonly typeInfo?: TypeInformation<IN> }
  /** Folded on arrival into an accumulator (`aggregate`); the window function gets `getResult`. */
  | { readonly kind: 'aggregate'; readonly aggregateFunction: AggregateFunction<IN, any, any>; readonly accTypeInfo?: TypeInformation<any> }
  /** Every element (`process`, `apply`). */
  | { readonly kind: 'list'; readonly typeInfo?: TypeInformation<IN> };

/** The configuration of a {@link WindowOperator}. */
export interface WindowOperatorConfig<IN, OUT, K, W extends Window> {
  readonly windowAssigner: WindowAssigner<IN, W>;
  readonly trigger: Trigger<IN, W>;
  readonly contents: WindowContentsSpec<IN>;
  readonly windowFunction: InternalWindowFunction<any, OUT, K, W>;
  /** Event time only: how long after the end of a window late elements still update it (ms, default 0). */
  readonly allowedLateness?: number;
  /** Where elements too late for all their windows go; dropped (and counted) when undefined. */
  readonly lateDataOutputTag?: OutputTag<IN>;
}

/** The name of the timer service and of the contents state, as in Flink. */
export const WINDOW_TIMERS = 'window-timers';
export const WINDOW_CONTENTS_STATE = 'window-contents';
export const MERGING_WINDOW_SET_STATE = 'merging-window-set';

/** Triggers whose `onElement` only (re)registers the same timer for a window that already has contents. */
const enum KnownTrigger {
  OTHER,
  EVENT_TIME,
  PROCESSING_TIME,
}

/**
 * The operator behind `window(...)` (Flink's `WindowOperator`), on a keyed input.
 *
 * Per element: the assigner gives its windows; for each window that is not late (an event-time
 * window is late once the watermark passed its cleanup time, `maxTimestamp + allowedLateness`),
 * the element is added to the window's contents — keyed state in the window's namespace — and
 * the trigger decides whether to fire and/or purge; a cleanup timer is registered at the
 * cleanup time. An element that no window took is late data when its timestamp plus the
 * allowed lateness is at or below the watermark: it goes to the late-data side output, or is
 * dropped and counted. When a timer fires, the trigger decides again; at the cleanup time the
 * window's contents, trigger state and per-window function state are cleared.
 *
 * Merging assigners (sessions) keep a {@link MergingWindowSet} per key in keyed state; merged
 * windows move their contents and trigger state into the result and lose their cleanup timers.
 *
 * Results carry the window's max timestamp. The per-element path is synchronous and
 * allocation-light: one contents lookup per window once a window has contents (the timers of
 * the built-in event-time and processing-time triggers are then known to be registered).
 */
export class WindowOperator<IN, ACC, OUT, K, W extends Window>
  extends AbstractUdfStreamOperator<OUT, unknown>
  implements OneInputStreamOperator<IN, OUT>, Triggerable<unknown, W>
{
  protected readonly windowAssigner: WindowAssigner<IN, W>;
  protected readonly trigger: Trigger<IN, W>;
  protected readonly windowFunction: InternalWindowFunction<ACC, OUT, K, W>;
  protected readonly allowedLateness: number;
  protected readonly lateDataOutputTag: OutputTag<IN> | undefined;
  protected readonly contentsSpec: WindowContentsSpec<IN>;
  private readonly eventTime: boolean;
  private readonly mergingAssigner: MergingWindowAssigner<IN, W> | undefined;
  private readonly knownTrigger: KnownTrigger;

  protected backend!: HeapKeyedStateBackend<unknown>;
  protected timerService!: InternalTimerService<W>;
  protected windowSerializer!: TypeSerializer<W>;
  protected contents!: WindowContents<IN, ACC, W>;
  protected triggerContext!: WindowTriggerContext<W>;
  protected processContext!: WindowProcessContext<W>;
  protected collector!: WindowResultCollector<OUT>;
  private assignerContext!: WindowAssignerContext;
  private mergingSets: MergingWindowSet<W> | undefined;
  private mergingSetState: ValueState<WindowMapping<W>> | undefined;
  private mergeFunction: MergeFunction<W> | undefined;
  private numLateRecordsDropped = 0;

  constructor(config: WindowOperatorConfig<IN, OUT, K, W>) {
    super(config.windowFunction.userFunction);
    const lateness = config.allowedLateness ?? 0;
    if (!(lateness >= 0)) throw new RangeError(`The allowed lateness cannot be negative, got ${lateness}`);
    if (config.windowAssigner instanceof MergingWindowAssigner && !config.trigger.canMerge()) {
      throw new Error('A merging window assigner cannot be used with a trigger that does not support merging.');
    }
    this.windowAssigner = config.windowAssigner;
    this.trigger = config.trigger;
    this.windowFunction = config.windowFunction;
    this.contentsSpec = config.contents;
    this.lateDataOutputTag = config.lateDataOutputTag;
    this.eventTime = config.windowAssigner.isEventTime();
    // Lateness only exists in event time (Flink keeps the value, but processing-time cleanup ignores it).
    this.allowedLateness = this.eventTime ? lateness : 0;
    this.mergingAssigner = config.windowAssigner instanceof MergingWindowAssigner ? config.windowAssigner : undefined;
    this.knownTrigger =
      config.trigger === EventTimeTrigger.create() ? KnownTrigger.EVENT_TIME : config.trigger === ProcessingTimeTrigger.create() ? KnownTrigger.PROCESSING_TIME : KnownTrigger.OTHER;
  }

  override open(): void | Promise<void> {
    this.backend = this.getKeyedStateBackend();
    this.windowSerializer = this.windowAssigner.getWindowSerializer();
    // Checkpoints write the timers' window namespaces with the window serializer (runtime/checkpoint/snapshot).
    this.timerService = this.getInternalTimerService<W>(WINDOW_TIMERS, windowIdentity, this, this.windowSerializer);
    const time = this.timerService;
    this.assignerContext = { getCurrentProcessingTime: () => time.currentProcessingTime() };
    this.contents = this.createContents();
    this.triggerContext = new WindowTriggerContext(this.backend, this.timerService, this.windowSerializer);
    this.processContext = new WindowProcessContext(this.backend, this.timerService, this.windowSerializer, this.output as never);
    this.collector = new WindowResultCollector(this.output);
    if (this.mergingAssigner !== undefined) {
      this.mergingSets = new MergingWindowSet<W>(this.mergingAssigner);
      this.mergingSetState = this.backend.getPartitionedState(new ValueStateDescriptor(MERGING_WINDOW_SET_STATE, windowMappingType(this.windowSerializer)));
      this.mergeFunction = {
        merge: (mergeResult, mergedWindows, stateWindowResult, mergedStateWindows) => this.onWindowsMerged(mergeResult, mergedWindows, stateWindowResult, mergedStateWindows),
      };
    }
    return super.open();
  }

  /** Creates the contents state; the evicting operator keeps timestamped elements instead. */
  protected createContents(): WindowContents<IN, ACC, W> {
    const spec = this.contentsSpec;
    const ser = this.windowSerializer;
    switch (spec.kind) {
      case 'reduce': {
        const state = this.backend.getOrCreateKeyedState(ser, new ReducingStateDescriptor<IN>(WINDOW_CONTENTS_STATE, spec.reduceFunction, spec.typeInfo));
        return new ReducingContents(state as unknown as InternalReducingState<W, IN>, spec.reduceFunction) as unknown as WindowContents<IN, ACC, W>;
      }
      case 'aggregate': {
        const desc = new AggregatingStateDescriptor<IN, unknown, unknown>(WINDOW_CONTENTS_STATE, spec.aggregateFunction, spec.accTypeInfo);
        const state = this.backend.getOrCreateKeyedState(ser, desc);
        return new AggregatingContents(state as InternalAggregatingState<W, IN, unknown>, spec.aggregateFunction) as unknown as WindowContents<IN, ACC, W>;
      }
      case 'list': {
        const state = this.backend.getOrCreateKeyedState(ser, new ListStateDescriptor<IN>(WINDOW_CONTENTS_STATE, spec.typeInfo));
        return new ListContents(state as InternalListState<W, IN>) as unknown as WindowContents<IN, ACC, W>;
      }
    }
  }

  processElement(record: StreamRecord<IN>): void {
    this.setKeyContextElement(record);
    const value = record.value;
    if (value === undefined || value === null) {
      throw new TypeError(`window operator '${this.runtimeContext.getTaskName()}': a window element must not be null or undefined`);
    }
    const windows = this.windowAssigner.assignWindows(value, record.timestamp, this.assignerContext);
    const skipped = this.mergingAssigner === undefined ? this.addToWindows(record, windows) : this.addToMergingWindows(record, windows);
    if (skipped && this.isElementLate(record)) {
      if (this.lateDataOutputTag !== undefined) this.output.collectSide(this.lateDataOutputTag, record);
      else this.numLateRecordsDropped++;
    }
  }

  /** Non-merging windows; returns true when every window was late (the element was skipped). */
  private addToWindows(record: StreamRecord<IN>, windows: readonly W[]): boolean {
    let skipped = true;
    const contents = this.contents;
    const known = this.knownTrigger;
    const watermark = this.timerService.currentWatermark();
    for (let i = 0; i < windows.length; i++) {
      const window = windows[i]!;
      if (this.eventTime && this.cleanupTime(window) <= watermark) continue; // isWindowLate
      skipped = false;
      contents.setWindow(window);
      const wasEmpty = contents.add(record);
      // A window with contents already has the built-in trigger's timer and its cleanup timer;
      // calling the trigger again would only re-register them (unless it fires a late window).
      if (!wasEmpty && (known === KnownTrigger.PROCESSING_TIME || (known === KnownTrigger.EVENT_TIME && window.maxTimestamp() > watermark))) continue;
      const ctx = this.triggerContext;
      ctx.window = window;
      const result = this.trigger.onElement(record.value, record.timestamp, window, ctx);
      if (result.isFire() && !this.fireWindow(window)) continue;
      if (result.isPurge()) contents.clear();
      this.registerCleanupTimer(window);
    }
    return skipped;
  }

  /** Merging windows (sessions); returns true when the element was skipped as late. */
  private addToMergingWindows(record: StreamRecord<IN>, windows: readonly W[]): boolean {
    const set = this.loadMergingWindowSet();
    let skipped = true;
    const contents = this.contents;
    for (let i = 0; i < windows.length; i++) {
      const actualWindow = set.addWindow(windows[i]!, this.mergeFunction!);
      if (this.isWindowLate(actualWindow)) {
        set.retireWindow(actualWindow);
        continue;
      }
      skipped = false;
      const stateWindow = set.getStateWindow(actualWindow);
      if (stateWindow === undefined) throw new Error(`Window ${String(windows[i])} is not in in-flight window set.`);
      contents.setWindow(stateWindow);
      contents.add(record);
      const ctx = this.triggerContext;
      ctx.window = actualWindow;
      const result = this.trigger.onElement(record.value, record.timestamp, actualWindow, ctx);
      if (result.isFire() && !this.fireWindow(actualWindow)) continue;
      if (result.isPurge()) contents.clear();
      this.registerCleanupTimer(actualWindow);
    }
    this.persistMergingWindowSet(set);
    return skipped;
  }

  /** Merge callback: windows merged into `mergeResult` while adding an element. */
  private onWindowsMerged(mergeResult: W, mergedWindows: readonly W[], stateWindowResult: W, mergedStateWindows: readonly W[]): void {
    if (this.eventTime) {
      const watermark = this.timerService.currentWatermark();
      if (mergeResult.maxTimestamp() + this.allowedLateness <= watermark) {
        throw new Error(
          `The end timestamp of an event-time window cannot become earlier than the current watermark by merging. Current watermark: ${watermark} window: ${String(mergeResult)}`,
        );
      }
    } else {
      const now = this.timerService.currentProcessingTime();
      if (mergeResult.maxTimestamp() <= now) {
        throw new Error(
          `The end timestamp of a processing-time window cannot become earlier than the current processing time by merging. Current processing time: ${now} window: ${String(mergeResult)}`,
        );
      }
    }
    const ctx = this.triggerContext;
    ctx.window = mergeResult;
    ctx.mergedWindows = mergedWindows;
    try {
      this.trigger.onMerge(mergeResult, ctx);
    } finally {
      ctx.mergedWindows = undefined;
    }
    for (const merged of mergedWindows) {
      ctx.window = merged;
      this.trigger.clear(merged, ctx);
      this.deleteCleanupTimer(merged);
    }
    this.contents.mergeNamespaces(stateWindowResult, mergedStateWindows);
  }

  onEventTime(timer: InternalTimer<unknown, W>): void {
    const window = timer.namespace;
    const set = this.setContentsWindowForTimer(window);
    if (set === null) return;
    const ctx = this.triggerContext;
    ctx.window = window;
    const result = this.trigger.onEventTime(timer.timestamp, window, ctx);
    this.afterTimer(result.isFire(), result.isPurge(), window, set, this.eventTime && timer.timestamp === this.cleanupTime(window));
  }

  onProcessingTime(timer: InternalTimer<unknown, W>): void {
    const window = timer.namespace;
    const set = this.setContentsWindowForTimer(window);
    if (set === null) return;
    const ctx = this.triggerContext;
    ctx.window = window;
    const result = this.trigger.onProcessingTime(timer.timestamp, window, ctx);
    this.afterTimer(result.isFire(), result.isPurge(), window, set, !this.eventTime && timer.timestamp === this.cleanupTime(window));
  }

  /**
   * Points the contents at the state window of a timer's window. Returns the merging window set
   * (merging assigners), `undefined` (others), or `null` when the window was merged away, in
   * which case the timer is ignored.
   */
  private setContentsWindowForTimer(window: W): MergingWindowSet<W> | undefined | null {
    if (this.mergingAssigner === undefined) {
      this.contents.setWindow(window);
      return undefined;
    }
    const set = this.loadMergingWindowSet();
    const stateWindow = set.getStateWindow(window);
    // A timer of a window that merged into another: its trigger state is gone already.
    if (stateWindow === undefined) return null;
    this.contents.setWindow(stateWindow);
    return set;
  }

  private afterTimer(fire: boolean, purge: boolean, window: W, set: MergingWindowSet<W> | undefined, cleanup: boolean): void {
    if (fire) this.fireWindow(window);
    if (purge) this.contents.clear();
    if (cleanup) this.clearAllState(window, set);
    if (set !== undefined) this.persistMergingWindowSet(set);
  }

  /**
   * Evaluates `window` with the contents of the current contents namespace; returns false when
   * there are none (then nothing is emitted).
   */
  protected fireWindow(window: W): boolean {
    const contents = this.contents.get();
    if (contents === undefined) return false;
    this.emitWindowContents(window, contents);
    return true;
  }

  protected emitWindowContents(window: W, contents: ACC): void {
    this.collector.setTimestamp(window.maxTimestamp());
    this.processContext.setWindow(window);
    this.windowFunction.process(this.backend.getCurrentKey() as K, window, this.processContext, contents, this.collector);
  }

  /** Drops everything of `window`: contents, trigger state and timers, the function's per-window state. */
  private clearAllState(window: W, set: MergingWindowSet<W> | undefined): void {
    this.contents.clear();
    const ctx = this.triggerContext;
    ctx.window = window;
    this.trigger.clear(window, ctx);
    this.processContext.setWindow(window);
    this.windowFunction.clear(window, this.processContext);
    if (set !== undefined) set.retireWindow(window);
  }

  private loadMergingWindowSet(): MergingWindowSet<W> {
    const set = this.mergingSets!;
    set.reset(this.mergingSetState!.value() ?? []);
    return set;
  }

  private persistMergingWindowSet(set: MergingWindowSet<W>): void {
    if (!set.isChanged()) return;
    const mapping = set.getMapping();
    // The heap backend stores the array itself, so in-place changes are already visible; update
    // stores a new array and clears the state of a key without windows.
    this.mergingSetState!.update(mapping.length === 0 ? undefined : mapping);
  }

  /** Event time: the window's cleanup time is at or before the watermark. */
  protected isWindowLate(window: W): boolean {
    return this.eventTime && this.cleanupTime(window) <= this.timerService.currentWatermark();
  }

  /** Event time: the element is later than the allowed lateness. */
  protected isElementLate(record: StreamRecord<IN>): boolean {
    return this.eventTime && record.timestamp + this.allowedLateness <= this.timerService.currentWatermark();
  }

  /**
   * When the window's state is dropped: `maxTimestamp + allowedLateness` in event time (the
   * end of time if that overflows), `maxTimestamp` in processing time.
   */
  protected cleanupTime(window: W): number {
    if (!this.eventTime) return window.maxTimestamp();
    const t = window.maxTimestamp() + this.allowedLateness;
    return t >= window.maxTimestamp() ? t : MAX_WATERMARK;
  }

  private registerCleanupTimer(window: W): void {
    const t = this.cleanupTime(window);
    if (t === MAX_WATERMARK) return; // no cleanup at the end of time (global windows)
    this.triggerContext.window = window;
    if (this.eventTime) this.triggerContext.registerEventTimeTimer(t);
    else this.triggerContext.registerProcessingTimeTimer(t);
  }

  private deleteCleanupTimer(window: W): void {
    const t = this.cleanupTime(window);
    if (t === MAX_WATERMARK) return;
    this.triggerContext.window = window;
    if (this.eventTime) this.triggerContext.deleteEventTimeTimer(t);
    else this.triggerContext.deleteProcessingTimeTimer(t);
  }

  /**
   * The serializer of this operator's windows, which are the namespaces of its keyed state and
   * of its `window-timers` timers (for snapshots of the timers).
   */
  getWindowSerializer(): TypeSerializer<W> {
    return this.windowAssigner.getWindowSerializer();
  }

  /** Elements dropped because they were late for all their windows (without a late-data side output). */
  getNumLateRecordsDropped(): number {
    return this.numLateRecordsDropped;
  }

  /** @internal For tests: the keyed state backend (available after `setup`). */
  getStateBackendForTesting(): HeapKeyedStateBackend<unknown> {
    return this.getKeyedStateBackend();
  }

  /** @internal For tests: the window timer service. */
  getTimerServiceForTesting(): InternalTimerService<W> {
    return this.timerService;
  }
}
