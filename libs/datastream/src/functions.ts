import type {
  Collector,
  KeyedOnTimerContext,
  KeyedProcessContext,
  OnTimerContext,
  ProcessContext,
  RichFunction,
  SinkFunction,
} from '@riffle/core';

/**
 * Accepted forms of the process functions: a `ProcessFunction` (etc.) class instance from
 * `@riffle/core`, any object with the same methods, or — for one-input functions — a plain
 * function `(value, ctx, out) => void`.
 */

/** What `DataStream.process` accepts. */
export type ProcessFunctionLike<I, O> =
  | (Partial<RichFunction> & {
      processElement(value: I, ctx: ProcessContext, out: Collector<O>): void;
      onTimer?(timestamp: number, ctx: OnTimerContext, out: Collector<O>): void;
    })
  | ((value: I, ctx: ProcessContext, out: Collector<O>) => void);

/** What `KeyedStream.process` accepts; a {@link ProcessFunctionLike} fits too (its context is a subset). */
export type KeyedProcessFunctionLike<K, I, O> =
  | (Partial<RichFunction> & {
      processElement(value: I, ctx: KeyedProcessContext<K>, out: Collector<O>): void;
      onTimer?(timestamp: number, ctx: KeyedOnTimerContext<K>, out: Collector<O>): void;
    })
  | ((value: I, ctx: KeyedProcessContext<K>, out: Collector<O>) => void);

/** What `ConnectedStreams.process` accepts on non-keyed inputs. */
export interface CoProcessFunctionLike<IN1, IN2, O> extends Partial<RichFunction> {
  processElement1(value: IN1, ctx: ProcessContext, out: Collector<O>): void;
  processElement2(value: IN2, ctx: ProcessContext, out: Collector<O>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext, out: Collector<O>): void;
}

/** What `ConnectedStreams.process` accepts on keyed inputs. */
export interface KeyedCoProcessFunctionLike<K, IN1, IN2, O> extends Partial<RichFunction> {
  processElement1(value: IN1, ctx: KeyedProcessContext<K>, out: Collector<O>): void;
  processElement2(value: IN2, ctx: KeyedProcessContext<K>, out: Collector<O>): void;
  onTimer?(timestamp: number, ctx: KeyedOnTimerContext<K>, out: Collector<O>): void;
}

/** What `DataStream.addSink` accepts: a `SinkFunction`/`RichSinkFunction` or a plain `(value, ctx) => void`. */
export type SinkFunctionLike<T> = SinkFunction<T> | ((value: T, context: { timestamp(): number | undefined }) => void);
