import { toNamespaceKey } from './map-key.js';

/**
 * Storage of one keyed state on the heap backend: namespace → key group → key → value.
 *
 * Namespace first, because windowed state has few live namespaces (windows) and many keys per
 * window, and a state object resolves its namespace once per `setCurrentNamespace`, leaving one
 * `Map` lookup per access. Then one `Map` per key group, so that no single `Map` holds every key
 * of a subtask (V8 caps a `Map` near 2^24 entries) and snapshots and rescaling work per key
 * group without scanning or re-hashing keys.
 *
 * A {@link NamespaceEntry} is in {@link StateTable.namespaces} exactly while it holds at least
 * one value: it is removed when its last value goes, and put back by the next write through
 * it. Only the state object that owns the table creates entries (restore aside, which runs
 * before the state object exists), so there is never more than one entry per namespace.
 */
export class NamespaceEntry<N, S> {
  /** One `Map` per key group of the backend's range (index = key group - range start), created on first write. */
  maps: (Map<unknown, S> | undefined)[] | undefined = undefined;
  /** Number of keys holding a value in this namespace. */
  size = 0;

  constructor(
    /** The namespace's `Map` key (see `toNamespaceKey`). */
    readonly nsKey: unknown,
    /** The namespace as given (written to snapshots). */
    readonly namespace: N,
  ) {}
}

export class StateTable<N, S> {
  /** The namespaces that hold values. */
  readonly namespaces = new Map<unknown, NamespaceEntry<N, S>>();
  /** Number of (key, namespace) entries. */
  size = 0;

  constructor(readonly numKeyGroups: number) {}

  /** The entry of `namespace`: the stored one, or a new, detached (empty) one. */
  entryFor(namespace: N): NamespaceEntry<N, S> {
    const nsKey = toNamespaceKey(namespace);
    return this.namespaces.get(nsKey) ?? new NamespaceEntry<N, S>(nsKey, namespace);
  }

  get(entry: NamespaceEntry<N, S>, keyGroupIndex: number, mapKey: unknown): S | undefined {
    const maps = entry.maps;
    if (maps === undefined) return undefined;
    const map = maps[keyGroupIndex];
    return map === undefined ? undefined : map.get(mapKey);
  }

  put(entry: NamespaceEntry<N, S>, keyGroupIndex: number, mapKey: unknown, value: S): void {
    let maps = entry.maps;
    if (maps === undefined) maps = entry.maps = new Array<Map<unknown, S> | undefined>(this.numKeyGroups).fill(undefined);
    let map = maps[keyGroupIndex];
    if (map === undefined) map = maps[keyGroupIndex] = new Map();
    const before = map.size;
    map.set(mapKey, value);
    if (map.size !== before) this.added(entry);
  }

  /** Bookkeeping after a new key was added to one of `entry`'s maps directly. */
  added(entry: NamespaceEntry<N, S>): void {
    if (entry.size++ === 0) this.namespaces.set(entry.nsKey, entry);
    this.size++;
  }

  remove(entry: NamespaceEntry<N, S>, keyGroupIndex: number, mapKey: unknown): void {
    const maps = entry.maps;
    if (maps === undefined) return;
    const map = maps[keyGroupIndex];
    if (map !== undefined && map.delete(mapKey)) this.removed(entry);
  }

  /** Bookkeeping after a value was deleted from one of `entry`'s maps directly (iterating cleanups). */
  removed(entry: NamespaceEntry<N, S>): void {
    this.size--;
    if (--entry.size === 0) {
      this.namespaces.delete(entry.nsKey);
      entry.maps = undefined;
    }
  }

  /** Drops everything. */
  clear(): void {
    for (const entry of this.namespaces.values()) {
      entry.size = 0;
      entry.maps = undefined;
    }
    this.namespaces.clear();
    this.size = 0;
  }
}
