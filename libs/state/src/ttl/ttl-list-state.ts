import { checkListElement, type HeapListState } from '../heap/heap-list-state.js';
import type { InternalListState } from '../internal-state.js';
import { TtlValue, type TtlStateContext } from './ttl-value.js';

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * A {@link ListState} with TTL: every element has its own timestamp (Flink's `TtlListState`).
 * `get()` returns a fresh array of the visible elements and drops expired ones from the state.
 */
export class TtlListState<N, T> implements InternalListState<N, T> {
  constructor(
    private readonly original: HeapListState<N, TtlValue<T>>,
    private readonly ttl: TtlStateContext,
  ) {}

  setCurrentNamespace(namespace: N): void {
    this.original.setCurrentNamespace(namespace);
  }

  get(): Iterable<T> {
    const ttl = this.ttl;
    ttl.accessed();
    const list = this.original.getInternal();
    if (list === undefined) return EMPTY;
    const now = ttl.now();
    const out: T[] = [];
    let kept = 0;
    for (let i = 0; i < list.length; i++) {
      const element = list[i]!;
      if (ttl.isExpired(element, now)) {
        if (ttl.returnExpired) out.push(element.userValue);
        continue;
      }
      if (ttl.updateOnRead) element.lastAccessTimestamp = now;
      out.push(element.userValue);
      list[kept++] = element;
    }
    if (kept !== list.length) {
      list.length = kept;
      if (kept === 0) this.original.clear();
    }
    return out;
  }

  add(value: T): void {
    this.ttl.accessed();
    checkListElement(this.original.name, value);
    this.original.add(new TtlValue(value, this.ttl.now()));
  }

  addAll(values: Iterable<T>): void {
    this.ttl.accessed();
    this.original.addAll(this.wrap(values));
  }

  update(values: Iterable<T>): void {
    this.ttl.accessed();
    this.original.update(this.wrap(values));
  }

  clear(): void {
    this.ttl.accessed();
    this.original.clear();
  }

  mergeNamespaces(target: N, sources: Iterable<N>): void {
    this.ttl.accessed();
    this.original.mergeNamespaces(target, sources);
  }

  private wrap(values: Iterable<T>): TtlValue<T>[] {
    const now = this.ttl.now();
    const out: TtlValue<T>[] = [];
    for (const value of values) {
      checkListElement(this.original.name, value);
      out.push(new TtlValue(value, now));
    }
    return out;
  }
}
