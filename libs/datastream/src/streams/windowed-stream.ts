import type { AggregateFunction, DurationLike, OutputTag, ReduceFunctionLike, StreamOperatorFactory } from '@riffle/core';
import type { AggregationField } from '../operators/aggregations.js';
import { ComparableAggregateFunction, SumAggregateFunction } from '../windowing/functions/field-aggregations.js';
import { checkUserFunction } from '../operators/user-function.js';
import { OneInputTransformation } from '../transformations/transformation.js';
import type { WindowAssigner } from '../windowing/assigners/window-assigner.js';
import type { Evictor } from '../windowing/evictors/evictor.js';
import {
  InternalApplyWindowFunction,
  InternalProcessWindowFunction,
  PassThroughWindowFunction,
  type ContentsShape,
  type InternalWindowFunction,
} from '../windowing/functions/internal-window-function.js';
import type { ProcessWindowFunctionLike, WindowFunctionLike } from '../windowing/functions/window-functions.js';
import type { WindowContentsSpec } from '../windowing/operator/window-operator.js';
import type { Trigger } from '../windowing/triggers/trigger.js';
import { windowAggregateFunction, WindowOperatorBuilder, windowReduceFunction } from '../windowing/window-operator-builder.js';
import type { Window } from '../windowing/windows/window.js';
import { SingleOutputStreamOperator, type KeyedStream } from './data-stream.js';

/**
 * A keyed stream split into windows (Flink's `WindowedStream`), created by
 * `keyedStream.window(assigner)` or `countWindow`. Configure the trigger, evictor, allowed
 * lateness and late-data side output, then apply a window function, which yields the result
 * stream: one call of the function per key and window firing, results stamped with the
 * window's max timestamp.
 *
 * `reduce` and `aggregate` aggregate incrementally (one value per key and window is kept);
 * `process` and `apply` keep every element until the window fires, as does any function once
 * an evictor is set.
 */
export class WindowedStream<T, K, W extends Window> {
  private readonly builder: WindowOperatorBuilder<T, W>;

  /** @internal use `KeyedStream.window` */
  constructor(
    private readonly input: KeyedStream<T, K>,
    windowAssigner: WindowAssigner<T, W>,
  ) {
    this.builder = new WindowOperatorBuilder(windowAssigner);
  }

  /** Replaces the assigner's default trigger. */
  trigger(trigger: Trigger<T, W>): this {
    this.builder.setTrigger(trigger);
    return this;
  }

  /** Removes elements before and/or after the window function runs (keeps every element of a window). */
  evictor(evictor: Evictor<T, W>): this {
    this.builder.setEvictor(evictor);
    return this;
  }

  /**
   * Event time: keeps windows `lateness` (a `Time` or ms ≥ 0) past their end, so that late
   * elements still update them (each such element fires the window again with the default
   * trigger). Elements later than that are dropped or go to {@link sideOutputLateData}.
   */
  allowedLateness(lateness: DurationLike): this {
    this.builder.setAllowedLateness(lateness);
    return this;
  }

  /** Sends elements that are late for all their windows to the side output `tag` (read it with `getSideOutput(tag)`). */
  sideOutputLateData(tag: OutputTag<T>): this {
    this.builder.setLateDataOutputTag(tag);
    return this;
  }

  /** Reduces each window to one value, incrementally; emits that value. The function must not be rich. */
  reduce(fn: ReduceFunctionLike<T>): SingleOutputStreamOperator<T>;
  /** Reduces each window incrementally, then passes the single value to `windowFn` (which may be rich). */
  reduce<R>(fn: ReduceFunctionLike<T>, windowFn: ProcessWindowFunctionLike<T, R, K, W> | WindowFunctionLike<T, R, K, W>): SingleOutputStreamOperator<R>;
  reduce<R>(fn: ReduceFunctionLike<T>, windowFn?: ProcessWindowFunctionLike<T, R, K, W> | WindowFunctionLike<T, R, K, W>): SingleOutputStreamOperator<any> {
    const reduceFunction = windowReduceFunction(fn, 'reduce()');
    const internal: InternalWindowFunction<any, any, any, W> = windowFn === undefined ? new PassThroughWindowFunction<T, K, W>() : keyedWindowFunction<T, R, K, W>(windowFn, 'single', 'reduce()');
    return this.transform<any>(functionName(fn, windowFn), { kind: 'reduce', reduceFunction }, internal);
  }

  /** Aggregates each window incrementally with `fn`; emits `getResult`. The function must not be rich. */
  aggregate<ACC, R>(fn: AggregateFunction<T, ACC, R>): SingleOutputStreamOperator<R>;
  /** Aggregates each window incrementally, then passes the result to `windowFn`. */
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, windowFn: ProcessWindowFunctionLike<V, R, K, W> | WindowFunctionLike<V, R, K, W>): SingleOutputStreamOperator<R>;
  aggregate<ACC, V, R>(
    fn: AggregateFunction<T, ACC, V>,
    windowFn?: ProcessWindowFunctionLike<V, R, K, W> | WindowFunctionLike<V, R, K, W>,
  ): SingleOutputStreamOperator<any> {
    const aggregateFunction = windowAggregateFunction(fn, 'aggregate()');
    const internal: InternalWindowFunction<any, any, any, W> = windowFn === undefined ? new PassThroughWindowFunction<V, K, W>() : keyedWindowFunction<V, R, K, W>(windowFn, 'single', 'aggregate()');
    return this.transform<any>(functionName(fn, windowFn), { kind: 'aggregate', aggregateFunction }, internal);
  }

  /** Evaluates each window with all its elements and a context (window, time, per-window and global state, side outputs). */
  process<R>(fn: ProcessWindowFunctionLike<T, R, K, W>): SingleOutputStreamOperator<R> {
    checkUserFunction(fn, 'process', 'process()');
    return this.transform(functionName(fn), { kind: 'list' }, new InternalProcessWindowFunction<T, R, K, W>(fn, 'iterable'));
  }

  /** Evaluates each window with all its elements (`fn(key, window, elements, out)`). */
  apply<R>(fn: WindowFunctionLike<T, R, K, W>): SingleOutputStreamOperator<R> {
    checkUserFunction(fn, 'apply', 'apply()');
    return this.transform(functionName(fn), { kind: 'list' }, new InternalApplyWindowFunction<T, R, K, W>(fn, 'iterable'));
  }

  /** Sum of a field per window; the other fields are those of the window's first element. */
  sum(field: AggregationField): SingleOutputStreamOperator<T> {
    return this.aggregate(new SumAggregateFunction<T>(field));
  }

  /** Minimum of a field per window; the other fields are those of the window's first element. */
  min(field: AggregationField): SingleOutputStreamOperator<T> {
    return this.aggregate(new ComparableAggregateFunction<T>('min', field));
  }

  /** Maximum of a field per window; the other fields are those of the window's first element. */
  max(field: AggregationField): SingleOutputStreamOperator<T> {
    return this.aggregate(new ComparableAggregateFunction<T>('max', field));
  }

  /** The element with the minimum of a field per window (the first such, or the last if `first` is false). */
  minBy(field: AggregationField, first = true): SingleOutputStreamOperator<T> {
    return this.aggregate(new ComparableAggregateFunction<T>('minBy', field, first));
  }

  /** The element with the maximum of a field per window (the first such, or the last if `first` is false). */
  maxBy(field: AggregationField, first = true): SingleOutputStreamOperator<T> {
    return this.aggregate(new ComparableAggregateFunction<T>('maxBy', field, first));
  }

  private transform<R>(fnName: string, contents: WindowContentsSpec<T>, fn: InternalWindowFunction<any, R, K, W>): SingleOutputStreamOperator<R> {
    return addWindowOperator(this.input, this.builder.operatorName(fnName), this.builder.build<R, K>(contents, fn));
  }
}

/** Declares the window operator on the keyed `input`. @internal */
export function addWindowOperator<T, R>(input: KeyedStream<T, any>, name: string, factory: StreamOperatorFactory<R>): SingleOutputStreamOperator<R> {
  const env = input.getExecutionEnvironment();
  const t = new OneInputTransformation<T, R>(env.nextTransformationId(), name, input.getTransformation(), factory, input.getKeySelector());
  env.addOperator(t);
  return new SingleOutputStreamOperator(env, t);
}

/** A keyed window function: a `ProcessWindowFunction`-like object (has `process`), else a `WindowFunction`. */
function keyedWindowFunction<IN, R, K, W extends Window>(
  fn: ProcessWindowFunctionLike<IN, R, K, W> | WindowFunctionLike<IN, R, K, W>,
  shape: ContentsShape,
  api: string,
): InternalWindowFunction<unknown, R, K, W> {
  if (fn !== null && typeof fn === 'object' && typeof (fn as { process?: unknown }).process === 'function') {
    return new InternalProcessWindowFunction<IN, R, K, W>(fn as ProcessWindowFunctionLike<IN, R, K, W>, shape);
  }
  checkUserFunction(fn, 'apply', `${api} window function`);
  return new InternalApplyWindowFunction<IN, R, K, W>(fn as WindowFunctionLike<IN, R, K, W>, shape);
}

/** A readable name of the user functions for the operator name (`undefined`: no window function). */
export function functionName(...fns: unknown[]): string {
  const names: string[] = [];
  for (const fn of fns) {
    if (fn === undefined) names.push('PassThroughWindowFunction');
    else if (typeof fn === 'function') names.push(fn.name || 'anonymous');
    else if (fn !== null && typeof fn === 'object') names.push(fn.constructor?.name && fn.constructor.name !== 'Object' ? fn.constructor.name : 'anonymous');
  }
  return names.join(', ');
}
