import { noCurrentKey, type HeapKeyContext } from './heap-key-context.js';
import type { NamespaceEntry, StateTable } from './state-table.js';

/**
 * Shared mechanics of the heap states: the current namespace's entry, and reading and writing
 * the stored value `S` of the current (key, namespace). `S` is what the table holds (a value,
 * an array, a `Map`, an accumulator, or any of them wrapped for TTL).
 */
export abstract class AbstractHeapState<N, S> {
  protected namespace: N;
  protected entry: NamespaceEntry<N, S>;

  constructor(
    protected readonly ctx: HeapKeyContext,
    readonly table: StateTable<N, S>,
    readonly name: string,
    namespace: N,
  ) {
    this.namespace = namespace;
    this.entry = table.entryFor(namespace);
  }

  setCurrentNamespace(namespace: N): void {
    if (namespace !== this.namespace) {
      this.namespace = namespace;
      this.entry = this.table.entryFor(namespace);
    }
  }

  getCurrentNamespace(): N {
    return this.namespace;
  }

  /** The stored value of the current key and namespace. */
  getInternal(): S | undefined {
    const i = this.ctx.keyGroupIndex;
    if (i < 0) throw noCurrentKey(this.name);
    return this.table.get(this.entry, i, this.ctx.mapKey);
  }

  /** Stores `value` for the current key and namespace (`undefined` removes it). */
  updateInternal(value: S | undefined): void {
    const i = this.ctx.keyGroupIndex;
    if (i < 0) throw noCurrentKey(this.name);
    if (value === undefined) this.table.remove(this.entry, i, this.ctx.mapKey);
    else this.table.put(this.entry, i, this.ctx.mapKey, value);
  }

  clear(): void {
    const i = this.ctx.keyGroupIndex;
    if (i < 0) throw noCurrentKey(this.name);
    this.table.remove(this.entry, i, this.ctx.mapKey);
  }
}

/** A heap state whose stored values can be merged across namespaces. */
export abstract class AbstractHeapMergingState<N, S> extends AbstractHeapState<N, S> {
  /** Combines two stored values (either may be reused); `undefined` means nothing remains. */
  protected abstract mergeState(a: S, b: S): S | undefined;

  mergeNamespaces(target: N, sources: Iterable<N>): void {
    const saved = this.namespace;
    try {
      let merged: S | undefined;
      for (const source of sources) {
        this.setCurrentNamespace(source);
        const value = this.getInternal();
        if (value === undefined) continue;
        this.updateInternal(undefined);
        merged = merged === undefined ? value : this.mergeState(merged, value);
      }
      if (merged !== undefined) {
        this.setCurrentNamespace(target);
        const current = this.getInternal();
        this.updateInternal(current === undefined ? merged : this.mergeState(current, merged));
      }
    } finally {
      this.setCurrentNamespace(saved);
    }
  }
}
