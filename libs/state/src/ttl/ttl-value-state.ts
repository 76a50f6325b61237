import type { TypeSerializer } from '@riffle/core';
import type { HeapValueState } from '../heap/heap-value-state.js';
import type { InternalValueState } from '../internal-state.js';
import { TtlValue, type TtlStateContext } from './ttl-value.js';

/** A {@link ValueState} with TTL over a heap state of {@link TtlValue}s (Flink's `TtlValueState`). */
export class TtlValueState<N, T> implements InternalValueState<N, T> {
  constructor(
    private readonly original: HeapValueState<N, TtlValue<T>>,
    private readonly ttl: TtlStateContext,
    private readonly defaultValue: T | undefined,
    private readonly serializer: TypeSerializer<T>,
  ) {}

  setCurrentNamespace(namespace: N): void {
    this.original.setCurrentNamespace(namespace);
  }

  value(): T | undefined {
    const ttl = this.ttl;
    ttl.accessed();
    const stored = this.original.getInternal();
    if (stored !== undefined) {
      const now = ttl.now();
      if (!ttl.isExpired(stored, now)) {
        if (ttl.updateOnRead) stored.lastAccessTimestamp = now;
        return stored.userValue;
      }
      this.original.clear();
      if (ttl.returnExpired) return stored.userValue;
    }
    return this.defaultValue === undefined ? undefined : this.serializer.copy(this.defaultValue);
  }

  update(value: T | null | undefined): void {
    this.ttl.accessed();
    if (value === undefined || value === null) this.original.clear();
    else this.original.updateInternal(new TtlValue(value, this.ttl.now()));
  }

  clear(): void {
    this.ttl.accessed();
    this.original.clear();
  }
}
