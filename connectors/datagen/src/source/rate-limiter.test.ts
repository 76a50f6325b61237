import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('grants nothing at first and then what is due, never more than rate · elapsed', () => {
    let now = 1000;
    const limiter = new RateLimiter(1000, 100, () => now);
    expect(limiter.acquire(100)).toBe(0);
    now += 10; // 10 ms at 1000/s = 10 records
    expect(limiter.acquire(100)).toBe(10);
    expect(limiter.acquire(100)).toBe(0);
    now += 2.5;
    expect(limiter.acquire(100)).toBe(2);
    now += 0.5; // the half record left over plus half a record
    expect(limiter.acquire(100)).toBe(1);
  });

  it('caps credit at the capacity, so a long pause does not allow a burst', () => {
    let now = 0;
    const limiter = new RateLimiter(1000, 50, () => now);
    limiter.acquire(1);
    now += 10_000;
    expect(limiter.acquire(1000)).toBe(50);
  });

  it('takes back unused grants', () => {
    let now = 0;
    const limiter = new RateLimiter(1000, 100, () => now);
    limiter.acquire(1);
    now += 20;
    expect(limiter.acquire(100)).toBe(20);
    limiter.release(5);
    expect(limiter.acquire(100)).toBe(5);
  });

  it('says how long to wait until a useful number of records is due', () => {
    let now = 0;
    const limiter = new RateLimiter(5000, 1024, () => now);
    // 5000/s wakes up for 25 records: 5 ms.
    expect(limiter.delayMs()).toBe(5);
    now += 5;
    expect(limiter.delayMs()).toBe(0);
    expect(limiter.acquire(1024)).toBe(25);
    // Slow rates wake up per record.
    const slow = new RateLimiter(2, 10, () => now);
    expect(slow.delayMs()).toBe(500);
  });

  it('rejects rates and capacities that cannot pace anything', () => {
    expect(() => new RateLimiter(0, 10)).toThrow(/recordsPerSecond/);
    expect(() => new RateLimiter(Number.POSITIVE_INFINITY, 10)).toThrow(/recordsPerSecond/);
    expect(() => new RateLimiter(10, 0)).toThrow(/capacity/);
  });
});
