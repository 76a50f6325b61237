/** A span of time with Flink's factory names: `Time.seconds(5)`, `Time.minutes(1)`. */
export class Time {
  private constructor(private readonly ms: number) {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`a time span must be a finite number of ms >= 0, got ${ms}`);
  }

  static milliseconds(n: number): Time {
    return new Time(n);
  }
  static seconds(n: number): Time {
    return new Time(n * 1000);
  }
  static minutes(n: number): Time {
    return new Time(n * 60_000);
  }
  static hours(n: number): Time {
    return new Time(n * 3_600_000);
  }
  static days(n: number): Time {
    return new Time(n * 86_400_000);
  }
  /** Alias of `milliseconds`. */
  static of(ms: number): Time {
    return new Time(ms);
  }

  toMilliseconds(): number {
    return this.ms;
  }

  toString(): string {
    return `${this.ms} ms`;
  }
}
