import type { Collector } from './collector.js';
import type { OutputTag } from './output-tag.js';
import { AbstractRichFunction } from './runtime-context.js';

/**
 * Access to time from inside a function. Event-time and processing-time timers are registered
 * here; timers are available on keyed streams only (Flink's rule), and fire through `onTimer`.
 */
export interface TimerService {
  /** The current processing time (milliseconds), from the task's clock (drivable in tests). */
  currentProcessingTime(): number;
  /** The current event-time watermark of the operator. */
  currentWatermark(): number;
  registerProcessingTimeTimer(time: number): void;
  registerEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
}

/** The context handed to `ProcessFunction.processElement`. Valid only during that call. */
export interface ProcessContext {
  /** The timestamp of the element being processed, or `undefined` when it has none. */
  timestamp(): number | undefined;
  /** Emits a record to the side output named by `tag`. */
  output<X>(tag: OutputTag<X>, value: X): void;
  timerService(): TimerService;
}

/** The context of `onTimer`. */
export interface OnTimerContext extends ProcessContext {
  timeDomain(): 'EVENT_TIME' | 'PROCESSING_TIME';
}

/** Processes each element of a (non-keyed) stream; may emit any number of results and side outputs. */
export abstract class ProcessFunction<I, O> extends AbstractRichFunction {
  abstract processElement(value: I, ctx: ProcessContext, out: Collector<O>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext, out: Collector<O>): void;
}

/** The context of a keyed function: also names the key of the element being processed. */
export interface KeyedProcessContext<K> extends ProcessContext {
  getCurrentKey(): K;
}
export interface KeyedOnTimerContext<K> extends KeyedProcessContext<K> {
  timeDomain(): 'EVENT_TIME' | 'PROCESSING_TIME';
}

/** Processes each element of a keyed stream, with the current key in its context. */
export abstract class KeyedProcessFunction<K, I, O> extends AbstractRichFunction {
  abstract processElement(value: I, ctx: KeyedProcessContext<K>, out: Collector<O>): void;
  onTimer?(timestamp: number, ctx: KeyedOnTimerContext<K>, out: Collector<O>): void;
}

/** Processes the elements of two connected streams. */
export abstract class CoProcessFunction<IN1, IN2, O> extends AbstractRichFunction {
  abstract processElement1(value: IN1, ctx: ProcessContext, out: Collector<O>): void;
  abstract processElement2(value: IN2, ctx: ProcessContext, out: Collector<O>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext, out: Collector<O>): void;
}

/** Processes the elements of two connected keyed streams. */
export abstract class KeyedCoProcessFunction<K, IN1, IN2, O> extends AbstractRichFunction {
  abstract processElement1(value: IN1, ctx: KeyedProcessContext<K>, out: Collector<O>): void;
  abstract processElement2(value: IN2, ctx: KeyedProcessContext<K>, out: Collector<O>): void;
  onTimer?(timestamp: number, ctx: KeyedOnTimerContext<K>, out: Collector<O>): void;
}

/** Rich (class) forms of the simple function interfaces. */
export abstract class RichMapFunction<T, O> extends AbstractRichFunction {
  abstract map(value: T): O;
}
export abstract class RichFlatMapFunction<T, O> extends AbstractRichFunction {
  abstract flatMap(value: T, out: Collector<O>): void;
}
export abstract class RichFilterFunction<T> extends AbstractRichFunction {
  abstract filter(value: T): boolean;
}
export abstract class RichReduceFunction<T> extends AbstractRichFunction {
  abstract reduce(a: T, b: T): T;
}
export abstract class RichCoMapFunction<IN1, IN2, O> extends AbstractRichFunction {
  abstract map1(value: IN1): O;
  abstract map2(value: IN2): O;
}
export abstract class RichCoFlatMapFunction<IN1, IN2, O> extends AbstractRichFunction {
  abstract flatMap1(value: IN1, out: Collector<O>): void;
  abstract flatMap2(value: IN2, out: Collector<O>): void;
}
export abstract class RichSinkFunction<T> extends AbstractRichFunction {
  abstract invoke(value: T, context: { timestamp(): number | undefined }): void;
}
