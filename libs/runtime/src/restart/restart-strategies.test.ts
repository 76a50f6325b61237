import { describe, it, expect } from 'vitest';
import {
  RestartStrategies,
  validateRestartStrategy,
  resolveRestartStrategy,
  describeRestartStrategy,
  EXPONENTIAL_DELAY_DEFAULTS,
  CHECKPOINTING_DEFAULT_RESTART_ATTEMPTS,
} from './restart-strategies.js';

describe('RestartStrategies', () => {
  it('builds plain-data configurations that survive a JSON round trip', () => {
    const configs = [
      RestartStrategies.noRestart(),
      RestartStrategies.fixedDelayRestart(3, 10_000),
      RestartStrategies.failureRateRestart(2, 60_000, 500),
      RestartStrategies.exponentialDelayRestart(100, 10_000, 2, 60_000, 0.25),
    ];
    expect(configs).toEqual([
      { kind: 'none' },
      { kind: 'fixed-delay', attempts: 3, delayMs: 10_000 },
      { kind: 'failure-rate', maxFailuresPerInterval: 2, intervalMs: 60_000, delayMs: 500 },
      { kind: 'exponential-delay', initialBackoffMs: 100, maxBackoffMs: 10_000, backoffMultiplier: 2, resetBackoffThresholdMs: 60_000, jitterFactor: 0.25 },
    ]);
    for (const c of configs) expect(validateRestartStrategy(JSON.parse(JSON.stringify(c)))).toEqual(c);
  });

  it("fills unset exponential-delay options with Flink's defaults", () => {
    expect(RestartStrategies.exponentialDelayRestart()).toEqual({ kind: 'exponential-delay', ...EXPONENTIAL_DELAY_DEFAULTS });
    expect(RestartStrategies.exponentialDelayRestart({ maxBackoffMs: 5_000, jitterFactor: 0 })).toEqual({
      kind: 'exponential-delay',
      ...EXPONENTIAL_DELAY_DEFAULTS,
      maxBackoffMs: 5_000,
      jitterFactor: 0,
    });
    expect(EXPONENTIAL_DELAY_DEFAULTS).toEqual({
      initialBackoffMs: 1_000,
      maxBackoffMs: 60_000,
      backoffMultiplier: 1.5,
      resetBackoffThresholdMs: 3_600_000,
      jitterFactor: 0.1,
    });
  });

  it('rejects bad options with an error naming the option', () => {
    expect(() => RestartStrategies.fixedDelayRestart(-1, 0)).toThrow(/fixedDelayRestart: 'attempts' must be an integer >= 0, got -1/);
    expect(() => RestartStrategies.fixedDelayRestart(1.5, 0)).toThrow(/'attempts'/);
    expect(() => RestartStrategies.fixedDelayRestart(1, -5)).toThrow(/'delayMs' must be a finite number of ms >= 0/);
    expect(() => RestartStrategies.fixedDelayRestart(1, Number.NaN)).toThrow(/'delayMs'/);
    expect(() => RestartStrategies.failureRateRestart(0, 1000, 0)).toThrow(/failureRateRestart: 'maxFailuresPerInterval' must be an integer >= 1/);
    expect(() => RestartStrategies.failureRateRestart(1, 0, 0)).toThrow(/'intervalMs'/);
    expect(() => RestartStrategies.exponentialDelayRestart(0, 10, 2, 10, 0)).toThrow(/'initialBackoffMs'/);
    expect(() => RestartStrategies.exponentialDelayRestart(20, 10, 2, 10, 0)).toThrow(/'initialBackoffMs' \(20\) must not exceed 'maxBackoffMs' \(10\)/);
    expect(() => RestartStrategies.exponentialDelayRestart(1, 10, 1, 10, 0)).toThrow(/'backoffMultiplier' must be a finite number greater than 1/);
    expect(() => RestartStrategies.exponentialDelayRestart(1, 10, 2, 0, 0)).toThrow(/'resetBackoffThresholdMs'/);
    expect(() => RestartStrategies.exponentialDelayRestart(1, 10, 2, 10, 1.5)).toThrow(/'jitterFactor' must be a number between 0 and 1/);
    expect(() => RestartStrategies.exponentialDelayRestart({ backoffMultiplier: 0.5 })).toThrow(/'backoffMultiplier'/);
  });

  it('rejects malformed plain data: unknown kinds, unknown fields, missing fields', () => {
    expect(() => validateRestartStrategy({ kind: 'fixed' })).toThrow(/'kind' must be one of .* got "fixed"/);
    expect(() => validateRestartStrategy(null)).toThrow(/expected a restart strategy configuration, got null/);
    expect(() => validateRestartStrategy({ kind: 'fixed-delay', attempts: 1, delayMs: 0, delay: 5 })).toThrow(/unknown option 'delay'/);
    expect(() => validateRestartStrategy({ kind: 'failure-rate', maxFailuresPerInterval: 1, delayMs: 0 })).toThrow(/'intervalMs' .* got undefined/);
    expect(() => validateRestartStrategy({ kind: 'fixed-delay', attempts: '3', delayMs: 0 }, 'job config')).toThrow(/^job config: 'attempts'/);
  });

  it('resolves the default: no restart without checkpointing, unbounded fixed-delay with checkpointing', () => {
    expect(resolveRestartStrategy(undefined, false)).toEqual({ kind: 'none' });
    expect(resolveRestartStrategy(undefined, true)).toEqual({ kind: 'fixed-delay', attempts: CHECKPOINTING_DEFAULT_RESTART_ATTEMPTS, delayMs: 1_000 });
    const explicit = RestartStrategies.noRestart();
    expect(resolveRestartStrategy(explicit, true)).toBe(explicit);
  });

  it('describes configurations for logs', () => {
    expect(describeRestartStrategy(RestartStrategies.fixedDelayRestart(3, 10))).toBe('fixed-delay(attempts=3, delay=10ms)');
    expect(describeRestartStrategy(RestartStrategies.noRestart())).toBe('no-restart');
  });
});
