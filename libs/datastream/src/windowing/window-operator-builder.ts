import type { AggregateFunction, DurationLike, OutputTag, ReduceFunction, ReduceFunctionLike, StreamOperatorFactory } from '@riffle/core';
import { checkUserFunction } from '../operators/user-function.js';
import { durationArg, MergingWindowAssigner, WindowAssigner } from './assigners/window-assigner.js';
import type { Evictor } from './evictors/evictor.js';
import type { InternalWindowFunction } from './functions/internal-window-function.js';
import { EvictingWindowOperator } from './operator/evicting-window-operator.js';
import { WindowOperator, type WindowContentsSpec } from './operator/window-operator.js';
import { Trigger } from './triggers/trigger.js';
import type { Window } from './windows/window.js';

/**
 * Collects the settings of a windowed stream and creates the window operator (Flink's
 * `WindowOperatorBuilder`), checking them when the job is built.
 * @internal
 */
export class WindowOperatorBuilder<T, W extends Window> {
  private trigger: Trigger<T, W>;
  private evictor: Evictor<T, W> | undefined;
  private allowedLateness = 0;
  private lateDataOutputTag: OutputTag<T> | undefined;

  constructor(readonly windowAssigner: WindowAssigner<T, W>) {
    if (!(windowAssigner instanceof WindowAssigner)) throw new TypeError('window(): expected a WindowAssigner (e.g. TumblingEventTimeWindows.of(Time.seconds(5)))');
    this.trigger = windowAssigner.getDefaultTrigger();
  }

  setTrigger(trigger: Trigger<T, W>): void {
    if (!(trigger instanceof Trigger)) throw new TypeError('trigger(): expected a Trigger');
    if (this.windowAssigner instanceof MergingWindowAssigner && !trigger.canMerge()) {
      throw new Error('A merging window assigner cannot be used with a trigger that does not support merging.');
    }
    this.trigger = trigger;
  }

  setEvictor(evictor: Evictor<T, W>): void {
    if (evictor === null || typeof evictor !== 'object' || typeof evictor.evictBefore !== 'function' || typeof evictor.evictAfter !== 'function') {
      throw new TypeError('evictor(): expected an Evictor (an object with evictBefore and evictAfter)');
    }
    this.evictor = evictor;
  }

  setAllowedLateness(lateness: DurationLike): void {
    const ms = durationArg(lateness, 'allowedLateness()', 'lateness');
    if (ms < 0) throw new RangeError('The allowed lateness cannot be negative.');
    this.allowedLateness = ms;
  }

  setLateDataOutputTag(tag: OutputTag<T>): void {
    if (tag === null || tag === undefined || typeof tag.id !== 'string') throw new TypeError('sideOutputLateData(): expected an OutputTag');
    this.lateDataOutputTag = tag;
  }

  /** The operator name Flink would show: `Window(assigner, trigger[, evictor], function)`. */
  operatorName(functionName: string): string {
    const parts = [String(this.windowAssigner), this.trigger.constructor.name];
    if (this.evictor !== undefined) parts.push(this.evictor.constructor.name);
    parts.push(functionName);
    return `${this.evictor !== undefined ? 'EvictingWindow' : 'Window'}(${parts.join(', ')})`;
  }

  /** A factory of window operators keeping contents as `contents` and evaluating windows with `fn`. */
  build<OUT, K>(contents: WindowContentsSpec<T>, fn: InternalWindowFunction<any, OUT, K, W>): StreamOperatorFactory<OUT> {
    const config = {
      windowAssigner: this.windowAssigner,
      trigger: this.trigger,
      contents,
      windowFunction: fn,
      allowedLateness: this.allowedLateness,
      lateDataOutputTag: this.lateDataOutputTag,
    };
    const evictor = this.evictor;
    if (evictor !== undefined) return () => new EvictingWindowOperator<T, OUT, K, W>({ ...config, evictor });
    return () => new WindowOperator<T, unknown, OUT, K, W>(config);
  }
}

/** Normalizes a reduce function of a window, rejecting rich functions (their state would not be per window). */
export function windowReduceFunction<T>(fn: ReduceFunctionLike<T>, api: string): ReduceFunction<T> {
  checkUserFunction(fn, 'reduce', api);
  if (isRich(fn)) throw new Error(`${api}: the ReduceFunction of a window reduce cannot be a rich function; use reduce(reduceFunction, windowFunction) instead`);
  return typeof fn === 'function' ? { reduce: fn } : fn;
}

/** Checks an aggregate function of a window, rejecting rich functions. */
export function windowAggregateFunction<IN, ACC, OUT>(fn: AggregateFunction<IN, ACC, OUT>, api: string): AggregateFunction<IN, ACC, OUT> {
  const ok = fn !== null && typeof fn === 'object' && ['createAccumulator', 'add', 'getResult', 'merge'].every((m) => typeof (fn as unknown as Record<string, unknown>)[m] === 'function');
  if (!ok) throw new TypeError(`${api}: expected an AggregateFunction (createAccumulator, add, getResult, merge)`);
  if (isRich(fn)) throw new Error(`${api}: the AggregateFunction of a window cannot be a rich function`);
  return fn;
}

function isRich(fn: unknown): boolean {
  if (fn === null || typeof fn !== 'object') return false;
  const f = fn as Record<string, unknown>;
  return typeof f.open === 'function' || typeof f.setRuntimeContext === 'function';
}
