/** One registered timer: fires for `key` in `namespace` at `timestamp`. */
export interface InternalTimer<K, N> {
  readonly key: K;
  readonly namespace: N;
  readonly timestamp: number;
}

interface Entry<K, N> extends InternalTimer<K, N> {
  /** The key as the dedup maps hold it (itself for primitives, a canonical string otherwise). */
  readonly keyId: unknown;
  readonly namespaceId: string;
  readonly seq: number;
  removed: boolean;
}

/**
 * A set of timers ordered by timestamp (then by registration order), with at most one timer per
 * (key, namespace, timestamp). The dedup index is nested maps (timestamp → namespace id → key id),
 * so registering a timer that already exists (the common case: every element of a window
 * registers the window's timer) costs three lookups and allocates nothing. Removal is lazy:
 * removed entries are skipped when they reach the top of the heap.
 */
export class TimerQueue<K, N> {
  private readonly heap: Entry<K, N>[] = [];
  private readonly index = new Map<number, Map<string, Map<unknown, Entry<K, N>>>>();
  private count = 0;
  private seq = 0;

  get size(): number {
    return this.count;
  }

  /** Adds a timer; returns false when an identical timer is already registered. */
  add(keyId: unknown, namespaceId: string, key: K, namespace: N, timestamp: number): boolean {
    let byNamespace = this.index.get(timestamp);
    if (byNamespace === undefined) this.index.set(timestamp, (byNamespace = new Map()));
    let byKey = byNamespace.get(namespaceId);
    if (byKey === undefined) byNamespace.set(namespaceId, (byKey = new Map()));
    if (byKey.has(keyId)) return false;
    const e: Entry<K, N> = { keyId, namespaceId, key, namespace, timestamp, seq: this.seq++, removed: false };
    byKey.set(keyId, e);
    this.count++;
    this.heap.push(e);
    this.up(this.heap.length - 1);
    return true;
  }

  remove(keyId: unknown, namespaceId: string, timestamp: number): boolean {
    const byNamespace = this.index.get(timestamp);
    const byKey = byNamespace?.get(namespaceId);
    const e = byKey?.get(keyId);
    if (!e) return false;
    e.removed = true;
    this.unindex(e);
    return true;
  }

  /** The earliest timestamp, or +Infinity when empty. */
  peekTimestamp(): number {
    this.dropRemoved();
    return this.heap.length > 0 ? this.heap[0]!.timestamp : Number.POSITIVE_INFINITY;
  }

  /** Removes and returns the earliest timer if its timestamp is at most `time`. */
  pollDue(time: number): InternalTimer<K, N> | undefined {
    this.dropRemoved();
    const top = this.heap[0];
    if (!top || top.timestamp > time) return undefined;
    this.pop();
    this.unindex(top);
    return top;
  }

  /** Every live timer, in no particular order (for snapshots). */
  *timers(): IterableIterator<InternalTimer<K, N>> {
    for (const byNamespace of this.index.values()) for (const byKey of byNamespace.values()) yield* byKey.values();
  }

  private unindex(e: Entry<K, N>): void {
    const byNamespace = this.index.get(e.timestamp)!;
    const byKey = byNamespace.get(e.namespaceId)!;
    byKey.delete(e.keyId);
    if (byKey.size === 0) {
      byNamespace.delete(e.namespaceId);
      if (byNamespace.size === 0) this.index.delete(e.timestamp);
    }
    this.count--;
  }

  private dropRemoved(): void {
    while (this.heap.length > 0 && this.heap[0]!.removed) this.pop();
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
  }

  private less(a: Entry<K, N>, b: Entry<K, N>): boolean {
    return a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    const e = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(e, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const e = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(h[r]!, h[l]!) ? r : l;
      if (!this.less(h[c]!, e)) break;
      h[i] = h[c]!;
      i = c;
    }
    h[i] = e;
  }
}
