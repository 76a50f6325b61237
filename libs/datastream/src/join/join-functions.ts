import { AbstractRichFunction, type Collector, type RichFunction } from '@riffle/core';

/**
 * The user functions of window joins and co-groups (Flink's `JoinFunction`, `FlatJoinFunction`
 * and `CoGroupFunction`). They run when a window fires, once per key and window (co-group) or
 * once per pair of the window's elements (join), synchronously on the task thread; results carry
 * the window's max timestamp.
 */

/** Joins one pair of elements into one result (Flink's `JoinFunction`). */
export interface JoinFunction<IN1, IN2, OUT> {
  join(first: IN1, second: IN2): OUT;
}

/** Joins one pair of elements into any number of results (Flink's `FlatJoinFunction`). */
export interface FlatJoinFunction<IN1, IN2, OUT> {
  join(first: IN1, second: IN2, out: Collector<OUT>): void;
}

/**
 * Receives all elements of both inputs that share a key and a window (Flink's
 * `CoGroupFunction`); either side may be empty, never both. The iterables are valid only
 * during the call.
 */
export interface CoGroupFunction<IN1, IN2, OUT> {
  coGroup(first: Iterable<IN1>, second: Iterable<IN2>, out: Collector<OUT>): void;
}

/** A {@link JoinFunction} with a lifecycle (`open`/`close` once per parallel instance). */
export abstract class RichJoinFunction<IN1, IN2, OUT> extends AbstractRichFunction implements JoinFunction<IN1, IN2, OUT> {
  abstract join(first: IN1, second: IN2): OUT;
}

/** A {@link FlatJoinFunction} with a lifecycle. */
export abstract class RichFlatJoinFunction<IN1, IN2, OUT> extends AbstractRichFunction implements FlatJoinFunction<IN1, IN2, OUT> {
  abstract join(first: IN1, second: IN2, out: Collector<OUT>): void;
}

/** A {@link CoGroupFunction} with a lifecycle. */
export abstract class RichCoGroupFunction<IN1, IN2, OUT> extends AbstractRichFunction implements CoGroupFunction<IN1, IN2, OUT> {
  abstract coGroup(first: Iterable<IN1>, second: Iterable<IN2>, out: Collector<OUT>): void;
}

/** A {@link JoinFunction} (possibly rich) or a plain `(first, second) => result`. */
export type JoinFunctionLike<IN1, IN2, OUT> = (JoinFunction<IN1, IN2, OUT> & Partial<RichFunction>) | ((first: IN1, second: IN2) => OUT);

/** A {@link FlatJoinFunction} (possibly rich) or a plain `(first, second, out) => void`. */
export type FlatJoinFunctionLike<IN1, IN2, OUT> = (FlatJoinFunction<IN1, IN2, OUT> & Partial<RichFunction>) | ((first: IN1, second: IN2, out: Collector<OUT>) => void);

/** A {@link CoGroupFunction} (possibly rich) or a plain `(first, second, out) => void`. */
export type CoGroupFunctionLike<IN1, IN2, OUT> =
  | (CoGroupFunction<IN1, IN2, OUT> & Partial<RichFunction>)
  | ((first: Iterable<IN1>, second: Iterable<IN2>, out: Collector<OUT>) => void);

/**
 * True when `fn` is a flat join function: a {@link RichFlatJoinFunction}, or a function (or
 * `join` method) declaring three or more parameters. A {@link RichJoinFunction} never is.
 */
export function isFlatJoinFunction(fn: unknown): boolean {
  if (fn instanceof RichFlatJoinFunction) return true;
  if (fn instanceof RichJoinFunction) return false;
  if (typeof fn === 'function') return fn.length >= 3;
  const join = (fn as { join?: unknown } | null)?.join;
  return typeof join === 'function' && join.length >= 3;
}
