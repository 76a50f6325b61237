import type { DurationLike, OutputTag } from '@riffle/core';
import { checkUserFunction } from '../operators/user-function.js';
import type { KeyedStream } from '../streams/data-stream.js';
import { SingleOutputStreamOperator } from '../streams/data-stream.js';
import { TwoInputTransformation } from '../transformations/transformation.js';
import { durationArg } from '../windowing/assigners/window-assigner.js';
import { IntervalJoinOperator } from './interval-join-operator.js';
import type { ProcessJoinFunctionLike } from './process-join-function.js';
import { streamSerializer } from './stream-serializer.js';

/**
 * The first step of an interval join (Flink's `KeyedStream.IntervalJoin`), made by
 * `left.intervalJoin(right)` on two streams keyed by keys of the same kind. Interval joins
 * run in event time only; set the bounds with {@link between}.
 */
export class IntervalJoin<T1, T2, K> {
  private eventTime = true;

  /** @internal use `KeyedStream.intervalJoin` */
  constructor(
    private readonly left: KeyedStream<T1, K>,
    private readonly right: KeyedStream<T2, K>,
  ) {}

  /** Joins on event time (the default and, as in Flink, the only supported time). */
  inEventTime(): this {
    this.eventTime = true;
    return this;
  }

  /** Processing time is not supported by interval joins (as in Flink): {@link between} then throws. */
  inProcessingTime(): this {
    this.eventTime = false;
    return this;
  }

  /**
   * Joins each left element `a` with the right elements `b` of the same key where
   * `a.ts + lowerBound <= b.ts <= a.ts + upperBound`. Bounds are `Time`s or ms; pass numbers for
   * negative bounds (`Time` cannot be negative). Throws when `lowerBound > upperBound`.
   */
  between(lowerBound: DurationLike, upperBound: DurationLike): IntervalJoined<T1, T2, K> {
    if (!this.eventTime) throw new Error('Time-bounded stream joins are only supported in event time');
    const lower = durationArg(lowerBound, 'intervalJoin().between()', 'lower bound');
    const upper = durationArg(upperBound, 'intervalJoin().between()', 'upper bound');
    if (lower > upper) throw new RangeError(`intervalJoin().between(): lowerBound <= upperBound must be fulfilled, got [${lower}, ${upper}]`);
    return new IntervalJoined(this.left, this.right, lower, upper);
  }
}

/**
 * An interval join with its bounds (Flink's `KeyedStream.IntervalJoined`): make bounds
 * exclusive, route late elements to side outputs, then {@link process} the joined pairs.
 */
export class IntervalJoined<T1, T2, K> {
  private lowerInclusive = true;
  private upperInclusive = true;
  private leftLateTag: OutputTag<T1> | undefined;
  private rightLateTag: OutputTag<T2> | undefined;

  /** @internal use `IntervalJoin.between` */
  constructor(
    private readonly left: KeyedStream<T1, K>,
    private readonly right: KeyedStream<T2, K>,
    private readonly lowerBound: number,
    private readonly upperBound: number,
  ) {}

  /** A right element exactly at `a.ts + lowerBound` does not join. */
  lowerBoundExclusive(): this {
    this.lowerInclusive = false;
    return this;
  }

  /** A right element exactly at `a.ts + upperBound` does not join. */
  upperBoundExclusive(): this {
    this.upperInclusive = false;
    return this;
  }

  /** Sends left elements that arrive behind the watermark to the side output `tag` instead of dropping them. */
  sideOutputLeftLateData(tag: OutputTag<T1>): this {
    this.leftLateTag = checkTag(tag, 'sideOutputLeftLateData()');
    return this;
  }

  /** Sends right elements that arrive behind the watermark to the side output `tag` instead of dropping them. */
  sideOutputRightLateData(tag: OutputTag<T2>): this {
    this.rightLateTag = checkTag(tag, 'sideOutputRightLateData()');
    return this;
  }

  /**
   * Calls `fn` for every joined pair; its results form the returned stream, each carrying the
   * larger timestamp of its pair. Late elements are in `getSideOutput(tag)` of the result when
   * side outputs were set.
   */
  process<OUT>(fn: ProcessJoinFunctionLike<T1, T2, OUT>): SingleOutputStreamOperator<OUT> {
    checkUserFunction(fn, 'processElement', 'intervalJoin().process()');
    const env = this.left.getExecutionEnvironment();
    const config = {
      lowerBound: this.lowerBound,
      upperBound: this.upperBound,
      lowerBoundInclusive: this.lowerInclusive,
      upperBoundInclusive: this.upperInclusive,
      leftSerializer: streamSerializer(this.left.getTransformation()),
      rightSerializer: streamSerializer(this.right.getTransformation()),
      leftLateDataOutputTag: this.leftLateTag,
      rightLateDataOutputTag: this.rightLateTag,
    };
    // Checks the settings now, when the job is built, rather than in the tasks.
    new IntervalJoinOperator<T1, T2, OUT>(fn, config);
    const t = new TwoInputTransformation<T1, T2, OUT>(
      env.nextTransformationId(),
      'Interval Join',
      this.left.getTransformation(),
      this.right.getTransformation(),
      () => new IntervalJoinOperator<T1, T2, OUT>(fn, config),
      this.left.getKeySelector(),
      this.right.getKeySelector(),
    );
    env.addOperator(t);
    return new SingleOutputStreamOperator(env, t);
  }
}

function checkTag<T>(tag: OutputTag<T>, api: string): OutputTag<T> {
  if (tag === null || typeof tag !== 'object' || typeof tag.id !== 'string') throw new TypeError(`${api}: expected an OutputTag`);
  return tag;
}
