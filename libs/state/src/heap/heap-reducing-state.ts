import type { InternalReducingState } from '../internal-state.js';
import { AbstractHeapMergingState } from './abstract-heap-state.js';
import type { HeapKeyContext } from './heap-key-context.js';
import type { StateTable } from './state-table.js';

/**
 * {@link ReducingState} on the heap: the reduced value is stored. The reduce function may
 * return `undefined`, which clears the state (the TTL layer uses this when both sides expired).
 */
export class HeapReducingState<N, T> extends AbstractHeapMergingState<N, T> implements InternalReducingState<N, T> {
  constructor(
    ctx: HeapKeyContext,
    table: StateTable<N, T>,
    name: string,
    namespace: N,
    private readonly reducer: { reduce(a: T, b: T): T | undefined },
  ) {
    super(ctx, table, name, namespace);
  }

  get(): T | undefined {
    return this.getInternal();
  }

  add(value: T): void {
    if (value === undefined || value === null) {
      this.clear();
      return;
    }
    const current = this.getInternal();
    this.updateInternal(current === undefined ? value : this.reducer.reduce(current, value));
  }

  protected mergeState(a: T, b: T): T | undefined {
    return this.reducer.reduce(a, b);
  }
}
