import type { TypeSerializer } from '@riffle/core';
import type { InternalValueState } from '../internal-state.js';
import { AbstractHeapState } from './abstract-heap-state.js';
import { noCurrentKey, type HeapKeyContext } from './heap-key-context.js';
import type { StateTable } from './state-table.js';

/** {@link ValueState} on the heap: the value itself is stored. */
export class HeapValueState<N, V> extends AbstractHeapState<N, V> implements InternalValueState<N, V> {
  constructor(
    ctx: HeapKeyContext,
    table: StateTable<N, V>,
    name: string,
    namespace: N,
    private readonly defaultValue: V | undefined,
    private readonly serializer: TypeSerializer<V>,
  ) {
    super(ctx, table, name, namespace);
  }

  value(): V | undefined {
    // The per-record path: two property reads, one array index, one Map lookup.
    const ctx = this.ctx;
    const i = ctx.keyGroupIndex;
    if (i < 0) throw noCurrentKey(this.name);
    const maps = this.entry.maps;
    const value = maps === undefined ? undefined : maps[i]?.get(ctx.mapKey);
    if (value !== undefined) return value;
    return this.defaultValue === undefined ? undefined : this.serializer.copy(this.defaultValue);
  }

  update(value: V | null | undefined): void {
    const ctx = this.ctx;
    const i = ctx.keyGroupIndex;
    if (i < 0) throw noCurrentKey(this.name);
    if (value === undefined || value === null) {
      this.table.remove(this.entry, i, ctx.mapKey);
      return;
    }
    // Inlined fast path of StateTable.put for an existing key-group map.
    const entry = this.entry;
    const maps = entry.maps;
    const map = maps === undefined ? undefined : maps[i];
    if (map === undefined) {
      this.table.put(entry, i, ctx.mapKey, value);
      return;
    }
    const before = map.size;
    map.set(ctx.mapKey, value);
    if (map.size !== before) this.table.added(entry);
  }
}
