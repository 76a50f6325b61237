import { checkListElement } from '../heap/heap-list-state.js';
import type { ListState } from '../state.js';

/**
 * An operator list state (Flink's `PartitionableListState`): one list per subtask, not per key.
 * `get()` returns the stored array itself (it reflects later `add`s).
 */
export class PartitionableListState<T> implements ListState<T> {
  list: T[] = [];

  constructor(readonly name: string) {}

  get(): Iterable<T> {
    return this.list;
  }

  add(value: T): void {
    checkListElement(this.name, value);
    this.list.push(value);
  }

  addAll(values: Iterable<T>): void {
    for (const value of values) this.add(value);
  }

  update(values: Iterable<T>): void {
    const list = Array.from(values);
    for (const value of list) checkListElement(this.name, value);
    this.list = list;
  }

  clear(): void {
    this.list = [];
  }
}
