import type { DurationLike, KeySelector, KeySelectorLike } from '@riffle/core';
import { checkUserFunction } from '../operators/user-function.js';
import type { DataStream, SingleOutputStreamOperator } from '../streams/data-stream.js';
import { toKeySelector } from '../streams/data-stream.js';
import type { WindowAssigner } from '../windowing/assigners/window-assigner.js';
import type { Evictor } from '../windowing/evictors/evictor.js';
import type { Trigger } from '../windowing/triggers/trigger.js';
import type { Window } from '../windowing/windows/window.js';
import { FlatJoinCoGroupFunction, JoinCoGroupFunction } from './co-group-window-function.js';
import { CoGroupedStreams, type CoGroupedWithWindow } from './co-grouped-streams.js';
import { isFlatJoinFunction, type FlatJoinFunctionLike, type JoinFunctionLike } from './join-functions.js';
import type { TaggedUnion } from './tagged-union.js';

/**
 * Two streams to be joined on a key in windows (Flink's `JoinedStreams`), made by
 * `first.join(second)`:
 *
 * ```ts
 * first.join(second).where((a) => a.id).equalTo((b) => b.id)
 *   .window(TumblingEventTimeWindows.of(Time.seconds(5)))
 *   .apply((a, b) => `${a.name}:${b.price}`);
 * ```
 *
 * An inner join: for every key and window, every pair of a first-input and a second-input
 * element of that key and window is joined (a nested loop over the two sides), when the window
 * fires. Built, as in Flink, as a co-group with a joining co-group function.
 */
export class JoinedStreams<T1, T2> {
  /** @internal use `DataStream.join` */
  constructor(
    readonly input1: DataStream<T1>,
    readonly input2: DataStream<T2>,
  ) {}

  /** The key of the first input's elements. */
  where<K>(keySelector: KeySelectorLike<T1, K>): JoinedWhere<T1, T2, K> {
    return new JoinedWhere(this.input1, this.input2, toKeySelector(keySelector, 'join().where()'));
  }
}

/** A join with the first input's key (Flink's `JoinedStreams.Where`). */
export class JoinedWhere<T1, T2, K> {
  /** @internal */
  constructor(
    private readonly input1: DataStream<T1>,
    private readonly input2: DataStream<T2>,
    private readonly key1: KeySelector<T1, K>,
  ) {}

  /** The key of the second input's elements; must produce keys of the same kind as `where`'s. */
  equalTo(keySelector: KeySelectorLike<T2, K>): JoinedEqualTo<T1, T2, K> {
    return new JoinedEqualTo(this.input1, this.input2, this.key1, toKeySelector(keySelector, 'join().equalTo()'));
  }
}

/** A join with both keys (Flink's `JoinedStreams.Where.EqualTo`). */
export class JoinedEqualTo<T1, T2, K> {
  /** @internal */
  constructor(
    private readonly input1: DataStream<T1>,
    private readonly input2: DataStream<T2>,
    private readonly key1: KeySelector<T1, K>,
    private readonly key2: KeySelector<T2, K>,
  ) {}

  /** The windows pairs are formed in (e.g. `SlidingEventTimeWindows.of(Time.seconds(10), Time.seconds(5))`). */
  window<W extends Window>(assigner: WindowAssigner<TaggedUnion<T1, T2>, W>): JoinedWithWindow<T1, T2, K, W> {
    const coGrouped = new CoGroupedStreams(this.input1, this.input2).where(this.key1).equalTo(this.key2).window(assigner);
    return new JoinedWithWindow(coGrouped);
  }
}

/**
 * A windowed join (Flink's `JoinedStreams.WithWindow`): optionally replace the trigger, add an
 * evictor or allow lateness (they see {@link TaggedUnion} elements), then {@link apply}.
 */
export class JoinedWithWindow<T1, T2, K, W extends Window> {
  /** @internal */
  constructor(private readonly coGrouped: CoGroupedWithWindow<T1, T2, K, W>) {}

  /** Replaces the assigner's default trigger. */
  trigger(trigger: Trigger<TaggedUnion<T1, T2>, W>): this {
    this.coGrouped.trigger(trigger);
    return this;
  }

  /** Removes elements of a window before and/or after the join runs. */
  evictor(evictor: Evictor<TaggedUnion<T1, T2>, W>): this {
    this.coGrouped.evictor(evictor);
    return this;
  }

  /** Keeps windows `lateness` (a `Time` or ms ≥ 0) past their end so late elements still fire them again. */
  allowedLateness(lateness: DurationLike): this {
    this.coGrouped.allowedLateness(lateness);
    return this;
  }

  /**
   * Joins every pair of the two inputs' elements with the same key in the same window: a
   * `JoinFunction` (`(first, second) => result`) emits one result per pair; a `FlatJoinFunction`
   * (`(first, second, out) => void`) any number. Results carry the window's max timestamp.
   *
   * The two are told apart at runtime: a `RichFlatJoinFunction`, or a function (or `join`
   * method) declaring three parameters, is a flat join function; anything else a join function.
   */
  apply<OUT>(fn: JoinFunctionLike<T1, T2, OUT>): SingleOutputStreamOperator<OUT>;
  apply<OUT>(fn: FlatJoinFunctionLike<T1, T2, OUT>): SingleOutputStreamOperator<OUT>;
  apply<OUT>(fn: JoinFunctionLike<T1, T2, OUT> | FlatJoinFunctionLike<T1, T2, OUT>): SingleOutputStreamOperator<OUT> {
    checkUserFunction(fn, 'join', 'join().apply()');
    const coGroup = isFlatJoinFunction(fn)
      ? new FlatJoinCoGroupFunction<T1, T2, OUT>(fn as FlatJoinFunctionLike<T1, T2, OUT>)
      : new JoinCoGroupFunction<T1, T2, OUT>(fn as JoinFunctionLike<T1, T2, OUT>);
    return this.coGrouped.apply(coGroup);
  }
}
