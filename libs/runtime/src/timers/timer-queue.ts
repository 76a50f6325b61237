/** One registered timer: fires for `key` in `namespace` at `timestamp`. */
export interface InternalTimer<K, N> {
  readonly key: K;
  readonly namespace: N;
  readonly timestamp: number;
}

interface Entry<K, N> extends InternalTimer<K, N> {
  readonly id: string;
  readonly seq: number;
  removed: boolean;
}

/**
 * A set of timers ordered by timestamp (then by registration order), with at most one timer per
 * identity (key, namespace, timestamp). Removal is lazy: removed entries are skipped when they
 * reach the top of the heap.
 */
export class TimerQueue<K, N> {
  private readonly heap: Entry<K, N>[] = [];
  private readonly byId = new Map<string, Entry<K, N>>();
  private seq = 0;

  get size(): number {
    return this.byId.size;
  }

  /** Adds a timer; returns false when an identical timer is already registered. */
  add(id: string, key: K, namespace: N, timestamp: number): boolean {
    if (this.byId.has(id)) return false;
    const e: Entry<K, N> = { id, key, namespace, timestamp, seq: this.seq++, removed: false };
    this.byId.set(id, e);
    this.heap.push(e);
    this.up(this.heap.length - 1);
    return true;
  }

  remove(id: string): boolean {
    const e = this.byId.get(id);
    if (!e) return false;
    e.removed = true;
    this.byId.delete(id);
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
    this.byId.delete(top.id);
    return top;
  }

  /** Every live timer, in no particular order (for snapshots). */
  *timers(): IterableIterator<InternalTimer<K, N>> {
    for (const e of this.byId.values()) yield e;
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
