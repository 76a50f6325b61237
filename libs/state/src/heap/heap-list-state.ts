import type { InternalListState } from '../internal-state.js';
import { AbstractHeapMergingState } from './abstract-heap-state.js';

const EMPTY: readonly never[] = Object.freeze([]);

/** Throws for an element a list state cannot hold (`null`/`undefined`, as Flink rejects `null`). */
export function checkListElement(stateName: string, value: unknown): void {
  if (value === undefined || value === null) throw new TypeError(`list state '${stateName}': cannot add null or undefined`);
}

/** {@link ListState} on the heap: a JS array is stored and appended to in place. */
export class HeapListState<N, T> extends AbstractHeapMergingState<N, T[]> implements InternalListState<N, T> {
  get(): Iterable<T> {
    return this.getInternal() ?? EMPTY;
  }

  add(value: T): void {
    checkListElement(this.name, value);
    const list = this.getInternal();
    if (list === undefined) this.updateInternal([value]);
    else list.push(value);
  }

  addAll(values: Iterable<T>): void {
    let list = this.getInternal();
    for (const value of values) {
      checkListElement(this.name, value);
      if (list === undefined) this.updateInternal((list = [value]));
      else list.push(value);
    }
  }

  update(values: Iterable<T>): void {
    const list = Array.from(values);
    for (const value of list) checkListElement(this.name, value);
    this.updateInternal(list.length === 0 ? undefined : list);
  }

  protected mergeState(a: T[], b: T[]): T[] {
    for (const value of b) a.push(value);
    return a;
  }
}
