import type { Collector } from '@riffle/core';
import type { Window } from '../windows/window.js';
import type {
  AllWindowFunction,
  AllWindowFunctionLike,
  ProcessAllWindowFunctionLike,
  ProcessWindowContext,
  ProcessWindowFunctionLike,
  WindowFunction,
  WindowFunctionLike,
} from './window-functions.js';

/**
 * What the window operator calls when a window fires (Flink's `InternalWindowFunction`):
 * adapts the user's function (process, apply, keyed or not) and the shape of the window's
 * contents (all elements, or one pre-aggregated value) to one call.
 * @internal
 */
export interface InternalWindowFunction<C, OUT, K, W extends Window> {
  /** The user's function object, opened and closed by the operator as a rich function. */
  readonly userFunction: unknown;
  process(key: K, window: W, context: ProcessWindowContext<W>, contents: C, out: Collector<OUT>): void;
  /** The window is being cleaned up. */
  clear(window: W, context: ProcessWindowContext<W>): void;
}

/** How the window's contents reach the user: all elements, or the single aggregated value. */
export type ContentsShape = 'iterable' | 'single';

function elements<IN>(contents: unknown, shape: ContentsShape): Iterable<IN> {
  return shape === 'single' ? [contents as IN] : (contents as Iterable<IN>);
}

/** Emits the window's single value as it is (reduce/aggregate without a window function). */
export class PassThroughWindowFunction<T, K, W extends Window> implements InternalWindowFunction<T, T, K, W> {
  readonly userFunction = undefined;

  process(_key: K, _window: W, _context: ProcessWindowContext<W>, contents: T, out: Collector<T>): void {
    out.collect(contents);
  }

  clear(): void {}
}

/** Runs a keyed `ProcessWindowFunction`. */
export class InternalProcessWindowFunction<IN, OUT, K, W extends Window> implements InternalWindowFunction<unknown, OUT, K, W> {
  constructor(
    readonly userFunction: ProcessWindowFunctionLike<IN, OUT, K, W>,
    private readonly shape: ContentsShape,
  ) {}

  process(key: K, _window: W, context: ProcessWindowContext<W>, contents: unknown, out: Collector<OUT>): void {
    this.userFunction.process(key, context, elements<IN>(contents, this.shape), out);
  }

  clear(_window: W, context: ProcessWindowContext<W>): void {
    this.userFunction.clear?.(context);
  }
}

/** Runs a `ProcessAllWindowFunction` (the key is the constant key of `windowAll`). */
export class InternalProcessAllWindowFunction<IN, OUT, W extends Window> implements InternalWindowFunction<unknown, OUT, unknown, W> {
  constructor(
    readonly userFunction: ProcessAllWindowFunctionLike<IN, OUT, W>,
    private readonly shape: ContentsShape,
  ) {}

  process(_key: unknown, _window: W, context: ProcessWindowContext<W>, contents: unknown, out: Collector<OUT>): void {
    this.userFunction.process(context, elements<IN>(contents, this.shape), out);
  }

  clear(_window: W, context: ProcessWindowContext<W>): void {
    this.userFunction.clear?.(context);
  }
}

/** Runs a keyed `WindowFunction`. */
export class InternalApplyWindowFunction<IN, OUT, K, W extends Window> implements InternalWindowFunction<unknown, OUT, K, W> {
  private readonly fn: WindowFunction<IN, OUT, K, W>;

  constructor(
    readonly userFunction: WindowFunctionLike<IN, OUT, K, W>,
    private readonly shape: ContentsShape,
  ) {
    this.fn = typeof userFunction === 'function' ? { apply: userFunction } : userFunction;
  }

  process(key: K, window: W, _context: ProcessWindowContext<W>, contents: unknown, out: Collector<OUT>): void {
    this.fn.apply(key, window, elements<IN>(contents, this.shape), out);
  }

  clear(): void {}
}

/** Runs an `AllWindowFunction`. */
export class InternalApplyAllWindowFunction<IN, OUT, W extends Window> implements InternalWindowFunction<unknown, OUT, unknown, W> {
  private readonly fn: AllWindowFunction<IN, OUT, W>;

  constructor(
    readonly userFunction: AllWindowFunctionLike<IN, OUT, W>,
    private readonly shape: ContentsShape,
  ) {
    this.fn = typeof userFunction === 'function' ? { apply: userFunction } : userFunction;
  }

  process(_key: unknown, window: W, _context: ProcessWindowContext<W>, contents: unknown, out: Collector<OUT>): void {
    this.fn.apply(window, elements<IN>(contents, this.shape), out);
  }

  clear(): void {}
}
