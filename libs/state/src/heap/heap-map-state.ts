import type { InternalMapState } from '../internal-state.js';
import { AbstractHeapState } from './abstract-heap-state.js';
import { fromMapKey, toMapKey } from './map-key.js';

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * {@link MapState} on the heap: a JS `Map` per (key, namespace), keyed by `toMapKey(userKey)`
 * so that structured user keys compare by value. An empty map is never stored (removing the
 * last entry clears the state), so `isEmpty` is one lookup.
 */
export class HeapMapState<N, UK, UV> extends AbstractHeapState<N, Map<unknown, UV>> implements InternalMapState<N, UK, UV> {
  get(key: UK): UV | undefined {
    return this.getInternal()?.get(toMapKey(key));
  }

  put(key: UK, value: UV): void {
    const map = this.getInternal();
    if (map === undefined) this.updateInternal(new Map([[toMapKey(key), value]]));
    else map.set(toMapKey(key), value);
  }

  putAll(entries: Iterable<readonly [UK, UV]>): void {
    let map = this.getInternal();
    for (const [key, value] of entries) {
      if (map === undefined) this.updateInternal((map = new Map()));
      map.set(toMapKey(key), value);
    }
  }

  remove(key: UK): void {
    const map = this.getInternal();
    if (map !== undefined && map.delete(toMapKey(key)) && map.size === 0) this.updateInternal(undefined);
  }

  contains(key: UK): boolean {
    return this.getInternal()?.has(toMapKey(key)) ?? false;
  }

  entries(): Iterable<[UK, UV]> {
    const map = this.getInternal();
    return map === undefined ? EMPTY : decodedEntries<UK, UV>(map);
  }

  keys(): Iterable<UK> {
    const map = this.getInternal();
    return map === undefined ? EMPTY : decodedKeys<UK>(map);
  }

  values(): Iterable<UV> {
    const map = this.getInternal();
    return map === undefined ? EMPTY : map.values();
  }

  isEmpty(): boolean {
    return this.getInternal() === undefined;
  }
}

function* decodedEntries<UK, UV>(map: Map<unknown, UV>): Generator<[UK, UV]> {
  for (const [k, v] of map) yield [fromMapKey(k) as UK, v];
}

function* decodedKeys<UK>(map: Map<unknown, unknown>): Generator<UK> {
  for (const k of map.keys()) yield fromMapKey(k) as UK;
}
