/**
 * Paces one source reader at a fixed number of records per second of wall-clock time (a token
 * bucket that starts empty, so a reader never runs ahead of `recordsPerSecond · elapsed`). Used
 * from the reader's mailbox thread only. It never blocks: {@link acquire} grants what is due now
 * and {@link delayMs} says how long to wait before asking again.
 */
export class RateLimiter {
  private tokens = 0;
  private last = Number.NaN;
  /** Tokens worth waking up for: about 200 wake-ups per second at most, and never more than `capacity`. */
  private readonly wakeTokens: number;

  constructor(
    /** Records per second; a positive finite number. */
    readonly recordsPerSecond: number,
    /** Most records granted at once (the reader's batch size); unused credit beyond it is dropped. */
    private readonly capacity: number,
    /** Milliseconds clock (monotonic); injectable for tests. */
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(recordsPerSecond > 0) || !Number.isFinite(recordsPerSecond)) {
      throw new RangeError(`RateLimiter: recordsPerSecond must be a positive finite number, got ${recordsPerSecond}`);
    }
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`RateLimiter: capacity must be a positive integer, got ${capacity}`);
    this.wakeTokens = Math.min(capacity, Math.max(1, Math.ceil(recordsPerSecond / 200)));
  }

  /** Grants up to `max` records now (0 when none is due). The clock starts at the first call. */
  acquire(max: number): number {
    this.refill();
    const granted = Math.min(max, Math.floor(this.tokens));
    this.tokens -= granted;
    return granted;
  }

  /** Gives back records granted by {@link acquire} but not emitted. */
  release(unused: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + unused);
  }

  /** Milliseconds until acquiring is worth it again (0 when records are due now). */
  delayMs(): number {
    this.refill();
    if (this.tokens >= this.wakeTokens) return 0;
    return Math.ceil(((this.wakeTokens - this.tokens) * 1000) / this.recordsPerSecond);
  }

  private refill(): void {
    const now = this.now();
    if (Number.isNaN(this.last)) {
      this.last = now;
      return;
    }
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.recordsPerSecond) / 1000);
      this.last = now;
    }
  }
}
