import type { RestartBackoffTimeStrategy, RestartClock } from './restart-backoff-time-strategy.js';
import type { ExponentialDelayRestartStrategyConfiguration } from './restart-strategies.js';

/**
 * Restarts indefinitely with an exponentially growing delay
 * (`RestartStrategies.exponentialDelayRestart`), as Flink's
 * `ExponentialDelayRestartBackoffTimeStrategy`:
 *
 * - the first failure backs off `initialBackoffMs`; each further failure multiplies the backoff by
 *   `backoffMultiplier`, capped at `maxBackoffMs` (kept unrounded, so small backoffs still grow;
 *   Flink truncates to whole ms at each step);
 * - a failure that comes at least `resetBackoffThresholdMs` after the previous restart (the
 *   previous failure plus its backoff) starts over at `initialBackoffMs`;
 * - the delay returned is the backoff rounded to whole ms plus a uniform integer jitter in
 *   [-floor(backoff * jitterFactor), +floor(backoff * jitterFactor)], never above `maxBackoffMs`.
 *   The jitter is drawn once per failure, so `getBackoffTime()` is stable between failures.
 */
export class ExponentialDelayRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  private currentBackoffMs: number;
  private backoffWithJitterMs: number;
  private lastFailureTime: number | undefined;

  constructor(
    private readonly config: ExponentialDelayRestartStrategyConfiguration,
    private readonly clock: RestartClock,
    private readonly random: () => number,
  ) {
    this.currentBackoffMs = config.initialBackoffMs;
    this.backoffWithJitterMs = config.initialBackoffMs;
  }

  canRestart(): boolean {
    return true;
  }

  getBackoffTime(): number {
    return this.backoffWithJitterMs;
  }

  /** The backoff before jitter and rounding, for tests and diagnostics. */
  getCurrentBackoff(): number {
    return this.currentBackoffMs;
  }

  notifyFailure(_cause: unknown): void {
    const now = this.clock();
    const { initialBackoffMs, maxBackoffMs, backoffMultiplier, resetBackoffThresholdMs } = this.config;
    if (this.lastFailureTime === undefined || now - this.lastFailureTime >= resetBackoffThresholdMs + this.currentBackoffMs) {
      this.currentBackoffMs = initialBackoffMs;
    } else if (this.currentBackoffMs < maxBackoffMs) {
      this.currentBackoffMs = Math.min(this.currentBackoffMs * backoffMultiplier, maxBackoffMs);
    }
    this.lastFailureTime = now;
    this.backoffWithJitterMs = Math.min(Math.round(this.currentBackoffMs) + this.drawJitter(), maxBackoffMs);
  }

  private drawJitter(): number {
    const offset = Math.floor(this.currentBackoffMs * this.config.jitterFactor);
    if (offset === 0) return 0;
    const r = this.random();
    // Uniform over the 2 * offset + 1 integers in [-offset, offset]; clamp guards a random() of exactly 1.
    return Math.min(Math.floor(r * (2 * offset + 1)), 2 * offset) - offset;
  }

  toString(): string {
    const c = this.config;
    return (
      `ExponentialDelayRestartBackoffTimeStrategy(initialBackoffMs=${c.initialBackoffMs}, maxBackoffMs=${c.maxBackoffMs}, ` +
      `backoffMultiplier=${c.backoffMultiplier}, resetBackoffThresholdMs=${c.resetBackoffThresholdMs}, jitterFactor=${c.jitterFactor}, ` +
      `currentBackoffMs=${this.currentBackoffMs})`
    );
  }
}
