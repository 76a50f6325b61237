import type { AggregateFunction, ReduceFunction, StreamRecord } from '@riffle/core';
import type { InternalAggregatingState, InternalListState, InternalReducingState } from '@riffle/state';
import { TimestampedValue } from '../evictors/evictor.js';
import type { Window } from '../windows/window.js';

/**
 * The contents of the windows of a window operator, in one keyed state whose namespace is the
 * (state) window: reduced (reduce), accumulated (aggregate), all elements (process/apply) or
 * all elements with timestamps (with an evictor). The state follows the backend's current key;
 * {@link setWindow} selects the window.
 *
 * `add` reports whether the window held nothing before, which lets the operator skip work that
 * is already done for a window that has contents (registering the same timers again).
 * @internal
 */
export interface WindowContents<IN, C, W extends Window> {
  setWindow(window: W): void;
  /** Adds the record's value (or the record, for evicting contents); true if the window was empty. */
  add(record: StreamRecord<IN>): boolean;
  /** The contents as the window function takes them, or `undefined` when empty. */
  get(): C | undefined;
  clear(): void;
  /** Moves the contents of `sources` into `target` (session windows). */
  mergeNamespaces(target: W, sources: readonly W[]): void;
}

/**
 * Direct access to the stored value of a heap state: one map lookup per element instead of two
 * (Flink's in-place `StateTable.transform`). Present on the heap backend's states.
 */
interface StoredValueAccess<S> {
  getInternal(): S | undefined;
  updateInternal(value: S | undefined): void;
}

function storedValueAccess<S>(state: object): StoredValueAccess<S> | undefined {
  const s = state as Partial<StoredValueAccess<S>>;
  return typeof s.getInternal === 'function' && typeof s.updateInternal === 'function' ? (s as StoredValueAccess<S>) : undefined;
}

/** Contents reduced to one value with a `ReduceFunction` (ReducingState). */
export class ReducingContents<T, W extends Window> implements WindowContents<T, T, W> {
  private readonly direct: StoredValueAccess<T> | undefined;

  constructor(
    private readonly state: InternalReducingState<W, T>,
    private readonly reducer: ReduceFunction<T>,
  ) {
    this.direct = storedValueAccess<T>(state);
  }

  setWindow(window: W): void {
    this.state.setCurrentNamespace(window);
  }

  add(record: StreamRecord<T>): boolean {
    const value = record.value;
    const direct = this.direct;
    if (direct !== undefined) {
      const current = direct.getInternal();
      if (current === undefined) {
        direct.updateInternal(value);
        return true;
      }
      const reduced = this.reducer.reduce(current, value);
      if (reduced !== current) direct.updateInternal(reduced);
      return false;
    }
    const empty = this.state.get() === undefined;
    this.state.add(value);
    return empty;
  }

  get(): T | undefined {
    return this.state.get();
  }

  clear(): void {
    this.state.clear();
  }

  mergeNamespaces(target: W, sources: readonly W[]): void {
    this.state.mergeNamespaces(target, sources);
  }
}

/** Contents folded into an accumulator with an `AggregateFunction` (AggregatingState). */
export class AggregatingContents<IN, ACC, OUT, W extends Window> implements WindowContents<IN, OUT, W> {
  private readonly direct: StoredValueAccess<ACC> | undefined;

  constructor(
    private readonly state: InternalAggregatingState<W, IN, OUT>,
    private readonly fn: AggregateFunction<IN, ACC, OUT>,
  ) {
    this.direct = storedValueAccess<ACC>(state);
  }

  setWindow(window: W): void {
    this.state.setCurrentNamespace(window);
  }

  add(record: StreamRecord<IN>): boolean {
    const direct = this.direct;
    if (direct !== undefined) {
      const acc = direct.getInternal();
      if (acc === undefined) {
        direct.updateInternal(this.fn.add(record.value, this.fn.createAccumulator()));
        return true;
      }
      const next = this.fn.add(record.value, acc);
      if (next !== acc) direct.updateInternal(next);
      return false;
    }
    const empty = this.state.get() === undefined;
    this.state.add(record.value);
    return empty;
  }

  get(): OUT | undefined {
    return this.state.get();
  }

  clear(): void {
    this.state.clear();
  }

  mergeNamespaces(target: W, sources: readonly W[]): void {
    this.state.mergeNamespaces(target, sources);
  }
}

/** Every element, in arrival order (ListState), for process/apply. */
export class ListContents<T, W extends Window> implements WindowContents<T, Iterable<T>, W> {
  private readonly direct: StoredValueAccess<T[]> | undefined;

  constructor(private readonly state: InternalListState<W, T>) {
    this.direct = storedValueAccess<T[]>(state);
  }

  setWindow(window: W): void {
    this.state.setCurrentNamespace(window);
  }

  add(record: StreamRecord<T>): boolean {
    const direct = this.direct;
    if (direct !== undefined) {
      const list = direct.getInternal();
      if (list === undefined) {
        direct.updateInternal([record.value]);
        return true;
      }
      list.push(record.value);
      return false;
    }
    const empty = isEmpty(this.state.get());
    this.state.add(record.value);
    return empty;
  }

  get(): Iterable<T> | undefined {
    const elements = this.state.get();
    return isEmpty(elements) ? undefined : elements;
  }

  clear(): void {
    this.state.clear();
  }

  mergeNamespaces(target: W, sources: readonly W[]): void {
    this.state.mergeNamespaces(target, sources);
  }
}

/**
 * Every element with its timestamp, for windows with an evictor (Flink keeps `StreamRecord`s).
 * `get` returns the stored array; {@link replace} writes back what the evictor left.
 */
export class EvictingContents<T, W extends Window> implements WindowContents<T, TimestampedValue<T>[], W> {
  constructor(private readonly state: InternalListState<W, TimestampedValue<T>>) {}

  setWindow(window: W): void {
    this.state.setCurrentNamespace(window);
  }

  add(record: StreamRecord<T>): boolean {
    const empty = isEmpty(this.state.get());
    this.state.add(new TimestampedValue(record.value, record.timestamp));
    return empty;
  }

  get(): TimestampedValue<T>[] | undefined {
    const elements = this.state.get();
    return isEmpty(elements) ? undefined : Array.from(elements);
  }

  /** Replaces the window's contents (after eviction). */
  replace(elements: TimestampedValue<T>[]): void {
    this.state.update(elements);
  }

  clear(): void {
    this.state.clear();
  }

  mergeNamespaces(target: W, sources: readonly W[]): void {
    this.state.mergeNamespaces(target, sources);
  }
}

function isEmpty(elements: Iterable<unknown>): boolean {
  if (Array.isArray(elements)) return elements.length === 0;
  for (const _ of elements) return false;
  return true;
}
