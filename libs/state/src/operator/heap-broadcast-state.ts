import { fromMapKey, toMapKey } from '../heap/map-key.js';
import type { BroadcastState, ReadOnlyBroadcastState } from './broadcast-state.js';

/** {@link BroadcastState} in a JS `Map`, keyed by `toMapKey(key)`. */
export class HeapBroadcastState<K, V> implements BroadcastState<K, V> {
  /** The entries, by `toMapKey(key)`. */
  readonly map = new Map<unknown, V>();

  constructor(readonly name: string) {}

  get(key: K): V | undefined {
    return this.map.get(toMapKey(key));
  }

  put(key: K, value: V): void {
    this.map.set(toMapKey(key), value);
  }

  putAll(entries: Iterable<readonly [K, V]>): void {
    for (const [key, value] of entries) this.map.set(toMapKey(key), value);
  }

  remove(key: K): void {
    this.map.delete(toMapKey(key));
  }

  contains(key: K): boolean {
    return this.map.has(toMapKey(key));
  }

  *entries(): Iterable<[K, V]> {
    for (const [key, value] of this.map) yield [fromMapKey(key) as K, value];
  }

  *immutableEntries(): Iterable<readonly [K, V]> {
    for (const [key, value] of this.map) yield Object.freeze([fromMapKey(key) as K, value] as const);
  }

  *keys(): Iterable<K> {
    for (const key of this.map.keys()) yield fromMapKey(key) as K;
  }

  values(): Iterable<V> {
    return this.map.values();
  }

  isEmpty(): boolean {
    return this.map.size === 0;
  }

  clear(): void {
    this.map.clear();
  }
}

/** A read-only view over a {@link HeapBroadcastState}. */
export class ReadOnlyHeapBroadcastState<K, V> implements ReadOnlyBroadcastState<K, V> {
  constructor(private readonly state: HeapBroadcastState<K, V>) {}

  get(key: K): V | undefined {
    return this.state.get(key);
  }

  contains(key: K): boolean {
    return this.state.contains(key);
  }

  immutableEntries(): Iterable<readonly [K, V]> {
    return this.state.immutableEntries();
  }
}
