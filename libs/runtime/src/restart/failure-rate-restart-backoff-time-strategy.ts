import type { RestartBackoffTimeStrategy, RestartClock } from './restart-backoff-time-strategy.js';

/**
 * Restarts as long as the failure rate stays within `maxFailuresPerInterval` failures per
 * `intervalMs` (`RestartStrategies.failureRateRestart`), with a constant delay. It refuses when
 * the last `maxFailuresPerInterval + 1` failures all fall within `intervalMs` of the current time
 * (Flink: the oldest of them is not more than `intervalMs` ago).
 */
export class FailureRateRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  /** Times of the most recent failures, oldest first; at most `maxFailuresPerInterval + 1`. */
  private readonly failureTimes: number[] = [];

  constructor(
    private readonly maxFailuresPerInterval: number,
    private readonly intervalMs: number,
    private readonly delayMs: number,
    private readonly clock: RestartClock,
  ) {}

  canRestart(): boolean {
    if (this.failureTimes.length <= this.maxFailuresPerInterval) return true;
    return this.clock() - this.failureTimes[0] > this.intervalMs;
  }

  getBackoffTime(): number {
    return this.delayMs;
  }

  notifyFailure(_cause: unknown): void {
    if (this.failureTimes.length > this.maxFailuresPerInterval) this.failureTimes.shift();
    this.failureTimes.push(this.clock());
  }

  toString(): string {
    return (
      `FailureRateRestartBackoffTimeStrategy(maxFailuresPerInterval=${this.maxFailuresPerInterval}, ` +
      `intervalMs=${this.intervalMs}, delayMs=${this.delayMs})`
    );
  }
}
