import type { RestartBackoffTimeStrategy } from './restart-backoff-time-strategy.js';

/** Never restarts: the first failure fails the job (`RestartStrategies.noRestart()`). */
export class NoRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  canRestart(): boolean {
    return false;
  }

  getBackoffTime(): number {
    return 0;
  }

  notifyFailure(_cause: unknown): void {}

  toString(): string {
    return 'NoRestartBackoffTimeStrategy';
  }
}
