import type { NamespaceEntry, StateTable } from '../heap/state-table.js';
import type { TtlAccessCallback } from './ttl-value.js';
import type { TtlTimeProvider } from './ttl-time-provider.js';

/**
 * Removes the expired parts of one stored value in place and says whether nothing is left
 * (the entry is then removed). For a plain TTL value: whether it expired.
 */
export type TtlPurge<S> = (stored: S, now: number) => boolean;

/**
 * Incremental TTL cleanup of one heap state (Flink's `TtlIncrementalCleanup`): a lazy cursor
 * over all entries of the state (every namespace, key group and key). Each run checks the next
 * `cleanupSize` entries and removes the expired ones, continuing where the previous run
 * stopped; at the end of the state the cursor starts over on the following run. Runs on every
 * access to the state and, with `runCleanupForEveryRecord`, whenever the backend's current key
 * is set (`keySelected`). Entries added during a pass may or may not be visited by it.
 */
export class TtlIncrementalCleanup<S> implements TtlAccessCallback {
  private namespaces: Iterator<NamespaceEntry<unknown, S>> | undefined;
  private entry: NamespaceEntry<unknown, S> | undefined;
  private keyGroupIndex = 0;
  private map: Map<unknown, S> | undefined;
  private entries: Iterator<[unknown, S]> | undefined;
  private running = false;

  constructor(
    private readonly table: StateTable<unknown, S>,
    private readonly cleanupSize: number,
    private readonly purge: TtlPurge<S>,
    private readonly timeProvider: TtlTimeProvider,
  ) {}

  stateAccessed(): void {
    this.run();
  }

  /** Backend key-selection listener (per-record cleanup). */
  keySelected(): void {
    this.run();
  }

  /** Checks up to `cleanupSize` entries. */
  run(): void {
    if (this.running) return;
    if (this.table.size === 0) {
      this.reset();
      return;
    }
    this.running = true;
    try {
      const now = this.timeProvider.currentTimestamp();
      let budget = this.cleanupSize;
      while (budget > 0) {
        if (this.entries === undefined && !this.nextMap()) {
          this.reset();
          return;
        }
        const next = this.entries!.next();
        if (next.done) {
          this.entries = undefined;
          continue;
        }
        budget--;
        const [mapKey, stored] = next.value;
        if (this.purge(stored, now)) {
          this.map!.delete(mapKey);
          this.table.removed(this.entry!);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private nextMap(): boolean {
    for (;;) {
      const entry = this.entry;
      if (entry !== undefined) {
        const maps = entry.maps;
        while (maps !== undefined && entry.maps === maps && this.keyGroupIndex < maps.length) {
          const map = maps[this.keyGroupIndex++];
          if (map !== undefined && map.size > 0) {
            this.map = map;
            this.entries = map.entries();
            return true;
          }
        }
        this.entry = undefined;
      }
      this.namespaces ??= this.table.namespaces.values();
      const next = this.namespaces.next();
      if (next.done) return false;
      this.entry = next.value;
      this.keyGroupIndex = 0;
    }
  }

  private reset(): void {
    this.namespaces = undefined;
    this.entry = undefined;
    this.map = undefined;
    this.entries = undefined;
    this.keyGroupIndex = 0;
  }
}
