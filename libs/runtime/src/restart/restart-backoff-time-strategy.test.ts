import { describe, it, expect } from 'vitest';
import { RestartStrategies } from './restart-strategies.js';
import { createRestartBackoffTimeStrategy } from './restart-backoff-time-strategy.js';
import { ExponentialDelayRestartBackoffTimeStrategy } from './exponential-delay-restart-backoff-time-strategy.js';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000): { now: () => number; set: (t: number) => void } {
  let t = start;
  return { now: () => t, set: (x) => (t = x) };
}

const failure = new Error('task failed');

describe('no restart', () => {
  it('refuses to restart after the first failure', () => {
    const s = createRestartBackoffTimeStrategy(RestartStrategies.noRestart());
    s.notifyFailure(failure);
    expect(s.canRestart()).toBe(false);
  });
});

describe('fixed-delay restart', () => {
  it('allows exactly `attempts` restarts with the configured delay, then refuses', () => {
    const s = createRestartBackoffTimeStrategy(RestartStrategies.fixedDelayRestart(3, 250));
    const decisions: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      s.notifyFailure(failure);
      decisions.push(s.canRestart());
      expect(s.getBackoffTime()).toBe(250);
    }
    expect(decisions).toEqual([true, true, true, false, false]);
  });

  it('with zero attempts fails on the first failure', () => {
    const s = createRestartBackoffTimeStrategy(RestartStrategies.fixedDelayRestart(0, 0));
    expect(s.canRestart()).toBe(true);
    s.notifyFailure(failure);
    expect(s.canRestart()).toBe(false);
  });
});

describe('failure-rate restart', () => {
  /** Notifies failures at the given times and records canRestart() after each. */
  function decide(max: number, intervalMs: number, times: number[]): boolean[] {
    const clock = manualClock(0);
    const s = createRestartBackoffTimeStrategy(RestartStrategies.failureRateRestart(max, intervalMs, 100), { clock: clock.now });
    return times.map((t) => {
      clock.set(t);
      s.notifyFailure(failure);
      expect(s.getBackoffTime()).toBe(100);
      return s.canRestart();
    });
  }

  it('fails the job on the failure that exceeds maxFailuresPerInterval within the interval', () => {
    expect(decide(2, 1_000, [0, 100, 200])).toEqual([true, true, false]);
  });

  it('keeps restarting while failures are spread wider than the interval', () => {
    expect(decide(2, 1_000, [0, 600, 1_200, 1_800, 2_400, 3_000])).toEqual([true, true, true, true, true, true]);
  });

  it('counts a sliding window: old failures leave it', () => {
    // max 2 per 1000 ms: at 1001 the failure at 0 is out of the window (1001 - 0 > 1000).
    expect(decide(2, 1_000, [0, 900, 1_001, 1_500])).toEqual([true, true, true, false]);
  });

  it('treats a failure exactly one interval after the oldest as inside the window', () => {
    expect(decide(1, 1_000, [0, 1_000])).toEqual([true, false]);
    expect(decide(1, 1_000, [0, 1_001])).toEqual([true, true]);
  });

  it('re-evaluates canRestart against the current time', () => {
    const clock = manualClock(0);
    const s = createRestartBackoffTimeStrategy(RestartStrategies.failureRateRestart(1, 1_000, 0), { clock: clock.now });
    s.notifyFailure(failure);
    clock.set(10);
    s.notifyFailure(failure);
    expect(s.canRestart()).toBe(false);
    clock.set(1_001);
    expect(s.canRestart()).toBe(true);
  });
});

describe('exponential-delay restart', () => {
  function strategy(
    opts: { initial: number; max: number; multiplier: number; reset: number; jitter: number },
    clock: { now: () => number },
    random: () => number = () => 0.5,
  ): ExponentialDelayRestartBackoffTimeStrategy {
    const s = createRestartBackoffTimeStrategy(
      RestartStrategies.exponentialDelayRestart(opts.initial, opts.max, opts.multiplier, opts.reset, opts.jitter),
      { clock: clock.now, random },
    );
    expect(s).toBeInstanceOf(ExponentialDelayRestartBackoffTimeStrategy);
    return s as ExponentialDelayRestartBackoffTimeStrategy;
  }

  it('always allows a restart and grows the backoff by the multiplier up to the max', () => {
    const clock = manualClock();
    const s = strategy({ initial: 100, max: 1_000, multiplier: 2, reset: 60_000, jitter: 0 }, clock);
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      clock.set(clock.now() + 10);
      s.notifyFailure(failure);
      expect(s.canRestart()).toBe(true);
      delays.push(s.getBackoffTime());
    }
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it('grows small backoffs with fractional multipliers (no truncation to a fixed point)', () => {
    const clock = manualClock();
    const s = strategy({ initial: 1, max: 100, multiplier: 1.5, reset: 60_000, jitter: 0 }, clock);
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      clock.set(clock.now() + 1);
      s.notifyFailure(failure);
      delays.push(s.getBackoffTime());
    }
    expect(delays).toEqual([1, 2, 2, 3, 5, 8]); // round(1, 1.5, 2.25, 3.375, 5.0625, 7.59)
  });

  it('resets to the initial backoff after running stably for the reset threshold since the restart', () => {
    const clock = manualClock(0);
    const s = strategy({ initial: 100, max: 10_000, multiplier: 2, reset: 5_000, jitter: 0 }, clock);
    const at = (t: number): number => {
      clock.set(t);
      s.notifyFailure(failure);
      return s.getBackoffTime();
    };
    expect(at(0)).toBe(100);
    expect(at(1_000)).toBe(200);
    expect(at(2_000)).toBe(400);
    // Restarted at 2400; 2400 + 5000 = 7400 is where the stable period ends.
    expect(at(7_399)).toBe(800);
    // Restarted at 7399 + 800 = 8199; a failure at 13199 comes exactly one threshold later.
    expect(at(13_199)).toBe(100);
    expect(at(13_300)).toBe(200);
  });

  it('keeps the jittered delay within ±jitterFactor of the backoff and never above the max', () => {
    const clock = manualClock();
    for (const r of [0, 0.25, 0.5, 0.75, 0.999_999]) {
      const s = strategy({ initial: 1_000, max: 3_000, multiplier: 2, reset: 60_000, jitter: 0.25 }, clock, () => r);
      const seen: Array<[number, number]> = [];
      for (let i = 0; i < 4; i++) {
        clock.set(clock.now() + 1);
        s.notifyFailure(failure);
        seen.push([s.getCurrentBackoff(), s.getBackoffTime()]);
      }
      for (const [backoff, delay] of seen) {
        expect(delay).toBeGreaterThanOrEqual(backoff - Math.floor(backoff * 0.25));
        expect(delay).toBeLessThanOrEqual(Math.min(backoff + Math.floor(backoff * 0.25), 3_000));
      }
    }
  });

  it('maps the random draw onto the whole jitter range, extremes included', () => {
    const clock = manualClock();
    const delayFor = (r: number): number => {
      const s = strategy({ initial: 1_000, max: 10_000, multiplier: 2, reset: 60_000, jitter: 0.1 }, clock, () => r);
      s.notifyFailure(failure);
      return s.getBackoffTime();
    };
    expect(delayFor(0)).toBe(900);
    expect(delayFor(0.5)).toBe(1_000);
    expect(delayFor(0.999_999_9)).toBe(1_100);
    expect(delayFor(1)).toBe(1_100);
  });

  it('draws the jitter once per failure, so getBackoffTime is stable until the next failure', () => {
    const clock = manualClock();
    let n = 0;
    const draws = [0, 0.99];
    const s = strategy({ initial: 1_000, max: 10_000, multiplier: 2, reset: 60_000, jitter: 0.5 }, clock, () => draws[n++ % 2]);
    s.notifyFailure(failure);
    expect(s.getBackoffTime()).toBe(500);
    expect(s.getBackoffTime()).toBe(500);
    clock.set(clock.now() + 1);
    s.notifyFailure(failure);
    expect(s.getBackoffTime()).toBe(2_980); // 2000 + floor(0.99 * 2001) - 1000
  });
});
