/**
 * Retries for async I/O (Flink's `AsyncRetryStrategy`, `AsyncRetryStrategies`, `RetryPredicates`).
 * A request is retried when its outcome matches the strategy's predicates and the strategy
 * allows another attempt; the retry runs after the backoff delay, on the task thread. The
 * operator's timeout covers all attempts of a request together.
 */

/** Which outcomes of an attempt are retried. An absent predicate retries nothing of that kind. */
export interface AsyncRetryPredicate<OUT> {
  /** Retry when the attempt completed with these results (e.g. an empty lookup). */
  readonly resultPredicate?: (results: readonly OUT[]) => boolean;
  /** Retry when the attempt completed exceptionally with this error. */
  readonly exceptionPredicate?: (error: unknown) => boolean;
}

/** Decides whether and when a request is attempted again. Shared by all requests: keep it stateless. */
export interface AsyncRetryStrategy<OUT> {
  /** Whether another attempt may follow attempt number `currentAttempts` (1 after the first call). */
  canRetry(currentAttempts: number): boolean;
  /** The delay before the attempt following attempt number `currentAttempts`, ms. */
  getBackoffTimeMillis(currentAttempts: number): number;
  getRetryPredicate(): AsyncRetryPredicate<OUT>;
}

/** Common retry predicates (Flink's `RetryPredicates`). */
export const RetryPredicates = {
  /** Retries attempts that completed with no results. */
  EMPTY_RESULT_PREDICATE: (results: readonly unknown[]): boolean => results.length === 0,
  /** Retries every attempt that completed exceptionally. */
  HAS_EXCEPTION_PREDICATE: (_error: unknown): boolean => true,
} as const;

function checkMaxAttempts(maxAttempts: number): void {
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
}

function checkDelay(name: string, ms: number, min = 0): void {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < min) throw new RangeError(`${name} must be a finite number ≥ ${min} (ms), got ${ms}`);
}

abstract class RetryStrategyBuilder<OUT> {
  protected resultPredicate: ((results: readonly OUT[]) => boolean) | undefined;
  protected exceptionPredicate: ((error: unknown) => boolean) | undefined;

  /** Retries attempts whose results match `predicate` (e.g. `RetryPredicates.EMPTY_RESULT_PREDICATE`). */
  ifResult(predicate: (results: readonly OUT[]) => boolean): this {
    if (typeof predicate !== 'function') throw new TypeError('ifResult(): expected a predicate function');
    this.resultPredicate = predicate;
    return this;
  }

  /** Retries attempts whose error matches `predicate` (e.g. `RetryPredicates.HAS_EXCEPTION_PREDICATE`). */
  ifException(predicate: (error: unknown) => boolean): this {
    if (typeof predicate !== 'function') throw new TypeError('ifException(): expected a predicate function');
    this.exceptionPredicate = predicate;
    return this;
  }

  protected predicate(): AsyncRetryPredicate<OUT> {
    return { resultPredicate: this.resultPredicate, exceptionPredicate: this.exceptionPredicate };
  }

  abstract build(): AsyncRetryStrategy<OUT>;
}

/**
 * Retries up to `maxAttempts` times (so at most `maxAttempts + 1` calls, as in Flink), waiting
 * `backoffTimeMillis` before each retry.
 */
export class FixedDelayRetryStrategyBuilder<OUT> extends RetryStrategyBuilder<OUT> {
  constructor(
    private readonly maxAttempts: number,
    private readonly backoffTimeMillis: number,
  ) {
    super();
    checkMaxAttempts(maxAttempts);
    checkDelay('backoffTimeMillis', backoffTimeMillis);
  }

  build(): AsyncRetryStrategy<OUT> {
    const { maxAttempts, backoffTimeMillis } = this;
    const predicate = this.predicate();
    return {
      canRetry: (currentAttempts) => currentAttempts <= maxAttempts,
      getBackoffTimeMillis: () => backoffTimeMillis,
      getRetryPredicate: () => predicate,
    };
  }
}

/**
 * Retries up to `maxAttempts` times, waiting `initialDelay` before the first retry and
 * `multiplier` times longer before each further one, at most `maxRetryDelay`.
 */
export class ExponentialBackoffDelayRetryStrategyBuilder<OUT> extends RetryStrategyBuilder<OUT> {
  constructor(
    private readonly maxAttempts: number,
    private readonly initialDelay: number,
    private readonly maxRetryDelay: number,
    private readonly multiplier: number,
  ) {
    super();
    checkMaxAttempts(maxAttempts);
    checkDelay('initialDelay', initialDelay);
    checkDelay('maxRetryDelay', maxRetryDelay, initialDelay);
    if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || multiplier < 1) throw new RangeError(`multiplier must be a finite number ≥ 1, got ${multiplier}`);
  }

  build(): AsyncRetryStrategy<OUT> {
    const { maxAttempts, initialDelay, maxRetryDelay, multiplier } = this;
    const predicate = this.predicate();
    return {
      canRetry: (currentAttempts) => currentAttempts <= maxAttempts,
      // Computed from the attempt number, not kept in the strategy: one strategy serves every request.
      getBackoffTimeMillis: (currentAttempts) => Math.min(maxRetryDelay, initialDelay * multiplier ** Math.max(0, currentAttempts - 1)),
      getRetryPredicate: () => predicate,
    };
  }
}

/** Never retries. */
const NO_RETRY_STRATEGY: AsyncRetryStrategy<any> = {
  canRetry: () => false,
  getBackoffTimeMillis: () => -1,
  getRetryPredicate: () => ({}),
};

/**
 * The retry strategies of async I/O, with Flink's names:
 *
 * ```ts
 * const retry = new AsyncRetryStrategies.FixedDelayRetryStrategyBuilder<string>(3, 100)
 *   .ifResult(RetryPredicates.EMPTY_RESULT_PREDICATE)
 *   .ifException(RetryPredicates.HAS_EXCEPTION_PREDICATE)
 *   .build();
 * AsyncDataStream.unorderedWaitWithRetry(stream, lookup, 1000, 100, retry);
 * ```
 */
export class AsyncRetryStrategies {
  static readonly NO_RETRY_STRATEGY: AsyncRetryStrategy<any> = NO_RETRY_STRATEGY;
  static readonly FixedDelayRetryStrategyBuilder = FixedDelayRetryStrategyBuilder;
  static readonly ExponentialBackoffDelayRetryStrategyBuilder = ExponentialBackoffDelayRetryStrategyBuilder;

  private constructor() {}
}
