import { AbstractRichFunction, type Collector, type OutputTag, type RichFunction, type TimerService } from '@riffle/core';
import type { BroadcastState, MapStateDescriptor, ReadOnlyBroadcastState, State, StateDescriptor } from '@riffle/state';

/**
 * The broadcast state pattern (Flink's `BroadcastProcessFunction` family): one stream is
 * broadcast to every parallel instance together with state descriptors
 * (`rules.broadcast(descriptor)`), another (the non-broadcast side, keyed or not) is connected to
 * it; every instance keeps its own copy of the broadcast state. Only the broadcast side may write
 * it, and it must make the same changes in every instance (decide from the broadcast element
 * only), so that the copies stay equal; the other side reads it.
 */

/** What both sides' contexts offer. Valid only during the call that received it. */
export interface BaseBroadcastProcessContext {
  /** The timestamp of the element being processed, or `undefined` when it has none. */
  timestamp(): number | undefined;
  /** Emits a record to the side output named by `tag`. */
  output<X>(tag: OutputTag<X>, value: X): void;
  /** The current processing time of the task, ms. */
  currentProcessingTime(): number;
  /** The operator's current event-time watermark. */
  currentWatermark(): number;
}

/** The context of `processBroadcastElement`: broadcast state is writable. */
export interface BroadcastProcessContext extends BaseBroadcastProcessContext {
  /**
   * The broadcast state for `descriptor`, which must be one of those given to `broadcast(...)`.
   * Change it deterministically: every parallel instance receives the same broadcast elements.
   */
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V>;
}

/** The context of `processElement` (the non-broadcast side): broadcast state is read-only. */
export interface ReadOnlyBroadcastProcessContext extends BaseBroadcastProcessContext {
  /** The read-only broadcast state for `descriptor`, which must be one of those given to `broadcast(...)`. */
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V>;
}

/** The context of `processBroadcastElement` on a keyed stream: also reaches every key's keyed state. */
export interface KeyedBroadcastProcessContext<K> extends BroadcastProcessContext {
  /**
   * Calls `fn` for every key of this instance that has a value in the keyed state `descriptor`,
   * with that key current (Flink's `applyToKeyedState`); `fn` may read, update or clear the state.
   */
  applyToKeyedState<S extends State>(descriptor: StateDescriptor<S>, fn: (key: K, state: S) => void): void;
}

/** The context of `processElement` on a keyed stream: the record's key and timers. */
export interface KeyedReadOnlyBroadcastProcessContext<K> extends ReadOnlyBroadcastProcessContext {
  timerService(): TimerService;
  getCurrentKey(): K;
}

/** The context of `onTimer` of a {@link KeyedBroadcastProcessFunction}. */
export interface KeyedBroadcastOnTimerContext<K> extends KeyedReadOnlyBroadcastProcessContext<K> {
  timeDomain(): 'EVENT_TIME' | 'PROCESSING_TIME';
}

/** Processes a non-keyed stream connected to a broadcast stream. */
export abstract class BroadcastProcessFunction<IN1, IN2, OUT> extends AbstractRichFunction {
  /** Called for each element of the non-broadcast side. */
  abstract processElement(value: IN1, ctx: ReadOnlyBroadcastProcessContext, out: Collector<OUT>): void;
  /** Called for each element of the broadcast side, in every parallel instance. */
  abstract processBroadcastElement(value: IN2, ctx: BroadcastProcessContext, out: Collector<OUT>): void;
}

/**
 * Processes a keyed stream connected to a broadcast stream: keyed state through
 * `getRuntimeContext()` in `processElement` (for the record's key), timers and `onTimer`, and
 * `ctx.applyToKeyedState` to reach all keys from `processBroadcastElement`.
 */
export abstract class KeyedBroadcastProcessFunction<K, IN1, IN2, OUT> extends AbstractRichFunction {
  abstract processElement(value: IN1, ctx: KeyedReadOnlyBroadcastProcessContext<K>, out: Collector<OUT>): void;
  abstract processBroadcastElement(value: IN2, ctx: KeyedBroadcastProcessContext<K>, out: Collector<OUT>): void;
  /** Called when a timer set in `processElement` fires, with its key current. */
  onTimer?(timestamp: number, ctx: KeyedBroadcastOnTimerContext<K>, out: Collector<OUT>): void;
}

/** What `BroadcastConnectedStream.process` accepts on a non-keyed stream: the class, or any object with the methods. */
export interface BroadcastProcessFunctionLike<IN1, IN2, OUT> extends Partial<RichFunction> {
  processElement(value: IN1, ctx: ReadOnlyBroadcastProcessContext, out: Collector<OUT>): void;
  processBroadcastElement(value: IN2, ctx: BroadcastProcessContext, out: Collector<OUT>): void;
}

/** What `BroadcastConnectedStream.process` accepts on a keyed stream. */
export interface KeyedBroadcastProcessFunctionLike<K, IN1, IN2, OUT> extends Partial<RichFunction> {
  processElement(value: IN1, ctx: KeyedReadOnlyBroadcastProcessContext<K>, out: Collector<OUT>): void;
  processBroadcastElement(value: IN2, ctx: KeyedBroadcastProcessContext<K>, out: Collector<OUT>): void;
  onTimer?(timestamp: number, ctx: KeyedBroadcastOnTimerContext<K>, out: Collector<OUT>): void;
}
