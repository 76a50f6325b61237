import { AbstractRichFunction, type Collector, type OutputTag, type RichFunction } from '@riffle/core';
import type { KeyedStateStore } from '@riffle/state';
import type { Window } from '../windows/window.js';

/**
 * The user functions of windows, with Flink's names. A window function runs when a window's
 * trigger fires, once per key and window, with the window's contents; its results carry the
 * window's max timestamp (`window.maxTimestamp()`) as their timestamp. All calls are
 * synchronous, on the task thread.
 */

/**
 * What a {@link ProcessWindowFunction} can reach during `process` and `clear` (Flink's
 * `ProcessWindowFunction.Context`). Valid only during the call.
 */
export interface ProcessWindowContext<W extends Window> {
  /** The window being evaluated. */
  window(): W;
  /** The current processing time. */
  currentProcessingTime(): number;
  /** The current event-time watermark. */
  currentWatermark(): number;
  /**
   * Keyed state scoped to this key and window: it lives until the window is cleaned up, when
   * `clear` must remove it (use it to remember earlier firings of the same window).
   */
  windowState(): KeyedStateStore;
  /** Keyed state of this key, shared by all its windows. */
  globalState(): KeyedStateStore;
  /** Emits `value` to the side output `tag`, with the window's max timestamp. */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/** The context of a {@link ProcessAllWindowFunction} (no key; state is that of the one global key). */
export type ProcessAllWindowContext<W extends Window> = ProcessWindowContext<W>;

/**
 * Evaluates a window with its full contents and a context (Flink's `ProcessWindowFunction`).
 * With `reduce`/`aggregate`, `elements` holds the single pre-aggregated value.
 */
export abstract class ProcessWindowFunction<IN, OUT, KEY, W extends Window> extends AbstractRichFunction {
  /** Evaluates the window: emit results with `out.collect`. */
  abstract process(key: KEY, context: ProcessWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>): void;

  /** Called when the window is cleaned up: remove what this function kept in `context.windowState()`. */
  clear(_context: ProcessWindowContext<W>): void {}
}

/** {@link ProcessWindowFunction} for non-keyed windows (`windowAll`); Flink's `ProcessAllWindowFunction`. */
export abstract class ProcessAllWindowFunction<IN, OUT, W extends Window> extends AbstractRichFunction {
  abstract process(context: ProcessAllWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>): void;

  clear(_context: ProcessAllWindowContext<W>): void {}
}

/** Evaluates a keyed window (Flink's `WindowFunction`, the older form of {@link ProcessWindowFunction}). */
export interface WindowFunction<IN, OUT, KEY, W extends Window> {
  apply(key: KEY, window: W, input: Iterable<IN>, out: Collector<OUT>): void;
}

/** Evaluates a non-keyed window (Flink's `AllWindowFunction`). */
export interface AllWindowFunction<IN, OUT, W extends Window> {
  apply(window: W, input: Iterable<IN>, out: Collector<OUT>): void;
}

/** A {@link WindowFunction} (possibly rich) or a plain `(key, window, input, out) => void`. */
export type WindowFunctionLike<IN, OUT, KEY, W extends Window> =
  | (WindowFunction<IN, OUT, KEY, W> & Partial<RichFunction>)
  | ((key: KEY, window: W, input: Iterable<IN>, out: Collector<OUT>) => void);

/** An {@link AllWindowFunction} (possibly rich) or a plain `(window, input, out) => void`. */
export type AllWindowFunctionLike<IN, OUT, W extends Window> =
  | (AllWindowFunction<IN, OUT, W> & Partial<RichFunction>)
  | ((window: W, input: Iterable<IN>, out: Collector<OUT>) => void);

/** A {@link ProcessWindowFunction} or any object with its `process` (and optionally `clear`). */
export type ProcessWindowFunctionLike<IN, OUT, KEY, W extends Window> = Partial<RichFunction> & {
  process(key: KEY, context: ProcessWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>): void;
  clear?(context: ProcessWindowContext<W>): void;
};

/** A {@link ProcessAllWindowFunction} or any object with its `process` (and optionally `clear`). */
export type ProcessAllWindowFunctionLike<IN, OUT, W extends Window> = Partial<RichFunction> & {
  process(context: ProcessAllWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>): void;
  clear?(context: ProcessAllWindowContext<W>): void;
};
