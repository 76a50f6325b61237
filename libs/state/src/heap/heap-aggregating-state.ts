import type { AggregateFunction } from '@riffle/core';
import type { InternalAggregatingState } from '../internal-state.js';
import { AbstractHeapMergingState } from './abstract-heap-state.js';
import type { HeapKeyContext } from './heap-key-context.js';
import type { StateTable } from './state-table.js';

/** {@link AggregatingState} on the heap: the accumulator is stored. */
export class HeapAggregatingState<N, IN, ACC, OUT> extends AbstractHeapMergingState<N, ACC> implements InternalAggregatingState<N, IN, OUT> {
  constructor(
    ctx: HeapKeyContext,
    table: StateTable<N, ACC>,
    name: string,
    namespace: N,
    private readonly fn: AggregateFunction<IN, ACC, OUT>,
  ) {
    super(ctx, table, name, namespace);
  }

  get(): OUT | undefined {
    const acc = this.getInternal();
    return acc === undefined ? undefined : this.fn.getResult(acc);
  }

  add(value: IN): void {
    if (value === undefined || value === null) {
      this.clear();
      return;
    }
    const acc = this.getInternal();
    this.updateInternal(this.fn.add(value, acc === undefined ? this.fn.createAccumulator() : acc));
  }

  protected mergeState(a: ACC, b: ACC): ACC | undefined {
    return this.fn.merge(a, b);
  }
}
