import type { Collector, OpenContext, RichFunction, RuntimeContext } from '@riffle/core';
import { closeUserFunction, openUserFunction } from '../operators/user-function.js';
import type { WindowFunction } from '../windowing/functions/window-functions.js';
import type { Window } from '../windowing/windows/window.js';
import type { CoGroupFunction, CoGroupFunctionLike, FlatJoinFunction, FlatJoinFunctionLike, JoinFunction, JoinFunctionLike } from './join-functions.js';
import type { TaggedUnion } from './tagged-union.js';

/**
 * Wraps a user function and passes its lifecycle on (Flink's `WrappingFunction`): the window
 * operator opens and closes the wrapper as a rich function, the wrapper the user's function.
 */
abstract class WrappingFunction implements RichFunction {
  constructor(readonly wrapped: unknown) {}

  setRuntimeContext(_context: RuntimeContext): void {}

  open(context: OpenContext): void | Promise<void> {
    return openUserFunction(this.wrapped, context.runtimeContext);
  }

  close(): void | Promise<void> {
    return closeUserFunction(this.wrapped);
  }
}

/**
 * The window function of a co-group (Flink's `CoGroupedStreams.CoGroupWindowFunction`): splits
 * a window's tagged elements by input, in arrival order, and calls the co-group function once.
 * @internal
 */
export class CoGroupWindowFunction<T1, T2, OUT, K, W extends Window> extends WrappingFunction implements WindowFunction<TaggedUnion<T1, T2>, OUT, K, W> {
  private readonly fn: CoGroupFunction<T1, T2, OUT>;

  constructor(fn: CoGroupFunctionLike<T1, T2, OUT>) {
    super(fn);
    this.fn = typeof fn === 'function' ? { coGroup: fn } : fn;
  }

  apply(_key: K, _window: W, input: Iterable<TaggedUnion<T1, T2>>, out: Collector<OUT>): void {
    const first: T1[] = [];
    const second: T2[] = [];
    for (const element of input) {
      if (element.tag === 1) first.push(element.value);
      else second.push(element.value);
    }
    this.fn.coGroup(first, second, out);
  }
}

/** Joins as a co-group: every pair of the two sides, one result each (Flink's `JoinCoGroupFunction`). @internal */
export class JoinCoGroupFunction<T1, T2, OUT> extends WrappingFunction implements CoGroupFunction<T1, T2, OUT> {
  private readonly fn: JoinFunction<T1, T2, OUT>;

  constructor(fn: JoinFunctionLike<T1, T2, OUT>) {
    super(fn);
    this.fn = typeof fn === 'function' ? { join: fn } : fn;
  }

  coGroup(first: Iterable<T1>, second: Iterable<T2>, out: Collector<OUT>): void {
    const rights: readonly T2[] = Array.isArray(second) ? second : [...second];
    for (const a of first) for (let i = 0; i < rights.length; i++) out.collect(this.fn.join(a, rights[i]!));
  }
}

/** Joins as a co-group: every pair of the two sides, any number of results each (Flink's `FlatJoinCoGroupFunction`). @internal */
export class FlatJoinCoGroupFunction<T1, T2, OUT> extends WrappingFunction implements CoGroupFunction<T1, T2, OUT> {
  private readonly fn: FlatJoinFunction<T1, T2, OUT>;

  constructor(fn: FlatJoinFunctionLike<T1, T2, OUT>) {
    super(fn);
    this.fn = typeof fn === 'function' ? { join: fn } : fn;
  }

  coGroup(first: Iterable<T1>, second: Iterable<T2>, out: Collector<OUT>): void {
    const rights: readonly T2[] = Array.isArray(second) ? second : [...second];
    for (const a of first) for (let i = 0; i < rights.length; i++) this.fn.join(a, rights[i]!, out);
  }
}
