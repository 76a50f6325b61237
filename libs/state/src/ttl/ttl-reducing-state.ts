import type { ReduceFunction } from '@riffle/core';
import type { HeapReducingState } from '../heap/heap-reducing-state.js';
import type { InternalReducingState } from '../internal-state.js';
import { TtlValue, type TtlStateContext } from './ttl-value.js';

/**
 * The reduce function of a TTL reducing state (Flink's `TtlReduceFunction`): an expired side is
 * treated as absent, the result gets a fresh timestamp; `undefined` when both sides expired
 * (the heap state then clears).
 */
export class TtlReduceFunction<T> {
  constructor(
    private readonly original: ReduceFunction<T>,
    private readonly ttl: TtlStateContext,
  ) {}

  reduce(a: TtlValue<T>, b: TtlValue<T>): TtlValue<T> | undefined {
    const now = this.ttl.now();
    const aLive = !this.ttl.isExpired(a, now);
    const bLive = !this.ttl.isExpired(b, now);
    if (aLive && bLive) {
      a.userValue = this.original.reduce(a.userValue, b.userValue);
      a.lastAccessTimestamp = now;
      return a;
    }
    const live = aLive ? a : bLive ? b : undefined;
    if (live !== undefined) live.lastAccessTimestamp = now;
    return live;
  }
}

/** A {@link ReducingState} with TTL (Flink's `TtlReducingState`). */
export class TtlReducingState<N, T> implements InternalReducingState<N, T> {
  constructor(
    private readonly original: HeapReducingState<N, TtlValue<T>>,
    private readonly ttl: TtlStateContext,
  ) {}

  setCurrentNamespace(namespace: N): void {
    this.original.setCurrentNamespace(namespace);
  }

  get(): T | undefined {
    const ttl = this.ttl;
    ttl.accessed();
    const stored = this.original.getInternal();
    if (stored === undefined) return undefined;
    const now = ttl.now();
    if (ttl.isExpired(stored, now)) {
      this.original.clear();
      return ttl.returnExpired ? stored.userValue : undefined;
    }
    if (ttl.updateOnRead) stored.lastAccessTimestamp = now;
    return stored.userValue;
  }

  add(value: T): void {
    this.ttl.accessed();
    if (value === undefined || value === null) this.original.clear();
    else this.original.add(new TtlValue(value, this.ttl.now()));
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
