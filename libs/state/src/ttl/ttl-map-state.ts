import type { HeapMapState } from '../heap/heap-map-state.js';
import type { InternalMapState } from '../internal-state.js';
import { TtlValue, type TtlStateContext } from './ttl-value.js';

/**
 * A {@link MapState} with TTL: every entry has its own timestamp (Flink's `TtlMapState`).
 * Reads that meet an expired entry remove it; iteration skips (and removes) expired entries.
 */
export class TtlMapState<N, UK, UV> implements InternalMapState<N, UK, UV> {
  constructor(
    private readonly original: HeapMapState<N, UK, TtlValue<UV>>,
    private readonly ttl: TtlStateContext,
  ) {}

  setCurrentNamespace(namespace: N): void {
    this.original.setCurrentNamespace(namespace);
  }

  /** The visible wrapped value of `key` (TTL checked, timestamp refreshed on read if configured). */
  private visible(key: UK): TtlValue<UV> | undefined {
    const ttl = this.ttl;
    ttl.accessed();
    const stored = this.original.get(key);
    if (stored === undefined) return undefined;
    const now = ttl.now();
    if (ttl.isExpired(stored, now)) {
      this.original.remove(key);
      return ttl.returnExpired ? stored : undefined;
    }
    if (ttl.updateOnRead) stored.lastAccessTimestamp = now;
    return stored;
  }

  get(key: UK): UV | undefined {
    return this.visible(key)?.userValue;
  }

  contains(key: UK): boolean {
    return this.visible(key) !== undefined;
  }

  put(key: UK, value: UV): void {
    this.ttl.accessed();
    this.original.put(key, new TtlValue(value, this.ttl.now()));
  }

  putAll(entries: Iterable<readonly [UK, UV]>): void {
    this.ttl.accessed();
    const now = this.ttl.now();
    const wrapped: [UK, TtlValue<UV>][] = [];
    for (const [key, value] of entries) wrapped.push([key, new TtlValue(value, now)]);
    this.original.putAll(wrapped);
  }

  remove(key: UK): void {
    this.ttl.accessed();
    this.original.remove(key);
  }

  clear(): void {
    this.ttl.accessed();
    this.original.clear();
  }

  entries(): Iterable<[UK, UV]> {
    this.ttl.accessed();
    return this.visibleEntries();
  }

  *keys(): Iterable<UK> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): Iterable<UV> {
    for (const [, value] of this.entries()) yield value;
  }

  isEmpty(): boolean {
    for (const _ of this.entries()) return false;
    return true;
  }

  private *visibleEntries(): Generator<[UK, UV]> {
    const ttl = this.ttl;
    const now = ttl.now();
    let expired: UK[] | undefined;
    for (const [key, stored] of this.original.entries()) {
      if (ttl.isExpired(stored, now)) {
        (expired ??= []).push(key);
        if (ttl.returnExpired) yield [key, stored.userValue];
        continue;
      }
      if (ttl.updateOnRead) stored.lastAccessTimestamp = now;
      yield [key, stored.userValue];
    }
    if (expired !== undefined) for (const key of expired) this.original.remove(key);
  }
}
