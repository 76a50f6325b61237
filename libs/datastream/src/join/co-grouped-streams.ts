import type { DurationLike, KeySelector, KeySelectorLike, MapFunction } from '@riffle/core';
import { checkUserFunction } from '../operators/user-function.js';
import type { DataStream, SingleOutputStreamOperator } from '../streams/data-stream.js';
import { toKeySelector } from '../streams/data-stream.js';
import type { WindowAssigner } from '../windowing/assigners/window-assigner.js';
import { WindowAssigner as WindowAssignerClass, durationArg } from '../windowing/assigners/window-assigner.js';
import type { Evictor } from '../windowing/evictors/evictor.js';
import type { Trigger } from '../windowing/triggers/trigger.js';
import type { Window } from '../windowing/windows/window.js';
import { CoGroupWindowFunction } from './co-group-window-function.js';
import type { CoGroupFunctionLike } from './join-functions.js';
import { streamSerializer } from './stream-serializer.js';
import { TaggedUnion, TaggedUnionSerializer, UnionKeySelector } from './tagged-union.js';

/**
 * Two streams to be co-grouped on a key in windows (Flink's `CoGroupedStreams`), made by
 * `first.coGroup(second)`:
 *
 * ```ts
 * first.coGroup(second).where((a) => a.id).equalTo((b) => b.id)
 *   .window(TumblingEventTimeWindows.of(Time.seconds(5)))
 *   .apply((as, bs, out) => out.collect(`${[...as].length}/${[...bs].length}`));
 * ```
 *
 * As in Flink, both inputs are tagged, unioned, keyed by their own key selectors and windowed
 * together; when a window fires, the co-group function gets that key's and window's elements of
 * each input.
 */
export class CoGroupedStreams<T1, T2> {
  /** @internal use `DataStream.coGroup` */
  constructor(
    readonly input1: DataStream<T1>,
    readonly input2: DataStream<T2>,
  ) {}

  /** The key of the first input's elements. */
  where<K>(keySelector: KeySelectorLike<T1, K>): CoGroupedWhere<T1, T2, K> {
    return new CoGroupedWhere(this.input1, this.input2, toKeySelector(keySelector, 'coGroup().where()'));
  }
}

/** A co-group with the first input's key (Flink's `CoGroupedStreams.Where`). */
export class CoGroupedWhere<T1, T2, K> {
  /** @internal */
  constructor(
    private readonly input1: DataStream<T1>,
    private readonly input2: DataStream<T2>,
    private readonly key1: KeySelector<T1, K>,
  ) {}

  /** The key of the second input's elements; must produce keys of the same kind as `where`'s. */
  equalTo(keySelector: KeySelectorLike<T2, K>): CoGroupedEqualTo<T1, T2, K> {
    return new CoGroupedEqualTo(this.input1, this.input2, this.key1, toKeySelector(keySelector, 'coGroup().equalTo()'));
  }
}

/** A co-group with both keys (Flink's `CoGroupedStreams.Where.EqualTo`). */
export class CoGroupedEqualTo<T1, T2, K> {
  /** @internal */
  constructor(
    private readonly input1: DataStream<T1>,
    private readonly input2: DataStream<T2>,
    private readonly key1: KeySelector<T1, K>,
    private readonly key2: KeySelector<T2, K>,
  ) {}

  /** The windows both inputs are grouped in (e.g. `TumblingEventTimeWindows.of(Time.seconds(5))`). */
  window<W extends Window>(assigner: WindowAssigner<TaggedUnion<T1, T2>, W>): CoGroupedWithWindow<T1, T2, K, W> {
    if (!(assigner instanceof WindowAssignerClass)) throw new TypeError('coGroup().window(): expected a WindowAssigner (e.g. TumblingEventTimeWindows.of(Time.seconds(5)))');
    return new CoGroupedWithWindow(this.input1, this.input2, this.key1, this.key2, assigner);
  }
}

/**
 * A windowed co-group (Flink's `CoGroupedStreams.WithWindow`): optionally replace the trigger,
 * add an evictor or allow lateness (they see {@link TaggedUnion} elements), then {@link apply}.
 */
export class CoGroupedWithWindow<T1, T2, K, W extends Window> {
  private triggerSetting: Trigger<TaggedUnion<T1, T2>, W> | undefined;
  private evictorSetting: Evictor<TaggedUnion<T1, T2>, W> | undefined;
  private lateness: number | undefined;

  /** @internal */
  constructor(
    private readonly input1: DataStream<T1>,
    private readonly input2: DataStream<T2>,
    private readonly key1: KeySelector<T1, K>,
    private readonly key2: KeySelector<T2, K>,
    private readonly assigner: WindowAssigner<TaggedUnion<T1, T2>, W>,
  ) {}

  /** Replaces the assigner's default trigger. */
  trigger(trigger: Trigger<TaggedUnion<T1, T2>, W>): this {
    this.triggerSetting = trigger;
    return this;
  }

  /** Removes elements of a window before and/or after the function runs. */
  evictor(evictor: Evictor<TaggedUnion<T1, T2>, W>): this {
    this.evictorSetting = evictor;
    return this;
  }

  /** Keeps windows `lateness` (a `Time` or ms ≥ 0) past their end so late elements still fire them again. */
  allowedLateness(lateness: DurationLike): this {
    const ms = durationArg(lateness, 'allowedLateness()', 'lateness');
    if (ms < 0) throw new RangeError('The allowed lateness cannot be negative.');
    this.lateness = ms;
    return this;
  }

  /**
   * Calls `fn` once per key and window with that window's elements of each input; its results
   * form the returned stream, each carrying the window's max timestamp.
   */
  apply<OUT>(fn: CoGroupFunctionLike<T1, T2, OUT>): SingleOutputStreamOperator<OUT> {
    checkUserFunction(fn, 'coGroup', 'coGroup().apply()');
    const serializer = new TaggedUnionSerializer<T1, T2>(streamSerializer(this.input1.getTransformation()), streamSerializer(this.input2.getTransformation()));
    const tagged1 = tag(this.input1, new Input1Tagger<T1, T2>(), serializer);
    const tagged2 = tag(this.input2, new Input2Tagger<T1, T2>(), serializer);
    let windowed = tagged1
      .union(tagged2)
      .keyBy(new UnionKeySelector<T1, T2, K>(this.key1, this.key2))
      .window(this.assigner);
    if (this.triggerSetting !== undefined) windowed = windowed.trigger(this.triggerSetting);
    if (this.evictorSetting !== undefined) windowed = windowed.evictor(this.evictorSetting);
    if (this.lateness !== undefined) windowed = windowed.allowedLateness(this.lateness);
    return windowed.apply(new CoGroupWindowFunction<T1, T2, OUT, K, W>(fn));
  }
}

/** Tags an input with the input's own parallelism, so the map chains to it (as Flink does). */
function tag<T, T1, T2>(input: DataStream<T>, tagger: MapFunction<T, TaggedUnion<T1, T2>>, serializer: TaggedUnionSerializer<T1, T2>): SingleOutputStreamOperator<TaggedUnion<T1, T2>> {
  const tagged = input.map(tagger).setParallelism(input.getParallelism());
  tagged.getTransformation().outputSerializer = serializer;
  return tagged;
}

class Input1Tagger<T1, T2> implements MapFunction<T1, TaggedUnion<T1, T2>> {
  map(value: T1): TaggedUnion<T1, T2> {
    return TaggedUnion.one(value);
  }
}

class Input2Tagger<T1, T2> implements MapFunction<T2, TaggedUnion<T1, T2>> {
  map(value: T2): TaggedUnion<T1, T2> {
    return TaggedUnion.two(value);
  }
}
