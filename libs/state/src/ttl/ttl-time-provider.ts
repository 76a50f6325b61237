/**
 * The clock state TTL reads (Flink's `TtlTimeProvider`): processing time in milliseconds.
 * The integrator injects the task's processing-time clock so that tests (and the operator test
 * harness) can drive expiry deterministically. Called on the task thread, possibly once per
 * state access: it must be cheap and must not block.
 */
export interface TtlTimeProvider {
  currentTimestamp(): number;
}

/** Wall-clock time (`Date.now()`), the default when no provider is given. */
export const SYSTEM_TTL_TIME_PROVIDER: TtlTimeProvider = Object.freeze({
  currentTimestamp: (): number => Date.now(),
});

/** A clock that only moves when told to: for tests and harnesses. */
export class ManualTtlTimeProvider implements TtlTimeProvider {
  constructor(private time = 0) {}

  currentTimestamp(): number {
    return this.time;
  }

  /** Sets the current time (may move backwards; TTL then treats values as younger). */
  setTime(time: number): void {
    this.time = time;
  }

  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.time += ms;
  }
}
