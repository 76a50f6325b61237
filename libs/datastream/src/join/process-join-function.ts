import { AbstractRichFunction, type Collector, type OutputTag, type RichFunction } from '@riffle/core';

/**
 * What a {@link ProcessJoinFunction} can reach while it handles one joined pair (Flink's
 * `ProcessJoinFunction.Context`). One context per operator, pointed at each pair: valid only
 * during the `processElement` call it is passed to.
 */
export interface ProcessJoinContext {
  /** The event timestamp of the left element of the pair. */
  getLeftTimestamp(): number;
  /** The event timestamp of the right element of the pair. */
  getRightTimestamp(): number;
  /** The timestamp of the pair: the larger of the two (results emitted with `out.collect` carry it). */
  getTimestamp(): number;
  /** Emits `value` to the side output `tag`, with the pair's timestamp. */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/**
 * Handles the pairs of an interval join (Flink's `ProcessJoinFunction`): called once per pair of
 * a left and a right element with the same key whose timestamps lie within the join's bounds.
 * Calls are synchronous, on the task thread, in arrival order of the element that completed
 * the pair. A rich function: `open`/`close` run once per parallel instance.
 */
export abstract class ProcessJoinFunction<IN1, IN2, OUT> extends AbstractRichFunction {
  /** Handles one joined pair: emit results with `out.collect` (they carry `ctx.getTimestamp()`). */
  abstract processElement(left: IN1, right: IN2, ctx: ProcessJoinContext, out: Collector<OUT>): void;
}

/** What `IntervalJoined.process` accepts: a {@link ProcessJoinFunction}, any object with its `processElement`, or a plain function. */
export type ProcessJoinFunctionLike<IN1, IN2, OUT> =
  | (Partial<RichFunction> & { processElement(left: IN1, right: IN2, ctx: ProcessJoinContext, out: Collector<OUT>): void })
  | ((left: IN1, right: IN2, ctx: ProcessJoinContext, out: Collector<OUT>) => void);
