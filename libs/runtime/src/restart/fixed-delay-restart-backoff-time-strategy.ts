import type { RestartBackoffTimeStrategy } from './restart-backoff-time-strategy.js';

/**
 * Restarts at most `maxAttempts` times with a constant delay
 * (`RestartStrategies.fixedDelayRestart`): after failure number `maxAttempts + 1` it refuses.
 */
export class FixedDelayRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  private failures = 0;

  constructor(
    private readonly maxAttempts: number,
    private readonly delayMs: number,
  ) {}

  canRestart(): boolean {
    return this.failures <= this.maxAttempts;
  }

  getBackoffTime(): number {
    return this.delayMs;
  }

  notifyFailure(_cause: unknown): void {
    this.failures++;
  }

  toString(): string {
    return `FixedDelayRestartBackoffTimeStrategy(maxAttempts=${this.maxAttempts}, delayMs=${this.delayMs}, failures=${this.failures})`;
  }
}
