import type { RestartStrategyConfiguration } from './restart-strategies.js';
import { validateRestartStrategy } from './restart-strategies.js';
import { NoRestartBackoffTimeStrategy } from './no-restart-backoff-time-strategy.js';
import { FixedDelayRestartBackoffTimeStrategy } from './fixed-delay-restart-backoff-time-strategy.js';
import { FailureRateRestartBackoffTimeStrategy } from './failure-rate-restart-backoff-time-strategy.js';
import { ExponentialDelayRestartBackoffTimeStrategy } from './exponential-delay-restart-backoff-time-strategy.js';

/**
 * Decides whether a failed job may restart and how long to wait first (Flink's
 * `RestartBackoffTimeStrategy`). One instance lives in the JobMaster for the life of a job and
 * keeps the failure history.
 *
 * Call order, per failure of the job: `notifyFailure(cause)` once, then `canRestart()`; if it
 * returns true, wait `getBackoffTime()` ms and restart. Failures of further tasks of the same,
 * already failing attempt must not be notified again: each notification counts as one failure.
 * None of the methods block; they are called from the JobMaster's main thread only.
 */
export interface RestartBackoffTimeStrategy {
  /** Whether the job may restart after the failures notified so far. */
  canRestart(): boolean;
  /** Ms to wait before restarting, after the last `notifyFailure`. Does not change the strategy's state. */
  getBackoffTime(): number;
  /** Records a failure of the job at the clock's current time. */
  notifyFailure(cause: unknown): void;
}

/** Milliseconds since an arbitrary epoch; must not go backwards. */
export type RestartClock = () => number;

/** Where a strategy reads the time and its randomness; injectable for deterministic tests. */
export interface RestartBackoffTimeStrategyOptions {
  /** Default `Date.now`. */
  readonly clock?: RestartClock;
  /** Uniform random number in [0, 1), used for jitter. Default `Math.random`. */
  readonly random?: () => number;
}

/**
 * Builds the strategy for a configuration (validating it first, since it may have crossed a
 * process boundary as plain data). Throws an Error naming the bad option.
 */
export function createRestartBackoffTimeStrategy(
  config: RestartStrategyConfiguration,
  options: RestartBackoffTimeStrategyOptions = {},
): RestartBackoffTimeStrategy {
  const c = validateRestartStrategy(config);
  const clock = options.clock ?? Date.now;
  switch (c.kind) {
    case 'none':
      return new NoRestartBackoffTimeStrategy();
    case 'fixed-delay':
      return new FixedDelayRestartBackoffTimeStrategy(c.attempts, c.delayMs);
    case 'failure-rate':
      return new FailureRateRestartBackoffTimeStrategy(c.maxFailuresPerInterval, c.intervalMs, c.delayMs, clock);
    case 'exponential-delay':
      return new ExponentialDelayRestartBackoffTimeStrategy(c, clock, options.random ?? Math.random);
  }
}
