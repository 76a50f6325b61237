import type { AggregateFunction, DurationLike, OutputTag, ReduceFunctionLike } from '@riffle/core';
import type { AggregationField } from '../operators/aggregations.js';
import { ComparableAggregateFunction, SumAggregateFunction } from '../windowing/functions/field-aggregations.js';
import { checkUserFunction } from '../operators/user-function.js';
import type { WindowAssigner } from '../windowing/assigners/window-assigner.js';
import type { Evictor } from '../windowing/evictors/evictor.js';
import {
  InternalApplyAllWindowFunction,
  InternalProcessAllWindowFunction,
  PassThroughWindowFunction,
  type ContentsShape,
  type InternalWindowFunction,
} from '../windowing/functions/internal-window-function.js';
import type { AllWindowFunctionLike, ProcessAllWindowFunctionLike } from '../windowing/functions/window-functions.js';
import type { WindowContentsSpec } from '../windowing/operator/window-operator.js';
import type { Trigger } from '../windowing/triggers/trigger.js';
import { windowAggregateFunction, WindowOperatorBuilder, windowReduceFunction } from '../windowing/window-operator-builder.js';
import type { Window } from '../windowing/windows/window.js';
import type { DataStream, KeyedStream, SingleOutputStreamOperator } from './data-stream.js';
import { addWindowOperator, functionName } from './windowed-stream.js';

/** The key of every element of a non-keyed window (Flink's `NullByteKeySelector` yields the byte 0). */
const NULL_KEY = 0;
const nullKeySelector = (): number => NULL_KEY;

/**
 * A non-keyed stream split into windows (Flink's `AllWindowedStream`), created by
 * `dataStream.windowAll(assigner)` or `countWindowAll`. It has the API of `WindowedStream`
 * without keys; as in Flink, the window operator runs with parallelism 1 (all elements are
 * keyed by one constant key, and the operator's max parallelism is 1).
 */
export class AllWindowedStream<T, W extends Window> {
  private readonly builder: WindowOperatorBuilder<T, W>;
  private readonly keyed: KeyedStream<T, number>;

  /** @internal use `DataStream.windowAll` */
  constructor(input: DataStream<T>, windowAssigner: WindowAssigner<T, W>) {
    this.builder = new WindowOperatorBuilder(windowAssigner);
    this.keyed = input.keyBy(nullKeySelector);
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

  /** Event time: keeps windows `lateness` past their end for late elements (see `WindowedStream.allowedLateness`). */
  allowedLateness(lateness: DurationLike): this {
    this.builder.setAllowedLateness(lateness);
    return this;
  }

  /** Sends elements that are late for all their windows to the side output `tag`. */
  sideOutputLateData(tag: OutputTag<T>): this {
    this.builder.setLateDataOutputTag(tag);
    return this;
  }

  /** Reduces each window to one value, incrementally; emits that value. The function must not be rich. */
  reduce(fn: ReduceFunctionLike<T>): SingleOutputStreamOperator<T>;
  /** Reduces each window incrementally, then passes the single value to `windowFn`. */
  reduce<R>(fn: ReduceFunctionLike<T>, windowFn: ProcessAllWindowFunctionLike<T, R, W> | AllWindowFunctionLike<T, R, W>): SingleOutputStreamOperator<R>;
  reduce<R>(fn: ReduceFunctionLike<T>, windowFn?: ProcessAllWindowFunctionLike<T, R, W> | AllWindowFunctionLike<T, R, W>): SingleOutputStreamOperator<any> {
    const reduceFunction = windowReduceFunction(fn, 'reduce()');
    const internal: InternalWindowFunction<any, any, any, W> = windowFn === undefined ? new PassThroughWindowFunction<T, unknown, W>() : allWindowFunction<T, R, W>(windowFn, 'single', 'reduce()');
    return this.transform<any>(functionName(fn, windowFn), { kind: 'reduce', reduceFunction }, internal);
  }

  /** Aggregates each window incrementally with `fn`; emits `getResult`. The function must not be rich. */
  aggregate<ACC, R>(fn: AggregateFunction<T, ACC, R>): SingleOutputStreamOperator<R>;
  /** Aggregates each window incrementally, then passes the result to `windowFn`. */
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, windowFn: ProcessAllWindowFunctionLike<V, R, W> | AllWindowFunctionLike<V, R, W>): SingleOutputStreamOperator<R>;
  aggregate<ACC, V, R>(fn: AggregateFunction<T, ACC, V>, windowFn?: ProcessAllWindowFunctionLike<V, R, W> | AllWindowFunctionLike<V, R, W>): SingleOutputStreamOperator<any> {
    const aggregateFunction = windowAggregateFunction(fn, 'aggregate()');
    const internal: InternalWindowFunction<any, any, any, W> = windowFn === undefined ? new PassThroughWindowFunction<V, unknown, W>() : allWindowFunction<V, R, W>(windowFn, 'single', 'aggregate()');
    return this.transform<any>(functionName(fn, windowFn), { kind: 'aggregate', aggregateFunction }, internal);
  }

  /** Evaluates each window with all its elements and a context. */
  process<R>(fn: ProcessAllWindowFunctionLike<T, R, W>): SingleOutputStreamOperator<R> {
    checkUserFunction(fn, 'process', 'process()');
    return this.transform(functionName(fn), { kind: 'list' }, new InternalProcessAllWindowFunction<T, R, W>(fn, 'iterable'));
  }

  /** Evaluates each window with all its elements (`fn(window, elements, out)`). */
  apply<R>(fn: AllWindowFunctionLike<T, R, W>): SingleOutputStreamOperator<R> {
    checkUserFunction(fn, 'apply', 'apply()');
    return this.transform(functionName(fn), { kind: 'list' }, new InternalApplyAllWindowFunction<T, R, W>(fn, 'iterable'));
  }

  sum(field: AggregationField): SingleOutputStreamOperator<T> {
    return this.aggregate(new SumAggregateFunction<T>(field));
  }

  min(field: AggregationField): SingleOutputStreamOperator<T> {
    return this.aggregate(new ComparableAggregateFunction<T>('min', field));
  }

  max(field: AggregationField): SingleOutputStreamOperator<T> {
    return this.aggregate(new ComparableAggregateFunction<T>('max', field));
  }

  minBy(field: AggregationField, first = true): SingleOutputStreamOperator<T> {
    return this.aggregate(new ComparableAggregateFunction<T>('minBy', field, first));
  }

  maxBy(field: AggregationField, first = true): SingleOutputStreamOperator<T> {
    return this.aggregate(new ComparableAggregateFunction<T>('maxBy', field, first));
  }

  private transform<R>(fnName: string, contents: WindowContentsSpec<T>, fn: InternalWindowFunction<any, R, unknown, W>): SingleOutputStreamOperator<R> {
    const name = this.builder.operatorName(fnName).replace(/^(Evicting)?Window\(/, '$1AllWindow(');
    const result = addWindowOperator(this.keyed, name, this.builder.build<R, unknown>(contents, fn));
    // Flink's forceNonParallel(): one instance, one key group.
    return result.setParallelism(1).setMaxParallelism(1);
  }
}

/** A non-keyed window function: a `ProcessAllWindowFunction`-like object (has `process`), else an `AllWindowFunction`. */
function allWindowFunction<IN, R, W extends Window>(
  fn: ProcessAllWindowFunctionLike<IN, R, W> | AllWindowFunctionLike<IN, R, W>,
  shape: ContentsShape,
  api: string,
): InternalWindowFunction<unknown, R, unknown, W> {
  if (fn !== null && typeof fn === 'object' && typeof (fn as { process?: unknown }).process === 'function') {
    return new InternalProcessAllWindowFunction<IN, R, W>(fn as ProcessAllWindowFunctionLike<IN, R, W>, shape);
  }
  checkUserFunction(fn, 'apply', `${api} window function`);
  return new InternalApplyAllWindowFunction<IN, R, W>(fn as AllWindowFunctionLike<IN, R, W>, shape);
}
