import type { AggregateFunction } from '@riffle/core';
import type { HeapAggregatingState } from '../heap/heap-aggregating-state.js';
import type { InternalAggregatingState } from '../internal-state.js';
import { TtlValue, type TtlStateContext } from './ttl-value.js';

/**
 * The aggregate function of a TTL aggregating state (Flink's `TtlAggregateFunction`): an expired
 * accumulator starts over, every `add` refreshes the timestamp. `merge` returns `undefined`
 * when both accumulators expired (the heap state then clears).
 */
export class TtlAggregateFunction<IN, ACC, OUT> implements AggregateFunction<IN, TtlValue<ACC>, OUT> {
  constructor(
    private readonly original: AggregateFunction<IN, ACC, OUT>,
    private readonly ttl: TtlStateContext,
  ) {}

  createAccumulator(): TtlValue<ACC> {
    return new TtlValue(this.original.createAccumulator(), this.ttl.now());
  }

  add(value: IN, accumulator: TtlValue<ACC>): TtlValue<ACC> {
    const now = this.ttl.now();
    const acc = this.ttl.isExpired(accumulator, now) ? this.original.createAccumulator() : accumulator.userValue;
    accumulator.userValue = this.original.add(value, acc);
    accumulator.lastAccessTimestamp = now;
    return accumulator;
  }

  getResult(accumulator: TtlValue<ACC>): OUT {
    return this.original.getResult(accumulator.userValue);
  }

  merge(a: TtlValue<ACC>, b: TtlValue<ACC>): TtlValue<ACC> {
    const now = this.ttl.now();
    const aLive = !this.ttl.isExpired(a, now);
    const bLive = !this.ttl.isExpired(b, now);
    if (aLive && bLive) {
      a.userValue = this.original.merge(a.userValue, b.userValue);
      a.lastAccessTimestamp = now;
      return a;
    }
    const live = aLive ? a : bLive ? b : undefined;
    if (live !== undefined) live.lastAccessTimestamp = now;
    // Both expired: nothing remains; the heap merging state clears on undefined.
    return live as TtlValue<ACC>;
  }
}

/** An {@link AggregatingState} with TTL (Flink's `TtlAggregatingState`). */
export class TtlAggregatingState<N, IN, ACC, OUT> implements InternalAggregatingState<N, IN, OUT> {
  constructor(
    private readonly original: HeapAggregatingState<N, IN, TtlValue<ACC>, OUT>,
    private readonly fn: AggregateFunction<IN, ACC, OUT>,
    private readonly ttl: TtlStateContext,
  ) {}

  setCurrentNamespace(namespace: N): void {
    this.original.setCurrentNamespace(namespace);
  }

  get(): OUT | undefined {
    const ttl = this.ttl;
    ttl.accessed();
    const stored = this.original.getInternal();
    if (stored === undefined) return undefined;
    const now = ttl.now();
    if (ttl.isExpired(stored, now)) {
      this.original.clear();
      return ttl.returnExpired ? this.fn.getResult(stored.userValue) : undefined;
    }
    if (ttl.updateOnRead) stored.lastAccessTimestamp = now;
    return this.fn.getResult(stored.userValue);
  }

  add(value: IN): void {
    this.ttl.accessed();
    this.original.add(value);
  }

  clear(): void {
    this.ttl.accessed();
    this.original.clear();
  }

  mergeNamespaces(target: N, sources: Iterable<N>): void {
    this.ttl.accessed();
    this.original.mergeNamespaces(target, sources);
  }
}
