import type { StateTtlConfig } from './state-ttl-config.js';
import { StateVisibility, UpdateType } from './state-ttl-config.js';
import type { TtlTimeProvider } from './ttl-time-provider.js';

/**
 * A user value with the timestamp of its last access (Flink's `TtlValue`), what TTL states
 * store in place of the bare value. Mutable so that refreshing the timestamp on read does not
 * allocate.
 */
export class TtlValue<T> {
  constructor(
    public userValue: T,
    public lastAccessTimestamp: number,
  ) {}
}

/** Runs incremental cleanup when a TTL state is accessed (implemented by `TtlIncrementalCleanup`). */
export interface TtlAccessCallback {
  stateAccessed(): void;
}

/** What a TTL state needs to know at every access: the clock, the TTL rules, the cleanup hook. */
export class TtlStateContext {
  readonly ttl: number;
  readonly updateOnRead: boolean;
  readonly returnExpired: boolean;

  constructor(
    config: StateTtlConfig,
    private readonly timeProvider: TtlTimeProvider,
    private readonly cleanup: TtlAccessCallback | undefined,
  ) {
    this.ttl = config.ttl;
    this.updateOnRead = config.updateType === UpdateType.OnReadAndWrite;
    this.returnExpired = config.stateVisibility === StateVisibility.ReturnExpiredIfNotCleanedUp;
  }

  now(): number {
    return this.timeProvider.currentTimestamp();
  }

  /** Flink's rule: expired once `lastAccessTimestamp + ttl <= now`. */
  isExpired(value: TtlValue<unknown>, now: number): boolean {
    return value.lastAccessTimestamp + this.ttl <= now;
  }

  /** Called at the start of every state method. */
  accessed(): void {
    if (this.cleanup !== undefined) this.cleanup.stateAccessed();
  }
}

/** `lastAccessTimestamp + ttl <= now`, for callers without a context. */
export function isTtlExpired(value: TtlValue<unknown>, ttl: number, now: number): boolean {
  return value.lastAccessTimestamp + ttl <= now;
}
