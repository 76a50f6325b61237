/**
 * The state interfaces user functions see (Flink's `org.apache.flink.api.common.state`).
 *
 * Keyed state is scoped to the current key of the record being processed (and, inside windows,
 * to the current window): the same state object answers differently after the runtime moves to
 * another key, so a function obtains its state objects once, in `open`, and uses them on every
 * record. Every method is synchronous and runs on the task thread; none may be called
 * concurrently or outside a keyed context (calling one before the runtime has set a current key
 * throws).
 *
 * Values are stored by reference, as Flink's heap backend does: mutating an object after
 * `update` (or one obtained from `value()`) mutates the state. Snapshots serialize the values
 * at snapshot time.
 */

/** Base of every state: `clear` removes the value of the current key (and namespace). */
export interface State {
  clear(): void;
}

/**
 * One value per key. `value()` returns `undefined` when nothing is stored (or the descriptor's
 * default value, if it has one). `update(undefined)` and `update(null)` clear the state, as
 * `update(null)` does in Flink.
 */
export interface ValueState<T> extends State {
  value(): T | undefined;
  update(value: T | null | undefined): void;
}

/**
 * A state that values are added to (Flink's `AppendingState`). `get()` returns the aggregate
 * of everything added under the current key.
 */
export interface AppendingState<IN, OUT> extends State {
  get(): OUT;
  add(value: IN): void;
}

/** An {@link AppendingState} whose values can be merged across namespaces (session windows). */
export type MergingState<IN, OUT> = AppendingState<IN, OUT>;

/**
 * A list per key. `get()` returns an empty iterable when nothing is stored (Flink may return
 * `null`); on the heap backend the iterable is the stored list itself, so it reflects later
 * `add`s — copy it if you need a stable view. `add(null | undefined)` throws (as in Flink);
 * `update([])` clears.
 */
export interface ListState<T> extends MergingState<T, Iterable<T>> {
  addAll(values: Iterable<T>): void;
  update(values: Iterable<T>): void;
}

/**
 * A map per key. User keys compare by value, like `keyBy` keys: strings, numbers, booleans,
 * bigints, `null`, `Date`s, arrays and plain objects of those (two arrays with equal elements
 * name the same entry). Structured user keys come back from `keys()`/`entries()` as equal
 * copies (plain objects with their fields in sorted order), not as the instances put.
 * Iteration order is insertion order. Values may be anything, including `undefined`;
 * `contains` tells an absent entry from an `undefined` value.
 */
export interface MapState<UK, UV> extends State {
  get(key: UK): UV | undefined;
  put(key: UK, value: UV): void;
  putAll(entries: Iterable<readonly [UK, UV]>): void;
  remove(key: UK): void;
  contains(key: UK): boolean;
  entries(): Iterable<[UK, UV]>;
  keys(): Iterable<UK>;
  values(): Iterable<UV>;
  isEmpty(): boolean;
}

/**
 * One value per key, combined with the descriptor's reduce function on every `add`.
 * `get()` returns `undefined` when nothing was added; `add(null | undefined)` clears.
 */
export type ReducingState<T> = MergingState<T, T | undefined>;

/**
 * One accumulator per key, driven by the descriptor's `AggregateFunction`: `add` folds an input
 * in, `get()` returns `getResult(accumulator)`, or `undefined` when nothing was added.
 * `add(null | undefined)` clears.
 */
export type AggregatingState<IN, OUT> = MergingState<IN, OUT | undefined>;
